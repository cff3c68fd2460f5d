"""New-rural (NTM) pages: the district board, a commune's page, assessment entry,
assignments, recognitions and goals; year-end ratings."""

from __future__ import annotations

from collections import Counter, defaultdict

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ntm import services
from ntm.distance import CriterionStatus, distance
from ntm.forms import (
    AssessmentForm,
    AssignmentForm,
    GoalForm,
    RatingForm,
    RecognitionForm,
    RoadmapForm,
    supervised_units,
)
from ntm.models import (
    Assessment,
    CriteriaSet,
    Criterion,
    CriterionTarget,
    Indicator,
    IndicatorResult,
    NtmAssignment,
    NtmGoal,
    Rating,
    RatingLevel,
    Recognition,
)
from org.models import Unit
from org.params import selected_year, year_param
from org.rules import is_admin, visible_units
from plans.forms import service_error
from plans.models import PlanItem


def _sets_for(year: int) -> list[CriteriaSet]:
    return list(
        CriteriaSet.objects.filter(valid_from__year__lte=year)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__year__gte=year))
        .order_by("level", "-valid_from")
    )


def _criteria(criteria_set: CriteriaSet) -> tuple[list[Criterion], dict[int, list[Indicator]]]:
    criteria = list(criteria_set.criteria.select_related("group").order_by("number"))
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(criterion__criteria_set=criteria_set):
        indicators[indicator.criterion_id].append(indicator)
    return criteria, indicators


def _results(assessments: list[Assessment]) -> dict[int, dict[int, IndicatorResult]]:
    by_assessment: dict[int, dict[int, IndicatorResult]] = defaultdict(dict)
    for result in IndicatorResult.objects.filter(assessment__in=assessments):
        by_assessment[result.assessment_id][result.indicator_id] = result
    return by_assessment


@require_safe
@login_required
def ntm_board(request: HttpRequest) -> HttpResponse:
    """Communes × criteria of one set for a year; assigned communes and their distance;
    the goal against assignments and recognitions."""
    if not request.user.has_perm("ntm.view_ntm"):
        raise PermissionDenied
    year = year_param(request) or timezone.localdate().year
    units = visible_units(request.user).planning().valid_in_year(year)
    assessments_of_year = Assessment.objects.filter(unit__in=units, year=year)
    if is_admin(request.user) and request.user.unit_id is None:
        # Everything is in scope: show the communes with something to show for the year.
        units = units.filter(
            Q(pk__in=assessments_of_year.values("unit"))
            | Q(pk__in=NtmAssignment.objects.filter(year=year).values("unit"))
        )
    units = list(units.select_related("parent").order_by("code"))
    sets = _sets_for(year)
    chosen = request.GET.get("set", "")
    counts = Counter(assessments_of_year.values_list("criteria_set__code", flat=True))
    criteria_set = next((s for s in sets if s.code == chosen), None) or next(
        (s for s in sets if s.code == (counts.most_common(1) or [("", 0)])[0][0]),
        sets[0] if sets else None,
    )
    rows, criteria = [], []
    assignments = list(
        NtmAssignment.objects.filter(unit__in=units, year=year).order_by("unit__code")
    )
    recognitions = list(Recognition.objects.filter(unit__in=units, year=year))
    if criteria_set is not None:
        criteria, indicators = _criteria(criteria_set)
        assessments = list(
            Assessment.objects.filter(unit__in=units, year=year, criteria_set=criteria_set)
        )
        results = _results(assessments)
        by_unit = {a.unit_id: a for a in assessments}
        assigned = defaultdict(list)
        for assignment in assignments:
            assigned[assignment.unit_id].append(assignment)
        recognized = {r.unit_id: r for r in recognitions}
        for unit in units:
            assessment = by_unit.get(unit.pk)
            gap = (
                distance(criteria, indicators, results[assessment.pk], assessment.region)
                if assessment
                else None
            )
            rows.append(
                {
                    "unit": unit,
                    "assessment": assessment,
                    "distance": gap,
                    "cells": [(c, gap.statuses[c.pk] if gap else None) for c in criteria],
                    "assignments": assigned.get(unit.pk, []),
                    "recognition": recognized.get(unit.pk),
                }
            )
    goals = list(
        NtmGoal.objects.filter(year=year, unit__in=visible_units(request.user)).select_related(
            "unit"
        )
    )
    for goal in goals:
        goal.assigned = sum(1 for a in assignments if a.level == goal.level)
        goal.achieved = sum(1 for r in recognitions if r.level == goal.level)
    context = {
        "year": year,
        "sets": sets,
        "criteria_set": criteria_set,
        "criteria": criteria,
        "rows": rows,
        "assigned_rows": [row for row in rows if row["assignments"]],
        "goals": goals,
        "statuses": CriterionStatus,
        "may_set_goal": request.user.unit_id is not None
        and request.user.has_perm("ntm.manage_ntm", request.user.unit),
    }
    return render(request, "ntm/board.html", context)


def _unit(request: HttpRequest, pk: int) -> Unit:
    return get_object_or_404(visible_units(request.user).select_related("parent"), pk=pk)


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
    chosen = request.GET.get("set", "")
    assessment = next((a for a in of_year if a.criteria_set.code == chosen), None) or next(
        iter(of_year), None
    )
    lines, gap = [], None
    if assessment is not None:
        criteria, indicators = _criteria(assessment.criteria_set)
        results = _results([assessment])[assessment.pk]
        gap = distance(criteria, indicators, results, assessment.region)
        roadmap = dict(
            CriterionTarget.objects.filter(unit=unit, criterion__in=criteria).values_list(
                "criterion_id", "year"
            )
        )
        served: dict[int, list[PlanItem]] = defaultdict(list)
        through = Criterion.plan_items.through.objects.filter(
            criterion__in=criteria, planitem__plan__unit=unit
        ).select_related("planitem__plan")
        for link in through:
            served[link.criterion_id].append(link.planitem)
        for criterion in criteria:
            lines.append(
                {
                    "criterion": criterion,
                    "status": gap.statuses[criterion.pk],
                    "indicators": [
                        (i, results.get(i.pk)) for i in indicators.get(criterion.pk, [])
                    ],
                    "roadmap": roadmap.get(criterion.pk),
                    "targets": served.get(criterion.pk, []),
                }
            )
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
        "sets": _sets_for(year),
        "may_self_assess": rules.has_perm("ntm.self_assess_ntm", request.user, unit),
        "may_appraise": rules.has_perm("ntm.appraise_ntm", request.user, unit),
        "may_manage": rules.has_perm("ntm.manage_ntm", request.user, unit.parent),
    }
    return render(request, "ntm/unit.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def ntm_assess(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter one column of a commune's assessment: its own or the district's appraisal."""
    unit = _unit(request, pk)
    side = request.GET.get("side", "self")
    if side not in services.SIDES:
        raise Http404
    permission = "ntm.self_assess_ntm" if side == "self" else "ntm.appraise_ntm"
    if not rules.has_perm(permission, request.user, unit):
        raise PermissionDenied
    year = year_param(request) or timezone.localdate().year
    criteria_set = get_object_or_404(
        CriteriaSet.objects.filter(pk__in=[s.pk for s in _sets_for(year)]),
        code=request.GET.get("set", ""),
    )
    criteria, indicators = _criteria(criteria_set)
    ordered = [i for c in criteria for i in indicators.get(c.pk, [])]
    assessment = Assessment.objects.filter(unit=unit, criteria_set=criteria_set, year=year).first()
    results = _results([assessment])[assessment.pk] if assessment else {}
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        indicators=ordered,
        side=side,
        results=results,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_assessment(
                unit, criteria_set, year, by=request.user, side=side, answers=form.answers()
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
    }
    status = 400 if form.is_bound else 200
    return render(request, "ntm/assess.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def ntm_roadmap(request: HttpRequest, pk: int) -> HttpResponse:
    """The year the commune plans to meet each criterion of a set."""
    unit = _unit(request, pk)
    if not rules.has_perm("ntm.self_assess_ntm", request.user, unit):
        raise PermissionDenied
    criteria_set = get_object_or_404(CriteriaSet, code=request.GET.get("set", ""))
    criteria = list(criteria_set.criteria.order_by("number"))
    planned = dict(
        CriterionTarget.objects.filter(unit=unit, criterion__in=criteria).values_list(
            "criterion_id", "year"
        )
    )
    form = RoadmapForm(request.POST or None, criteria=criteria, planned=planned)
    if request.method == "POST" and form.is_valid():
        services.save_roadmap(unit, criteria_set, by=request.user, years=form.years())
        messages.success(request, _("Đã lưu lộ trình."))
        return redirect(f"{reverse('ntm:unit', args=[unit.pk])}?set={criteria_set.code}")
    status = 400 if form.is_bound else 200
    context = {"unit": unit, "form": form, "title": _("Lộ trình đạt tiêu chí")}
    return render(request, "ntm/form.html", context, status=status)


def _small_form(request, unit, form, save, done: str, title: str) -> HttpResponse:
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
    context = {
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
    return render(request, "ntm/rating_list.html", context)


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
