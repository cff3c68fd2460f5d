-- Prints one machine-readable line at the end of a wrk run: requests, duration (µs),
-- p95 and p50 latency (µs) and the number of failed requests (non-2xx/3xx, socket errors).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(95), latency:percentile(50),
    e.status + e.connect + e.read + e.write + e.timeout))
end
