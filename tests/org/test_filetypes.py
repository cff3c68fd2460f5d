"""A file's kind is read from its content: a renamed program or a bare zip is no document."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from org.filetypes import extension, matches, sniff
from tests.evidence_files import (
    DOC,
    DOCX,
    EXE,
    JPEG,
    PDF,
    PNG,
    PPTX,
    XLS,
    XLSX,
    ole2,
    ooxml,
)


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPEG, "jpg"),
        (DOCX, "docx"),
        (XLSX, "xlsx"),
        (PPTX, "pptx"),
        (DOC, "doc"),
        (XLS, "xls"),
        (ole2("Book"), "xls"),
    ],
)
def test_each_accepted_kind_is_recognised_by_its_content(content: bytes, kind: str) -> None:
    assert sniff(io.BytesIO(content)) == kind


@pytest.mark.parametrize(
    "content",
    [
        EXE,
        b"",
        b"%PD",
        b"plain text, not a document",
        ooxml("word/document.xml", content_types=False),  # a zip, not an OOXML package
        ooxml("docProps/core.xml"),  # a package without a program's parts
        ooxml("word/document.xml", "xl/workbook.xml"),  # the parts of two programs
        b"PK\x03\x04" + bytes(40),  # a broken zip
        ole2("Something"),  # OLE2, but neither Word nor Excel
    ],
)
def test_other_content_is_no_accepted_kind(content: bytes) -> None:
    assert sniff(io.BytesIO(content)) is None


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bao-cao.pdf", PDF, True),
        ("BAO-CAO.PDF", PDF, True),
        ("anh.jpeg", JPEG, True),
        ("anh.jpg", JPEG, True),
        ("report.pdf", EXE, False),  # a renamed program
        ("bang.xlsx", DOCX, False),  # a Word document named as a workbook
        ("van-ban.doc", XLS, False),
        ("anh.png", JPEG, False),
        ("pdf", PDF, False),  # no extension
        ("tep.exe", EXE, False),  # not an accepted kind at all
    ],
)
def test_a_name_matches_only_its_own_content(name: str, content: bytes, expected: bool) -> None:
    assert matches(name, io.BytesIO(content)) is expected


def test_the_extension_is_read_from_the_last_dot() -> None:
    assert extension("Báo cáo.quý 1.PDF") == "pdf"
    assert extension(".pdf") == ""
    assert extension("khong-duoi") == ""


@given(st.binary(max_size=600))
def test_sniffing_any_bytes_never_fails_and_leaves_the_file_at_its_start(data: bytes) -> None:
    file = io.BytesIO(data)
    kind = sniff(file)
    assert file.tell() == 0
    if not data.startswith((b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"PK", bytes.fromhex("D0CF"))):
        assert kind is None
