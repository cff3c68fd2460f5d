"""Excel downloads of the plans pages: a plan, a period report, the commune list of a period,
the roll-up of a programme, the coverage of a year.

Each reads exactly what its page reads (the page's own context function), so the file holds
the page's numbers under the same permission checks.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from org import xlsx
from plans.imports import item_cells
from plans.models import ItemKind, ProgrammeItem
from plans.views.coverage import coverage_context
from plans.views.reports import _plan as visible_plan
from plans.views.reports import overview_context, progress_context, rollup_context


def _number(header: str, width: int = 12) -> xlsx.Column:
    return xlsx.Column(header, width, xlsx.DECIMAL)


def _percent(header: str) -> xlsx.Column:
    return xlsx.Column(header, 10, xlsx.PERCENT)


@require_safe
@login_required
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Every item of the plan in the document's order, targets with their numbers."""
    plan = visible_plan(request, pk)
    items = plan.items.select_related("field").prefetch_related(
        Prefetch("source_items", queryset=ProgrammeItem.objects.order_by("kind", "order"))
    )
    scope = [
        _("Đơn vị: %(unit)s") % {"unit": plan.unit.full_name},
        _("Năm: %(year)s") % {"year": plan.year},
        _("Số: %(number)s") % {"number": plan.number or "–"},
        _("Tình trạng: %(status)s · phiên bản %(version)s")
        % {"status": plan.get_status_display(), "version": plan.version},
        xlsx.made_on(),
    ]
    columns = (
        xlsx.Column(_("Loại"), 20),
        xlsx.Column(_("STT"), 6, xlsx.INTEGER),
        xlsx.Column(_("Lĩnh vực"), 20),
        xlsx.Column(_("Nội dung"), 70),
        xlsx.Column(_("Đơn vị tính"), 12),
        _number(_("Giá trị đầu kỳ")),
        _number(_("Giá trị chỉ tiêu")),
        xlsx.Column(_("Chiều đánh giá"), 14),
        xlsx.Column(_("Cách tính"), 14),
        _number(_("Quy mô")),
        xlsx.Column(_("Đơn vị chủ trì"), 24),
        xlsx.Column(_("Thời hạn"), 12, xlsx.DATE),
        xlsx.Column(_("Cụ thể hóa nội dung"), 20),
    )
    kinds = dict(ItemKind.choices)
    rows = (
        (
            kinds[item.kind],
            item.order,
            *item_cells(item),
            ", ".join(source.code or str(source.order) for source in item.source_items.all()),
        )
        for item in items
    )
    table = xlsx.Table(plan.title or _("Kế hoạch"), columns, rows, scope, sheet_name=_("Kế hoạch"))
    return xlsx.download(xlsx.filename("ke-hoach", plan.unit.short_name, plan.year), [table])


@require_safe
@login_required
def report_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The period shown on the progress page: its targets table, tasks and the four sections."""
    context = progress_context(request, pk)
    plan, period, report = context["plan"], context["period"], context["report"]
    if period is None:
        raise Http404
    scope = [
        _("Đơn vị: %(unit)s") % {"unit": plan.unit.full_name},
        _("Kỳ báo cáo: %(period)s") % {"period": period.label},
        _("Báo cáo: %(state)s")
        % {
            "state": report.get_status_display() if report else _("chưa có báo cáo"),
        },
        xlsx.made_on(),
    ]
    last_period = context["last_period"]
    targets = xlsx.Table(
        _("Kết quả thực hiện chỉ tiêu"),
        (
            xlsx.Column(_("STT"), 6, xlsx.INTEGER),
            xlsx.Column(_("Chỉ tiêu"), 60),
            xlsx.Column(_("Đơn vị tính"), 12),
            _number(_("Chỉ tiêu năm")),
            _number(_("Đạt được")),
            _percent(_("Tiến độ")),
            _percent(_("Cần đạt")),
            xlsx.Column(_("Đánh giá"), 18),
            _number(
                _("Cùng kỳ %(period)s") % {"period": last_period.label}
                if last_period
                else _("Cùng kỳ năm trước"),
                16,
            ),
        ),
        (
            (
                line.item.order,
                line.item.text,
                line.item.measure_unit,
                line.item.target_value,
                line.value,
                line.assessment.progress,
                line.assessment.expected,
                line.status_label,
                last.value if last else None,
            )
            for line, last in context["lines"]
        ),
        scope,
        sheet_name=_("Chỉ tiêu"),
    )
    tasks = xlsx.Table(
        _("Tình hình thực hiện nhiệm vụ"),
        (
            xlsx.Column(_("Loại"), 20),
            xlsx.Column(_("STT"), 6, xlsx.INTEGER),
            xlsx.Column(_("Nhiệm vụ"), 60),
            xlsx.Column(_("Tình hình"), 18),
            xlsx.Column(_("Ghi chú"), 40),
        ),
        (
            (
                task.item.get_kind_display(),
                task.item.order,
                task.item.text,
                task.get_state_display(),
                task.note,
            )
            for task in context["tasks"]
        ),
        scope,
        sheet_name=_("Nhiệm vụ"),
    )
    sections = xlsx.Table(
        _("Đánh giá chung"),
        (xlsx.Column(_("Mục"), 28), xlsx.Column(_("Nội dung"), 100)),
        [
            (_("Kết quả đạt được"), report.results if report else ""),
            (_("Tồn tại, hạn chế"), report.shortcomings if report else ""),
            (_("Nguyên nhân"), report.causes if report else ""),
            (_("Nhiệm vụ, giải pháp kỳ tới"), report.next_tasks if report else ""),
        ],
        scope,
        sheet_name=_("Đánh giá"),
    )
    name = xlsx.filename("bao-cao", plan.unit.short_name, period.label)
    return xlsx.download(name, [targets, tasks, sections])


@require_safe
@login_required
def overview_export(request: HttpRequest) -> HttpResponse:
    """The communes of the period: who reported on time, late or not at all, with targets by
    status (those of a sent report)."""
    context = overview_context(request)
    period = context["period"]
    if period is None:
        raise Http404
    supervisor = context["supervisor"]
    scope = [
        _("Kỳ báo cáo: %(period)s") % {"period": period.label},
        *([_("Đơn vị: %(unit)s") % {"unit": supervisor.full_name}] if supervisor else []),
        xlsx.made_on(),
    ]
    columns = (
        xlsx.Column(_("Mã đơn vị"), 10),
        xlsx.Column(_("Đơn vị"), 28),
        xlsx.Column(_("Trực thuộc"), 24),
        xlsx.Column(_("Báo cáo"), 24),
        xlsx.Column(_("Gửi lúc"), 16, xlsx.DATE),
        xlsx.Column(_("Đạt"), 8, xlsx.INTEGER),
        xlsx.Column(_("Đúng tiến độ"), 10, xlsx.INTEGER),
        xlsx.Column(_("Có nguy cơ"), 10, xlsx.INTEGER),
        xlsx.Column(_("Chậm"), 8, xlsx.INTEGER),
        xlsx.Column(_("Chưa có số liệu"), 10, xlsx.INTEGER),
    )

    def row(entry) -> tuple:
        unit, summary = entry["unit"], entry["summary"]
        sent = summary is not None and summary.submitted_at is not None
        counts = (
            (
                summary.targets_achieved,
                summary.targets_on_track,
                summary.targets_at_risk,
                summary.targets_behind,
                summary.targets_no_data,
            )
            if sent
            else (None,) * 5
        )
        state = entry["state"][1]
        submitted = timezone.localdate(summary.submitted_at) if sent else None
        parent = unit.parent.full_name if unit.parent else ""
        return (unit.code, unit.display_name, parent, state, submitted, *counts)

    table = xlsx.Table(
        _("Tình hình báo cáo các đơn vị"),
        columns,
        (row(entry) for entry in context["rows"]),
        scope,
        sheet_name=_("Báo cáo"),
    )
    return xlsx.download(xlsx.filename("tinh-hinh-bao-cao", period.label), [table])


@require_safe
@login_required
def rollup_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Each district target beside its communes combined, then each commune's line."""
    context = rollup_context(request, pk)
    programme, period = context["programme"], context["period"]
    scope = [
        _("Văn bản: %(number)s · %(unit)s")
        % {"number": programme.number, "unit": programme.unit.full_name},
        _("Kỳ báo cáo: %(period)s") % {"period": period.label if period else "–"},
        xlsx.made_on(),
    ]
    rules = {"sum": _("cộng các xã")}
    lines = context["lines"]
    totals = xlsx.Table(
        _("Tổng hợp kết quả các xã"),
        (
            xlsx.Column(_("Mã"), 8),
            xlsx.Column(_("Chỉ tiêu"), 60),
            xlsx.Column(_("Đơn vị tính"), 12),
            _number(_("Chỉ tiêu của huyện")),
            _number(_("Đã phân bổ")),
            _number(_("Chỉ tiêu các xã")),
            _number(_("Kết quả các xã")),
            xlsx.Column(_("Cách tổng hợp"), 22),
            xlsx.Column(_("Số xã cụ thể hóa"), 10, xlsx.INTEGER),
            xlsx.Column(_("Số xã cần chú ý"), 10, xlsx.INTEGER),
        ),
        (
            (
                line.item.code,
                line.item.text,
                line.item.measure_unit,
                line.item.value,
                line.allocated,
                line.planned,
                line.reported,
                rules.get(
                    line.rule,
                    _("bình quân gia quyền") if line.weighted else _("bình quân giản đơn"),
                ),
                len(line.communes),
                len(line.attention),
            )
            for line in lines
        ),
        scope,
        sheet_name=_("Tổng hợp"),
    )
    communes = xlsx.Table(
        _("Kết quả từng xã"),
        (
            xlsx.Column(_("Mã"), 8),
            xlsx.Column(_("Chỉ tiêu của huyện"), 40),
            xlsx.Column(_("Đơn vị"), 24),
            xlsx.Column(_("Chỉ tiêu của xã"), 40),
            _number(_("Giá trị chỉ tiêu")),
            _number(_("Đạt được")),
            _percent(_("Tiến độ")),
            xlsx.Column(_("Đánh giá"), 18),
        ),
        (
            (
                line.item.code,
                line.item.text,
                commune.item.plan.unit.short_name,
                commune.item.text,
                commune.item.target_value,
                commune.value,
                commune.assessment.progress,
                commune.status_label,
            )
            for line in lines
            for commune in line.communes
        ),
        scope,
        sheet_name=_("Từng xã"),
    )
    name = xlsx.filename("tong-hop", programme.number, period.label if period else "")
    return xlsx.download(name, [totals, communes])


@require_safe
@login_required
def coverage_export(request: HttpRequest) -> HttpResponse:
    """Each programme item with the communes that took it up; the communes without a plan;
    the commune items tied to nothing."""
    context = coverage_context(request)
    year = context["year"]
    scope = [_("Năm: %(year)s") % {"year": year}, xlsx.made_on()]
    items = xlsx.Table(
        _("Mức độ cụ thể hóa năm %(year)s") % {"year": year},
        (
            xlsx.Column(_("Văn bản"), 18),
            xlsx.Column(_("Loại"), 20),
            xlsx.Column(_("Mã"), 8),
            xlsx.Column(_("Nội dung"), 60),
            xlsx.Column(_("Số xã cụ thể hóa"), 10, xlsx.INTEGER),
            xlsx.Column(_("Các xã"), 50),
        ),
        (
            (
                programme.number,
                section.label,
                item.code,
                item.text,
                len(item.communes),
                ", ".join(unit.short_name for unit in item.communes),
            )
            for programme in context["programmes"]
            for section in programme.sections
            for group in section.groups
            for item in group.items
        ),
        scope,
        sheet_name=_("Cụ thể hóa"),
    )
    unplanned = xlsx.Table(
        _("Chưa có kế hoạch"),
        (xlsx.Column(_("Mã đơn vị"), 10), xlsx.Column(_("Đơn vị"), 30)),
        ((unit.code, unit.display_name) for unit in context["unplanned"]),
        scope,
    )
    unlinked = xlsx.Table(
        _("Nội dung của xã chưa gắn với văn bản cấp trên"),
        (
            xlsx.Column(_("Đơn vị"), 28),
            xlsx.Column(_("Loại"), 20),
            xlsx.Column(_("STT"), 6, xlsx.INTEGER),
            xlsx.Column(_("Nội dung"), 70),
        ),
        (
            (item.plan.unit.full_name, item.get_kind_display(), item.order, item.text)
            for item in context["unlinked"]
        ),
        scope,
        sheet_name=_("Chưa gắn"),
    )
    return xlsx.download(xlsx.filename("cu-the-hoa", year), [items, unplanned, unlinked])
