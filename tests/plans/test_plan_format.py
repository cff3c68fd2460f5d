"""Numbers are shown as Vietnamese documents write them."""

from decimal import Decimal

import pytest
from django.utils import translation

from plans.templatetags.plan_format import quantity


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("8900.0000"), "8.900"),
        (Decimal("64.5000"), "64,5"),
        (Decimal("93.7500"), "93,75"),
        (Decimal("0"), "0"),
        (Decimal("136000"), "136.000"),
        (None, ""),
    ],
)
def test_quantities_use_vietnamese_separators_without_trailing_zeros(value, shown: str) -> None:
    with translation.override("vi"):
        assert quantity(value) == shown
