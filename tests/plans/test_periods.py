"""Opening a year on the calendar of Nghị định 09/2019: cut-off windows, working-day
deadlines, an office's own rule, and one commune's extension (gia hạn)."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from org.models import Unit, User
from plans.models import Holiday, Period, PeriodRule, ReportingCalendar, ReportSummary, schedule
from plans.reporting_calendar import add_working_days, cutoff_window, is_working_day
from plans.services import extend_deadline, open_year
from plans.services.periods import load_holidays

D = datetime.date


@pytest.fixture
def vanphong(db) -> User:
    return User.objects.get(username="vanphong")


# --- the calendar itself (pure) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "year", "index", "window"),
    [
        ("month", 2027, 1, (D(2026, 12, 15), D(2027, 1, 14))),
        ("month", 2027, 3, (D(2027, 2, 15), D(2027, 3, 14))),
        ("month", 2027, 12, (D(2027, 11, 15), D(2027, 12, 14))),
        ("quarter", 2027, 1, (D(2026, 12, 15), D(2027, 3, 14))),
        ("quarter", 2027, 3, (D(2027, 6, 15), D(2027, 9, 14))),
        ("half", 2027, 1, (D(2026, 12, 15), D(2027, 6, 14))),
        ("half", 2027, 2, (D(2027, 6, 15), D(2027, 12, 14))),
        ("year", 2027, 1, (D(2026, 12, 15), D(2027, 12, 14))),
    ],
)
def test_each_period_reports_its_cutoff_window(kind, year, index, window) -> None:
    assert cutoff_window(kind, year, index) == window


def test_the_months_of_a_year_tile_its_window_without_gap_or_overlap() -> None:
    months = [cutoff_window("month", 2027, m) for m in range(1, 13)]
    assert months[0][0] == cutoff_window("year", 2027, 1)[0]
    assert months[-1][1] == cutoff_window("year", 2027, 1)[1]
    for (_start, end), (next_start, _end) in itertools.pairwise(months):
        assert next_start == end + datetime.timedelta(days=1)


def test_weekends_and_holidays_are_not_working_days() -> None:
    tet_2026 = {D(2026, 2, 16) + datetime.timedelta(days=n) for n in range(5)}
    # Tháng 2/2026 closes on Saturday 14/2; Tết fills the next week.
    assert add_working_days(D(2026, 2, 14), 2, tet_2026) == D(2026, 2, 24)
    # Tháng 1/2027 closes on Thursday 14/1: Friday, then Monday.
    assert add_working_days(D(2027, 1, 14), 2, set()) == D(2027, 1, 18)


@given(
    start=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)),
    count=st.integers(min_value=1, max_value=30),
    holidays=st.sets(st.dates(min_value=D(2020, 1, 1), max_value=D(2036, 3, 31)), max_size=20),
)
def test_the_nth_working_day_is_a_working_day_with_n_before_it(start, count, holidays) -> None:
    due = add_working_days(start, count, holidays)
    assert is_working_day(due, holidays)
    days = [start + datetime.timedelta(days=n) for n in range(1, (due - start).days + 1)]
    assert sum(is_working_day(day, holidays) for day in days) == count


# --- opening a year -------------------------------------------------------------------------


@pytest.fixture
def province(db) -> Unit:
    return Unit.objects.get(code="82", valid_from=D(2025, 7, 1))


def test_opening_a_year_creates_its_19_periods_with_windows_and_deadlines(db) -> None:
    opening = open_year(2027, by=None)
    assert opening.created == 19 and len(opening.periods) == 19
    january = Period.objects.get(kind="month", year=2027, index=1)
    assert (january.start, january.end) == (D(2026, 12, 15), D(2027, 1, 14))
    assert january.report_deadline == D(2027, 1, 18)
    # Tết 2027 (5–9/2 in the shipped list): Tháng 2 closes on Sunday 14/2, due Tuesday 16/2.
    assert Holiday.objects.filter(day=D(2027, 2, 8)).exists()
    assert Period.objects.get(kind="month", year=2027, index=2).report_deadline == D(2027, 2, 16)
    again = open_year(2027, by=None)
    assert again.created == 0 and again.holidays == 0


def test_holidays_an_administrator_corrected_are_kept(db) -> None:
    Holiday.objects.create(day=D(2028, 3, 1), name="Nghỉ bù theo quyết định")
    assert load_holidays(2028) == Holiday.objects.filter(day__year=2029).count()
    assert not Holiday.objects.filter(day=D(2028, 1, 1)).exists()


def test_an_office_gives_its_communes_more_working_days(province) -> None:
    admin = User.objects.get(username="admin")
    opening = open_year(2027, by=admin, unit=province, working_days=5)
    assert opening.deadlines_set == 19
    assert ReportingCalendar.objects.get(unit=province).working_days == 5
    january = Period.objects.get(kind="month", year=2027, index=1)
    assert schedule(january, province.pk).deadline == D(2027, 1, 21)
    assert january.report_deadline == D(2027, 1, 18)  # other provinces keep the default
    assert ReportingCalendar.history.filter(unit=province).exists()
    rule = PeriodRule.objects.get(unit=province, period=january)
    assert rule.history.first().history_user == admin


def test_deadlines_the_office_already_set_are_kept_when_it_reopens(province) -> None:
    open_year(2027, by=None, unit=province)
    january = Period.objects.get(kind="month", year=2027, index=1)
    PeriodRule.objects.update_or_create(
        unit=province, period=january, defaults={"report_deadline": D(2027, 1, 25)}
    )
    open_year(2027, by=None, unit=province, working_days=4)
    assert schedule(january, province.pk).deadline == D(2027, 1, 25)


def test_a_commune_cannot_open_a_year(db) -> None:
    from django.core.exceptions import ValidationError

    commune = Unit.objects.get(code="30055", valid_from=D(2025, 7, 1))
    with pytest.raises(ValidationError):
        open_year(2027, by=None, unit=commune)


def test_the_command_opens_a_year_for_a_province(province, capsys) -> None:
    call_command("open_year", "2027", "--unit", "82", "--working-days", "3")
    assert "19 kỳ" in capsys.readouterr().out
    january = Period.objects.get(kind="month", year=2027, index=1)
    assert schedule(january, province.pk).deadline == D(2027, 1, 19)


def test_the_command_refuses_an_unknown_unit_and_a_year_out_of_range(db) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("open_year", "2027", "--unit", "99")
    with pytest.raises(CommandError):
        call_command("open_year", "12027")


# --- in the browser -------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_office_opens_a_year_in_the_browser(login) -> None:
    client = login("vanphong")
    assert client.get("/plans/years/open/").status_code == 200
    response = client.post("/plans/years/open/", {"year": "2027", "working_days": "3"})
    assert response.status_code == 302
    unit = Unit.objects.get(code="872")
    january = Period.objects.get(kind="month", year=2027, index=1)
    assert schedule(january, unit.pk).deadline == D(2027, 1, 19)
    assert ReportingCalendar.objects.get(unit=unit).working_days == 3


@pytest.mark.parametrize(
    "data", [{"year": "12027", "working_days": "2"}, {"year": "2027", "working_days": "0"}, {}]
)
@pytest.mark.django_db
def test_a_bad_year_form_opens_nothing(login, data) -> None:
    response = login("vanphong").post("/plans/years/open/", data)
    assert response.status_code == 400
    assert not Period.objects.filter(year=2027).exists()


@pytest.mark.parametrize("username", ["myqui", "lanhdao", "kiemtra"])
@pytest.mark.django_db
def test_only_an_office_opens_a_year(login, username) -> None:
    client = login(username)
    assert client.get("/plans/years/open/").status_code == 403
    assert (
        client.post("/plans/years/open/", {"year": "2027", "working_days": "2"}).status_code == 403
    )
    assert not Period.objects.filter(year=2027).exists()


# --- extensions (gia hạn) -------------------------------------------------------------------


@pytest.fixture
def half_2022(db) -> Period:
    return Period.objects.get(kind="half", year=2022, index=1)


def _truong_xuan() -> Unit:
    return Unit.objects.get(code="30046", valid_to=D(2025, 6, 30))


def test_an_extension_moves_one_communes_deadline_and_its_timeliness(half_2022, vanphong) -> None:
    unit = _truong_xuan()
    summary = ReportSummary.objects.get(period=half_2022, unit=unit)
    assert summary.on_time is False
    others = dict(
        ReportSummary.objects.filter(period=half_2022)
        .exclude(unit=unit)
        .values_list("pk", "on_time")
    )
    extend_deadline(half_2022, unit=unit, by=vanphong, deadline=D(2022, 6, 30), reason="Bão lũ")
    summary.refresh_from_db()
    assert summary.on_time is True
    assert schedule(half_2022, unit.parent_id, unit.pk).deadline == D(2022, 6, 30)
    assert schedule(half_2022, unit.parent_id).deadline == half_2022.report_deadline
    assert (
        dict(
            ReportSummary.objects.filter(period=half_2022)
            .exclude(unit=unit)
            .values_list("pk", "on_time")
        )
        == others
    )
    rule = PeriodRule.objects.get(unit=unit, period=half_2022)
    assert (rule.reason, rule.set_by) == ("Bão lũ", vanphong)
    assert rule.history.first().history_change_reason == "Bão lũ"


def test_an_extension_in_the_browser_needs_a_reason(login, half_2022) -> None:
    unit = _truong_xuan()
    client = login("vanphong")
    url = f"/plans/periods/{half_2022.pk}/extend/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"unit": unit.pk, "deadline": "2022-06-30", "reason": "  "})
    assert refused.status_code == 400
    assert not PeriodRule.objects.filter(unit=unit).exists()
    earlier = client.post(url, {"unit": unit.pk, "deadline": "2022-06-10", "reason": "x"})
    assert earlier.status_code == 400
    assert "Hạn mới phải sau" in earlier.content.decode()
    done = client.post(url, {"unit": unit.pk, "deadline": "2022-06-30", "reason": "Bão lũ"})
    assert done.status_code == 302
    assert "Bão lũ" in client.get(url).content.decode()


@pytest.mark.parametrize("unit", ["99999999999999999999", "-1", "abc", "\x00", "1" * 10_000])
def test_a_hostile_commune_id_is_a_form_error(login, half_2022, unit) -> None:
    response = login("vanphong").post(
        f"/plans/periods/{half_2022.pk}/extend/",
        {"unit": unit, "deadline": "2022-06-30", "reason": "x"},
    )
    assert response.status_code == 400
    assert not PeriodRule.objects.filter(reason="x").exists()


def test_a_commune_of_another_office_cannot_be_extended(login, half_2022) -> None:
    other = Unit.objects.filter(parent__code="873").first()  # Cao Lãnh's commune
    response = login("vanphong").post(
        f"/plans/periods/{half_2022.pk}/extend/",
        {"unit": other.pk, "deadline": "2022-06-30", "reason": "x"},
    )
    assert response.status_code == 400
    assert not PeriodRule.objects.filter(unit=other).exists()


@pytest.mark.parametrize("username", ["myqui", "lanhdao", "kiemtra"])
def test_only_the_office_extends_a_deadline(login, half_2022, username) -> None:
    url = f"/plans/periods/{half_2022.pk}/extend/"
    client = login(username)
    assert client.get(url).status_code == 403
    data = {"unit": _truong_xuan().pk, "deadline": "2022-06-30", "reason": "x"}
    assert client.post(url, data).status_code == 403
    assert not PeriodRule.objects.filter(reason="x").exists()


@pytest.fixture
def january_2027():
    """Today is 12/1/2027, inside Tháng 1/2027's data window (15/12/2026–14/1/2027)."""
    from unittest import mock

    from django.utils import timezone

    moment = datetime.datetime(2027, 1, 12, 2, tzinfo=datetime.UTC)
    with mock.patch.object(timezone, "now", return_value=moment):
        yield moment


def test_the_open_year_form_proposes_this_year_until_it_is_open(january_2027) -> None:
    from plans.forms import OpenYearForm

    assert OpenYearForm(opened=[2022, 2023]).fields["year"].initial == 2027
    assert OpenYearForm(opened=[2027]).fields["year"].initial == 2028


def test_the_reporting_record_runs_in_time_order_and_opens_on_the_current_period(
    login, province, january_2027
) -> None:
    from plans.models import CommunePlan, PlanStatus

    open_year(2027, by=User.objects.get(username="admin"), unit=province)
    commune = Unit.objects.planning().valid_in_year(2027).filter(parent=province).first()
    plan = CommunePlan.objects.create(
        unit=commune, year=2027, title="Kế hoạch 2027", status=PlanStatus.APPROVED
    )
    page = login("admin").get(f"/plans/{plan.pk}/progress/")
    labels = [row.period.label for row in page.context["rows"]]
    # Each month before the quarter it closes, the quarter before the half-year, the year last.
    assert labels[:5] == [
        "Tháng 1/2027",
        "Tháng 2/2027",
        "Tháng 3/2027",
        "Quý I/2027",
        "Tháng 4/2027",
    ]
    assert labels[7:10] == ["Quý II/2027", "6 tháng đầu năm 2027", "Tháng 7/2027"]
    assert labels[-1] == "Năm 2027"
    assert page.context["period"].label == "Tháng 1/2027"


def test_every_installation_has_the_standard_policy_fields(db) -> None:
    from org.models import Field

    codes = set(Field.objects.values_list("code", flat=True))
    assert {"kinh-te", "nong-nghiep", "xay-dung-dang", "quoc-phong-an-ninh"} <= codes
