"""Writes to the plan chain. Every state change goes through a function here.

Each function takes the acting user as keyword-only `by`, checks the permission in
`portal.rules`, runs in one transaction, validates with `full_clean()`, and records history.
`planning` holds programmes, plans and their workflow; `reporting` holds progress reports
and the summaries maintained with them.
"""

from plans.services.periods import create_periods, extend_deadline, open_year
from plans.services.planning import (
    TRANSITIONS,
    EditConflict,
    ItemChange,
    allocate_target,
    approve_plan,
    create_plan,
    create_programme,
    require,
    return_plan,
    save_plan,
    save_programme,
    start_revision,
    submit_plan,
    with_actor,
)
from plans.services.reporting import (
    TargetEntry,
    TaskEntry,
    enter_report,
    enter_target_values,
    lock_period,
    open_report,
    refresh_summaries,
    return_report,
    save_report,
    set_period_deadline,
    submit_report,
)

__all__ = [
    "TRANSITIONS",
    "EditConflict",
    "ItemChange",
    "TargetEntry",
    "TaskEntry",
    "allocate_target",
    "approve_plan",
    "create_periods",
    "create_plan",
    "create_programme",
    "enter_report",
    "enter_target_values",
    "extend_deadline",
    "lock_period",
    "open_report",
    "open_year",
    "refresh_summaries",
    "require",
    "return_plan",
    "return_report",
    "save_plan",
    "save_programme",
    "save_report",
    "set_period_deadline",
    "start_revision",
    "submit_plan",
    "submit_report",
    "with_actor",
]
