"""Reading the Word and PDF documents the portal sends, to check them against Nghị định 30."""

from __future__ import annotations

import io
import re
from collections import Counter

import docx
import pypdf
from django.http import HttpResponse
from docx.document import Document
from docx.shared import Mm, Pt

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# 1 pt = 1/72 inch; Word stores lengths in EMU and rounds: compare to the nearest 0.1 mm.
TOLERANCE = Mm(0.1)


def word(response: HttpResponse) -> Document:
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    return docx.Document(io.BytesIO(response.content))


def word_text(document: Document) -> str:
    """Every paragraph of the body and of its tables, one a line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def runs_with(document: Document, text: str) -> list:
    """The runs, in the body and its tables, whose text holds `text`."""
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    return [run for p in paragraphs for run in p.runs if text in run.text]


def assert_nd30_page(document: Document) -> None:
    """A4; top and bottom 20–25 mm, left 30–35, right 15–20; Times New Roman 13–14 pt; the
    page number a PAGE field centred in the header of every page but the first."""
    (section,) = document.sections
    assert abs(section.page_width - Mm(210)) < TOLERANCE
    assert abs(section.page_height - Mm(297)) < TOLERANCE
    assert Mm(20) - TOLERANCE <= section.top_margin <= Mm(25) + TOLERANCE
    assert Mm(20) - TOLERANCE <= section.bottom_margin <= Mm(25) + TOLERANCE
    assert Mm(30) - TOLERANCE <= section.left_margin <= Mm(35) + TOLERANCE
    assert Mm(15) - TOLERANCE <= section.right_margin <= Mm(20) + TOLERANCE
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman"
    assert Pt(13) <= normal.size <= Pt(14)
    for run in runs_with(document, ""):
        assert run.font.name in {None, "Times New Roman"}
        assert run.font.size is None or Pt(11) <= run.font.size <= Pt(14)
    assert section.different_first_page_header_footer
    assert not section.first_page_header.is_linked_to_previous
    assert "PAGE" not in section.first_page_header._element.xml
    (number,) = [p for p in section.header.paragraphs if "PAGE" in p._p.xml]
    assert "w:fldChar" in number._p.xml and " PAGE " in number._p.xml
    assert number.alignment == 1  # centred


def pdf(response: HttpResponse) -> pypdf.PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pypdf.PdfReader(io.BytesIO(response.content))


def top_margin_text(page: pypdf.PageObject) -> str:
    """The text drawn within the top 20 mm of the page: where the page number stands."""
    top = float(page.mediabox.top) - 20 * 72 / 25.4
    found = []

    def visit(text: str, cm: list, tm: list, font: object, size: object) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and y > top:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return " ".join(found)


def pdf_text(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


# Times New Roman, or Liberation Serif with its metrics where Times is not installed
TIMES = re.compile(r"TimesNewRoman|Times-New-Roman|Liberation-?Serif")


def assert_nd30_pdf(reader: pypdf.PdfReader) -> None:
    """A4 pages; the text set in Times (or its metric twin), 13–14 pt for the body and no
    smaller than 11 pt anywhere (tables 12, Nơi nhận 11); no number on the first page's top
    margin and the page's number on every later one's."""
    sizes: Counter = Counter()
    fonts: set[str] = set()

    def visit(text: str, cm: list, tm: list, font: dict | None, size: float) -> None:
        if text.strip():
            sizes[round(size * (tm[0] * cm[0] + tm[1] * cm[2]), 1)] += len(text)
            if font:
                fonts.add(str(font.get("/BaseFont")))

    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (
            210,
            297,
        )
        assert top_margin_text(page) == ("" if number == 1 else str(number))
        page.extract_text(visitor_text=visit)
    assert fonts and all(TIMES.search(font) for font in fonts), fonts
    assert all(11 <= size <= 14 for size in sizes), sizes
    assert sum(n for size, n in sizes.items() if 13 <= size <= 14) > 0, sizes
