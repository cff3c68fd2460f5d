"""Line breaks typed in a text area are kept: narratives, reasons, item text."""

from __future__ import annotations

import pytest

from plans.forms import TextField, clean_paragraphs, clean_text
from plans.models import CommunePlan, ProgressReport
from tests.conftest import demo_plan
from tests.plans.test_report_pages import form_data, form_url, half_2023

pytestmark = pytest.mark.django_db
TYPED = "Kết quả:\r\n-  Thu  nhập tăng.\r\n\r\n\r\n- Hộ nghèo giảm.  \n"


def test_a_text_area_keeps_lines_and_one_blank_line_between_paragraphs() -> None:
    assert clean_paragraphs(TYPED) == "Kết quả:\n- Thu nhập tăng.\n\n- Hộ nghèo giảm."
    assert clean_text(TYPED) == "Kết quả: - Thu nhập tăng. - Hộ nghèo giảm."


def test_a_single_line_input_still_folds_its_spaces() -> None:
    from django import forms

    assert TextField().clean("a \n b") == "a b"
    assert TextField(widget=forms.Textarea).clean("a \n b") == "a\nb"


def test_a_report_narrative_keeps_its_lines_on_the_page(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    client = login("myqui")
    response = client.post(form_url(plan, half_2023()), form_data(plan) | {"results": TYPED})
    assert response.status_code == 302
    report = ProgressReport.objects.get(plan=plan, period=half_2023())
    assert report.results == "Kết quả:\n- Thu nhập tăng.\n\n- Hộ nghèo giảm."
    page = client.get(f"/plans/{plan.pk}/progress/?period={half_2023().pk}").content.decode()
    assert "Kết quả:<br>- Thu nhập tăng." in page


def test_a_return_reason_keeps_its_lines(login) -> None:
    plan = CommunePlan.objects.filter(status="submitted").first()
    client = login("vanphong")
    response = client.post(
        f"/plans/{plan.pk}/return/", {"reason": "Sửa:\n1. Chỉ tiêu\n2. Thời hạn"}
    )
    assert response.status_code == 302
    change = plan.status_changes.order_by("at").last()
    assert change.note == "Sửa:\n1. Chỉ tiêu\n2. Thời hạn"
    history = client.get(f"/plans/{plan.pk}/history/").content.decode()
    assert "Sửa:<br>1. Chỉ tiêu<br>2. Thời hạn" in history
