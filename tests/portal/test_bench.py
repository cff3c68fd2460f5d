"""The benchmark: the synthetic data set agrees with the portal's own rules, the pages it
measures answer for the bench account, and the runner reads wrk and sums up correctly."""

from __future__ import annotations

import datetime
import io
import os
import random
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from org.models import Unit, User
from plans.models import CommunePlan, Period, ReportSummary, TargetResult
from plans.services.reporting import refresh_summaries
from portal import dashboards
from portal.bench import BENCH_USER, SUMMARY_COLUMNS, Sizes, generate, province_sizes
from portal.management.commands.bench import Run, parse_wrk, summarise, worker_peak_rss_mb

POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the data set is written with PostgreSQL's COPY"
)
SMALL = Sizes(provinces=3, communes=20, targets=7, months=6)


@given(
    provinces=st.integers(min_value=1, max_value=40),
    extra=st.integers(min_value=0, max_value=4000),
    seed=st.integers(min_value=0, max_value=10),
)
def test_province_sizes_add_up_with_the_largest_first(provinces, extra, seed) -> None:
    sizes = Sizes(provinces=provinces, communes=provinces + extra)
    counts = province_sizes(sizes, random.Random(seed))
    assert len(counts) == provinces
    assert sum(counts) == sizes.communes
    assert min(counts) >= 1
    assert counts[0] == max(counts)


def test_national_shape() -> None:
    counts = province_sizes(Sizes(), random.Random(2025))
    assert (len(counts), sum(counts), counts[0]) == (34, 3321, 148)


@pytest.fixture
def bench_set(db) -> dict[str, int]:
    return generate(SMALL, seed=7)


@POSTGRES_ONLY
def test_generates_the_promised_rows(bench_set) -> None:
    communes = SMALL.communes
    assert bench_set["org.Unit"] == SMALL.provinces + communes
    assert bench_set["plans.CommunePlan"] == communes
    assert bench_set["plans.TargetResult"] == communes * SMALL.targets * SMALL.months
    assert bench_set["plans.ReportSummary"] == communes * SMALL.months
    assert bench_set["inspections.Directive"] == communes * 5
    # The sequences moved past the explicit keys: the ORM can add rows afterwards.
    unit = Unit.objects.filter(code="B01").get()
    extra = Unit.objects.create(
        kind="commune", name="Thêm", code="B99999", parent=unit, valid_from=unit.valid_from
    )
    assert extra.pk > max(Unit.objects.exclude(pk=extra.pk).values_list("pk", flat=True))


@POSTGRES_ONLY
def test_summaries_are_what_the_report_services_write(bench_set) -> None:
    """Recomputing every plan's summaries with the portal's own service changes nothing."""
    plans = CommunePlan.objects.filter(unit__code__startswith="B").select_related("unit")
    first = Period.objects.get(kind="month", year=SMALL.year, index=1)

    def snapshot() -> list[tuple]:
        return list(
            ReportSummary.objects.filter(plan__in=plans)
            .order_by("plan", "period__start")
            .values_list("plan", "period", "on_time", *SUMMARY_COLUMNS)
        )

    before = snapshot()
    for plan in plans:
        refresh_summaries(plan, first)
    assert snapshot() == before
    # Every status occurs somewhere, so the dashboards have something to show.
    totals = [sum(row[3 + i] for row in before) for i in range(5)]
    assert all(totals[1:4]), totals


@POSTGRES_ONLY
def test_measured_pages_answer_with_fixed_queries(bench_set, client) -> None:
    user = User.objects.get(username=BENCH_USER)
    client.force_login(user)
    commune = Unit.objects.filter(parent=user.unit).order_by("code").first()
    urls = [
        "/ping/",
        f"/units/{commune.pk}/?year={SMALL.year}",
        f"/dashboard/?unit={user.unit_id}&year={SMALL.year}",
        f"/dashboard/overview/?unit={user.unit_id}&year={SMALL.year}",
    ]
    counts = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        assert len(queries) <= 30, (url, len(queries))
        counts.append(len(queries))
    # The same as `make bench` counts over 148 communes (rendered afresh: the tests' setting).
    # The commune page and the dashboard compare with the previous year (+2 and +4 queries).
    assert counts == [2, 26, 24, 16]
    communes = list(Unit.objects.filter(parent=user.unit).order_by("code"))
    period = Period.objects.get(kind="month", year=SMALL.year, index=SMALL.months)
    rows = dashboards.commune_rows(communes, SMALL.year, period, period.end)
    assert all(row.summary is not None and row.ntm_total for row in rows)


@POSTGRES_ONLY
def test_the_command_refuses_a_database_with_data(db) -> None:
    with pytest.raises(CommandError, match="đã có đơn vị"):
        call_command("bench_data", "--communes", "3", "--provinces", "1", stdout=io.StringIO())
    assert not TargetResult.objects.filter(report__plan__unit__code__startswith="B").exists()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="checks the SQLite refusal")
def test_the_commands_refuse_sqlite(db) -> None:
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench_data", stdout=io.StringIO())
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench", stdout=io.StringIO())
    with pytest.raises(RuntimeError):
        generate(SMALL)


def test_reads_wrk_output() -> None:
    run = parse_wrk("Running 10s test\nBENCH 1500 10000000 41000 12500 0\n")
    assert run == Run(rps=150.0, p95_ms=41.0, p50_ms=12.5)
    with pytest.raises(CommandError, match="3 yêu cầu lỗi"):
        parse_wrk("BENCH 1500 10000000 41000 12500 3\n")
    with pytest.raises(CommandError, match="không in kết quả"):
        parse_wrk("unable to connect to 127.0.0.1:8765\n")


def test_medians_and_per_round_ratios() -> None:
    hello = [Run(700, 10, 5), Run(800, 12, 5), Run(600, 11, 5)]
    runs = {
        "hello": hello,
        "commune": [Run(350, 40, 20), Run(400, 50, 20), Run(150, 45, 20)],
        "district": [Run(175, 90, 40)] * 3,
        "province": [Run(140, 100, 50)] * 3,
    }
    out = summarise(runs)
    assert out["hello_rps"] == 700 and out["commune_p95_ms"] == 45
    # Ratios are taken round by round (0.5, 0.5, 0.25), not as a ratio of medians.
    assert out["commune_ratio"] == 0.5
    assert out["district_ratio"] == round(175 / 700, 3)


def test_worker_memory_is_read_from_the_children() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; print('up', flush=True); time.sleep(10)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline() == "up\n"
        assert worker_peak_rss_mb(os.getpid()) > 0
    finally:
        child.kill()
        child.wait()


@POSTGRES_ONLY
def test_the_reminder_pass_costs_the_same_queries_however_many_it_reminds(bench_set) -> None:
    """Two days of the pass over the data set, one reminding far more than the other: the
    same queries, apart from the task queue's one row per 50 e-mails."""
    from portal.reminders import run_pass

    assert bench_set["org.User"] == SMALL.communes + SMALL.provinces - 1

    def pass_on(day: datetime.date) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            result = run_pass(day)
        queue = [q for q in captured if "django_tasks_database" in q["sql"]]
        return len(captured) - len(queue), result.reminders.reminders

    few_queries, few = pass_on(datetime.date(SMALL.year, 7, 1))
    many_queries, many = pass_on(datetime.date(SMALL.year, 12, 15))
    assert many > few * 3 and many > SMALL.communes
    assert many_queries == few_queries
    again_queries, none = pass_on(datetime.date(SMALL.year, 12, 15))
    assert none == 0 and again_queries <= few_queries  # nothing new: no deliveries to plan
