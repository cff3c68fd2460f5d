"""Readable change history of plans and programmes, built from django-simple-history rows.

A fixed number of queries per page: all historical rows of the document and of its items
are read at once and compared pairwise in Python.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from org.models import Field
from plans.models import CommunePlan, ItemKind, PlanItem, Programme, ProgrammeItem
from plans.templatetags.plan_format import quantity

# Columns that are bookkeeping, not content; status changes have their own entries.
IGNORED = {
    "id",
    "version",
    "created_at",
    "updated_at",
    "plan",
    "programme",
    "revises",
    "status",
    "unit",
}
# Rows created together with one reason (copied from last year's plan, a revision) are
# summarized as one entry instead of one per item.
SUMMARY_WINDOW = datetime.timedelta(seconds=60)


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    subject: str
    action: str
    reason: str = ""
    changes: list[Change] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)


def _summarize_bulk(entries: list[Entry]) -> list[Entry]:
    """Fold item creations that share who, reason and moment into one entry."""
    folded: list[Entry] = []
    for entry in entries:
        last = folded[-1] if folded else None
        bulk = entry.action == _("Tạo mới") and entry.reason
        if (
            bulk
            and last is not None
            and last.action == entry.action
            and (last.who, last.reason) == (entry.who, entry.reason)
            and abs(entry.when - last.when) <= SUMMARY_WINDOW
        ):
            last.subjects.append(entry.subject)
            last.changes = []
            last.subject = _("%(count)s nội dung") % {"count": len(last.subjects)}
            continue
        if bulk:
            entry.subjects = [entry.subject]
        folded.append(entry)
    for entry in folded:
        if len(entry.subjects) == 1:
            entry.subjects = []
    return folded


def _display(model_field: models.Field, value: Any, fields: dict[int, str]) -> str:
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.name == "field":
        return fields.get(value, str(value))
    if isinstance(value, Decimal):
        return quantity(value)
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _tracked(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in IGNORED]


def _entries(records: list, model: type[models.Model], subject, fields: dict[int, str]) -> list:
    """Compare each historical row with the previous row of the same object."""
    tracked = _tracked(model)
    entries = []
    previous: dict[int, Any] = {}
    for record in records:
        before = previous.get(record.id)
        who = str(record.history_user) if record.history_user else _("Hệ thống")
        entry = Entry(
            when=record.history_date,
            who=who,
            subject=subject(record),
            action={"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xóa")}[record.history_type],
            reason=record.history_change_reason or "",
        )
        for model_field in tracked:
            new = getattr(record, model_field.attname)
            old = getattr(before, model_field.attname) if before is not None else None
            if record.history_type == "-" or new == old:
                continue
            if before is None and new in (None, ""):
                continue
            entry.changes.append(
                Change(
                    label=str(model_field.verbose_name).capitalize(),
                    old=_display(model_field, old, fields) if before is not None else "",
                    new=_display(model_field, new, fields),
                )
            )
        previous[record.id] = record
        if entry.changes or record.history_type != "~" or entry.reason:
            entries.append(entry)
    return entries


def _item_subject(record) -> str:
    kind = ItemKind(record.kind).label if record.kind in ItemKind.values else record.kind
    return f"{kind} {record.order}: {record.text[:80]}"


def _field_names() -> dict[int, str]:
    return dict(Field.objects.values_list("pk", "name"))


def plan_history(plan: CommunePlan) -> list[Entry]:
    """Field changes of the plan and its items, and its workflow steps, newest first."""
    fields = _field_names()
    own = list(
        CommunePlan.history.filter(id=plan.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    items = list(
        PlanItem.history.filter(plan_id=plan.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    entries = _entries(own, CommunePlan, lambda r: _("Thông tin chung"), fields)
    entries += _summarize_bulk(_entries(items, PlanItem, _item_subject, fields))
    for step in plan.status_changes.select_related("by"):
        old = step.get_from_status_display() or "—"
        entries.append(
            Entry(
                when=step.at,
                who=str(step.by),
                subject=_("Trạng thái"),
                action=_("Chuyển trạng thái"),
                reason=step.note,
                changes=[Change(_("Trạng thái"), old, step.get_to_status_display())],
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def programme_history(programme: Programme) -> list[Entry]:
    fields = _field_names()
    own = list(
        Programme.history.filter(id=programme.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    items = list(
        ProgrammeItem.history.filter(programme_id=programme.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    entries = _entries(own, Programme, lambda r: _("Thông tin chung"), fields)
    entries += _summarize_bulk(_entries(items, ProgrammeItem, _item_subject, fields))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
