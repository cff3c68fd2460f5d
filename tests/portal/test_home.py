"""The home page: units in the user's scope with their plans and counts for a year."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _units(response) -> list[str]:
    return [unit.name for _parent, rows in response.context["groups"] for unit, _plan in rows]


def test_district_staff_see_the_13_tháp_mười_units(login) -> None:
    response = login("vanphong").get("/?year=2022")
    assert response.status_code == 200
    assert len(_units(response)) == 13
    assert response.context["planned_count"] == 13


def test_the_latest_year_with_data_is_shown_by_default(login) -> None:
    response = login("vanphong").get("/")
    assert response.context["year"] == 2023


def test_units_without_a_plan_are_shown_as_such(login) -> None:
    response = login("vanphong").get("/?year=2023")
    groups = response.context["groups"]
    missing = [unit.name for _parent, rows in groups for unit, plan in rows if plan is None]
    assert set(missing) == {"Thạnh Lợi", "Tân Kiều", "Láng Biển", "Thanh Mỹ"}
    assert "Chưa có kế hoạch năm 2023" in response.content.decode()


def test_home_counts_items_of_each_kind(login) -> None:
    response = login("vanphong").get("/?year=2023")
    plan = next(
        plan
        for _p, rows in response.context["groups"]
        for unit, plan in rows
        if unit.name == "Mỹ Quý"
    )
    counts = (plan.key_task_count, plan.target_count, plan.breakthrough_count)
    assert counts == (5, 13, 5)


def test_commune_staff_see_only_their_commune(login) -> None:
    assert _units(login("myqui").get("/?year=2023")) == ["Mỹ Quý"]


def test_a_year_without_a_plan_says_so(login) -> None:
    response = login("myqui").get("/?year=2024")
    assert response.status_code == 200
    assert "Chưa có kế hoạch năm 2024" in response.content.decode()


def test_a_year_after_the_units_ended_shows_an_empty_state(login) -> None:
    response = login("myqui").get("/?year=2030")
    assert response.status_code == 200
    assert "Chưa có đơn vị nào trong phạm vi của bạn" in response.content.decode()


@pytest.mark.parametrize("year", ["abc", "-1", "99999", "2022'--", "\x00"])
def test_a_bad_year_falls_back_to_the_default(login, year: str) -> None:
    response = login("vanphong").get("/", {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == 2023


def test_admin_sees_units_of_every_province(login) -> None:
    names = _units(login("admin").get("/?year=2022"))
    assert {"Mỹ Quý", "Phong Mỹ", "Tiến Nông", "Xuân Dương"} <= set(names)


def test_after_the_reform_the_new_communes_hang_under_the_province(login) -> None:
    response = login("admin").get("/?year=2026")
    parents = {parent.code for parent, _rows in response.context["groups"]}
    assert parents == {"82"}


def test_home_refuses_post(login) -> None:
    assert login("vanphong").post("/").status_code == 405
