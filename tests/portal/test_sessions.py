"""Nothing typed is lost when the session ends: sliding expiry, and a form posted after it
ended kept and sent again after signing in."""

from __future__ import annotations

import datetime
import time
from unittest import mock

import pytest
from django.contrib.sessions.models import Session

from inspections.models import Directive
from org.models import User
from portal import sessions

pytestmark = pytest.mark.django_db


def open_directive() -> Directive:
    return Directive.objects.filter(unit__code="30055", completed_on__isnull=True).first()


def expiry(client) -> datetime.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_an_active_session_extends_and_a_quiet_minute_writes_nothing(login) -> None:
    client = login("myqui")
    client.get("/")
    first = expiry(client)
    later = time.time() + sessions.SLIDE_SECONDS + 60
    with mock.patch.object(time, "time", return_value=later):
        client.get("/")
    assert expiry(client) > first  # pushed back: the session slides while the user works
    again = expiry(client)
    client.get("/")  # within the slide interval: no session write
    assert expiry(client) == again


def test_a_form_posted_after_the_session_ended_is_kept_and_sent_after_login(client) -> None:
    directive = open_directive()
    answer = f"{directive.get_absolute_url()}answer/"
    typed = {
        "text": "Đã tổ chức sơ kết giữa nhiệm kỳ.",
        "evidence": "Báo cáo số 5",
        "proposed": "done",
    }
    # no session any more (expired): the post is kept, nothing saved, the user signs in
    response = client.post(answer, typed)
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fkept%2F"
    assert not directive.updates.filter(text=typed["text"]).exists()
    login_page = client.get(response["Location"]).content.decode()
    assert "Dữ liệu bạn nhập đã được giữ lại" in login_page

    client.force_login(User.objects.get(username="myqui"))  # the same session, signed in
    kept = client.get("/kept/").content.decode()
    assert f'action="{answer}"' in kept
    assert 'value="Đã tổ chức sơ kết giữa nhiệm kỳ."' in kept and 'value="Báo cáo số 5"' in kept
    assert "csrfmiddlewaretoken" in kept
    # offered once
    assert "Không có dữ liệu nào đang được giữ lại." in client.get("/kept/").content.decode()
    sent = client.post(answer, typed)
    assert sent.status_code == 302
    assert directive.updates.filter(text=typed["text"], evidence="Báo cáo số 5").exists()


def test_signing_in_and_the_language_switch_are_not_kept(client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/login/", {"username": "myqui", "password": "wrong"})
    assert sessions.KEPT not in client.session


def test_kept_data_can_be_discarded(client) -> None:
    directive = open_directive()
    client.post(f"{directive.get_absolute_url()}answer/", {"text": "x", "proposed": "done"})
    client.force_login(User.objects.get(username="myqui"))
    assert client.post("/kept/").status_code == 302
    assert sessions.KEPT not in client.session
    assert client.get("/kept/").status_code == 200


def test_an_htmx_post_after_the_session_ended_takes_the_whole_page_to_login(client) -> None:
    from inspections.models import Visit

    visit = Visit.objects.get(host__code="30055", date=datetime.date(2023, 2, 16))
    response = client.post(
        f"{visit.get_absolute_url()}findings/",
        {"finding-kind": "shortcoming", "finding-text": "Chưa kịp lưu"},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Redirect"] == "/login/?next=%2Fkept%2F"
    assert client.session[sessions.KEPT]["data"] == [
        ["finding-kind", "shortcoming"],
        ["finding-text", "Chưa kịp lưu"],
    ]


def test_a_head_request_does_not_use_up_the_kept_form(client) -> None:
    directive = open_directive()
    client.post(f"{directive.get_absolute_url()}answer/", {"text": "Giữ lại", "proposed": "done"})
    client.force_login(User.objects.get(username="myqui"))
    assert client.head("/kept/").status_code == 200
    assert 'value="Giữ lại"' in client.get("/kept/").content.decode()
