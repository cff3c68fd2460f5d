"""The planning cycle in a real browser: revise, add a target, submit, return, fix, approve."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from plans.models import CommunePlan, PlanStatus
from tests.browser import sign_in, sign_out
from tests.conftest import BROWSER

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_myqui_and_vanphong_take_a_revision_through_the_workflow(
    live_server, page, tmp_path
) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    base = live_server.url
    approved = CommunePlan.objects.get(unit__name="Mỹ Quý", year=2023)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    # myqui opens the approved 2023 plan and starts a revision: a new 2023 draft.
    sign_in(page, base, "myqui")
    page.goto(f"{base}{approved.get_absolute_url()}")
    page.get_by_role("link", name="Điều chỉnh kế hoạch").click()
    page.get_by_label("Lý do điều chỉnh").fill("Bổ sung chỉ tiêu theo kết luận của Đoàn công tác")
    page.get_by_label("Văn bản cho phép điều chỉnh").fill("Công văn số 45-CV/HU ngày 20/02/2023")
    page.get_by_role("button", name="Tạo bản điều chỉnh").click()
    page.wait_for_url("**/edit/")
    revision = CommunePlan.objects.get(revises=approved)

    # ... adds a target and saves.
    rows = page.locator("#edit-target fieldset.itemrow")
    before = rows.count()
    page.get_by_role("button", name="+ Thêm dòng chỉ tiêu chủ yếu").click()
    # htmx swaps the new row in: wait for it, or a busy machine fills the last old row.
    expect(rows).to_have_count(before + 1)
    row = rows.last
    row.get_by_label(re.compile(r"^Nội dung")).fill("Tỷ lệ hộ sử dụng nước sạch đạt 99,5%.")
    row.get_by_label("Đơn vị tính").fill("%")
    row.get_by_label("Chiều đánh giá").select_option("increase")
    row.get_by_label("Giá trị chỉ tiêu").fill("99,5")
    row.get_by_label("Cách tính").select_option("point")
    page.get_by_role("button", name="Lưu kế hoạch").click()
    page.wait_for_url(f"**{revision.get_absolute_url()}")
    assert "14 chỉ tiêu chủ yếu" in page.locator(".counts").inner_text()
    page.get_by_role("button", name="Trình duyệt").click()
    assert page.get_by_text("Đã trình kế hoạch").is_visible()
    sign_out(page)

    # vanphong returns it with a reason.
    sign_in(page, base, "vanphong")
    page.goto(f"{base}{revision.get_absolute_url()}")
    page.get_by_role("link", name="Trả lại").click()
    page.get_by_label(re.compile(r"^Lý do")).fill("Chỉ tiêu nước sạch cần ghi rõ giá trị đầu kỳ")
    page.get_by_role("button", name="Trả lại").click()
    assert page.get_by_text("Đã trả lại kế hoạch cho xã").is_visible()
    sign_out(page)

    # myqui fixes the target and resubmits.
    sign_in(page, base, "myqui")
    page.goto(f"{base}{revision.get_absolute_url()}")
    page.get_by_role("link", name="Sửa kế hoạch").click()
    # The saved rows open folded by field; the group's preview tells which one holds it.
    groups = page.locator("#edit-target details.editor-group > summary")
    groups.filter(has_text="nước sạch đạt 99,5%").click()
    row = page.locator("#edit-target fieldset.itemrow").filter(has_text="nước sạch đạt 99,5%").last
    row.get_by_label("Đầu kỳ").fill("98")
    page.get_by_role("button", name="Lưu kế hoạch").click()
    page.wait_for_url(f"**{revision.get_absolute_url()}")
    page.get_by_role("button", name="Trình duyệt").click()
    sign_out(page)

    # vanphong approves; the history shows every step.
    sign_in(page, base, "vanphong")
    page.goto(f"{base}{revision.get_absolute_url()}")
    page.get_by_role("link", name="Duyệt", exact=True).click()
    page.get_by_role("button", name="Xác nhận duyệt").click()
    assert page.get_by_text("Đã duyệt kế hoạch.").is_visible()
    page.get_by_role("link", name="Lịch sử").click()
    history = page.locator("main").inner_text()
    for expected in (
        "Chỉ tiêu nước sạch cần ghi rõ giá trị đầu kỳ",
        "Bổ sung chỉ tiêu theo kết luận của Đoàn công tác",
        "Tỷ lệ hộ sử dụng nước sạch đạt 99,5%.",
        "Trả lại",
        "Đã duyệt",
    ):
        assert expected in history, expected
    page.screenshot(path=str(tmp_path / "history.png"), full_page=True)

    revision.refresh_from_db()
    assert revision.status == PlanStatus.APPROVED
    assert list(revision.status_changes.values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
    assert problems == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_adding_a_row_with_htmx_keeps_what_was_typed_elsewhere(live_server, page) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    draft = CommunePlan.objects.get(unit__name="Mỹ Hòa", year=2023)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server.url, "vanphong")
    page.goto(f"{live_server.url}/plans/{draft.pk}/edit/")
    page.locator("#edit-key_task details.editor-group > summary").first.click()
    first_task = page.locator("#id_key_task-0-text")
    first_task.fill("Nội dung đang gõ dở, chưa lưu")
    targets = page.locator("#edit-target fieldset.itemrow")
    before = targets.count()
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.get_by_role("button", name="+ Thêm dòng chỉ tiêu chủ yếu").click()
    page.wait_for_function(
        f"document.querySelectorAll('#edit-target fieldset.itemrow').length > {before}"
    )
    assert targets.count() == before + 1
    assert first_task.input_value() == "Nội dung đang gõ dở, chưa lưu"  # the page was not reloaded
    focused = page.evaluate("document.activeElement.name")
    assert focused == f"target-{before}-text"
    assert draft.items.filter(text="Nội dung đang gõ dở, chưa lưu").count() == 0
    assert problems == []
