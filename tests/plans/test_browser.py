"""A real browser journey: vanphong logs in and opens Mỹ Quí's 2023 plan."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.conftest import BROWSER

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_vanphong_logs_in_and_opens_my_qui_2023_plan(live_server, page, tmp_path) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(f"{live_server.url}/")
    page.get_by_label("Tên đăng nhập").fill("vanphong")
    page.get_by_label("Mật khẩu").fill("demo12345")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Huyện Tháp Mười").is_visible()

    row = page.get_by_role("row").filter(has_text="Mỹ Quý")
    row.get_by_role("cell").get_by_role("link").click()  # the plan; the name opens the commune
    page.wait_for_url("**/plans/*/")
    assert "Xã Mỹ Quý (Mỹ Quí)" in page.get_by_role("heading", level=1).inner_text()
    counts = page.locator(".counts").inner_text()
    for expected in ("5\nnhiệm vụ trọng tâm", "13\nchỉ tiêu chủ yếu", "5\nnhiệm vụ đột phá"):
        assert expected.replace("\n", " ") in counts.replace("\n", " ")
    page.screenshot(path=str(tmp_path / "my-qui-2023.png"), full_page=True)
    assert problems == []
