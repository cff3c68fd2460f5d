"""Load the demo inspections from `data/demo/inspections.toml` (idempotent)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from inspections.models import (
    Campaign,
    Commitment,
    Delegation,
    Directive,
    DirectiveUpdate,
    Finding,
    FindingKind,
    Issuer,
    Visit,
)
from ntm.models import NtmAssignment
from org.models import Cluster, Field, Unit, User
from plans.models import CommunePlan
from portal.demo.reference import resolve_unit, upsert

FINDING_KEYS = {
    "strengths": FindingKind.STRENGTH,
    "shortcomings": FindingKind.SHORTCOMING,
    "obstacles": FindingKind.OBSTACLE,
    "next_tasks": FindingKind.NEXT_TASK,
}


def _day(value: datetime.date | str) -> datetime.date:
    """A date, or "today+N" for a deadline N days after today."""
    if isinstance(value, datetime.date):
        return value
    days = int(value.removeprefix("today+"))
    return timezone.localdate() + datetime.timedelta(days=days)


def _findings(owner: dict, row: dict) -> None:
    for key, kind in FINDING_KEYS.items():
        for order, text in enumerate(row.get(key, []), start=1):
            upsert(Finding, owner | {"kind": kind, "order": order}, {"text": text})


def load_inspections(data: dict) -> None:
    fields = {field.code: field for field in Field.objects.all()}
    campaigns, delegations = {}, {}
    for row in data["campaign"]:
        campaign = _campaign(row)
        campaigns[row["key"]] = campaign
        for team in row.get("delegation", []):
            delegations[(row["key"], team["name"])] = _delegation(campaign, team)
    for row in data["visit"]:
        host = resolve_unit(row["host"], row["date"])
        visit = _visit(
            row,
            host,
            campaigns.get(row.get("campaign")),
            delegations.get((row.get("campaign"), row.get("delegation"))),
        )
        _findings({"visit": visit, "campaign": None}, row)
        for text in row.get("commitments", []):
            upsert(Commitment, {"visit": visit, "text": text}, {"unit": host})
        _directives(visit, row.get("directive", []), fields)


def _campaign(row: dict) -> Campaign:
    """The campaign and its own conclusions (those not tied to one visit)."""
    day = _campaign_day(row["year"])
    campaign = upsert(
        Campaign,
        {"unit": resolve_unit(row["unit"], day), "year": row["year"], "title": row["title"]},
        {
            "decision": row.get("decision", ""),
            "starts_on": row.get("starts_on"),
            "ends_on": row.get("ends_on"),
            "summary": row.get("summary", ""),
        },
    )
    _findings({"campaign": campaign, "visit": None}, row)
    return campaign


def _campaign_day(year: int) -> datetime.date:
    # Mid-year: the units a campaign names are resolved as they stood then.
    return datetime.date(year, 6, 30)


def _delegation(campaign: Campaign, team: dict) -> Delegation:
    day = _campaign_day(campaign.year)
    delegation = upsert(
        Delegation,
        {"campaign": campaign, "name": team["name"]},
        {"head_role": team["head_role"], "member_roles": team.get("member_roles", "")},
    )
    delegation.units.set([resolve_unit(code, day) for code in team["units"]])
    delegation.members.set(User.objects.filter(username__in=team.get("members", [])))
    return delegation


def _visit(
    row: dict, host: Unit, campaign: Campaign | None, delegation: Delegation | None
) -> Visit:
    """The visit with the plans, attending units and NTM levels it dealt with."""
    cluster = None
    if "cluster" in row:
        cluster = Cluster.objects.get(members=host, year=row["date"].year, name=row["cluster"])
    visit = upsert(
        Visit,
        {"host": host, "date": row["date"], "kind": row["kind"]},
        {
            "campaign": campaign,
            "delegation": delegation,
            "part_of_day": row["part_of_day"],
            "cluster": cluster,
            "half": row.get("half"),
            "chair_role": row["chair_role"],
            "topic": row["topic"],
            "attendees": row.get("attendees", ""),
            "notice_number": row.get("notice_number", ""),
            "notice_place": row.get("notice_place", ""),
            "recipients": row.get("recipients", ""),
            "issuer": row.get("issuer", Issuer.PARTY),
            "signer_name": row.get("signer_name", ""),
        },
    )
    visit.plans.set(CommunePlan.objects.filter(unit=host, year=row["date"].year, revision=0))
    visit.attending.set([resolve_unit(code, row["date"]) for code in row.get("attending", [])])
    if assigned := row.get("ntm_assignments"):
        visit.ntm_assignments.set(
            NtmAssignment.objects.filter(
                unit__code__in=assigned["units"], year=assigned["year"], level=assigned["level"]
            )
        )
    return visit


def _directives(visit: Visit, rows: list[dict], fields: dict) -> None:
    verifier = User.objects.get(username="vanphong")
    reporter = User.objects.get(username="admin")
    units = [
        (row, resolve_unit(code, visit.date) if code else visit.host)
        for row in rows
        for code in row.get("units", [None])
    ]
    for order, (row, unit) in enumerate(units, start=1):
        completed_on = row.get("completed_on")
        directive = upsert(
            Directive,
            {"visit": visit, "order": order},
            {
                "unit": unit,
                "text": row["text"],
                "field": fields[row["field"]],
                "lead": row["lead"],
                "cooperating": row.get("cooperating", ""),
                "deadline": _day(row["deadline"]),
                "completed_on": completed_on,
                "verified_by": verifier if completed_on else None,
            },
        )
        if not directive.updates.exists():
            for text, proposed in row.get("updates", []):
                DirectiveUpdate.objects.create(
                    directive=directive, by=reporter, text=text, proposed=proposed
                )
