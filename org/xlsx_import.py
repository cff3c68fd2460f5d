"""Excel uploads through a template: refuse a file that is not one, read its rows by header.

A template is a sheet the portal wrote (`org.xlsx.download` with `meta`): its title and
scope lines, a header row, the rows, and a hidden sheet saying what it was made from. An
upload is refused as a whole, with one clear message, when it is not an .xlsx, is larger
than `IMPORT_MAX_BYTES`, is not a template of the kind expected or has lost its header.
Otherwise each row is returned with its cells by header; the caller checks the values and
reports each problem with its row and column (`Row.error`). A formula is read as the value
Excel saved with it; one saved without a value (written by a program that does not compute)
is an error in its cell, never taken as empty.

Between the preview and the confirmation the file waits in the default storage under
`imports/`, named by a random token kept in the user's session (`stage`, `staged`,
`unstage`): nothing is written to the portal's tables until the user confirms.
"""

from __future__ import annotations

import datetime
import io
import uuid
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from org.services import save_or_refuse
from org.xlsx import META_SHEET

ZIP_MAGIC = b"PK\x03\x04"
# A template holds a few thousand rows; a sheet that unpacks to more than this many times
# the upload limit is a zip bomb, not a plan.
UNPACKED_RATIO = 20
MAX_ROWS = 10_000
# The header is searched for among the first rows (title, scope lines, a blank line).
HEADER_SEARCH = 30
SESSION_KEY = "xlsx_imports"


UNREADABLE = _lazy("Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng mẫu.")
# What a damaged part raises as its rows are read: a bad zip entry or checksum, a zip
# feature it claims (NotImplementedError) or encryption (RuntimeError), truncated deflate
# data, XML that does not parse (ParseError is a SyntaxError), a bad cell value.
DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    SyntaxError,
    ValueError,
    KeyError,
)


class Refused(Exception):
    """The file as a whole cannot be read as the template expected; `str()` says why."""


@dataclass(frozen=True)
class CellError:
    row: int
    column: str  # the column's letter
    header: str
    message: str

    def __str__(self) -> str:
        return _("Dòng %(row)s, cột %(column)s (%(header)s): %(message)s") % {
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "message": self.message,
        }


@dataclass
class Row:
    number: int  # the row's number in Excel
    cells: dict[str, Any]  # header → value, None when empty
    letters: dict[str, str]  # header → column letter
    errors: list[CellError] = field(default_factory=list)

    def error(self, header: str, message: str) -> CellError:
        error = CellError(self.number, self.letters.get(header, "?"), header, str(message))
        self.errors.append(error)
        return error

    def text(self, header: str) -> str:
        value = self.cells.get(header)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


@dataclass
class Upload:
    name: str
    meta: dict[str, str]
    rows: list[Row]


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def too_large() -> Refused:
    return Refused(_("Tệp lớn hơn giới hạn %(limit)s MB.") % {"limit": _megabytes(max_bytes())})


def check_file(name: str, content: bytes) -> None:
    """Refuse what is not an .xlsx of a reasonable size, by its name and by its bytes."""
    if not name.lower().endswith(".xlsx"):
        raise Refused(
            _("Chỉ nhận tệp Excel .xlsx (tệp “%(name)s” không phải .xlsx).") % {"name": name}
        )
    if len(content) > max_bytes():
        raise too_large()
    if not content.startswith(ZIP_MAGIC):
        raise Refused(_("Nội dung tệp không phải là một tệp Excel .xlsx."))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except DAMAGED as error:
        raise Refused(_("Nội dung tệp không phải là một tệp Excel .xlsx.")) from error
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise Refused(_("Nội dung tệp không phải là một tệp Excel .xlsx."))
    if sum(entry.file_size for entry in entries) > UNPACKED_RATIO * max_bytes():
        raise too_large()


def _open(content: bytes, *, data_only: bool) -> openpyxl.Workbook:
    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise Refused(UNREADABLE) from error


def _meta(book: openpyxl.Workbook) -> dict[str, str]:
    if META_SHEET not in book.sheetnames:
        return {}
    return {
        str(key): "" if value is None else str(value)
        for key, value, *_rest in book[META_SHEET].iter_rows(values_only=True, max_col=2)
        if key is not None
    }


def _label(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def read(name: str, content: bytes, headers: Sequence[str], *, kind: str) -> Upload:
    """The rows under the header of the template's first sheet. Refused unless the file is
    a template of `kind` whose header starts with `headers`."""
    check_file(name, content)
    values, formulas = _open(content, data_only=True), _open(content, data_only=False)
    try:
        meta = _meta(values)
        if meta.get("kind") != kind:
            raise Refused(
                _(
                    "Tệp không phải là mẫu nhập của trang này: hãy tải mẫu ở trang này, "
                    "điền rồi tải lên."
                )
            )
        sheet, formula_sheet = values.worksheets[0], formulas.worksheets[0]
        lines = zip(sheet.iter_rows(), formula_sheet.iter_rows(values_only=True), strict=False)
        expected = [_label(header) for header in headers]
        letters: dict[str, str] | None = None
        rows: list[Row] = []
        for number, (cells, raw) in enumerate(lines, start=1):
            if letters is None:
                found = [_label(cell.value) for cell in cells[: len(expected)]]
                if found == expected:
                    letters = {
                        header: cell.column_letter
                        for header, cell in zip(headers, cells, strict=False)
                    }
                elif number >= HEADER_SEARCH:
                    break
                continue
            row = _row(number, headers, cells, raw, letters)
            if row is not None:
                rows.append(row)
                if len(rows) > MAX_ROWS:
                    raise Refused(
                        _("Tệp có quá %(n)s dòng: hãy chia thành nhiều tệp.") % {"n": MAX_ROWS}
                    )
        if letters is None:
            raise Refused(
                _("Dòng tiêu đề không đúng mẫu: cần các cột %(headers)s.")
                % {"headers": ", ".join(f"“{header}”" for header in headers)}
            )
    except DAMAGED as error:  # a read-only sheet is unpacked and parsed as it is read
        raise Refused(UNREADABLE) from error
    finally:
        values.close()
        formulas.close()
    return Upload(name=name, meta=meta, rows=rows)


def _row(number, headers, cells, raw, letters) -> Row | None:
    """One data row, or None when every cell under the header is empty."""
    row = Row(number=number, cells={}, letters=letters)
    for index, header in enumerate(headers):
        value = cells[index].value if index < len(cells) else None
        if isinstance(value, str):
            value = value.strip() or None
        row.cells[header] = value
        written = raw[index] if raw is not None and index < len(raw) else None
        if value is None and isinstance(written, str) and written.startswith("="):
            row.error(
                header,
                _("ô có công thức nhưng chưa có giá trị: mở tệp bằng Excel, lưu lại rồi tải lên."),
            )
    if all(value is None for value in row.cells.values()) and not row.errors:
        return None
    return row


# --- Waiting between the preview and the confirmation ---------------------------------------


def stage(request, upload: Upload, content: bytes, purpose: str) -> str:
    """Keep the file until the user confirms; the token names it in their session."""
    token = uuid.uuid4().hex
    try:
        path = save_or_refuse(default_storage, f"imports/{token}.xlsx", ContentFile(content))
    except ValidationError as error:
        raise Refused(" ".join(error.messages)) from error
    waiting = request.session.get(SESSION_KEY, {})
    waiting[token] = {"path": path, "name": upload.name, "purpose": purpose}
    request.session[SESSION_KEY] = waiting
    return token


def staged(request, token: str, purpose: str) -> tuple[str, bytes] | None:
    """(file name, content) of the user's waiting file for `purpose`, or None."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None or entry["purpose"] != purpose or not default_storage.exists(entry["path"]):
        return None
    with default_storage.open(entry["path"], "rb") as stored:
        return entry["name"], stored.read()


def sweep(older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    """Delete the files nobody confirmed or cancelled (a closed tab, an expired session):
    those waiting longer than `older_than`. The number deleted."""
    try:
        _dirs, names = default_storage.listdir("imports")
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    gone = 0
    for name in names:
        path = f"imports/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            gone += 1
    return gone


def unstage(request, token: str) -> None:
    waiting = request.session.get(SESSION_KEY, {})
    entry = waiting.pop(token, None)
    if entry is not None:
        default_storage.delete(entry["path"])
        request.session[SESSION_KEY] = waiting
