/* Dashboard charts: targets by status per commune, and the trend over the year's periods.
   The numbers come from the page (json_script); without JavaScript the tables show them. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var colours = {
    achieved: "#16a34a",
    on_track: "#2563eb",
    at_risk: "#d97706",
    behind: "#dc2626",
    no_data: "#9ca3af"
  };
  function datasets(series, stacked) {
    return data.statuses.map(function (status) {
      return {
        label: status.label,
        data: series[status.key],
        backgroundColor: colours[status.key],
        borderColor: colours[status.key],
        stack: stacked ? "targets" : undefined,
        fill: false,
        tension: 0.2
      };
    });
  }
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;
  var communes = document.getElementById("chart-communes");
  if (communes && data.communes.labels.length) {
    new Chart(communes, {
      type: "bar",
      data: { labels: data.communes.labels, datasets: datasets(data.communes.series, true) },
      options: {
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: communes.dataset.yLabel } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
    communes.closest("figure").classList.add("chart--drawn");
  }
  var trend = document.getElementById("chart-trend");
  if (trend && data.trend.labels.length) {
    new Chart(trend, {
      type: "line",
      data: { labels: data.trend.labels, datasets: datasets(data.trend.series, false) },
      options: {
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: trend.dataset.yLabel } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
    trend.closest("figure").classList.add("chart--drawn");
  }
})();
