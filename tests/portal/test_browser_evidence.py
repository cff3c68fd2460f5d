"""In a real browser, by keyboard: myqui attaches a file to a directive it answers, sees a
renamed program refused with what was typed kept, downloads the file and removes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from inspections.models import Directive
from tests.browser import axe_violations, sign_in
from tests.conftest import BROWSER
from tests.evidence_files import EXE, PDF

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_myqui_attaches_downloads_and_removes_a_file_by_keyboard(
    live_server, page, settings, tmp_path: Path
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "evidence"},
        },
    }
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    base = live_server.url
    directive = Directive.objects.filter(unit__code="30055", completed_on__isnull=True).first()
    (tmp_path / "report.pdf").write_bytes(EXE)
    (tmp_path / "bien-ban.pdf").write_bytes(PDF)

    sign_in(page, base, "myqui")
    page.goto(f"{base}{directive.get_absolute_url()}")
    evidence = page.get_by_role("region", name="Tài liệu minh chứng")
    assert "tối đa 10,0" in evidence.inner_text()

    # A renamed program is refused; the description typed stays in the form.
    evidence.get_by_label("Tệp minh chứng").set_input_files(tmp_path / "report.pdf")
    evidence.get_by_label("Nội dung tài liệu").fill("Biên bản họp dân")
    evidence.get_by_role("button", name="Đính kèm").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/attachments/directive/**")
    assert page.get_by_text("Nội dung tệp không đúng là tệp PDF").is_visible()
    assert page.get_by_label("Nội dung tài liệu").input_value() == "Biên bản họp dân"
    assert axe_violations(page) == []

    page.get_by_label("Tệp minh chứng").set_input_files(tmp_path / "bien-ban.pdf")
    page.get_by_role("button", name="Đính kèm").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{directive.get_absolute_url()}")
    assert page.get_by_text("Đã đính kèm tài liệu minh chứng.").is_visible()
    link = page.get_by_role("link", name="bien-ban.pdf", exact=True)
    assert link.is_visible() and "tải lên lúc" in page.locator(".evidence__file").inner_text()
    assert axe_violations(page) == []
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "bien-ban.pdf"
    assert Path(download.value.path()).read_bytes() == PDF

    page.get_by_role("link", name="Gỡ bien-ban.pdf").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Xác nhận gỡ").click()
    assert page.get_by_text("Đã gỡ tài liệu minh chứng.").is_visible()
    assert page.get_by_text("Chưa có tài liệu minh chứng.").is_visible()
