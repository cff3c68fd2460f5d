"""A session ending in a real browser: what was typed is saved after signing in again."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from playwright.sync_api import expect

from inspections.models import Directive
from tests.browser import axe_violations, sign_in
from tests.conftest import BROWSER

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_an_answer_typed_as_the_session_ends_is_saved_after_signing_in(live_server, page) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    base = live_server.url
    directive = Directive.objects.filter(unit__code="30055", completed_on__isnull=True).first()
    sign_in(page, base, "myqui")
    page.goto(f"{base}{directive.get_absolute_url()}")
    page.get_by_label("Kết quả thực hiện").fill("Đã rà soát 4 chỉ tiêu, gửi kèm báo cáo.")
    page.get_by_label("Minh chứng", exact=True).fill("Báo cáo số 12/BC-UBND")
    Session.objects.all().delete()  # the working day ended while they typed
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_url("**/login/?next=%2Fkept%2F")
    expect(page.get_by_text("Dữ liệu bạn nhập đã được giữ lại")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill("myqui")
    page.get_by_label("Mật khẩu").fill("demo12345")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/kept/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Gửi lại dữ liệu đã nhập").click()
    expect(page.get_by_text("Đã gửi báo cáo thực hiện.")).to_be_visible()
    assert directive.updates.filter(
        text="Đã rà soát 4 chỉ tiêu, gửi kèm báo cáo.", evidence="Báo cáo số 12/BC-UBND"
    ).exists()
