"""The conclusion notice as Word and PDF: the issuer's form, what was concluded, who may
have it."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from inspections.models import Directive, Finding, FindingKind, Visit
from tests.documents import (
    assert_nd30_page,
    assert_nd30_pdf,
    pdf,
    pdf_text,
    runs_with,
    word,
    word_text,
)

pytestmark = pytest.mark.django_db

# session + user, visit with its host, delegation, campaign and cluster, findings, directives
NOTICE_DOCUMENT_QUERIES = 5
NUMBERED = {f"3.{n}" for n in range(1, 10)}


def my_qui_visit() -> Visit:
    return Visit.objects.get(host__code="30055", date=datetime.date(2023, 2, 16))


def url(visit: Visit, kind: str) -> str:
    return f"/inspections/visits/{visit.pk}/notice.{kind}"


def test_the_word_notice_has_the_page_of_decree_30(login) -> None:
    assert_nd30_page(word(login("kiemtra").get(url(my_qui_visit(), "docx"))))


def test_the_word_notice_is_headed_and_signed_by_the_delegation(login) -> None:
    visit = my_qui_visit()
    document = word(login("kiemtra").get(url(visit, "docx")))
    lines = word_text(document).splitlines()
    for expected in (
        "HUYỆN ỦY THÁP MƯỜI",
        visit.delegation.name.upper(),
        f"Số {visit.notice_number}",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "THÔNG BÁO",
        "1. Ưu điểm",
        "2. Hạn chế, khó khăn",
        "3. Nhiệm vụ thời gian tới",
        "Nơi nhận:",
        "T/M ĐOÀN CÔNG TÁC",
        "TRƯỞNG ĐOÀN",  # the chair is "Tỉnh ủy viên, Bí thư Huyện ủy, Trưởng đoàn"
        visit.signer_name,
    ):
        assert expected in lines, expected
    (date,) = runs_with(document, f"{visit.notice_place}, ngày 16 tháng 02 năm 2023")
    assert date.italic


def test_the_notice_holds_every_finding_and_numbered_directive(login) -> None:
    visit = my_qui_visit()
    text = word_text(word(login("kiemtra").get(url(visit, "docx"))))
    for finding in Finding.objects.filter(visit=visit).exclude(kind=FindingKind.NEXT_TASK):
        assert f"- {finding.text}" in text
    directives = Directive.objects.filter(visit=visit)
    assert directives.count() == 4
    for directive in directives:
        assert directive.text.rstrip(".") in text
    numbers = [line.split(" ")[0] for line in text.splitlines() if line[:3] in NUMBERED]
    assert numbers == ["3.1.", "3.2.", "3.3.", "3.4."]


def test_a_state_notice_takes_the_peoples_committee_form(login) -> None:
    visit = Visit.objects.get(host__code="30088")  # Phong Mỹ: UBND huyện Cao Lãnh
    lines = word_text(word(login("admin").get(url(visit, "docx")))).splitlines()
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "HUYỆN CAO LÃNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",  # the chair is "Phó Bí thư Huyện ủy, Chủ tịch UBND huyện Cao Lãnh"
    ):
        assert expected in lines, expected
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in lines
    assert "KT. CHỦ TỊCH" not in lines
    assert any(line.startswith("Số: ") for line in lines)


def test_a_deputy_chair_signs_for_the_chair(login) -> None:
    visit = Visit.objects.get(host__code="30088")
    Visit.objects.filter(pk=visit.pk).update(chair_role="Phó Chủ tịch UBND huyện Cao Lãnh")
    client = login("admin")
    lines = word_text(word(client.get(url(visit, "docx")))).splitlines()
    at = lines.index("TM. ỦY BAN NHÂN DÂN")
    assert lines[at + 1 : at + 3] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    text = pdf_text(pdf(client.get(url(visit, "pdf"))))
    assert "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in text


def test_the_pdf_notice_keeps_the_vietnamese_text(login) -> None:
    visit = my_qui_visit()
    reader = pdf(login("kiemtra").get(url(visit, "pdf")))
    assert_nd30_pdf(reader)
    text = pdf_text(reader)
    for expected in ("THÔNG BÁO", "ĐẢNG CỘNG SẢN VIỆT NAM", "Ưu điểm", "T/M ĐOÀN CÔNG TÁC"):
        assert expected in text, expected
    assert visit.directives.first().lead.split(";")[0].strip() in text


@pytest.mark.parametrize("username", ["kiemtra", "vanphong", "lanhdao", "myqui"])
def test_whoever_opens_the_notice_downloads_it(login, username: str) -> None:
    client = login(username)
    visit = my_qui_visit()
    assert client.get(f"{visit.get_absolute_url()}notice/").status_code == 200
    assert client.get(url(visit, "docx")).status_code == 200
    assert client.get(url(visit, "pdf")).status_code == 200


@pytest.mark.parametrize("username", ["kiemtra", "myqui", "phudien", "vanphong"])
def test_another_units_notice_documents_are_not_found(login, username: str) -> None:
    visit = Visit.objects.get(host__code="30088")  # Cao Lãnh: outside every Tháp Mười account
    client = login(username)
    assert client.get(f"{visit.get_absolute_url()}notice/").status_code == 404
    assert client.get(url(visit, "docx")).status_code == 404
    assert client.get(url(visit, "pdf")).status_code == 404


def test_an_inspector_gets_404_outside_their_delegation(login) -> None:
    trường_xuân = Visit.objects.get(host__code="30046")
    client = login("kiemtra")
    assert client.get(f"{trường_xuân.get_absolute_url()}notice/").status_code == 404
    assert client.get(url(trường_xuân, "docx")).status_code == 404
    assert client.get(url(trường_xuân, "pdf")).status_code == 404


def test_anonymous_users_are_sent_to_login(client: Client) -> None:
    for kind in ("docx", "pdf"):
        response = client.get(url(my_qui_visit(), kind))
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_notice_documents_refuse_post(login) -> None:
    client = login("kiemtra")
    assert client.post(url(my_qui_visit(), "docx")).status_code == 405
    assert client.post(url(my_qui_visit(), "pdf")).status_code == 405


def test_the_visit_page_and_the_printed_notice_link_both_documents(login) -> None:
    visit = my_qui_visit()
    client = login("vanphong")
    for page_url in (visit.get_absolute_url(), f"{visit.get_absolute_url()}notice/"):
        page = client.get(page_url).content.decode()
        assert f'href="{url(visit, "docx")}"' in page and f'href="{url(visit, "pdf")}"' in page


def test_the_downloads_have_ascii_file_names(login) -> None:
    response = login("kiemtra").get(url(my_qui_visit(), "docx"))
    assert response["Content-Disposition"] == (
        'attachment; filename="thong-bao-ket-luan-my-quy-16-02-2023.docx"'
    )


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_notice_document_queries_stay_fixed_as_findings_are_added(
    login, django_assert_num_queries, kind: str
) -> None:
    visit = my_qui_visit()
    client = login("vanphong")
    with django_assert_num_queries(NOTICE_DOCUMENT_QUERIES):
        assert client.get(url(visit, kind)).status_code == 200
    directive = visit.directives.first()
    for order in range(20):
        Finding.objects.create(visit=visit, kind=FindingKind.STRENGTH, text=f"Ưu điểm {order}")
        directive.pk = None
        directive.text = f"Chỉ đạo {order}"
        directive.save()
    with django_assert_num_queries(NOTICE_DOCUMENT_QUERIES):
        assert client.get(url(visit, kind)).status_code == 200
