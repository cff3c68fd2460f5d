"""Programme editor, target allocation, coverage and history pages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from org.models import Unit
from plans.models import ItemKind, Programme, TargetAllocation
from tests.plans.editor_payload import add_row, editor_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme() -> Programme:
    return Programme.objects.get(unit__code="872", year=2023, kind="party")


def test_district_staff_create_a_programme_for_a_new_year(login) -> None:
    client = login("vanphong")
    data = {
        "kind": "party",
        "number": "01-CTr/HU",
        "issued_on": "2024-01-08",
        "title": "Chương trình hành động năm 2024",
        "motto": "",
        "term_note": "",
    }
    response = client.post("/plans/programmes/new/2024/", data)
    created = Programme.objects.get(unit__code="872", year=2024, kind="party")
    assert response["Location"] == f"/plans/programmes/{created.pk}/edit/"
    assert created.history.first().history_user.username == "vanphong"


def test_a_second_programme_of_the_same_kind_and_year_is_refused(login, programme) -> None:
    data = {"kind": "party", "number": "99", "issued_on": "2023-01-01", "title": "Trùng"}
    response = login("vanphong").post("/plans/programmes/new/2023/", data)
    assert response.status_code == 400
    assert "Đơn vị đã có văn bản loại này cho năm này" in response.content.decode()


@pytest.mark.parametrize("username", ["lanhdao", "myqui", "kiemtra"])
def test_only_the_units_office_staff_create_programmes(login, username: str) -> None:
    assert login(username).get("/plans/programmes/new/2024/").status_code == 403


def test_district_staff_add_a_target_to_their_programme(login, programme) -> None:
    client = login("vanphong")
    url = f"/plans/programmes/{programme.pk}/edit/"
    data = add_row(
        editor_payload(client.get(url)),
        ItemKind.TARGET,
        text="Trồng mới 50 ha xoài",
        measure_unit="ha",
        direction="increase",
        value="50",
    )
    # A target must say how the communes' values combine: nothing is saved until it does.
    response = client.post(url, data)
    assert response.status_code == 400
    assert not programme.items.filter(text="Trồng mới 50 ha xoài").exists()
    assert "Trồng mới 50 ha xoài" in response.content.decode()  # what was typed stays
    data[f"target-{int(data['target-TOTAL_FORMS']) - 1}-combination"] = "sum"
    assert client.post(url, data).status_code == 302
    assert programme.items.filter(text="Trồng mới 50 ha xoài", value=50, combination="sum").exists()


def test_other_roles_cannot_edit_the_programme(login, programme) -> None:
    url = f"/plans/programmes/{programme.pk}/edit/"
    assert login("lanhdao").get(url).status_code == 403
    assert login("myqui").get(url).status_code == 403  # they may read it, not edit it


def test_another_districts_staff_get_404(login) -> None:
    cao_lãnh = Programme.objects.get(unit__code="873", year=2022, kind="party")
    assert login("vanphong").get(f"/plans/programmes/{cao_lãnh.pk}/edit/").status_code == 404


def test_allocating_a_target_warns_when_the_parts_do_not_add_up(login, programme) -> None:
    target = programme.items.filter(kind=ItemKind.TARGET).first()
    client = login("vanphong")
    url = f"/plans/programmes/targets/{target.pk}/allocate/"
    page = client.get(url)
    assert page.status_code == 200
    units = [unit for unit, _field in page.context["rows"]]
    assert len(units) == 13
    share = (target.value / 13).quantize(Decimal("0.01"))
    data = {"version": programme.version, "note": "Theo diện tích thực tế"}
    data |= {f"unit_{unit.pk}": str(share) for unit in units}
    response = client.post(url, data, follow=True)
    assert TargetAllocation.objects.filter(item=target).count() == 13
    total = share * 13
    if total != target.value:
        assert "khác chỉ tiêu của huyện" in response.content.decode()
    target.refresh_from_db()
    assert target.allocation_note == "Theo diện tích thực tế"
    # Clearing a commune's cell removes its allocation, with history.
    data[f"unit_{units[0].pk}"] = ""
    data["version"] = Programme.objects.get(pk=programme.pk).version
    client.post(url, data)
    assert TargetAllocation.objects.filter(item=target).count() == 12
    assert TargetAllocation.history.filter(history_type="-").count() == 1


def test_allocation_refuses_negative_values_and_changes_nothing(login, programme) -> None:
    target = programme.items.filter(kind=ItemKind.TARGET).first()
    unit = Unit.objects.get(code="30055", valid_to__isnull=False)
    response = login("vanphong").post(
        f"/plans/programmes/targets/{target.pk}/allocate/",
        {"version": programme.version, f"unit_{unit.pk}": "-5"},
    )
    assert response.status_code == 400
    assert not TargetAllocation.objects.filter(item=target).exists()


def test_commune_staff_cannot_allocate(login, programme) -> None:
    target = programme.items.filter(kind=ItemKind.TARGET).first()
    url = f"/plans/programmes/targets/{target.pk}/allocate/"
    assert login("myqui").get(url).status_code == 403


def test_programme_history_lists_the_changes(login, programme) -> None:
    client = login("vanphong")
    url = f"/plans/programmes/{programme.pk}/edit/"
    data = editor_payload(client.get(url)) | {"motto": "Đoàn kết – Đổi mới – Phát triển"}
    assert client.post(url, data).status_code == 302
    page = client.get(f"/plans/programmes/{programme.pk}/history/").content.decode()
    assert "Đoàn kết – Đổi mới – Phát triển" in page
    assert "Phương châm" in page


def test_coverage_shows_the_gaps_of_the_year(login) -> None:
    response = login("vanphong").get("/plans/coverage/", {"year": 2023})
    assert response.status_code == 200
    unplanned = {unit.name for unit in response.context["unplanned"]}
    assert unplanned == {"Thạnh Lợi", "Tân Kiều", "Láng Biển", "Thanh Mỹ"}
    awaiting = {plan.unit.name for plan in response.context["awaiting"]}
    assert awaiting == {"Trường Xuân", "Mỹ An"}
    items = [
        item
        for programme in response.context["programmes"]
        for section in programme.sections
        for group in section.groups
        for item in group.items
    ]
    assert any(item.communes for item in items)


@pytest.mark.parametrize(
    ("username", "status"), [("lanhdao", 200), ("kiemtra", 200), ("myqui", 403)]
)
def test_coverage_is_for_district_users(login, username: str, status: int) -> None:
    assert login(username).get("/plans/coverage/").status_code == status


def test_a_stale_programme_editor_gets_the_conflict_page(login, programme) -> None:
    client = login("vanphong")
    url = f"/plans/programmes/{programme.pk}/edit/"
    stale = editor_payload(client.get(url))
    fresh = editor_payload(client.get(url)) | {"motto": "Bản lưu trước"}
    assert client.post(url, fresh).status_code == 302
    response = client.post(url, stale | {"motto": "Bản lưu sau"})
    assert response.status_code == 409
    programme.refresh_from_db()
    assert programme.motto == "Bản lưu trước"


def test_a_share_typed_with_thousands_dots_is_stored_as_thousands(login, programme) -> None:
    target = programme.items.filter(kind=ItemKind.TARGET).first()
    unit = Unit.objects.get(code="30055", valid_to__isnull=False)
    response = login("vanphong").post(
        f"/plans/programmes/targets/{target.pk}/allocate/",
        {"version": programme.version, f"unit_{unit.pk}": "1.250"},
    )
    assert response.status_code == 302
    assert TargetAllocation.objects.get(item=target, unit=unit).value == Decimal("1250")


@pytest.mark.parametrize("year", [1999, 2101, 99999])
def test_a_programme_for_a_year_outside_2000_2100_is_404(login, year: int) -> None:
    client = login("vanphong")
    assert client.get(f"/plans/programmes/new/{year}/").status_code == 404
    data = {"kind": "party", "number": "01", "issued_on": "2024-01-08", "title": "Chương trình"}
    assert client.post(f"/plans/programmes/new/{year}/", data).status_code == 404
    assert not Programme.objects.filter(year=year).exists()


def test_the_allocation_warning_writes_numbers_the_vietnamese_way(login, programme) -> None:
    from plans.templatetags.plan_format import quantity

    target = programme.items.filter(kind=ItemKind.TARGET).exclude(value=None).first()
    client = login("vanphong")
    url = f"/plans/programmes/targets/{target.pk}/allocate/"
    units = [unit for unit, _field in client.get(url).context["rows"]]
    data = {"version": programme.version, "note": "", f"unit_{units[0].pk}": "1146.7"}
    page = client.post(url, data, follow=True).content.decode()
    unit = target.measure_unit
    expected = (
        f"Tổng phân bổ 1.146,7 {unit} khác chỉ tiêu của huyện {quantity(target.value)} {unit}"
    )
    assert expected.replace("  ", " ") in page
