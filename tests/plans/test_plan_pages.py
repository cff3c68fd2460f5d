"""The commune plan and programme pages: what they show and who may open them."""

from __future__ import annotations

import pytest

from plans.models import CommunePlan, Programme
from tests.conftest import demo_plan

pytestmark = pytest.mark.django_db

READERS_OF_BOTH = ["vanphong", "lanhdao", "admin"]


@pytest.mark.parametrize("username", READERS_OF_BOTH)
def test_district_users_open_every_tháp_mười_plan(
    login, username: str, my_qui_2023: CommunePlan, phu_dien_2022: CommunePlan
) -> None:
    client = login(username)
    assert client.get(my_qui_2023.get_absolute_url()).status_code == 200
    assert client.get(phu_dien_2022.get_absolute_url()).status_code == 200


def test_commune_staff_open_their_own_plan(login, my_qui_2023: CommunePlan) -> None:
    response = login("myqui").get(my_qui_2023.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("username", "other_unit", "year"),
    [("myqui", "Phú Điền", 2022), ("phudien", "Mỹ Quý", 2023), ("myqui", "Phong Mỹ", 2022)],
)
def test_commune_staff_get_404_for_another_communes_plan(
    login, username: str, other_unit: str, year: int
) -> None:
    plan = demo_plan(other_unit, year)
    client = login(username)
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert client.post(plan.get_absolute_url()).status_code in {404, 405}


def test_district_staff_get_404_for_another_districts_plan(login) -> None:
    phong_my = demo_plan("Phong Mỹ", 2022)
    assert login("vanphong").get(phong_my.get_absolute_url()).status_code == 404


def test_plan_page_refuses_post(login, my_qui_2023: CommunePlan) -> None:
    assert login("vanphong").post(my_qui_2023.get_absolute_url()).status_code == 405


def test_my_qui_2023_plan_page_shows_its_counts_and_breakthroughs(
    login, my_qui_2023: CommunePlan
) -> None:
    response = login("vanphong").get(my_qui_2023.get_absolute_url())
    sections = {section.kind: section.count for section in response.context["sections"]}
    assert sections["key_task"] == 5
    assert sections["target"] == 13
    assert sections["breakthrough"] == 5
    page = response.content.decode()
    assert "Phước Tiến" in page
    assert "Mỹ Quí" in page


def test_plan_page_links_items_to_the_district_items_they_derive_from(
    login, my_qui_2023: CommunePlan
) -> None:
    item = my_qui_2023.items.filter(source_items__isnull=False).first()
    source = item.source_items.first()
    page = login("vanphong").get(my_qui_2023.get_absolute_url()).content.decode()
    assert f"#item-{source.pk}" in page


def test_programme_page_lists_the_communes_that_took_each_item_up(login) -> None:
    programme = Programme.objects.get(unit__code="872", year=2023, kind="party")
    response = login("vanphong").get(programme.get_absolute_url())
    assert response.status_code == 200
    assert any(
        item.communes
        for section in response.context["sections"]
        for group in section.groups
        for item in group.items
    )


def test_commune_staff_read_their_districts_programme_only(login) -> None:
    tháp_mười = Programme.objects.get(unit__code="872", year=2022, kind="party")
    cao_lãnh = Programme.objects.get(unit__code="873", year=2022, kind="party")
    client = login("myqui")
    response = client.get(tháp_mười.get_absolute_url())
    assert response.status_code == 200
    # The page names only communes in the reader's own scope.
    assert {plan.unit.name for plan in response.context["plans"]} <= {"Mỹ Quý"}
    assert client.get(cao_lãnh.get_absolute_url()).status_code == 404


def test_a_missing_plan_is_a_404(login) -> None:
    assert login("admin").get("/plans/999999/").status_code == 404


def test_an_inspector_reads_only_the_communes_of_their_delegations(login) -> None:
    client = login("kiemtra")
    assert client.get(demo_plan("Mỹ Quý", 2023).get_absolute_url()).status_code == 200
    assert client.get(demo_plan("Mỹ Đông", 2022).get_absolute_url()).status_code == 200
    assert client.get(demo_plan("Phú Điền", 2022).get_absolute_url()).status_code == 404
