"""Directives: the four deadline classes, the follow-up services and who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections import services
from inspections.models import DeadlineClass, Directive, FindingKind, Visit, deadline_class
from org.models import Unit, User
from org.rules import visible_units

D = datetime.date
DEADLINE = D(2023, 3, 31)


@pytest.mark.parametrize(
    ("completed_on", "today", "expected"),
    [
        (D(2023, 3, 30), D(2023, 5, 1), DeadlineClass.DONE_ON_TIME),
        (D(2023, 3, 31), D(2023, 5, 1), DeadlineClass.DONE_ON_TIME),  # the whole last day counts
        (D(2023, 4, 1), D(2023, 5, 1), DeadlineClass.DONE_LATE),
        (None, D(2023, 3, 31), DeadlineClass.OPEN_IN_TIME),
        (None, D(2023, 4, 1), DeadlineClass.OPEN_OVERDUE),
        (None, D(2023, 1, 1), DeadlineClass.OPEN_IN_TIME),
    ],
)
def test_the_four_official_classes(completed_on, today, expected) -> None:
    assert deadline_class(DEADLINE, completed_on, today) == expected


def test_today_is_the_day_in_vietnam(settings) -> None:
    # 17:30 UTC on 31/3 is already 1/4 in Hà Nội: an open directive due 31/3 is overdue.
    from unittest import mock

    from django.utils import timezone

    moment = datetime.datetime(2023, 3, 31, 17, 30, tzinfo=datetime.UTC)
    with mock.patch.object(timezone, "now", return_value=moment):
        assert timezone.localdate() == D(2023, 4, 1)
        directive = Directive(deadline=DEADLINE)
        assert directive.deadline_class() == DeadlineClass.OPEN_OVERDUE


pytestmark = pytest.mark.django_db


@pytest.fixture
def kiemtra() -> User:
    return User.objects.get(username="kiemtra")


@pytest.fixture
def my_qui_visit() -> Visit:
    return Visit.objects.get(host__code="30055", date=D(2023, 2, 16))


def test_every_deadline_class_occurs_in_the_demo() -> None:
    classes = {directive.deadline_class() for directive in Directive.objects.all()}
    assert classes == set(DeadlineClass.values)


def test_the_seed_visits_are_in_the_demo() -> None:
    dates = {(v.host.name, v.date) for v in Visit.objects.select_related("host")}
    assert {
        ("Mỹ Quý", D(2023, 2, 16)),
        ("Mỹ Đông", D(2022, 2, 22)),
        ("Trường Xuân", D(2022, 2, 23)),
        ("Phong Mỹ", D(2022, 3, 9)),
        ("Xuân Dương", D(2022, 6, 21)),
    } <= dates
    assert Directive.objects.filter(visit__host__code="30055").count() == 4


def test_the_2022_campaign_covers_all_13_units() -> None:
    from inspections.models import Campaign

    campaign = Campaign.objects.get(year=2022)
    assert campaign.delegations.count() == 3
    units = Unit.objects.filter(inspection_delegations__campaign=campaign).distinct()
    assert units.count() == 13


def test_an_inspector_sees_only_the_units_of_their_delegation(kiemtra: User) -> None:
    names = set(visible_units(kiemtra).values_list("name", flat=True))
    assert names == {"Mỹ An", "Mỹ Hòa", "Mỹ Quý", "Mỹ Đông", "Láng Biển"}


@pytest.mark.usefixtures("during_campaign_2023")
def test_a_shortcoming_becomes_a_directive_and_is_followed_up(kiemtra, my_qui_visit) -> None:
    myqui = User.objects.get(username="myqui")
    finding = services.add_finding(
        my_qui_visit,
        by=kiemtra,
        kind=FindingKind.SHORTCOMING,
        text="Chưa có lộ trình NTM nâng cao.",
    )
    directive = services.issue_directive(
        my_qui_visit, by=kiemtra, text="", lead="UBND xã", deadline=D(2023, 3, 18), finding=finding
    )
    assert directive.text == finding.text
    assert directive.unit == my_qui_visit.host
    services.answer_directive(directive, by=myqui, text="Đã xây dựng lộ trình.", proposed="done")
    with pytest.raises(PermissionDenied):
        services.close_directive(directive, by=myqui)
    closed = services.close_directive(directive, by=kiemtra, completed_on=D(2023, 3, 15))
    assert closed.deadline_class() == DeadlineClass.DONE_ON_TIME
    assert closed.history.first().history_user == kiemtra
    with pytest.raises(ValidationError, match="đã được xác nhận"):
        services.answer_directive(closed, by=myqui, text="Bổ sung")
    with pytest.raises(ValidationError, match="đã được xác nhận"):
        services.close_directive(closed, by=kiemtra)
    services.reopen_directive(closed, by=kiemtra, reason="Xác nhận nhầm")
    assert Directive.objects.get(pk=closed.pk).completed_on is None


def test_an_inspector_cannot_record_outside_their_delegation(kiemtra: User) -> None:
    phú_điền = Unit.objects.get(code="30067", valid_to__isnull=False)
    with pytest.raises(PermissionDenied):
        services.record_visit(
            phú_điền,
            by=kiemtra,
            kind="plan_inspection",
            date=D(2023, 2, 20),
            chair_role="Trưởng đoàn",
            topic="Kiểm tra",
        )


def test_other_communes_cannot_answer(my_qui_visit) -> None:
    directive = my_qui_visit.directives.first()
    with pytest.raises(PermissionDenied):
        services.answer_directive(directive, by=User.objects.get(username="phudien"), text="x")


@pytest.mark.usefixtures("during_campaign_2023")
def test_a_strength_cannot_become_a_directive(kiemtra, my_qui_visit) -> None:
    strength = my_qui_visit.findings.filter(kind=FindingKind.STRENGTH).first()
    with pytest.raises(ValidationError):
        services.issue_directive(
            my_qui_visit,
            by=kiemtra,
            text="x",
            lead="UBND xã",
            deadline=D(2023, 3, 1),
            finding=strength,
        )


@pytest.mark.usefixtures("during_campaign_2023")
def test_a_deadline_before_the_visit_is_refused(kiemtra, my_qui_visit) -> None:
    with pytest.raises(ValidationError):
        services.issue_directive(
            my_qui_visit, by=kiemtra, text="x", lead="UBND xã", deadline=D(2023, 1, 1)
        )


@pytest.mark.usefixtures("during_campaign_2023")
def test_a_completion_date_in_the_future_is_refused(kiemtra, my_qui_visit) -> None:
    directive = my_qui_visit.directives.filter(completed_on__isnull=True).first()
    with pytest.raises(ValidationError):
        services.close_directive(directive, by=kiemtra, completed_on=D(2099, 1, 1))


@pytest.mark.usefixtures("during_campaign_2023")
def test_an_unanswered_directive_is_closed_only_explicitly_with_a_reason(
    kiemtra, my_qui_visit
) -> None:
    directive = services.issue_directive(
        my_qui_visit, by=kiemtra, text="Rà soát hộ nghèo.", lead="UBND xã", deadline=D(2023, 3, 31)
    )
    with pytest.raises(ValidationError, match="chưa báo cáo kết quả"):
        services.close_directive(directive, by=kiemtra, completed_on=D(2023, 3, 1))
    with pytest.raises(ValidationError) as error:
        services.close_directive(
            directive, by=kiemtra, completed_on=D(2023, 3, 1), note="  ", without_answer=True
        )
    assert "note" in error.value.error_dict
    assert Directive.objects.get(pk=directive.pk).completed_on is None

    closed = services.close_directive(
        directive,
        by=kiemtra,
        completed_on=D(2023, 3, 1),
        note="Đoàn đã kiểm tra thực tế.",
        without_answer=True,
    )
    assert closed.completed_on == D(2023, 3, 1)
    reason = closed.history.first().history_change_reason
    assert reason == "Đóng khi đơn vị chưa báo cáo: Đoàn đã kiểm tra thực tế."
