"""Việc cần làm: what each user is to do now, computed from the data on every read (never a
stored copy that could go stale), on the home page and on a page of its own.

- commune staff: the report due and the late ones, returned plans and reports with the
  reason, directives to answer, commitments due;
- office staff (and administrators): plans awaiting review, directives the unit proposes as
  done awaiting verification, communes late with their reports;
- inspectors: the units of their delegations not yet visited, their visits' directives to
  verify;
- leaders: overdue directives and late communes in their scope.

Each list is a fixed number of queries, whatever the number of rows; a long list shows its
first `SHOWN` items and says how many more there are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inspections.models import Commitment, Directive, Visit
from inspections.rules import current_delegations
from org import delivery
from org.models import Unit, User
from org.rules import (
    is_admin,
    is_commune_staff,
    is_district_staff,
    is_inspector,
    is_leader,
    visible_units,
)
from plans.due import (
    PeriodRow,
    due_row,
    overdue_periods,
    period_rows,
    plan_return_reasons,
    report_return_reasons,
)
from plans.models import CommunePlan, PlanStatus, ReportStatus

# A commitment is due from this long before its date; a report, from this long before its
# deadline (with the nearest one always shown).
COMMITMENT_WINDOW = datetime.timedelta(days=7)
REPORT_WINDOW = datetime.timedelta(days=30)
# How many items a list shows before it says "and N more": on the home page, on the inbox.
SHOWN = 8
PAGE_SHOWN = 50


@dataclass(frozen=True)
class Todo:
    """One thing to do, one click away."""

    text: str
    url: str
    deadline: datetime.date | None = None
    overdue: bool = False
    note: str = ""  # a reason to read first (why a plan or a report came back)
    unit: str = ""  # whose it is, on lists that span units


@dataclass
class TodoGroup:
    """One list of the inbox: the items shown, how many there are, where to see them all."""

    key: str
    title: str
    items: list[Todo] = field(default_factory=list)
    total: int = 0
    more_url: str = ""

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)


def _group(key: str, title: str, todos: list[Todo], more_url: str = "") -> TodoGroup:
    return TodoGroup(key, title, todos, len(todos), more_url)


def inbox(user: User, year: int, today: datetime.date, shown: int = SHOWN) -> list[TodoGroup]:
    """The user's lists for `year` (the year they work on) as of `today`, each cut to its
    first `shown` items, empty ones left out. A user has one role."""
    if is_commune_staff(user):
        groups = commune_groups(user, year, today)
    elif is_district_staff(user) or is_admin(user):
        groups = office_groups(user, year, today)
    elif is_inspector(user):
        groups = inspector_groups(user, today)
    elif is_leader(user):
        groups = leader_groups(user, year, today)
    else:
        groups = []
    for group in groups:
        group.items = group.items[:shown]
    return [group for group in groups if group.total]


def count(groups: list[TodoGroup]) -> int:
    return sum(group.total for group in groups)


# --- commune staff ----------------------------------------------------------------------------


def _coming(row: PeriodRow, today: datetime.date) -> bool:
    """An unsent report of a period begun, due within REPORT_WINDOW: a month's, a quarter's
    and a half-year's fall due together."""
    deadline = row.schedule.deadline
    return (
        not row.submitted
        and row.period.start <= today
        and deadline is not None
        and deadline <= today + REPORT_WINDOW
    )


def commune_groups(user: User, year: int, today: datetime.date) -> list[TodoGroup]:
    """What the commune owes for `year`: the reports due now (the nearest, and all due
    within REPORT_WINDOW) with their deadlines, the overdue ones, returned reports and plans
    with the reason, directives still unanswered, commitments due."""
    unit = user.unit
    if unit is None:
        return []
    plans = list(
        CommunePlan.objects.filter(unit=unit, year=year)
        .exclude(status=PlanStatus.SUPERSEDED)
        .select_related("unit__parent")
        .order_by("-revision")[:1]
    )
    reports: list[Todo] = []
    overdue: list[Todo] = []
    for plan in plans:
        if plan.status != PlanStatus.APPROVED:
            continue
        rows = period_rows(plan, today)
        owed = due_row(rows)
        reasons = report_return_reasons([row.report for row in rows if row.report is not None])
        for row in rows:
            url = reverse("plans:report-edit", args=[plan.pk, row.period.pk])
            label = {"p": row.period.label}
            deadline = row.schedule.deadline
            if row.report is not None and row.report.status == ReportStatus.RETURNED:
                text = _("Sửa và gửi lại báo cáo %(p)s") % label
                note = reasons.get(row.report.pk, "")
                reports.append(Todo(text, url, deadline, row.overdue, note))
            elif not row.overdue and (row is owed or _coming(row, today)):
                reports.append(Todo(_("Báo cáo %(p)s") % label, url, deadline))
            elif row.overdue:
                overdue.append(Todo(_("Báo cáo %(p)s") % label, url, deadline, True))
    returned = plan_return_reasons(plans)
    plan_todos = [
        Todo(
            _("Sửa và trình lại kế hoạch năm %(year)s") % {"year": plan.year},
            reverse("plans:plan-edit", args=[plan.pk]),
            note=returned[plan.pk].note,
        )
        for plan in plans
        if plan.pk in returned
    ]
    directives = [
        Todo(
            directive.text,
            directive.get_absolute_url(),
            directive.deadline,
            directive.deadline < today,
        )
        for directive in Directive.objects.filter(unit=unit).to_answer().order_by("deadline", "pk")
    ]
    commitments = [
        Todo(c.text, c.visit.get_absolute_url(), c.due, c.due < today)
        for c in Commitment.objects.filter(
            unit=unit, done=False, due__lte=today + COMMITMENT_WINDOW
        )
        .select_related("visit")
        .order_by("due", "pk")
    ]
    record = reverse("plans:plan-progress", args=[plans[0].pk]) if plans else ""
    return [
        _group("plans", _("Kế hoạch bị trả lại"), plan_todos),
        _group("reports", _("Báo cáo đến hạn"), reports),
        _group("overdue", _("Báo cáo quá hạn"), overdue, record),
        _group(
            "directives",
            _("Chỉ đạo chờ xã trả lời"),
            directives,
            reverse("inspections:directive-list"),
        ),
        _group("commitments", _("Cam kết đến hạn"), commitments),
    ]


# --- office staff, inspectors, leaders --------------------------------------------------------


def _verify(directives: QuerySet[Directive], today: datetime.date) -> list[Todo]:
    return [
        Todo(d.text, d.get_absolute_url(), d.deadline, d.deadline < today, unit=d.unit.full_name)
        for d in directives.awaiting_verification()
        .select_related("unit")
        .order_by("deadline", "pk")
    ]


def late_communes(user: User, year: int, today: datetime.date) -> list[Todo]:
    """Communes in scope with an approved plan for `year` and reports past their deadline
    unsent (`plans.due.overdue_periods`): one item per commune, the number of periods and
    the oldest, the most behind first. Four queries."""
    plans = list(
        CommunePlan.objects.filter(
            unit__in=visible_units(user), year=year, status=PlanStatus.APPROVED
        ).select_related("unit")
    )
    late = overdue_periods(plans, today)
    todos = []
    for plan in sorted(plans, key=lambda plan: (-len(late[plan.pk]), plan.unit.code)):
        if owed := late[plan.pk]:
            text = ngettext(
                "%(n)s kỳ báo cáo quá hạn, từ %(first)s",
                "%(n)s kỳ báo cáo quá hạn, từ %(first)s",
                len(owed),
            ) % {"n": len(owed), "first": owed[0].label}
            url = reverse("plans:plan-progress", args=[plan.pk])
            todos.append(Todo(text, url, overdue=True, unit=plan.unit.full_name))
    return todos


def office_groups(user: User, year: int, today: datetime.date) -> list[TodoGroup]:
    in_scope = visible_units(user)
    plans = [
        Todo(
            _("Xem xét, duyệt kế hoạch năm %(year)s") % {"year": plan.year},
            plan.get_absolute_url(),
            unit=plan.unit.full_name,
        )
        for plan in CommunePlan.objects.filter(unit__in=in_scope, status=PlanStatus.SUBMITTED)
        .select_related("unit")
        .order_by("updated_at", "pk")
    ]
    return [
        _group("review", _("Kế hoạch chờ duyệt"), plans, reverse("plans:coverage")),
        _group(
            "verify",
            _("Chỉ đạo đề nghị xác nhận hoàn thành"),
            _verify(Directive.objects.filter(unit__in=in_scope), today),
            reverse("inspections:directive-list"),
        ),
        _group(
            "late",
            _("Xã chậm báo cáo"),
            late_communes(user, year, today),
            reverse("plans:progress-overview"),
        ),
        _group("mail", _("Thư thông báo không gửi được"), _failed_mail(in_scope)),
    ]


def _failed_mail(units: QuerySet[Unit]) -> list[Todo]:
    """One line when e-mails to people in scope failed after every try (one query)."""
    failed = delivery.failed_to(units).count()
    if not failed:
        return []
    text = ngettext(
        "%(n)s thư thông báo gửi không được: kiểm tra địa chỉ rồi gửi lại",
        "%(n)s thư thông báo gửi không được: kiểm tra địa chỉ rồi gửi lại",
        failed,
    )
    return [Todo(text % {"n": failed}, reverse("portal:failed-deliveries"), overdue=True)]


def inspector_groups(user: User, today: datetime.date) -> list[TodoGroup]:
    """The units of the inspector's current delegations they have not yet visited, and the
    directives of those delegations' visits that the units propose as done."""
    delegations = current_delegations(user)
    visited = Visit.objects.filter(delegation__in=delegations).values("host")
    pending = (
        Unit.objects.filter(inspection_delegations__in=delegations)
        .exclude(pk__in=visited)
        .distinct()
        .order_by("code")
    )
    visits = [
        Todo(_("Làm việc với %(unit)s") % {"unit": unit.full_name}, unit_pack(unit))
        for unit in pending
    ]
    # Those they may verify (`inspections.verify_directive`: a visit of the delegation to a
    # unit assigned to it) and open (a cluster conference's attending unit may not be theirs).
    directives = Directive.objects.filter(
        visit__delegation__in=delegations,
        visit__delegation__units=F("visit__host"),
        unit__in=visible_units(user),
    )
    return [
        _group("visit", _("Đơn vị của đoàn chưa làm việc"), visits),
        _group("verify", _("Chỉ đạo đề nghị xác nhận hoàn thành"), _verify(directives, today)),
    ]


def unit_pack(unit: Unit) -> str:
    return reverse("inspections:unit-pack", args=[unit.pk])


def leader_groups(user: User, year: int, today: datetime.date) -> list[TodoGroup]:
    """Overdue directives and late communes in the leader's scope."""
    overdue = [
        Todo(d.text, d.get_absolute_url(), d.deadline, True, unit=d.unit.full_name)
        for d in Directive.objects.filter(unit__in=visible_units(user))
        .overdue(today)
        .select_related("unit")
        .order_by("deadline", "pk")
    ]
    return [
        _group(
            "overdue-directives",
            _("Chỉ đạo quá hạn"),
            overdue,
            reverse("inspections:directive-list") + "?show=overdue",
        ),
        _group(
            "late",
            _("Xã chậm báo cáo"),
            late_communes(user, year, today),
            reverse("plans:progress-overview"),
        ),
    ]
