"""Inspection pages: who sees which visit and directive, who may answer and close."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import Directive, Visit
from org.models import Role
from tests.builders import make_user

pytestmark = pytest.mark.django_db

# session, user, visit, findings, directives, commitments, plans, fields (the finding form)
VISIT_QUERIES = 8
# session, user, rates by deadline class, count, page of directives (with unit and visit)
DIRECTIVE_LIST_QUERIES = 5
# session, user, directive, its updates, its đôn đốc log, its evidence files
DIRECTIVE_QUERIES = 6


def my_qui_visit() -> Visit:
    return Visit.objects.get(host__code="30055", date=datetime.date(2023, 2, 16))


def phong_my_visit() -> Visit:
    return Visit.objects.get(host__code="30088")


@pytest.mark.parametrize("username", ["kiemtra", "vanphong", "lanhdao", "myqui"])
def test_the_right_people_open_mỹ_quí_s_visit_and_notice(login, username: str) -> None:
    client = login(username)
    visit = my_qui_visit()
    assert client.get(visit.get_absolute_url()).status_code == 200
    notice = client.get(f"{visit.get_absolute_url()}notice/")
    assert notice.status_code == 200
    assert "THÔNG BÁO" in notice.content.decode()


@pytest.mark.parametrize("username", ["kiemtra", "myqui", "phudien", "vanphong"])
def test_other_units_visits_and_directives_are_404(login, username: str) -> None:
    client = login(username)
    visit = phong_my_visit()  # Cao Lãnh: outside every Tháp Mười account's scope
    directive = visit.directives.first()
    assert client.get(visit.get_absolute_url()).status_code == 404
    assert client.get(directive.get_absolute_url()).status_code == 404
    assert (
        client.post(
            f"{directive.get_absolute_url()}answer/", {"text": "x", "proposed": "done"}
        ).status_code
        == 404
    )
    assert not directive.updates.filter(text="x").exists()


def test_an_inspector_does_not_see_communes_outside_their_delegation(login) -> None:
    trường_xuân = Visit.objects.get(host__code="30046")
    assert login("kiemtra").get(trường_xuân.get_absolute_url()).status_code == 404


def test_commune_staff_answer_but_cannot_close(login) -> None:
    directive = my_qui_visit().directives.filter(completed_on__isnull=True).first()
    client = login("myqui")
    response = client.post(
        f"{directive.get_absolute_url()}answer/",
        {"text": "Đã tổ chức sơ kết giữa nhiệm kỳ.", "evidence": "", "proposed": "done"},
    )
    assert response.status_code == 302
    assert directive.updates.filter(text="Đã tổ chức sơ kết giữa nhiệm kỳ.").exists()
    today = datetime.date.today().isoformat()
    assert (
        client.post(f"{directive.get_absolute_url()}close/", {"completed_on": today}).status_code
        == 403
    )
    directive.refresh_from_db()
    assert directive.completed_on is None


@pytest.mark.usefixtures("during_campaign_2023")
def test_the_delegation_closes_a_directive(login) -> None:
    directive = my_qui_visit().directives.filter(completed_on__isnull=True).first()
    client = login("kiemtra")
    response = client.post(
        f"{directive.get_absolute_url()}close/",
        {"completed_on": "2023-03-20", "note": "Đã kiểm tra"},
    )
    assert response.status_code == 302
    directive.refresh_from_db()
    assert str(directive.completed_on) == "2023-03-20"


@pytest.mark.usefixtures("during_campaign_2023")
def test_a_directive_without_an_answer_offers_only_closing_with_a_reason(login) -> None:
    from inspections import services
    from org.models import User

    kiemtra = User.objects.get(username="kiemtra")
    directive = services.issue_directive(
        my_qui_visit(),
        by=kiemtra,
        text="Rà soát hộ nghèo.",
        lead="UBND xã",
        deadline=datetime.date(2023, 3, 31),
    )
    client = login("kiemtra")
    page = client.get(directive.get_absolute_url()).content.decode()
    assert "Đóng khi chưa có báo cáo" in page
    assert "Xác nhận hoàn thành</button>" not in page
    close = f"{directive.get_absolute_url()}close/"
    # the plain verification of an answered directive is refused here, and nothing changes
    refused = client.post(close, {"completed_on": "2023-03-01", "note": "Đã kiểm tra"})
    assert refused.status_code == 400
    assert "Hãy đánh dấu xác nhận đóng khi chưa có báo cáo." in refused.content.decode()
    assert 'value="Đã kiểm tra"' in refused.content.decode()  # what was typed is kept
    no_reason = client.post(close, {"completed_on": "2023-03-01", "without_answer": "on"})
    assert no_reason.status_code == 400
    directive.refresh_from_db()
    assert directive.completed_on is None
    closed = client.post(
        close, {"completed_on": "2023-03-01", "note": "Đã kiểm tra", "without_answer": "on"}
    )
    assert closed.status_code == 302
    directive.refresh_from_db()
    assert directive.completed_on == datetime.date(2023, 3, 1)


def test_bad_answers_change_nothing(login) -> None:
    directive = my_qui_visit().directives.filter(completed_on__isnull=True).first()
    client = login("myqui")
    for data in (
        {"text": "", "proposed": "done"},
        {"text": "x", "proposed": "bogus"},
        {"text": "\x00"},
    ):
        assert client.post(f"{directive.get_absolute_url()}answer/", data).status_code == 400
    assert not directive.updates.filter(text="x").exists()


def test_action_endpoints_refuse_get(login) -> None:
    directive = my_qui_visit().directives.first()
    client = login("kiemtra")
    assert client.get(f"{directive.get_absolute_url()}answer/").status_code == 405
    assert client.get(f"{directive.get_absolute_url()}close/").status_code == 405


def test_the_lists_show_overdue_and_open_directives(login) -> None:
    client = login("vanphong")
    overdue = (
        client.get("/inspections/directives/", {"show": "overdue"}).context["page"].object_list
    )
    assert overdue and all(d.deadline_class() == "open_overdue" for d in overdue)
    everything = client.get("/inspections/directives/", {"show": "all"}).context["page"].object_list
    assert {d.deadline_class() for d in everything} == {
        "done_on_time",
        "done_late",
        "open_in_time",
        "open_overdue",
    }
    mine = (
        login("myqui").get("/inspections/directives/", {"show": "all"}).context["page"].object_list
    )
    assert {d.unit.name for d in mine} == {"Mỹ Quý"}


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_stay_fixed_as_directives_grow(client) -> None:
    visit = my_qui_visit()
    office = make_user(visit.host.parent, role=Role.DISTRICT_STAFF)
    client.force_login(office)
    directive = visit.directives.first()
    urls = {
        visit.get_absolute_url(): VISIT_QUERIES,
        "/inspections/directives/?show=all": DIRECTIVE_LIST_QUERIES,
        directive.get_absolute_url(): DIRECTIVE_QUERIES,
    }
    for url, expected in urls.items():
        assert count(client, url) == expected, url
    for n in range(10):
        Directive.objects.create(
            visit=visit,
            unit=visit.host,
            order=10 + n,
            text=f"Chỉ đạo {n}",
            lead="UBND xã",
            deadline=datetime.date(2023, 6, 30),
        )
        directive.updates.create(by=office, text=f"Cập nhật {n}")
    for url, expected in urls.items():
        assert count(client, url) == expected, url
