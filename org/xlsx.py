"""Excel downloads: every table a user reads leaves as a proper .xlsx.

A sheet opens with its title and the scope and filters it was read with, then a bold header
row that stays in view (frozen), then the rows. Numbers keep their type with a Vietnamese-
readable number format; dates are real dates. Every text cell is written as text, so a value
a user typed that begins with `=`, `+`, `-` or `@` can never become a formula in the office's
spreadsheet. The workbook is written in openpyxl's write-only mode, which keeps memory flat
for a national table.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

INTEGER = "#,##0"
DECIMAL = "#,##0.##"
PERCENT = "0%"
DATE = "DD/MM/YYYY"

TITLE_FONT = Font(bold=True, size=14)
SCOPE_FONT = Font(italic=True)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDE7F0")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
# Excel's limit on a sheet's name, and the characters it refuses in one
SHEET_NAME_LENGTH = 31
SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


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


def _sheet_name(table: Table) -> str:
    name = (table.sheet_name or table.title).translate(SHEET_NAME_FORBIDDEN).strip()
    return name[:SHEET_NAME_LENGTH] or "Sheet"


def _text(sheet, value: str, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # never a formula, whatever the text begins with
    if font is not None:
        cell.font = font
    return cell


def _cell(sheet, value, column: Column) -> WriteOnlyCell:
    if value is None or value == "":
        return WriteOnlyCell(sheet, value=None)
    if isinstance(value, bool):
        return _text(sheet, "✓" if value else "")
    if isinstance(value, int | float | Decimal | datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        if column.number_format:
            cell.number_format = column.number_format
        elif isinstance(value, datetime.date):
            cell.number_format = DATE
        return cell
    return _text(sheet, str(value))


# The hidden sheet of a template: what it was made from (see org.xlsx_import).
META_SHEET = "_portal"


def workbook(tables: Sequence[Table], meta: dict[str, str] | None = None) -> Workbook:
    """The tables, one sheet each, in write-only mode; with `meta`, a hidden sheet of
    key/value rows that an import reads back (a template)."""
    book = Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table))
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        header_row = len(table.scope) + 3  # title, scope lines, a blank line, the header
        # A write-only sheet takes its panes before any row is written.
        sheet.freeze_panes = f"A{header_row + 1}"
        sheet.append([_text(sheet, str(table.title), TITLE_FONT)])
        for line in table.scope:
            sheet.append([_text(sheet, str(line), SCOPE_FONT)])
        sheet.append([])
        header = []
        for column in table.columns:
            cell = _text(sheet, str(column.header), HEADER_FONT)
            cell.fill = HEADER_FILL
            cell.alignment = HEADER_ALIGNMENT
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append(
                [
                    _cell(sheet, value, column)
                    for value, column in zip(row, table.columns, strict=True)
                ]
            )
    if meta:
        sheet = book.create_sheet(META_SHEET)
        sheet.sheet_state = "hidden"
        for key, value in meta.items():
            sheet.append([_text(sheet, key), _text(sheet, str(value))])
    return book


def filename(*parts: object) -> str:
    """An ASCII file name from its parts: "chi-dao-thap-muoi-2023.xlsx"."""
    words = [slugify(str(part).replace("đ", "d").replace("Đ", "D")) for part in parts if part]
    return "-".join(word for word in words if word) + ".xlsx"


def download(
    name: str, tables: Sequence[Table], meta: dict[str, str] | None = None
) -> HttpResponse:
    """The workbook as an attachment named `name` (ASCII, from `filename`)."""
    buffer = io.BytesIO()
    workbook(tables, meta).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
