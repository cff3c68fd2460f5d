"""Building the shipped Word templates with python-docx, in the layout of Nghị định 30/2020.

Each domain writes the body of its own templates with these pieces; `manage.py
document_templates` saves them under templates/documents/. The Jinja tags docxtpl fills are
written one per run, so Word never splits them. What the tags name comes from the document's
context (org.documents.Header, Signature, and the domain's own fields).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
# Phụ lục I: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm, on A4
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
TEXT_WIDTH = Mm(210 - 30 - 15)
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def new_document() -> Document:
    """An empty A4 document: the margins, Times New Roman 14 pt, and the page number centred
    at the top of every page but the first."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, size in MARGINS.items():
        setattr(section, f"{side}_margin", size)
    section.header_distance = Mm(10)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    # East Asian and complex-script text keep the same font (rFonts has one name per script)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("w:eastAsia", "w:cs", "w:hAnsi", "w:ascii"):
        fonts.set(qn(script), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.space_before = Pt(0)
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    number = section.header.paragraphs[0]
    number.alignment = CENTER
    page_field(number)
    return document


def page_field(paragraph: Paragraph) -> None:
    """A PAGE field: Word writes the page's number in its place."""
    run = paragraph.add_run()
    begin, instruction, separate, end = (OxmlElement(tag) for tag in _FIELD_TAGS)
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    separate.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instruction)
    run._r.append(separate)
    shown = OxmlElement("w:t")
    shown.text = "2"
    run._r.append(shown)
    run._r.append(end)


_FIELD_TAGS = ("w:fldChar", "w:instrText", "w:fldChar", "w:fldChar")


def line(
    container,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float | None = None,
    align=None,
    indent: bool = False,
    after: float | None = None,
) -> Paragraph:
    """One paragraph of one run, in the container (the document or a table cell)."""
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    if after is not None:
        paragraph.paragraph_format.space_after = Pt(after)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size is not None:
        run.font.size = Pt(size)
    return paragraph


def tag(container, text: str) -> Paragraph:
    """A paragraph holding only a docxtpl block tag ({%p for … %}); docxtpl removes it."""
    return line(container, text, after=0)


def _bare_table(document: Document, widths: tuple) -> Table:
    table = document.add_table(rows=1, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths)
    return table


def _widths(table: Table, widths: tuple) -> None:
    """Fixed column widths: Word reads the cells', LibreOffice the grid's; set both."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _first(cell: _Cell) -> _Cell:
    """The cell with its own empty first paragraph taken away, so lines start at the top."""
    cell._tc.remove(cell.paragraphs[0]._p)
    return cell


def header_block(document: Document) -> None:
    """The two columns under the top margin: the issuing body, its rule and number on the left;
    the motto, its rule and the place and date on the right."""
    left, right = _bare_table(document, (Mm(70), TEXT_WIDTH - Mm(70))).rows[0].cells
    left, right = _first(left), _first(right)
    tag(left, "{%p if header.parent %}")
    line(left, "{{ header.parent }}", size=13, align=CENTER, after=0)
    tag(left, "{%p endif %}")
    line(left, "{{ header.body }}", bold=True, size=13, align=CENTER, after=0)
    line(left, "{{ rule }}", size=13, align=CENTER, after=0)
    line(left, "{{ number_line }}", size=13, align=CENTER, after=0)
    tag(right, "{%p if header.motto_top %}")
    line(right, "{{ header.motto_top }}", bold=True, size=13, align=CENTER, after=0)
    tag(right, "{%p endif %}")
    line(right, "{{ header.motto_main }}", bold=True, underline=True, align=CENTER, after=6)
    line(right, "{{ place_date }}", italic=True, align=CENTER, after=0)


def title_block(document: Document) -> None:
    """The kind of document in capitals, then what it is about."""
    title = line(document, "{{ title }}", bold=True, align=CENTER, after=0)
    title.paragraph_format.space_before = Pt(18)
    line(document, "{{ subject }}", bold=True, align=CENTER, after=0)
    line(document, "{{ rule_below_title }}", align=CENTER, after=12)


def paragraphs(document: Document, items: str, *, bold: bool = False) -> None:
    """A justified, indented paragraph for each string of a list in the context."""
    tag(document, "{%p for text in " + items + " %}")
    line(document, "{{ text }}", bold=bold, align=JUSTIFY, indent=True)
    tag(document, "{%p endfor %}")


def blocks(document: Document, name: str) -> None:
    """The body as org.documents.Block paragraphs: headings bold, the rest justified."""
    tag(document, "{%p for block in " + name + " %}")
    tag(document, "{%p if block.heading %}")
    line(document, "{{ block.text }}", bold=True, align=JUSTIFY, indent=True)
    tag(document, "{%p else %}")
    line(document, "{{ block.text }}", align=JUSTIFY, indent=True)
    tag(document, "{%p endif %}")
    tag(document, "{%p endfor %}")


def heading(document: Document, text: str) -> None:
    """A section heading ("I. NHIỆM VỤ TRỌNG TÂM"), bold, justified like the body."""
    line(document, text, bold=True, align=JUSTIFY, indent=True)


def grid(document: Document, columns: list[tuple[str, float]], rows: str, cells: list[str]):
    """A bordered table: a bold heading row, then one row per element of `rows` in the
    context, its cells the given expressions (widths in mm). The second column holds the
    text and is justified; the others (numbers, units, places) are centred."""
    table = document.add_table(rows=3, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, (label, _width) in enumerate(columns):
        cell = table.rows[0].cells[index]
        cell.paragraphs[0].alignment = CENTER
        run = cell.paragraphs[0].add_run(label)
        run.bold, run.font.size = True, Pt(12)
    # docxtpl repeats the row between a {%tr for %} row and a {%tr endfor %} row
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for row in " + rows + " %}")
    for index, expression in enumerate(cells):
        paragraph = table.rows[2].cells[index].paragraphs[0]
        paragraph.alignment = JUSTIFY if index == 1 else CENTER
        paragraph.add_run(expression).font.size = Pt(12)
    closing = table.add_row()
    closing.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    _widths(table, tuple(Mm(width) for _label, width in columns))
    return table


@contextmanager
def official_document() -> Iterator[Document]:
    """A document in the layout of Phụ lục I: the header and the title before what the
    `with` block writes, Nơi nhận and the signature after it."""
    document = new_document()
    header_block(document)
    title_block(document)
    yield document
    footer_block(document)


def footer_block(document: Document) -> None:
    """Nơi nhận on the left, the signature on the right: on whose behalf, for whom a deputy
    signs (KT.), the title, room to sign, the name."""
    left, right = _bare_table(document, (Mm(75), TEXT_WIDTH - Mm(75))).rows[0].cells
    left, right = _first(left), _first(right)
    line(left, "{{ recipients_label }}", bold=True, italic=True, size=12, after=0)
    tag(left, "{%p for text in recipients %}")
    line(left, "{{ text }}", size=11, after=0)
    tag(left, "{%p endfor %}")
    line(right, "{{ signature.on_behalf }}", bold=True, align=CENTER, after=0)
    tag(right, "{%p if signature.deputy_for %}")
    line(right, "{{ signature.deputy_for }}", bold=True, align=CENTER, after=0)
    tag(right, "{%p endif %}")
    line(right, "{{ signature.title }}", bold=True, align=CENTER, after=60)
    line(right, "{{ signature.name }}", bold=True, align=CENTER, after=0)
