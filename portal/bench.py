"""A national-scale synthetic data set for the benchmark (`make bench`), written with COPY.

The shape is the country's after the 2025 reform: 34 provinces with 3 321 communes directly
under them; each commune has an approved plan of 30 targets and 8 tasks, 12 submitted
monthly reports with a value for every target (≈ 1.2 M report rows), the maintained monthly
summaries, a visit with five directives, an NTM assessment and a rating.

Summaries are computed with the portal's own functions (`plans.progress.line_for` and
`summary_counts`), so the dashboards show what the report services would have written. Rows
are written with COPY and explicit keys: no `save()`, no signals, no history rows — this is
a load-test data set, not a record.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from inspections.models import Directive, Issuer, Visit, VisitKind
from ntm.models import (
    Assessment,
    CriteriaSet,
    Indicator,
    IndicatorResult,
    NtmAssignment,
    NtmLevel,
    Rating,
    RatingLevel,
)
from ntm.services import load_shipped_sets
from org.models import Cluster, Field, Role, Unit, UnitKind, User
from plans.models import (
    Accumulation,
    CommunePlan,
    Direction,
    ItemKind,
    Period,
    PeriodKind,
    PlanItem,
    PlanStatus,
    ProgressReport,
    ReportStatus,
    ReportSummary,
    TargetResult,
    TaskProgress,
    TaskState,
    item_code,
)
from plans.progress import line_for, summary_counts
from plans.services.periods import create_periods
from portal import pagecache

BENCH_USER = "bench"
BENCH_PASSWORD = "bench12345"  # noqa: S105 - a local, throw-away benchmark database
# Communes of the largest province: the dashboards are measured on it.
LARGEST_PROVINCE = 148
CLUSTER_SIZE = 12
TASKS = ((ItemKind.KEY_TASK, 5), (ItemKind.BREAKTHROUGH, 3))
DIRECTIVES_PER_COMMUNE = 5

# (direction, accumulation, measure unit, target, baseline) — the kinds of targets plans have.
TARGET_KINDS = (
    (Direction.INCREASE, Accumulation.CUMULATIVE, "triệu đồng", 12000, None),
    (Direction.REACH, Accumulation.POINT, "%", 95, 80),
    (Direction.DECREASE, Accumulation.CUMULATIVE, "vụ", 24, None),
    (Direction.INCREASE, Accumulation.CUMULATIVE, "hộ", 120, None),
    (Direction.ZERO, Accumulation.CUMULATIVE, "vụ", 0, None),
    (Direction.REACH, Accumulation.POINT, "tiêu chí", 19, 15),
)


@dataclass(frozen=True)
class Sizes:
    provinces: int = 34
    communes: int = 3321
    targets: int = 30
    months: int = 12
    year: int = 2025


def province_sizes(sizes: Sizes, rng: random.Random) -> list[int]:
    """How many communes each province has: uneven, at least one each, summing to
    `communes`, the first one the largest (LARGEST_PROVINCE when the numbers allow)."""
    n, total = sizes.provinces, sizes.communes
    if n == 1:
        return [total]
    largest = max(min(LARGEST_PROVINCE, total - (n - 1)), -(-total // n))
    rest = total - largest
    weights = [rng.uniform(0.5, 1.5) for _ in range(n - 1)]
    counts = [max(1, min(largest, int(rest * w / sum(weights)))) for w in weights]
    # Settle the rounding one commune at a time, staying within 1 … largest.
    diff, i = rest - sum(counts), 0
    while diff:
        step = 1 if diff > 0 else -1
        if 1 <= counts[i % len(counts)] + step <= largest:
            counts[i % len(counts)] += step
            diff -= step
        i += 1
    return [largest, *counts]


class Writer:
    """COPY rows into a model's table with explicit keys following the table's current ones."""

    def __init__(self) -> None:
        self.cursor = connection.connection.cursor()
        self.counts: Counter[str] = Counter()
        self.models: set[type[models.Model]] = set()

    def next_id(self, model: type[models.Model]) -> int:
        return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def copy(self, model, names: str, rows: Iterable[Sequence], **fixed: Any) -> None:
        """COPY `rows` (values for the space-separated field `names`) with the `fixed`
        values appended to every row."""
        meta = model._meta
        fields = [meta.get_field(name) for name in [*names.split(), *fixed]]
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        table = connection.ops.quote_name(meta.db_table)
        tail = tuple(fixed.values())
        n = 0
        with self.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row, *tail))
                n += 1
        self.counts[meta.label] += n
        self.models.add(model)

    def reset_sequences(self) -> None:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(self.models)):
                cursor.execute(sql)


def _monthly_values(item: PlanItem, pace: float, months: int, rng: random.Random) -> list[Decimal]:
    """A commune's reported values for one target, month by month, around its pace."""
    values = []
    target = float(item.target_value)
    for month in range(1, months + 1):
        noise = rng.uniform(0.8, 1.2)
        if item.direction == Direction.ZERO:
            value = 1 if rng.random() < 0.004 * (2 - pace) else 0
        elif item.accumulation == Accumulation.CUMULATIVE and item.direction == Direction.DECREASE:
            value = round(target / 12 * noise / pace)
        elif item.accumulation == Accumulation.CUMULATIVE:
            value = round(target / 12 * pace * noise)
        else:  # a level moving from the baseline towards the target
            base = float(item.baseline or 0)
            value = round(base + (target - base) * month / 12 * pace * noise, 1)
            value = max(0, min(value, target * 1.05))
        values.append(Decimal(str(value)))
    return values


def monthly_lines(item: PlanItem, values: list[Decimal], periods: list[Period]) -> list:
    """The target's line at the end of each month, read the way the progress page reads it."""
    reported = [(period.end, value) for period, value in zip(periods, values, strict=True)]
    return [line_for(item, reported[: m + 1], period) for m, period in enumerate(periods)]


# The summary's count columns, in the order `summary_counts` gives them.
SUMMARY_COLUMNS = tuple(summary_counts([], []))


def _task_state(month: int, months: int, pace: float, rng: random.Random) -> str:
    share = month / months
    if rng.random() < share * pace * 0.8:
        return TaskState.DONE
    if rng.random() < 0.15 * (2 - pace):
        return TaskState.LATE
    return TaskState.IN_PROGRESS if month > 1 else TaskState.NOT_STARTED


class Generator:
    """One run of the generator: the random source, the writer and what later steps need."""

    def __init__(self, sizes: Sizes, seed: int, log: Callable[[str], None]) -> None:
        self.sizes, self.log = sizes, log
        self.rng = random.Random(seed)  # noqa: S311 - synthetic figures, not secrets
        self.write = Writer()
        self.now = timezone.now()
        self.started = time.monotonic()
        self.periods = sorted(
            (p for p in create_periods(sizes.year) if p.kind == PeriodKind.MONTH),
            key=lambda p: p.index,
        )[: sizes.months]
        self.fields = [f.pk for f in Field.objects.filter(parent__isnull=True)] or [
            Field.objects.create(code="kt", name="Kinh tế", order=1).pk,
            Field.objects.create(code="vh", name="Văn hóa – xã hội", order=2).pk,
        ]
        self.provinces: list[tuple[int, list[int]]] = []
        self.communes: list[int] = []
        self.pace: dict[int, float] = {}  # how well each commune does, around 1
        self.leader: User | None = None

    def elapsed(self) -> str:
        return f"{time.monotonic() - self.started:.1f} s"

    def field(self, n: int) -> int:
        return self.fields[n % len(self.fields)]

    def units(self) -> None:
        """Provinces with their communes directly under them, clusters, the bench account."""
        write, rng, year = self.write, self.rng, self.sizes.year
        day_one = datetime.date(2025, 7, 1)  # the reformed provinces and communes
        pk = write.next_id(Unit)
        rows = []
        for p, count in enumerate(province_sizes(self.sizes, rng), start=1):
            province, pk = pk, pk + 1
            rows.append((province, UnitKind.PROVINCE, f"Thử nghiệm {p:02d}", f"B{p:02d}", None))
            members = list(range(pk, pk + count))
            rows += [
                (c, UnitKind.COMMUNE, f"Xã số {n} ({p:02d})", f"B{p:02d}{n:03d}", province)
                for n, c in enumerate(members, start=1)
            ]
            pk += count
            self.provinces.append((province, members))
            self.communes += members
        write.copy(
            Unit, "id kind name code parent", rows,
            valid_from=day_one, other_names="", title="", created_at=self.now,
            updated_at=self.now,
        )  # fmt: skip
        self.pace = {c: rng.uniform(0.7, 1.15) for c in self.communes}

        pk = write.next_id(Cluster)
        clusters, members = [], []
        for province, communes in self.provinces:
            for n, start in enumerate(range(0, len(communes), CLUSTER_SIZE), start=1):
                clusters.append((pk, province, f"Cụm {n}"))
                members += [(pk, c) for c in communes[start : start + CLUSTER_SIZE]]
                pk += 1
        write.copy(Cluster, "id unit name", clusters, year=year, created_at=self.now,
                   updated_at=self.now)  # fmt: skip
        write.copy(Cluster.members.through, "cluster unit", members)
        self.leader = User.objects.create_user(
            BENCH_USER,
            password=BENCH_PASSWORD,
            role=Role.LEADER,
            unit_id=self.provinces[0][0],
            first_name="Lãnh đạo",
            last_name="thử tải",
        )
        self.log(f"  {len(self.provinces)} provinces, {len(self.communes)} communes")

    def people(self) -> None:
        """A staff account for every commune and a leader for every other province: whom
        the reminder pass reminds and tells of what stays overdue (no password: unusable)."""
        pk = self.write.next_id(User)
        rows = [
            (pk + n, f"xa{commune}", commune, Role.COMMUNE_STAFF, f"xa{commune}@bench.invalid")
            for n, commune in enumerate(self.communes)
        ]
        pk += len(rows)
        rows += [
            (
                pk + n,
                f"lanhdao{province}",
                province,
                Role.LEADER,
                f"lanhdao{province}@bench.invalid",
            )
            for n, (province, _members) in enumerate(self.provinces[1:])
        ]
        self.write.copy(
            User, "id username unit role email", rows,
            password="!", is_superuser=False, first_name="", last_name="thử tải",
            is_staff=False, is_active=True, date_joined=self.now, job_title="",
        )  # fmt: skip

    def plans(self) -> None:
        """An approved plan per commune; a submitted report per month with a value for every
        target and a state for every task; the summaries the report services would write."""
        write, rng, sizes, now = self.write, self.rng, self.sizes, self.now
        # Unsaved items: what `line_for` reads of a target of each kind.
        kinds = [
            PlanItem(direction=d, accumulation=a, measure_unit=u, target_value=Decimal(t),
                     baseline=None if b is None else Decimal(b))
            for d, a, u, t, b in TARGET_KINDS
        ]  # fmt: skip
        plan_id, item_id = write.next_id(CommunePlan), write.next_id(PlanItem)
        report_id, summary_id = write.next_id(ProgressReport), write.next_id(ReportSummary)
        plans, items, reports, results, tasks, summaries = [], [], [], [], [], []
        zone = timezone.get_current_timezone()
        for commune in self.communes:
            pace = self.pace[commune]
            plans.append((plan_id, commune))
            targets = []
            for n in range(sizes.targets):
                kind = kinds[n % len(kinds)]
                items.append(
                    (item_id, plan_id, ItemKind.TARGET, n + 1, item_code(ItemKind.TARGET, n + 1),
                     f"Chỉ tiêu {n + 1}",
                     self.field(n), kind.measure_unit, kind.direction, kind.baseline,
                     kind.target_value, kind.accumulation)
                )  # fmt: skip
                values = _monthly_values(kind, pace * rng.uniform(0.85, 1.1), sizes.months, rng)
                targets.append((item_id, values, monthly_lines(kind, values, self.periods)))
                item_id += 1
            task_ids = []
            for kind_code, count in TASKS:
                for n in range(count):
                    items.append(
                        (item_id, plan_id, kind_code, n + 1, item_code(kind_code, n + 1),
                         f"Nhiệm vụ {n + 1}", self.field(n),
                         "", "", None, None, "")
                    )  # fmt: skip
                    task_ids.append(item_id)
                    item_id += 1
            for m, period in enumerate(self.periods):
                late = rng.random() < 0.06 * (2 - pace)
                shift = rng.randint(1, 9) if late else -rng.randint(0, 4)
                day = period.report_deadline + datetime.timedelta(days=shift)
                submitted = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=zone)
                reports.append((report_id, plan_id, period.pk, submitted))
                lines, progress = [], []
                for target, values, target_lines in targets:
                    results.append((report_id, target, values[m]))
                    lines.append(target_lines[m])
                for task in task_ids:
                    state = _task_state(m + 1, sizes.months, pace, rng)
                    tasks.append((report_id, task, state))
                    progress.append(TaskProgress(state=state))
                counts = summary_counts(lines, progress)
                summaries.append(
                    (summary_id, plan_id, commune, period.pk, report_id, submitted, not late,
                     *(counts[c] for c in SUMMARY_COLUMNS))
                )  # fmt: skip
                summary_id += 1
                report_id += 1
            plan_id += 1
        self.log(f"  computed {len(results)} report rows at {self.elapsed()}")

        write.copy(
            CommunePlan, "id unit", plans,
            year=sizes.year, title=f"Kế hoạch cụ thể hóa năm {sizes.year}", number="",
            status=PlanStatus.APPROVED, version=1, revision=0, revision_reason="",
            revision_decision="", created_at=now, updated_at=now,
        )  # fmt: skip
        write.copy(
            PlanItem,
            "id plan kind order code text field measure_unit direction baseline target_value "
            "accumulation",
            items,
            responsible="UBND xã", created_at=now, updated_at=now,
        )  # fmt: skip
        write.copy(
            ProgressReport, "id plan period submitted_at", reports,
            status=ReportStatus.SUBMITTED, results="", shortcomings="", causes="",
            next_tasks="", late_reason="", version=1, submitted_by=self.leader.pk,
            created_at=now, updated_at=now,
        )  # fmt: skip
        write.copy(TargetResult, "report item value", results, note="", evidence="")
        write.copy(TaskProgress, "report item state", tasks, note="")
        write.copy(
            ReportSummary,
            "id plan unit period report submitted_at on_time " + " ".join(SUMMARY_COLUMNS),
            summaries,
            updated_at=now,
        )
        self.log(f"  plans and reports written at {self.elapsed()}")

    def inspections(self) -> None:
        """A visit to every commune with five directives, some closed, some overdue."""
        write, rng, year = self.write, self.rng, self.sizes.year
        visit_id, visits, directives = write.next_id(Visit), [], []
        for commune in self.communes:
            visit_day = datetime.date(year, 3, rng.randint(1, 28))
            visits.append((visit_id, commune, visit_day))
            for n in range(DIRECTIVES_PER_COMMUNE):
                deadline = visit_day + datetime.timedelta(days=rng.randint(30, 300))
                done = rng.random() < 0.6 * self.pace[commune]
                completed = deadline + datetime.timedelta(days=rng.randint(-20, 25))
                directives.append(
                    (visit_id, commune, n + 1, f"Chỉ đạo số {n + 1}", self.field(n), deadline,
                     completed if done else None, self.leader.pk if done else None)
                )  # fmt: skip
            visit_id += 1
        write.copy(
            Visit, "id host date", visits,
            kind=VisitKind.PLAN_INSPECTION, part_of_day="morning",
            chair_role="Phó Chủ tịch UBND tỉnh", topic="Kiểm tra thực hiện kế hoạch",
            attendees="", notice_number="", notice_place="", recipients="",
            issuer=Issuer.STATE, signer_name="", created_at=self.now, updated_at=self.now,
        )  # fmt: skip
        write.copy(
            Directive, "visit unit order text field deadline completed_on verified_by",
            directives,
            lead="UBND xã", cooperating="", created_at=self.now, updated_at=self.now,
        )  # fmt: skip

    def ntm_and_ratings(self) -> None:
        """The shipped criteria sets; an appraised assessment per commune, an assignment for
        one commune in nine; a year-end rating per commune."""
        write, rng, year = self.write, self.rng, self.sizes.year
        load_shipped_sets(Path(settings.BASE_DIR) / "data" / "ntm")
        basic = (
            CriteriaSet.objects.filter(level=NtmLevel.BASIC, valid_from__year__lte=year)
            .order_by("-valid_from")
            .first()
        )
        if basic is not None:
            indicators = list(
                Indicator.objects.filter(criterion__criteria_set=basic).values_list("pk", flat=True)
            )
            pk, assessments, answers = write.next_id(Assessment), [], []
            for commune in self.communes:
                assessments.append((pk, commune))
                share = min(0.98, 0.55 * self.pace[commune] + 0.2)
                for indicator in indicators:
                    met = rng.random() < share
                    answers.append((pk, indicator, met, met or rng.random() < 0.2))
                pk += 1
            write.copy(
                Assessment, "id unit", assessments, criteria_set=basic.pk, year=year, region=""
            )
            write.copy(
                IndicatorResult, "assessment indicator appraised_met self_met", answers,
                self_note="", appraised_note="",
            )  # fmt: skip
            write.copy(
                NtmAssignment, "unit", ((c,) for c in self.communes[::9]),
                year=year, level=NtmLevel.BASIC, criteria_set=basic.pk,
                source="Nghị quyết giao chỉ tiêu",
            )  # fmt: skip
        levels = RatingLevel.values
        write.copy(
            Rating, "unit level",
            ((c, levels[min(3, int(rng.random() * 3.3 / self.pace[c]))]) for c in self.communes),
            organisation="", year=year, note="",
        )  # fmt: skip


def generate(
    sizes: Sizes | None = None,
    *,
    seed: int = 2025,
    log: Callable[[str], None] = lambda _line: None,
) -> dict[str, int]:
    """Write the data set in one transaction; returns the number of rows per model."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The benchmark data set is written with PostgreSQL's COPY.")
    with transaction.atomic():
        run = Generator(sizes or Sizes(), seed, log)
        run.units()
        run.people()
        run.plans()
        run.inspections()
        run.ntm_and_ratings()
        run.write.reset_sequences()
    pagecache.bump()  # COPY sends no signals
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"  done in {run.elapsed()}")
    return dict(run.write.counts)
