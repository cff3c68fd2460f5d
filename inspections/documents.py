"""The conclusion notice (Thông báo kết luận) and the cluster conference report as Word or
PDF documents.

The notice says what the printed page says (inspections.notice), laid out by org.documents:
the issuer's header, "THÔNG BÁO", the session, then 1. Ưu điểm, 2. Hạn chế, khó khăn,
3. Nhiệm vụ thời gian tới with the directives, Nơi nhận and the chair's signature.

The conference report (Báo cáo hội nghị giao ban cụm) has the same issuer and signature: the
results, the cluster's communes ranked by their half-year progress (plans.ranking), the
shortcomings and the tasks for the next half with each commune's directives.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from inspections import notice
from inspections.models import Issuer, Visit
from org.documents import (
    Block,
    Signature,
    Templates,
    filename,
    heading,
    layout,
    paragraph,
    place_and_date,
    signature,
)
from plans.models import Period, PeriodKind
from plans.ranking import Ranked, rank_by_progress
from plans.templatetags.plan_format import percent

NOTICE = Templates(docx="visit_notice.docx", html="documents/base.html")
CONFERENCE = Templates(
    docx="cluster_conference.docx", html="inspections/visit_conference_document.html"
)


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
        signature=_signature(visit, said),
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


def _signature(visit: Visit, said: dict) -> Signature:
    """The chair signs in the title of their office the issuer signs in: "T/M ĐOÀN CÔNG TÁC /
    TRƯỞNG ĐOÀN", "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" (or "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")."""
    way = "delegation" if visit.delegation else "party"
    if visit.issuer == Issuer.STATE:
        way = "state"
    return signature(
        way, visit.chair_role, on_behalf=said["header"].on_behalf, name=visit.signer_name
    )


# what the ranking table shows of each commune's summary, column by column
COUNTS = (
    "targets_achieved",
    "targets_on_track",
    "targets_at_risk",
    "targets_behind",
    "targets_no_data",
)


def _ranking_row(entry: Ranked) -> dict:
    summary = entry.summary
    return {
        "place": str(entry.place) if entry.place else "–",
        "unit": entry.unit.full_name,
        "counts": [str(getattr(summary, name)) if summary else "" for name in COUNTS],
        "share": percent(entry.share) if entry.share is not None else _("chưa có báo cáo"),
    }


def ranking(visit: Visit) -> tuple[Period | None, list[Ranked]]:
    """The half-year period the conference reviews and the cluster's communes ranked by their
    progress in it (unranked, in code order, if that period was never opened)."""
    members = list(visit.cluster.members.order_by("code"))
    period = Period.objects.filter(
        year=visit.date.year, kind=PeriodKind.HALF, index=visit.half
    ).first()
    if period is None:
        return None, [Ranked(unit=unit, summary=None, place=None) for unit in members]
    return period, rank_by_progress(members, period)


def conference_document(visit: Visit) -> dict:
    """The context of both templates of a cluster conference report. Reads what
    inspections.notice.notice_context reads, the units that attended, the cluster's members,
    the period and their summaries."""
    said = notice.notice_context(visit)
    period, ranked = ranking(visit)
    half = f"{visit.get_half_display().lower()} {visit.date.year}"
    attending = ", ".join(unit.full_name for unit in visit.attending.order_by("code"))
    opening = _("Ngày %(day)s, %(cluster)s tổ chức hội nghị giao ban %(half)s tại %(host)s.") % {
        "day": visit.date.strftime("%d/%m/%Y"),
        "cluster": visit.cluster.name,
        "half": half,
        "host": visit.host.full_name,
    }
    before = [paragraph(opening)]
    if attending:
        before.append(paragraph(_("Đơn vị dự: %(units)s.") % {"units": attending}))
    before += [heading(f"I. {_('Kết quả đạt được').upper()}"), *_findings(said["strengths"])]
    before.append(
        heading(
            _(
                "Xếp hạng các đơn vị trong cụm theo tỷ lệ chỉ tiêu đạt hoặc đúng tiến độ "
                "(%(period)s):"
            )
            % {"period": period.label if period else half}
        )
    )
    rest = [heading(f"II. {_('Hạn chế, khó khăn').upper()}"), *_findings(said["shortcomings"])]
    rest.append(heading(f"III. {_('Nhiệm vụ thời gian tới').upper()}"))
    rest += [paragraph(f"- {finding.text}") for finding in said["next_tasks"]]
    rest += [paragraph(f"- {sentence}") for sentence in said["directives"]]
    context = layout(
        said["header"],
        number="",
        place_date=place_and_date(
            visit.notice_place or visit.host.name, visit.date, visit.date.year
        ),
        title=_("Báo cáo"),
        subject=_("Kết quả thực hiện nhiệm vụ %(half)s của %(cluster)s")
        % {"half": half, "cluster": visit.cluster.name},
        recipients=said["recipients"],
        signature=_signature(visit, said),
    )
    context.update(
        {"before": before, "ranking": [_ranking_row(entry) for entry in ranked], "rest": rest}
    )
    return context


def conference_filename(visit: Visit, extension: str) -> str:
    """bao-cao-giao-ban-cum-trung-tam-6-thang-dau-nam-2022.docx"""
    return filename(
        _("Báo cáo giao ban"),
        visit.cluster.name,
        visit.get_half_display(),
        str(visit.date.year),
        extension=extension,
    )


def conference_docx_template():
    """The shipped Word template of a cluster conference report."""
    from org import docx_layout as docx

    with docx.official_document() as document:
        docx.blocks(document, "before")
        docx.grid(
            document,
            [
                (_("Hạng"), 14),
                (_("Đơn vị"), 41),
                (_("Đạt"), 16),
                (_("Đúng tiến độ"), 20),
                (_("Có nguy cơ"), 18),
                (_("Chậm"), 16),
                (_("Chưa có số liệu"), 20),
                (_("Tỷ lệ"), 20),
            ],
            "ranking",
            [
                "{{ row.place }}",
                "{{ row.unit }}",
                "{{ row.counts[0] }}",
                "{{ row.counts[1] }}",
                "{{ row.counts[2] }}",
                "{{ row.counts[3] }}",
                "{{ row.counts[4] }}",
                "{{ row.share }}",
            ],
        )
        docx.blocks(document, "rest")
    return document


def docx_template():
    """The shipped Word template of the notice (manage.py document_templates writes it)."""
    from org import docx_layout as docx

    with docx.official_document() as document:
        docx.blocks(document, "blocks")
    return document
