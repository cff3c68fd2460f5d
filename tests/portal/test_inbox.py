"""Việc cần làm for office staff, inspectors and leaders: each list within the user's scope,
computed on every read, a fixed number of queries; the menu's count; the page of its own.
(Commune staff's lists are in test_todo.)"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspections import services as inspections
from inspections.models import Directive, DirectiveUpdate, ProposedStatus, Visit
from org.models import Role, Unit, User
from plans.models import CommunePlan, PlanStatus, ProgressReport
from portal import inbox
from tests.builders import make_user
from tests.conftest import demo_plan

pytestmark = pytest.mark.django_db

MAY_2023 = datetime.date(2023, 5, 10)


def lists(user: User, year: int = 2023, today: datetime.date = MAY_2023) -> dict[str, list]:
    return {group.key: group.items for group in inbox.inbox(user, year, today, shown=500)}


def user(username: str) -> User:
    return User.objects.get(username=username)


def propose_done(directive: Directive) -> None:
    staff = User.objects.filter(unit=directive.unit, role=Role.COMMUNE_STAFF).first()
    staff = staff or make_user(directive.unit, role=Role.COMMUNE_STAFF)
    inspections.answer_directive(
        directive, by=staff, text="Đã thực hiện xong", proposed=ProposedStatus.DONE
    )


def test_office_staff_see_plans_to_review_directives_to_verify_and_late_communes() -> None:
    my_qui = demo_plan("Mỹ Quý", 2023).unit
    submitted = CommunePlan.objects.create(
        unit=my_qui, year=2024, title="Kế hoạch 2024", status=PlanStatus.SUBMITTED
    )
    directive = Directive.objects.filter(unit=my_qui).unanswered().order_by("pk").first()
    propose_done(directive)

    todo = lists(user("vanphong"))
    waiting = CommunePlan.objects.filter(unit__parent=my_qui.parent, status=PlanStatus.SUBMITTED)
    assert {item.url for item in todo["review"]} == {p.get_absolute_url() for p in waiting}
    [mine] = [item for item in todo["review"] if item.url == submitted.get_absolute_url()]
    assert mine.unit == "Xã Mỹ Quý" and mine.text == "Xem xét, duyệt kế hoạch năm 2024"
    assert [item.url for item in todo["verify"]] == [directive.get_absolute_url()]
    # On 10/5/2023 Tháng 4's report (due 18/4) is late for every commune with a plan.
    late = {item.unit for item in todo["late"]}
    assert "Xã Mỹ Quý" in late and len(late) > 5
    [my_qui_late] = [item for item in todo["late"] if item.unit == "Xã Mỹ Quý"]
    assert my_qui_late.text == "1 kỳ báo cáo quá hạn, từ Tháng 4/2023"
    assert my_qui_late.url == f"/plans/{demo_plan('Mỹ Quý', 2023).pk}/progress/"


def test_a_report_sent_clears_the_commune_from_the_late_list() -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    before = {item.unit for item in lists(user("vanphong"))["late"]}
    assert "Xã Mỹ Quý" in before
    ProgressReport.objects.create(
        plan=plan, period=plan_period("month", 4), status="submitted", submitted_at=timezone.now()
    )
    after = {item.unit for item in lists(user("vanphong"))["late"]}
    assert "Xã Mỹ Quý" not in after


def plan_period(kind: str, index: int, year: int = 2023):
    from plans.models import Period

    return Period.objects.get(kind=kind, year=year, index=index)


def test_nothing_from_outside_the_users_scope() -> None:
    my_qui = demo_plan("Mỹ Quý", 2023).unit
    elsewhere = Unit.objects.filter(kind=my_qui.kind).exclude(parent=my_qui.parent).first()
    assert elsewhere is not None
    plan = CommunePlan.objects.create(
        unit=elsewhere, year=2024, title="Kế hoạch nơi khác", status=PlanStatus.SUBMITTED
    )
    # The administrator, whose scope is everything, has it to review; Tháp Mười's office not.
    assert plan.get_absolute_url() in {i.url for i in lists(user("admin"))["review"]}
    office = make_user(my_qui.parent, role=Role.DISTRICT_STAFF)
    assert plan.get_absolute_url() not in {i.url for i in lists(office)["review"]}
    # A neighbouring commune's directive is its own staff's to answer, not Mỹ Quý's.
    neighbour = Unit.objects.planning().filter(parent=my_qui.parent).exclude(pk=my_qui.pk)[0]
    theirs = Directive.objects.create(
        visit=Visit.objects.filter(host=my_qui).first(),
        unit=neighbour,
        text="Chỉ đạo của xã bên",
        lead="UBND xã",
        deadline=datetime.date(2023, 12, 31),
    )
    staff = make_user(theirs.unit, role=Role.COMMUNE_STAFF)
    assert theirs.get_absolute_url() in {i.url for i in lists(staff)["directives"]}
    for items in lists(make_user(my_qui, role=Role.COMMUNE_STAFF)).values():
        assert theirs.get_absolute_url() not in {item.url for item in items}


def test_leaders_see_overdue_directives_and_late_communes() -> None:
    leader = user("lanhdao")
    todo = lists(leader, today=datetime.date(2024, 1, 10))
    overdue = Directive.objects.visible_to(leader).overdue(datetime.date(2024, 1, 10)).count()
    assert overdue and len(todo["overdue-directives"]) == overdue
    assert all(item.overdue for item in todo["overdue-directives"])
    assert todo["late"]


def test_inspectors_see_their_units_not_yet_visited_and_directives_to_verify(
    during_campaign_2023,
) -> None:
    inspector = user("kiemtra")
    delegation = inspector.delegations.filter(campaign__year=2023).first()
    visited = set(Visit.objects.filter(delegation=delegation).values_list("host", flat=True))
    pending = delegation.units.exclude(pk__in=visited)
    todo = lists(inspector, today=during_campaign_2023.date())
    assert len(todo.get("visit", [])) == pending.count()
    directive = Directive.objects.filter(visit__delegation=delegation).unanswered().first()
    propose_done(directive)
    todo = lists(inspector, today=during_campaign_2023.date())
    assert [item.url for item in todo["verify"]] == [directive.get_absolute_url()]


def test_an_inspector_of_a_past_campaign_has_nothing_to_do() -> None:
    assert lists(user("kiemtra"), today=datetime.date(2026, 12, 3)) == {}


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# session, user, the years with data (2), then the role's lists: a commune's plan, periods,
# schedules, reports, directives, commitments; the office's plans, directives to verify and
# the late communes (plans, periods, schedules, reports), the e-mails that failed; a
# leader's overdue directives and late communes; an inspector's units not visited and
# directives to verify.
INBOX_QUERIES = {"myqui": 10, "vanphong": 11, "lanhdao": 9, "kiemtra": 6, "admin": 11}


@pytest.mark.parametrize("username", sorted(INBOX_QUERIES))
def test_the_inbox_page_and_the_count_cost_fixed_queries(login, username, may_2023) -> None:
    client = login(username)
    client.get("/inbox/?year=2023")  # the session settles on the first request
    page, count = queries(client, "/inbox/?year=2023"), queries(client, "/inbox/count/")
    # More of everything: a plan to review, directives proposed done, reports deleted.
    my_qui = demo_plan("Mỹ Quý", 2023).unit
    CommunePlan.objects.create(
        unit=my_qui, year=2024, title="Kế hoạch 2024", status=PlanStatus.SUBMITTED
    )
    for directive in Directive.objects.unanswered().order_by("pk")[:3]:
        propose_done(directive)
    ProgressReport.objects.filter(plan__year=2023, period__kind="month").delete()
    assert queries(client, "/inbox/?year=2023") == page
    assert queries(client, "/inbox/count/") == count
    assert page == INBOX_QUERIES[username]
    assert count == page + 1  # and the unread notifications


def test_the_inbox_page_lists_everything_and_the_menu_fetches_its_count(login, may_2023) -> None:
    client = login("myqui")
    page = client.get("/inbox/?year=2023")
    assert page.status_code == 200
    assert "Báo cáo Tháng 5/2023" in page.text
    home = client.get("/?year=2023")
    assert 'hx-get="/inbox/count/"' in home.text
    count = client.get("/inbox/count/")
    assert count.status_code == 200 and 'class="badge"' in count.text
    assert {"no-store", "no-cache"} & set(count["Cache-Control"].replace(",", " ").split())


def test_an_empty_inbox_says_so(client) -> None:
    quiet = Unit.objects.planning().filter(directives__isnull=True, commitments__isnull=True)
    client.force_login(make_user(quiet.first(), role=Role.COMMUNE_STAFF))
    page = client.get("/inbox/?year=2030")
    assert "Không có việc nào đang chờ trong năm 2030." in page.text
    assert 'class="badge"' not in client.get("/inbox/count/?year=2030").text


def test_signed_out_the_menu_count_is_nothing_not_the_login_page(client) -> None:
    response = client.get("/inbox/count/")
    assert response.status_code == 204 and response.content == b""
    assert client.get("/inbox/").status_code == 302


def test_a_reopened_directive_asks_the_unit_again_and_leaves_the_verify_list(
    during_campaign_2023,
) -> None:
    my_qui = demo_plan("Mỹ Quý", 2023).unit
    directive = Directive.objects.filter(unit=my_qui).unanswered().order_by("pk").first()
    propose_done(directive)
    today = during_campaign_2023.date()
    staff = User.objects.get(username="myqui")
    assert directive.get_absolute_url() in {
        i.url for i in lists(user("vanphong"), today=today)["verify"]
    }
    inspections.close_directive(directive, by=user("vanphong"))
    inspections.reopen_directive(directive, by=user("vanphong"), reason="Chưa đủ minh chứng")
    office = lists(user("vanphong"), today=today)
    assert directive.get_absolute_url() not in {i.url for i in office.get("verify", [])}
    assert directive.get_absolute_url() in {i.url for i in lists(staff, today=today)["directives"]}
    # Answered again (a moment later: the clock stands still here), the office's once more.
    propose_done(Directive.objects.get(pk=directive.pk))
    later = directive.updates.order_by("-pk")[:1].get()
    DirectiveUpdate.objects.filter(pk=later.pk).update(at=later.at + datetime.timedelta(minutes=1))
    assert directive.get_absolute_url() in {
        i.url for i in lists(user("vanphong"), today=today)["verify"]
    }
    assert directive.get_absolute_url() not in {
        i.url for i in lists(staff, today=today).get("directives", [])
    }


def test_commitments_are_listed_from_a_week_before_their_date() -> None:
    visit = Visit.objects.get(host__code="30055", date=datetime.date(2023, 2, 16))
    soon = visit.commitments.create(
        unit=visit.host, text="Sắp đến hạn", due=MAY_2023 + datetime.timedelta(days=5)
    )
    later = visit.commitments.create(
        unit=visit.host, text="Còn lâu", due=MAY_2023 + datetime.timedelta(days=60)
    )
    texts = {item.text for item in lists(user("myqui")).get("commitments", [])}
    assert soon.text in texts and later.text not in texts


def test_the_office_is_told_of_e_mails_that_failed_in_its_scope_only(login, may_2023) -> None:
    from org.models import Delivery, DeliveryStatus, Notification
    from org.rules import visible_units

    def failed_to(person: User) -> None:
        notification = Notification.objects.create(
            recipient=person,
            kind="plan_approved",
            subject="Kế hoạch năm 2023",
            url="/",
            key=f"test:{person.pk}",
        )
        Delivery.objects.create(
            notification=notification, channel="email", status=DeliveryStatus.FAILED
        )

    office = User.objects.get(username="vanphong")
    elsewhere = Unit.objects.filter(kind="commune").exclude(pk__in=visible_units(office))
    failed_to(make_user(elsewhere.first()))  # not Tháp Mười's
    client = login("vanphong")
    assert "thư thông báo gửi không được" not in client.get("/inbox/").text
    failed_to(User.objects.get(username="myqui"))
    page = client.get("/inbox/").text
    assert "1 thư thông báo gửi không được" in page and "/notifications/failed/" in page


def test_reports_falling_due_together_are_all_listed(login) -> None:
    """On 12/6/2023 the month's, the quarter's and the half-year's reports are all due on
    16/6 (Tháp Mười's rules); the year's, due in December, is not listed yet."""
    from org.models import User

    groups = {
        g.key: g
        for g in inbox.inbox(User.objects.get(username="myqui"), 2023, datetime.date(2023, 6, 12))
    }
    due = [todo.text for todo in groups["reports"].items]
    assert due == [
        "Báo cáo Tháng 6/2023",
        "Báo cáo Quý II/2023",
        "Báo cáo 6 tháng đầu năm 2023",
    ]
    assert {todo.deadline for todo in groups["reports"].items} == {datetime.date(2023, 6, 16)}
