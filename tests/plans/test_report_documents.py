"""Period reports (Báo cáo sơ kết / tổng kết) as Word and PDF: the four sections, the targets
table, who may have them."""

from __future__ import annotations

import pytest
from django.test import Client

from org.models import Role
from plans.achievement import TargetStatus
from plans.models import CommunePlan, ItemKind, Period, ProgressReport
from tests.builders import make_plan, make_unit, make_user
from tests.documents import assert_nd30_page, assert_nd30_pdf, pdf, pdf_text, word, word_text

pytestmark = pytest.mark.django_db

# session + user, plan with its unit and the unit's parent, period, report, targets, the
# reported values of the year up to the period
REPORT_DOCUMENT_QUERIES = 7
SECTIONS = (
    "I. KẾT QUẢ ĐẠT ĐƯỢC",
    "II. TỒN TẠI, HẠN CHẾ",
    "III. NGUYÊN NHÂN",
    "IV. NHIỆM VỤ, GIẢI PHÁP KỲ TỚI",
)


def phu_dien_report(kind: str, index: int = 1) -> ProgressReport:
    return ProgressReport.objects.select_related("plan", "period").get(
        plan__unit__name="Phú Điền", plan__year=2022, period__kind=kind, period__index=index
    )


def url(report: ProgressReport, kind: str) -> str:
    return f"/plans/{report.plan_id}/reports/{report.period_id}/document.{kind}"


def test_the_word_report_has_the_page_of_decree_30(login) -> None:
    assert_nd30_page(word(login("vanphong").get(url(phu_dien_report("half"), "docx"))))


def test_the_half_year_report_is_a_sơ_kết_with_its_four_sections(login) -> None:
    report = phu_dien_report("half")
    document = word(login("vanphong").get(url(report, "docx")))
    lines = word_text(document).splitlines()
    for expected in (
        "ĐẢNG ỦY XÃ PHÚ ĐIỀN",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BÁO CÁO",
        f"Sơ kết 6 tháng đầu năm 2022 thực hiện Kế hoạch số {report.plan.number}",
        *SECTIONS,
        "Nơi nhận:",
        "T/M BAN THƯỜNG VỤ",
    ):
        assert expected in lines, expected
    positions = [lines.index(section) for section in SECTIONS]
    assert positions == sorted(positions)
    for text in (report.results, report.shortcomings, report.causes, report.next_tasks):
        for line in filter(None, map(str.strip, text.splitlines())):
            assert line in lines


def test_the_year_report_is_a_tổng_kết(login) -> None:
    report = phu_dien_report("year")
    lines = word_text(word(login("vanphong").get(url(report, "docx")))).splitlines()
    assert f"Tổng kết năm 2022 thực hiện Kế hoạch số {report.plan.number}" in lines


def test_the_targets_table_has_a_row_for_each_target_with_its_status(login) -> None:
    report = phu_dien_report("half")
    document = word(login("vanphong").get(url(report, "docx")))
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "STT"]
    targets = list(report.plan.items.filter(kind=ItemKind.TARGET).order_by("order"))
    assert len(table.rows) == 1 + len(targets)
    for row, target in zip(table.rows[1:], targets, strict=True):
        assert row.cells[1].text == target.text.strip()
        assert row.cells[5].text in TargetStatus.labels
    assert table.rows[0].cells[4].text == "Thực hiện 6 tháng đầu năm 2022"


def test_the_pdf_report_keeps_the_vietnamese_text(login) -> None:
    reader = pdf(login("vanphong").get(url(phu_dien_report("half"), "pdf")))
    assert_nd30_pdf(reader)
    text = pdf_text(reader)
    for expected in ("BÁO CÁO", "KẾT QUẢ ĐẠT ĐƯỢC", "TỒN TẠI, HẠN CHẾ", "Phú Điền"):
        assert expected in text, expected


@pytest.mark.parametrize("username", ["vanphong", "lanhdao", "admin", "phudien"])
def test_whoever_opens_the_progress_page_downloads_the_report(login, username: str) -> None:
    report = phu_dien_report("half")
    client = login(username)
    page = client.get(f"/plans/{report.plan_id}/progress/?period={report.period_id}")
    assert page.status_code == 200
    assert f'href="{url(report, "docx")}"' in page.content.decode()
    assert f'href="{url(report, "pdf")}"' in page.content.decode()
    assert client.get(url(report, "docx")).status_code == 200
    assert client.get(url(report, "pdf")).status_code == 200


def test_another_communes_report_is_not_found(login) -> None:
    report = phu_dien_report("half")
    client = login("myqui")
    assert client.get(f"/plans/{report.plan_id}/progress/").status_code == 404
    assert client.get(url(report, "docx")).status_code == 404
    assert client.get(url(report, "pdf")).status_code == 404


def test_a_period_without_a_report_or_of_another_year_is_not_found(
    login, my_qui_2023: CommunePlan
) -> None:
    client = login("vanphong")
    unreported = Period.objects.get(year=2023, kind="half", index=1)
    assert not ProgressReport.objects.filter(plan=my_qui_2023, period=unreported).exists()
    other_year = Period.objects.get(year=2022, kind="half", index=1)
    for period in (unreported, other_year):
        for kind in ("docx", "pdf"):
            path = f"/plans/{my_qui_2023.pk}/reports/{period.pk}/document.{kind}"
            assert client.get(path).status_code == 404


def test_anonymous_users_are_sent_to_login(client: Client) -> None:
    for kind in ("docx", "pdf"):
        response = client.get(url(phu_dien_report("half"), kind))
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_report_documents_refuse_post(login) -> None:
    client = login("vanphong")
    assert client.post(url(phu_dien_report("half"), "docx")).status_code == 405
    assert client.post(url(phu_dien_report("half"), "pdf")).status_code == 405


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_report_document_queries_stay_fixed_as_targets_are_added(
    client: Client, django_assert_num_queries, kind: str
) -> None:
    report = phu_dien_report("half")
    plan = report.plan
    client.force_login(make_user(plan.unit.parent, role=Role.LEADER))
    with django_assert_num_queries(REPORT_DOCUMENT_QUERIES):
        assert client.get(url(report, kind)).status_code == 200
    extra = make_plan(make_unit(plan.unit.parent), year=2022, items=40)
    extra.items.update(plan=plan, code="")  # codes are unique within a plan
    with django_assert_num_queries(REPORT_DOCUMENT_QUERIES):
        assert client.get(url(report, kind)).status_code == 200
