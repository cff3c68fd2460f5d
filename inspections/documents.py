"""The conclusion notice (Thông báo kết luận) as a Word or PDF document.

It says what the printed page says (inspections.notice), laid out by org.documents: the
issuer's header, "THÔNG BÁO", the session, then 1. Ưu điểm, 2. Hạn chế, khó khăn,
3. Nhiệm vụ thời gian tới with the directives, Nơi nhận and the chair's signature.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from inspections import notice
from inspections.models import Visit
from org.documents import Block, Signature, filename, heading, layout, paragraph, place_and_date

DOCX_TEMPLATE = "visit_notice.docx"
HTML_TEMPLATE = "documents/base.html"


def _subject(visit: Visit) -> str:
    if visit.is_conference:
        return _("Kết luận của %(chair)s tại hội nghị giao ban %(cluster)s, %(half)s %(year)s") % {
            "chair": visit.chair_role,
            "cluster": visit.cluster.name,
            "half": visit.get_half_display().lower(),
            "year": visit.date.year,
        }
    return _("Kết luận của %(chair)s tại buổi làm việc với %(host)s") % {
        "chair": visit.chair_role,
        "host": visit.host.full_name,
    }


def _findings(findings: list) -> list[Block]:
    return [paragraph(f"- {finding.text}") for finding in findings] or [paragraph("- …")]


def _body(said: dict) -> list[Block]:
    visit = said["visit"]
    opening = _("Vào %(part)s ngày %(day)s, %(chair)s làm việc với %(host)s về %(topic)s.") % {
        "part": visit.get_part_of_day_display().lower(),
        "day": visit.date.strftime("%d/%m/%Y"),
        "chair": visit.chair_role,
        "host": visit.host.full_name,
        "topic": said["topic_in_sentence"],
    }
    blocks = [paragraph(opening)]
    if said["attendees"]:
        blocks.append(paragraph(f"{_('Tham dự')}: {said['attendees']}."))
    blocks.append(
        paragraph(
            _(
                "Sau khi nghe báo cáo và ý kiến phát biểu của các đại biểu, đồng chí chủ trì "
                "kết luận như sau:"
            )
        )
    )
    blocks += [heading(f"1. {_('Ưu điểm')}"), *_findings(said["strengths"])]
    blocks += [heading(f"2. {_('Hạn chế, khó khăn')}"), *_findings(said["shortcomings"])]
    blocks.append(heading(f"3. {_('Nhiệm vụ thời gian tới')}"))
    blocks += [paragraph(f"- {finding.text}") for finding in said["next_tasks"]]
    blocks += [
        paragraph(f"3.{number}. {sentence}")
        for number, sentence in enumerate(said["directives"], start=1)
    ]
    if not said["next_tasks"] and not said["directives"]:
        blocks.append(paragraph("…"))
    return blocks


def notice_document(visit: Visit) -> dict:
    """The context of both templates. Reads what inspections.notice.notice_context reads."""
    said = notice.notice_context(visit)
    header = said["header"]
    context = layout(
        header,
        number=visit.notice_number,
        place_date=place_and_date(visit.notice_place or "……", visit.date, visit.date.year),
        title=_("Thông báo"),
        subject=_subject(visit),
        recipients=said["recipients"],
        signature=Signature(
            on_behalf=header.on_behalf, title=visit.chair_role.upper(), name=visit.signer_name
        ),
    )
    context["blocks"] = _body(said)
    return context


def notice_filename(visit: Visit, extension: str) -> str:
    """thong-bao-ket-luan-my-quy-16-02-2023.pdf"""
    return filename(
        _("Thông báo kết luận"),
        visit.host.name,
        visit.date.strftime("%d-%m-%Y"),
        extension=extension,
    )


def docx_template():
    """The shipped Word template of the notice (manage.py document_templates writes it)."""
    from org import docx_layout as docx

    document = docx.new_document()
    docx.header_block(document)
    docx.title_block(document)
    docx.blocks(document, "blocks")
    docx.footer_block(document)
    return document
