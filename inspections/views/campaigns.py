"""Campaign pages: the list, one campaign with its delegations and rates, their editors."""

from __future__ import annotations

from functools import partial

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inspections import services
from inspections.forms import CampaignFindingForm, CampaignForm, DelegationForm
from inspections.models import Campaign, Delegation, Directive, FindingKind, Visit
from inspections.rates import Rates, rates, rates_by
from inspections.views.visits import add_errors, save_form
from org.models import Unit, User
from org.params import text_param
from org.rules import visible_units


def _may_view(request: HttpRequest) -> None:
    if not request.user.has_perm("inspections.view_campaigns"):
        raise PermissionDenied


@require_safe
@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    _may_view(request)
    campaigns = (
        Campaign.objects.visible_to(request.user)
        .select_related("unit")
        .annotate(delegation_count=Count("delegations", distinct=True))
        .annotate(visit_count=Count("visits", distinct=True))
        .order_by("-year", "title")
    )
    context = {
        "campaigns": campaigns,
        "may_create": request.user.has_perm("inspections.manage_campaign", request.user.unit),
    }
    return render(request, "inspections/campaign_list.html", context)


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    _may_view(request)
    return get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("unit"), pk=pk
    )


def _managed_campaign(request: HttpRequest, pk: int) -> Campaign:
    campaign = _campaign(request, pk)
    if not rules.has_perm("inspections.manage_campaign", request.user, campaign.unit):
        raise PermissionDenied
    return campaign


@require_safe
@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    return _render_campaign(request, campaign)


def _render_campaign(request, campaign, finding_form=None, status=200) -> HttpResponse:
    today = timezone.localdate()
    delegations = list(
        campaign.delegations.prefetch_related(
            Prefetch("units", queryset=Unit.objects.order_by("code")),
            Prefetch("members", queryset=User.objects.order_by("username")),
        )
    )
    # Rates count only the directives the user may see (an inspector's own communes).
    directives = Directive.objects.visible_to(request.user).filter(visit__campaign=campaign)
    by_delegation = rates_by(directives, "visit__delegation", today)
    by_unit = rates_by(directives, "unit", today)
    visible = set(
        visible_units(request.user)
        .filter(inspection_delegations__campaign=campaign)
        .values_list("pk", flat=True)
    )
    for delegation in delegations:
        delegation.rates = by_delegation.get(delegation.pk)
        # (unit, its rates or None, whether the user may open it)
        delegation.unit_rates = [
            (unit, by_unit.get(unit.pk, Rates()), unit.pk in visible)
            for unit in delegation.units.all()
        ]
    findings = list(campaign.findings.select_related("field"))
    may_manage = rules.has_perm("inspections.manage_campaign", request.user, campaign.unit)
    context = {
        "campaign": campaign,
        "delegations": delegations,
        "rates": rates(directives, today),
        "strengths": [f for f in findings if f.kind == FindingKind.STRENGTH],
        "shortcomings": [f for f in findings if f.kind != FindingKind.STRENGTH],
        "visits": Visit.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("host", "delegation")
        .order_by("date", "host__code"),
        "may_manage": may_manage,
        "finding_form": (finding_form or CampaignFindingForm()) if may_manage else None,
    }
    return render(request, "inspections/campaign_detail.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("inspections.manage_campaign", request.user.unit):
        raise PermissionDenied
    initial = {"year": timezone.localdate().year, "unit": request.user.unit_id}
    form = CampaignForm(request.POST or None, user=request.user, initial=initial)
    return _save_campaign(request, form, _("Đã tạo đợt kiểm tra."))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _managed_campaign(request, pk)
    form = CampaignForm(request.POST or None, user=request.user, instance=campaign)
    return _save_campaign(request, form, _("Đã lưu đợt kiểm tra."))


def _save_campaign(request: HttpRequest, form: CampaignForm, done: str) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.save_campaign(form.instance, by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(campaign)
    status = 400 if form.is_bound else 200
    return render(request, "inspections/campaign_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def delegation_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _managed_campaign(request, pk)
    form = DelegationForm(
        request.POST or None, campaign=campaign, member_query=_member_query(request)
    )
    return _save_delegation(request, campaign, form)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def delegation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = get_object_or_404(Delegation.objects.select_related("campaign"), pk=pk)
    campaign = _managed_campaign(request, delegation.campaign_id)
    form = DelegationForm(
        request.POST or None,
        campaign=campaign,
        instance=delegation,
        member_query=_member_query(request),
    )
    return _save_delegation(request, campaign, form)


# "Tìm" beside the members' search box posts the form back to offer the accounts found;
# nothing is saved and what was typed stays.
FIND_MEMBERS = "find-members"


def _member_query(request: HttpRequest) -> str:
    if request.method == "POST":
        return request.POST.get("member_q", "") if FIND_MEMBERS in request.POST else ""
    return text_param(request, "member_q")


def _save_delegation(request, campaign: Campaign, form: DelegationForm) -> HttpResponse:
    if request.method == "POST" and FIND_MEMBERS in request.POST:
        context = {"form": form.not_validated(), "campaign": campaign}
        return render(request, "inspections/delegation_form.html", context)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_delegation(
                form.instance,
                by=request.user,
                members=form.cleaned_data["members"],
                units=form.cleaned_data["units"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu đoàn công tác."))
            return redirect(campaign)
    status = 400 if form.is_bound else 200
    context = {"form": form, "campaign": campaign}
    return render(request, "inspections/delegation_form.html", context, status=status)


@require_POST
@login_required
def campaign_finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _managed_campaign(request, pk)
    form = CampaignFindingForm(request.POST)
    save = partial(services.add_campaign_finding, campaign, by=request.user)
    if save_form(request, form, save, _("Đã thêm nhận xét chung.")):
        return redirect(campaign)
    return _render_campaign(request, campaign, finding_form=form, status=400)
