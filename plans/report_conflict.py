"""The report conflict page's rows: what a user tried to save beside the report someone else
saved first, target by target, task by task and narrative by narrative."""

from __future__ import annotations

from typing import Any

from plans.models import PlanItem, ProgressReport, TaskState
from plans.report_forms import NARRATIVE_LABELS, ReportEntries


def conflict_rows(
    current: ProgressReport, targets: list[PlanItem], tasks: list[PlanItem], mine: ReportEntries
) -> dict[str, Any]:
    """The rows and report `report_conflict.html` shows; `current` comes with its target
    results and task progress prefetched."""
    results = {r.item_id: r for r in current.target_results.all()}
    states = {p.item_id: p for p in current.task_progress.all()}
    labels = dict(TaskState.choices)
    target_rows = [
        {"item": item, "mine": entry, "current": results.get(item.pk)}
        for item in targets
        if (entry := mine.targets.get(item.pk)) is not None
    ]
    task_rows = [
        {
            "item": item,
            "mine": labels.get(entry.state, entry.state),
            "mine_note": entry.note,
            "current": labels[states[item.pk].state] if item.pk in states else "",
            "current_note": states[item.pk].note if item.pk in states else "",
        }
        for item in tasks
        if (entry := mine.tasks.get(item.pk)) is not None
    ]
    narrative_rows = [
        {"label": label, "mine": mine.narrative.get(name, ""), "current": getattr(current, name)}
        for name, label in NARRATIVE_LABELS.items()
    ]
    return {
        "report": current,
        "target_rows": target_rows,
        "task_rows": task_rows,
        "narrative_rows": narrative_rows,
    }
