"""The plan editor in a real browser: sections by kind and groups by field fold, a refused
save opens on a summary of its errors linking to each field, and no focused field hides
under the sticky save bar."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from org.models import Role
from tests.browser import axe_violations, sign_in
from tests.builders import make_user
from tests.conftest import BROWSER, demo_plan

pytestmark = BROWSER


def covered_by_the_save_bar(page) -> bool:
    """Whether the focused element reaches under the sticky save bar."""
    return page.evaluate(
        """() => {
          const bar = document.querySelector(".editor .formactions").getBoundingClientRect();
          const field = document.activeElement.getBoundingClientRect();
          return field.bottom > bar.top && field.top < bar.bottom;
        }"""
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_the_editor_folds_summarises_its_errors_and_keeps_the_cursor_in_view(
    live_server, page
) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    draft = demo_plan("Mỹ Hòa", 2023)
    staff = make_user(draft.unit, role=Role.COMMUNE_STAFF, username="myhoa")
    staff.set_password("demo12345")
    staff.save()
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, base, "myhoa")
    page.goto(f"{base}/plans/{draft.pk}/edit/")

    # Four sections by kind, each folded and unfolded on its title.
    expect(page.locator("section.editor-section > details[open]")).to_have_count(4)
    targets = page.locator("#edit-target")
    title = page.locator("#edit-target > details > summary")
    title.click()
    expect(targets.locator("fieldset.itemrow").last).to_be_hidden()
    title.press("Enter")  # the keyboard unfolds it too
    expect(targets.locator("fieldset.itemrow").last).to_be_visible()  # the new row: never folded

    # Within a kind, the saved rows open folded by field, each group saying what it holds.
    groups = targets.locator("details.editor-group")
    expect(groups).to_have_count(8)
    expect(targets.locator("details.editor-group[open]")).to_have_count(0)
    farming = groups.filter(has=page.locator("summary", has_text="Nông nghiệp, nông thôn"))
    expect(farming.locator("summary")).to_contain_text("1 dòng")
    expect(farming.locator("summary")).to_contain_text(
        draft.items.filter(kind="target")[0].text[:40]
    )
    first = page.locator("#id_target-0-text")
    expect(first).to_be_hidden()
    farming.locator("summary").press("Enter")
    expect(first).to_be_visible()
    page.get_by_role("button", name="Mở tất cả các nhóm").click()
    expect(page.locator("details.editor-group:not([open])")).to_have_count(0)

    # Tabbing down the page, the focused field is never under the save bar.
    page.locator("#id_key_task-0-text").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        assert not covered_by_the_save_bar(page), page.evaluate("document.activeElement.id")

    # A refused save: the summary comes first, focused, and each link leads to its field.
    first.fill("")
    page.get_by_role("button", name="Lưu kế hoạch").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Chỉ tiêu chủ yếu, dòng 1 – Nội dung")
    expect(link).to_be_visible()
    expect(title).to_contain_text("1 lỗi")
    expect(farming).to_have_attribute("open", "")  # the group with the error opens unfolded
    expect(page.locator("details.editor-group[open]")).to_have_count(1)
    farming.locator("summary").click()
    title.click()  # folded away twice, the link still finds the field
    link.click()
    expect(first).to_be_focused()
    assert not covered_by_the_save_bar(page)
    assert axe_violations(page) == []
