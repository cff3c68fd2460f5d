"""Reading an Excel download back in tests: its scope lines, header and rows."""

from __future__ import annotations

import io
from dataclasses import dataclass

import openpyxl


@dataclass
class Sheet:
    title: str
    scope: list[str]
    header: list[str]
    rows: list[list]


def sheets(response) -> list[Sheet]:
    """Every sheet of an .xlsx response; the header is the row above the frozen panes."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    found = []
    for sheet in book.worksheets:
        header_row = int(sheet.freeze_panes[1:]) - 1
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        found.append(
            Sheet(
                title=values[0][0],
                scope=[row[0] for row in values[1 : header_row - 2]],
                header=values[header_row - 1],
                rows=values[header_row:],
            )
        )
    return found


def sheet(response) -> Sheet:
    return sheets(response)[0]
