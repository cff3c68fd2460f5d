"""Whatever bytes arrive as an upload, reading them refuses with a message or returns rows;
it never raises anything else."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from org import xlsx
from org.xlsx_import import Refused, read

HEADERS = ["Mã", "Giá trị"]


def _template(rows) -> bytes:
    columns = (xlsx.Column("Mã"), xlsx.Column("Giá trị", number_format=xlsx.DECIMAL))
    return b"".join(xlsx.chunks([xlsx.Table("T", columns, rows)], {"kind": "test"}))


def _read_or_refuse(content: bytes):
    try:
        return read("tep.xlsx", content, HEADERS, kind="test")
    except Refused as refusal:
        assert str(refusal)
        return None


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_are_refused_or_read(content: bytes) -> None:
    _read_or_refuse(content)
    _read_or_refuse(b"PK\x03\x04" + content)


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=0, max_value=4000), st.binary(min_size=1, max_size=64))
def test_a_damaged_template_is_refused_or_read(offset: int, noise: bytes) -> None:
    good = _template([("CT01", 5), ("CT02", None)])
    position = offset % len(good)
    _read_or_refuse(good[:position] + noise + good[position + len(noise) :])


def test_a_template_reads_back_its_rows() -> None:
    upload = read("tep.xlsx", _template([("CT01", 5), ("CT02", None)]), HEADERS, kind="test")
    assert upload.meta == {"kind": "test"}
    assert [row.cells for row in upload.rows] == [
        {"Mã": "CT01", "Giá trị": 5},
        {"Mã": "CT02", "Giá trị": None},
    ]


def test_a_zip_that_is_no_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    assert _read_or_refuse(buffer.getvalue()) is None


def test_a_sheet_damaged_inside_its_compressed_rows_is_refused() -> None:
    """The rows of a read-only sheet are unpacked as they are read: damage there is a
    refusal too, not an error page."""
    good = _template([(f"CT{n:05d}", n * 7919 % 10007) for n in range(5000)])
    sheet = good.index(b"xl/worksheets/sheet1.xml")
    middle = sheet + (good.index(b"xl/worksheets/sheet2.xml") - sheet) // 2
    damaged = good[:middle] + bytes(64) + good[middle + 64 :]
    assert _read_or_refuse(damaged) is None


def newer_zip(content: bytes) -> bytes:
    """The zip with its first central directory entry claiming version 6.4 to extract."""
    entry = content.index(b"PK\x01\x02")
    return content[: entry + 6] + bytes([64, 0]) + content[entry + 8 :]


def test_a_zip_claiming_a_newer_version_is_refused() -> None:
    """zipfile raises NotImplementedError there, which must be a refusal, not an error page."""
    assert _read_or_refuse(newer_zip(_template([("CT01", 5)]))) is None


def test_an_evidence_file_claiming_a_newer_zip_version_is_not_recognised() -> None:
    from org.filetypes import sniff
    from tests.evidence_files import DOCX

    assert sniff(io.BytesIO(newer_zip(DOCX))) is None
