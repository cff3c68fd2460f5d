"""Numbers typed the Vietnamese way read back as they were shown."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plans.forms import MAX_QUANTITY, QuantityField


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.250,5", Decimal("1250.5")),
        ("1250.5", Decimal("1250.5")),
        ("7,51", Decimal("7.51")),
        ("  99 ", Decimal("99")),
        ("0", Decimal("0")),
        # "." between groups of three digits is the Vietnamese thousands separator.
        ("1.250", Decimal("1250")),
        ("1.250.000", Decimal("1250000")),
        ("12.500", Decimal("12500")),
        ("999.999", Decimal("999999")),
        ("1.250.000,75", Decimal("1250000.75")),
        ("1 250 000", Decimal("1250000")),
        ("1\u00a0250,5", Decimal("1250.5")),
        ("1,25", Decimal("1.25")),
        ("0,5", Decimal("0.5")),
        # A dot that cannot separate thousands is a decimal point, as before.
        ("1.25", Decimal("1.25")),
        ("1.2", Decimal("1.2")),
        ("1.2500", Decimal("1.25")),
        ("1250.500", Decimal("1250.5")),
        ("0.500", Decimal("0.5")),
        (".5", Decimal("0.5")),
        ("99999999999999,9999", MAX_QUANTITY),
    ],
)
def test_vietnamese_and_plain_decimals_are_read(typed: str, value: Decimal) -> None:
    assert QuantityField().clean(typed) == value


@pytest.mark.parametrize(
    "value",
    [Decimal("7.5100"), Decimal("8900.0000"), Decimal("0.0500"), Decimal("1250"), MAX_QUANTITY],
)
def test_a_shown_value_reads_back_unchanged(value: Decimal) -> None:
    field = QuantityField()
    assert field.clean(field.prepare_value(value)) == value


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "Không nhập số âm."),
        ("-1.250", "Không nhập số âm."),
        ("abc", "Nhập một số"),
        ("1e30", "Số quá lớn."),
        ("1,2,3", "Nhập một số"),
        # An English "1,250.5" and a misplaced "12.50,5" have no safe reading.
        ("1,250.5", "Nhập một số"),
        ("12.50,5", "Nhập một số"),
        ("1.2.3", "Nhập một số"),
        ("1,23456", "Tối đa 4 chữ số thập phân."),
        # Fifteen digits do not fit the columns (18 digits, 4 of them decimals).
        ("123456789012345", "Số quá lớn."),
        ("100.000.000.000.000", "Số quá lớn."),
        ("99999999999999,99999", "Tối đa 4 chữ số thập phân."),
        ("NaN", "Nhập một số"),
    ],
)
def test_impossible_numbers_are_refused_in_vietnamese(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        QuantityField().clean(typed)
    assert any(shown.startswith(message) for shown in refused.value.messages)


def test_the_largest_quantity_fits_the_columns() -> None:
    from plans.models import PlanItem, ProgrammeItem, TargetAllocation, TargetResult

    for model, name in [
        (PlanItem, "target_value"),
        (PlanItem, "baseline"),
        (ProgrammeItem, "value"),
        (TargetAllocation, "value"),
        (TargetResult, "value"),
    ]:
        column = model._meta.get_field(name)
        whole = column.max_digits - column.decimal_places
        assert Decimal(10**whole) - Decimal(1).scaleb(-column.decimal_places) == MAX_QUANTITY
