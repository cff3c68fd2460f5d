"""`load_demo` builds the seed facts and is idempotent."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.serializers import serialize

from org.models import Unit
from plans.models import CommunePlan, ItemKind

pytestmark = pytest.mark.django_db


def counts(unit_name: str, year: int) -> dict[str, int]:
    plan = CommunePlan.objects.with_item_counts().get(unit__name=unit_name, year=year)
    return {kind: getattr(plan, f"{kind}_count") for kind in ItemKind.values}


@pytest.mark.parametrize(
    ("unit_name", "year", "expected"),
    [
        ("Mỹ Quý", 2023, {"key_task": 5, "target": 13, "breakthrough": 5}),
        ("Phú Điền", 2022, {"key_task": 8}),
        ("Hưng Thạnh", 2022, {"key_task": 4, "target": 7, "solution": 7}),
        ("Phong Mỹ", 2022, {"key_task": 5, "target": 10}),
        ("Mỹ Đông", 2022, {"key_task": 5, "target": 13, "solution": 8}),
    ],
)
def test_the_seed_plans_have_the_seed_counts(unit_name: str, year: int, expected: dict) -> None:
    actual = counts(unit_name, year)
    assert {kind: actual[kind] for kind in expected} == expected


def test_tháp_mười_has_its_13_units_with_their_official_codes() -> None:
    district = Unit.objects.get(code="872")
    codes = set(district.children.values_list("code", flat=True))
    assert codes == {str(code) for code in range(30037, 30074, 3)}
    assert district.parent.code == "87"


def test_every_demo_target_derives_from_a_district_target() -> None:
    plan = CommunePlan.objects.get(unit__name="Mỹ Quý", year=2023)
    for item in plan.items.filter(kind=ItemKind.TARGET):
        kinds = set(item.source_items.values_list("kind", flat=True))
        assert kinds == {ItemKind.TARGET}, item


def _snapshot() -> dict[str, str]:
    models = [
        *apps.get_app_config("portal").get_models(),
        *apps.get_app_config("plans").get_models(),
    ]
    return {
        model._meta.label: serialize("json", model.objects.order_by("pk"), fields=_compared(model))
        for model in models
    }


def _compared(model) -> list[str]:
    """Every field but the timestamps a re-load may touch."""
    volatile = {"updated_at", "last_login"}
    fields = [f.name for f in model._meta.fields if f.name not in volatile]
    return fields + [f.name for f in model._meta.many_to_many]


def test_loading_the_demo_twice_gives_the_same_data() -> None:
    before = _snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = _snapshot()
    for label in before:
        assert before[label] == after[label], label
