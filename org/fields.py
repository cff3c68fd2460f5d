"""Form fields every floor shares.

Rows chosen by id without letting a hostile id reach the database: Django's model choice
fields hand the posted value straight to a query, and an id past 2^63 then raises
OverflowError on SQLite (a server error) instead of a form error.

Days typed and shown as dd/mm/yyyy whatever the browser's language: the native date picker
follows the browser (06/20/2023 in an English one), so a day is a text box.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.params import parse_id


class IdChoiceField(forms.ModelChoiceField):
    """A model choice that refuses anything but a plausible id as an invalid choice."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if parse_id(str(value)) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several rows by id; any implausible id refuses the field."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if parse_id(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:20]},
                )
        return super()._check_values(value)


# dd/mm/yyyy first; the ISO form too (what a date picker, a script or an old bookmark sends)
DAY_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class DayInput(forms.DateInput):
    """A day as text, dd/mm/yyyy, with a numeric keyboard on phones."""

    def __init__(self, attrs: dict | None = None) -> None:
        defaults = {
            "class": "input-day",
            "inputmode": "numeric",
            "placeholder": _("dd/mm/yyyy"),
            "autocomplete": "off",
            "maxlength": "10",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class DayField(forms.DateField):
    """A day typed dd/mm/yyyy (or ISO), refused in Vietnamese with an example otherwise."""

    widget = DayInput
    input_formats = DAY_INPUT_FORMATS
    default_error_messages = {
        "invalid": _("Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 20/06/2023."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DAY_INPUT_FORMATS)
        super().__init__(**kwargs)


def id_safe_formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """A ModelForm's `formfield_callback`: its foreign keys and many-to-many fields read
    ids with the fields above, its days with `DayField`."""
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        kwargs.setdefault("form_class", DayField)
        kwargs.setdefault("widget", DayInput)
    elif isinstance(field, models.ForeignKey):
        kwargs.setdefault("form_class", IdChoiceField)
    elif isinstance(field, models.ManyToManyField):
        kwargs.setdefault("form_class", IdMultipleChoiceField)
    return field.formfield(**kwargs)
