"""axe-core on every main page, as each demo account sees it, at desktop and phone widths:
no critical or serious violation and no sideways scrolling; and on a phone the forms people fill
in outdoors fit the screen and the header leaves them room."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from inspections.models import Campaign, Directive, Visit
from org.models import NotificationKind, Unit, User
from org.notify import notify
from plans.models import CommunePlan, Period, Programme
from tests.browser import axe_violations, horizontal_overflow, sign_in, sign_out
from tests.conftest import BROWSER

pytestmark = BROWSER


def main_pages() -> dict[str, list[str]]:
    """Each demo account's main pages (those its menu and daily work lead to)."""
    plan = CommunePlan.objects.get(unit__name="Mỹ Quý", year=2023)
    april = Period.objects.get(kind="month", year=2023, index=4)
    programme = Programme.objects.filter(year=2023).order_by("pk").first()
    visit = Visit.objects.filter(host=plan.unit).order_by("pk").first()
    directive = Directive.objects.filter(unit=plan.unit).order_by("pk").first()
    campaign = Campaign.objects.order_by("pk").first()
    district = Unit.objects.get(pk=plan.unit.parent_id)
    commune = [
        "/",
        "/inbox/",
        "/notifications/",
        "/notifications/settings/",
        f"/plans/{plan.pk}/",
        f"/plans/{plan.pk}/progress/",
        f"/plans/{plan.pk}/reports/{april.pk}/",
        f"/plans/{plan.pk}/history/",
        "/inspections/directives/",
        f"/inspections/directives/{directive.pk}/",
        "/ntm/ratings/",
        "/search/?q=lua",
    ]
    office = [
        "/",
        "/inbox/",
        "/notifications/",
        "/notifications/failed/",
        "/notifications/schedule/",
        "/dashboard/",
        "/dashboard/overview/",
        f"/units/{plan.unit_id}/",
        f"/units/{district.pk}/",
        "/plans/progress/",
        "/plans/progress/entry/",
        "/plans/coverage/",
        f"/plans/programmes/{programme.pk}/",
        f"/plans/programmes/{programme.pk}/edit/",
        f"/plans/programmes/{programme.pk}/rollup/",
        "/plans/years/open/",
        "/inspections/campaigns/",
        f"/inspections/campaigns/{campaign.pk}/",
        "/inspections/visits/",
        "/inspections/visits/new/",
        f"/inspections/visits/{visit.pk}/",
        f"/inspections/visits/{visit.pk}/edit/",
        f"/inspections/visits/{visit.pk}/notice/",
        f"/inspections/units/{plan.unit_id}/pack/",
        "/ntm/",
        f"/ntm/units/{plan.unit_id}/",
        "/ntm/ratings/new/",
        "/no-such-page/",
    ]
    return {
        "myqui": commune,
        "vanphong": office,
        "lanhdao": [
            "/",
            "/inbox/",
            "/notifications/settings/",
            "/dashboard/",
            "/dashboard/overview/",
            f"/units/{plan.unit_id}/",
        ],
        "kiemtra": ["/inbox/", "/inspections/directives/", f"/inspections/visits/{visit.pk}/"],
        "admin": [
            "/admin/",
            "/admin/plans/communeplan/",
            f"/admin/plans/communeplan/{plan.pk}/change/",
            "/admin/org/reminderpolicy/add/",
        ],
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_no_main_page_has_a_critical_or_serious_axe_violation_or_scrolls_sideways(
    live_server, page
) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    # Every account has something unread, so the menu shows both its counts.
    for user in User.objects.all():
        notify(NotificationKind.PLAN_APPROVED, [user], subject="Xã Mỹ Quý", url="/", key="a11y")
    base = live_server.url
    found: dict[str, list[str]] = {}
    checked = 0
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for username, paths in main_pages().items():
            sign_in(page, base, username)
            for path in paths:
                page.goto(f"{base}{path}")
                checked += 1
                if violations := axe_violations(page):
                    found[f"{username} {width}px {path}"] = violations
                # Django's own admin is left to Django; every page of the portal fits a phone.
                if not path.startswith("/admin/") and (wider := horizontal_overflow(page)) > 0:
                    found[f"{username} {width}px {path}"] = [f"{wider} px wider than the window"]
            page.goto(f"{base}/")  # the admin's pages have their own header
            sign_out(page)
    # The login page and the CSRF refusal, signed out.
    page.goto(f"{base}/login/")
    found |= {"login": v} if (v := axe_violations(page)) else {}
    page.context.clear_cookies()  # the form's token no longer matches any cookie
    page.get_by_label("Tên đăng nhập").fill("myqui")
    page.get_by_label("Mật khẩu").fill("demo12345")
    page.get_by_role("button", name="Đăng nhập").click()
    assert page.get_by_role("heading", name="Biểu mẫu đã hết hiệu lực, chưa lưu được").is_visible()
    found |= {"csrf": v} if (v := axe_violations(page)) else {}
    assert checked > 80
    assert found == {}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_on_a_phone_the_report_and_visit_forms_fit_and_the_header_leaves_room(
    live_server, page
) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    plan = CommunePlan.objects.get(unit__name="Mỹ Quý", year=2023)
    april = Period.objects.get(kind="month", year=2023, index=4)
    visit = Visit.objects.filter(host=plan.unit).order_by("pk").first()
    forms = {
        "myqui": [f"/plans/{plan.pk}/reports/{april.pk}/", "/"],
        "vanphong": ["/inspections/visits/new/", f"/inspections/visits/{visit.pk}/edit/"],
        "kiemtra": ["/inspections/directives/"],
    }
    for username, paths in forms.items():
        sign_in(page, base, username)
        for path in paths:
            page.goto(f"{base}{path}")
            assert horizontal_overflow(page) <= 0, path
            header = page.locator("header.topbar").bounding_box()
            assert header["height"] <= 844 / 4, (path, header["height"])
        sign_out(page)
