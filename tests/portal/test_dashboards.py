"""Dashboards: numbers equal a straightforward recomputation from raw rows, who sees what,
and a fixed number of queries for 3 communes as for 60."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspections.models import Directive, Visit
from ntm.models import Assessment, Indicator, IndicatorResult, NtmAssignment, Rating
from org.models import Role, Unit, UnitKind, User
from plans.models import CommunePlan, Period, PlanStatus, ReportStatus, ReportSummary
from plans.progress import plan_targets, target_lines
from tests.builders import make_plan, make_unit, make_user

pytestmark = pytest.mark.django_db


def tháp_mười() -> Unit:
    return Unit.objects.get(code="872", valid_to__isnull=False)


def year_period(year: int = 2022) -> Period:
    return Period.objects.get(kind="year", year=year)


def test_the_numbers_equal_a_recomputation_from_raw_rows(login) -> None:
    period = year_period()
    response = login("vanphong").get("/dashboard/", {"year": 2022, "period": period.pk})
    rows = response.context["rows"]
    assert len(rows) == 13
    today = timezone.localdate()
    for row in rows:
        plan = (
            CommunePlan.objects.filter(unit=row.unit, year=2022, status=PlanStatus.APPROVED)
            .order_by("-revision")
            .first()
        )
        if plan is None:
            assert row.summary is None
            continue
        submitted = plan.reports.filter(period=period, status=ReportStatus.SUBMITTED).exists()
        expected = Counter()
        if plan.summaries.filter(period=period).exists():
            # Straight from the report values, the way the progress page reads them.
            lines = target_lines(plan, period, plan_targets(plan))
            expected = Counter(line.status for line in lines)
        got = {key: count for key, _label, count in row.targets}
        for key in ("achieved", "on_track", "at_risk", "behind", "no_data"):
            assert got[key] == expected[key], (row.unit.name, key)
        assert bool(row.summary and row.summary.submitted_at) == submitted, row.unit.name
        directives = list(Directive.objects.filter(unit=row.unit))
        assert row.directives_open == sum(1 for d in directives if d.completed_on is None)
        assert row.directives_overdue == sum(
            1 for d in directives if d.deadline_class(today) == "open_overdue"
        )
        assessment = Assessment.objects.filter(unit=row.unit, year=2022).first()
        if assessment is not None:
            met = 0
            for criterion in assessment.criteria_set.criteria.all():
                answers = []
                for indicator in criterion.indicators.all():
                    r = assessment.results.get(indicator=indicator)
                    answers.append(r.appraised_met if r.appraised_met is not None else r.self_met)
                met += all(a is True for a in answers)
            assert row.ntm_met == met, row.unit.name
        own = Rating.objects.filter(unit=row.unit, year=2022, organisation="").first()
        ratings = Rating.objects.filter(unit=row.unit, year=2022)
        if own is None and ratings.exists():
            assert row.rating.level == max(
                (r.level for r in ratings), key=["excellent", "good", "done", "failed"].index
            )


def test_what_needs_attention_names_the_reasons(login) -> None:
    response = login("vanphong").get("/dashboard/", {"year": 2022})
    reasons = {row.unit.name: row.reasons for row in response.context["attention"]}
    assert any("chỉ đạo quá hạn" in r for r in reasons["Mỹ Quý"])
    assert "chưa có kế hoạch được duyệt" in reasons["Tân Kiều"]  # nothing to report on


def test_a_missing_report_needs_attention_only_after_its_deadline() -> None:
    """A commune without an approved plan has nothing to report: that is its reason. One
    with a plan is flagged for a missing report only once the deadline has passed."""
    from portal.dashboards import commune_rows

    district = Unit.objects.get(code="872", valid_to__isnull=False)
    communes = list(Unit.objects.planning().valid_in_year(2023).filter(parent=district))
    planless = make_unit(district, name="Chưa Có Kế Hoạch")
    month = Period.objects.get(kind="month", year=2023, index=7)
    CommunePlan.objects.filter(unit__in=communes, year=2023).update(status=PlanStatus.APPROVED)
    ReportSummary.objects.filter(period=month).delete()
    before = month.report_deadline - datetime.timedelta(days=1)
    rows = {r.unit.pk: r for r in commune_rows([*communes, planless], 2023, month, before)}
    assert rows[planless.pk].reasons == ["chưa có kế hoạch được duyệt"]
    planned = [rows[u.pk] for u in communes if rows[u.pk].has_plan]
    assert planned and not any("chưa gửi" in str(r) for row in planned for r in row.reasons)
    after = month.report_deadline + datetime.timedelta(days=1)
    rows = {r.unit.pk: r for r in commune_rows(communes, 2023, month, after)}
    late = [rows[u.pk] for u in communes if rows[u.pk].has_plan]
    assert all("quá hạn chưa gửi báo cáo kỳ này" in row.reasons for row in late)


def test_the_dashboard_opens_on_the_latest_year_with_plans_not_an_empty_one(login) -> None:
    """Today is 2026 and Tháp Mười's plans are of 2022 and 2023: no false all-clear."""
    client = login("vanphong")
    response = client.get("/dashboard/")
    assert response.context["year"] == 2023
    page = response.content.decode()
    assert "Không có xã nào chậm nhiều chỉ tiêu" not in page
    assert "chỉ đạo quá hạn" in page  # the demo's overdue directives show
    response = client.get("/dashboard/", {"year": 2021})
    empty = response.content.decode()
    assert "Năm 2021 chưa có xã nào có kế hoạch cụ thể hóa được duyệt" in empty
    # said once for the year: the badge counts no commune merely for lacking a plan
    attention = response.context["attention"]
    assert all(row.directives_overdue for row in attention)
    assert f'Cần quan tâm <span class="badge">{len(attention)}</span>' in empty
    assert len(attention) < len(response.context["rows"])
    assert "Không có xã nào chậm nhiều chỉ tiêu" not in empty
    # the table says why there is no report, not that it is missing
    assert "chưa có kế hoạch</span>" in empty and "chưa gửi</span>" not in empty


def test_every_page_opens_on_the_year_the_user_chose_last(login, settings) -> None:
    settings.PAGE_CACHE_SECONDS = 60  # the cached dashboard must follow the choice too
    client = login("vanphong")
    assert client.get("/dashboard/").context["year"] == 2023
    assert client.get("/dashboard/", {"year": 2022}).context["year"] == 2022
    for path in ("/dashboard/", "/"):
        page = client.get(path)
        assert page.context["year"] == 2022, path
        assert "2022" in page.content.decode()
    assert client.get("/dashboard/", {"year": "abc"}).context["year"] == 2022
    # someone else still opens on the latest year with data
    other = Client()
    other.force_login(User.objects.get(username="lanhdao"))
    assert other.get("/dashboard/").context["year"] == 2023


def test_the_overview_opens_on_a_year_its_units_existed(login) -> None:
    """Đồng Tháp before the reform (87) had districts until 2025: not "no units below"."""
    old_province = Unit.objects.get(code="87")
    response = login("admin").get("/dashboard/overview/", {"unit": old_province.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "không có đơn vị trực thuộc" not in page
    assert "Tháp Mười" in page


def test_sorting_and_the_cluster_filter(login) -> None:
    client = login("vanphong")
    rows = client.get("/dashboard/", {"year": 2022, "sort": "overdue"}).context["rows"]
    assert rows[0].directives_overdue == max(r.directives_overdue for r in rows)
    cluster = tháp_mười().clusters.get(name="Cụm 1", year=2022)
    rows = client.get("/dashboard/", {"year": 2022, "cluster": cluster.pk}).context["rows"]
    assert {r.unit.pk for r in rows} == set(cluster.members.values_list("pk", flat=True))
    # Nonsense parameters fall back rather than fail.
    assert (
        client.get("/dashboard/", {"year": "x", "sort": "'; drop", "period": "9x"}).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("username", "dashboard", "own_page", "other_page"),
    [
        ("vanphong", 200, 200, 200),
        ("lanhdao", 200, 200, 200),
        ("kiemtra", 200, 200, 404),
        ("myqui", 403, 200, 404),
        ("phudien", 403, 404, 200),
    ],
)
def test_permission_matrix(login, username, dashboard, own_page, other_page) -> None:
    client = login(username)
    mỹ_quí = Unit.objects.valid_in_year(2022).get(code="30055")
    phú_điền = Unit.objects.valid_in_year(2022).get(code="30067")
    assert client.get("/dashboard/", {"year": 2022}).status_code == dashboard
    assert client.get("/dashboard/overview/", {"year": 2022}).status_code == dashboard
    assert client.get(f"/units/{mỹ_quí.pk}/").status_code == own_page
    assert client.get(f"/units/{phú_điền.pk}/").status_code == other_page
    assert client.get("/ping/").status_code == 200


def test_an_inspector_sees_only_their_delegation_s_communes(login) -> None:
    rows = login("kiemtra").get("/dashboard/", {"year": 2022}).context["rows"]
    assert {r.unit.name for r in rows} == {"Mỹ An", "Mỹ Hòa", "Mỹ Quý", "Mỹ Đông", "Láng Biển"}


DELEGATION = {"Mỹ An", "Mỹ Hòa", "Mỹ Quý", "Mỹ Đông", "Láng Biển"}


def test_an_inspector_s_overview_shows_only_their_delegation_s_communes(login) -> None:
    rows = login("kiemtra").get("/dashboard/overview/", {"year": 2022}).context["rows"]
    assert {r.unit.name for r in rows} == DELEGATION


def test_an_inspector_s_overview_is_never_served_from_a_wider_entry(settings, login, client):
    settings.PAGE_CACHE_SECONDS = 300
    wide = login("vanphong").get("/dashboard/overview/", {"year": 2022})
    assert len(wide.context["rows"]) == 13
    client.logout()
    narrow = login("kiemtra").get("/dashboard/overview/", {"year": 2022})
    assert {r.unit.name for r in narrow.context["rows"]} == DELEGATION
    page = narrow.content.decode()
    assert "Thạnh Lợi" not in page and "Phú Điền" not in page


def test_a_province_overview_counts_only_an_inspector_s_communes() -> None:
    from org.models import User
    from org.rules import visible_units
    from portal import dashboards

    district = tháp_mười()
    kiemtra = User.objects.get(username="kiemtra")
    visible = set(visible_units(kiemtra).planning().values_list("pk", flat=True))
    today = timezone.localdate()
    (row,) = dashboards.child_rows([district], 2022, year_period(), today, visible)
    (everything,) = dashboards.child_rows([district], 2022, year_period(), today)
    assert (row["communes"], everything["communes"]) == (5, 13)
    assert row["reported"] <= 5 < everything["reported"]


def test_another_district_is_404(login) -> None:
    cao_lãnh = Visit.objects.get(host__code="30088").host.parent
    assert login("vanphong").get("/dashboard/", {"unit": cao_lãnh.pk}).status_code == 404


def test_the_province_overview_sums_its_districts(login) -> None:
    province = tháp_mười().parent
    params = {"unit": province.pk, "year": 2022, "period": year_period().pk}
    response = login("admin").get("/dashboard/overview/", params)
    districts = {d["unit"].name: d for d in response.context["districts"]}
    tm = districts["Tháp Mười"]
    assert tm["communes"] == 13
    summaries = ReportSummary.objects.filter(
        unit__parent=tháp_mười(), period=year_period(), plan__status="approved"
    )
    assert dict((k, n) for k, _l, n in tm["targets"])["behind"] == sum(
        s.targets_behind for s in summaries
    )


def _district(n: int) -> Unit:
    """A district with n communes, each with a plan, a report summary, directives, an NTM
    assessment and a rating."""
    district = make_unit(tháp_mười().parent, kind=UnitKind.DISTRICT, name=f"Huyện {n}")
    period = year_period()
    criteria_set = Assessment.objects.first().criteria_set
    indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set))
    visit_host = None
    for i in range(n):
        commune = make_unit(district, name=f"Xã {i}")
        visit_host = visit_host or commune
        plan = make_plan(commune, year=2022, items=8)
        plan.status = PlanStatus.APPROVED
        plan.save()
        ReportSummary.objects.create(
            plan=plan, unit=commune, period=period, targets_achieved=1, targets_behind=1
        )
        visit = Visit.objects.create(
            kind="plan_inspection", host=commune, date=datetime.date(2022, 3, 1),
            chair_role="Trưởng đoàn", topic="Kiểm tra",
        )  # fmt: skip
        Directive.objects.create(
            visit=visit, unit=commune, text="x", lead="UBND xã", deadline=datetime.date(2022, 4, 1)
        )
        assessment = Assessment.objects.create(unit=commune, criteria_set=criteria_set, year=2022)
        IndicatorResult.objects.bulk_create(
            IndicatorResult(assessment=assessment, indicator=i, self_met=True) for i in indicators
        )
        NtmAssignment.objects.create(
            unit=commune, year=2022, level=criteria_set.level, criteria_set=criteria_set
        )
        Rating.objects.create(unit=commune, year=2022, level="good")
    return district


def _count(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


# session, user, unit, its clusters, fields, communes, the period, periods of the year,
# cluster memberships, approved plans, summaries, deadlines, directives, assignments,
# assessments, criteria, indicators, results, ratings, the trend by month and by quarter,
# directives by month due, the same period of the previous year, the directives due in both
# years (+ the previous year's summaries when that year had the period: 2021 has none)
DASHBOARD_QUERIES = 24


def test_query_counts_are_the_same_for_3_and_60_communes(client) -> None:
    admin = make_user(None, role=Role.ADMIN)
    client.force_login(admin)
    counts = []
    for n in (3, 60):
        district = _district(n)
        params = {"unit": district.pk, "year": 2022, "period": year_period().pk}
        rows = client.get("/dashboard/", params).context["rows"]
        assert len(rows) == n and all(r.ntm_met == r.ntm_total for r in rows)
        counts.append(
            (
                _count(client, "/dashboard/", params),
                _count(client, "/dashboard/overview/", params | {"unit": district.parent_id}),
                _count(client, f"/units/{rows[0].unit.pk}/", {"year": 2022}),
                _count(client, "/dashboard/export.xlsx", params),
                _count(
                    client, "/dashboard/overview/export.xlsx", params | {"unit": district.parent_id}
                ),
            )
        )
    assert counts[0] == counts[1]
    assert counts[0][0] == DASHBOARD_QUERIES


def test_same_named_units_are_told_apart_on_chart_axes_lists_and_chips(login) -> None:
    from org.models import Unit

    township, commune = Unit.objects.filter(name="Mỹ An").order_by("code")
    assert (township.short_name, commune.short_name) == ("TT. Mỹ An", "X. Mỹ An")
    labels = login("vanphong").get("/dashboard/?year=2022").context["chart"]["communes"]["labels"]
    assert "TT. Mỹ An" in labels and "X. Mỹ An" in labels and "Mỹ An" not in labels
    page = login("vanphong").get("/inspections/directives/?status=all").text
    assert ">Mỹ An<" not in page


def test_each_commune_is_set_beside_the_same_period_of_the_previous_year(login) -> None:
    from inspections.models import Directive, Visit

    quarter = Period.objects.get(year=2023, kind="quarter", index=1)
    visit = Visit.objects.filter(host__code="30055").order_by("date").first()
    my_quy = visit.host

    def directive(deadline, completed_on=None):
        return Directive.objects.create(
            visit=visit, unit=my_quy, text="x", lead="UBND xã", deadline=deadline,
            completed_on=completed_on, verified_by=User.objects.get(username="vanphong")
            if completed_on else None,
        )  # fmt: skip

    before = {
        r.unit.pk: r
        for r in login("vanphong")
        .get("/dashboard/", {"year": 2023, "period": quarter.pk})
        .context["rows"]
    }[my_quy.pk]
    directive(datetime.date(2023, 2, 10), completed_on=datetime.date(2023, 2, 9))  # on time
    directive(datetime.date(2023, 2, 20))  # open, overdue
    directive(datetime.date(2022, 2, 20), completed_on=datetime.date(2022, 3, 1))  # late
    response = login("vanphong").get("/dashboard/", {"year": 2023, "period": quarter.pk})
    assert response.context["previous_period"] == Period.objects.get(
        year=2022, kind="quarter", index=1
    )
    row = {r.unit.pk: r for r in response.context["rows"]}[my_quy.pk]
    assert row.last_year is not None and row.last_year.period.year == 2022
    assert row.good_change == round(100 * row.good_share) - round(100 * row.last_good_share)
    assert (row.directives_due, row.directives_on_time) == (
        before.directives_due + 2,
        before.directives_on_time + 1,
    )
    assert (row.last_directives_due, row.last_directives_on_time) == (
        before.last_directives_due + 1,
        before.last_directives_on_time,
    )
    page = response.content.decode()
    assert "cùng kỳ năm trước" in page and "Quý I/2022" in page
    # the trend by month reads each period's own month, and by quarter
    months = [label for label, _counts in response.context["trend"]]
    assert months[:3] == ["01/2023", "02/2023", "03/2023"]
    assert response.context["trend_quarters"][0][0] == "Quý I/2023"
    february = dict(response.context["directive_trend"])["02/2023"]
    assert february[0] >= 2 and february[1] >= 1 and february[3] >= 1  # due, on time, not done


def test_a_commune_s_page_sets_its_latest_period_beside_last_year_s(login) -> None:
    my_quy = Unit.objects.get(code="30055", valid_to__isnull=False)
    response = login("vanphong").get(f"/units/{my_quy.pk}/", {"year": 2023})
    page = response.content.decode()
    row = response.context["row"]
    assert response.context["previous_period"].year == 2022
    assert row.last_year is not None
    assert "cùng kỳ năm trước (" in page and "điểm)" in page
    assert "đạt, đúng tiến độ</li>" in page  # each reported period's share
