"""The daily đôn đốc pass on the demo data: who is reminded of what and when, the leader
told of what stays overdue, nothing sent twice; and the e-mail each reminder becomes (at
once, in the digest or not at all), tried again when the server fails, failed in the end
for the office to see."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from inspections.models import Directive, Visit
from org import delivery
from org.channels import EmailChannel
from org.models import (
    Delivery,
    DeliveryMode,
    DeliveryStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
    ReminderPolicy,
    Unit,
    User,
)
from plans.models import Period, ProgressReport, ReportStatus, schedule
from plans.reminders import report_topic
from portal.reminders import queue_digests, run_pass
from tests.conftest import demo_plan

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 12, 7)


@pytest.fixture
def due_thursday() -> Directive:
    """A directive of Mỹ Quý due Thursday 10/12/2026, the only one left to answer."""
    my_qui = Unit.objects.get(name="Mỹ Quý", kind="commune")
    Directive.objects.filter(completed_on__isnull=True).update(deadline=datetime.date(2030, 1, 1))
    return Directive.objects.create(
        visit=Visit.objects.filter(host=my_qui).first(),
        unit=my_qui,
        text="Hoàn thành cứng hóa tuyến đường ấp 3",
        lead="UBND xã",
        deadline=datetime.date(2026, 12, 10),
    )


def reminders(topic: str) -> list[Notification]:
    return list(Notification.objects.filter(topic=topic).select_related("recipient"))


def test_the_commune_is_reminded_three_days_before_and_a_second_pass_sends_nothing(
    due_thursday,
) -> None:
    topic = f"directive:{due_thursday.pk}"
    run_pass(MONDAY)
    rows = reminders(topic)
    assert {row.recipient.username for row in rows} == {"myqui"}
    (row,) = rows
    assert row.kind == NotificationKind.DEADLINE_NEAR
    assert row.key.endswith(":2026-12-10:b3")
    assert row.note == "Hạn 10/12/2026, còn 3 ngày."
    assert row.url == due_thursday.get_absolute_url()
    (sent,) = row.deliveries.all()
    assert (sent.channel, sent.status) == ("email", DeliveryStatus.PENDING)

    again = run_pass(MONDAY)
    assert (again.reminders.reminders, again.reminders.escalations) == (0, 0)
    assert len(reminders(topic)) == 1
    assert Delivery.objects.filter(notification__topic=topic).count() == 1
    delivery.send([sent.pk])
    delivery.send([sent.pk])  # a retried task: the claim is gone
    assert len(mail.outbox) == 1


def test_overdue_reminders_then_the_leader_once(due_thursday) -> None:
    topic = f"directive:{due_thursday.pk}"
    run_pass(datetime.date(2026, 12, 17))  # a week late: first overdue reminder
    assert [r.kind for r in reminders(topic)] == [NotificationKind.OVERDUE]
    run_pass(datetime.date(2026, 12, 24))  # the second: Tháp Mười's leader hears of it
    rows = reminders(topic)
    escalated = [r for r in rows if r.kind == NotificationKind.ESCALATED]
    assert [r.recipient.username for r in escalated] == ["lanhdao"]
    assert escalated[0].subject.startswith("Xã Mỹ Quý: ")
    assert "đã đôn đốc 2 lần" in escalated[0].note
    run_pass(datetime.date(2026, 12, 31))
    assert Notification.objects.filter(topic=topic, kind=NotificationKind.ESCALATED).count() == 1
    assert Notification.objects.filter(topic=topic, kind=NotificationKind.OVERDUE).count() == 3


def test_an_answered_directive_is_not_chased(due_thursday) -> None:
    from inspections import services

    services.answer_directive(
        due_thursday, by=User.objects.get(username="myqui"), text="Đã làm xong", proposed="done"
    )
    run_pass(MONDAY)
    assert not Notification.objects.filter(kind__in=["deadline_near", "overdue"]).exists()


def test_the_supervising_unit_sets_its_own_schedule(due_thursday) -> None:
    tháp_mười = due_thursday.unit.parent
    ReminderPolicy.objects.create(
        unit=tháp_mười, days_before="10", on_the_day=False, every_after=3, escalate_after=1
    )
    topic = f"directive:{due_thursday.pk}"
    run_pass(MONDAY)  # 3 days before: this district does not remind then
    assert reminders(topic)[0].key.endswith(":b10")  # the 10-day step, late, once
    run_pass(datetime.date(2026, 12, 14))  # four days after (13/12 is a Sunday)
    kinds = {r.kind for r in reminders(topic)}
    assert kinds == {"deadline_near", "overdue", "escalated"}


def test_the_half_year_report_is_reminded_until_sent() -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    half = Period.objects.get(kind="half", year=2023, index=1)
    ProgressReport.objects.filter(plan=plan, period=half).delete()
    deadline = schedule(half, plan.unit.parent_id, plan.unit_id).deadline
    run_pass(deadline)
    topic = report_topic(plan.unit_id, half.pk)
    (row,) = [r for r in reminders(topic) if r.recipient.username == "myqui"]
    assert row.subject == "Báo cáo 6 tháng đầu năm 2023"
    assert row.note == f"Hạn là hôm nay, {deadline:%d/%m/%Y}."
    assert row.url == f"/plans/{plan.pk}/reports/{half.pk}/"
    ProgressReport.objects.create(
        plan=plan, period=half, status=ReportStatus.SUBMITTED, submitted_at=timezone.now()
    )
    run_pass(deadline + datetime.timedelta(days=7))
    assert len(reminders(topic)) == 1


def test_the_pass_command_takes_a_day_and_vietnams_today(due_thursday, capsys) -> None:
    call_command("run_reminders", "--today", "2026-12-09")
    assert "lời nhắc" in capsys.readouterr().out
    assert Notification.objects.get(topic=f"directive:{due_thursday.pk}").key.endswith(":b1")
    # 17:30 UTC on 9/12 is already 10/12 in Vietnam: the deadline's own reminder
    late = datetime.datetime(2026, 12, 9, 17, 30, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=late):
        call_command("run_reminders")
    keys = {n.key[-2:] for n in Notification.objects.filter(topic=f"directive:{due_thursday.pk}")}
    assert keys == {"b1", "d0"}


def test_a_bad_day_is_refused() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("run_reminders", "--today", "10/12/2026")


# --- e-mail ---------------------------------------------------------------------------


def test_an_instant_email_has_a_text_part_an_html_part_and_a_link(due_thursday) -> None:
    run_pass(MONDAY)
    sent = Delivery.objects.get(notification__topic=f"directive:{due_thursday.pk}")
    assert delivery.send([sent.pk]) == {"sent": 1, "failed": 0, "skipped": 0}
    (message,) = mail.outbox
    assert message.to == ["myqui@demo.invalid"]
    assert message.subject.startswith("[Cổng kế hoạch công tác] Nhắc việc sắp đến hạn: Hoàn")
    link = f"http://127.0.0.1:8000/notifications/{sent.notification_id}/"
    assert link in message.body and "Hạn 10/12/2026, còn 3 ngày." in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and f'href="{link}"' in html
    assert message.extra_headers["Message-ID"].startswith(f"<portal-{sent.pk}-email@")
    sent.refresh_from_db()
    assert sent.status == DeliveryStatus.SENT and sent.attempts == 1


def test_the_digest_carries_a_days_notifications_in_one_mail(due_thursday) -> None:
    myqui = User.objects.get(username="myqui")
    for kind in (NotificationKind.DEADLINE_NEAR, NotificationKind.OVERDUE):
        NotificationPreference.objects.create(user=myqui, kind=kind, mode=DeliveryMode.DIGEST)
    Directive.objects.create(
        visit=due_thursday.visit, unit=due_thursday.unit, text="Chỉ đạo thứ hai",
        lead="UBND xã", deadline=datetime.date(2026, 11, 30),
    )  # fmt: skip
    run_pass(MONDAY)
    held = Delivery.objects.filter(notification__recipient=myqui)
    assert {d.status for d in held} == {DeliveryStatus.HELD}
    assert held.count() == 2
    assert delivery.digests_due(MONDAY) == [myqui.pk]
    assert delivery.send_digest(myqui.pk, MONDAY) == 2
    (message,) = mail.outbox
    assert "2 thông báo" in message.subject
    assert "Chỉ đạo thứ hai" in message.body and "cứng hóa" in message.body
    assert delivery.digests_due(MONDAY) == []
    assert queue_digests(MONDAY) == 0
    assert delivery.send_digest(myqui.pk, MONDAY) == 0  # a second task of the same digest
    assert len(mail.outbox) == 1


def test_off_sends_no_mail_and_an_escalation_cannot_be_off(due_thursday) -> None:
    myqui = User.objects.get(username="myqui")
    NotificationPreference.objects.create(
        user=myqui, kind=NotificationKind.DEADLINE_NEAR, mode=DeliveryMode.OFF
    )
    run_pass(MONDAY)
    assert Delivery.objects.get(notification__recipient=myqui).status == DeliveryStatus.SKIPPED
    assert Notification.objects.filter(recipient=myqui).exists()  # still in the portal
    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationPreference.objects.create(
            user=myqui, kind=NotificationKind.ESCALATED, mode=DeliveryMode.OFF
        )


def test_a_failed_send_is_retried_with_backoff_then_failed_for_the_office(
    due_thursday, settings
) -> None:
    settings.NOTIFY_MAX_ATTEMPTS = 3
    run_pass(MONDAY)
    sent = Delivery.objects.get(notification__topic=f"directive:{due_thursday.pk}")
    with mock.patch.object(EmailChannel, "send", side_effect=ConnectionRefusedError("down")):
        assert delivery.send([sent.pk])["failed"] == 1
        sent.refresh_from_db()
        assert (sent.status, sent.attempts) == (DeliveryStatus.PENDING, 1)
        assert "ConnectionRefusedError" in sent.error
        assert delivery.send([sent.pk])["skipped"] == 1  # not due before its backoff ends
        for _ in range(2):
            Delivery.objects.filter(pk=sent.pk).update(next_attempt_at=None)
            delivery.send([sent.pk])
    sent.refresh_from_db()
    assert (sent.status, sent.attempts) == (DeliveryStatus.FAILED, 3)
    assert not mail.outbox

    office = Client()
    office.force_login(User.objects.get(username="vanphong"))
    page = office.get("/notifications/failed/").text
    assert "myqui@demo.invalid" in page and "ConnectionRefusedError" in page
    # ids past 64 bits or not ids at all choose nothing (and fail nothing)
    refused = office.post("/notifications/failed/", {"delivery": ["9" * 30, "x"]})
    assert refused.status_code == 302
    sent.refresh_from_db()
    assert sent.status == DeliveryStatus.FAILED
    office.post("/notifications/failed/", {"delivery": [sent.pk]})
    sent.refresh_from_db()
    assert (sent.status, sent.attempts) == (DeliveryStatus.PENDING, 0)
    delivery.send([sent.pk])
    assert len(mail.outbox) == 1


def test_a_claim_left_by_a_dead_worker_is_sent_again_by_the_sweep(due_thursday) -> None:
    run_pass(MONDAY)
    sent = Delivery.objects.get(notification__topic=f"directive:{due_thursday.pk}")
    assert delivery.claim(sent.pk)  # the worker took it, then died
    assert delivery.sweep() == 0  # a fresh claim is left alone
    an_hour_ago = sent.created_at - datetime.timedelta(hours=1)
    Delivery.objects.filter(pk=sent.pk).update(claimed_at=an_hour_ago, created_at=an_hour_ago)
    assert delivery.sweep() == 1
    delivery.send([sent.pk])
    assert len(mail.outbox) == 1


def test_the_failed_list_is_the_offices_only() -> None:
    client = Client()
    client.force_login(User.objects.get(username="myqui"))
    assert client.get("/notifications/failed/").status_code == 403
    client.force_login(User.objects.get(username="lanhdao"))
    assert client.get("/notifications/failed/").status_code == 403


def test_each_person_chooses_per_kind_and_cannot_turn_escalations_off() -> None:
    client = Client()
    myqui = User.objects.get(username="myqui")
    client.force_login(myqui)
    page = client.get("/notifications/settings/").text
    assert "myqui@demo.invalid" in page and "không tắt được" in page
    response = client.post(
        "/notifications/settings/",
        {"mode-overdue": "digest", "mode-plan_approved": "off", "mode-escalated": "off"},
    )
    assert response.status_code == 400
    assert "không tắt được" in response.text
    assert not myqui.notification_preferences.exists()
    client.post("/notifications/settings/", {"mode-overdue": "digest", "mode-plan_approved": "off"})
    assert dict(myqui.notification_preferences.values_list("kind", "mode")) == {
        "overdue": "digest",
        "plan_approved": "off",
    }


def test_the_directive_page_shows_its_đôn_đốc_log(due_thursday) -> None:
    run_pass(MONDAY)
    client = Client()
    client.force_login(User.objects.get(username="vanphong"))
    page = client.get(due_thursday.get_absolute_url()).text
    assert "Nhật ký đôn đốc" in page
    assert "3 ngày trước hạn" in page and "chờ gửi" in page


def test_the_office_sets_its_units_schedule_in_the_portal(due_thursday) -> None:
    client = Client()
    client.force_login(User.objects.get(username="vanphong"))
    page = client.get("/notifications/schedule/").text
    assert "lịch mặc định" in page
    refused = client.post("/notifications/schedule/", {"days_before": "7,ba", "every_after": 7,
                                                       "escalate_after": 2})  # fmt: skip
    assert refused.status_code == 400
    assert "Ghi số ngày trước hạn" in refused.text
    assert 'value="7,ba"' in refused.text  # nothing typed is lost
    client.post(
        "/notifications/schedule/",
        {"days_before": "3, 10,3", "on_the_day": "on", "every_after": 5, "escalate_after": 1},
    )
    policy = ReminderPolicy.objects.get(unit=due_thursday.unit.parent)
    assert (policy.days_before, policy.before, policy.every_after) == ("10,3", (10, 3), 5)
    run_pass(MONDAY)
    assert reminders(f"directive:{due_thursday.pk}")[0].key.endswith(":b3")


def test_only_an_office_sets_a_schedule() -> None:
    client = Client()
    for username in ("myqui", "lanhdao", "kiemtra"):
        client.force_login(User.objects.get(username=username))
        assert client.get("/notifications/schedule/").status_code == 403


def test_the_pass_is_a_task_too(due_thursday, settings) -> None:
    from portal.tasks import reminder_pass

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    result = reminder_pass.enqueue("2026-12-07")
    assert result.return_value == {"reminders": 1, "escalations": 0, "digests": 0, "requeued": 0}
    assert reminder_pass.enqueue("2026-12-07").return_value["reminders"] == 0


def test_a_task_queue_that_is_down_fails_no_event(django_capture_on_commit_callbacks) -> None:
    from org.notify import notify

    person = User.objects.get(username="myqui")
    with (
        mock.patch(
            "django_tasks_db.backend.DatabaseBackend.enqueue", side_effect=ConnectionError("down")
        ),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        notify(NotificationKind.PLAN_APPROVED, [person], subject="Kế hoạch", url="/", key="k")
    assert len(callbacks) == 1  # it ran, failed, and was logged
    sent = Delivery.objects.get(notification__key="k")
    assert sent.status == DeliveryStatus.PENDING  # for the sweep to hand to the queue


def test_two_tasks_of_one_digest_send_one_mail(due_thursday) -> None:
    myqui = User.objects.get(username="myqui")
    NotificationPreference.objects.create(
        user=myqui, kind=NotificationKind.DEADLINE_NEAR, mode=DeliveryMode.DIGEST
    )
    run_pass(MONDAY)
    inner = []
    real_send = EmailChannel.send

    def send_while_another_task_runs(self, user, deliveries, *, digest):
        inner.append(delivery.send_digest(myqui.pk, MONDAY))  # the second task, meanwhile
        real_send(self, user, deliveries, digest=digest)

    with mock.patch.object(EmailChannel, "send", send_while_another_task_runs):
        assert delivery.send_digest(myqui.pk, MONDAY) == 1
    assert inner == [0]
    assert len(mail.outbox) == 1
