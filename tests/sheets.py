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


def content(response) -> bytes:
    """The bytes of an .xlsx download (streamed)."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="')
    return b"".join(response.streaming_content)


def sheets(response) -> list[Sheet]:
    """Every visible sheet of an .xlsx download; the header is the row above the frozen
    panes."""
    book = openpyxl.load_workbook(io.BytesIO(content(response)))
    found = []
    for sheet in book.worksheets:
        if sheet.sheet_state == "hidden":
            continue
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
