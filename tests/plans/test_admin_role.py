"""A user of role admin (with or without superuser) and no unit of their own may do what office
staff do, choosing the supervising unit where office staff act for their own."""

from __future__ import annotations

import pytest
from django.test import Client

from org.models import Role, Unit, User
from plans.models import Period, Programme, schedule
from tests.builders import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["superuser", "role"])
def admin(request, client: Client) -> Client:
    """The demo's superuser, and a plain user of role admin: both without a unit."""
    if request.param == "superuser":
        user = User.objects.get(username="admin")
    else:
        user = make_user(None, role=Role.ADMIN)
    assert user.unit_id is None
    client.force_login(user)
    return client


def tháp_mười() -> Unit:
    return Unit.objects.get(code="872", valid_to__isnull=False)


def half() -> Period:
    return Period.objects.get(kind="half", year=2023, index=1)


def test_an_admin_picks_the_district_on_the_progress_list(admin: Client) -> None:
    page = admin.get("/plans/progress/", {"period": half().pk})
    assert page.status_code == 200
    assert tháp_mười() in page.context["supervisors"]
    assert page.context["may_lock"] is False  # no district chosen yet
    page = admin.get("/plans/progress/", {"period": half().pk, "unit": tháp_mười().pk})
    assert page.context["supervisor"] == tháp_mười()
    assert page.context["may_lock"] is True
    assert f'name="unit" value="{tháp_mười().pk}"' in page.content.decode()


def test_an_admin_locks_a_period_for_the_chosen_district(admin: Client) -> None:
    url = f"/plans/periods/{half().pk}/lock/"
    response = admin.post(url, {"locked": "1", "unit": tháp_mười().pk})
    assert response.status_code == 302
    assert response["Location"].endswith(f"&unit={tháp_mười().pk}")
    assert schedule(half(), tháp_mười().pk).locked
    admin.post(url, {"locked": "0", "unit": tháp_mười().pk})
    assert not schedule(half(), tháp_mười().pk).locked


def test_an_admin_sets_a_deadline_for_the_chosen_district(admin: Client) -> None:
    url = f"/plans/periods/{half().pk}/deadline/"
    response = admin.post(url, {"deadline": "2023-07-10", "unit": tháp_mười().pk})
    assert response.status_code == 302
    assert str(schedule(half(), tháp_mười().pk).deadline) == "2023-07-10"


def test_an_admin_who_chose_no_district_is_asked_to(admin: Client) -> None:
    response = admin.post(f"/plans/periods/{half().pk}/lock/", {"locked": "1"}, follow=True)
    assert response.status_code == 200
    assert "Hãy chọn đơn vị cấp trên" in response.content.decode()
    response = admin.post(
        f"/plans/periods/{half().pk}/deadline/", {"deadline": "2023-07-10"}, follow=True
    )
    assert "Hãy chọn đơn vị cấp trên" in response.content.decode()
    assert not schedule(half(), tháp_mười().pk).locked


def test_an_admin_issues_a_programme_for_the_chosen_unit(admin: Client) -> None:
    assert "/plans/programmes/new/2024/" in admin.get("/", {"year": 2024}).content.decode()
    page = admin.get("/plans/programmes/new/2024/")
    assert page.status_code == 200
    assert tháp_mười() in page.context["form"].fields["unit"].queryset
    data = {
        "unit": tháp_mười().pk,
        "kind": "party",
        "number": "01-CTr/HU",
        "issued_on": "2024-01-08",
        "title": "Chương trình hành động năm 2024",
    }
    response = admin.post("/plans/programmes/new/2024/", data)
    created = Programme.objects.get(unit=tháp_mười(), year=2024, kind="party")
    assert response["Location"] == f"/plans/programmes/{created.pk}/edit/"


def test_a_programme_is_issued_by_a_district_not_a_commune(admin: Client) -> None:
    commune = Unit.objects.get(code="30055", valid_to__isnull=False)
    data = {
        "unit": commune.pk,
        "kind": "party",
        "number": "01",
        "issued_on": "2024-01-08",
        "title": "Chương trình",
    }
    assert admin.post("/plans/programmes/new/2024/", data).status_code == 400
    assert not Programme.objects.filter(unit=commune).exists()


# --- office staff act for their own unit only ---------------------------------------------


def test_office_staff_cannot_choose_another_district(login) -> None:
    cao_lãnh = Unit.objects.get(code="873")
    client = login("vanphong")
    url = f"/plans/periods/{half().pk}/lock/"
    assert client.post(url, {"locked": "1", "unit": cao_lãnh.pk}).status_code == 404
    assert client.post(url, {"locked": "1", "unit": "x"}).status_code == 404
    assert not schedule(half(), cao_lãnh.pk).locked
    page = client.get("/plans/progress/", {"period": half().pk})
    assert page.context["supervisors"] == []
    assert page.context["supervisor"] == tháp_mười()


def test_office_staff_have_no_unit_choice_on_the_programme_form(login) -> None:
    page = login("vanphong").get("/plans/programmes/new/2024/")
    assert "unit" not in page.context["form"].fields
