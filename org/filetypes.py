"""What an uploaded file really is, read from its first bytes rather than from its name.

A name is whatever the sender typed: "bao-cao.pdf" may be a renamed program. Each kind of
evidence file the portal accepts starts with a signature of its own; the Office formats are
containers whose inside says which program wrote them:

- PDF starts with ``%PDF-``; PNG with its 8-byte signature; JPEG with ``FF D8 FF``;
- docx / xlsx / pptx (OOXML) are zip archives holding ``[Content_Types].xml`` and the parts
  of their program (``word/``, ``xl/``, ``ppt/``);
- doc / xls (before 2007) are OLE2 compound files (``D0 CF 11 E0 A1 B1 1A E1``) whose
  directory names the main stream, in UTF-16: ``WordDocument`` or ``Workbook`` (``Book``
  in Excel 95).
"""

from __future__ import annotations

import zipfile
from typing import IO

# The accepted kinds: the extension a file of that kind carries → its media type.
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}

# Extensions that name the same content ("anh.jpeg" and "anh.jpg" are both JPEG).
_SAME_AS = {"jpeg": "jpg"}

_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_PNG = b"\x89PNG\r\n\x1a\n"
_OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_OLE2_STREAMS = {
    "doc": ("WordDocument",),
    "xls": ("Workbook", "Book"),
}


def extension(name: str) -> str:
    """The lower-case extension of a file name, without the dot ("" when it has none)."""
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def sniff(file: IO[bytes]) -> str | None:
    """The kind the content is ("pdf", "png", "jpg", "docx" …), or None when it is none of
    them. Reads the whole file for the OLE2 kinds (the caller bounds its size first) and
    leaves the file at its start."""
    file.seek(0)
    head = file.read(8)
    try:
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head == _PNG:
            return "png"
        if head.startswith(b"\xff\xd8\xff"):
            return "jpg"
        if head.startswith(b"PK\x03\x04"):
            return _ooxml_kind(file)
        if head == _OLE2:
            return _ole2_kind(file)
        return None
    finally:
        file.seek(0)


def matches(name: str, file: IO[bytes]) -> bool:
    """Whether the content is what the name's extension says it is."""
    ext = extension(name)
    return ext in MEDIA_TYPES and sniff(file) == _SAME_AS.get(ext, ext)


def _ooxml_kind(file: IO[bytes]) -> str | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    # NotImplementedError: an entry claiming a zip version Python does not read
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    kinds = {
        kind for prefix, kind in _OOXML_PARTS.items() if any(n.startswith(prefix) for n in names)
    }
    # A package with the parts of two programs is not a document of either.
    return kinds.pop() if len(kinds) == 1 else None


def _ole2_kind(file: IO[bytes]) -> str | None:
    file.seek(0)
    content = file.read()
    found = [
        kind
        for kind, streams in _OLE2_STREAMS.items()
        if any(_directory_name(stream) in content for stream in streams)
    ]
    return found[0] if len(found) == 1 else None


def _directory_name(stream: str) -> bytes:
    """A stream's name as an OLE2 directory entry stores it: UTF-16LE, NUL-terminated."""
    return stream.encode("utf-16-le") + b"\x00\x00"
