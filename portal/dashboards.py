"""What leaders read: one row per commune combining plans, progress, inspections, NTM and
ratings — the only module besides the url conf that looks at both apps.

Every figure comes from maintained rows (`ReportSummary` per plan and period, directive
deadlines, assessment results, ratings) with one query per kind of data, so a dashboard costs
the same number of queries for 3 communes or 300. Nothing here aggregates raw report values.
One commune's page adds its plan's progress and its recent activity (`unit_progress`,
`unit_activity`), again a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext_lazy as _

from inspections.models import Directive, Visit
from inspections.rates import DONE_LATE, DONE_ON_TIME, rates
from ntm.distance import distance
from ntm.models import (
    Assessment,
    Criterion,
    Indicator,
    IndicatorResult,
    NtmAssignment,
    Rating,
    RatingLevel,
)
from org.models import Cluster, Unit
from plans.models import (
    CommunePlan,
    Period,
    PeriodKind,
    PlanStatus,
    ReportSummary,
    communes_schedules,
)
from plans.models.periods import shift_year
from plans.progress import plan_targets, target_lines

STATUS_FIELDS = (
    ("targets_achieved", "achieved", _("Đạt")),
    ("targets_on_track", "on_track", _("Đúng tiến độ")),
    ("targets_at_risk", "at_risk", _("Có nguy cơ")),
    ("targets_behind", "behind", _("Chậm")),
    ("targets_no_data", "no_data", _("Chưa có số liệu")),
)
# A commune needs attention when this many targets are behind or at risk.
ATTENTION_TARGETS = 3
RATING_ORDER = {level: i for i, level in enumerate(RatingLevel.values)}
# What plans.ntm.result_met reads of an indicator result.
RESULT_COLUMNS = (
    "assessment_id",
    "indicator_id",
    "self_met",
    "self_value",
    "appraised_met",
    "appraised_value",
)


@dataclass
class Row:
    """One commune on a dashboard. Read its figures once `summary` is set."""

    unit: Unit
    clusters: list[str] = field(default_factory=list)
    summary: ReportSummary | None = None
    directives_open: int = 0
    directives_overdue: int = 0
    ntm_met: int | None = None
    ntm_total: int | None = None
    ntm_level: str = ""
    rating: Rating | None = None
    has_plan: bool = False  # an approved plan for the year: something to report on
    overdue: bool = False  # the period's report deadline (its own, if extended) has passed
    # The same period of the previous year, for comparison: its summary, and the directives
    # due from 1 January to the period's end (this year, last year) and those done on time.
    last_year: ReportSummary | None = None
    directives_due: int = 0
    directives_on_time: int = 0
    last_directives_due: int = 0
    last_directives_on_time: int = 0

    @cached_property
    def targets(self) -> list[tuple[str, str, int]]:
        """(status key, label, count) for the period, in the official order."""
        s = self.summary
        return [(key, label, getattr(s, name) if s else 0) for name, key, label in STATUS_FIELDS]

    @cached_property
    def target_total(self) -> int:
        return sum(count for _key, _label, count in self.targets)

    @property
    def lagging(self) -> int:
        s = self.summary
        return (s.targets_behind + s.targets_at_risk) if s else 0

    @property
    def tasks_total(self) -> int:
        s = self.summary
        if s is None:
            return 0
        return s.tasks_not_started + s.tasks_in_progress + s.tasks_done + s.tasks_late

    @property
    def good_share(self) -> float | None:
        """Share of targets achieved or on track: the ranking measure."""
        return self.summary.good_share if self.summary is not None else None

    @property
    def last_good_share(self) -> float | None:
        """`good_share` in the same period of the previous year."""
        return self.last_year.good_share if self.last_year is not None else None

    @property
    def good_change(self) -> int | None:
        """Percentage points gained (or lost) on the same period of the previous year."""
        now, then = self.good_share, self.last_good_share
        return None if now is None or then is None else round(100 * now) - round(100 * then)

    @property
    def report_state(self) -> tuple[str, str]:
        """(class, label) of the period's report: none owed, not sent, on time or late."""
        s = self.summary
        if not self.has_plan:
            return "muted", _("chưa có kế hoạch")
        if s is None or s.submitted_at is None:
            return ("bad", _("quá hạn, chưa gửi")) if self.overdue else ("muted", _("chưa gửi"))
        if s.on_time:
            return "ok", _("đúng hạn")
        if s.on_time is False:
            return "warn", _("trễ hạn")
        return "", _("đã gửi")

    @property
    def reasons(self) -> list[str]:
        """Why the commune needs attention; empty when it does not."""
        reasons = []
        if not self.has_plan:
            reasons.append(_("chưa có kế hoạch được duyệt"))
        elif self.summary is None or self.summary.submitted_at is None:
            # before the deadline a missing report is not yet a concern
            if self.overdue:
                reasons.append(_("quá hạn chưa gửi báo cáo kỳ này"))
        elif self.summary.on_time is False:
            reasons.append(_("báo cáo trễ hạn"))
        if self.lagging >= ATTENTION_TARGETS:
            reasons.append(_("%(n)s chỉ tiêu chậm hoặc có nguy cơ") % {"n": self.lagging})
        if self.directives_overdue:
            reasons.append(_("%(n)s chỉ đạo quá hạn") % {"n": self.directives_overdue})
        return reasons


SORTS = {
    "name": lambda row: row.unit.code,
    "lagging": lambda row: -row.lagging,
    "overdue": lambda row: -row.directives_overdue,
    "good": lambda row: -(row.good_share or 0),
    "ntm": lambda row: -(row.ntm_met or 0),
    "report": lambda row: (row.summary is None, row.summary.on_time is False if row.summary else 0),
}


def directive_counts(directives, key: str, today: datetime.date) -> dict[int, tuple[int, int]]:
    """(open, overdue) directives per value of `key`, in one GROUP BY."""
    rows = (
        directives.order_by()
        .values(key)
        .annotate(
            open=Count("pk", filter=Q(completed_on__isnull=True)),
            overdue=Count("pk", filter=Q(completed_on__isnull=True, deadline__lt=today)),
        )
    )
    return {row[key]: (row["open"], row["overdue"]) for row in rows}


def default_period(units: list[Unit], year: int) -> Period | None:
    """The latest period of the year with a report from one of the units (monthly first)."""
    latest = (
        ReportSummary.objects.filter(unit__in=units, period__year=year, report__isnull=False)
        .select_related("period")
        .order_by("-period__end", "period__start")
        .first()
    )
    if latest is not None:
        return latest.period
    return Period.objects.filter(year=year).order_by("end", "-start").first()


def commune_rows(
    units: list[Unit], year: int, period: Period | None, today: datetime.date
) -> list[Row]:
    """Everything a dashboard shows for these communes: nine queries whatever their number."""
    rows = {unit.pk: Row(unit=unit) for unit in units}
    for cluster in Cluster.objects.filter(year=year, members__in=units).values("name", "members"):
        rows[cluster["members"]].clusters.append(cluster["name"])
    for unit_id in CommunePlan.objects.filter(
        unit__in=units, year=year, status=PlanStatus.APPROVED
    ).values_list("unit_id", flat=True):
        rows[unit_id].has_plan = True
    if period is not None:
        # The summary of the plan in force: a superseded plan's rows stay out.
        for summary in ReportSummary.objects.filter(
            unit__in=units, period=period, plan__status=PlanStatus.APPROVED
        ):
            rows[summary.unit_id].summary = summary
        timing = communes_schedules([period], [(unit.parent_id, unit.pk) for unit in units])
        for unit in units:
            deadline = timing[unit.pk][period.pk].deadline
            rows[unit.pk].overdue = deadline is not None and today > deadline
    for unit_id, (open_, overdue) in directive_counts(
        Directive.objects.filter(unit__in=units), "unit", today
    ).items():
        rows[unit_id].directives_open, rows[unit_id].directives_overdue = open_, overdue
    for assignment in NtmAssignment.objects.filter(unit__in=units, year=year):
        rows[assignment.unit_id].ntm_level = assignment.get_level_display()
    _ntm(rows, units, year)
    for rating in Rating.objects.filter(unit__in=units, year=year, quarter__isnull=True):
        # The unit's own rating; failing that, its lowest-rated organisation.
        row = rows[rating.unit_id]
        if row.rating is None or _rating_rank(rating) < _rating_rank(row.rating):
            row.rating = rating
    return list(rows.values())


def compare_with_last_year(rows: list[Row], period: Period) -> Period | None:
    """Fill each row's figures for the same period of the previous year (the same kind and
    index) and the directives due up to the period's end in both years. Three queries; the
    previous year's period, or None when it was not opened."""
    by_unit = {row.unit.pk: row for row in rows}
    previous = Period.objects.filter(
        year=period.year - 1, kind=period.kind, index=period.index
    ).first()
    if previous is not None:
        for summary in ReportSummary.objects.filter(
            unit__in=by_unit, period=previous, plan__status=PlanStatus.APPROVED
        ):
            by_unit[summary.unit_id].last_year = summary
    this_year = Q(deadline__gte=datetime.date(period.year, 1, 1), deadline__lte=period.end)
    last_year = Q(
        deadline__gte=datetime.date(period.year - 1, 1, 1),
        deadline__lte=shift_year(period.end, period.end.year - 1),
    )
    for counts in (
        Directive.objects.filter(this_year | last_year, unit__in=by_unit)
        .values("unit")
        .annotate(
            due=Count("pk", filter=this_year),
            done=Count("pk", filter=this_year & DONE_ON_TIME),
            last_due=Count("pk", filter=last_year),
            last_done=Count("pk", filter=last_year & DONE_ON_TIME),
        )
    ):
        row = by_unit[counts["unit"]]
        row.directives_due, row.directives_on_time = counts["due"], counts["done"]
        row.last_directives_due, row.last_directives_on_time = (
            counts["last_due"],
            counts["last_done"],
        )
    return previous


def _rating_rank(rating: Rating) -> tuple[bool, int]:
    return (rating.organisation != "", -RATING_ORDER[rating.level])


def _ntm(rows: dict[int, Row], units: list[Unit], year: int) -> None:
    """Criteria met per commune, from the year's assessments (the appraisal when present)."""
    assessments = list(Assessment.objects.filter(unit__in=units, year=year))
    if not assessments:
        return
    sets = {a.criteria_set_id for a in assessments}
    criteria: dict[int, list[Criterion]] = defaultdict(list)
    for criterion in Criterion.objects.filter(criteria_set__in=sets).order_by("number"):
        criteria[criterion.criteria_set_id].append(criterion)
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(criterion__criteria_set__in=sets):
        indicators[indicator.criterion_id].append(indicator)
    # Plain rows, not model instances: a province's communes have tens of thousands.
    results: dict[int, dict[int, IndicatorResult]] = defaultdict(dict)
    for result in IndicatorResult.objects.filter(assessment__in=assessments).values_list(
        *RESULT_COLUMNS, named=True
    ):
        results[result.assessment_id][result.indicator_id] = result
    for assessment in assessments:
        gap = distance(
            criteria[assessment.criteria_set_id],
            indicators,
            results[assessment.pk],
            assessment.region,
        )
        row = rows[assessment.unit_id]
        # Of several sets assessed the same year, show the one closest to its standard.
        if row.ntm_met is None or gap.met > row.ntm_met:
            row.ntm_met, row.ntm_total = gap.met, gap.total


def cluster_ranking(rows: list[Row]) -> list[tuple[str, float, int]]:
    """(cluster, share of targets achieved or on track, communes), best first."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        for name in row.clusters:
            totals[name][2] += 1
            if row.summary is not None:
                totals[name][0] += row.summary.targets_achieved + row.summary.targets_on_track
                totals[name][1] += row.target_total
    ranking = [
        (name, good / total if total else 0.0, n) for name, (good, total, n) in totals.items()
    ]
    return sorted(ranking, key=lambda item: (-item[1], item[0]))


def trend(units: list[Unit], year: int, kind: str = PeriodKind.MONTH) -> list[dict]:
    """Targets by status summed over the communes, per period of the year (one query)."""
    sums = {name: Sum(name) for name, _key, _label in STATUS_FIELDS}
    return list(
        ReportSummary.objects.filter(
            unit__in=units, period__year=year, period__kind=kind, plan__status=PlanStatus.APPROVED
        )
        .values("period__year", "period__index", "period__start", "period__end")
        .annotate(**sums)
        .order_by("period__start")
    )


def child_rows(
    children: list[Unit],
    year: int,
    period: Period | None,
    today: datetime.date,
    visible: set[int] | None = None,
) -> list[dict]:
    """A province's districts (before 2025), each summing its communes' maintained rows;
    only the communes in `visible` when it is given (an inspector's delegations)."""
    sums = {name: Sum(name) for name, _key, _label in STATUS_FIELDS}
    by_district: dict[int, dict] = {
        child.pk: {"unit": child, "communes": 0, "reported": 0, "late": 0} for child in children
    }
    only = Q() if visible is None else Q(unit__in=visible)
    for row in (
        Unit.objects.planning()
        .valid_in_year(year)
        .filter(parent__in=children)
        .filter(Q() if visible is None else Q(pk__in=visible))
        .values("parent")
        .annotate(n=Count("pk"))
    ):
        by_district[row["parent"]]["communes"] = row["n"]
    if period is not None:
        for row in (
            ReportSummary.objects.filter(
                only, unit__parent__in=children, period=period, plan__status=PlanStatus.APPROVED
            )
            .values("unit__parent")
            .annotate(
                reported=Count("pk", filter=Q(report__isnull=False)),
                late=Count("pk", filter=Q(on_time=False)),
                **sums,
            )
        ):
            by_district[row.pop("unit__parent")].update(row)
    directives = Directive.objects.filter(only, unit__parent__in=children)
    for district, (open_, overdue) in directive_counts(directives, "unit__parent", today).items():
        by_district[district].update(open=open_, overdue=overdue)
    for entry in by_district.values():
        entry["targets"] = [
            (key, label, entry.get(name) or 0) for name, key, label in STATUS_FIELDS
        ]
    return list(by_district.values())


def restrict_directives(rows: list[Row], units: list[Unit], field, today: datetime.date) -> None:
    """Recount the directives of one field only (the dashboard's field filter)."""
    directives = Directive.objects.filter(unit__in=units, field=field)
    counts = directive_counts(directives, "unit", today)
    for row in rows:
        row.directives_open, row.directives_overdue = counts.get(row.unit.pk, (0, 0))


def chart_data(rows: list[Row], periods: list[dict]) -> dict:
    """What the two charts draw (the page shows the same numbers as tables)."""
    counts = [{key: count for key, _label, count in row.targets} for row in rows]
    keys = [key for _name, key, _label in STATUS_FIELDS]
    return {
        "statuses": [{"key": key, "label": str(label)} for _name, key, label in STATUS_FIELDS],
        "communes": {
            "labels": [row.unit.short_name for row in rows],
            "series": {key: [c[key] for c in counts] for key in keys},
        },
        "trend": {
            "labels": [period_label(p) for p in periods],
            "series": {key: [p[name] or 0 for p in periods] for name, key, _label in STATUS_FIELDS},
        },
    }


QUARTERS = ("I", "II", "III", "IV")


def period_label(p: dict, kind: str = PeriodKind.MONTH) -> str:
    """A trend row's period by its own month or quarter (its data may start the month
    before, on the 15th): "01/2023", "Quý I/2023"."""
    if kind == PeriodKind.QUARTER:
        return f"{_('Quý')} {QUARTERS[p['period__index'] - 1]}/{p['period__year']}"
    return f"{p['period__index']:02d}/{p['period__year']}"


def directive_trend(units: list[Unit], year: int) -> list[tuple[str, list[int]]]:
    """Directives by the month they fall due in `year`: (month, [due, done on time, done
    late, not done]). One query."""
    months = (
        Directive.objects.filter(unit__in=units, deadline__year=year)
        .annotate(month=ExtractMonth("deadline"))
        .values("month")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=DONE_ON_TIME),
            late=Count("pk", filter=DONE_LATE),
            not_done=Count("pk", filter=Q(completed_on__isnull=True)),
        )
        .order_by("month")
    )
    return [
        (f"{m['month']:02d}/{year}", [m["due"], m["on_time"], m["late"], m["not_done"]])
        for m in months
    ]


def trend_table(periods: list[dict], kind: str = PeriodKind.MONTH) -> list[tuple[str, list[int]]]:
    """The trend's numbers as table rows: (month or quarter, counts by status)."""
    return [
        (period_label(p, kind), [p[name] or 0 for name, _key, _label in STATUS_FIELDS])
        for p in periods
    ]


def unit_progress(unit: Unit, plans: list[CommunePlan], year: int) -> dict[str, object]:
    """One commune's plan in force for `year` among `plans` (latest revision first), its
    summaries for the year's periods, the latest one reported and each target's line then."""
    plan = next(
        (p for p in plans if p.year == year and p.status == PlanStatus.APPROVED),
        next((p for p in plans if p.year == year), None),
    )
    summaries = list(
        ReportSummary.objects.filter(unit=unit, period__year=year, plan=plan)
        .select_related("period")
        .order_by("period__kind", "period__index")
    )
    reported = [s for s in summaries if s.submitted_at is not None]
    latest = max(reported, key=lambda s: (s.period.end, -s.period.start.toordinal()), default=None)
    lines = (
        target_lines(plan, latest.period, plan_targets(plan))
        if plan is not None and latest is not None
        else []
    )
    return {"plan": plan, "summaries": summaries, "latest": latest, "lines": lines}


def unit_activity(unit: Unit, year: int, today: datetime.date) -> dict[str, object]:
    """One commune's directives (rates and the first open ones), latest visits, and the
    year's NTM levels assigned and ratings."""
    directives = Directive.objects.filter(unit=unit)
    return {
        "rates": rates(directives, today),
        "open_directives": list(
            directives.open().select_related("visit").order_by("deadline")[:10]
        ),
        "visits": list(Visit.objects.filter(host=unit).order_by("-date")[:5]),
        "assignments": list(NtmAssignment.objects.filter(unit=unit, year=year)),
        "ratings": list(Rating.objects.filter(unit=unit, year=year).order_by("organisation")),
    }
