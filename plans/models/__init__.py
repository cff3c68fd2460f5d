"""The plan chain: the supervising unit's programmes and the communes' concretizing plans.

A district (a province since 7/2025) issues two programmes a year — the Party committee's
action programme and the People's Committee's socio-economic plan — each listing key tasks,
targets, breakthrough tasks and solutions by field. Every commune writes a plan that
concretizes them; each plan item may link to the programme item(s) it derives from.
Counts such as "5 key tasks, 13 targets" are computed from the items, never stored.
"""

from plans.models.common import (
    FIRST_YEAR,
    LAST_YEAR,
    YEAR_VALIDATORS,
    Accumulation,
    Combination,
    Direction,
    ItemKind,
    default_combination,
)
from plans.models.periods import (
    PERIODS_PER_YEAR,
    Holiday,
    Period,
    PeriodKind,
    PeriodRule,
    ReportingCalendar,
    Schedule,
    communes_schedules,
    schedule,
    schedules,
)
from plans.models.plans import (
    EDITABLE_STATUSES,
    CommunePlan,
    CommunePlanQuerySet,
    PlanItem,
    PlanStatus,
    PlanStatusChange,
    TargetAllocation,
    item_code,
)
from plans.models.programmes import Programme, ProgrammeItem, ProgrammeKind, ProgrammeQuerySet
from plans.models.progress import (
    TASK_KINDS,
    ProgressReport,
    ReportStatus,
    ReportSummary,
    TargetResult,
    TaskProgress,
    TaskState,
)

__all__ = [
    "EDITABLE_STATUSES",
    "FIRST_YEAR",
    "LAST_YEAR",
    "PERIODS_PER_YEAR",
    "TASK_KINDS",
    "YEAR_VALIDATORS",
    "Accumulation",
    "Combination",
    "CommunePlan",
    "CommunePlanQuerySet",
    "Direction",
    "Holiday",
    "ItemKind",
    "Period",
    "PeriodKind",
    "PeriodRule",
    "PlanItem",
    "PlanStatus",
    "PlanStatusChange",
    "Programme",
    "ProgrammeItem",
    "ProgrammeKind",
    "ProgrammeQuerySet",
    "ProgressReport",
    "ReportStatus",
    "ReportSummary",
    "ReportingCalendar",
    "Schedule",
    "TargetAllocation",
    "TargetResult",
    "TaskProgress",
    "TaskState",
    "communes_schedules",
    "default_combination",
    "item_code",
    "schedule",
    "schedules",
]
