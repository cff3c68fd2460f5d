"""In a real browser: myqui downloads its report's Excel template, uploads it with a wrong
number, reads the error by row and column, uploads it corrected, confirms, and finds the
values in the report form — at phone width, with axe finding nothing serious."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from plans.models import Period, ProgressReport
from tests.browser import axe_violations, horizontal_overflow, sign_in
from tests.conftest import BROWSER, demo_plan

pytestmark = BROWSER


def _fill(template: Path, target: Path, value) -> None:
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    first = int(sheet.freeze_panes[1:])
    row = next(n for n in range(first, sheet.max_row + 1) if sheet.cell(n, 1).value == "CT02")
    sheet.cell(row=row, column=6).value = value
    book.save(target)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_myqui_brings_a_report_in_from_excel(live_server, page, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    plan = demo_plan("Mỹ Quý", 2023)
    reported = plan.reports.values_list("period", flat=True)
    period = (
        Period.objects.filter(year=2023, kind="month").exclude(pk__in=reported).order_by("start")
    ).first()
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in(page, base, "myqui")
    page.goto(f"{base}/plans/{plan.pk}/reports/{period.pk}/")
    page.get_by_role("link", name="Nhập từ Excel").click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Tải mẫu Excel")).click()
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)

    _fill(template, tmp_path / "bao-cao.xlsx", "tám trăm")
    page.get_by_label("Tệp Excel đã điền").set_input_files(tmp_path / "bao-cao.xlsx")
    page.get_by_role("button", name="Xem trước").click()
    alert = page.get_by_role("alert")
    assert re.search(r"Dòng \d+, cột F \(Giá trị kỳ này\)", alert.inner_text())
    assert page.get_by_role("button", name="Xác nhận nhập").count() == 0
    assert not ProgressReport.objects.filter(plan=plan, period=period).exists()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) == 0

    _fill(template, tmp_path / "bao-cao.xlsx", 812.5)
    page.get_by_label("Tệp Excel đã điền").set_input_files(tmp_path / "bao-cao.xlsx")
    page.get_by_role("button", name="Xem trước").click()
    assert "812,5" in page.get_by_role("region", name=re.compile("Xem trước")).inner_text()
    page.get_by_role("button", name="Xác nhận nhập").click()
    assert page.get_by_text("Đã nhập 1 dòng thay đổi").is_visible()
    report = ProgressReport.objects.get(plan=plan, period=period)
    assert report.status == "draft"
    assert report.target_results.get(item__code="CT02").value == Decimal("812.5")
