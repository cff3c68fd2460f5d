"""Numbers typed the Vietnamese way read back as they were shown."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plans.forms import QuantityField


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.250,5", Decimal("1250.5")),
        ("1250.5", Decimal("1250.5")),
        ("7,51", Decimal("7.51")),
        ("  99 ", Decimal("99")),
        ("0", Decimal("0")),
    ],
)
def test_vietnamese_and_plain_decimals_are_read(typed: str, value: Decimal) -> None:
    assert QuantityField().clean(typed) == value


@pytest.mark.parametrize("value", [Decimal("7.5100"), Decimal("8900.0000"), Decimal("0.0500")])
def test_a_shown_value_reads_back_unchanged(value: Decimal) -> None:
    field = QuantityField()
    assert field.clean(field.prepare_value(value)) == value


@pytest.mark.parametrize("typed", ["-1", "abc", "1e30", "1,2,3"])
def test_impossible_numbers_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        QuantityField().clean(typed)
