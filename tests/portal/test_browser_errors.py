"""Error pages in a real browser: Vietnamese, with the request id and a way back, for a
missing page, a forbidden one and a form whose CSRF token no longer holds."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from inspections.models import Directive
from tests.browser import axe_violations, sign_in
from tests.conftest import BROWSER

pytestmark = BROWSER


def assert_error_page(page, heading: str, status: int, response) -> None:
    assert response is None or response.status == status
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_text(re.compile(r"^Mã yêu cầu: [0-9a-f]{12}$"))).to_be_visible()
    expect(page.get_by_role("link", name="Về trang chủ")).to_have_attribute("href", "/")
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert axe_violations(page) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_error_pages_speak_vietnamese_and_lead_back(live_server, page) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    base = live_server.url
    sign_in(page, base, "myqui")

    response = page.goto(f"{base}/khong-co-trang-nay/")
    assert_error_page(page, "Không tìm thấy trang", 404, response)

    response = page.goto(f"{base}/plans/coverage/")  # an office page, not a commune's
    assert_error_page(page, "Bạn không có quyền thực hiện thao tác này", 403, response)

    # A form sent after its CSRF cookie is gone: Django's English page is replaced.
    directive = Directive.objects.filter(unit__code="30055", completed_on__isnull=True).first()
    page.goto(f"{base}{directive.get_absolute_url()}")
    page.get_by_label("Kết quả thực hiện").fill("Đã triển khai.")
    page.context.clear_cookies(name="csrftoken")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Gửi báo cáo").click()
    assert_error_page(page, "Biểu mẫu đã hết hiệu lực, chưa lưu được", 403, answer.value)
    expect(page.get_by_text("Forbidden")).to_have_count(0)
