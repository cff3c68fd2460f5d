"""An inspection in a real browser: record a visit, turn a shortcoming into a directive,
the commune answers, the delegation closes it, the conclusion notice prints."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from inspections.models import DeadlineClass, Directive, Visit
from tests.browser import sign_in, sign_out
from tests.conftest import BROWSER

pytestmark = BROWSER

VISIT_DAY = datetime.date(2023, 3, 15)


@pytest.mark.usefixtures("during_campaign_2023")
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_kiemtra_records_a_visit_and_follows_up_a_directive(live_server, page, tmp_path) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    base = live_server.url
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    # kiemtra opens Mỹ Quí's pack from the campaign page and records a visit.
    sign_in(page, base, "kiemtra")
    page.get_by_role("link", name="Kiểm tra, chỉ đạo").click()
    page.get_by_role("link", name="Đợt kiểm tra").click()
    page.get_by_role(
        "link", name="Kiểm tra việc triển khai Chương trình hành động của Huyện ủy năm 2023"
    ).click()
    page.get_by_role("link", name="Hồ sơ Xã Mỹ Quý").click()
    assert page.get_by_role("heading", name="Kết luận buổi làm việc gần nhất").is_visible()
    page.get_by_role("link", name="Ghi nhận buổi làm việc").click()
    assert page.get_by_label("Đoàn công tác").input_value()  # their delegation, preselected
    # its head chairs, prefilled; the cluster fields show for a cluster conference only
    expect(page.get_by_label("Chủ trì")).to_have_value("Tỉnh ủy viên, Bí thư Huyện ủy, Trưởng đoàn")
    expect(page.get_by_label("Cụm")).to_be_hidden()
    expect(page.get_by_role("group", name="Đơn vị dự hội nghị")).to_be_hidden()
    page.get_by_label("Loại buổi làm việc").select_option("cluster_conference")
    expect(page.get_by_label("Cụm")).to_be_visible()
    expect(page.get_by_label("Sơ kết")).to_be_visible()
    page.get_by_label("Loại buổi làm việc").select_option("plan_inspection")
    expect(page.get_by_label("Cụm")).to_be_hidden()
    page.locator("#id_date").fill(VISIT_DAY.isoformat())
    page.locator("#id_part_of_day").select_option("afternoon")
    page.get_by_label("Chủ trì").fill("Bí thư Huyện ủy, Trưởng đoàn")
    page.get_by_label("Nội dung làm việc").fill("Kiểm tra tiến độ thực hiện kế hoạch quý I/2023")
    page.get_by_label("Số thông báo kết luận").fill("12-TB/ĐKT")
    page.get_by_label("Địa danh").fill("Tháp Mười")
    page.get_by_label("Nơi nhận").fill("Thường trực Huyện ủy\nĐảng ủy xã Mỹ Quí\nLưu Văn phòng")
    page.get_by_label("Họ tên người ký").fill("Nguyễn Văn Vũ Minh")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/inspections/visits/*/")
    page.evaluate("window.stillTheSamePage = true")
    visit = Visit.objects.get(topic="Kiểm tra tiến độ thực hiện kế hoạch quý I/2023")

    # Two shortcomings.
    for text in (
        "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến còn thấp.",
        "Chưa có lộ trình cụ thể cho tiêu chí thu nhập NTM nâng cao.",
    ):
        page.locator("#id_finding-kind").select_option("shortcoming")
        page.locator("#id_finding-text").fill(text)
        page.get_by_role("button", name="Thêm nhận xét").click()
        expect(page.locator("#findings").get_by_text(text)).to_be_visible()  # in place
        expect(page.get_by_text("Đã thêm nhận xét.")).to_be_visible()
        expect(page.locator("#id_finding-text")).to_be_focused()  # ready for the next one
        expect(page.locator("#id_finding-kind")).to_have_value("shortcoming")
    assert visit.findings.count() == 2
    assert page.evaluate("window.stillTheSamePage") is True  # nothing reloaded

    # An empty finding is refused beside its box, in place too.
    page.get_by_role("button", name="Thêm nhận xét").click()
    expect(page.locator("#add-finding .field-error")).to_have_count(1)
    expect(page.locator("#add-finding .form__row--text .field-error")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    assert visit.findings.count() == 2
    problems.remove(
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    )

    # The second becomes a directive due in 30 days.
    page.locator("li", has_text="Chưa có lộ trình cụ thể").get_by_role(
        "link", name="Chuyển thành chỉ đạo"
    ).click()
    assert page.get_by_label("Nội dung chỉ đạo").input_value().startswith("Chưa có lộ trình")
    page.get_by_label("Nội dung chỉ đạo").fill(
        "Xây dựng lộ trình cụ thể cho tiêu chí thu nhập NTM nâng cao."
    )
    due = VISIT_DAY + datetime.timedelta(days=30)
    page.get_by_label("Thời hạn").fill(due.isoformat())
    page.get_by_role("button", name="Ban hành").click()
    assert page.get_by_text("Đã ban hành ý kiến chỉ đạo.").is_visible()
    directive = Directive.objects.get(visit=visit)
    assert directive.deadline == due and directive.finding.text.startswith("Chưa có lộ trình")
    # Unanswered, it cannot be verified: only closed explicitly, with a reason.
    page.goto(f"{base}{directive.get_absolute_url()}")
    expect(page.get_by_role("button", name="Xác nhận hoàn thành")).to_have_count(0)
    page.get_by_role("button", name="Đóng khi chưa có báo cáo").click()
    expect(page.get_by_text("Hãy đánh dấu xác nhận đóng khi chưa có báo cáo.")).to_be_visible()
    directive.refresh_from_db()
    assert directive.completed_on is None
    assert problems == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    problems.clear()  # a refused form answers 400, as it should
    sign_out(page)

    # myqui answers and proposes it as done; it cannot close it.
    sign_in(page, base, "myqui")
    page.goto(f"{base}{directive.get_absolute_url()}")
    assert page.get_by_role("button", name="Xác nhận hoàn thành").count() == 0
    page.get_by_label("Kết quả thực hiện").fill("Đảng ủy xã đã ban hành lộ trình ngày 10/4/2023.")
    page.get_by_label("Minh chứng", exact=True).fill("Kế hoạch số 21-KH/ĐU")
    page.get_by_label("Đề nghị").select_option("done")
    page.get_by_role("button", name="Gửi báo cáo").click()
    assert page.get_by_text("Đã gửi báo cáo thực hiện.").is_visible()
    sign_out(page)

    # kiemtra verifies and closes it: done on time.
    sign_in(page, base, "kiemtra")
    page.goto(f"{base}{directive.get_absolute_url()}")
    assert page.get_by_text("Đảng ủy xã đã ban hành lộ trình").is_visible()
    page.get_by_label("Hoàn thành ngày").fill("2023-04-10")
    page.get_by_role("button", name="Xác nhận hoàn thành").click()
    assert page.get_by_text("Đã xác nhận hoàn thành.").is_visible()
    directive.refresh_from_db()
    assert directive.deadline_class() == DeadlineClass.DONE_ON_TIME

    # The conclusion notice prints.
    page.goto(f"{base}{visit.get_absolute_url()}")
    page.get_by_role("link", name="Thông báo kết luận (bản in)").click()
    page.wait_for_url("**/notice/")
    page.wait_for_load_state("load")  # the print style sheet has arrived
    # The Party committee's form, its header centred; the signer with role and name.
    head = page.locator(".notice__head")
    expect(head.locator(".notice__issuer")).to_contain_text("HUYỆN ỦY THÁP MƯỜI")
    expect(head.locator(".notice__motto")).to_contain_text("ĐẢNG CỘNG SẢN VIỆT NAM")
    aligned = head.locator("p").evaluate_all("ps => ps.map(p => getComputedStyle(p).textAlign)")
    assert set(aligned) == {"center"}
    expect(page.locator(".notice__sign")).to_contain_text("T/M ĐOÀN CÔNG TÁC")
    expect(page.locator(".notice__sign")).to_contain_text("Nguyễn Văn Vũ Minh")
    # clean punctuation: no ". (chủ trì", the last recipient closes with a full stop
    body = page.locator(".notice").inner_text()
    assert "nâng cao (chủ trì: Xã Mỹ Quý; thời hạn: 14/04/2023)." in body
    assert ". (" not in body and ".." not in body
    assert page.locator(".notice__recipients p").last.inner_text() == "- Lưu Văn phòng."
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="In thông báo").click()
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="In thông báo")).to_be_hidden()
    assert page.get_by_text("Số 12-TB/ĐKT").is_visible()  # the Party form: no colon
    assert page.get_by_text("Xây dựng lộ trình cụ thể cho tiêu chí thu nhập").is_visible()
    expect(page.get_by_text("Về buổi làm việc")).to_be_hidden()
    assert page.get_by_text("- Đảng ủy xã Mỹ Quí,").is_visible()  # one recipient per line
    assert page.get_by_text("quý I/2023").is_visible()
    page.screenshot(path=tmp_path / "notice.png", full_page=True)
    assert (tmp_path / "notice.png").stat().st_size > 10_000
    assert problems == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_the_office_finds_a_member_by_name_and_adds_them(live_server, page) -> None:
    """The members' search answers in place (htmx) and Enter in its box searches; Enter
    elsewhere saves. Nothing typed is lost on the way."""
    from inspections.models import Delegation
    from org.models import Role, Unit, User

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    district = Unit.objects.get(code="872", valid_to__isnull=False)
    newcomer = User.objects.create_user(
        username="thanhtra", first_name="Trần Văn", last_name="Thanh", role=Role.INSPECTOR,
        unit=district, job_title="Ủy viên Ủy ban Kiểm tra",
    )  # fmt: skip
    delegation = Delegation.objects.filter(campaign__year=2023).first()
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in(page, base, "vanphong")
    page.goto(f"{base}/inspections/delegations/{delegation.pk}/edit/")
    page.get_by_label("Thành phần").fill("Trưởng Ban Tổ chức\nỦy viên mới")
    search = page.get_by_label("Tìm tài khoản (tên, tài khoản, chức vụ)")
    search.fill("tran van")  # no diacritics typed
    search.press("Enter")
    found = page.get_by_label("Trần Văn Thanh (thanhtra) – Ủy viên Ủy ban Kiểm tra")
    expect(found).to_be_visible()
    assert page.get_by_label("Thành phần").input_value() == "Trưởng Ban Tổ chức\nỦy viên mới"
    expect(search).to_be_focused()
    found.check()
    page.get_by_label("Tên đoàn").press("Enter")  # saves
    expect(page.get_by_text("Đã lưu đoàn công tác.")).to_be_visible()
    assert newcomer in delegation.members.all()
    assert "Ủy viên mới" in Delegation.objects.get(pk=delegation.pk).member_roles
