"""Load the demo programmes and commune plans from `data/demo/*.toml`.

Idempotent: programmes are matched on (unit, year, kind), plans on (unit, year), items on
their position within their kind; rows are saved only when they changed, and surplus items
from an earlier load are removed.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from org.models import Field
from plans.models import (
    Accumulation,
    CommunePlan,
    Direction,
    ItemKind,
    Period,
    PlanItem,
    PlanStatus,
    Programme,
    ProgrammeItem,
    ProgressReport,
    ReportStatus,
    TargetResult,
    TaskProgress,
    TaskState,
    default_combination,
)
from plans.services import refresh_summaries
from portal.demo.reference import decimal_or_none, resolve_unit, upsert


def _fields() -> dict[str, Field]:
    return {field.code: field for field in Field.objects.all()}


def load_programmes(rows: list[dict]) -> None:
    fields = _fields()
    for row in rows:
        unit = resolve_unit(row["unit"], datetime.date(row["year"], 1, 1))
        programme = upsert(
            Programme,
            {"unit": unit, "year": row["year"], "kind": row["kind"]},
            {
                "number": row["number"],
                "issued_on": row["issued_on"],
                "title": row["title"],
                "motto": row.get("motto", ""),
                "term_note": row.get("term_note", ""),
            },
        )
        kept = []
        for position, item_row in enumerate(row.get("item", []), start=1):
            item = upsert(
                ProgrammeItem,
                {"programme": programme, "code": item_row["key"]},
                {
                    "kind": item_row["kind"],
                    "order": position,
                    "field": fields[item_row["field"]],
                    "text": item_row["text"],
                    "measure_unit": item_row.get("measure_unit", ""),
                    "direction": item_row.get("direction", ""),
                    "value": decimal_or_none(item_row.get("value")),
                    "combination": _combination(item_row),
                },
            )
            kept.append(item.pk)
        for surplus in programme.items.exclude(pk__in=kept):
            surplus.delete()


def _combination(item_row: dict) -> str:
    """A target says how the communes' values combine; the data may say, else its unit."""
    if item_row["kind"] != ItemKind.TARGET:
        return ""
    return item_row.get("combination") or default_combination(item_row.get("measure_unit", ""))


def _source_items(plan: CommunePlan, refs: list[str]) -> list[ProgrammeItem]:
    """Resolve "party:KT1" references against the programmes the plan concretizes."""
    items = []
    for ref in refs:
        kind, _sep, code = ref.partition(":")
        item = ProgrammeItem.objects.filter(
            programme__in=plan.programmes.all(), programme__kind=kind, code=code
        ).first()
        if item is None:
            raise ValidationError(f"{plan}: không tìm thấy nội dung {ref} của cấp trên.")
        items.append(item)
    return items


def load_plans(rows: list[dict]) -> None:
    fields = _fields()
    for row in rows:
        plan = _plan(row)
        _plan_items(plan, row.get("item", []), fields)


def _plan(row: dict) -> CommunePlan:
    """The plan's header, linked to the programmes of the level above that it concretizes."""
    year = row["year"]
    unit = resolve_unit(row["unit"], datetime.date(year, 1, 1))
    plan = upsert(
        CommunePlan,
        {"unit": unit, "year": year, "revision": 0},
        {
            "number": row.get("number", ""),
            "issued_on": row.get("issued_on"),
            "title": row["title"],
            "status": row["status"],
        },
    )
    plan.programmes.set(
        Programme.objects.filter(unit=unit.parent, year=year, kind__in=row["programmes"])
    )
    return plan


def _plan_items(plan: CommunePlan, rows: list[dict], fields: dict[str, Field]) -> None:
    """The plan's items, numbered within their kind; items of an earlier load beyond them go."""
    kept = []
    positions: dict[str, int] = {}
    for item_row in rows:
        kind = item_row["kind"]
        positions[kind] = positions.get(kind, 0) + 1
        item = upsert(
            PlanItem,
            {"plan": plan, "kind": kind, "order": positions[kind]},
            {
                "text": item_row["text"],
                "field": fields[item_row["field"]],
                "responsible": item_row.get("responsible", ""),
                "deadline": item_row.get("deadline"),
                "measure_unit": item_row.get("measure_unit", ""),
                "direction": item_row.get("direction", ""),
                "baseline": decimal_or_none(item_row.get("baseline")),
                "target_value": decimal_or_none(item_row.get("target_value")),
                "accumulation": item_row.get("accumulation", ""),
                "base": decimal_or_none(item_row.get("base")),
            },
        )
        item.source_items.set(_source_items(plan, item_row.get("derives_from", [])))
        kept.append(item.pk)
    for surplus in plan.items.exclude(pk__in=kept):
        surplus.delete()


# --- Progress reports (generated from data/demo/progress.toml) --------------------------

DEMO_REASON = "Dữ liệu mẫu"
CENT = Decimal("0.01")


def _rng(*parts: object) -> random.Random:
    return random.Random("|".join(str(part) for part in parts))  # noqa: S311 - demo values


def _generated_value(
    item: PlanItem, period: Period, pace: float, override: float | None, rng: random.Random
) -> Decimal:
    """A plausible value for a target at the end of a period, for a commune at `pace`."""
    target = float(item.target_value)
    baseline = float(item.baseline) if item.baseline is not None else None
    elapsed = float(period.elapsed_share)
    # The period's own share of the year, in days: a reporting month may run 15/12–14/01.
    share = ((period.end - period.start).days + 1) / 365
    noise = 1 + rng.uniform(-0.03, 0.03)
    if item.direction == Direction.ZERO:
        value = 1.0 if pace < 0.8 and elapsed >= 0.5 else 0.0
    elif override is not None:
        start = baseline if baseline is not None else target
        value = start + (override - start) * elapsed
    elif item.accumulation == Accumulation.CUMULATIVE:
        factor = pace if item.direction != Direction.DECREASE else 2 - pace
        value = target * share * factor * noise
    elif item.direction == Direction.DECREASE:
        start = baseline if baseline is not None else target * 1.2
        value = start - (start - target) * elapsed * pace * noise
    elif item.direction == Direction.MAINTAIN:
        value = target if pace >= 1 else target * 0.99
    elif baseline is not None and target > baseline:
        value = baseline + (target - baseline) * elapsed * pace * noise
    else:
        value = target * min(1.0, (0.9 + 0.1 * elapsed) * pace) * noise
    if item.measure_unit.strip() == "%":
        value = min(value, 100.0)
    return Decimal(str(max(value, 0.0))).quantize(CENT)


def _task_state(period: Period, pace: float, rng: random.Random) -> str:
    progress = float(period.elapsed_share) * pace * rng.uniform(0.85, 1.15)
    if progress >= 0.95:
        return TaskState.DONE
    if pace < 0.9 and float(period.elapsed_share) >= 0.5 and rng.random() < 0.5:
        return TaskState.LATE
    if float(period.elapsed_share) >= 0.08:
        return TaskState.IN_PROGRESS
    return TaskState.NOT_STARTED


def _narrative(plan: CommunePlan, period: Period, pace: float) -> dict[str, str]:
    name = plan.unit.full_name
    label = period.label[0].lower() + period.label[1:]
    behind = pace < 0.9
    return {
        "results": f"Trong {label}, Đảng ủy, UBND {name.lower()} tập trung lãnh đạo thực hiện "
        "các nhiệm vụ trọng tâm; sản xuất nông nghiệp ổn định, an ninh chính trị, trật tự an "
        "toàn xã hội được giữ vững.",
        "shortcomings": "Một số chỉ tiêu đạt thấp so với tiến độ; công tác tuyên truyền có "
        "lúc chưa thường xuyên."
        if behind
        else "Một số nội dung triển khai còn chậm so với kế hoạch đề ra.",
        "causes": "Giá vật tư nông nghiệp tăng cao, thời tiết diễn biến bất thường; sự phối "
        "hợp giữa các ngành có lúc chưa chặt chẽ.",
        "next_tasks": "Tiếp tục tập trung chỉ đạo các chỉ tiêu còn thấp; tăng cường kiểm "
        "tra, đôn đốc; phát huy vai trò của Mặt trận và các đoàn thể.",
    }


def load_progress(config: dict) -> None:
    """Submitted reports for the approved plans over the configured spans (idempotent)."""
    defaults = config["defaults"]
    profiles = {row["unit"]: row for row in config.get("commune", [])}
    for span in config["span"]:
        periods = list(Period.objects.filter(year=span["year"], end__lte=span["until"]))
        plans = CommunePlan.objects.filter(
            year=span["year"], status=PlanStatus.APPROVED, revision=0
        ).select_related("unit")
        for plan in plans:
            _load_plan_progress(plan, periods, defaults | profiles.get(plan.unit.code, {}))


def _load_plan_progress(plan: CommunePlan, periods: list[Period], profile: dict) -> None:
    existing = set(plan.reports.values_list("period_id", flat=True))
    skip = set(profile.get("skip", []))
    pace = float(profile["pace"])
    overrides = profile.get("override", [])
    wanted = [
        period
        for period in periods
        if period.pk not in existing and f"{period.kind}-{period.index}" not in skip
    ]
    if not wanted:
        return
    reports = _reports(plan, wanted, pace, int(profile["late_days"]))
    _report_values(plan, reports, pace, overrides)
    for kind in sorted({period.kind for period in wanted}):
        first = min((p for p in wanted if p.kind == kind), key=lambda p: p.end)
        refresh_summaries(plan, first)


def _reports(
    plan: CommunePlan, periods: list[Period], pace: float, late_days: int
) -> list[ProgressReport]:
    """A submitted report per period, `late_days` after its deadline, at 15:00."""
    hour = datetime.time(15, 0)
    reports = []
    for period in periods:
        day = period.report_deadline + datetime.timedelta(days=late_days)
        submitted_at = timezone.make_aware(datetime.datetime.combine(day, hour))
        reports.append(
            ProgressReport(
                plan=plan,
                period=period,
                status=ReportStatus.SUBMITTED,
                submitted_at=submitted_at,
                **_narrative(plan, period, pace),
            )
        )
    return bulk_create_with_history(reports, ProgressReport, default_change_reason=DEMO_REASON)


def _report_values(
    plan: CommunePlan, reports: list[ProgressReport], pace: float, overrides: list[dict]
) -> None:
    """Each report's value per target and state per key task or breakthrough."""
    results, progress = [], []
    items = list(plan.items.all())
    for report in reports:
        for item in items:
            rng = _rng(
                plan.unit.code, report.period.kind, report.period.index, item.kind, item.order
            )
            if item.kind == ItemKind.TARGET:
                override = next(
                    (o["final"] for o in overrides if o["text_contains"] in item.text.lower()),
                    None,
                )
                value = _generated_value(item, report.period, pace, override, rng)
                results.append(TargetResult(report=report, item=item, value=value))
            elif item.kind in (ItemKind.KEY_TASK, ItemKind.BREAKTHROUGH):
                state = _task_state(report.period, pace, rng)
                progress.append(TaskProgress(report=report, item=item, state=state))
    bulk_create_with_history(results, TargetResult, default_change_reason=DEMO_REASON)
    bulk_create_with_history(progress, TaskProgress, default_change_reason=DEMO_REASON)
