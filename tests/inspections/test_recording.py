"""Recording inspections: campaigns, delegations, visits, cluster conferences, the pack,
directive rates; the services and the pages, with who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspections import services
from inspections.models import (
    Campaign,
    Commitment,
    Delegation,
    Directive,
    Finding,
    FindingKind,
    Visit,
    VisitKind,
)
from inspections.rates import Rates, rates, rates_by
from org.models import Cluster, Role, Unit, User
from tests.builders import make_user

pytestmark = pytest.mark.django_db
D = datetime.date


def user(name: str) -> User:
    return User.objects.get(username=name)


def unit(code: str, year: int = 2023) -> Unit:
    return Unit.objects.valid_in_year(year).get(code=code)


def my_qui_visit() -> Visit:
    return Visit.objects.get(host__code="30055", date=D(2023, 2, 16))


def conference() -> Visit:
    return Visit.objects.get(kind=VisitKind.CLUSTER_CONFERENCE)


def visit_values(**extra) -> dict:
    return {
        "kind": VisitKind.PLAN_INSPECTION,
        "date": D(2023, 3, 1),
        "chair_role": "Trưởng đoàn",
        "topic": "Kiểm tra thực hiện kế hoạch",
    } | extra


# --- services -----------------------------------------------------------------------------


@pytest.mark.usefixtures("during_campaign_2023")
def test_an_inspector_records_a_visit_for_their_delegation() -> None:
    delegation = Delegation.objects.get(campaign__year=2023, name="Đoàn số 1")
    visit = services.record_visit(
        unit("30055"), by=user("kiemtra"), **visit_values(delegation=delegation)
    )
    assert visit.campaign == delegation.campaign  # derived from the delegation
    assert visit.history.first().history_user == user("kiemtra")


def test_a_delegation_must_cover_the_host() -> None:
    delegation = Delegation.objects.get(campaign__year=2022, name="Đoàn số 2")
    with pytest.raises(ValidationError) as error:
        services.record_visit(
            unit("30055", 2022),
            by=user("vanphong"),
            **visit_values(delegation=delegation, date=D(2022, 3, 1)),
        )
    assert "delegation" in error.value.error_dict


@pytest.mark.usefixtures("during_campaign_2023")
def test_a_visit_outside_the_campaign_year_is_refused() -> None:
    delegation = Delegation.objects.get(campaign__year=2022, name="Đoàn số 1")
    with pytest.raises(ValidationError) as error:
        services.record_visit(
            unit("30055"), by=user("vanphong"), **visit_values(delegation=delegation)
        )
    assert "date" in error.value.error_dict
    # and a member of that 2022 delegation has no power in 2023 at all
    with pytest.raises(PermissionDenied):
        services.record_visit(
            unit("30055"), by=user("kiemtra"), **visit_values(delegation=delegation)
        )


def test_a_cluster_conference_needs_its_cluster_and_half_year() -> None:
    office = user("vanphong")
    with pytest.raises(ValidationError):
        services.record_visit(
            unit("30055"), by=office, **visit_values(kind=VisitKind.CLUSTER_CONFERENCE)
        )
    cluster = Cluster.objects.get(name="Cụm 1", year=2022)
    with pytest.raises(ValidationError):  # a plain visit names no cluster
        services.record_visit(
            unit("30055", 2022), by=office, **visit_values(cluster=cluster, date=D(2022, 6, 1))
        )


def test_a_cluster_conference_gathers_only_its_members() -> None:
    office = user("vanphong")
    cluster = Cluster.objects.get(name="Cụm 1", year=2022)
    values = visit_values(
        kind=VisitKind.CLUSTER_CONFERENCE, cluster=cluster, half=1, date=D(2022, 6, 20)
    )
    outsider = unit("30046", 2022)  # Trường Xuân is in Cụm 3
    with pytest.raises(ValidationError) as error:
        services.record_visit(unit("30055", 2022), by=office, attending=[outsider], **values)
    assert "attending" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.record_visit(outsider, by=office, **values)
    assert "host" in error.value.error_dict
    visit = services.record_visit(
        unit("30055", 2022), by=office, attending=[unit("30037", 2022)], **values
    )
    assert list(visit.attending.all()) == [unit("30037", 2022)]
    # An attending commune gets its own directive; a commune that did not attend does not.
    directive = services.issue_directive(
        visit,
        by=office,
        text="x",
        lead="UBND xã",
        deadline=D(2022, 9, 30),
        unit=unit("30037", 2022),
    )
    assert directive.unit.code == "30037"
    with pytest.raises(ValidationError):
        services.issue_directive(
            visit, by=office, text="x", lead="UBND xã", deadline=D(2022, 9, 30), unit=outsider
        )


def test_the_seed_conference_is_a_cluster_conference() -> None:
    visit = conference()
    assert visit.cluster.name == "Cụm Trung tâm"
    assert visit.half == 1
    assert {u.name for u in visit.attending.all()} == {"Thọ Thanh", "Ngọc Phụng", "Thường Xuân"}
    assert visit.findings.filter(kind=FindingKind.SHORTCOMING).count() == 4
    assert visit.findings.filter(kind=FindingKind.NEXT_TASK).exists()
    assert visit.directives.count() == 4  # one per commune of the cluster


@pytest.mark.usefixtures("during_campaign_2023")
def test_update_visit_keeps_the_host_and_checks_scope() -> None:
    visit = my_qui_visit()
    services.update_visit(visit, by=user("kiemtra"), topic="Nội dung mới", attending=[])
    assert Visit.objects.get(pk=visit.pk).topic == "Nội dung mới"
    with pytest.raises(PermissionDenied):
        services.update_visit(visit, by=user("myqui"), topic="x")


def test_campaign_remarks_belong_to_the_office_that_runs_it() -> None:
    campaign = Campaign.objects.get(year=2022)
    finding = services.add_campaign_finding(
        campaign, by=user("vanphong"), kind=FindingKind.SHORTCOMING, text="Chậm báo cáo."
    )
    assert finding.visit is None and finding.campaign == campaign
    for name in ("kiemtra", "myqui", "lanhdao"):
        with pytest.raises(PermissionDenied):
            services.add_campaign_finding(
                campaign, by=user(name), kind=FindingKind.SHORTCOMING, text="x"
            )
    services.delete_finding(finding, by=user("vanphong"))
    assert not Finding.objects.filter(pk=finding.pk).exists()


@pytest.mark.usefixtures("during_campaign_2023")
def test_deleting_a_shortcoming_keeps_its_directive() -> None:
    visit = my_qui_visit()
    kiemtra = user("kiemtra")
    finding = services.add_finding(visit, by=kiemtra, kind=FindingKind.SHORTCOMING, text="Chậm.")
    directive = services.issue_directive(
        visit, by=kiemtra, text="", lead="UBND xã", deadline=D(2023, 4, 1), finding=finding
    )
    services.delete_finding(finding, by=kiemtra)
    directive.refresh_from_db()
    assert directive.finding is None and directive.text == "Chậm."


@pytest.mark.usefixtures("during_campaign_2023")
def test_a_directive_is_withdrawn_only_before_the_unit_reports() -> None:
    visit = my_qui_visit()
    kiemtra = user("kiemtra")
    directive = services.issue_directive(
        visit, by=kiemtra, text="Rà soát", lead="UBND xã", deadline=D(2023, 4, 1)
    )
    with pytest.raises(PermissionDenied):
        services.delete_directive(directive, by=user("myqui"))
    services.answer_directive(directive, by=user("myqui"), text="Đang rà soát")
    with pytest.raises(ValidationError):
        services.delete_directive(directive, by=kiemtra)
    other = services.issue_directive(
        visit, by=kiemtra, text="Bổ sung", lead="UBND xã", deadline=D(2023, 4, 1)
    )
    services.delete_directive(other, by=kiemtra)
    assert not Directive.objects.filter(pk=other.pk).exists()


@pytest.mark.usefixtures("during_campaign_2023")
def test_reopening_needs_a_reason_and_a_closed_directive() -> None:
    directive = my_qui_visit().directives.filter(completed_on__isnull=True).first()
    kiemtra = user("kiemtra")
    with pytest.raises(ValidationError):
        services.reopen_directive(directive, by=kiemtra, reason="Nhầm")
    services.close_directive(directive, by=kiemtra, completed_on=D(2023, 3, 1))
    with pytest.raises(ValidationError):
        services.reopen_directive(directive, by=kiemtra, reason="  ")
    with pytest.raises(PermissionDenied):
        services.reopen_directive(directive, by=user("myqui"), reason="Nhầm")


def test_a_delegation_inspects_only_units_under_the_campaign() -> None:
    campaign = Campaign.objects.get(year=2023)
    delegation = Delegation(campaign=campaign, name="Đoàn số 9", head_role="Phó Bí thư")
    cao_lãnh_commune = Visit.objects.get(host__code="30088").host
    with pytest.raises(ValidationError):
        services.save_delegation(delegation, by=user("vanphong"), units=[cao_lãnh_commune])
    with pytest.raises(PermissionDenied):
        services.save_delegation(delegation, by=user("kiemtra"), units=[unit("30055")])
    services.save_delegation(
        delegation, by=user("vanphong"), units=[unit("30055")], members=[user("kiemtra")]
    )
    assert delegation.units.get().code == "30055"


# --- rates --------------------------------------------------------------------------------


def test_rates_equal_classifying_each_directive() -> None:
    today = timezone.localdate()
    everything = Directive.objects.all()
    expected = Rates(
        **{
            c: sum(1 for d in everything if d.deadline_class(today) == c)
            for c in ("done_on_time", "done_late", "open_in_time", "open_overdue")
        }
    )
    assert rates(everything, today) == expected
    assert expected.total == everything.count() and all(n for _k, _l, n in expected.counts())
    per_unit = rates_by(everything, "unit", today)
    assert sum(r.total for r in per_unit.values()) == expected.total
    for unit_pk, unit_rates in per_unit.items():
        assert unit_rates == rates(everything.filter(unit=unit_pk), today)


@pytest.mark.parametrize(
    ("counts", "done_percent", "on_time_percent"),
    [
        ({}, None, None),
        ({"done_on_time": 1}, 100, 100),
        ({"done_on_time": 1, "done_late": 1, "open_overdue": 2}, 50, 25),
    ],
)
def test_rate_percentages(counts, done_percent, on_time_percent) -> None:
    assert Rates(**counts).done_percent == done_percent
    assert Rates(**counts).on_time_percent == on_time_percent


# --- pages --------------------------------------------------------------------------------


def urls() -> dict[str, str]:
    visit = my_qui_visit()
    campaign = Campaign.objects.get(year=2023)
    delegation = campaign.delegations.first()
    finding = visit.findings.first()
    commitment = Commitment.objects.create(visit=visit, unit=visit.host, text="Cam kết thử")
    directive = visit.directives.first()
    return {
        "visit-create": "/inspections/visits/new/",
        "visit-edit": f"/inspections/visits/{visit.pk}/edit/",
        "directive-create": f"/inspections/visits/{visit.pk}/directives/new/",
        "finding-delete": f"/inspections/findings/{finding.pk}/delete/",
        "commitment-delete": f"/inspections/commitments/{commitment.pk}/delete/",
        "directive-delete": f"/inspections/directives/{directive.pk}/delete/",
        "campaign-list": "/inspections/campaigns/",
        "campaign-detail": f"/inspections/campaigns/{campaign.pk}/",
        "campaign-create": "/inspections/campaigns/new/",
        "campaign-edit": f"/inspections/campaigns/{campaign.pk}/edit/",
        "delegation-create": f"/inspections/campaigns/{campaign.pk}/delegations/new/",
        "delegation-edit": f"/inspections/delegations/{delegation.pk}/edit/",
        "unit-pack": f"/inspections/units/{visit.host_id}/pack/",
    }


# GET status per user: the office records and manages; the inspector records for their
# delegation; the leader reads; the commune reads only its own pack.
MATRIX = {
    "visit-create": {"vanphong": 200, "kiemtra": 200, "lanhdao": 403, "myqui": 403},
    "visit-edit": {"vanphong": 200, "kiemtra": 200, "lanhdao": 403, "myqui": 403},
    "directive-create": {"vanphong": 200, "kiemtra": 200, "lanhdao": 403, "myqui": 403},
    "finding-delete": {"vanphong": 200, "kiemtra": 200, "lanhdao": 403, "myqui": 403},
    "commitment-delete": {"vanphong": 200, "kiemtra": 200, "lanhdao": 403, "myqui": 403},
    "directive-delete": {"vanphong": 200, "kiemtra": 200, "lanhdao": 403, "myqui": 403},
    "campaign-list": {"vanphong": 200, "kiemtra": 200, "lanhdao": 200, "myqui": 403},
    "campaign-detail": {"vanphong": 200, "kiemtra": 200, "lanhdao": 200, "myqui": 403},
    "campaign-create": {"vanphong": 200, "kiemtra": 403, "lanhdao": 403, "myqui": 403},
    "campaign-edit": {"vanphong": 200, "kiemtra": 403, "lanhdao": 403, "myqui": 403},
    "delegation-create": {"vanphong": 200, "kiemtra": 403, "lanhdao": 403, "myqui": 403},
    "delegation-edit": {"vanphong": 200, "kiemtra": 403, "lanhdao": 403, "myqui": 403},
    "unit-pack": {"vanphong": 200, "kiemtra": 200, "lanhdao": 200, "myqui": 200},
}


@pytest.mark.usefixtures("during_campaign_2023")
@pytest.mark.parametrize("username", ["vanphong", "kiemtra", "lanhdao", "myqui"])
def test_permission_matrix(login, username: str) -> None:
    client = login(username)
    for name, url in urls().items():
        assert client.get(url).status_code == MATRIX[name][username], (name, username)


# What the demo's inspector may do today, years after their delegations' campaigns.
WRITES = ("visit-create", "visit-edit", "directive-create", "finding-delete", "directive-delete")


def test_a_past_delegation_grants_nothing_today(login) -> None:
    """kiemtra's delegations are of 2022 and 2023: today none of them empowers."""
    client = login("kiemtra")
    pages = urls()
    for name in WRITES:
        assert client.get(pages[name]).status_code == 403, name
    visit = my_qui_visit()
    directive = visit.directives.filter(completed_on__isnull=True).first()
    kiemtra = user("kiemtra")
    assert not kiemtra.has_perm("inspections.record_visit", unit("30055"))
    assert not kiemtra.has_perm("inspections.record_visit", visit)
    assert not kiemtra.has_perm("inspections.verify_directive", directive)
    with pytest.raises(PermissionDenied):
        services.close_directive(directive, by=kiemtra, completed_on=D(2023, 3, 1))
    with pytest.raises(PermissionDenied):
        services.add_finding(visit, by=kiemtra, kind=FindingKind.SHORTCOMING, text="Chậm.")
    # what the delegation did stays readable: its record
    assert client.get(f"/inspections/visits/{visit.pk}/").status_code == 200
    assert client.get(f"/inspections/directives/{directive.pk}/").status_code == 200


@pytest.mark.usefixtures("during_campaign_2023")
def test_an_inspector_acts_only_for_their_delegation_of_the_campaign() -> None:
    """The 2023 delegation empowers kiemtra in 2023, for its visits and its communes only."""
    kiemtra = user("kiemtra")
    own = Delegation.objects.get(campaign__year=2023, members=kiemtra)
    other = make_user(own.campaign.unit, role=Role.INSPECTOR)
    theirs = Delegation.objects.create(campaign=own.campaign, name="Đoàn thử", head_role="X")
    theirs.units.set(own.units.all())
    theirs.members.set([other])
    host = own.units.order_by("code").first()
    # a visit of another delegation, to a unit both cover, is not kiemtra's
    visit = services.record_visit(host, by=other, **visit_values(delegation=theirs))
    assert not kiemtra.has_perm("inspections.record_visit", visit)
    with pytest.raises(PermissionDenied):
        services.add_finding(visit, by=kiemtra, kind=FindingKind.SHORTCOMING, text="Chậm.")
    # a visit naming no delegation, or moved to a delegation that is not theirs, is refused
    with pytest.raises(PermissionDenied):
        services.record_visit(host, by=kiemtra, **visit_values())
    mine = services.record_visit(host, by=kiemtra, **visit_values(delegation=own))
    with pytest.raises(PermissionDenied):
        services.update_visit(mine, by=kiemtra, delegation=theirs, attending=[])
    assert Visit.objects.get(pk=mine.pk).delegation == own


@pytest.mark.usefixtures("during_campaign_2023")
def test_the_visit_form_asks_an_inspector_for_their_delegation(login) -> None:
    client = login("kiemtra")
    page = client.get("/inspections/visits/new/")
    offered = list(page.context["form"].fields["delegation"].queryset)
    assert offered and all(d.campaign.year == 2023 for d in offered)
    hosts = set(page.context["form"].fields["host"].queryset.values_list("pk", flat=True))
    assert hosts == set(offered[0].units.values_list("pk", flat=True))
    data = visit_values(host=unit("30055").pk, date="2023-03-01")
    response = client.post("/inspections/visits/new/", data)
    assert response.status_code == 400
    assert "Hãy chọn đoàn công tác của đợt kiểm tra năm nay" in response.content.decode()


@pytest.mark.parametrize("username", ["kiemtra", "myqui", "phudien"])
def test_other_units_are_404_on_every_new_page(login, username: str) -> None:
    """Trường Xuân is outside kiemtra's delegation and outside both communes."""
    trường_xuân = Visit.objects.get(host__code="30046")
    client = login(username)
    finding = trường_xuân.findings.first()
    for url in (
        f"/inspections/visits/{trường_xuân.pk}/edit/",
        f"/inspections/visits/{trường_xuân.pk}/directives/new/",
        f"/inspections/units/{trường_xuân.host_id}/pack/",
        *([f"/inspections/findings/{finding.pk}/delete/"] if finding else []),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/inspections/visits/{trường_xuân.pk}/findings/",
        {"finding-kind": "shortcoming", "finding-text": "Không được ghi"},
    )
    assert response.status_code == 404
    assert not Finding.objects.filter(text="Không được ghi").exists()


@pytest.mark.usefixtures("during_campaign_2023")
def test_recording_a_visit_in_the_browser(login) -> None:
    client = login("kiemtra")
    delegation = Delegation.objects.get(campaign__year=2023, name="Đoàn số 1")
    mỹ_quí = unit("30055")
    data = {
        "kind": "plan_inspection",
        "host": mỹ_quí.pk,
        "delegation": delegation.pk,
        "date": "2023-03-02",
        "part_of_day": "morning",
        "chair_role": "Bí thư Huyện ủy",
        "topic": "Kiểm tra tiến độ quý I",
    }
    response = client.post("/inspections/visits/new/", data)
    assert response.status_code == 302
    visit = Visit.objects.get(topic="Kiểm tra tiến độ quý I")
    assert visit.campaign == delegation.campaign
    assert set(visit.plans.values_list("year", flat=True)) == {2023}  # the host's plans
    # A unit outside the delegation is not even offered.
    outside = client.post("/inspections/visits/new/", data | {"host": unit("30046").pk})
    assert outside.status_code == 400
    assert Visit.objects.filter(topic="Kiểm tra tiến độ quý I").count() == 1

    assert (
        client.post(
            f"/inspections/visits/{visit.pk}/findings/",
            {"finding-kind": "shortcoming", "finding-text": "Chưa có lộ trình NTM nâng cao."},
        ).status_code
        == 302
    )
    bad = client.post(
        f"/inspections/visits/{visit.pk}/findings/", {"finding-kind": "x", "finding-text": ""}
    )
    assert bad.status_code == 400
    finding = visit.findings.get()
    form = client.get(f"/inspections/visits/{visit.pk}/directives/new/?finding={finding.pk}")
    assert "Chưa có lộ trình NTM nâng cao." in form.content.decode()
    deadline = (visit.date + datetime.timedelta(days=30)).isoformat()
    response = client.post(
        f"/inspections/visits/{visit.pk}/directives/new/",
        {
            "finding": finding.pk,
            "text": "Xây dựng lộ trình NTM nâng cao.",
            "lead": "UBND xã",
            "deadline": deadline,
        },
    )
    directive = Directive.objects.get(finding=finding)
    assert response.url == directive.get_absolute_url()
    assert directive.deadline.isoformat() == deadline
    assert (
        client.post(
            f"/inspections/visits/{visit.pk}/commitments/",
            {"commitment-text": "Hoàn thành trong quý II"},
        ).status_code
        == 302
    )

    confirm = client.get(f"/inspections/findings/{finding.pk}/delete/")
    assert "Xác nhận xóa" in confirm.content.decode()
    assert Finding.objects.filter(pk=finding.pk).exists()  # GET deletes nothing
    client.post(f"/inspections/findings/{finding.pk}/delete/")
    assert not Finding.objects.filter(pk=finding.pk).exists()


def test_the_office_creates_a_campaign_and_its_delegation(login) -> None:
    client = login("vanphong")
    office_unit = user("vanphong").unit
    response = client.post(
        "/inspections/campaigns/new/",
        {"unit": office_unit.pk, "year": 2024, "title": "Kiểm tra năm 2024"},
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(title="Kiểm tra năm 2024")
    bad = client.post(
        "/inspections/campaigns/new/",
        {"unit": office_unit.pk, "year": 1999, "title": "x"},
    )
    assert bad.status_code == 400
    response = client.post(
        f"/inspections/campaigns/{campaign.pk}/delegations/new/",
        {"name": "Đoàn số 1", "head_role": "Bí thư", "units": [unit("30055", 2024).pk]},
    )
    assert response.status_code == 302
    duplicate = client.post(
        f"/inspections/campaigns/{campaign.pk}/delegations/new/",
        {"name": "Đoàn số 1", "head_role": "Bí thư", "units": [unit("30055", 2024).pk]},
    )
    assert duplicate.status_code == 400
    assert campaign.delegations.count() == 1


def test_the_pack_shows_the_plan_the_open_and_the_closed_directives(login) -> None:
    visit = my_qui_visit()
    response = login("kiemtra").get(f"/inspections/units/{visit.host_id}/pack/?year=2023")
    page = response.content.decode()
    assert response.context["plan"].year == 2023
    assert len(response.context["lines"]) == 13  # Mỹ Quí's 13 targets
    opened = response.context["open_directives"]
    closed = response.context["closed_directives"]
    assert len(opened) + len(closed) == visit.directives.count()
    assert all(d.completed_on is None for d in opened)
    assert all(d.completed_on is not None for d in closed)
    assert response.context["last_visit"] == visit
    assert "Kết luận buổi làm việc gần nhất" in page


def test_the_conference_page_shows_the_cluster(login) -> None:
    page = login("admin").get(conference().get_absolute_url()).content.decode()
    assert "Cụm Trung tâm" in page and "Thọ Thanh" in page
    assert "Nhiệm vụ thời gian tới" in page
    notice = login("admin").get(f"{conference().get_absolute_url()}notice/").content.decode()
    assert "hội nghị giao ban" in notice


def test_the_directive_list_filters_by_unit_in_scope(login) -> None:
    client = login("vanphong")
    mỹ_quí = unit("30055")
    page = client.get("/inspections/directives/", {"show": "all", "unit": mỹ_quí.pk})
    assert {d.unit_id for d in page.context["page"].object_list} == {mỹ_quí.pk}
    assert page.context["rates"].total == Directive.objects.filter(unit=mỹ_quí).count()
    cao_lãnh = Visit.objects.get(host__code="30088").host
    assert client.get("/inspections/directives/", {"unit": cao_lãnh.pk}).status_code == 404


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


# session and user, then: visits page (count, page); campaign list (one query with counts);
# campaign (campaign, delegations, units, members, rates ×3, units in scope, findings,
# visits);
# pack (unit, plans, report, targets, their results, last visit, directives, its findings,
# rates, commitments, delegation check); visit form (delegations, their chairs, clusters, hosts,
# attending);
# edit form (+ visit, plans of the host); directive form (visit, fields, plan items, [finding]);
# notice (visit with its campaign's unit, findings, directives); delegation (campaign, members,
# units, [its m2m ×2]).
QUERIES = {
    "visit-list": 4,
    "campaign-list": 3,
    "campaign-detail": 13,
    "unit-pack": 13,
    "visit-create": 7,
    "visit-edit": 11,
    "directive-create": 5,
    "directive-from-finding": 6,
    "notice": 5,
    "campaign-edit": 4,
    "delegation-create": 4,
    "delegation-edit": 8,
    "finding-delete": 4,
    "directive-delete": 5,
}


def test_query_counts_stay_fixed_as_directives_and_visits_grow(client) -> None:
    visit = my_qui_visit()
    office = make_user(visit.host.parent, role=Role.DISTRICT_STAFF)
    client.force_login(office)
    campaign = Campaign.objects.get(year=2023)
    pages = {
        "visit-list": "/inspections/visits/",
        "campaign-list": "/inspections/campaigns/",
        "campaign-detail": campaign.get_absolute_url(),
        "unit-pack": f"/inspections/units/{visit.host_id}/pack/",
        "visit-create": "/inspections/visits/new/",
        "visit-edit": f"/inspections/visits/{visit.pk}/edit/",
        "directive-create": f"/inspections/visits/{visit.pk}/directives/new/",
        "directive-from-finding": (
            f"/inspections/visits/{visit.pk}/directives/new/"
            f"?finding={visit.findings.get(kind='shortcoming').pk}"
        ),
        "notice": f"/inspections/visits/{visit.pk}/notice/",
        "campaign-edit": f"/inspections/campaigns/{campaign.pk}/edit/",
        "delegation-create": f"/inspections/campaigns/{campaign.pk}/delegations/new/",
        "delegation-edit": f"/inspections/delegations/{campaign.delegations.first().pk}/edit/",
        "finding-delete": f"/inspections/findings/{visit.findings.first().pk}/delete/",
        "directive-delete": f"/inspections/directives/{visit.directives.first().pk}/delete/",
    }
    before = {name: count(client, url) for name, url in pages.items()}
    for n in range(8):
        extra = Visit.objects.create(
            kind=VisitKind.PLAN_INSPECTION,
            campaign=campaign,
            host=visit.host,
            date=D(2023, 3, 1 + n),
            chair_role="Trưởng đoàn",
            topic=f"Buổi {n}",
        )
        Finding.objects.create(visit=extra, kind=FindingKind.SHORTCOMING, text=f"Hạn chế {n}")
        Directive.objects.create(
            visit=extra,
            unit=visit.host,
            text=f"Chỉ đạo {n}",
            lead="UBND xã",
            deadline=D(2023, 5, 1),
        )
        Commitment.objects.create(visit=extra, unit=visit.host, text=f"Cam kết {n}")
    after = {name: count(client, url) for name, url in pages.items()}
    assert before == after
    assert before == QUERIES


def test_a_visit_to_a_unit_that_no_longer_exists_is_refused() -> None:
    mỹ_quí = unit("30055")
    assert mỹ_quí.valid_to is not None  # merged in the 2025 reform
    with pytest.raises(ValidationError) as error:
        services.record_visit(
            mỹ_quí,
            by=user("vanphong"),
            **visit_values(date=mỹ_quí.valid_to + datetime.timedelta(days=1)),
        )
    assert "date" in error.value.error_dict


def test_the_delegation_form_offers_only_the_campaign_unit_s_accounts(login) -> None:
    from tests.builders import make_unit

    campaign = Campaign.objects.get(year=2022)
    elsewhere = make_user(make_unit(kind="province"), role=Role.INSPECTOR)
    client = login("vanphong")
    url = f"/inspections/campaigns/{campaign.pk}/delegations/new/"
    offered = client.get(url).context["form"].fields["members"].queryset
    assert elsewhere not in offered
    assert offered.filter(username="kiemtra").exists()
    within = set(Unit.objects.within(campaign.unit).values_list("pk", flat=True))
    assert all(account.unit_id in within for account in offered)
    response = client.post(
        url, {"name": "Đoàn ngoài tỉnh", "head_role": "Trưởng đoàn", "members": [elsewhere.pk]}
    )
    assert response.status_code == 400
    assert not campaign.delegations.filter(name="Đoàn ngoài tỉnh").exists()


def test_members_are_found_by_a_search_not_picked_from_a_list(login) -> None:
    campaign = Campaign.objects.get(year=2022)
    for n in range(25):
        make_user(campaign.unit, role=Role.INSPECTOR, username=f"thanhvien{n:02}")
    client = login("vanphong")
    url = f"/inspections/campaigns/{campaign.pk}/delegations/new/"
    page = client.get(url)
    assert page.context["form"].fields["members"].widget.choices == []
    assert "Tìm tài khoản" in page.content.decode()
    # "Tìm" posts the form back: nothing is saved, what was typed stays, no errors yet
    typed = {"name": "Đoàn số 9", "head_role": "", "member_q": "THANHVIEN", "find-members": "1"}
    found = client.post(url, typed)
    assert found.status_code == 200 and not campaign.delegations.filter(name="Đoàn số 9").exists()
    form = found.context["form"]
    assert form["name"].value() == "Đoàn số 9" and not form.errors
    assert len(form.fields["members"].widget.choices) == form.MEMBERS_SHOWN  # never all 25
    # diacritics and case are ignored; the chosen members stay offered with the new finds
    kiemtra = User.objects.get(username="kiemtra")
    chosen = client.post(url, typed | {"member_q": "đoàn KIỂM", "members": [kiemtra.pk]})
    shown = [pk for pk, _label in chosen.context["form"].fields["members"].widget.choices]
    assert shown.count(kiemtra.pk) == 1
    nothing = client.post(url, typed | {"member_q": "không ai tên thế này"})
    assert "Không tìm thấy tài khoản nào" in nothing.content.decode()
    commune = unit("30055", 2022)
    saved = client.post(
        url,
        {
            "name": "Đoàn số 9",
            "head_role": "Trưởng đoàn",
            "members": [kiemtra.pk],
            "units": [commune.pk],
        },
    )
    assert saved.status_code == 302
    assert list(campaign.delegations.get(name="Đoàn số 9").members.all()) == [kiemtra]
    # editing shows the delegation's members, checked
    delegation = campaign.delegations.get(name="Đoàn số 9")
    edit = client.get(f"/inspections/delegations/{delegation.pk}/edit/")
    assert [pk for pk, _l in edit.context["form"].fields["members"].widget.choices] == [kiemtra.pk]


def test_delegation_membership_keeps_its_history(login) -> None:
    campaign = Campaign.objects.get(year=2022)
    office = User.objects.get(username="vanphong")
    delegation = campaign.delegations.first()
    newcomer = make_user(campaign.unit, role=Role.INSPECTOR)
    services.save_delegation(
        delegation,
        by=office,
        members=[*delegation.members.all(), newcomer],
        units=list(delegation.units.all()),
    )
    latest = delegation.history.order_by("-history_id").first()
    assert latest.history_user == office
    assert newcomer.pk in set(latest.members.values_list("user_id", flat=True))
    earlier = delegation.history.order_by("history_id").first()
    assert newcomer.pk not in set(earlier.members.values_list("user_id", flat=True))
