"""The commune plan as Word and PDF: the layout of Nghị định 30, its items, who may have it."""

from __future__ import annotations

import sys

import docx
import pytest
from django.test import Client

from org.models import Role
from plans.models import CommunePlan, ItemKind, PlanItem
from tests.builders import make_plan, make_unit, make_user
from tests.conftest import demo_plan
from tests.documents import (
    assert_nd30_page,
    assert_nd30_pdf,
    pdf,
    pdf_text,
    runs_with,
    top_margin_text,
    word,
    word_text,
)

pytestmark = pytest.mark.django_db

# session + user, plan with its unit and the unit's parent, programmes with their units, items
DOCUMENT_QUERIES = 5


def docx_url(plan: CommunePlan) -> str:
    return f"/plans/{plan.pk}/document.docx"


def pdf_url(plan: CommunePlan) -> str:
    return f"/plans/{plan.pk}/document.pdf"


def test_the_word_plan_has_the_page_of_decree_30(login, my_qui_2023: CommunePlan) -> None:
    assert_nd30_page(word(login("vanphong").get(docx_url(my_qui_2023))))


def test_the_word_plan_is_headed_in_the_party_form(login, my_qui_2023: CommunePlan) -> None:
    document = word(login("vanphong").get(docx_url(my_qui_2023)))
    lines = word_text(document).splitlines()
    for expected in (
        "ĐẢNG BỘ HUYỆN THÁP MƯỜI",
        "ĐẢNG ỦY XÃ MỸ QUÝ",
        "Số 05-KH/ĐU",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "KẾ HOẠCH",
        "Nơi nhận:",
        "T/M BAN THƯỜNG VỤ",
        "BÍ THƯ",
    ):
        assert expected in lines, expected
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in lines
    (date,) = runs_with(document, "Mỹ Quý, ngày 20 tháng 01 năm 2023")
    assert date.italic
    (title,) = [p for p in document.paragraphs if p.text == "KẾ HOẠCH"]
    assert title.runs[0].bold and title.alignment == 1
    assert all(p.alignment == 3 for p in document.paragraphs if p.text.startswith("1. "))


def test_a_plan_numbered_the_state_way_is_headed_in_the_state_form(
    login, my_qui_2023: CommunePlan
) -> None:
    CommunePlan.objects.filter(pk=my_qui_2023.pk).update(number="05/KH-UBND")
    lines = word_text(word(login("vanphong").get(docx_url(my_qui_2023)))).splitlines()
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "XÃ MỸ QUÝ",
        "Số: 05/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
    ):
        assert expected in lines, expected
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in lines


def test_the_word_plan_holds_every_item_of_the_plan(login, my_qui_2023: CommunePlan) -> None:
    document = word(login("vanphong").get(docx_url(my_qui_2023)))
    text = word_text(document)
    items = PlanItem.objects.filter(plan=my_qui_2023)
    counts = {kind: items.filter(kind=kind).count() for kind in ItemKind.values}
    assert (counts["key_task"], counts["target"], counts["breakthrough"]) == (5, 13, 5)
    for item in items:
        assert item.text.strip() in text
    (targets,) = [t for t in document.tables if t.rows[0].cells[0].text == "STT"]
    assert len(targets.rows) == 1 + 13
    assert [row.cells[0].text for row in targets.rows[1:]] == [str(n) for n in range(1, 14)]
    paragraphs = [p.text for p in document.paragraphs]
    for heading, count in (
        ("I. NHIỆM VỤ TRỌNG TÂM", 5),
        ("III. NHIỆM VỤ ĐỘT PHÁ", 5),
        ("IV. GIẢI PHÁP", counts["solution"]),
    ):
        start = paragraphs.index(heading) + 1
        numbered = paragraphs[start : start + count + 1]
        assert [line.split(".")[0] for line in numbered[:count]] == [
            str(n) for n in range(1, count + 1)
        ]
        assert not any(line.startswith(f"{count + 1}.") for line in numbered[count:])


def test_markup_in_an_item_stays_text_in_the_word_file(login, my_qui_2023: CommunePlan) -> None:
    item = my_qui_2023.items.filter(kind=ItemKind.KEY_TASK).first()
    PlanItem.objects.filter(pk=item.pk).update(text='Hộ <b>"A & B"</b>\nDòng hai')
    text = word_text(word(login("vanphong").get(docx_url(my_qui_2023))))
    assert '1. Hộ <b>"A & B"</b>\nDòng hai' in text


def test_the_pdf_plan_numbers_its_pages_from_the_second(login, my_qui_2023: CommunePlan) -> None:
    reader = pdf(login("vanphong").get(pdf_url(my_qui_2023)))
    assert len(reader.pages) >= 2
    assert top_margin_text(reader.pages[0]) == ""
    assert top_margin_text(reader.pages[1]) == "2"
    assert_nd30_pdf(reader)


def test_the_pdf_plan_keeps_the_vietnamese_text(login, my_qui_2023: CommunePlan) -> None:
    text = pdf_text(pdf(login("vanphong").get(pdf_url(my_qui_2023))))
    for expected in (
        "KẾ HOẠCH",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG ỦY XÃ MỸ QUÝ",
        "Số 05-KH/ĐU",
        "Mỹ Quý, ngày 20 tháng 01 năm 2023",
        "Phước Tiến",
        "T/M BAN THƯỜNG VỤ",
        "Nơi nhận:",
    ):
        assert expected in text, expected


def test_the_pdf_plan_holds_every_item_of_the_plan(login, my_qui_2023: CommunePlan) -> None:
    text = " ".join(pdf_text(pdf(login("vanphong").get(pdf_url(my_qui_2023)))).split())
    items = PlanItem.objects.filter(plan=my_qui_2023)
    assert items.count() >= 23
    for item in items:
        assert " ".join(item.text.split()) in text, item.text


def test_the_downloads_have_ascii_file_names(login, my_qui_2023: CommunePlan) -> None:
    client = login("vanphong")
    for url, extension in ((docx_url(my_qui_2023), "docx"), (pdf_url(my_qui_2023), "pdf")):
        disposition = client.get(url)["Content-Disposition"]
        assert disposition == f'attachment; filename="ke-hoach-05-kh-du-my-quy-2023.{extension}"'


@pytest.mark.parametrize("username", ["vanphong", "lanhdao", "admin", "myqui"])
def test_whoever_opens_the_plan_page_downloads_its_documents(
    login, username: str, my_qui_2023: CommunePlan
) -> None:
    client = login(username)
    assert client.get(my_qui_2023.get_absolute_url()).status_code == 200
    assert client.get(docx_url(my_qui_2023)).status_code == 200
    assert client.get(pdf_url(my_qui_2023)).status_code == 200


@pytest.mark.parametrize(
    ("username", "other_unit", "year"),
    [("myqui", "Phú Điền", 2022), ("phudien", "Mỹ Quý", 2023), ("vanphong", "Phong Mỹ", 2022)],
)
def test_another_units_plan_documents_are_not_found(
    login, username: str, other_unit: str, year: int
) -> None:
    plan = demo_plan(other_unit, year)
    client = login(username)
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert client.get(docx_url(plan)).status_code == 404
    assert client.get(pdf_url(plan)).status_code == 404


def test_anonymous_users_are_sent_to_login(client: Client, my_qui_2023: CommunePlan) -> None:
    for url in (docx_url(my_qui_2023), pdf_url(my_qui_2023)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_the_documents_refuse_post(login, my_qui_2023: CommunePlan) -> None:
    client = login("vanphong")
    assert client.post(docx_url(my_qui_2023)).status_code == 405
    assert client.post(pdf_url(my_qui_2023)).status_code == 405


def test_the_plan_page_links_both_documents(login, my_qui_2023: CommunePlan) -> None:
    page = login("myqui").get(my_qui_2023.get_absolute_url()).content.decode()
    assert f'href="{docx_url(my_qui_2023)}"' in page and "Tải Word" in page
    assert f'href="{pdf_url(my_qui_2023)}"' in page and "Tải PDF" in page


def test_without_weasyprint_the_pdf_is_a_503_that_says_why(
    login, my_qui_2023: CommunePlan, monkeypatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint → ImportError
    response = login("vanphong").get(pdf_url(my_qui_2023))
    assert response.status_code == 503
    page = response.content.decode()
    assert "WeasyPrint" in page and "tải bản Word" in page


def test_an_office_template_replaces_the_shipped_one(
    login, my_qui_2023: CommunePlan, settings, tmp_path
) -> None:
    own = docx.Document()
    own.add_paragraph("Mẫu của văn phòng: {{ title }} {{ number_line }}")
    own.save(tmp_path / "commune_plan.docx")
    settings.DOCUMENT_TEMPLATES_DIR = tmp_path
    client = login("vanphong")
    text = word_text(word(client.get(docx_url(my_qui_2023))))
    assert "Mẫu của văn phòng: KẾ HOẠCH Số 05-KH/ĐU" in text
    # the stylesheet it has not replaced is the shipped one
    assert len(pdf(client.get(pdf_url(my_qui_2023))).pages) >= 2


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_document_queries_stay_fixed_as_items_are_added(
    client: Client, django_assert_num_queries, my_qui_2023: CommunePlan, kind: str
) -> None:
    client.force_login(make_user(my_qui_2023.unit.parent, role=Role.LEADER))
    url = f"/plans/{my_qui_2023.pk}/document.{kind}"
    with django_assert_num_queries(DOCUMENT_QUERIES):
        assert client.get(url).status_code == 200
    extra = make_plan(make_unit(my_qui_2023.unit.parent), year=2023, items=30)
    extra.items.update(plan=my_qui_2023, code="")  # codes are unique within a plan
    with django_assert_num_queries(DOCUMENT_QUERIES):
        assert client.get(url).status_code == 200
