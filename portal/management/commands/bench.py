"""Measure the portal under load: gunicorn on loopback, wrk against four pages, three rounds.

Run through `make bench`, which creates a fresh PostgreSQL database, migrates it and calls
`bench --generate`. Writes `bench/results.json` and prints a table with the goals.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils.module_loading import import_string

from org.models import PLANNING_KINDS, Delivery, Unit, User
from plans.models import TargetResult
from portal.bench import BENCH_USER, Sizes
from portal.reminders import run_pass

BENCH_DIR = Path(settings.BASE_DIR) / "bench"
PAGES = ("hello", "commune", "district", "province")
# (name, minimum ratio to the minimal page, maximum p95 in ms)
GOALS = {
    "commune": (0.30, 200),
    "district": (0.25, 500),
    "province": (0.20, 500),
}
GENERATE_GOAL_S = 180
WORKER_RSS_GOAL_MB = 250
REMINDER_PASS_GOAL_S = 60


@dataclass
class Run:
    rps: float
    p95_ms: float
    p50_ms: float


def parse_wrk(output: str) -> Run:
    """The line `bench/wrk.lua` prints: requests, duration µs, p95 µs, p50 µs, errors."""
    for line in output.splitlines():
        if line.startswith("BENCH "):
            requests, duration, p95, p50, errors = (int(x) for x in line.split()[1:])
            if errors:
                raise CommandError(f"{errors} yêu cầu lỗi trong lượt đo:\n{output}")
            if not requests or not duration:
                raise CommandError(f"Không có yêu cầu nào hoàn thành:\n{output}")
            return Run(rps=requests / (duration / 1e6), p95_ms=p95 / 1000, p50_ms=p50 / 1000)
    raise CommandError(f"wrk không in kết quả:\n{output}")


def summarise(runs: dict[str, list[Run]]) -> dict[str, float]:
    """Medians over the rounds; each ratio is taken per round against the same round's
    minimal page, then the median of those."""
    out: dict[str, float] = {}
    for page, page_runs in runs.items():
        out[f"{page}_rps"] = round(statistics.median(r.rps for r in page_runs), 1)
        out[f"{page}_p95_ms"] = round(statistics.median(r.p95_ms for r in page_runs), 1)
    for page in GOALS:
        ratios = [r.rps / h.rps for r, h in zip(runs[page], runs["hello"], strict=True)]
        out[f"{page}_ratio"] = round(statistics.median(ratios), 3)
    return out


def worker_peak_rss_mb(master: int) -> float:
    """The largest peak resident set (VmHWM) among the gunicorn master's workers."""
    peak = 0
    for children in Path(f"/proc/{master}/task").glob("*/children"):
        for pid in children.read_text().split():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except FileNotFoundError:  # a worker that has just exited
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
    return round(peak / 1024, 1)


class Command(BaseCommand):
    help = "Đo tải: gunicorn và wrk trên loopback, bốn trang, ba lượt (make bench)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--generate", action="store_true", help="tạo dữ liệu trước khi đo")
        parser.add_argument("--rounds", type=int, default=3)
        parser.add_argument("--duration", type=int, default=10, help="giây mỗi lượt")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--output", default=str(BENCH_DIR / "results.json"))
        parser.add_argument(
            "--skip-uncached", action="store_true", help="không đo lượt tắt bộ nhớ đệm"
        )
        parser.add_argument(
            "--reminders-only", action="store_true", help="chỉ đo lượt nhắc việc, đôn đốc"
        )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Thử tải chạy trên PostgreSQL (đặt DATABASE_URL).")
        if shutil.which("wrk") is None and not options["reminders_only"]:
            raise CommandError("Cần wrk: apt-get install -y wrk (make bench tự cài).")
        results: dict[str, float | int | str] = {}
        if options["generate"]:
            started = time.monotonic()
            call_command("bench_data", stdout=self.stdout)
            results["generate_seconds"] = round(time.monotonic() - started, 1)

        user = User.objects.filter(username=BENCH_USER).select_related("unit").first()
        if user is None:
            raise CommandError("Chưa có dữ liệu thử tải: chạy make bench (hoặc bench --generate).")
        province = user.unit
        year = Sizes().year
        commune = Unit.objects.filter(parent=province, kind__in=PLANNING_KINDS).order_by("code")[0]
        urls = {
            "hello": "/ping/",
            "commune": f"/units/{commune.pk}/?year={year}",
            "district": f"/dashboard/?unit={province.pk}&year={year}",
            "province": f"/dashboard/overview/?unit={province.pk}&year={year}",
        }
        results |= self.reminder_pass(year)
        if options["reminders_only"]:
            self.report_reminders(results)
            return
        results |= {
            "communes": Unit.objects.filter(kind__in=PLANNING_KINDS).count(),
            "report_rows": TargetResult.objects.count(),
            "communes_on_dashboard": Unit.objects.filter(parent=province).count(),
        }
        results |= self.count_queries(user, urls)
        self.stdout.write("Cached parts on (the configuration the portal ships with):")
        runs, rss = self.measure(user, urls, options, cache_seconds=300)
        results |= summarise(runs)
        results["worker_peak_rss_mb"] = rss
        if not options["skip_uncached"]:
            # Every request renders from the maintained rows: what the first reader after a
            # change waits for.
            self.stdout.write("Cached parts off (PAGE_CACHE_SECONDS=0):")
            runs, rss = self.measure(user, urls, options, cache_seconds=0)
            results |= {f"uncached_{k}": v for k, v in summarise(runs).items()}
            results["worker_peak_rss_mb"] = max(rss, results["worker_peak_rss_mb"])
        results |= {
            "rounds": options["rounds"],
            "duration_s": options["duration"],
            "connections": options["connections"],
            "workers": options["workers"],
            "cpus": os.cpu_count() or 0,
        }
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        self.report(results, urls)
        self.stdout.write(f"→ {output}")

    def reminder_pass(self, year: int) -> dict[str, float | int]:
        """The đôn đốc pass of 15 December over every directive and report of the country,
        then the same pass again (which must write nothing)."""
        day = datetime.date(year, 12, 15)
        results: dict[str, float | int] = {}
        for name in ("reminder_pass", "reminder_second_pass"):
            with CaptureQueriesContext(connection) as queries:
                started = time.monotonic()
                done = run_pass(day)
                results[f"{name}_seconds"] = round(time.monotonic() - started, 1)
            results[f"{name}_queries"] = len(queries)
            results[f"{name}_reminders"] = done.reminders.reminders
            results[f"{name}_escalations"] = done.reminders.escalations
        results["reminder_pass_deadlines"] = done.reminders.deadlines
        results["reminder_pass_deliveries"] = Delivery.objects.count()
        return results

    def report_reminders(self, results: dict) -> None:
        seconds = results["reminder_pass_seconds"]
        verdict = "met" if seconds <= REMINDER_PASS_GOAL_S else "NOT MET"
        self.stdout.write(
            f"reminder pass {seconds} s, {results['reminder_pass_queries']} queries over "
            f"{results['reminder_pass_deadlines']} deadlines: "
            f"{results['reminder_pass_reminders']} reminders, "
            f"{results['reminder_pass_escalations']} escalations "
            f"(goal < {REMINDER_PASS_GOAL_S} s): {verdict}; again the same day: "
            f"{results['reminder_second_pass_seconds']} s, "
            f"{results['reminder_second_pass_reminders']} new"
        )

    def count_queries(self, user: User, urls: dict[str, str]) -> dict[str, int]:
        """Queries per page as served (a cached part: second request) and rendered afresh."""
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        counts = {}
        for prefix, seconds in (("", 300), ("uncached_", 0)):
            with override_settings(PAGE_CACHE_SECONDS=seconds):
                for page, url in urls.items():
                    client.get(url)  # warm what a running worker has warm
                    with CaptureQueriesContext(connection) as queries:
                        response = client.get(url)
                    if response.status_code != 200:
                        raise CommandError(f"{url} trả về {response.status_code}.")
                    counts[f"{prefix}queries_{page}"] = len(queries)
        return counts

    def session_cookie(self, user: User) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        # The backend that loads users (the rules backend only answers permission checks).
        store[BACKEND_SESSION_KEY] = next(
            path
            for path in settings.AUTHENTICATION_BACKENDS
            if hasattr(import_string(path), "get_user")
        )
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    def measure(
        self, user: User, urls: dict[str, str], options, *, cache_seconds: int
    ) -> tuple[dict, float]:
        base = f"http://127.0.0.1:{options['port']}"
        cookie = self.session_cookie(user)
        env = os.environ | {
            "DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "PAGE_CACHE_SECONDS": str(cache_seconds),
        }
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--workers",
                str(options["workers"]),
                "--bind",
                f"127.0.0.1:{options['port']}",
                "--log-level",
                "warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
        )
        try:
            self.wait_until_up(base + urls["hello"], cookie)
            runs: dict[str, list[Run]] = {page: [] for page in PAGES}
            for round_ in range(1, options["rounds"] + 1):
                for page in PAGES:
                    self.wrk(base + urls[page], cookie, 2, options)  # warm-up
                    run = parse_wrk(
                        self.wrk(base + urls[page], cookie, options["duration"], options)
                    )
                    runs[page].append(run)
                    self.stdout.write(
                        f"  round {round_} {page:<9} {run.rps:8.1f} req/s  p95 {run.p95_ms:7.1f} ms"
                    )
            return runs, worker_peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)

    def wait_until_up(self, url: str, cookie: str) -> None:
        request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
        for _ in range(100):
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    if response.status == 200 and "/login" not in response.url:
                        return
                    raise CommandError(f"{url}: phiên đăng nhập không được chấp nhận.")
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise CommandError("gunicorn không khởi động được.")

    def wrk(self, url: str, cookie: str, seconds: int, options) -> str:
        script = BENCH_DIR / "wrk.lua"
        command = [
            "wrk",
            "--threads",
            "2",
            "--connections",
            str(options["connections"]),
            "--duration",
            f"{seconds}s",
            "--timeout",
            "10s",
            "--script",
            str(script),
            "--header",
            f"Cookie: {cookie}",
            url,
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
        return done.stdout

    def report(self, results: dict, urls: dict[str, str]) -> None:
        out = self.stdout.write
        out("")
        out(
            f"{results['communes']} communes, {results['report_rows']} report rows; "
            f"dashboards over {results['communes_on_dashboard']} communes"
        )
        out(f"{'page':<10} {'queries':>7} {'req/s':>8} {'ratio':>6} {'p95 ms':>7}  goal")
        hello = results["hello_rps"]
        out(
            f"{'hello':<10} {results['queries_hello']:>7} {hello:>8} {1:>6} "
            f"{results['hello_p95_ms']:>7}  {urls['hello']}"
        )
        for page, (ratio_goal, p95_goal) in GOALS.items():
            ratio, p95 = results[f"{page}_ratio"], results[f"{page}_p95_ms"]
            met = ratio >= ratio_goal and p95 <= p95_goal
            out(
                f"{page:<10} {results[f'queries_{page}']:>7} {results[f'{page}_rps']:>8} "
                f"{ratio:>6} {p95:>7}  ≥ {ratio_goal} and ≤ {p95_goal} ms: "
                f"{'met' if met else 'NOT MET'}"
            )
        if "uncached_hello_rps" in results:
            out("rendered on every request (PAGE_CACHE_SECONDS=0):")
            for page in GOALS:
                out(
                    f"{page:<10} {results[f'uncached_queries_{page}']:>7} "
                    f"{results[f'uncached_{page}_rps']:>8} {results[f'uncached_{page}_ratio']:>6} "
                    f"{results[f'uncached_{page}_p95_ms']:>7}"
                )
        if "generate_seconds" in results:
            seconds = results["generate_seconds"]
            verdict = "met" if seconds <= GENERATE_GOAL_S else "NOT MET"
            out(f"data generation {seconds} s (goal < {GENERATE_GOAL_S} s): {verdict}")
        rss = results["worker_peak_rss_mb"]
        verdict = "met" if rss <= WORKER_RSS_GOAL_MB else "NOT MET"
        out(f"worker peak memory {rss} MB (goal < {WORKER_RSS_GOAL_MB} MB): {verdict}")
        self.report_reminders(results)
