"""Login throttling: repeated wrong passwords lock that account from that address for a while,
on the portal's login and the admin's, with a Vietnamese page; others are not affected."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client

pytestmark = pytest.mark.django_db
WRONG = {"username": "vanphong", "password": "sai-mat-khau"}
RIGHT = {"username": "vanphong", "password": "demo12345"}


def _fail(client: Client, url: str, times: int) -> None:
    for _ in range(times):
        response = client.post(url, WRONG)
        assert response.status_code == 200  # the form again, with its error


@pytest.mark.parametrize("url", ["/login/", "/admin/login/"])
def test_five_wrong_passwords_lock_the_account_from_that_address(url: str) -> None:
    client = Client()
    _fail(client, url, 4)
    locked = client.post(url, WRONG)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Đăng nhập tạm bị khóa" in page and "15 phút" in page
    # Even the right password is refused while the lock holds.
    assert client.post("/login/", RIGHT).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_for_that_account_only() -> None:
    client = Client()
    _fail(client, "/login/", 4)
    assert client.post("/login/", WRONG).status_code == 429
    other = client.post("/login/", {"username": "lanhdao", "password": "demo12345"})
    assert other.status_code == 302


def test_the_lock_lifts_after_the_cool_off() -> None:
    client = Client()
    _fail(client, "/login/", 4)
    assert client.post("/login/", WRONG).status_code == 429
    earlier = datetime.timedelta(minutes=16)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= earlier
        attempt.save()
    assert client.post("/login/", RIGHT).status_code == 302


def test_a_success_resets_the_count() -> None:
    client = Client()
    _fail(client, "/login/", 4)
    assert client.post("/login/", RIGHT).status_code == 302
    client.post("/logout/")
    _fail(client, "/login/", 4)  # four more failures, not a lock
    assert client.post("/login/", RIGHT).status_code == 302
