"""The directive list leaves as Excel with the same rows and the four classes counted."""

from __future__ import annotations

import pytest

from inspections.models import DeadlineClass, Directive
from tests.sheets import sheets

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_listed_directives_and_their_classes(login) -> None:
    client = login("vanphong")
    page = client.get("/inspections/directives/?show=all")
    response = client.get("/inspections/directives/export.xlsx?show=all")
    listed, totals = sheets(response)
    assert listed.header[:2] == ["Đơn vị", "Nội dung chỉ đạo"]
    assert "Mục: Tất cả" in listed.scope
    assert len(listed.rows) == page.context["page"].paginator.count
    texts = {row[1] for row in listed.rows}
    assert (
        set(Directive.objects.visible_to(page.wsgi_request.user).values_list("text", flat=True))
        == texts
    )
    counts = dict((row[0], row[1]) for row in totals.rows)
    rates = page.context["rates"]
    assert counts[DeadlineClass.DONE_ON_TIME.label] == rates.done_on_time
    assert counts[DeadlineClass.OPEN_OVERDUE.label] == rates.open_overdue
    assert counts["Tổng số"] == rates.total
    assert {row[6] for row in listed.rows} <= set(DeadlineClass.labels)
    assert b'href="/inspections/directives/export.xlsx?show=all"' in page.content


def test_a_commune_exports_only_its_own_directives(login, django_assert_num_queries) -> None:
    client = login("myqui")
    with django_assert_num_queries(4):  # the rows are read as the file streams
        response = client.get("/inspections/directives/export.xlsx?show=overdue")
        listed, _totals = sheets(response)
    assert {row[0] for row in listed.rows} == {response.wsgi_request.user.unit.full_name}
    assert response["Content-Disposition"] == 'attachment; filename="chi-dao-overdue.xlsx"'


def test_another_units_filter_is_refused(login) -> None:
    from org.models import Unit

    other = Unit.objects.planning().exclude(code="30055").first()
    assert (
        login("myqui").get(f"/inspections/directives/export.xlsx?unit={other.pk}").status_code
        == 404
    )
