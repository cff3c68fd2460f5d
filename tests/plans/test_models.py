"""The database refuses rows that break the plan chain's rules, and says why in Vietnamese."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from org.models import Role, Unit, UnitSuccession, User
from plans.models import CommunePlan, ItemKind, Period, PlanItem
from plans.services import create_periods
from tests.builders import make_plan, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan() -> CommunePlan:
    return make_plan(make_unit(), year=2023, items=0)


def target(plan: CommunePlan, **overrides) -> PlanItem:
    values = {
        "plan": plan,
        "kind": ItemKind.TARGET,
        "text": "Tỷ lệ hộ nghèo",
        "measure_unit": "%",
        "direction": "decrease",
        "baseline": Decimal("3.1"),
        "target_value": Decimal("2.5"),
        "accumulation": "point",
    }
    return PlanItem(**(values | overrides))


def assert_refused(obj, constraint: str) -> None:
    """Refused by full_clean with a message, and by the database itself."""
    with pytest.raises(ValidationError):
        obj.full_clean()
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        obj.save()


def test_a_complete_target_is_accepted(plan: CommunePlan) -> None:
    item = target(plan)
    item.full_clean()
    item.save()


@pytest.mark.parametrize(
    ("overrides", "constraint"),
    [
        ({"target_value": None}, "target_complete"),
        ({"measure_unit": ""}, "target_complete"),
        ({"direction": ""}, "target_complete"),
        ({"accumulation": ""}, "target_has_accumulation"),
        ({"target_value": Decimal("-1")}, "value_not_negative"),
        ({"baseline": Decimal("-1")}, "baseline_not_negative"),
        ({"direction": "zero", "target_value": Decimal("1")}, "zero_direction_has_zero_value"),
        ({"direction": "sideways"}, "direction_valid"),
    ],
)
def test_an_incomplete_or_impossible_target_is_refused(
    plan: CommunePlan, overrides: dict, constraint: str
) -> None:
    assert_refused(target(plan, **overrides), constraint)


def test_a_key_task_cannot_carry_target_numbers(plan: CommunePlan) -> None:
    item = target(plan, kind=ItemKind.KEY_TASK, baseline=None, accumulation="")
    assert_refused(item, "numbers_only_on_targets")


def test_a_commune_has_one_plan_per_year(plan: CommunePlan) -> None:
    twin = CommunePlan(unit=plan.unit, year=plan.year, title="Bản thứ hai")
    with pytest.raises(ValidationError, match="Đơn vị đã có kế hoạch cho năm này"):
        twin.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_plan_years_stay_in_range() -> None:
    assert_refused(CommunePlan(unit=make_unit(), year=1990, title="x"), "year_range")


def test_a_unit_cannot_end_before_it_starts() -> None:
    unit = Unit(
        code="99999",
        kind="commune",
        name="X",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2019, 1, 1),
    )
    assert_refused(unit, "valid_to_after_valid_from")


def test_the_same_code_may_return_with_a_new_validity_date() -> None:
    old = Unit.objects.get(code="30055", valid_to__isnull=False)
    new = Unit.objects.get(code="30055", valid_to__isnull=True)
    assert (old.name, new.name) == ("Mỹ Quý", "Mỹ Quí")
    assert UnitSuccession.objects.filter(predecessor=old, successor=new).exists()
    twin = Unit(code="30055", kind="commune", name="Trùng", valid_from=old.valid_from)
    with pytest.raises(ValidationError):
        twin.full_clean()


def test_a_succession_needs_two_different_units() -> None:
    unit = make_unit()
    succession = UnitSuccession(
        predecessor=unit, successor=unit, effective_on=datetime.date(2025, 7, 1)
    )
    assert_refused(succession, "distinct_units")


def test_users_other_than_admins_belong_to_a_unit() -> None:
    user = User(username="mồcôi", role=Role.LEADER, unit=None)
    with pytest.raises(IntegrityError, match="unit_required"), transaction.atomic():
        user.save()


def test_a_year_has_19_periods_with_official_labels() -> None:
    periods = create_periods(2024)
    assert len(periods) == 19
    labels = {period.label for period in periods}
    assert {"Tháng 3/2024", "Quý I/2024", "6 tháng đầu năm 2024", "Năm 2024"} <= labels
    feb = Period.objects.get(kind="month", year=2024, index=2)
    # Nghị định 09/2019: February's figures run from 15/1 to 14/2, due 2 working days later.
    assert (feb.start, feb.end) == (datetime.date(2024, 1, 15), datetime.date(2024, 2, 14))
    assert feb.report_deadline == datetime.date(2024, 2, 16)
    assert create_periods(2024) == periods  # idempotent


def test_period_index_must_fit_its_kind() -> None:
    period = Period(
        kind="quarter",
        year=2024,
        index=5,
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 3, 31),
    )
    assert_refused(period, "index_fits_kind")


@pytest.mark.django_db
def test_items_get_a_stable_code_that_copies_keep(my_qui_2023) -> None:
    from plans import services

    codes = {item.kind: set() for item in my_qui_2023.items.all()}
    for item in my_qui_2023.items.all():
        codes[item.kind].add(item.code)
    assert codes["target"] == {f"CT{n:02d}" for n in range(1, 14)}
    assert codes["key_task"] == {f"NV{n:02d}" for n in range(1, 6)}
    my_qui_2023.items.filter(code="CT05").update(code="")
    added = PlanItem.objects.create(
        plan=my_qui_2023, kind="target", order=99, text="Mới", measure_unit="%",
        direction="increase", accumulation="point", target_value=1,
    )  # fmt: skip
    assert added.code == "CT14"  # one past the highest: CT05 is not given again
    vanphong = User.objects.get(username="vanphong")
    copy = services.create_plan(
        my_qui_2023.unit, my_qui_2023.year + 1, by=vanphong, title="KH", copy_previous_year=True
    )
    assert set(copy.items.values_list("code", flat=True)) == set(
        my_qui_2023.items.values_list("code", flat=True)
    )
