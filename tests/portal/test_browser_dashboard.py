"""The district dashboard in a real browser: charts drawn, no console or CSP errors."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.browser import sign_in
from tests.conftest import BROWSER

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_a_leader_reads_the_dashboard_with_its_charts(
    live_server, page, tmp_path, settings
) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    settings.PAGE_CACHE_SECONDS = 300  # as shipped: the second load is served from the cache
    cache.clear()
    base = live_server.url
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    sign_in(page, base, "lanhdao")
    page.get_by_role("link", name="Bảng điều hành").click()
    page.get_by_label("Năm").fill("2022")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**/dashboard/?*year=2022*")
    page.wait_for_selector("figure.chart--drawn >> nth=1")
    for canvas in page.locator("canvas").all():
        box = canvas.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 200
    assert page.get_by_role("heading", name="Cần quan tâm").is_visible()
    assert page.locator("table.dash-table tbody tr").count() == 13
    page.screenshot(path=tmp_path / "dashboard.png", full_page=True)
    assert (tmp_path / "dashboard.png").stat().st_size > 20_000

    # The cached parts draw the same charts under the page's CSP.
    assert any(":page:dashboard:" in key for key in cache._cache)
    page.reload()
    page.wait_for_selector("figure.chart--drawn >> nth=1")
    assert page.locator("table.dash-table tbody tr").count() == 13

    page.locator("table.dash-table").get_by_role("link", name="Xã Mỹ Quý").click()
    assert page.get_by_role("heading", name="Tiến độ chỉ tiêu · Năm 2022").is_visible()
    assert problems == []
