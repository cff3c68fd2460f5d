"""Leaders' pages: the district dashboard, the province view above it, one commune's page,
and the minimal signed-in page the benchmark compares them with."""

from __future__ import annotations

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from org import xlsx
from org.models import PLANNING_KINDS, Cluster, Field, Unit
from org.params import chosen_year, parse_id, selected_year
from org.rules import is_inspector, visible_units
from plans.models import CommunePlan, Period, PeriodKind
from portal import dashboards, pagecache


@require_safe
@login_required
def ping(request: HttpRequest) -> HttpResponse:
    """The smallest signed-in page: session, user and a template, nothing else."""
    return render(request, "portal/ping.html")


def _may_view(request: HttpRequest) -> None:
    if not rules.has_perm("plans.view_coverage", request.user):
        raise PermissionDenied


# What the dashboard reads from its query string (the page cache keys on these alone).
DASHBOARD_PARAMETERS = ("unit", "year", "period", "cluster", "field", "sort")


def _supervisor(request: HttpRequest) -> Unit:
    """The unit whose communes are shown: ?unit= within the user's scope, else their own."""
    raw = request.GET.get("unit", "")
    scope = visible_units(request.user).exclude(kind__in=PLANNING_KINDS)
    if raw:
        return get_object_or_404(scope, pk=parse_id(raw) or 0)
    if request.user.unit_id is not None and request.user.unit.kind not in PLANNING_KINDS:
        return request.user.unit  # the office's own unit (an inspector's: their district)
    unit = scope.filter(parent__isnull=True).order_by("code").first()
    if unit is None:
        raise Http404
    return unit


def _year(request: HttpRequest, supervisor: Unit) -> int:
    """?year= or the year chosen last, else the latest year any commune under the unit has a
    plan for, else this year: a leader never opens on an empty calendar year while earlier
    years hold the work. (The page cache keys on the year chosen, see `pagecache.cache_key`.)"""
    year = chosen_year(request)
    if year is not None:
        return year
    latest = (
        CommunePlan.objects.filter(unit__in=Unit.objects.within(supervisor).planning())
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or timezone.localdate().year


def _period(request: HttpRequest, units: list[Unit], year: int) -> Period | None:
    raw = request.GET.get("period", "")
    if pk := parse_id(raw):
        period = Period.objects.filter(pk=pk, year=year).first()
        if period is not None:
            return period
    return dashboards.default_period(units, year)


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """One row per commune under a unit: targets by status, tasks, report on time, open and
    overdue directives, NTM criteria met and level assigned, rating; clusters ranked; charts
    with a table fallback; what needs attention."""
    _may_view(request)
    supervisor = _supervisor(request)
    year = _year(request, supervisor)
    # Within the unit and within the user's scope (an inspector: their delegation's communes).
    communes = visible_units(request.user).within(supervisor).planning().valid_in_year(year)
    # An inspector sees their delegation's communes: their entry is shared only by the same
    # set of communes. Anyone else who may open the unit sees all of it (visible_units(user)
    # holds the supervisor, hence everything below it): one entry per unit.
    inspector = is_inspector(request.user)
    parts = pagecache.cached_parts(
        request,
        "dashboard:units" if inspector else "dashboard:unit",
        supervisor,
        lambda: _dashboard_context(request, supervisor, year, communes),
        {"header": "portal/_dashboard_header.html", "content": "portal/_dashboard_content.html"},
        reads=DASHBOARD_PARAMETERS,
        scope=communes.values_list("pk", flat=True) if inspector else None,
    )
    context = {"supervisor": supervisor, "year": year, "parts": parts}
    return render(request, "portal/dashboard.html", context)


def _dashboard_context(request: HttpRequest, supervisor: Unit, year: int, communes) -> dict:
    clusters = list(Cluster.objects.filter(unit=supervisor, year=year).order_by("name"))
    cluster = next((c for c in clusters if str(c.pk) == request.GET.get("cluster")), None)
    if cluster is not None:
        communes = communes.filter(cluster_memberships=cluster)
    fields = list(Field.objects.filter(parent__isnull=True).order_by("order", "name"))
    chosen_field = next((f for f in fields if f.code == request.GET.get("field")), None)
    units = list(communes.order_by("code"))
    period = _period(request, units, year)
    today = timezone.localdate()
    rows = dashboards.commune_rows(units, year, period, today)
    if chosen_field is not None:
        # Directives of the field only; targets are counted by the plan's maintained summary.
        dashboards.restrict_directives(rows, units, chosen_field, today)
    trend = dashboards.trend(units, year)
    quarters = dashboards.trend(units, year, PeriodKind.QUARTER)
    previous = dashboards.compare_with_last_year(rows, period) if period else None
    sort = request.GET.get("sort", "lagging")
    sort = sort if sort in dashboards.SORTS else "lagging"
    rows.sort(key=dashboards.SORTS[sort])
    no_plans = bool(rows) and not any(row.has_plan for row in rows)
    # With no approved plan anywhere that is said once, for the year; the communes listed
    # are those with something more to see to (directives overdue).
    attention = [row for row in rows if (row.directives_overdue if no_plans else row.reasons)]
    return {
        "supervisor": supervisor,
        "year": year,
        "period": period,
        "periods": list(Period.objects.filter(year=year).order_by("kind", "index")),
        "clusters": clusters,
        "cluster": cluster,
        "fields": fields,
        "chosen_field": chosen_field,
        "rows": rows,
        "sort": sort,
        "attention": attention,
        "no_plans": no_plans,
        "ranking": dashboards.cluster_ranking(rows),
        "statuses": dashboards.STATUS_FIELDS,
        "chart": dashboards.chart_data(rows, trend),
        "trend": dashboards.trend_table(trend),
        "trend_quarters": dashboards.trend_table(quarters, PeriodKind.QUARTER),
        "directive_trend": dashboards.directive_trend(units, year),
        "previous_period": previous,
    }


@require_safe
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """A province: its districts, each summed over its communes (before the 2025 reform), or
    its communes directly (after). An inspector sees only their delegations' communes, and
    their cached parts are shared only with readers of exactly those communes."""
    _may_view(request)
    province = _supervisor(request)
    year = _year(request, province)
    inspector = is_inspector(request.user)
    # Read once: the cache key and the page both need the inspector's communes.
    visible = (
        set(visible_units(request.user).planning().values_list("pk", flat=True))
        if inspector
        else None
    )
    parts = pagecache.cached_parts(
        request,
        "overview:units" if inspector else "overview",
        province,
        lambda: _overview_context(request, province, year, visible),
        {"header": "portal/_overview_header.html", "content": "portal/_overview_content.html"},
        reads=("unit", "year", "period"),
        scope=visible,
    )
    return render(request, "portal/overview.html", {"province": province, "parts": parts})


def _overview_context(
    request: HttpRequest, province: Unit, year: int, visible: set[int] | None
) -> dict:
    """`visible`, when given, limits the communes counted (an inspector's delegations)."""
    children = list(Unit.objects.filter(parent=province).valid_in_year(year).order_by("code"))
    communes = [
        child
        for child in children
        if child.kind in PLANNING_KINDS and (visible is None or child.pk in visible)
    ]
    districts = [child for child in children if child.kind not in PLANNING_KINDS]
    if visible is not None:
        with_visible = set(
            Unit.objects.filter(pk__in=visible, parent__in=districts).values_list(
                "parent", flat=True
            )
        )
        districts = [district for district in districts if district.pk in with_visible]
    period = _period(request, communes or list(Unit.objects.filter(parent__in=districts)), year)
    today = timezone.localdate()
    return {
        "province": province,
        "year": year,
        "period": period,
        "districts": dashboards.child_rows(districts, year, period, today, visible)
        if districts
        else [],
        "rows": dashboards.commune_rows(communes, year, period, today) if communes else [],
        "statuses": dashboards.STATUS_FIELDS,
    }


@require_safe
@login_required
def unit_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one commune on one screen: plan, progress, directives, NTM, rating,
    visits."""
    unit = get_object_or_404(visible_units(request.user).select_related("parent"), pk=pk)
    chosen_year(request)  # remembered even when the page comes from the cache
    parts = pagecache.cached_parts(
        request,
        "unit",
        unit,
        lambda: _unit_context(request, unit),
        {
            "title": "portal/_unit_title.html",
            "header": "portal/_unit_header.html",
            "content": "portal/_unit_content.html",
        },
        reads=("year",),
    )
    return render(request, "portal/unit.html", {"unit": unit, "parts": parts})


def _unit_context(request: HttpRequest, unit: Unit) -> dict:
    plans = list(
        CommunePlan.objects.filter(unit=unit).with_item_counts().order_by("-year", "-revision")
    )
    year = selected_year(request, [plan.year for plan in plans])
    today = timezone.localdate()
    progress = dashboards.unit_progress(unit, plans, year)
    latest = progress["latest"]
    row = dashboards.commune_rows([unit], year, latest.period if latest else None, today)[0]
    return {
        "unit": unit,
        "year": year,
        "years": sorted({p.year for p in plans}, reverse=True),
        **progress,
        "row": row,
        "previous_period": dashboards.compare_with_last_year([row], latest.period)
        if latest
        else None,
        **dashboards.unit_activity(unit, year, today),
        "statuses": dashboards.STATUS_FIELDS,
    }


def _scope_lines(context: dict) -> list[str]:
    lines = [
        _("Đơn vị: %(unit)s") % {"unit": context.get("supervisor", context.get("province"))},
        _("Năm: %(year)s") % {"year": context["year"]},
        _("Kỳ: %(period)s") % {"period": context["period"] or "–"},
    ]
    if context.get("cluster"):
        lines.append(_("Cụm: %(cluster)s") % {"cluster": context["cluster"].name})
    if context.get("chosen_field"):
        lines.append(_("Lĩnh vực (chỉ đạo): %(field)s") % {"field": context["chosen_field"].name})
    lines.append(xlsx.made_on())
    return lines


STATUS_COLUMNS = [
    xlsx.Column(str(label), 10, xlsx.INTEGER) for _name, _key, label in dashboards.STATUS_FIELDS
]


@require_safe
@login_required
def dashboard_export(request: HttpRequest) -> HttpResponse:
    """The dashboard's commune table, its attention list, cluster ranking and trends, as
    the page reads them (the same filters and order), never from the page cache."""
    _may_view(request)
    supervisor = _supervisor(request)
    year = _year(request, supervisor)
    communes = visible_units(request.user).within(supervisor).planning().valid_in_year(year)
    context = _dashboard_context(request, supervisor, year, communes)
    scope = _scope_lines(context)
    rows = xlsx.Table(
        _("Bảng điều hành"),
        [
            xlsx.Column(_("Mã đơn vị"), 10),
            xlsx.Column(_("Xã"), 26),
            xlsx.Column(_("Cụm"), 16),
            *STATUS_COLUMNS,
            xlsx.Column(_("Đạt, đúng tiến độ"), 10, xlsx.PERCENT),
            xlsx.Column(_("Cùng kỳ năm trước"), 10, xlsx.PERCENT),
            xlsx.Column(_("Nhiệm vụ xong"), 10, xlsx.INTEGER),
            xlsx.Column(_("Tổng nhiệm vụ"), 10, xlsx.INTEGER),
            xlsx.Column(_("Báo cáo"), 18),
            xlsx.Column(_("Chỉ đạo mở"), 10, xlsx.INTEGER),
            xlsx.Column(_("Chỉ đạo quá hạn"), 10, xlsx.INTEGER),
            xlsx.Column(_("Tiêu chí NTM đạt"), 10, xlsx.INTEGER),
            xlsx.Column(_("Tổng tiêu chí NTM"), 10, xlsx.INTEGER),
            xlsx.Column(_("Mức NTM"), 16),
            xlsx.Column(_("Xếp loại"), 20),
            xlsx.Column(_("Cần quan tâm"), 50),
        ],
        (
            (
                row.unit.code,
                row.unit.full_name,
                ", ".join(row.clusters),
                *(count for _key, _label, count in row.targets),
                row.good_share,
                row.last_good_share,
                row.summary.tasks_done if row.summary else None,
                row.tasks_total if row.summary else None,
                row.report_state[1],
                row.directives_open,
                row.directives_overdue,
                row.ntm_met,
                row.ntm_total,
                row.ntm_level,
                row.rating.get_level_display() if row.rating else "",
                "; ".join(str(reason) for reason in row.reasons),
            )
            for row in context["rows"]
        ),
        scope,
        sheet_name=_("Theo xã"),
    )
    ranking = xlsx.Table(
        _("Xếp hạng cụm"),
        [
            xlsx.Column(_("Cụm"), 24),
            xlsx.Column(_("Đạt, đúng tiến độ"), 12, xlsx.PERCENT),
            xlsx.Column(_("Số xã"), 8, xlsx.INTEGER),
        ],
        context["ranking"],
        scope,
        sheet_name=_("Cụm"),
    )
    trends = [
        xlsx.Table(
            title,
            [xlsx.Column(first, 14), *STATUS_COLUMNS],
            ((label, *counts) for label, counts in context[key]),
            scope,
            sheet_name=sheet,
        )
        for key, title, first, sheet in (
            ("trend", _("Diễn biến qua các tháng"), _("Tháng"), _("Theo tháng")),
            ("trend_quarters", _("Diễn biến qua các quý"), _("Quý"), _("Theo quý")),
        )
    ]
    directives = xlsx.Table(
        _("Chỉ đạo đến hạn theo tháng"),
        [
            xlsx.Column(_("Tháng"), 14),
            *(
                xlsx.Column(header, 12, xlsx.INTEGER)
                for header in (_("Đến hạn"), _("Xong đúng hạn"), _("Xong trễ hạn"), _("Chưa xong"))
            ),
        ],
        ((label, *counts) for label, counts in context["directive_trend"]),
        scope,
        sheet_name=_("Chỉ đạo"),
    )
    name = xlsx.filename("bang-dieu-hanh", supervisor.short_name, year)
    return xlsx.download(name, [rows, ranking, *trends, directives])


@require_safe
@login_required
def overview_export(request: HttpRequest) -> HttpResponse:
    """The province's districts (summed) and its own communes, as its overview reads them."""
    _may_view(request)
    province = _supervisor(request)
    year = _year(request, province)
    visible = (
        set(visible_units(request.user).planning().values_list("pk", flat=True))
        if is_inspector(request.user)
        else None
    )
    context = _overview_context(request, province, year, visible)
    scope = _scope_lines(context)
    districts = xlsx.Table(
        _("Tổng quan theo huyện"),
        [
            xlsx.Column(_("Huyện"), 26),
            xlsx.Column(_("Số xã"), 8, xlsx.INTEGER),
            xlsx.Column(_("Đã báo cáo"), 10, xlsx.INTEGER),
            xlsx.Column(_("Trễ hạn"), 10, xlsx.INTEGER),
            *STATUS_COLUMNS,
            xlsx.Column(_("Chỉ đạo mở"), 10, xlsx.INTEGER),
            xlsx.Column(_("Chỉ đạo quá hạn"), 10, xlsx.INTEGER),
        ],
        (
            (
                d["unit"].full_name,
                d["communes"],
                d.get("reported") or 0,
                d.get("late") or 0,
                *(count for _key, _label, count in d["targets"]),
                d.get("open") or 0,
                d.get("overdue") or 0,
            )
            for d in context["districts"]
        ),
        scope,
        sheet_name=_("Theo huyện"),
    )
    communes = xlsx.Table(
        _("Tổng quan theo xã"),
        [
            xlsx.Column(_("Mã đơn vị"), 10),
            xlsx.Column(_("Xã"), 26),
            *STATUS_COLUMNS,
            xlsx.Column(_("Báo cáo"), 18),
            xlsx.Column(_("Chỉ đạo mở"), 10, xlsx.INTEGER),
            xlsx.Column(_("Chỉ đạo quá hạn"), 10, xlsx.INTEGER),
            xlsx.Column(_("Tiêu chí NTM đạt"), 10, xlsx.INTEGER),
            xlsx.Column(_("Tổng tiêu chí NTM"), 10, xlsx.INTEGER),
        ],
        (
            (
                row.unit.code,
                row.unit.full_name,
                *(count for _key, _label, count in row.targets),
                row.report_state[1],
                row.directives_open,
                row.directives_overdue,
                row.ntm_met,
                row.ntm_total,
            )
            for row in context["rows"]
        ),
        scope,
        sheet_name=_("Theo xã"),
    )
    name = xlsx.filename("tong-quan", province.short_name, year)
    return xlsx.download(name, [districts, communes])
