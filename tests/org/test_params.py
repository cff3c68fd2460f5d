"""Query parameters and chosen ids are read safely before any query sees them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from org.fields import IdChoiceField
from org.models import Unit
from org.params import MAX_ID, parse_id, text_param, year_param


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),  # past 2^63: SQLite would raise OverflowError
        ("9" * 10_000, None),  # int() would refuse it
        ("0", None),
        ("-1", None),
        ("١٢", None),  # Arabic-Indic digits pass str.isdigit()
        ("1e3", None),
        ("", None),
    ],
)
def test_parse_id(raw: str, expected: int | None) -> None:
    assert parse_id(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2023", 2023), ("1999", None), ("2101", None), ("9" * 10_000, None), ("２０２３", None)],
)
def test_year_param(raw: str, expected: int | None) -> None:
    assert year_param(RequestFactory().get("/", {"year": raw})) == expected


def test_text_param_refuses_control_characters_and_length() -> None:
    assert text_param(RequestFactory().get("/", {"set": "qd318"}), "set") == "qd318"
    assert text_param(RequestFactory().get("/", {"set": "a\x00b"}), "set") == ""
    assert text_param(RequestFactory().get("/", {"set": "x" * 101}), "set") == ""


@pytest.mark.django_db
@pytest.mark.parametrize("value", [str(MAX_ID + 1), "9" * 10_000, "-1", "abc"])
def test_a_hostile_id_is_an_invalid_choice(value: str) -> None:
    field = IdChoiceField(queryset=Unit.objects.all())
    with pytest.raises(ValidationError) as refused:
        field.clean(value)
    assert refused.value.code == "invalid_choice"
