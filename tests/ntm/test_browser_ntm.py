"""The NTM board in a real browser: vanphong reads 2022 and opens an assigned commune."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.browser import sign_in
from tests.conftest import BROWSER

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_vanphong_reads_the_ntm_board(live_server, page, tmp_path) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    base = live_server.url
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    sign_in(page, base, "vanphong")
    page.get_by_role("link", name="Nông thôn mới").click()
    page.get_by_label("Năm").fill("2022")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**/ntm/?year=2022*")
    grid = page.locator("table.ntm-grid")
    assert grid.locator("tbody tr").count() == 13
    assert grid.locator("td.cell--not_met").count() > 0
    assigned = page.locator("section", has=page.get_by_role("heading", name="Các xã được giao"))
    assert "17/19" in assigned.locator("tr", has_text="Mỹ Quý").inner_text()
    page.screenshot(path=tmp_path / "ntm-board.png", full_page=True)
    assert (tmp_path / "ntm-board.png").stat().st_size > 10_000

    assigned.get_by_role("link", name="Xã Mỹ Quý").click()
    assert page.get_by_text("Đạt 17/19 tiêu chí.").is_visible()
    assert page.get_by_role("link", name="Thẩm định").is_visible()
    assert problems == []
