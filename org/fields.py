"""Form fields that choose rows by id without letting a hostile id reach the database.

Django's model choice fields hand the posted value straight to a query; an id past 2^63
then raises OverflowError on SQLite (a server error) instead of a form error.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

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


def id_safe_formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """A ModelForm's `formfield_callback`: its foreign keys and many-to-many fields read
    ids with the fields above."""
    if isinstance(field, models.ForeignKey):
        kwargs.setdefault("form_class", IdChoiceField)
    elif isinstance(field, models.ManyToManyField):
        kwargs.setdefault("form_class", IdMultipleChoiceField)
    return field.formfield(**kwargs)
