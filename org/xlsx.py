"""Excel downloads: every table a user reads leaves as a proper .xlsx.

A sheet opens with its title and the scope and filters it was read with, then a bold header
row that stays in view (frozen), then the rows. Numbers keep their type with a Vietnamese-
readable number format; dates are real dates. Every text cell is written as text (an inline
string), so a value a user typed that begins with `=`, `+`, `-` or `@` can never become a
formula in the office's spreadsheet.

The file is streamed: the SpreadsheetML parts are written row by row into a zip that goes
out as it is compressed, so the first bytes of a national table leave at once and memory
stays flat however many rows it has. The parts are the minimal set Excel, LibreOffice and
openpyxl read (content types, relationships, workbook, styles, one part per sheet).
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

INTEGER = "#,##0"
DECIMAL = "#,##0.##"
PERCENT = "0%"
DATE = "DD/MM/YYYY"

# Excel's limit on a sheet's name, and the characters it refuses in one
SHEET_NAME_LENGTH = 31
SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
# The hidden sheet of a template: what it was made from (see org.xlsx_import).
META_SHEET = "_portal"
# Rows written between two chunks handed to the response.
ROWS_PER_CHUNK = 500
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Characters XML 1.0 cannot carry, whatever escaping.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Column:
    """One column: its header, its width in characters, the number format of its cells."""

    header: str
    width: int = 14
    number_format: str | None = None


@dataclass
class Table:
    """One sheet: a title, what it was read with, its columns and its rows (tuples)."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    scope: Sequence[str] = ()
    sheet_name: str = ""


# --- Styles: the cell formats (index → what) every workbook declares -----------------------

TEXT, TITLE, SCOPE, HEADER = 0, 1, 2, 3
FORMATS = {INTEGER: 4, DECIMAL: 5, PERCENT: 6, DATE: 7}
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="#,##0.##"/>\
<numFmt numFmtId="165" formatCode="DD/MM/YYYY"/></numFmts>
<fonts count="4"><font><sz val="11"/><name val="Calibri"/></font>\
<font><b/><sz val="14"/><name val="Calibri"/></font>\
<font><i/><sz val="11"/><name val="Calibri"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill>\
<fill><patternFill patternType="solid"><fgColor rgb="FFDDE7F0"/><bgColor indexed="64"/>\
</patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="8">\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="0" fontId="3" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" \
applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>\
<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _text(ref: str, value: str, style: int = TEXT) -> str:
    text = escape(NOT_XML.sub("", value))
    return f'<c r="{ref}" t="inlineStr" s="{style}"><is><t xml:space="preserve">{text}</t></is></c>'


def _cell(ref: str, value, column: Column) -> str:
    """One cell at `ref` ("B7"); nothing for an empty value."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _text(ref, "✓") if value else ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        style = FORMATS[column.number_format or DATE]
        return f'<c r="{ref}" s="{style}"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, int | float | Decimal):
        number = format(value.normalize(), "f") if isinstance(value, Decimal) else repr(value)
        style = FORMATS.get(column.number_format, TEXT)
        return f'<c r="{ref}" s="{style}"><v>{number}</v></c>'
    return _text(ref, str(value))


def _row(number: int, cells: Iterable[str]) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def _texts(number: int, values: Iterable[str], style: int = TEXT) -> str:
    """A row of text cells from column A."""
    return _row(
        number,
        (
            _text(f"{_column_letter(i)}{number}", str(value), style)
            for i, value in enumerate(values, start=1)
        ),
    )


def _sheet_names(tables: Sequence[Table]) -> list[str]:
    """Each table's sheet name, legal and unique within the workbook."""
    names: list[str] = []
    for table in tables:
        name = (table.sheet_name or table.title).translate(SHEET_NAME_FORBIDDEN).strip()
        name = name[:SHEET_NAME_LENGTH] or "Sheet"
        base, n = name, 1
        while name.casefold() in {taken.casefold() for taken in names}:
            n += 1
            name = f"{base[: SHEET_NAME_LENGTH - len(str(n)) - 1]} {n}"
        names.append(name)
    return names


def _sheet(table: Table) -> Iterator[str]:
    """The sheet's XML, a few rows at a time."""
    header_row = len(table.scope) + 3  # title, scope lines, a blank line, the header
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{column.width}" customWidth="1"/>'
        for i, column in enumerate(table.columns, start=1)
    )
    yield (
        f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheetViews>'
        f'<sheetView workbookViewId="0"><pane ySplit="{header_row}" '
        f'topLeftCell="A{header_row + 1}" activePane="bottomLeft" state="frozen"/>'
        f'<selection pane="bottomLeft"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
    )
    lines = [_texts(1, [table.title], TITLE)]
    lines += [_texts(n, [line], SCOPE) for n, line in enumerate(table.scope, start=2)]
    lines.append(_texts(header_row, [column.header for column in table.columns], HEADER))
    yield "".join(lines)
    letters = [_column_letter(i) for i in range(1, len(table.columns) + 1)]
    lines = []
    for number, row in enumerate(table.rows, start=header_row + 1):
        lines.append(
            _row(
                number,
                (
                    _cell(f"{letter}{number}", value, column)
                    for value, column, letter in zip(row, table.columns, letters, strict=True)
                ),
            )
        )
        if len(lines) == ROWS_PER_CHUNK:
            yield "".join(lines)
            lines = []
    yield "".join(lines) + "</sheetData></worksheet>"


def _meta_sheet(meta: dict[str, str]) -> str:
    rows = "".join(_texts(n, [key, value]) for n, (key, value) in enumerate(meta.items(), 1))
    return f'{HEAD}<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'


def _package(names: list[str], hidden: int | None) -> dict[str, str]:
    """The parts around the sheets: content types, relationships, workbook, styles."""
    count = len(names)
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_type}"/>'
        for i in range(1, count + 1)
    )
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    state = ' state="hidden"'
    sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{i}"{state if i == hidden else ""} r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{i}" Type="{RELATIONSHIPS}/worksheet" '
        f'Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    )
    return {
        "[Content_Types].xml": (
            f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{office}.styles+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'{HEAD}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{HEAD}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">{sheet_rels}'
            f'<Relationship Id="rId{count + 1}" Type="{RELATIONSHIPS}/styles" '
            'Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": STYLES,
    }


class _Sink:
    """What the zip writes, held until the response takes it (the zip cannot seek: it
    writes each part's sizes after the part)."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def chunks(tables: Sequence[Table], meta: dict[str, str] | None = None) -> Iterator[bytes]:
    """The workbook's bytes as they are compressed: the tables one sheet each; with `meta`,
    a hidden last sheet of key/value rows that an import reads back (a template)."""
    names = _sheet_names(tables)
    hidden = None
    if meta:
        names.append(META_SHEET)
        hidden = len(names)
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in _package(names, hidden).items():
            archive.writestr(name, content)
        for index, table in enumerate(tables, start=1):
            with archive.open(f"xl/worksheets/sheet{index}.xml", "w") as part:
                for piece in _sheet(table):
                    part.write(piece.encode())
                    yield sink.take()
        if meta:
            archive.writestr(f"xl/worksheets/sheet{hidden}.xml", _meta_sheet(meta))
    yield sink.take()


def made_on(day: datetime.date | None = None) -> str:
    """The scope line every download ends with: "Ngày lập: 05/12/2026" (today in Vietnam)."""
    day = day or timezone.localdate()
    return _("Ngày lập: %(date)s") % {"date": day.strftime("%d/%m/%Y")}


def filename(*parts: object) -> str:
    """An ASCII file name from its parts: "chi-dao-thap-muoi-2023.xlsx"."""
    words = [slugify(str(part).replace("đ", "d").replace("Đ", "D")) for part in parts if part]
    return "-".join(word for word in words if word) + ".xlsx"


def download(
    name: str, tables: Sequence[Table], meta: dict[str, str] | None = None
) -> StreamingHttpResponse:
    """The workbook, streamed as an attachment named `name` (ASCII, from `filename`)."""
    response = StreamingHttpResponse(chunks(tables, meta), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
