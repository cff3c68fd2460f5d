"""A fresh installation, without the demo, walked through in a real browser.

The installation follows the README's "Production" section in a subprocess with its own
database (a file on SQLite; a database of its own, dropped afterwards, when the session runs
on PostgreSQL): `migrate`, the first administrator, `import_units` with the shipped tree and
`import_accounts` for an office of Tỉnh Đồng Tháp and the commune Xã Mỹ Quí. The server then
runs with Django's clock at 12/01/2027 09:00 (Hà Nội time), inside the cut-off window of
Tháng 1/2027 (15/12/2026–14/01/2027, due two working days later, on 18/01/2027).

The administrator opens the admin; the office opens 2027 and issues a socio-economic plan with
one target; the commune writes its plan with a target concretizing it and submits it; the
office approves it; the commune reports Tháng 1/2027; the office's dashboard, read once
before the report and once after, shows the commune as reported on time.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import Page, expect

from tests.browser import sign_out
from tests.conftest import BROWSER

pytestmark = BROWSER

BASE_DIR = Path(settings.BASE_DIR)
LAUNCHER = Path(__file__).with_name("fresh_server.py")
MOMENT = "2027-01-12T09:00:00+07:00"
ADMIN = ("quantri", "Quan-tri-he-thong-2027")
PROVINCE, COMMUNE = "82", "30055"
ACCOUNTS = f"""username,last_name,first_name,email,role,unit,job_title
vanphong,Nguyễn Văn,An,an@example.vn,district_staff,{PROVINCE},Chuyên viên Văn phòng
myqui,Trần Thị,Bình,binh@example.vn,commune_staff,{COMMUNE},Công chức Văn phòng – Thống kê
"""


@dataclass
class Installation:
    url: str
    passwords: dict[str, str]
    log: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def _database(tmp_path: Path) -> Iterator[str]:
    """The DATABASE_URL of an empty database of the session's vendor, dropped afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'portal.sqlite3'}"
        return
    import psycopg

    db = settings.DATABASES["default"]
    server = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"],
    }
    name = f"portal_fresh_{secrets.token_hex(4)}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    credentials = quote(server["user"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    try:
        yield f"postgres://{credentials}@{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(LAUNCHER), MOMENT, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result


def _wait_for(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server stopped:\n{log.read_text()}"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.2)
    raise AssertionError(f"the server did not listen on {port}:\n{log.read_text()}")


@pytest.fixture
def installation(tmp_path: Path) -> Iterator[Installation]:
    with _database(tmp_path) as database_url:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_", "TEST_DATABASE", "DJANGO_"))
        } | {
            "PORTAL_DEPLOYMENT": "production",
            "HTTPS": "false",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "PAGE_CACHE_SECONDS": "300",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SUPERUSER_USERNAME": ADMIN[0],
            "DJANGO_SUPERUSER_PASSWORD": ADMIN[1],
            "DJANGO_SUPERUSER_EMAIL": "quantri@example.vn",
        }
        _manage(env, "migrate", "--no-input", "-v0")
        _manage(env, "createsuperuser", "--no-input")
        _manage(env, "import_units")
        accounts, passwords_out = tmp_path / "accounts.csv", tmp_path / "passwords.csv"
        accounts.write_text(ACCOUNTS, encoding="utf-8")
        _manage(env, "import_accounts", str(accounts), "--passwords-out", str(passwords_out))
        with passwords_out.open(encoding="utf-8") as handle:
            passwords = {row["username"]: row["password"] for row in csv.DictReader(handle)}

        port, log = _free_port(), tmp_path / "server.log"
        with log.open("w") as output:
            server = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    str(LAUNCHER),
                    MOMENT,
                    "runserver",
                    "--noreload",
                    f"127.0.0.1:{port}",
                ],
                cwd=BASE_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_for(server, port, log)
            yield Installation(f"http://127.0.0.1:{port}", {ADMIN[0]: ADMIN[1], **passwords}, log)
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            print(log.read_text()[-5000:])


def _sign_in(page: Page, site: Installation, username: str) -> None:
    page.goto(f"{site.url}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(site.passwords[username])
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{site.url}/")


def _commune_row(page: Page):
    return page.get_by_role("row").filter(has_text="Xã Mỹ Quí")


def _dashboard_row(page: Page, site: Installation):
    page.goto(f"{site.url}/")
    page.get_by_role("link", name="Bảng điều hành").click()
    page.get_by_label("Kỳ", exact=True).select_option(label="Tháng 1/2027")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tỉnh Đồng Tháp – 2027 · Tháng 1/2027"
    )
    return page.locator("table.dash-table tbody tr").filter(has_text="Xã Mỹ Quí")


def test_a_fresh_installation_runs_a_commune_through_its_first_month(
    installation: Installation, page: Page, tmp_path: Path
) -> None:
    site = installation
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": 1366, "height": 900})
    problems: list[str] = []
    page.on(
        "console",
        # The admin's pages name no icon: Chromium asks for /favicon.ico, which is a 404.
        lambda msg: (
            problems.append(f"{msg.text} {msg.location['url']}")
            if msg.type == "error" and not msg.location["url"].endswith("/favicon.ico")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))

    _sign_in(page, site, ADMIN[0])
    expect(page.get_by_text("3321 đơn vị cấp xã")).to_be_visible()
    response = page.goto(f"{site.url}/admin/")
    assert response is not None and response.ok
    expect(page.get_by_role("link", name="Đơn vị hành chính", exact=True)).to_be_visible()
    page.goto(f"{site.url}/")
    sign_out(page)

    _sign_in(page, site, "vanphong")
    page.goto(f"{site.url}/plans/years/open/")
    expect(page.get_by_role("heading", name="Mở năm báo cáo – Tỉnh Đồng Tháp")).to_be_visible()
    page.get_by_label("Năm").fill("2027")
    page.get_by_label("Hạn báo cáo (số ngày làm việc sau ngày chốt số liệu)").fill("2")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã mở năm 2027: 19 kỳ báo cáo")).to_be_visible()

    page.goto(f"{site.url}/")
    page.get_by_role("link", name="+ Văn bản mới năm 2027").click()
    page.get_by_label("Loại văn bản").select_option(label="Kế hoạch phát triển kinh tế – xã hội")
    page.get_by_label("Số hiệu").fill("15/KH-UBND")
    page.get_by_label("Ngày ban hành").fill("2026-12-20")
    page.get_by_label("Trích yếu").fill("Kế hoạch phát triển kinh tế – xã hội năm 2027")
    page.get_by_role("button", name="Tạo văn bản").click()
    page.wait_for_url("**/programmes/*/edit/")
    target = page.locator("#edit-target fieldset.itemrow").last
    target.get_by_label(re.compile(r"^Nội dung")).fill("Tỷ lệ hộ nghèo giảm còn dưới 1%.")
    target.get_by_label("Đơn vị tính").fill("%")
    target.get_by_label("Chiều đánh giá").select_option("decrease")
    target.get_by_label("Giá trị chỉ tiêu").fill("1")
    target.get_by_label("Tổng hợp từ các xã").select_option(label="Bình quân các xã")
    page.get_by_role("button", name="Lưu văn bản").click()
    expect(page.get_by_text("Đã lưu văn bản.")).to_be_visible()
    expect(page.get_by_text("1 chỉ tiêu chủ yếu")).to_be_visible()
    sign_out(page)

    _sign_in(page, site, "myqui")
    expect(page.get_by_text("1 đơn vị cấp xã")).to_be_visible()
    _commune_row(page).get_by_role("link", name="Lập kế hoạch").click()
    page.get_by_label("Trích yếu").fill("Kế hoạch thực hiện nhiệm vụ kinh tế – xã hội năm 2027")
    page.get_by_label("Số hiệu").fill("01/KH-UBND")
    page.get_by_role("button", name="Lập dự thảo").click()
    page.wait_for_url("**/plans/*/edit/")
    target = page.locator("#edit-target fieldset.itemrow").last
    target.get_by_label(re.compile(r"^Nội dung")).fill("Tỷ lệ hộ nghèo của xã giảm còn 0,8%.")
    target.get_by_label("Cụ thể hóa nội dung của cấp trên").select_option(
        label="Tỷ lệ hộ nghèo giảm còn dưới 1%."
    )
    target.get_by_label("Đơn vị tính").fill("%")
    target.get_by_label("Chiều đánh giá").select_option("decrease")
    target.get_by_label("Đầu kỳ").fill("1,2")
    target.get_by_label("Giá trị chỉ tiêu").fill("0,8")
    target.get_by_label("Cách tính").select_option("point")
    page.get_by_role("button", name="Lưu kế hoạch").click()
    expect(page.get_by_text("Đã lưu kế hoạch.")).to_be_visible()
    expect(page.get_by_text("Cụ thể hóa: 15/KH-UBND")).to_be_visible()
    page.get_by_role("button", name="Trình duyệt").click()
    expect(page.get_by_text("Đã trình kế hoạch")).to_be_visible()
    sign_out(page)

    _sign_in(page, site, "vanphong")
    expect(_commune_row(page)).to_contain_text("Chờ duyệt")
    _commune_row(page).get_by_role("link", name="01/KH-UBND").click()
    page.get_by_role("link", name="Duyệt", exact=True).click()
    page.get_by_role("button", name="Xác nhận duyệt").click()
    expect(page.get_by_text("Đã duyệt kế hoạch.")).to_be_visible()
    expect(_dashboard_row(page, site)).to_contain_text("chưa gửi")
    sign_out(page)

    _sign_in(page, site, "myqui")
    _commune_row(page).get_by_role("link", name="01/KH-UBND").click()
    page.get_by_role("link", name="Tiến độ thực hiện").click()
    page.get_by_role("link", name="Tháng 1/2027").click()
    page.get_by_role("link", name="Nhập báo cáo").click()
    expect(page.get_by_text("Hạn báo cáo: 18/01/2027")).to_be_visible()
    target = page.get_by_role("group", name=re.compile(r"Tỷ lệ hộ nghèo của xã"))
    target.get_by_label("Giá trị đạt được").fill("1,1")
    page.get_by_label("Kết quả đạt được").fill("Rà soát hộ nghèo; hỗ trợ sinh kế cho 12 hộ.")
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.get_by_role("button", name="Xác nhận gửi").click()
    expect(page.get_by_text("Đã gửi báo cáo.")).to_be_visible()
    expect(page.get_by_text("gửi lúc 09:00 12/01/2027 · hạn 18/01/2027")).to_be_visible()
    sign_out(page)

    _sign_in(page, site, "vanphong")
    row = _dashboard_row(page, site)
    expect(row).to_contain_text("đúng hạn")
    expect(row.locator(".badge-status--on_track")).to_be_visible()
    attention = page.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile("^Cần quan tâm"))
    )
    expect(attention).not_to_contain_text("Xã Mỹ Quí")
    row.scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / "dashboard.png")

    assert "Internal Server Error" not in site.log.read_text()
    assert problems == []
