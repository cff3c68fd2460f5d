"""Site-wide guarantees: login, CSRF, cache headers, CSP, health, settings safety."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_login_with_a_demo_account_lands_on_home(client: Client, settings) -> None:
    from org.models import User

    user = User.objects.get(username="vanphong")
    user.set_password("demo12345")
    user.save()
    response = client.post("/login/", {"username": "vanphong", "password": "demo12345"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_wrong_password_gives_a_vietnamese_error(client: Client) -> None:
    response = client.post("/login/", {"username": "vanphong", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_login_without_a_csrf_token_is_refused() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "vanphong", "password": "demo12345"})
    assert response.status_code == 403


def test_logout_needs_post(login) -> None:
    client = login("vanphong")
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_signed_in_pages_are_never_cached(login) -> None:
    response = login("vanphong").get("/")
    assert response["Cache-Control"] == "no-store"


def test_pages_carry_a_strict_content_security_policy(login) -> None:
    policy = login("vanphong").get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_health_check_answers_ok(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_interface_speaks_vietnamese_by_default(client: Client) -> None:
    page = client.get("/login/").content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page


def test_an_unknown_page_is_a_friendly_404_without_details(login) -> None:
    response = login("vanphong").get("/khong-co/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def _settings_import(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    environment |= env
    code = "import django; django.setup()"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env=environment | {"DJANGO_SETTINGS_MODULE": "portal.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _settings_import(PORTAL_DEPLOYMENT="production", DATABASE_URL="sqlite:///x")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_database_url() -> None:
    result = _settings_import(PORTAL_DEPLOYMENT="production", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


def test_debug_is_off_unless_asked_for() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from portal import settings; print(settings.DEBUG)"],
        env={k: v for k, v in os.environ.items() if k != "DEBUG"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_an_english_browser_still_gets_vietnamese(client: Client) -> None:
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"


def test_the_language_switch_chooses_english(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    response = client.get("/login/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
    assert "Log in" in response.content.decode()


def test_error_pages_carry_the_request_id_from_the_log(login) -> None:
    response = login("vanphong").get("/plans/999999/")
    assert response.status_code == 404
    assert response["X-Request-ID"] in response.content.decode()


def test_a_form_refused_by_the_csrf_check_gets_a_vietnamese_page() -> None:
    """A form left open past the session: Django's English CSRF page was shown before."""
    from org.models import User

    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="vanphong"))
    response = client.post("/plans/years/open/", {"year": "2027", "working_days": "2"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Biểu mẫu đã hết hiệu lực" in page and "CSRF" not in page
    assert response["X-Request-ID"] in page
    assert 'href="/plans/years/open/"' in page  # a way back to the form
    assert '<html lang="vi">' in page


def test_check_deploy_rejects_the_development_secret_key() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_a_database_outage_answers_503_with_retry_after(login) -> None:
    from unittest import mock

    from django.db import OperationalError

    from plans.models import CommunePlan

    client = login("vanphong")
    outage = OperationalError("connection to server at 127.0.0.1 refused")
    with mock.patch.object(CommunePlan.objects, "visible_to", side_effect=outage):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Hệ thống tạm thời gián đoạn" in page
    assert response["X-Request-ID"] in page
    assert "127.0.0.1" not in page


def test_no_template_comment_spans_lines() -> None:
    """`{# … #}` ends on its line; one spread over two lines is printed on the page."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    broken = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert broken == []
