"""The Excel writer: title and scope on top, a frozen bold header, typed cells, no formulas."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from org import xlsx

COLUMNS = (
    xlsx.Column("Đơn vị", 20),
    xlsx.Column("Giá trị", 12, xlsx.DECIMAL),
    xlsx.Column("Ngày", 12, xlsx.DATE),
)


def _open(tables, meta=None) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.chunks(tables, meta))))


def test_the_sheet_states_its_scope_and_freezes_its_header() -> None:
    rows = [("Mỹ Quí", Decimal("12.5"), datetime.date(2023, 6, 16)), ("Phú Điền", 3, None)]
    book = _open([xlsx.Table("Chỉ tiêu", COLUMNS, rows, scope=["Năm: 2023", "Kỳ: 6 tháng"])])
    sheet = book.active
    assert sheet.title == "Chỉ tiêu"
    assert sheet["A1"].value == "Chỉ tiêu" and sheet["A1"].font.bold
    assert [sheet["A2"].value, sheet["A3"].value] == ["Năm: 2023", "Kỳ: 6 tháng"]
    assert sheet["A4"].value is None
    assert [c.value for c in sheet[5]] == ["Đơn vị", "Giá trị", "Ngày"]
    assert all(c.font.bold for c in sheet[5])
    assert sheet.freeze_panes == "A6"
    assert sheet.column_dimensions["A"].width == 20
    assert sheet["B6"].value == 12.5 and sheet["B6"].number_format == xlsx.DECIMAL
    assert sheet["C6"].value == datetime.datetime(2023, 6, 16)
    assert sheet["C6"].number_format == xlsx.DATE
    assert sheet["B7"].value == 3 and sheet["C7"].value is None


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_text_that_looks_like_a_formula_stays_text(text: str) -> None:
    book = _open([xlsx.Table("T", COLUMNS, [(text, None, None)])])
    cell = book.active["A4"]  # title, blank line, header
    assert cell.value == text
    assert cell.data_type == "s"


def test_file_names_are_ascii_and_sheet_names_legal() -> None:
    assert xlsx.filename("chỉ đạo", "Tháp Mười", 2023, "") == "chi-dao-thap-muoi-2023.xlsx"
    book = _open([xlsx.Table("Kỳ 6/2023: [báo cáo] tổng hợp của cả tỉnh dài", COLUMNS, [])])
    assert len(book.active.title) <= 31 and "/" not in book.active.title


def test_the_download_is_an_attachment() -> None:
    response = xlsx.download("a.xlsx", [xlsx.Table("T", COLUMNS, [])])
    assert response["Content-Type"] == xlsx.CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="a.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.active["A1"].value == "T"


def test_a_large_table_streams_in_many_chunks() -> None:
    """The bytes leave as the zip compresses them, not all at the end."""
    n = 20_000
    rows = ((f"Xã {i * 7919 % 100_003}", i, None) for i in range(n))
    parts = [part for part in xlsx.chunks([xlsx.Table("T", COLUMNS, rows)]) if part]
    assert len(parts) > 3
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(parts)), read_only=True).active
    last = list(sheet.iter_rows(min_row=3 + n, max_row=3 + n, values_only=True))
    assert last == [(f"Xã {(n - 1) * 7919 % 100_003}", n - 1)]


def test_a_template_carries_a_hidden_sheet_and_sheet_names_stay_unique() -> None:
    tables = [xlsx.Table("Kỳ", COLUMNS, []), xlsx.Table("Kỳ", COLUMNS, [])]
    book = _open(tables, {"kind": "plan", "version": "3"})
    assert book.sheetnames == ["Kỳ", "Kỳ 2", xlsx.META_SHEET]
    meta = book[xlsx.META_SHEET]
    assert meta.sheet_state == "hidden"
    assert [[c.value for c in row] for row in meta.iter_rows()] == [
        ["kind", "plan"],
        ["version", "3"],
    ]


def test_characters_xml_cannot_carry_are_dropped_not_fatal() -> None:
    book = _open([xlsx.Table("T", COLUMNS, [("a\x00b\x1fc <&>", None, None)])])
    assert book.active["A4"].value == "abc <&>"
