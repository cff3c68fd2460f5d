"""The cluster conference report (Báo cáo hội nghị giao ban cụm) as Word and PDF: the
cluster's communes ranked by their half-year progress, who may have it."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from inspections.models import Finding, FindingKind, Visit, VisitKind
from org.models import Role, Unit
from plans.models import Period, PlanStatus, ReportSummary
from tests.builders import make_plan, make_unit, make_user
from tests.documents import assert_nd30_page, assert_nd30_pdf, pdf, pdf_text, word, word_text

pytestmark = pytest.mark.django_db

# session + user, visit with its host, delegation, campaign and cluster, findings,
# directives, units attending, cluster members, period, their summaries
CONFERENCE_QUERIES = 9


def conference() -> Visit:
    return Visit.objects.select_related("cluster", "host__parent").get(
        kind=VisitKind.CLUSTER_CONFERENCE
    )


def url(visit: Visit, kind: str) -> str:
    return f"/inspections/visits/{visit.pk}/conference-report.{kind}"


def summarise(unit: Unit, period: Period, achieved: int, behind: int) -> None:
    plan = make_plan(unit, year=period.year, items=0)
    plan.status = PlanStatus.APPROVED
    plan.save()
    ReportSummary.objects.create(
        plan=plan, unit=unit, period=period, targets_achieved=achieved, targets_behind=behind
    )


def district_reader(visit: Visit) -> Client:
    client = Client()
    client.force_login(make_user(visit.host.parent, role=Role.DISTRICT_STAFF))
    return client


def ranking_table(document) -> list[list[str]]:
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "Hạng"]
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def test_the_word_report_has_the_page_of_decree_30(login) -> None:
    assert_nd30_page(word(login("admin").get(url(conference(), "docx"))))


def test_the_report_ranks_the_clusters_communes_by_their_half_year(login) -> None:
    visit = conference()
    period = Period.objects.get(year=visit.date.year, kind="half", index=visit.half)
    members = list(visit.cluster.members.order_by("code"))
    assert len(members) == 4
    first, second, third, silent = members[2], members[0], members[3], members[1]
    summarise(first, period, 9, 1)  # 90 %
    summarise(second, period, 6, 4)  # 60 %
    summarise(third, period, 3, 7)  # 30 %
    document = word(login("admin").get(url(visit, "docx")))
    rows = ranking_table(document)
    assert [(row[0], row[1], row[-1]) for row in rows] == [
        ("1", first.full_name, "90 %"),
        ("2", second.full_name, "60 %"),
        ("3", third.full_name, "30 %"),
        ("–", silent.full_name, "chưa có báo cáo"),
    ]
    assert rows[0][2:7] == ["9", "0", "0", "1", "0"]
    lines = word_text(document).splitlines()
    for expected in (
        "BÁO CÁO",
        f"Kết quả thực hiện nhiệm vụ 6 tháng đầu năm 2022 của {visit.cluster.name}",
        "I. KẾT QUẢ ĐẠT ĐƯỢC",
        "II. HẠN CHẾ, KHÓ KHĂN",
        "III. NHIỆM VỤ THỜI GIAN TỚI",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "T/M BAN THƯỜNG VỤ",
    ):
        assert expected in lines, expected
    for finding in Finding.objects.filter(visit=visit, kind=FindingKind.STRENGTH):
        assert f"- {finding.text}" in lines


def test_the_pdf_report_keeps_the_vietnamese_text(login) -> None:
    visit = conference()
    reader = pdf(login("admin").get(url(visit, "pdf")))
    assert_nd30_pdf(reader)
    text = pdf_text(reader)
    for expected in ("BÁO CÁO", "KẾT QUẢ ĐẠT ĐƯỢC", "Xếp hạng", visit.cluster.name):
        assert expected in text, expected


def test_the_district_of_the_cluster_downloads_it_and_its_visit_page_links_it() -> None:
    visit = conference()
    client = district_reader(visit)
    page = client.get(visit.get_absolute_url()).content.decode()
    assert f'href="{url(visit, "docx")}"' in page and f'href="{url(visit, "pdf")}"' in page
    assert client.get(url(visit, "docx")).status_code == 200
    assert client.get(url(visit, "pdf")).status_code == 200


@pytest.mark.parametrize("username", ["vanphong", "myqui", "kiemtra"])
def test_another_districts_conference_report_is_not_found(login, username: str) -> None:
    visit = conference()
    client = login(username)
    assert client.get(visit.get_absolute_url()).status_code == 404
    assert client.get(url(visit, "docx")).status_code == 404
    assert client.get(url(visit, "pdf")).status_code == 404


def test_a_visit_that_is_no_conference_has_no_conference_report(login) -> None:
    visit = Visit.objects.get(host__code="30055", date=datetime.date(2023, 2, 16))
    client = login("kiemtra")
    assert client.get(visit.get_absolute_url()).status_code == 200
    assert client.get(url(visit, "docx")).status_code == 404
    assert client.get(url(visit, "pdf")).status_code == 404
    assert "conference-report" not in client.get(visit.get_absolute_url()).content.decode()


def test_anonymous_users_are_sent_to_login(client: Client) -> None:
    for kind in ("docx", "pdf"):
        response = client.get(url(conference(), kind))
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_conference_report_refuses_post(login) -> None:
    client = login("admin")
    assert client.post(url(conference(), "docx")).status_code == 405
    assert client.post(url(conference(), "pdf")).status_code == 405


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_conference_report_queries_stay_fixed_as_communes_are_added(
    django_assert_num_queries, kind: str
) -> None:
    visit = conference()
    client = district_reader(visit)
    with django_assert_num_queries(CONFERENCE_QUERIES):
        assert client.get(url(visit, kind)).status_code == 200
    period = Period.objects.get(year=visit.date.year, kind="half", index=visit.half)
    for share in range(10):
        unit = make_unit(visit.host.parent)
        visit.cluster.members.add(unit)
        visit.attending.add(unit)
        summarise(unit, period, share, 10 - share)
    with django_assert_num_queries(CONFERENCE_QUERIES):
        assert client.get(url(visit, kind)).status_code == 200
