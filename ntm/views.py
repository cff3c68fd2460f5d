"""New-rural (NTM) pages: the district board, a commune's page, assessment entry,
assignments, recognitions and goals; year-end ratings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ntm import services
from ntm.board import board_rows, goal_progress, shown_set
from ntm.commune import criterion_lines, planned_years, shown_assessment
from ntm.distance import CriterionStatus, regions
from ntm.forms import (
    AssessmentForm,
    AssignmentForm,
    GoalForm,
    RatingForm,
    RecognitionForm,
    RoadmapForm,
    supervised_units,
)
from ntm.loading import criteria_with_indicators, results_by_assessment, sets_in_force
from ntm.models import (
    Assessment,
    CriteriaSet,
    NtmAssignment,
    NtmGoal,
    Rating,
    RatingLevel,
    Recognition,
)
from org import xlsx
from org.evidence import evidence_for
from org.models import Unit, User
from org.params import selected_year, text_param, year_param
from org.rules import is_admin, visible_units
from plans.forms import service_error


def _board_units(user: User, year: int) -> tuple[list[Unit], QuerySet[Assessment]]:
    """The communes on the board, and the year's assessments of the communes in scope."""
    units = visible_units(user).planning().valid_in_year(year)
    assessments_of_year = Assessment.objects.filter(unit__in=units, year=year)
    if is_admin(user) and user.unit_id is None:
        # Everything is in scope: show the communes with something to show for the year.
        units = units.filter(
            Q(pk__in=assessments_of_year.values("unit"))
            | Q(pk__in=NtmAssignment.objects.filter(year=year).values("unit"))
        )
    return list(units.select_related("parent").order_by("code")), assessments_of_year


@require_safe
@login_required
def ntm_board(request: HttpRequest) -> HttpResponse:
    """Communes × criteria of one set for a year; assigned communes and their distance;
    the goal against assignments and recognitions."""
    return render(request, "ntm/board.html", _board(request))


def _board(request: HttpRequest) -> dict:
    """What the board and its Excel download read."""
    if not request.user.has_perm("ntm.view_ntm"):
        raise PermissionDenied
    year = year_param(request) or timezone.localdate().year
    units, assessments_of_year = _board_units(request.user, year)
    sets = sets_in_force(year)
    criteria_set = shown_set(sets, request.GET.get("set", ""), assessments_of_year)
    assignments = list(
        NtmAssignment.objects.filter(unit__in=units, year=year)
        .select_related("unit__parent")
        .order_by("unit__code")
    )
    recognitions = list(
        Recognition.objects.filter(unit__in=units, year=year).select_related("unit__parent")
    )
    criteria, rows = board_rows(units, year, criteria_set, assignments, recognitions)
    goals = NtmGoal.objects.filter(year=year, unit__in=visible_units(request.user))
    return {
        "year": year,
        "sets": sets,
        "criteria_set": criteria_set,
        "criteria": criteria,
        "rows": rows,
        "assigned_rows": [row for row in rows if row["assignments"]],
        "goals": goal_progress(goals.select_related("unit"), assignments, recognitions),
        "statuses": CriterionStatus,
        "may_set_goal": request.user.unit_id is not None
        and request.user.has_perm("ntm.manage_ntm", request.user.unit),
    }


def _unit(request: HttpRequest, pk: int) -> Unit:
    return get_object_or_404(visible_units(request.user).select_related("parent"), pk=pk)


def _unit_actions(user: User, unit: Unit) -> dict[str, bool]:
    """Which buttons a commune's page shows (the views behind them check again)."""
    return {
        "may_self_assess": rules.has_perm("ntm.self_assess_ntm", user, unit),
        "may_appraise": rules.has_perm("ntm.appraise_ntm", user, unit),
        "may_manage": rules.has_perm("ntm.manage_ntm", user, unit.parent),
    }


@require_safe
@login_required
def ntm_unit(request: HttpRequest, pk: int) -> HttpResponse:
    """One commune: assignments, recognitions, each criterion with the commune's and the
    district's columns, what is missing, the roadmap, the plan targets serving a criterion."""
    unit = _unit(request, pk)
    assessments = list(
        Assessment.objects.filter(unit=unit)
        .select_related("criteria_set", "self_by", "appraised_by")
        .order_by("-year", "criteria_set__level")
    )
    assignments = list(
        NtmAssignment.objects.filter(unit=unit).select_related("criteria_set").order_by("-year")
    )
    years = sorted({a.year for a in assessments} | {a.year for a in assignments}, reverse=True)
    year = selected_year(request, years)
    of_year = [a for a in assessments if a.year == year]
    assessment = shown_assessment(of_year, request.GET.get("set", ""))
    gap, lines = criterion_lines(unit, assessment)
    if assessment is not None:
        assessment.unit = unit  # loaded with its parent, which the evidence rules read
    ratings = list(Rating.objects.filter(unit=unit, year=year).order_by("organisation"))
    context = {
        "unit": unit,
        "year": year,
        "years": years,
        "assessment": assessment,
        "other_assessments": [a for a in of_year if a != assessment],
        "assignments": assignments,
        "recognitions": list(Recognition.objects.filter(unit=unit).order_by("-year")),
        "lines": lines,
        "distance": gap,
        "statuses": CriterionStatus,
        "ratings": ratings,
        "no_failed_rating": not any(r.level == RatingLevel.FAILED for r in ratings),
        "sets": sets_in_force(year),
        "evidence": evidence_for(request.user, assessment),
        **_unit_actions(request.user, unit),
    }
    return render(request, "ntm/unit.html", context)


def _side(request: HttpRequest, unit: Unit) -> str:
    """The column asked for (?side=), if the user may enter it for the commune."""
    side = request.GET.get("side", "self")
    if side not in services.SIDES:
        raise Http404
    permission = "ntm.self_assess_ntm" if side == "self" else "ntm.appraise_ntm"
    if not rules.has_perm(permission, request.user, unit):
        raise PermissionDenied
    return side


def _set_in_force(request: HttpRequest, year: int) -> CriteriaSet:
    """The set asked for (?set=), provided it is in force in the year."""
    return get_object_or_404(
        CriteriaSet.objects.filter(pk__in=[s.pk for s in sets_in_force(year)]),
        code=text_param(request, "set"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def ntm_assess(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter one column of a commune's assessment: its own or the district's appraisal."""
    unit = _unit(request, pk)
    side = _side(request, unit)
    year = year_param(request) or timezone.localdate().year
    criteria_set = _set_in_force(request, year)
    criteria, indicators = criteria_with_indicators(criteria_set)
    assessment = Assessment.objects.filter(unit=unit, criteria_set=criteria_set, year=year).first()
    set_regions = regions(i for each in indicators.values() for i in each)
    region = _region(request, unit, assessment, set_regions)
    form = AssessmentForm.for_set(
        request.POST if request.method == "POST" else None,
        criteria=criteria,
        indicators=indicators,
        side=side,
        results=results_by_assessment([assessment])[assessment.pk] if assessment else {},
        region=region,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_assessment(
                unit,
                criteria_set,
                year,
                by=request.user,
                side=side,
                answers=form.answers(),
                region=region if set_regions else None,
            )
        except ValidationError as error:
            form.add_error(None, service_error(error))
        else:
            messages.success(request, _("Đã lưu kết quả đánh giá."))
            url = reverse("ntm:unit", args=[unit.pk])
            return redirect(f"{url}?year={year}&set={criteria_set.code}")
    context = {
        "unit": unit,
        "year": year,
        "criteria_set": criteria_set,
        "side": side,
        "form": form,
        "groups": {c.pk: c for c in criteria},
        "regions": set_regions,
        "region": region,
    }
    status = 400 if form.is_bound else 200
    return render(request, "ntm/assess.html", context, status=status)


def _region(
    request: HttpRequest, unit: Unit, assessment: Assessment | None, known: list[str]
) -> str:
    """The commune's region or group whose thresholds apply: the one chosen on the page
    (?region=, or posted with the form), else the assessment's, else the commune's latest
    assessment's. Only a region the set distinguishes is taken."""
    if not known:
        return ""
    chosen = request.POST.get("region") if request.method == "POST" else request.GET.get("region")
    if chosen is None:
        chosen = assessment.region if assessment and assessment.region else ""
        if not chosen:
            latest = (
                Assessment.objects.filter(unit=unit)
                .exclude(region="")
                .order_by("-year")
                .values_list("region", flat=True)
                .first()
            )
            chosen = latest or ""
    return chosen if chosen in known else ""


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def ntm_roadmap(request: HttpRequest, pk: int) -> HttpResponse:
    """The year the commune plans to meet each criterion of a set."""
    unit = _unit(request, pk)
    if not rules.has_perm("ntm.self_assess_ntm", request.user, unit):
        raise PermissionDenied
    criteria_set = get_object_or_404(CriteriaSet, code=text_param(request, "set"))
    criteria = list(criteria_set.criteria.order_by("number"))
    planned = planned_years(unit, criteria)
    form = RoadmapForm(request.POST or None, criteria=criteria, planned=planned)
    if request.method == "POST" and form.is_valid():
        services.save_roadmap(unit, criteria_set, by=request.user, years=form.years())
        messages.success(request, _("Đã lưu lộ trình."))
        return redirect(f"{reverse('ntm:unit', args=[unit.pk])}?set={criteria_set.code}")
    status = 400 if form.is_bound else 200
    context = {"unit": unit, "form": form, "title": _("Lộ trình đạt tiêu chí")}
    return render(request, "ntm/form.html", context, status=status)


def _small_form(
    request: HttpRequest,
    unit: Unit | None,
    form: forms.Form,
    save: Callable[..., object],
    done: str,
    title: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, service_error(error))
        else:
            messages.success(request, done)
            if unit is None:
                return redirect(f"{reverse('ntm:board')}?year={form.cleaned_data['year']}")
            url = reverse("ntm:unit", args=[unit.pk])
            return redirect(f"{url}?year={form.cleaned_data['year']}")
    status = 400 if form.is_bound else 200
    context = {"unit": unit, "form": form, "title": title}
    return render(request, "ntm/form.html", context, status=status)


def _managed_unit(request: HttpRequest, pk: int) -> Unit:
    unit = _unit(request, pk)
    if not rules.has_perm("ntm.manage_ntm", request.user, unit.parent):
        raise PermissionDenied
    return unit


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def ntm_assign(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _managed_unit(request, pk)
    form = AssignmentForm(request.POST or None, initial={"year": timezone.localdate().year})
    return _small_form(
        request,
        unit,
        form,
        lambda **values: services.assign_ntm(unit, by=request.user, **values),
        _("Đã giao nhiệm vụ nông thôn mới."),
        _("Giao nhiệm vụ nông thôn mới"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def ntm_recognize(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _managed_unit(request, pk)
    form = RecognitionForm(request.POST or None, initial={"year": timezone.localdate().year})
    return _small_form(
        request,
        unit,
        form,
        lambda **values: services.record_recognition(unit, by=request.user, **values),
        _("Đã ghi nhận quyết định công nhận."),
        _("Quyết định công nhận đạt chuẩn"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def ntm_goal(request: HttpRequest) -> HttpResponse:
    unit = request.user.unit
    if unit is None or not request.user.has_perm("ntm.manage_ntm", unit):
        raise PermissionDenied
    form = GoalForm(request.POST or None, initial={"year": timezone.localdate().year})
    return _small_form(
        request,
        None,
        form,
        lambda **values: services.set_ntm_goal(unit, by=request.user, **values),
        _("Đã lưu mục tiêu."),
        _("Mục tiêu nông thôn mới của %(unit)s") % {"unit": unit.full_name},
    )


# --- ratings ---------------------------------------------------------------------------------


@require_safe
@login_required
def rating_list(request: HttpRequest) -> HttpResponse:
    """Ratings of the units in scope for a year, counts by level, and for each unit whether
    "no organisation rated Không hoàn thành nhiệm vụ" holds."""
    return render(request, "ntm/rating_list.html", _ratings(request))


def _ratings(request: HttpRequest) -> dict:
    """What the ratings page and its Excel download read."""
    years = list(
        Rating.objects.filter(unit__in=visible_units(request.user))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    year = selected_year(request, years)
    ratings = list(
        Rating.objects.filter(unit__in=visible_units(request.user), year=year)
        .select_related("unit")
        .order_by("unit__code", "organisation", "quarter")
    )
    by_unit: dict[Unit, list[Rating]] = defaultdict(list)
    for rating in ratings:
        by_unit[rating.unit].append(rating)
    return {
        "year": year,
        "years": years,
        "units": [
            (unit, rows, not any(r.level == RatingLevel.FAILED for r in rows))
            for unit, rows in by_unit.items()
        ],
        "counts": [
            (level, label, sum(1 for r in ratings if r.level == level))
            for level, label in RatingLevel.choices
        ],
        "may_rate": request.user.has_perm("ntm.rate_units", request.user.unit),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def rating_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    rating = None
    if pk is not None:
        rating = get_object_or_404(
            Rating.objects.filter(unit__in=visible_units(user)).select_related("unit"), pk=pk
        )
        if not rules.has_perm("ntm.rate_units", user, rating.unit):
            raise PermissionDenied
    elif not rules.has_perm("ntm.rate_units", user, user.unit):
        raise PermissionDenied
    units = supervised_units(None if is_admin(user) else user.unit)
    initial = {"year": timezone.localdate().year}
    form = RatingForm(request.POST or None, instance=rating, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_rating(form.instance, by=user)
        except ValidationError as error:
            form.add_error(None, service_error(error))
        else:
            messages.success(request, _("Đã lưu xếp loại."))
            return redirect(f"{reverse('ntm:rating-list')}?year={saved.year}")
    status = 400 if form.is_bound else 200
    return render(request, "ntm/rating_form.html", {"form": form, "rating": rating}, status=status)


def _missing(distance) -> str:
    """What the board says a commune lacks: the criteria, or that it lacks none."""
    if distance is None:
        return _("Chưa đánh giá")
    missing = "; ".join(f"{c.number}. {c.name}" for c in distance.missing)
    return missing or _("Đạt đủ tiêu chí")


@require_safe
@login_required
def ntm_board_export(request: HttpRequest) -> HttpResponse:
    """The board's communes × criteria (đạt / chưa đạt / chưa có số liệu), the communes
    assigned a level with what they lack, and the goals."""
    context = _board(request)
    year, criteria_set = context["year"], context["criteria_set"]
    scope = [
        _("Năm: %(year)s") % {"year": year},
        _("Bộ tiêu chí: %(set)s") % {"set": criteria_set or "–"},
        xlsx.made_on(),
    ]
    marks = {
        CriterionStatus.MET: _("Đạt"),
        CriterionStatus.NOT_MET: _("Chưa đạt"),
    }

    def mark(status: str | None) -> str:
        return marks.get(status, _("Chưa có số liệu")) if status else ""

    board = xlsx.Table(
        _("Tiêu chí nông thôn mới năm %(year)s") % {"year": year},
        [
            xlsx.Column(_("Mã đơn vị"), 10),
            xlsx.Column(_("Xã"), 26),
            *(xlsx.Column(f"{c.number}. {c.name}", 12) for c in context["criteria"]),
            xlsx.Column(_("Số tiêu chí đạt"), 10, xlsx.INTEGER),
            xlsx.Column(_("Tổng số tiêu chí"), 10, xlsx.INTEGER),
        ],
        (
            (
                row["unit"].code,
                row["unit"].full_name,
                *(mark(status) for _criterion, status in row["cells"]),
                row["distance"].met if row["distance"] else None,
                row["distance"].total if row["distance"] else None,
            )
            for row in context["rows"]
        ),
        scope,
        sheet_name=_("Bảng tiêu chí"),
    )
    assigned = xlsx.Table(
        _("Xã được giao phấn đấu đạt chuẩn"),
        [
            xlsx.Column(_("Xã"), 26),
            xlsx.Column(_("Mức được giao"), 20),
            xlsx.Column(_("Tiêu chí đạt"), 10, xlsx.INTEGER),
            xlsx.Column(_("Còn thiếu"), 60),
            xlsx.Column(_("Đã công nhận"), 10),
        ],
        (
            (
                row["unit"].full_name,
                ", ".join(a.get_level_display() for a in row["assignments"]),
                row["distance"].met if row["distance"] else None,
                _missing(row["distance"]),
                row["recognition"] is not None,
            )
            for row in context["assigned_rows"]
        ),
        scope,
        sheet_name=_("Được giao"),
    )
    goals = xlsx.Table(
        _("Mục tiêu"),
        [
            xlsx.Column(_("Đơn vị"), 26),
            xlsx.Column(_("Mức"), 20),
            xlsx.Column(_("Số xã phấn đấu đạt thêm"), 12, xlsx.INTEGER),
            xlsx.Column(_("Đã giao"), 10, xlsx.INTEGER),
            xlsx.Column(_("Đã công nhận"), 10, xlsx.INTEGER),
        ],
        (
            (g.unit.full_name, g.get_level_display(), g.count, g.assigned, g.achieved)
            for g in context["goals"]
        ),
        scope,
        sheet_name=_("Mục tiêu"),
    )
    return xlsx.download(xlsx.filename("nong-thon-moi", year), [board, assigned, goals])


@require_safe
@login_required
def rating_export(request: HttpRequest) -> HttpResponse:
    """The year's ratings, one row per organisation and period, with the counts by level."""
    context = _ratings(request)
    year = context["year"]
    scope = [_("Năm: %(year)s") % {"year": year}, xlsx.made_on()]
    ratings = xlsx.Table(
        _("Xếp loại năm %(year)s") % {"year": year},
        [
            xlsx.Column(_("Mã đơn vị"), 10),
            xlsx.Column(_("Đơn vị"), 26),
            xlsx.Column(_("Tổ chức"), 30),
            xlsx.Column(_("Kỳ"), 10),
            xlsx.Column(_("Mức xếp loại"), 26),
            xlsx.Column(_("Điểm"), 8, xlsx.DECIMAL),
            xlsx.Column(_("Không có tổ chức “Không hoàn thành”"), 14),
        ],
        (
            (
                unit.code,
                unit.full_name,
                r.organisation or unit.full_name,
                _("Quý %(n)s") % {"n": r.quarter} if r.quarter else _("Cả năm"),
                r.get_level_display(),
                r.score,
                _("Đạt") if clean else _("Không đạt"),
            )
            for unit, rows, clean in context["units"]
            for r in rows
        ),
        scope,
        sheet_name=_("Xếp loại"),
    )
    counts = xlsx.Table(
        _("Số đơn vị theo mức xếp loại"),
        [xlsx.Column(_("Mức xếp loại"), 30), xlsx.Column(_("Số lượng"), 10, xlsx.INTEGER)],
        ((label, n) for _level, label, n in context["counts"]),
        scope,
        sheet_name=_("Tổng hợp"),
    )
    return xlsx.download(xlsx.filename("xep-loai", year), [ratings, counts])
