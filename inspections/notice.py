"""Thông báo kết luận: what the printed notice says, in the form its issuer writes it.

A Party committee heads its notice with its own name beside "ĐẢNG CỘNG SẢN VIỆT NAM" and signs
"T/M BAN THƯỜNG VỤ" (or for its delegation, "T/M ĐOÀN CÔNG TÁC"); a People's Committee uses
the state form: "ỦY BAN NHÂN DÂN" over the level, the national motto, "TM. ỦY BAN NHÂN DÂN".
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from inspections.models import Directive, FindingKind, Issuer, Visit
from org.documents import Header, party_header, state_header

# what a clause may end with before the notice adds its own punctuation
TRAILING = " \t.,;:"


def clause(text: str) -> str:
    """The text without the punctuation it ends with, to be placed inside a sentence."""
    return text.strip().rstrip(TRAILING)


def header(visit: Visit) -> Header:
    unit = visit.campaign.unit if visit.campaign else (visit.host.parent or visit.host)
    if visit.issuer == Issuer.STATE:
        return state_header(unit)
    if visit.delegation:
        return party_header(
            unit.party_committee, visit.delegation.name, on_behalf=_("T/M ĐOÀN CÔNG TÁC")
        )
    return party_header(unit.party_committee, on_behalf=_("T/M BAN THƯỜNG VỤ"))


def directive_sentence(directive: Directive, *, with_unit: bool) -> str:
    """ "Text (chủ trì: …; phối hợp: …; thời hạn: dd/mm/yyyy)." without doubled punctuation."""
    parts = [_("chủ trì: %(lead)s") % {"lead": clause(directive.lead)}]
    if directive.cooperating.strip():
        parts.append(_("phối hợp: %(who)s") % {"who": clause(directive.cooperating)})
    parts.append(_("thời hạn: %(day)s") % {"day": directive.deadline.strftime("%d/%m/%Y")})
    text = clause(directive.text)
    if with_unit:
        text = f"{directive.unit.full_name}: {text}"
    return f"{text} ({'; '.join(parts)})."


def recipients(visit: Visit) -> list[str]:
    """One line per recipient, each ending with a comma and the last (the archive) a full stop."""
    lines = [clause(line) for line in visit.recipients.splitlines()]
    lines = [f"- {line}" for line in lines if line]
    return [f"{line}," for line in lines[:-1]] + [f"{line}." for line in lines[-1:]]


def notice_context(visit: Visit) -> dict:
    """What the notice says, read once for the printed page and the Word and PDF documents.
    Reads the visit's findings and directives; select the visit's host, delegation, campaign
    with its unit, and cluster with it."""
    findings = list(visit.findings.all())
    head = header(visit)
    return {
        "visit": visit,
        "strengths": [f for f in findings if f.kind == FindingKind.STRENGTH],
        "shortcomings": [
            f for f in findings if f.kind in (FindingKind.SHORTCOMING, FindingKind.OBSTACLE)
        ],
        "next_tasks": [f for f in findings if f.kind == FindingKind.NEXT_TASK],
        "directives": [
            directive_sentence(directive, with_unit=visit.is_conference)
            for directive in visit.directives.select_related("unit")
        ],
        "recipients": recipients(visit),
        "header": head,
        # "Số: 05/TB-UBND", or the Party's "Số 05-TB/ĐU"
        "number_line": head.number_line(visit.notice_number),
        "attendees": clause(visit.attendees),
        # "về kiểm tra …" mid-sentence, without lowering "quý I" or a name inside the topic
        "topic_in_sentence": clause(visit.topic[:1].lower() + visit.topic[1:]),
    }
