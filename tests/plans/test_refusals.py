"""Numbers too large for the columns and service refusals are Vietnamese form errors, not 500s."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from org.models import Unit
from plans import services
from plans.models import CommunePlan, ItemKind, Period, Programme, ProgressReport, TargetAllocation
from tests.builders import make_unit
from tests.conftest import demo_plan
from tests.plans.editor_payload import add_row, editor_payload

pytestmark = pytest.mark.django_db

FIFTEEN_DIGITS = "123456789012345"
# What model validation says about a field the page's form does not have.
MODEL_ERROR = ValidationError({"value": ["Giá trị vượt quá độ dài cho phép của cột."]})


def refuse(*_args: Any, **_kwargs: Any) -> None:
    raise MODEL_ERROR


@pytest.fixture
def programme() -> Programme:
    return Programme.objects.get(unit__code="872", year=2023, kind="party")


def test_a_fifteen_digit_target_is_refused_by_the_plan_editor(login) -> None:
    plan = demo_plan("Mỹ Hòa", 2023)
    client = login("vanphong")
    url = f"/plans/{plan.pk}/edit/"
    data = add_row(
        editor_payload(client.get(url)),
        ItemKind.TARGET,
        text="Thu ngân sách",
        measure_unit="đồng",
        direction="increase",
        value=FIFTEEN_DIGITS,
        accumulation="cumulative",
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Số quá lớn." in response.content.decode()
    assert not plan.items.filter(text="Thu ngân sách").exists()


def test_a_fifteen_digit_share_is_refused_by_the_allocation_page(login, programme) -> None:
    target = programme.items.filter(kind=ItemKind.TARGET).first()
    unit = Unit.objects.get(code="30055", valid_to__isnull=False)
    response = login("vanphong").post(
        f"/plans/programmes/targets/{target.pk}/allocate/",
        {"version": programme.version, f"unit_{unit.pk}": FIFTEEN_DIGITS},
    )
    assert response.status_code == 400
    assert "Số quá lớn." in response.content.decode()
    assert not TargetAllocation.objects.filter(item=target).exists()


def test_a_fifteen_digit_result_is_refused_by_the_report_form(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    half = Period.objects.get(kind="half", year=2023, index=1)
    target = plan.items.filter(kind=ItemKind.TARGET).first()
    response = login("myqui").post(
        f"/plans/{plan.pk}/reports/{half.pk}/",
        {"version": "0", f"value_{target.pk}": FIFTEEN_DIGITS},
    )
    assert response.status_code == 400
    assert "Số quá lớn." in response.content.decode()
    assert not ProgressReport.objects.filter(plan=plan, period=half).exists()


# --- a service refusing with a model field's error is shown on the page ------------------


def _plan_create(client: Client) -> tuple[str, dict]:
    unit = make_unit(Unit.objects.get(code="872", valid_to__isnull=False))
    return f"/plans/new/{unit.pk}/2023/", {"title": "Kế hoạch năm 2023"}


def _plan_edit(client: Client) -> tuple[str, dict]:
    url = f"/plans/{demo_plan('Mỹ Hòa', 2023).pk}/edit/"
    return url, editor_payload(client.get(url))


def _programme_create(client: Client) -> tuple[str, dict]:
    data = {"kind": "party", "number": "01", "issued_on": "2024-01-08", "title": "Chương trình"}
    return "/plans/programmes/new/2024/", data


def _programme_edit(client: Client) -> tuple[str, dict]:
    programme = Programme.objects.get(unit__code="872", year=2023, kind="party")
    url = f"/plans/programmes/{programme.pk}/edit/"
    return url, editor_payload(client.get(url))


def _programme_allocate(client: Client) -> tuple[str, dict]:
    programme = Programme.objects.get(unit__code="872", year=2023, kind="party")
    target = programme.items.filter(kind=ItemKind.TARGET).first()
    unit = Unit.objects.get(code="30055", valid_to__isnull=False)
    url = f"/plans/programmes/targets/{target.pk}/allocate/"
    return url, {"version": programme.version, f"unit_{unit.pk}": "5"}


PAGES: dict[str, tuple[str, Callable[[Client], tuple[str, dict]]]] = {
    "plan-create": ("create_plan", _plan_create),
    "plan-edit": ("save_plan", _plan_edit),
    "programme-create": ("create_programme", _programme_create),
    "programme-edit": ("save_programme", _programme_edit),
    "programme-allocate": ("allocate_target", _programme_allocate),
}


# Not "page": that name is pytest-playwright's browser page fixture.
@pytest.mark.parametrize("form_page", sorted(PAGES))
def test_a_service_refusal_naming_a_model_field_is_shown_on_the_form(
    login, monkeypatch, form_page: str
) -> None:
    service, build = PAGES[form_page]
    client = login("vanphong")
    url, data = build(client)
    monkeypatch.setattr(services, service, refuse)
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Giá trị vượt quá độ dài cho phép của cột." in response.content.decode()


def test_the_plan_create_page_keeps_its_form_after_a_refusal(login, monkeypatch) -> None:
    client = login("vanphong")
    url, data = _plan_create(client)
    monkeypatch.setattr(services, "create_plan", refuse)
    response = client.post(url, data)
    assert response.context["form"].non_field_errors() == [
        "Giá trị vượt quá độ dài cho phép của cột."
    ]
    assert not CommunePlan.objects.filter(title="Kế hoạch năm 2023", year=2023).exists()


def test_a_report_refused_with_a_model_fields_error_is_shown_on_the_form(
    login, monkeypatch
) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    half = Period.objects.get(kind="half", year=2023, index=1)
    monkeypatch.setattr(services, "enter_report", refuse)
    data = {"version": "0"} | {
        f"state_{item.pk}": "done"
        for item in plan.items.filter(kind__in=["key_task", "breakthrough"])
    }
    response = login("myqui").post(f"/plans/{plan.pk}/reports/{half.pk}/", data)
    assert response.status_code == 400
    assert "Giá trị vượt quá độ dài cho phép của cột." in response.content.decode()
