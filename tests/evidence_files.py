"""Small files of every kind the evidence upload meets, built in memory."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")


def ooxml(*parts: str, content_types: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", "<Types/>")
        for part in parts:
            archive.writestr(part, "<x/>")
    return buffer.getvalue()


def ole2(stream: str) -> bytes:
    return OLE2 + bytes(504) + stream.encode("utf-16-le") + b"\x00\x00" + bytes(64)


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(32)
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(64)
DOCX = ooxml("word/document.xml")
XLSX = ooxml("xl/workbook.xml")
PPTX = ooxml("ppt/presentation.xml")
DOC = ole2("WordDocument")
XLS = ole2("Workbook")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
