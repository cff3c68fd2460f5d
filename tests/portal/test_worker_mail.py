"""E-mail end to end: an event commits, a real worker process (the database queue, then
Redis Queue) sends its notification to a real SMTP server on loopback, once — a second
task for the same delivery, as after a worker killed and restarted, sends nothing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from email import message_from_bytes
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection, transaction

from org import delivery
from org.models import Delivery, DeliveryStatus, NotificationKind
from org.notify import notify
from tests.builders import make_unit, make_user

REDIS_URL = "redis://127.0.0.1:6379/15"


class Inbox:
    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"


@pytest.fixture
def smtp():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    yield inbox
    controller.stop()


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker(backend: str, port: int) -> subprocess.CompletedProcess:
    command = {
        "db": ["db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        "rq": ["rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default"],
    }[backend]
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": backend,
        "REDIS_URL": REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "DEBUG": "false",
    }
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *command, "-v", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def use(backend: str, settings) -> None:
    if backend == "rq":
        import django_rq

        settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
        }
        django_rq.get_queue("default").empty()
    else:
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", ["db", "rq"])
def test_a_real_worker_sends_one_mail_through_a_real_smtp_server(backend, smtp, settings) -> None:
    use(backend, settings)
    commune = make_unit(name="Mỹ Quý")
    person = make_user(commune)
    person.email = "myqui@demo.invalid"
    person.save()
    with transaction.atomic():  # the event commits: its delivery is queued
        notify(
            NotificationKind.REPORT_RETURNED,
            [person],
            subject="Tháng 5/2023 – Kế hoạch năm 2023",
            note="Sản lượng lúa chưa khớp",
            url="/plans/1/reports/5/",
            key="report_returned:1:2",
        )
    (sent,) = Delivery.objects.all()
    assert sent.status == DeliveryStatus.PENDING

    run = worker(backend, smtp.port)
    assert run.returncode == 0, run.stderr
    deadline = time.monotonic() + 10
    while not smtp.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    (message,) = smtp.messages
    assert message["To"] == "myqui@demo.invalid"
    assert "Báo cáo bị trả lại" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Sản lượng lúa chưa khớp" in text and "Sản lượng lúa chưa khớp" in html
    assert f"/notifications/{sent.notification_id}/" in text
    sent.refresh_from_db()
    assert sent.status == DeliveryStatus.SENT

    delivery.enqueue([sent.pk])  # the same delivery queued again
    assert worker(backend, smtp.port).returncode == 0
    time.sleep(0.5)
    assert len(smtp.messages) == 1


class SlowInbox(Inbox):
    """Keeps a sender waiting at RCPT for `hold` seconds: a worker is mid-send meanwhile."""

    hold = 0.0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        import asyncio

        if self.hold:
            await asyncio.sleep(self.hold)
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_loses_nothing_and_the_mail_goes_once(settings) -> None:
    use("db", settings)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = SlowInbox()
    inbox.hold = 30
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        person = make_user(make_unit(name="Mỹ Quý"))
        person.email = "myqui@demo.invalid"
        person.save()
        with transaction.atomic():
            notify(
                NotificationKind.PLAN_APPROVED,
                [person],
                subject="Kế hoạch năm 2026",
                url="/plans/1/",
                key="plan_approved:1:3",
            )
        (sent,) = Delivery.objects.all()
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "TASKS_BACKEND": "db",
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "DEBUG": "false",
        }
        command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"]
        running = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
            command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL
        )
        try:
            waited = time.monotonic() + 60
            while time.monotonic() < waited:
                sent.refresh_from_db()
                if sent.status == DeliveryStatus.SENDING:
                    break
                time.sleep(0.2)
            assert sent.status == DeliveryStatus.SENDING  # claimed, in the middle of SMTP
        finally:
            running.kill()  # SIGKILL: no clean-up of any kind
            running.wait(timeout=30)
        inbox.hold = 0
        assert inbox.messages == []

        # a quarter of an hour later the sweep (run by run_reminders) gives it back
        past = sent.claimed_at - delivery.STALE_CLAIM * 2
        Delivery.objects.filter(pk=sent.pk).update(claimed_at=past, created_at=past)
        assert delivery.sweep() == 1
        assert worker("db", port).returncode == 0
        assert delivery.sweep() == 0
        assert worker("db", port).returncode == 0
        time.sleep(0.5)
        assert len(inbox.messages) == 1
        sent.refresh_from_db()
        assert (sent.status, sent.attempts) == (DeliveryStatus.SENT, 2)
    finally:
        controller.stop()
