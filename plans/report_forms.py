"""The progress report form: one value per target, one state per task, four narratives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.forms import QuantityField, TextField
from plans.models import PlanItem, ProgressReport, Schedule, TaskProgress, TaskState
from plans.progress import PreviousValue
from plans.services.reporting import NARRATIVE_FIELDS, TargetEntry, TaskEntry
from plans.templatetags.plan_format import quantity

NARRATIVE_LABELS = {
    "results": _("Kết quả đạt được"),
    "shortcomings": _("Tồn tại, hạn chế"),
    "causes": _("Nguyên nhân"),
    "next_tasks": _("Nhiệm vụ, giải pháp kỳ tới"),
}


@dataclass
class ReportEntries:
    """What a valid report form says, in the shapes `services.enter_report` takes."""

    narrative: dict[str, str]
    targets: dict[int, TargetEntry]
    tasks: dict[int, TaskEntry]

    @property
    def valued(self) -> int:
        return sum(1 for entry in self.targets.values() if entry.value is not None)

    @property
    def task_states(self) -> int:
        return sum(1 for entry in self.tasks.values() if entry.state != TaskState.NOT_STARTED)

    def is_empty(self) -> bool:
        """No value, no task under way, no narrative: nothing worth sending."""
        narrative = any(text.strip() for text in self.narrative.values())
        return not (self.valued or self.task_states or narrative)


# A value this many times its year's target is more likely a typing slip than a result.
FAR_ABOVE_TARGET = 2


def implausible(entries: ReportEntries, targets: list[PlanItem]) -> list[str]:
    """What the sender must confirm before the report goes: rates above 100 %, values far
    above the year's target, a report without a single target value."""
    warnings = []
    for item in targets:
        value = entries.targets[item.pk].value
        if value is None:
            continue
        text = item.text.rstrip(". ")
        shown = {"text": text, "value": quantity(value), "unit": item.measure_unit}
        if item.measure_unit.strip() == "%" and value > 100:
            warnings.append(_("“%(text)s”: %(value)s %% vượt quá 100 %%.") % shown)
        elif item.target_value and value > FAR_ABOVE_TARGET * item.target_value:
            shown["target"] = quantity(item.target_value)
            warnings.append(
                _(
                    "“%(text)s”: %(value)s %(unit)s, cao hơn nhiều so với chỉ tiêu năm "
                    "%(target)s %(unit)s."
                )
                % shown
            )
    if targets and not entries.valued:
        warnings.append(_("Chưa nhập giá trị chỉ tiêu nào; báo cáo chỉ có tình hình nhiệm vụ."))
    return warnings


@dataclass(frozen=True)
class TargetRow:
    """One target's line of the form: its three boxes and what it reported last."""

    item: PlanItem
    value: forms.BoundField
    note: forms.BoundField
    evidence: forms.BoundField
    previous: PreviousValue | None


MISSING_VERSION = _("Trang báo cáo thiếu số phiên bản; hãy mở lại trang rồi nhập lại.")


class ReportForm(forms.Form):
    """Fields are named after the plan item they concern: value_12, note_12, state_15 …"""

    # The version of the report the form was opened with (0: no report yet). Required: a
    # save that does not say what it started from could silently overwrite someone else's.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": MISSING_VERSION,
            "invalid": MISSING_VERSION,
            "min_value": MISSING_VERSION,
        },
    )

    def __init__(
        self,
        *args: Any,
        targets: list[PlanItem],
        tasks: list[PlanItem],
        report: ProgressReport | None,
        previous: dict[int, PreviousValue] | None = None,
        carried: dict[int, TaskProgress] | None = None,
        **kwargs: Any,
    ) -> None:
        """`previous`: each target's last reported value, shown beside its box; `carried`:
        each task's last reported state, where a new report starts from."""
        super().__init__(*args, **kwargs)
        self.targets, self.tasks = targets, tasks
        self.previous = previous or {}
        carried = carried or {}
        results = {r.item_id: r for r in report.target_results.all()} if report else {}
        progress = {p.item_id: p for p in report.task_progress.all()} if report else {}
        self.fields["version"].initial = report.version if report else 0
        for item in targets:
            result = results.get(item.pk)
            self.fields[f"value_{item.pk}"] = QuantityField(
                label=_("Giá trị đạt được"),
                required=False,
                initial=result.value if result else None,
            )
            self.fields[f"note_{item.pk}"] = TextField(
                label=_("Ghi chú"),
                required=False,
                max_length=500,
                initial=result.note if result else "",
            )
            self.fields[f"evidence_{item.pk}"] = TextField(
                label=_("Minh chứng"),
                required=False,
                initial=result.evidence if result else "",
                widget=forms.Textarea(attrs={"rows": 1}),
            )
        for item in tasks:
            row = progress.get(item.pk) or carried.get(item.pk)
            self.fields[f"state_{item.pk}"] = forms.ChoiceField(
                label=_("Tình hình"),
                choices=TaskState.choices,
                initial=row.state if row else TaskState.NOT_STARTED,
            )
            self.fields[f"tasknote_{item.pk}"] = TextField(
                label=_("Ghi chú"), required=False, max_length=500, initial=row.note if row else ""
            )
        for name, label in NARRATIVE_LABELS.items():
            self.fields[name] = TextField(
                label=label,
                required=False,
                max_length=20_000,
                initial=getattr(report, name) if report else "",
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The version is a hidden field, whose errors a page does not show next to anything.
        if self.has_error("version"):
            self.add_error(None, MISSING_VERSION)
        return data

    def entries(self) -> ReportEntries:
        data = self.cleaned_data
        return ReportEntries(
            narrative={name: data[name] for name in NARRATIVE_FIELDS},
            targets={
                item.pk: TargetEntry(
                    data[f"value_{item.pk}"], data[f"note_{item.pk}"], data[f"evidence_{item.pk}"]
                )
                for item in self.targets
            },
            tasks={
                item.pk: TaskEntry(data[f"state_{item.pk}"], data[f"tasknote_{item.pk}"])
                for item in self.tasks
            },
        )

    def target_rows(self) -> list[TargetRow]:
        return [
            TargetRow(
                item,
                self[f"value_{item.pk}"],
                self[f"note_{item.pk}"],
                self[f"evidence_{item.pk}"],
                self.previous.get(item.pk),
            )
            for item in self.targets
        ]

    def task_rows(self) -> list[tuple[PlanItem, Any, Any]]:
        return [
            (item, self[f"state_{item.pk}"], self[f"tasknote_{item.pk}"]) for item in self.tasks
        ]

    def narrative_fields(self) -> list[Any]:
        return [self[name] for name in NARRATIVE_LABELS]


def form_state(report: ProgressReport | None, timing: Schedule) -> dict[str, Any]:
    """Whether the report form page only shows the report or refuses new entries, and the
    deadline it states."""
    return {
        "read_only": report is not None and report.status == "submitted",
        "deadline": timing.deadline,
        # A late-entry reason is what the supervising unit allows a locked period's report with.
        "locked": timing.locked and (report is None or not report.late_reason),
    }
