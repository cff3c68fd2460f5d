"""Excel templates of the plans app and what an upload of one would change.

A plan's template lists its items keyed by their code ("CT03"); a row without a code is a
new item. Each row is checked by the editor's own form (`ItemForm`), so an import refuses
exactly what the editor refuses, and reported with its row and column. Items the file does
not list are kept. The hidden sheet records the plan's unit code, year, revision and
version: a plan saved after its template was downloaded is a conflict, not overwritten.

A report's template lists the plan's targets (value and note for the period) and tasks
(state and note), keyed by the same codes; the import saves the report as a draft that the
commune then checks and sends from the report form.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from org import xlsx
from org.xlsx_import import Refused, Row, Upload
from plans.forms import ItemForm, QuantityField, clean_paragraphs, clean_text
from plans.models import (
    TASK_KINDS,
    Accumulation,
    CommunePlan,
    Direction,
    ItemKind,
    Period,
    PlanItem,
    ProgressReport,
    TaskState,
)
from plans.services import ItemChange, TargetEntry, TaskEntry
from plans.templatetags.plan_format import quantity

PLAN_KIND = "plan"
REPORT_KIND = "report"

CODE = _lazy("Mã")
KIND = _lazy("Loại")
FIELD = _lazy("Lĩnh vực")
TEXT = _lazy("Nội dung")
MEASURE_UNIT = _lazy("Đơn vị tính")
BASELINE = _lazy("Giá trị đầu kỳ")
TARGET_VALUE = _lazy("Giá trị chỉ tiêu")
DIRECTION = _lazy("Chiều đánh giá")
ACCUMULATION = _lazy("Cách tính")
BASE = _lazy("Quy mô")
RESPONSIBLE = _lazy("Đơn vị chủ trì")
DEADLINE = _lazy("Thời hạn")


def plan_headers() -> list[str]:
    return [
        str(h)
        for h in (
            CODE,
            KIND,
            FIELD,
            TEXT,
            MEASURE_UNIT,
            BASELINE,
            TARGET_VALUE,
            DIRECTION,
            ACCUMULATION,
            BASE,
            RESPONSIBLE,
            DEADLINE,
        )
    ]


# The editor form's field → the template's column.
FORM_COLUMNS = {
    "text": TEXT,
    "field": FIELD,
    "measure_unit": MEASURE_UNIT,
    "baseline": BASELINE,
    "value": TARGET_VALUE,
    "direction": DIRECTION,
    "accumulation": ACCUMULATION,
    "base": BASE,
    "responsible": RESPONSIBLE,
    "deadline": DEADLINE,
}
# The model's field → the template's column, for the preview of a change.
MODEL_COLUMNS = {
    "text": TEXT,
    "field_id": FIELD,
    "measure_unit": MEASURE_UNIT,
    "baseline": BASELINE,
    "target_value": TARGET_VALUE,
    "direction": DIRECTION,
    "accumulation": ACCUMULATION,
    "base": BASE,
    "responsible": RESPONSIBLE,
    "deadline": DEADLINE,
}


def plan_meta(plan: CommunePlan) -> dict[str, str]:
    return {
        "kind": PLAN_KIND,
        "unit": plan.unit.code,
        "year": str(plan.year),
        "revision": str(plan.revision),
        "version": str(plan.version),
    }


def item_cells(item: PlanItem) -> tuple:
    """An item's cells from "Lĩnh vực" to "Thời hạn", as the plan's download and its
    template both write them."""
    return (
        item.field.name if item.field else "",
        item.text,
        item.measure_unit,
        item.baseline,
        item.target_value,
        item.get_direction_display(),
        item.get_accumulation_display(),
        item.base,
        item.responsible,
        item.deadline,
    )


def plan_template(plan: CommunePlan, items: list[PlanItem]):
    """The plan's items as a template to fill in and upload (an HttpResponse)."""
    columns = [
        xlsx.Column(str(CODE), 8),
        xlsx.Column(str(KIND), 20),
        xlsx.Column(str(FIELD), 20),
        xlsx.Column(str(TEXT), 70),
        xlsx.Column(str(MEASURE_UNIT), 12),
        xlsx.Column(str(BASELINE), 12, xlsx.DECIMAL),
        xlsx.Column(str(TARGET_VALUE), 12, xlsx.DECIMAL),
        xlsx.Column(str(DIRECTION), 16),
        xlsx.Column(str(ACCUMULATION), 14),
        xlsx.Column(str(BASE), 12, xlsx.DECIMAL),
        xlsx.Column(str(RESPONSIBLE), 24),
        xlsx.Column(str(DEADLINE), 12, xlsx.DATE),
    ]
    rows = ((item.code, item.get_kind_display(), *item_cells(item)) for item in items)
    scope = [
        _("Đơn vị: %(unit)s (mã %(code)s) · năm %(year)s · phiên bản %(version)s")
        % {
            "unit": plan.unit.full_name,
            "code": plan.unit.code,
            "year": plan.year,
            "version": plan.version,
        },
        _(
            "Sửa các dòng, thêm dòng mới để trống cột “Mã”; dòng không có trong tệp được giữ "
            "nguyên. Loại, chiều đánh giá, cách tính ghi như trong mẫu."
        ),
    ]
    table = xlsx.Table(_("Mẫu nhập kế hoạch"), columns, rows, scope, sheet_name=_("Kế hoạch"))
    name = xlsx.filename("mau-ke-hoach", plan.unit.short_name, plan.year)
    return xlsx.download(name, [table], plan_meta(plan))


def _check_meta(upload: Upload, expected: dict[str, str], what: str) -> None:
    for key in ("unit", "year", "revision", "period"):
        if key in expected and upload.meta.get(key) != expected[key]:
            raise Refused(
                _("Tệp là mẫu của %(what)s khác: hãy tải mẫu của %(what)s này.") % {"what": what}
            )


@dataclass
class Change:
    """One row of the preview: what it does to an item, or what is wrong with it."""

    row: Row
    code: str
    text: str
    action: str  # "new", "changed", "same"
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # column, was, becomes

    @property
    def errors(self):
        return self.row.errors


@dataclass
class Preview:
    upload: Upload
    rows: list[Change]
    kept: int = 0  # items the file does not list
    conflict: str = ""
    apply: Any = None  # what the confirmation passes to the service

    @property
    def errors(self) -> list:
        return [error for change in self.rows for error in change.errors]

    @property
    def changed(self) -> int:
        return sum(1 for change in self.rows if change.action != "same")


def _choice(row: Row, header, choices) -> str:
    """A choice written as its label, its label's words before the bracket ("Tăng" for
    "Tăng (càng cao càng tốt)") or its stored value; an error when none."""
    typed = " ".join(row.text(str(header)).split()).casefold()
    if not typed:
        return ""
    for value, label in choices:
        label = str(label).casefold()
        if typed in (label, label.split(" (")[0], str(value).casefold()):
            return value
    row.error(
        str(header),
        _("“%(typed)s” không phải một lựa chọn; ghi một trong: %(choices)s.")
        % {"typed": typed, "choices": ", ".join(str(label) for _v, label in choices)},
    )
    return ""


def _number(row: Row, header) -> str:
    value = row.cells.get(str(header))
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return format(Decimal(str(value)).normalize(), "f")
    return row.text(str(header))


def _quantity(row: Row, header) -> tuple[bool, Decimal | None]:
    """(read, value) of a quantity cell, checked as the report form checks it; an error in
    the cell when it is not a number the form accepts."""
    try:
        return True, QuantityField(required=False).clean(_number(row, header))
    except ValidationError as error:
        for message in error.messages:
            row.error(str(header), message)
        return False, None


def _day(row: Row, header) -> str:
    value = row.cells.get(str(header))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return row.text(str(header))


def _shown(name: str, value: Any, fields: dict[int, str]) -> str:
    if value is None or value == "":
        return "–"
    if name == "field_id":
        return fields.get(value, str(value))
    if name == "direction":
        return str(Direction(value).label)
    if name == "accumulation":
        return str(Accumulation(value).label)
    if isinstance(value, Decimal):
        return quantity(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def plan_preview(plan: CommunePlan, upload: Upload, fields: list[tuple[int, str]]) -> Preview:
    """What the upload would do to the plan, row by row, with every error."""
    _check_meta(upload, plan_meta(plan), _("kế hoạch"))
    items = {item.code: item for item in plan.items.all() if item.code}
    field_names = dict(fields)
    field_ids = {name.casefold(): pk for pk, name in fields}
    preview = Preview(upload=upload, rows=[])
    if upload.meta.get("version") != str(plan.version):
        preview.conflict = _(
            "Kế hoạch đã được sửa sau khi tải mẫu (mẫu ở phiên bản %(then)s, nay là %(now)s): "
            "hãy tải mẫu mới để không ghi đè những thay đổi đó."
        ) % {"then": upload.meta.get("version", "?"), "now": plan.version}
    seen: dict[str, int] = {}
    changes: list[ItemChange] = []
    for row in upload.rows:
        code = row.text(str(CODE)).upper()
        item = items.get(code) if code else None
        if code and item is None:
            row.error(str(CODE), _("không có nội dung nào mang mã “%(code)s”.") % {"code": code})
        if code in seen:
            row.error(
                str(CODE),
                _("mã “%(code)s” trùng với dòng %(row)s.") % {"code": code, "row": seen[code]},
            )
        elif code:
            seen[code] = row.number
        kind = _choice(row, KIND, ItemKind.choices)
        if not row.text(str(KIND)):
            row.error(str(KIND), _("cần ghi loại nội dung."))
        if item is not None and kind and kind != item.kind:
            row.error(str(KIND), _("không đổi được loại của một nội dung đã có."))
        field_name = row.text(str(FIELD))
        field_id = field_ids.get(field_name.casefold()) if field_name else None
        if field_name and field_id is None:
            row.error(str(FIELD), _("không có lĩnh vực “%(name)s”.") % {"name": field_name})
        data = {
            "text": row.text(str(TEXT)),
            "field": str(field_id or ""),
            "responsible": row.text(str(RESPONSIBLE)),
            "deadline": _day(row, DEADLINE),
        }
        if kind == ItemKind.TARGET:
            data |= {
                "measure_unit": row.text(str(MEASURE_UNIT)),
                "direction": _choice(row, DIRECTION, Direction.choices),
                "baseline": _number(row, BASELINE),
                "value": _number(row, TARGET_VALUE),
                "accumulation": _choice(row, ACCUMULATION, Accumulation.choices),
                "base": _number(row, BASE),
            }
        change = Change(row=row, code=code, text=data["text"][:120], action="new")
        preview.rows.append(change)
        if row.errors or not kind:
            continue
        form = ItemForm(
            data,
            kind=kind,
            year=plan.year,
            field_choices=fields,
            source_choices=[],
            with_plan_fields=True,
        )
        if not form.is_valid():
            for name, messages in form.errors.items():
                header = str(FORM_COLUMNS.get(name, TEXT))
                for message in messages:
                    row.error(header, message)
            continue
        values = form.item_values(with_plan_fields=True)
        if item is None:
            changes.append(ItemChange(item=None, values=values))
            continue
        change.changes = [
            (
                str(MODEL_COLUMNS[name]),
                _shown(name, getattr(item, name), field_names),
                _shown(name, value, field_names),
            )
            for name, value in values.items()
            if name in MODEL_COLUMNS and getattr(item, name) != value
        ]
        change.action = "changed" if change.changes else "same"
        if change.changes:
            changes.append(ItemChange(item=item, values=values))
    preview.kept = len(set(items) - set(seen))
    preview.apply = changes
    return preview


# --- A period report ---------------------------------------------------------------------

VALUE = _lazy("Giá trị kỳ này")
NOTE = _lazy("Ghi chú")
STATE = _lazy("Tình hình")
TARGET_YEAR = _lazy("Chỉ tiêu năm")
NARRATIVE = (
    ("results", _lazy("Kết quả đạt được")),
    ("shortcomings", _lazy("Tồn tại, hạn chế")),
    ("causes", _lazy("Nguyên nhân")),
    ("next_tasks", _lazy("Nhiệm vụ, giải pháp kỳ tới")),
)


def report_headers() -> list[str]:
    return [str(h) for h in (CODE, KIND, TEXT, MEASURE_UNIT, TARGET_YEAR, VALUE, STATE, NOTE)]


def report_meta(plan: CommunePlan, period: Period, report: ProgressReport | None) -> dict:
    return {
        "kind": REPORT_KIND,
        "unit": plan.unit.code,
        "year": str(plan.year),
        "revision": str(plan.revision),
        "period": f"{period.kind}-{period.year}-{period.index}",
        "version": str(report.version if report else 0),
    }


def report_template(plan, period, report, items, results, progress, narrative_rows=True):
    """The plan's targets and tasks with what the report holds for the period; the four
    sections below them, one per row, under the column "Nội dung"."""
    rows = []
    for item in items:
        if item.kind == ItemKind.TARGET:
            result = results.get(item.pk)
            rows.append(
                (
                    item.code,
                    item.get_kind_display(),
                    item.text,
                    item.measure_unit,
                    item.target_value,
                    result.value if result else None,
                    "",
                    result.note if result else "",
                )
            )
        elif item.kind in TASK_KINDS:
            task = progress.get(item.pk)
            rows.append(
                (
                    item.code,
                    item.get_kind_display(),
                    item.text,
                    "",
                    None,
                    None,
                    task.get_state_display() if task else "",
                    task.note if task else "",
                )
            )
    for name, label in NARRATIVE:
        rows.append(
            ("", str(label), getattr(report, name) if report else "", "", None, None, "", "")
        )
    columns = [
        xlsx.Column(str(CODE), 8),
        xlsx.Column(str(KIND), 22),
        xlsx.Column(str(TEXT), 70),
        xlsx.Column(str(MEASURE_UNIT), 12),
        xlsx.Column(str(TARGET_YEAR), 12, xlsx.DECIMAL),
        xlsx.Column(str(VALUE), 14, xlsx.DECIMAL),
        xlsx.Column(str(STATE), 18),
        xlsx.Column(str(NOTE), 40),
    ]
    scope = [
        _("Đơn vị: %(unit)s (mã %(code)s) · %(period)s")
        % {"unit": plan.unit.full_name, "code": plan.unit.code, "period": period.label},
        _(
            "Chỉ tiêu: ghi giá trị kỳ này (cộng dồn hay thời điểm như trong kế hoạch). "
            "Nhiệm vụ: ghi tình hình (%(states)s). Bốn dòng cuối: phần đánh giá, ghi ở cột "
            "“Nội dung”."
        )
        % {"states": ", ".join(str(label) for _v, label in TaskState.choices)},
    ]
    table = xlsx.Table(_("Mẫu nhập báo cáo"), columns, rows, scope, sheet_name=_("Báo cáo"))
    name = xlsx.filename("mau-bao-cao", plan.unit.short_name, period.label)
    return xlsx.download(name, [table], report_meta(plan, period, report))


def report_preview(
    plan: CommunePlan,
    period: Period,
    report: ProgressReport | None,
    upload: Upload,
    items: list[PlanItem],
    results: dict,
    progress: dict,
) -> Preview:
    """What the upload would enter in the report: values, task states, the four sections."""
    _check_meta(upload, report_meta(plan, period, report), _("kỳ báo cáo"))
    preview = Preview(upload=upload, rows=[])
    version = report.version if report else 0
    if upload.meta.get("version") != str(version):
        preview.conflict = _(
            "Báo cáo đã được sửa sau khi tải mẫu (mẫu ở phiên bản %(then)s, nay là %(now)s): "
            "hãy tải mẫu mới để không ghi đè những thay đổi đó."
        ) % {"then": upload.meta.get("version", "?"), "now": version}
    by_code = {
        item.code: item
        for item in items
        if item.code and (item.kind == ItemKind.TARGET or item.kind in TASK_KINDS)
    }
    sections = {str(label).casefold(): name for name, label in NARRATIVE}
    targets: dict[int, TargetEntry] = {}
    tasks: dict[int, TaskEntry] = {}
    narrative: dict[str, str] = {}
    seen: dict[str, int] = {}
    for row in upload.rows:
        code = row.text(str(CODE)).upper()
        if not code:
            name = sections.get(row.text(str(KIND)).casefold())
            if name is None:
                row.error(str(CODE), _("cần ghi mã của chỉ tiêu hoặc nhiệm vụ."))
                preview.rows.append(Change(row=row, code="", text="", action="new"))
                continue
            text = clean_paragraphs(row.text(str(TEXT)))
            was = getattr(report, name) if report else ""
            change = Change(row=row, code="", text=str(dict(NARRATIVE)[name]), action="same")
            if text != was:
                change.action = "changed"
                change.changes = [(str(TEXT), _cut(was), _cut(text))]
            narrative[name] = text
            preview.rows.append(change)
            continue
        item = by_code.get(code)
        change = Change(row=row, code=code, text=item.text[:120] if item else "", action="same")
        preview.rows.append(change)
        if item is None:
            row.error(
                str(CODE),
                _("không có chỉ tiêu hay nhiệm vụ nào mang mã “%(code)s”.") % {"code": code},
            )
            continue
        if code in seen:
            row.error(
                str(CODE),
                _("mã “%(code)s” trùng với dòng %(row)s.") % {"code": code, "row": seen[code]},
            )
            continue
        seen[code] = row.number
        note = clean_text(row.text(str(NOTE)))[:500]
        if item.kind == ItemKind.TARGET:
            read, value = _quantity(row, VALUE)
            if not read:
                continue
            result = results.get(item.pk)
            was_value = result.value if result else None
            was_note = result.note if result else ""
            targets[item.pk] = TargetEntry(
                value=value, note=note, evidence=result.evidence if result else ""
            )
            if (was_value, was_note) != (value, note):
                change.action = "changed"
                if was_value != value:
                    change.changes.append(
                        (str(VALUE), _shown("", was_value, {}), _shown("", value, {}))
                    )
                if was_note != note:
                    change.changes.append((str(NOTE), was_note or "–", note or "–"))
        else:
            state = _choice(row, STATE, TaskState.choices) or TaskState.NOT_STARTED
            if row.errors:
                continue
            task = progress.get(item.pk)
            was_state = task.state if task else TaskState.NOT_STARTED
            was_note = task.note if task else ""
            tasks[item.pk] = TaskEntry(state=state, note=note)
            if (was_state, was_note) != (state, note):
                change.action = "changed"
                if was_state != state:
                    change.changes.append(
                        (str(STATE), str(TaskState(was_state).label), str(TaskState(state).label))
                    )
                if was_note != note:
                    change.changes.append((str(NOTE), was_note or "–", note or "–"))
    preview.kept = len(set(by_code) - set(seen))
    preview.apply = (narrative, targets, tasks)
    return preview


def _cut(text: str, length: int = 80) -> str:
    return (text[:length] + "…" if len(text) > length else text) or "–"


# --- The office's table: one district target for many communes -------------------------

ENTRY_KIND = "entry"
UNIT_CODE = _lazy("Mã đơn vị")
UNIT = _lazy("Đơn vị")
ITEM_CODE = _lazy("Mã chỉ tiêu")
COMMUNE_TARGET = _lazy("Chỉ tiêu của xã")
REACHED = _lazy("Giá trị đạt được")
SENT = _lazy("Báo cáo đã gửi")


def entry_headers() -> list[str]:
    return [
        str(h)
        for h in (UNIT_CODE, UNIT, ITEM_CODE, COMMUNE_TARGET, MEASURE_UNIT, TARGET_YEAR, REACHED)
    ]


def _fingerprint(items: list[PlanItem], results: dict) -> str:
    """What the table held when its template was made: changed since, it is a conflict."""
    held = "|".join(
        f"{item.plan.unit.code}:{item.code}:{results[item.pk].value if item.pk in results else ''}"
        for item in items
    )
    return hashlib.sha256(held.encode()).hexdigest()[:16]


def entry_meta(district_item, period: Period, items: list[PlanItem], results: dict) -> dict:
    programme = district_item.programme
    return {
        "kind": ENTRY_KIND,
        "unit": programme.unit.code,
        "year": str(programme.year),
        "programme": programme.kind,
        "item": district_item.code or str(district_item.order),
        "period": f"{period.kind}-{period.year}-{period.index}",
        "values": _fingerprint(items, results),
    }


def entry_template(district_item, period: Period, items: list[PlanItem], results: dict):
    columns = [
        xlsx.Column(str(UNIT_CODE), 10),
        xlsx.Column(str(UNIT), 24),
        xlsx.Column(str(ITEM_CODE), 10),
        xlsx.Column(str(COMMUNE_TARGET), 60),
        xlsx.Column(str(MEASURE_UNIT), 12),
        xlsx.Column(str(TARGET_YEAR), 12, xlsx.DECIMAL),
        xlsx.Column(str(REACHED), 14, xlsx.DECIMAL),
        xlsx.Column(str(SENT), 12),
    ]
    rows = (
        (
            item.plan.unit.code,
            item.plan.unit.display_name,
            item.code,
            item.text,
            item.measure_unit,
            item.target_value,
            results[item.pk].value if item.pk in results else None,
            _("đã gửi") if _sent(results.get(item.pk)) else "",
        )
        for item in items
    )
    scope = [
        f"{district_item.text} – {period.label}",
        _(
            "Ghi cột “Giá trị đạt được”. Xã đã gửi báo cáo thì không nhập thay; dòng không có "
            "trong tệp được giữ nguyên."
        ),
    ]
    table = xlsx.Table(_("Mẫu nhập giá trị các xã"), columns, rows, scope, sheet_name=_("Các xã"))
    name = xlsx.filename("mau-nhap-cac-xa", district_item.code, period.label)
    return xlsx.download(name, [table], entry_meta(district_item, period, items, results))


def _sent(result) -> bool:
    return result is not None and result.report.status == "submitted"


def entry_preview(district_item, period: Period, items, results, upload: Upload) -> Preview:
    """What the upload would enter for each commune, keyed by unit code and item code."""
    meta = entry_meta(district_item, period, items, results)
    for key in ("unit", "year", "programme", "item", "period"):
        if upload.meta.get(key) != meta[key]:
            raise Refused(_("Tệp là mẫu của chỉ tiêu hoặc kỳ khác: hãy tải mẫu của trang này."))
    preview = Preview(upload=upload, rows=[])
    if upload.meta.get("values") != meta["values"]:
        preview.conflict = _(
            "Giá trị của các xã đã thay đổi sau khi tải mẫu: hãy tải mẫu mới để không ghi đè "
            "những thay đổi đó."
        )
    by_key = {(item.plan.unit.code, item.code): item for item in items}
    seen: dict[tuple[str, str], int] = {}
    entries = []
    for row in upload.rows:
        key = (row.text(str(UNIT_CODE)), row.text(str(ITEM_CODE)).upper())
        item = by_key.get(key)
        change = Change(
            row=row,
            code=f"{key[0]} · {key[1]}",
            text=item.plan.unit.display_name if item else "",
            action="same",
        )
        preview.rows.append(change)
        if item is None:
            row.error(
                str(UNIT_CODE),
                _("không có xã mã “%(unit)s” với chỉ tiêu “%(item)s” trong bảng này.")
                % {"unit": key[0], "item": key[1]},
            )
            continue
        if key in seen:
            row.error(str(UNIT_CODE), _("trùng với dòng %(row)s.") % {"row": seen[key]})
            continue
        seen[key] = row.number
        read, value = _quantity(row, REACHED)
        if not read:
            continue
        result = results.get(item.pk)
        was = result.value if result else None
        if was == value:
            continue
        if _sent(result):
            row.error(str(REACHED), _("xã đã gửi báo cáo kỳ này: không nhập thay."))
            continue
        change.action = "changed"
        change.changes = [(str(REACHED), _shown("", was, {}), _shown("", value, {}))]
        entries.append((item.plan, item.pk, value))
    preview.kept = len(set(by_key) - set(seen))
    preview.apply = entries
    return preview
