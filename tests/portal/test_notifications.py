"""Thông báo: each event of the cycle reaches the right people (and not the one who acted),
once; each person reads, opens and clears only their own."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspections import services as inspections
from inspections.models import Directive, Visit
from org.models import Notification, NotificationKind, Role, Unit, User
from org.notify import notify
from plans import services
from plans.models import CommunePlan, PlanStatus, ProgressReport
from portal import inbox
from tests.builders import make_user
from tests.conftest import demo_plan

pytestmark = pytest.mark.django_db


def user(username: str) -> User:
    return User.objects.get(username=username)


def told(kind: str) -> dict[str, Notification]:
    """Who was told of events of `kind`: username → the notification."""
    rows = Notification.objects.filter(kind=kind).select_related("recipient")
    return {row.recipient.username: row for row in rows}


def submitted_plan() -> CommunePlan:
    unit = demo_plan("Mỹ Quý", 2023).unit
    plan = CommunePlan.objects.create(
        unit=unit, year=2024, title="Kế hoạch 2024", status=PlanStatus.SUBMITTED
    )
    plan.items.create(kind="key_task", order=1, text="Xây dựng nông thôn mới nâng cao")
    return plan


def test_a_returned_plan_tells_the_communes_staff_with_the_reason() -> None:
    plan = submitted_plan()
    neighbour = make_user(demo_plan("Phú Điền", 2022).unit, role=Role.COMMUNE_STAFF)
    services.return_plan(plan, by=user("vanphong"), reason="Thiếu chỉ tiêu nước sạch")
    returned = told(NotificationKind.PLAN_RETURNED)
    assert set(returned) == {"myqui"}  # not the office that acted, not another commune
    assert neighbour.username not in returned
    assert returned["myqui"].note == "Thiếu chỉ tiêu nước sạch"
    assert returned["myqui"].url == plan.get_absolute_url()
    assert returned["myqui"].read_at is None


def test_an_approved_plan_tells_the_commune() -> None:
    plan = submitted_plan()
    services.approve_plan(plan, by=user("vanphong"))
    assert set(told(NotificationKind.PLAN_APPROVED)) == {"myqui"}


def test_a_returned_report_tells_the_commune_and_links_to_its_form() -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    report = ProgressReport.objects.get(plan=plan, period__kind="quarter", period__index=1)
    services.return_report(report, by=user("vanphong"), reason="Số liệu lúa chưa khớp")
    [(username, row)] = told(NotificationKind.REPORT_RETURNED).items()
    assert username == "myqui" and row.note == "Số liệu lúa chưa khớp"
    assert row.url == f"/plans/{plan.pk}/reports/{report.period_id}/"
    assert row.subject.startswith("Quý I/2023")


def test_a_directive_tells_the_unit_its_answer_the_office_and_delegation_and_so_on(
    during_campaign_2023,
) -> None:
    visit = Visit.objects.get(host__code="30055", date=datetime.date(2023, 2, 16))
    kiemtra, myqui = user("kiemtra"), user("myqui")
    directive = inspections.issue_directive(
        visit,
        by=kiemtra,
        text="Rà soát hộ nghèo",
        lead="UBND xã",
        deadline=datetime.date(2023, 12, 31),
    )
    assert set(told(NotificationKind.DIRECTIVE_ISSUED)) == {"myqui"}

    inspections.answer_directive(directive, by=myqui, text="Đã rà soát xong", proposed="done")
    answered = told(NotificationKind.DIRECTIVE_ANSWERED)
    assert "vanphong" in answered and "myqui" not in answered
    assert set(visit.delegation.members.values_list("username", flat=True)) <= set(answered)
    assert answered["vanphong"].note == "Đã rà soát xong"

    inspections.close_directive(directive, by=kiemtra)
    assert set(told(NotificationKind.DIRECTIVE_VERIFIED)) == {"myqui"}
    inspections.reopen_directive(directive, by=user("vanphong"), reason="Chưa đủ minh chứng")
    assert told(NotificationKind.DIRECTIVE_REOPENED)["myqui"].note == "Chưa đủ minh chứng"
    # Verified again: a second event, told again.
    inspections.close_directive(directive, by=kiemtra)
    assert Notification.objects.filter(kind=NotificationKind.DIRECTIVE_VERIFIED).count() == 2


def test_an_event_told_twice_is_one_notification() -> None:
    people = [user("myqui")]
    for _ in range(2):
        notify(NotificationKind.PLAN_APPROVED, people, subject="x", url="/", key="same:1")
    assert Notification.objects.filter(key="same:1").count() == 1


def test_a_user_reads_opens_and_clears_only_their_own(login) -> None:
    services.return_plan(submitted_plan(), by=user("vanphong"), reason="Thiếu chỉ tiêu")
    mine = Notification.objects.get(recipient__username="myqui")
    client = login("myqui")
    page = client.get("/notifications/")
    assert "Thiếu chỉ tiêu" in page.text and "1 thông báo chưa đọc." in page.text
    assert 'id="notice-count"' in client.get("/inbox/count/").text
    assert "thông báo chưa đọc" in client.get("/inbox/count/").text

    # Someone else's notification is not there for them.
    other = Client()
    other.force_login(user("phudien"))
    assert other.get(f"/notifications/{mine.pk}/").status_code == 404
    assert other.post("/notifications/read/").status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is None

    opened = client.get(f"/notifications/{mine.pk}/")
    assert opened.status_code == 302 and opened["Location"] == mine.url
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.head(f"/notifications/{mine.pk}/").status_code == 405


def test_mark_all_read_needs_a_post(login) -> None:
    services.return_plan(submitted_plan(), by=user("vanphong"), reason="Thiếu chỉ tiêu")
    client = login("myqui")
    assert client.get("/notifications/read/").status_code == 405
    client.post("/notifications/read/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "0 thông báo chưa đọc." in client.get("/notifications/").text


# session, user, the page's count and rows, the unread count
LIST_QUERIES = 5


def test_the_list_costs_fixed_queries_as_notifications_grow(login) -> None:
    client = login("myqui")
    notify(NotificationKind.PLAN_APPROVED, [user("myqui")], subject="0", url="/", key="first")
    client.get("/notifications/")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/notifications/").status_code == 200
        return len(captured)

    before = queries()
    assert before == LIST_QUERIES
    for n in range(40):
        notify(
            NotificationKind.PLAN_APPROVED, [user("myqui")], subject=f"{n}", url="/", key=f"k{n}"
        )
    assert queries() == before


def test_a_stored_link_elsewhere_is_not_followed(login) -> None:
    notify(
        NotificationKind.PLAN_APPROVED,
        [user("myqui")],
        subject="x",
        url="https://evil.example/",
        key="e",
    )
    row = Notification.objects.get(key="e")
    response = login("myqui").get(f"/notifications/{row.pk}/")
    assert response["Location"] == "/notifications/"


def visit_16_02_2023() -> Visit:
    return Visit.objects.get(host__code="30055", date=datetime.date(2023, 2, 16))


def test_a_withdrawn_directive_takes_its_notification_back(during_campaign_2023) -> None:
    kiemtra = user("kiemtra")
    directive = inspections.issue_directive(
        visit_16_02_2023(),
        by=kiemtra,
        text="x",
        lead="UBND xã",
        deadline=datetime.date(2023, 12, 31),
    )
    assert Notification.objects.filter(kind=NotificationKind.DIRECTIVE_ISSUED).count() == 1
    inspections.delete_directive(directive, by=kiemtra)
    assert not Notification.objects.filter(kind=NotificationKind.DIRECTIVE_ISSUED).exists()


def test_closing_without_an_answer_is_not_told_as_verified(during_campaign_2023) -> None:
    directive = inspections.issue_directive(
        visit_16_02_2023(),
        by=user("kiemtra"),
        text="x",
        lead="UBND xã",
        deadline=datetime.date(2023, 12, 31),
    )
    inspections.close_directive(
        directive, by=user("kiemtra"), without_answer=True, note="Đã kiểm tra thực tế"
    )
    assert not told(NotificationKind.DIRECTIVE_VERIFIED)
    assert told(NotificationKind.DIRECTIVE_CLOSED)["myqui"].note == "Đã kiểm tra thực tế"


def test_only_the_delegation_members_who_may_verify_hear_of_an_answer(during_campaign_2023) -> None:
    visit = visit_16_02_2023()
    outside = Unit.objects.filter(kind=visit.host.kind).exclude(
        pk__in=visit.delegation.units.values("pk")
    )[0]
    directive = Directive.objects.create(
        visit=visit,
        unit=outside,
        text="Ở đơn vị dự hội nghị",
        lead="UBND xã",
        deadline=datetime.date(2023, 12, 31),
    )
    staff = make_user(outside, role=Role.COMMUNE_STAFF)
    inspections.answer_directive(directive, by=staff, text="Đã làm", proposed="done")
    members = set(visit.delegation.members.values_list("username", flat=True))
    assert members and not members & set(told(NotificationKind.DIRECTIVE_ANSWERED))
    # Nor is it on their inbox's list to verify; the office over the unit has it.
    today = during_campaign_2023.date()
    for group in inbox.inbox(user("kiemtra"), 2023, today, shown=500):
        assert directive.get_absolute_url() not in {item.url for item in group.items}
