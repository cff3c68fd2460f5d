"""The commune plan (Kế hoạch) and its period reports (Báo cáo sơ kết / tổng kết) as
documents, in the Party's layout or the state's.

A commune's plan is its Party committee's: "ĐẢNG BỘ HUYỆN THÁP MƯỜI / ĐẢNG ỦY XÃ MỸ QUÝ",
"Số 05-KH/ĐU", signed "T/M BAN THƯỜNG VỤ / BÍ THƯ". A plan numbered the state's way
("05/KH-UBND") is its People's Committee's, signed "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH".
The plan's body is its own items: key tasks, the targets table, breakthrough tasks,
solutions. A report's is its four sections, the targets table after the results.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from org.documents import (
    Block,
    Header,
    Signature,
    Templates,
    filename,
    heading,
    is_party_number,
    layout,
    paragraph,
    party_header,
    party_organisation,
    place_and_date,
    state_header,
)
from plans.models import CommunePlan, ItemKind, Period, PeriodKind, PlanItem, ProgressReport
from plans.progress import TargetLine
from plans.templatetags.plan_format import quantity

PLAN = Templates(docx="commune_plan.docx", html="plans/communeplan_document.html")
REPORT = Templates(docx="progress_report.docx", html="plans/progressreport_document.html")
NUMERALS = ("I", "II", "III", "IV", "V", "VI")


def _subject(plan: CommunePlan) -> str:
    """The trích yếu under "KẾ HOẠCH", without the "Kế hoạch" the title already says."""
    title = plan.title.strip()
    word = _("Kế hoạch")
    if title.lower().startswith(word.lower() + " "):
        title = title[len(word) + 1 :]
        title = title[:1].upper() + title[1:]
    return title


def _grounds(plan: CommunePlan) -> list[str]:
    """ "Căn cứ …" for each programme the plan concretizes (prefetched with their units)."""
    return [
        _("Căn cứ %(title)s số %(number)s ngày %(day)s của %(issuer)s;")
        % {
            "title": programme.title[:1].lower() + programme.title[1:],
            "number": programme.number,
            "day": programme.issued_on.strftime("%d/%m/%Y"),
            "issuer": (
                programme.unit.party_committee
                if programme.kind == "party"
                else programme.unit.peoples_committee
            ),
        }
        # the Party's programme first, as the plan's own title names them
        for programme in sorted(plan.programmes.all(), key=lambda p: p.kind != "party")
    ]


def _numbered(items: list[PlanItem]) -> list[str]:
    return [f"{number}. {item.text.strip()}" for number, item in enumerate(items, start=1)]


def _target_row(number: int, item: PlanItem) -> dict[str, str]:
    return {
        "number": str(number),
        "text": item.text.strip(),
        "measure_unit": item.measure_unit,
        "baseline": quantity(item.baseline),
        "value": quantity(item.target_value),
    }


@dataclass(frozen=True)
class Issuer:
    """Who issues the commune's documents on its plan, and how they head and sign them."""

    header: Header
    signature: Signature
    name: str  # "Đảng ủy xã Mỹ Quý", "Ủy ban nhân dân xã Mỹ Quý"
    recipients: list[str]


def issuer(plan: CommunePlan) -> Issuer:
    """The Party committee, unless the plan is numbered the state's way. Reads the unit's
    parent."""
    unit = plan.unit
    if is_party_number(plan.number) or not plan.number.strip():
        above = [party_organisation(unit.parent)] if unit.parent_id else []
        header = party_header(*above, unit.party_committee, on_behalf=_("T/M BAN THƯỜNG VỤ"))
        signature = Signature(on_behalf=header.on_behalf, title=_("BÍ THƯ"))
        name = unit.party_committee
        recipients = [
            _("- Ban Thường vụ %(above)s (b/c),")
            % {"above": unit.parent.party_committee if unit.parent_id else ""},
            _("- Các đồng chí Đảng ủy viên,"),
            _("- Chi bộ, Ủy ban nhân dân, Ủy ban MTTQ và các đoàn thể %(level)s,")
            % {"level": unit.level.lower()},
            _("- Lưu Văn phòng Đảng ủy."),
        ]
    else:
        header = state_header(unit)
        signature = Signature(on_behalf=header.on_behalf, title=_("CHỦ TỊCH"))
        name = unit.peoples_committee
        recipients = [
            _("- Ủy ban nhân dân %(above)s (b/c),")
            % {"above": unit.parent.full_name.lower() if unit.parent_id else ""},
            _("- Thường trực Đảng ủy, Hội đồng nhân dân %(level)s,")
            % {"level": unit.level.lower()},
            _("- Các ban, ngành, đoàn thể %(level)s,") % {"level": unit.level.lower()},
            _("- Lưu: VT."),
        ]
    return Issuer(header=header, signature=signature, name=name, recipients=recipients)


def plan_context(plan: CommunePlan, items: list[PlanItem]) -> dict:
    """Everything both templates read: the layout and the four parts of the body.

    Reads `plan.unit.parent` and the plan's programmes with their units: select and prefetch
    them; `items` are the plan's items in their order.
    """
    unit = plan.unit
    by = issuer(plan)
    by_kind = {kind: [item for item in items if item.kind == kind] for kind in ItemKind.values}
    headings = {
        kind: f"{NUMERALS[index]}. {label.upper()}"
        for index, (kind, label) in enumerate(ItemKind.choices)
    }
    context = layout(
        by.header,
        number=plan.number,
        place_date=place_and_date(unit.name, plan.issued_on, plan.year),
        title=_("Kế hoạch"),
        subject=_subject(plan),
        recipients=by.recipients,
        signature=by.signature,
    )
    context.update(
        {
            "grounds": _grounds(plan),
            "opening": _(
                "%(issuer)s xây dựng kế hoạch thực hiện nhiệm vụ năm %(year)s với các nội dung "
                "chủ yếu như sau:"
            )
            % {"issuer": by.name, "year": plan.year},
            "key_tasks": {
                "heading": headings[ItemKind.KEY_TASK],
                "lines": _numbered(by_kind[ItemKind.KEY_TASK]),
            },
            "targets": {
                "heading": headings[ItemKind.TARGET],
                "baseline_label": _("Năm %(year)s") % {"year": plan.year - 1},
                "value_label": _("Chỉ tiêu năm %(year)s") % {"year": plan.year},
                "rows": [
                    _target_row(number, item)
                    for number, item in enumerate(by_kind[ItemKind.TARGET], start=1)
                ],
            },
            "breakthroughs": {
                "heading": headings[ItemKind.BREAKTHROUGH],
                "lines": _numbered(by_kind[ItemKind.BREAKTHROUGH]),
            },
            "solutions": {
                "heading": headings[ItemKind.SOLUTION],
                "lines": _numbered(by_kind[ItemKind.SOLUTION]),
            },
        }
    )
    return context


def plan_filename(plan: CommunePlan, extension: str) -> str:
    """ke-hoach-05-kh-du-my-quy-2023.docx"""
    return filename(_("Kế hoạch"), plan.number, plan.unit.name, str(plan.year), extension=extension)


def _paragraphs(text: str) -> list[Block]:
    """A narrative field as paragraphs, one a line typed; dots where nothing was typed."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [paragraph(line) for line in lines] or [paragraph("…")]


def _report_subject(plan: CommunePlan, period: Period) -> str:
    """ "Sơ kết 6 tháng đầu năm 2023 thực hiện Kế hoạch số 05-KH/ĐU", "Tổng kết …"."""
    plan_name = (
        _("Kế hoạch số %(number)s") % {"number": plan.number}
        if plan.number.strip()
        else _("Kế hoạch năm %(year)s") % {"year": plan.year}
    )
    label = period.label[:1].lower() + period.label[1:]
    if period.kind == PeriodKind.YEAR:
        return _("Tổng kết %(period)s thực hiện %(plan)s") % {"period": label, "plan": plan_name}
    if period.kind == PeriodKind.HALF:
        return _("Sơ kết %(period)s thực hiện %(plan)s") % {"period": label, "plan": plan_name}
    return _("Kết quả %(period)s thực hiện %(plan)s") % {"period": label, "plan": plan_name}


def _section(number: str, field: str) -> Block:
    """ "I. KẾT QUẢ ĐẠT ĐƯỢC": the report's own name for the field, in capitals."""
    return heading(f"{number}. {ProgressReport._meta.get_field(field).verbose_name.upper()}")


def report_context(report: ProgressReport, lines: list[TargetLine]) -> dict:
    """Everything both templates of a period report read: the layout, the four sections and,
    after the results, the targets table with each target's value and status at the end of
    the period. Reads the plan's unit and its parent, and the period: select them."""
    plan, period = report.plan, report.period
    by = issuer(plan)
    submitted = timezone.localdate(report.submitted_at) if report.submitted_at else None
    context = layout(
        by.header,
        number="",
        place_date=place_and_date(plan.unit.name, submitted, period.year),
        title=_("Báo cáo"),
        subject=_report_subject(plan, period),
        recipients=by.recipients,
        signature=by.signature,
    )
    context.update(
        {
            "results": [
                _section("I", "results"),
                *_paragraphs(report.results),
                heading(_("Kết quả thực hiện các chỉ tiêu chủ yếu:")),
            ],
            "targets": {
                "target_label": _("Chỉ tiêu năm %(year)s") % {"year": plan.year},
                "value_label": _("Thực hiện %(period)s") % {"period": period.label.lower()},
                "rows": [
                    {
                        "number": str(number),
                        "text": line.item.text.strip(),
                        "measure_unit": line.item.measure_unit,
                        "target": quantity(line.item.target_value),
                        "value": quantity(line.value) or "–",
                        "status": line.status_label,
                    }
                    for number, line in enumerate(lines, start=1)
                ],
            },
            "rest": [
                _section("II", "shortcomings"),
                *_paragraphs(report.shortcomings),
                _section("III", "causes"),
                *_paragraphs(report.causes),
                _section("IV", "next_tasks"),
                *_paragraphs(report.next_tasks),
            ],
        }
    )
    return context


def report_filename(report: ProgressReport, extension: str) -> str:
    """bao-cao-quy-i-2023-my-quy.pdf"""
    return filename(_("Báo cáo"), report.period.label, report.plan.unit.name, extension=extension)


def report_docx_template():
    """The shipped Word template of a period report (manage.py document_templates)."""
    from org import docx_layout as docx

    with docx.official_document() as document:
        docx.blocks(document, "results")
        docx.grid(
            document,
            [
                (_("STT"), 11),
                (_("Chỉ tiêu"), 66),
                (_("Đơn vị tính"), 20),
                ("{{ targets.target_label }}", 22),
                ("{{ targets.value_label }}", 24),
                (_("Đánh giá"), 22),
            ],
            "targets.rows",
            [
                "{{ row.number }}",
                "{{ row.text }}",
                "{{ row.measure_unit }}",
                "{{ row.target }}",
                "{{ row.value }}",
                "{{ row.status }}",
            ],
        )
        docx.blocks(document, "rest")
    return document


def docx_template():
    """The shipped Word template of the plan (manage.py document_templates writes it)."""
    from org import docx_layout as docx

    with docx.official_document() as document:
        docx.paragraphs(document, "grounds")
        docx.line(document, "{{ opening }}", align=docx.JUSTIFY, indent=True)
        for part in ("key_tasks", "targets", "breakthroughs", "solutions"):
            docx.heading(document, "{{ " + part + ".heading }}")
            if part == "targets":
                docx.grid(
                    document,
                    [
                        (_("STT"), 12),
                        (_("Chỉ tiêu"), 83),
                        (_("Đơn vị tính"), 24),
                        ("{{ targets.baseline_label }}", 20),
                        ("{{ targets.value_label }}", 26),
                    ],
                    "targets.rows",
                    [
                        "{{ row.number }}",
                        "{{ row.text }}",
                        "{{ row.measure_unit }}",
                        "{{ row.baseline }}",
                        "{{ row.value }}",
                    ],
                )
            else:
                docx.paragraphs(document, part + ".lines")
    return document
