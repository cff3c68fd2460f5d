"""The dashboard and the province overview leave as Excel with the page's own numbers."""

from __future__ import annotations

import pytest

from org.models import Unit
from tests.sheets import sheets

pytestmark = pytest.mark.django_db


def _district() -> Unit:
    return Unit.objects.valid_in_year(2022).get(name="Tháp Mười", kind="district")


def test_the_dashboard_leaves_with_each_communes_row(login, django_assert_num_queries) -> None:
    client = login("vanphong")
    params = {"year": 2022, "sort": "name"}
    page = client.get("/dashboard/", params)
    assert b"/dashboard/export.xlsx?unit=" in page.content
    with django_assert_num_queries(23):
        response = client.get("/dashboard/export.xlsx", params)
        communes, ranking, months, quarters, directives = sheets(response)
    assert "Năm: 2022" in communes.scope
    assert communes.header[:3] == ["Mã đơn vị", "Xã", "Cụm"]
    assert communes.header[3:8] == ["Đạt", "Đúng tiến độ", "Có nguy cơ", "Chậm", "Chưa có số liệu"]
    expected = sorted(
        Unit.objects.planning().valid_in_year(2022).filter(parent=_district()),
        key=lambda unit: unit.code,
    )
    assert [row[0] for row in communes.rows] == [unit.code for unit in expected]
    assert all(row[12] for row in communes.rows)  # the report state is always said
    assert ranking.header == ["Cụm", "Đạt, đúng tiến độ", "Số xã"]
    assert months.header[0] == "Tháng" and quarters.header[0] == "Quý"
    assert directives.header == ["Tháng", "Đến hạn", "Xong đúng hạn", "Xong trễ hạn", "Chưa xong"]


def test_the_dashboard_export_equals_the_pages_computation(login) -> None:
    from django.test import RequestFactory

    from portal import dashboard_views

    client = login("vanphong")
    response = client.get("/dashboard/export.xlsx", {"year": 2022, "sort": "name"})
    communes = sheets(response)[0]
    request = RequestFactory().get("/dashboard/", {"year": 2022, "sort": "name"})
    request.user = response.wsgi_request.user
    request.session = client.session
    district = _district()
    units = Unit.objects.planning().valid_in_year(2022).within(district)
    context = dashboard_views._dashboard_context(request, district, 2022, units)
    for row, line in zip(context["rows"], communes.rows, strict=True):
        assert line[0] == row.unit.code
        assert line[3:8] == [count for _key, _label, count in row.targets]
        assert line[12] == row.report_state[1]
        assert line[13:15] == [row.directives_open, row.directives_overdue]
        assert line[15] == row.ntm_met


def test_the_overview_leaves_with_its_districts(login) -> None:
    province = _district().parent
    params = {"unit": province.pk, "year": 2022}
    client = login("admin")
    page = client.get("/dashboard/overview/", params)
    assert b"/dashboard/overview/export.xlsx?unit=" in page.content
    districts, _communes = sheets(client.get("/dashboard/overview/export.xlsx", params))
    by_name = {row[0]: row for row in districts.rows}
    assert by_name["Huyện Tháp Mười"][1] == 13


@pytest.mark.parametrize(("username", "status"), [("myqui", 403), ("kiemtra", 200)])
def test_the_exports_keep_the_pages_permissions(login, username, status) -> None:
    client = login(username)
    assert client.get("/dashboard/export.xlsx", {"year": 2022}).status_code == status
    assert client.get("/dashboard/overview/export.xlsx", {"year": 2022}).status_code == status


def test_an_inspector_exports_only_their_delegations_communes(login) -> None:
    communes = sheets(login("kiemtra").get("/dashboard/export.xlsx", {"year": 2022}))[0]
    names = {row[1] for row in communes.rows}
    assert len(names) == 5 and not any("Phú Điền" in name for name in names)
