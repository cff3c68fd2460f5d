"""The pieces of the Nghị định 30 layout every document shares."""

from __future__ import annotations

import datetime

import pytest

from org.documents import (
    filename,
    is_party_number,
    party_header,
    party_organisation,
    place_and_date,
    signature,
    state_header,
)
from org.models import Unit, UnitKind


@pytest.mark.parametrize(
    ("number", "party"),
    [("05-KH/ĐU", True), ("01-CTr/HU", True), ("05/KH-UBND", False), ("15/KH-UBND", False)],
)
def test_the_number_says_who_issues_the_document(number: str, party: bool) -> None:
    assert is_party_number(number) is party


def test_the_party_writes_its_number_without_a_colon() -> None:
    district = Unit(kind=UnitKind.DISTRICT, name="Tháp Mười")
    assert party_header("Huyện ủy Tháp Mười", on_behalf="").number_line("05-KH/ĐU") == (
        "Số 05-KH/ĐU"
    )
    assert state_header(district).number_line("05/KH-UBND") == "Số: 05/KH-UBND"
    assert state_header(district).number_line("") == "Số: ……"


def test_a_party_header_names_the_body_above_in_capitals() -> None:
    district = Unit(kind=UnitKind.DISTRICT, name="Tháp Mười")
    header = party_header(party_organisation(district), "Đảng ủy xã Mỹ Quý", on_behalf="T/M")
    assert (header.parent, header.body) == ("ĐẢNG BỘ HUYỆN THÁP MƯỜI", "ĐẢNG ỦY XÃ MỸ QUÝ")
    assert (header.motto_top, header.motto_main) == ("", "ĐẢNG CỘNG SẢN VIỆT NAM")


def test_the_state_header_carries_the_national_motto() -> None:
    header = state_header(Unit(kind=UnitKind.COMMUNE, name="Mỹ Quí"))
    assert header.issuer == ("ỦY BAN NHÂN DÂN", "XÃ MỸ QUÍ")
    assert header.motto == ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
    assert header.on_behalf == "TM. ỦY BAN NHÂN DÂN"


def test_the_date_is_written_out_with_two_digit_day_and_month() -> None:
    assert place_and_date("Mỹ Quí", datetime.date(2023, 1, 10), 2023) == (
        "Mỹ Quí, ngày 10 tháng 01 năm 2023"
    )
    assert place_and_date("Mỹ Quí", None, 2023) == "Mỹ Quí, ngày …… tháng …… năm 2023"


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("Kế hoạch", "05-KH/ĐU", "Mỹ Quí", "2023"), "ke-hoach-05-kh-du-my-qui-2023.pdf"),
        (("Thông báo", "", "Đồng Tháp"), "thong-bao-dong-thap.pdf"),
        (("", "\x00/"), "van-ban.pdf"),
    ],
)
def test_file_names_are_ascii(parts: tuple[str, ...], expected: str) -> None:
    assert filename(*parts, extension="pdf") == expected
    assert filename(*parts, extension="pdf").isascii()


@pytest.mark.parametrize(
    ("way", "role", "deputy_for", "title"),
    [
        ("state", "Phó Bí thư Huyện ủy, Chủ tịch UBND huyện Cao Lãnh", "", "CHỦ TỊCH"),
        ("state", "Phó Chủ tịch UBND huyện", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        ("party", "Phó Bí thư Thường trực Huyện ủy", "", "PHÓ BÍ THƯ THƯỜNG TRỰC"),
        ("party", "Bí thư Huyện ủy", "", "BÍ THƯ"),
        ("delegation", "Tỉnh ủy viên, Bí thư Huyện ủy, Trưởng đoàn", "", "TRƯỞNG ĐOÀN"),
        ("delegation", "Phó Trưởng đoàn", "", "PHÓ TRƯỞNG ĐOÀN"),
        (
            "party",
            "Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức",
            "",
            ("ỦY VIÊN BAN THƯỜNG VỤ, TRƯỞNG BAN TỔ CHỨC"),
        ),
    ],
)
def test_the_signature_title_is_the_office_the_issuer_signs_in(
    way: str, role: str, deputy_for: str, title: str
) -> None:
    signed = signature(way, role, on_behalf="TM.", name="Nguyễn Văn A")
    assert (signed.on_behalf, signed.deputy_for, signed.title, signed.name) == (
        "TM.",
        deputy_for,
        title,
        "Nguyễn Văn A",
    )
