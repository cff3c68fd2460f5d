"""Văn bản hành chính: the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I) shared by every document
the portal prints, and the two ways it writes one: Word and PDF.

A People's Committee heads its documents with the state form — "ỦY BAN NHÂN DÂN" over the level,
the national motto, "Số: 05/KH-UBND", signed "TM. ỦY BAN NHÂN DÂN". A Party committee uses the
Party form — its name beside "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 05-KH/ĐU", signed "T/M BAN THƯỜNG VỤ".

Word comes from a docxtpl template (a .docx an office may replace: `DOCUMENT_TEMPLATES_DIR` is
read first, the shipped `templates/documents/` after it); PDF from a Django HTML template with
@page CSS, through WeasyPrint. Each domain builds the context of its own documents.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from org.models import Unit
from org.search import fold

# The templates the portal ships; an office's own directory, if set, is read before it.
SHIPPED_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "documents"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
# "05-KH/ĐU": the Party writes the number before a hyphen; the state writes "05/KH-UBND".
PARTY_NUMBER = re.compile(r"^[^/]*-[^/]*/")


@dataclass(frozen=True)
class Header:
    """The top of a document and the words its signature begins with."""

    issuer: tuple[str, ...]  # lines above the number, the last one (the issuing body) in bold
    motto: tuple[str, ...]  # the bold lines on the right, the last one underlined
    on_behalf: str  # "T/M BAN THƯỜNG VỤ", "TM. ỦY BAN NHÂN DÂN"
    party: bool = False

    @property
    def parent(self) -> str:
        """The line above the issuing body ("ĐẢNG BỘ HUYỆN THÁP MƯỜI"), or nothing."""
        return " ".join(self.issuer[:-1])

    @property
    def body(self) -> str:
        """The issuing body, in bold: "ĐẢNG ỦY XÃ MỸ QUÝ", "XÃ MỸ QUÝ"."""
        return self.issuer[-1]

    @property
    def motto_top(self) -> str:
        """The national name above the motto, or nothing in the Party form."""
        return " ".join(self.motto[:-1])

    @property
    def motto_main(self) -> str:
        """The underlined line: "Độc lập - Tự do - Hạnh phúc" or "ĐẢNG CỘNG SẢN VIỆT NAM"."""
        return self.motto[-1]

    def number_line(self, number: str) -> str:
        """ "Số: 05/KH-UBND" in the state form, "Số 05-KH/ĐU" in the Party's; dots if unknown."""
        number = number.strip() or "……"
        return (_("Số %(number)s") if self.party else _("Số: %(number)s")) % {"number": number}


def state_header(unit: Unit) -> Header:
    """A People's Committee: "ỦY BAN NHÂN DÂN" over the level and name, the national motto."""
    return Header(
        issuer=(_("ỦY BAN NHÂN DÂN"), unit.full_name.upper()),
        motto=(_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), _("Độc lập - Tự do - Hạnh phúc")),
        on_behalf=_("TM. ỦY BAN NHÂN DÂN"),
    )


def party_header(*issuer: str, on_behalf: str) -> Header:
    """A Party body, its name (and the body above it) beside "ĐẢNG CỘNG SẢN VIỆT NAM"."""
    return Header(
        issuer=tuple(line.upper() for line in issuer),
        motto=(_("ĐẢNG CỘNG SẢN VIỆT NAM"),),
        on_behalf=on_behalf,
        party=True,
    )


def party_organisation(unit: Unit) -> str:
    """The Party organisation of a unit, as a lower body names the one above it: "Đảng bộ
    huyện Tháp Mười"."""
    return _("Đảng bộ %(level)s %(name)s") % {"level": unit.level.lower(), "name": unit.name}


def is_party_number(number: str) -> bool:
    """Whether a document number is written the Party's way ("05-KH/ĐU")."""
    return bool(PARTY_NUMBER.match(number.strip()))


def place_and_date(place: str, day: datetime.date | None, year: int) -> str:
    """ "Mỹ Quý, ngày 10 tháng 01 năm 2023"; dots for a day not yet known."""
    if day is None:
        return _("%(place)s, ngày …… tháng …… năm %(year)s") % {"place": place, "year": year}
    return _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s") % {
        "place": place,
        "d": f"{day.day:02d}",
        "m": f"{day.month:02d}",
        "y": day.year,
    }


@dataclass(frozen=True)
class Signature:
    """Thẩm quyền ký: "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / the name."""

    on_behalf: str
    title: str
    deputy_for: str = ""  # "KT. CHỦ TỊCH" when a deputy signs for the head
    name: str = ""


@dataclass(frozen=True)
class Block:
    """A paragraph of a document's body: a heading in bold, or justified text."""

    text: str
    heading: bool = False


def heading(text: str) -> Block:
    return Block(text, heading=True)


def paragraph(text: str) -> Block:
    return Block(text)


# What the office a signer's role names makes of the signature, for each way of signing:
# (the part of the role it begins, "KT. …" above the title, the title). A deputy of a
# People's Committee's chair signs for the chair (KT.); the Party's deputies sign in their own
# title for the standing committee.
SIGNING_TITLES = {
    "state": (
        ("phó chủ tịch", _lazy("KT. CHỦ TỊCH"), _lazy("PHÓ CHỦ TỊCH")),
        ("chủ tịch", "", _lazy("CHỦ TỊCH")),
    ),
    "party": (
        ("phó bí thư thường trực", "", _lazy("PHÓ BÍ THƯ THƯỜNG TRỰC")),
        ("phó bí thư", "", _lazy("PHÓ BÍ THƯ")),
        ("bí thư", "", _lazy("BÍ THƯ")),
    ),
    "delegation": (
        ("phó trưởng đoàn", "", _lazy("PHÓ TRƯỞNG ĐOÀN")),
        ("trưởng đoàn", "", _lazy("TRƯỞNG ĐOÀN")),
    ),
}


def signature(way: str, role: str, *, on_behalf: str, name: str = "") -> Signature:
    """The signature of someone in `role` ("Phó Bí thư Huyện ủy, Chủ tịch UBND huyện …"),
    signing the `way` ("state", "party", "delegation") on behalf of `on_behalf`: the first
    part of the role that names an office of that way gives the title ("CHỦ TỊCH"); a role
    naming none is written out in capitals."""
    for part in role.split(","):
        part = unicodedata.normalize("NFC", part).strip().casefold()
        for start, deputy_for, title in SIGNING_TITLES[way]:
            if part.startswith(start):
                return Signature(on_behalf, str(title), str(deputy_for), name)
    return Signature(on_behalf, role.strip().upper(), "", name)


def layout(
    header: Header,
    *,
    number: str,
    place_date: str,
    title: str,
    subject: str,
    recipients: list[str],
    signature: Signature,
) -> dict:
    """What the layout of every document reads: the header and its rules, the number line,
    place and date, title, Nơi nhận and the signature. A domain adds its body to it."""
    return {
        "header": header,
        "rule": "*" if header.party else "_______",
        "number_line": header.number_line(number),
        "place_date": place_date,
        "title": title.upper(),
        "subject": subject,
        "rule_below_title": "-----" if header.party else "_______",
        "recipients_label": _("Nơi nhận:"),
        "recipients": recipients,
        "signature": signature,
    }


def filename(*parts: str, extension: str) -> str:
    """An ASCII file name from Vietnamese words: ("Kế hoạch", "05-KH/ĐU") → ke-hoach-05-kh-du."""
    stem = "-".join(filter(None, (slugify(fold(part).replace("/", " ")) for part in parts)))
    stem = stem or "van-ban"
    return f"{stem}.{extension}"


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@dataclass(frozen=True)
class Templates:
    """The two templates of one document: the Word template's file name (in the templates
    directory) and the Django HTML template PDF is made from."""

    docx: str
    html: str


def document_response(
    request: HttpRequest, kind: str, templates: Templates, context: dict, name: str
) -> HttpResponse:
    """The document as a download: `kind` is "docx" or "pdf", `name` the file name."""
    if kind == "docx":
        return docx_response(templates.docx, context, name)
    return pdf_response(request, templates.html, context, name)


def template_path(name: str) -> Path:
    """A document template: the office's own if it has one of that name, else the shipped."""
    own = getattr(settings, "DOCUMENT_TEMPLATES_DIR", None)
    if own and (Path(own) / name).is_file():
        return Path(own) / name
    return SHIPPED_TEMPLATES / name


def render_docx(template: str, context: dict) -> bytes:
    """The .docx template filled with the context; text is escaped, so "&" or "<" stay text."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(template_path(template))
    document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_response(template: str, context: dict, name: str) -> HttpResponse:
    return _attachment(render_docx(template, context), DOCX, name)


class PdfUnavailable(Exception):
    """WeasyPrint or the pango library it draws text with is not installed."""


def _fetch_nothing(url: str, *args: object, **kwargs: object) -> dict:
    """A document loads nothing but its stylesheet: no file, no address, whatever its text
    says (offices may be air-gapped; a typed URL must not make the server fetch it)."""
    raise ValueError(f"documents load nothing: {url[:80]}")


def render_pdf(template: str, context: dict) -> bytes:
    """The HTML template as a PDF page by page, with the document stylesheet (A4, margins,
    page numbers from page 2)."""
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as error:  # OSError: pango missing
        raise PdfUnavailable(str(error)) from error
    html = render_to_string(template, context)
    stylesheet = CSS(filename=str(template_path("document.css")))
    page = HTML(string=html, base_url=str(SHIPPED_TEMPLATES), url_fetcher=_fetch_nothing)
    return page.write_pdf(stylesheets=[stylesheet])


def pdf_response(request: HttpRequest, template: str, context: dict, name: str) -> HttpResponse:
    """The PDF as a download, or a 503 page saying PDF is not available on this server."""
    try:
        content = render_pdf(template, context)
    except PdfUnavailable:
        message = _(
            "Máy chủ chưa cài đặt thư viện tạo PDF (WeasyPrint, pango). Hãy tải bản Word "
            "hoặc báo quản trị viên cài đặt."
        )
        return render(request, "documents/unavailable.html", {"message": message}, status=503)
    return _attachment(content, PDF, name)
