"""The four-kind item editor shared by the commune plan and programme editors.

Works without JavaScript: each kind is a formset with one blank row; "Thêm dòng" posts the
form back with one more blank row and saves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django import forms
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

from org.models import Field
from plans.forms import ItemFormSet
from plans.models import CommunePlan, ItemKind, PlanItem, Programme, ProgrammeItem
from plans.services import ItemChange

ADD_ROW = "add-row"
PREVIEW_LENGTH = 110


def field_choices() -> list[tuple[int, str]]:
    return [(field.pk, field.name) for field in Field.objects.order_by("order", "name")]


@dataclass(frozen=True)
class Row:
    number: int  # 1, 2, 3 … over the whole kind, as the error summary counts them
    form: forms.Form


@dataclass
class RowGroup:
    """A run of saved rows of the same field, folded under the field's name unless it has
    errors or edits still to save; the new rows come last and are never folded."""

    label: str
    rows: list[Row] = field(default_factory=list)
    new: bool = False

    @property
    def error_count(self) -> int:
        return sum(len(row.form.errors) for row in self.rows if row.form.is_bound)

    @property
    def preview(self) -> str:
        """What the folded rows say, cut short: enough to know which group to open."""
        text = "; ".join(" ".join(str(row.form["text"].value() or "").split()) for row in self.rows)
        return text if len(text) <= PREVIEW_LENGTH else text[: PREVIEW_LENGTH - 1].rstrip() + "…"

    @property
    def open(self) -> bool:
        return (
            self.new
            or self.error_count > 0
            or any(row.form.is_bound and row.form.has_changed() for row in self.rows)
        )


@dataclass
class KindFormSet:
    kind: str
    label: str
    formset: Any
    field_names: dict[str, str] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        if not self.formset.is_bound:
            return 0
        return len(self.formset.non_form_errors()) + sum(len(e) for e in self.formset.errors)

    @property
    def groups(self) -> list[RowGroup]:
        rows = [Row(n, form) for n, form in enumerate(self.formset.forms, start=1)]
        saved = [row for row in rows if row.form.initial.get("id")]
        groups = [
            RowGroup(self.field_names.get(key, _("Chưa phân lĩnh vực")), list(members))
            for key, members in groupby(saved, key=lambda row: str(row.form["field"].value()))
        ]
        new = [row for row in rows if not row.form.initial.get("id")]
        if new:
            groups.append(RowGroup(_("Dòng mới"), new, new=True))
        return groups


@dataclass(frozen=True)
class ErrorLink:
    """One refused input of the editor, for the summary at the top: where and why."""

    anchor: str  # the id of the input (or of its section)
    where: str
    message: str


def error_links(header: forms.Form, editor: ItemEditor) -> list[ErrorLink]:
    """Every error of a refused save, in page order, each linking to its input."""
    links = []
    for name, errors in header.errors.items():
        anchor = header[name].auto_id if name in header.fields else "main"
        where = header.fields[name].label if name in header.fields else _("Thông tin chung")
        links += [ErrorLink(anchor, str(where), error) for error in errors]
    for kind in editor.kinds:
        if not kind.formset.is_bound:
            continue
        section = f"edit-{kind.kind}"
        links += [ErrorLink(section, kind.label, e) for e in kind.formset.non_form_errors()]
        for number, form in enumerate(kind.formset.forms, start=1):
            for name, errors in form.errors.items():
                field = form.fields.get(name)
                anchor = form[name].auto_id if field is not None else section
                row = _("%(kind)s, dòng %(n)s") % {"kind": kind.label, "n": number}
                where = f"{row} – {field.label}" if field is not None else row
                links += [ErrorLink(anchor, where, error) for error in errors]
    return links


class ItemEditor:
    """Builds the formsets for existing items and turns a valid POST into `ItemChange`s."""

    def __init__(
        self,
        items: list[PlanItem] | list[ProgrammeItem],
        *,
        year: int,
        data: QueryDict | None,
        source_items: list[ProgrammeItem],
        with_plan_fields: bool,
    ) -> None:
        self.items = {item.pk: item for item in items}
        self.sources = {source.pk: source for source in source_items}
        self.with_plan_fields = with_plan_fields
        if data is not None and data.get(ADD_ROW) in ItemKind.values:
            data = self._with_one_more_row(data, data[ADD_ROW])
        fields = field_choices()
        field_names = {str(pk): name for pk, name in fields}
        self.kinds = []
        for kind, label in ItemKind.choices:
            formset = ItemFormSet(
                data,
                prefix=kind,
                initial=[self._initial(item) for item in items if item.kind == kind],
                form_kwargs={
                    "kind": kind,
                    "year": year,
                    "field_choices": fields,
                    "source_choices": self._source_choices(source_items, kind),
                    "with_plan_fields": with_plan_fields,
                },
            )
            self.kinds.append(KindFormSet(kind, label, formset, field_names))

    @staticmethod
    def _with_one_more_row(data: QueryDict, kind: str) -> QueryDict:
        data = data.copy()
        key = f"{kind}-TOTAL_FORMS"
        count = data.get(key, "")
        # Formsets cap the count themselves; a 10 000-digit one must not reach int().
        if count.isascii() and count.isdigit() and len(count) <= 4:
            data[key] = str(int(count) + 1)
        return data

    @staticmethod
    def _source_choices(source_items: list[ProgrammeItem], kind: str) -> list:
        """Programme items of the same kind, grouped by document for the <select>."""
        groups: dict[str, list] = {}
        for source in source_items:
            if source.kind == kind:
                label = f"{source.code} · {source.text[:90]}" if source.code else source.text[:100]
                groups.setdefault(source.programme.number, []).append((source.pk, label))
        return list(groups.items())

    def _initial(self, item: PlanItem | ProgrammeItem) -> dict[str, Any]:
        initial = {"id": item.pk, "order": item.order, "text": item.text, "field": item.field_id}
        if isinstance(item, PlanItem):
            initial |= {
                "responsible": item.responsible,
                "deadline": item.deadline,
                "baseline": item.baseline,
                "value": item.target_value,
                "accumulation": item.accumulation,
                "base": item.base,
                "sources": [source.pk for source in item.source_items.all()],
            }
        else:
            initial |= {"value": item.value, "combination": item.combination}
        initial |= {"measure_unit": item.measure_unit, "direction": item.direction}
        return initial

    @property
    def adding_row(self) -> bool:
        return any(kind.formset.data.get(ADD_ROW) for kind in self.kinds if kind.formset.data)

    def is_valid(self) -> bool:
        return all(kind.formset.is_valid() for kind in self.kinds)

    def changes(self) -> list[ItemChange]:
        """What the valid POST asks for; unknown ids are refused by `is_valid` callers."""
        changes = []
        for kind in self.kinds:
            formset = kind.formset
            for form in formset.forms:
                item_id = form.cleaned_data.get("id")
                item = self.items.get(item_id) if item_id else None
                if item_id and item is None:
                    raise KeyError(item_id)  # a row of another plan: the view answers 404
                if formset._should_delete_form(form):
                    if item is not None:
                        changes.append(ItemChange(item=item, delete=True))
                    continue
                if item is None and not form.has_changed():
                    continue  # the blank row
                sources = None
                if "sources" in form.cleaned_data:
                    sources = [self.sources[pk] for pk in form.cleaned_data["sources"]]
                values = form.item_values(with_plan_fields=self.with_plan_fields)
                changes.append(ItemChange(item=item, values=values, sources=sources))
        return changes


def plan_editor(plan: CommunePlan, data: QueryDict | None) -> ItemEditor:
    """The editor of a plan's items; a row may cite the items of the plan's programmes."""
    items = list(plan.items.prefetch_related("source_items"))
    programmes = list(plan.programmes.all())
    sources = list(
        ProgrammeItem.objects.filter(programme__in=programmes)
        .select_related("programme")
        .order_by("programme__kind", "kind", "order")
    )
    return ItemEditor(items, year=plan.year, data=data, source_items=sources, with_plan_fields=True)


def programme_editor(programme: Programme, data: QueryDict | None) -> ItemEditor:
    """The editor of a programme's items; a programme cites nothing above it."""
    items = list(programme.items.all())
    return ItemEditor(
        items, year=programme.year, data=data, source_items=[], with_plan_fields=False
    )


def _posted_changes(header: forms.Form, editor: ItemEditor) -> list[ItemChange] | None:
    """What a save asks for, or None when the header or a row is refused."""
    if not (header.is_valid() and editor.is_valid()):
        return None
    try:
        return editor.changes()
    except KeyError as error:
        # A row naming an item of another document: answered as if that item did not exist.
        raise Http404 from error


def _deletions_to_confirm(data: QueryDict, changes: list[ItemChange]) -> list[ItemChange]:
    """The rows the save would delete, until the user has confirmed deleting them."""
    if "confirm-delete" in data:
        return []
    return [change for change in changes if change.delete]


def read_posted(
    data: QueryDict | None, header: forms.Form, editor: ItemEditor
) -> tuple[list[ItemChange] | None, dict[str, object]]:
    """The changes a save asks for, or None and how to show the editor again: as it is
    (nothing posted, or a row added), refused (status 400), or asking to confirm deletions."""
    if data is None or editor.adding_row:
        return None, {}
    changes = _posted_changes(header, editor)
    if changes is None:
        return None, {"status": 400}
    if deleting := _deletions_to_confirm(data, changes):
        return None, {"confirm_delete": deleting}
    return changes, {}
