"""Editor forms for commune plans and programmes: input shape and validation only.

Choices (fields, programme items) are built once per page and shared by every row, so a
form with forty rows costs no more queries than one with four.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Self

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.fields import DayField, IdChoiceField
from org.models import Unit
from org.search import fold
from plans.models import (
    Accumulation,
    Combination,
    CommunePlan,
    Direction,
    ItemKind,
    Programme,
    ProgrammeItem,
    ProgrammeKind,
    TargetAllocation,
)
from plans.templatetags.plan_format import quantity

# The largest value the quantity columns hold (max_digits=18, decimal_places=4): 14 digits
# before the decimal comma. Budgets in đồng stay under 10^14 at commune and district level.
MAX_QUANTITY = Decimal("99999999999999.9999")
MAX_TEXT = 2000
PERCENT_UNITS = {"%"}


def clean_text(value: str) -> str:
    """NFC, single spaces; the same sentence typed on two keyboards compares equal."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def clean_paragraphs(value: str) -> str:
    """`clean_text` line by line: the line breaks someone typed in a text area are kept
    (at most one blank line between paragraphs), spaces within a line are not."""
    text = "\n".join(clean_text(line) for line in value.splitlines()).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text)


def service_error(error: ValidationError) -> ValidationError:
    """A service's refusal as a form-wide error.

    Model validation names model fields ("value", "year") that the form may not have;
    `form.add_error(None, error)` would raise on those, so only the messages are kept.
    """
    return ValidationError(error.messages)


class TextField(forms.CharField):
    """Text cleaned as `clean_text`; typed in a text area, its line breaks are kept."""

    def __init__(self, *, required: bool = True, max_length: int = MAX_TEXT, **kwargs: Any):
        super().__init__(required=required, max_length=max_length, **kwargs)

    def to_python(self, value: Any) -> str:
        clean = clean_paragraphs if isinstance(self.widget, forms.Textarea) else clean_text
        return clean(super().to_python(value))


class QuantityField(forms.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            # MAX_QUANTITY bounds the size with one clear message; four decimals fit the columns.
            max_digits=None,
            decimal_places=4,
            validators=[
                MinValueValidator(0, message=_("Không nhập số âm.")),
                MaxValueValidator(MAX_QUANTITY, message=_("Số quá lớn.")),
            ],
            widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-num"}),
            **kwargs,
        )
        self.error_messages |= {
            "invalid": _("Nhập một số, ví dụ 1.250,5 hoặc 1250.5."),
            "max_digits": _("Số quá lớn."),
            "max_decimal_places": _("Tối đa 4 chữ số thập phân."),
        }

    def prepare_value(self, value: Any) -> Any:
        # Shown as typed in Vietnamese, without grouping that would read back ambiguously:
        # 7.5100 → "7,51", 8900 → "8900".
        if isinstance(value, Decimal):
            return format(value.normalize(), "f").replace(".", ",")
        return value

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = read_vietnamese_number(value)
        return super().to_python(value)


# "1.250" and "1.250.000": dots between groups of exactly three digits, no comma.
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")


def read_vietnamese_number(typed: str) -> str:
    """The number as Python reads it. Vietnamese writes "." between thousands and "," before
    decimals: "1.250,5" → "1250.5", "1.250" → "1250", "1,25" → "1.25". A dot that cannot be a
    thousands separator ("1.25", "1250.5") is a decimal point, as typed on an English keyboard.
    """
    value = typed.strip().replace(" ", "").replace("\u00a0", "")
    if "," in value:
        integer, _comma, fraction = value.partition(",")
        if "." in integer and not _THOUSANDS.fullmatch(integer.lstrip("-")):
            return value  # "1,250.5" or "12.50,5": no reading is safe, refused as invalid
        return f"{integer.replace('.', '')}.{fraction}"
    if _THOUSANDS.fullmatch(value.lstrip("-")):
        return value.replace(".", "")
    return value


class ItemForm(forms.Form):
    """One row of an editor (a key task, target, breakthrough task or solution)."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    order = forms.IntegerField(
        label=_("Thứ tự"),
        required=False,
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={"class": "input-order"}),
    )
    text = TextField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 2}))
    field = forms.TypedChoiceField(
        label=_("Lĩnh vực"), coerce=int, empty_value=None, required=False
    )
    sources = forms.TypedMultipleChoiceField(
        label=_("Cụ thể hóa nội dung của cấp trên"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )

    TARGET_FIELDS = ("measure_unit", "direction", "value", "accumulation")

    def __init__(
        self,
        *args: Any,
        kind: str,
        year: int,
        field_choices: list,
        source_choices: list,
        with_plan_fields: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.year = year
        self.fields["field"].choices = [("", "—"), *field_choices]
        self.fields["sources"].choices = source_choices
        if not source_choices:
            del self.fields["sources"]
        if with_plan_fields:
            self.fields["responsible"] = TextField(
                label=_("Chủ trì"), required=False, max_length=200
            )
            self.fields["deadline"] = DayField(
                label=_("Thời hạn"),
                required=False,
            )
        if kind == ItemKind.TARGET:
            self.fields["measure_unit"] = TextField(label=_("Đơn vị tính"), max_length=40)
            # A leading blank choice keeps an untouched blank row blank when a browser posts it.
            self.fields["direction"] = forms.ChoiceField(
                label=_("Chiều đánh giá"), choices=[("", "—"), *Direction.choices]
            )
            if with_plan_fields:
                self.fields["baseline"] = QuantityField(label=_("Đầu kỳ"), required=False)
            self.fields["value"] = QuantityField(label=_("Giá trị chỉ tiêu"))
            if with_plan_fields:
                self.fields["accumulation"] = forms.ChoiceField(
                    label=_("Cách tính"), choices=[("", "—"), *Accumulation.choices]
                )
                self.fields["base"] = QuantityField(
                    label=_("Quy mô (mẫu số)"),
                    required=False,
                    help_text=_("Số hộ, số dân, diện tích… mà tỷ lệ tính trên đó."),
                )
            else:
                self.fields["combination"] = forms.ChoiceField(
                    label=_("Tổng hợp từ các xã"),
                    choices=[("", "—"), *Combination.choices],
                    help_text=_("Cộng: sản lượng, diện tích, số hộ… Bình quân: tỷ lệ, mức/người."),
                )

    def clean_deadline(self) -> datetime.date | None:
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline.year != self.year:
            raise ValidationError(
                _("Thời hạn phải nằm trong năm kế hoạch %(year)s."), params={"year": self.year}
            )
        return deadline

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.kind != ItemKind.TARGET:
            return data
        direction, value = data.get("direction"), data.get("value")
        baseline, unit = data.get("baseline"), data.get("measure_unit", "")
        if direction == Direction.ZERO and value not in (None, 0):
            self.add_error("value", _("Chỉ tiêu “không để xảy ra” có giá trị 0."))
        if direction == Direction.DECREASE and None not in (value, baseline) and value > baseline:
            self.add_error(
                "value",
                _("Chỉ tiêu giảm không được cao hơn giá trị đầu kỳ (%(b)s).")
                % {"b": quantity(baseline)},
            )
        if direction == Direction.INCREASE and None not in (value, baseline) and value < baseline:
            self.add_error(
                "value",
                _("Chỉ tiêu tăng không được thấp hơn giá trị đầu kỳ (%(b)s).")
                % {"b": quantity(baseline)},
            )
        if unit.strip() in PERCENT_UNITS:
            for name in ("value", "baseline"):
                if data.get(name) is not None and data[name] > 100:
                    self.add_error(name, _("Tỷ lệ phần trăm không vượt quá 100."))
        return data

    def item_values(self, *, with_plan_fields: bool) -> dict[str, Any]:
        """The model values of this row, in the model's own field names."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            "kind": self.kind,
            "text": data["text"],
            "field_id": data["field"],
        }
        if data.get("order"):
            values["order"] = data["order"]
        if with_plan_fields:
            values["responsible"] = data.get("responsible", "")
            values["deadline"] = data.get("deadline")
        if self.kind == ItemKind.TARGET:
            values["measure_unit"] = data["measure_unit"]
            values["direction"] = data["direction"]
            value_name = "target_value" if with_plan_fields else "value"
            values[value_name] = data["value"]
            if with_plan_fields:
                values["baseline"] = data.get("baseline")
                values["accumulation"] = data["accumulation"]
                values["base"] = data.get("base")
            else:
                values["combination"] = data["combination"]
        return values


class BaseItemFormSet(forms.BaseFormSet):
    """The rows of one kind. Refuses two rows saying the same thing."""

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: dict[str, int] = {}
        for number, form in enumerate(self.forms, start=1):
            if not form.has_changed() and not form.cleaned_data.get("id"):
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            key = fold(form.cleaned_data.get("text", ""))
            if key and key in seen:
                form.add_error("text", _("Nội dung trùng với dòng %(row)s.") % {"row": seen[key]})
            seen.setdefault(key, number)


ItemFormSet = forms.formset_factory(
    ItemForm, formset=BaseItemFormSet, extra=1, can_delete=True, max_num=200, validate_max=True
)


class PlanHeaderForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    number = TextField(label=_("Số hiệu"), required=False, max_length=40)
    title = TextField(
        label=_("Trích yếu"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    issued_on = DayField(
        label=_("Ngày ban hành"),
        required=False,
    )

    @classmethod
    def for_document(cls, document: CommunePlan | Programme, data: QueryDict | None) -> Self:
        """The header over the document's saved values. Each field is named as the document's
        attribute; `version` comes back with the POST so the save can refuse a stale editor."""
        return cls(data, initial={name: getattr(document, name) for name in cls.base_fields})


class ProgrammeHeaderForm(PlanHeaderForm):
    number = TextField(label=_("Số hiệu"), max_length=40)
    issued_on = DayField(label=_("Ngày ban hành"))
    motto = TextField(label=_("Phương châm"), required=False, max_length=300)
    term_note = TextField(label=_("Năm của nhiệm kỳ"), required=False, max_length=300)


class PlanCreateForm(forms.Form):
    title = TextField(
        label=_("Trích yếu"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    number = TextField(label=_("Số hiệu"), required=False, max_length=40)
    copy_previous_year = forms.BooleanField(
        label=_("Sao chép nội dung từ kế hoạch năm trước"), required=False
    )


class ProgrammeCreateForm(forms.Form):
    """A new programme. `units` (for an admin, who has no unit of their own) adds the choice
    of the issuing unit."""

    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=ProgrammeKind.choices)
    number = TextField(label=_("Số hiệu"), max_length=40)
    issued_on = DayField(label=_("Ngày ban hành"))
    title = TextField(
        label=_("Trích yếu"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    motto = TextField(label=_("Phương châm"), required=False, max_length=300)
    term_note = TextField(label=_("Năm của nhiệm kỳ"), required=False, max_length=300)

    def __init__(self, *args: Any, units: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"] = IdChoiceField(
                label=_("Đơn vị ban hành"), queryset=units, empty_label="—"
            )
            self.order_fields(["unit"])


class AllocationForm(forms.Form):
    """Phân bổ chỉ tiêu: one share of a district target per commune, blank for none."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = TextField(
        label=_("Ghi chú phân bổ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        for unit in units:
            self.fields[self.share_name(unit.pk)] = QuantityField(
                label=unit.display_name, required=False
            )

    @classmethod
    def for_target(
        cls,
        item: ProgrammeItem,
        allocations: Iterable[TargetAllocation],
        units: list[Unit],
        data: QueryDict | None,
    ) -> Self:
        """The form over the saved shares. `version` is the programme's: the save refuses a
        form opened before someone else changed the programme."""
        initial = {"version": item.programme.version, "note": item.allocation_note}
        initial |= {
            cls.share_name(allocation.unit_id): allocation.value for allocation in allocations
        }
        return cls(data, initial=initial, units=units)

    @staticmethod
    def share_name(unit_pk: int) -> str:
        return f"unit_{unit_pk}"

    def shares(self) -> dict[Unit, Decimal | None]:
        """Each commune's share as the valid POST gives it."""
        return {unit: self.cleaned_data[self.share_name(unit.pk)] for unit in self.units}

    def rows(self) -> list[tuple[Unit, forms.BoundField]]:
        """The table of the page: each commune beside its input."""
        return [(unit, self[self.share_name(unit.pk)]) for unit in self.units]


class ReasonForm(forms.Form):
    reason = TextField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 4}))


class ApproveForm(forms.Form):
    note = TextField(
        label=_("Ý kiến (không bắt buộc)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RevisionForm(forms.Form):
    reason = TextField(label=_("Lý do điều chỉnh"), widget=forms.Textarea(attrs={"rows": 4}))
    decision = TextField(
        label=_("Văn bản cho phép điều chỉnh"),
        max_length=200,
        help_text=_("Số, ngày văn bản của cấp có thẩm quyền."),
    )


class OpenYearForm(forms.Form):
    """Mở năm báo cáo: the year and the office's deadline rule."""

    year = forms.IntegerField(
        label=_("Năm"), min_value=2000, max_value=2100, error_messages={"invalid": _("Nhập năm.")}
    )
    working_days = forms.IntegerField(
        label=_("Hạn báo cáo (số ngày làm việc sau ngày chốt số liệu)"),
        min_value=1,
        max_value=30,
        help_text=_(
            "Nghị định 09/2019/NĐ-CP: số liệu tháng chốt ngày 14, quý chốt ngày 14 tháng cuối "
            "quý. Thứ Bảy, Chủ nhật và ngày nghỉ lễ, Tết không tính."
        ),
    )

    def __init__(
        self,
        *args: Any,
        working_days: int | None = None,
        opened: Iterable[int] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # This year if it has not been opened yet, else the next one.
        this_year = timezone.localdate().year
        self.fields["year"].initial = this_year if this_year not in set(opened) else this_year + 1
        self.fields["working_days"].initial = working_days or 2


class ExtensionForm(forms.Form):
    """Gia hạn báo cáo cho một xã: which commune, until when, and why."""

    unit = IdChoiceField(label=_("Xã"), queryset=None, empty_label=None)
    deadline = DayField(label=_("Hạn mới"))
    reason = TextField(label=_("Lý do gia hạn"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, communes: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = communes
        self.fields["unit"].label_from_instance = lambda unit: unit.display_name
