"""Shared test set-up: the demo data set, fast password hashing, logged-in clients."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from org.models import User
from plans.models import CommunePlan

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# under one unless told the tests know what they do.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Marks for a module of Playwright journeys: skipped cleanly where Debian's chromium is absent.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


def pytest_configure(config: pytest.Config) -> None:
    # Pages use the hashed static file names of the production storage.
    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # Argon2 stays second: the demo accounts loaded once per session are hashed with it.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "org.hashers.TunedArgon2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _render_every_page(settings) -> None:
    # Each test rolls its data back, so the data version never moves: a cached page could
    # outlive its test. tests/portal/test_pagecache.py turns the cache back on.
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> None:
    """Load the demo once per test session; each test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def login(client: Client) -> Callable[[str], Client]:
    """`login("myqui")` → the test client signed in as that demo account."""

    def _login(username: str) -> Client:
        client.force_login(User.objects.get(username=username))
        return client

    return _login


def demo_plan(unit_name: str, year: int) -> CommunePlan:
    return CommunePlan.objects.get(unit__name=unit_name, year=year)


@pytest.fixture
def my_qui_2023(db) -> CommunePlan:
    return demo_plan("Mỹ Quý", 2023)


@pytest.fixture
def phu_dien_2022(db) -> CommunePlan:
    return demo_plan("Phú Điền", 2022)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
    }


@pytest.fixture
def plain_static_names(settings) -> None:
    """The live server serves static files from the finders, which know no hashed names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# A morning late in the demo's 2023 campaign year (Hà Nội time), when its delegations still act.
CAMPAIGN_2023_MOMENT = "2023-12-20T08:00:00+07:00"


@pytest.fixture
def during_campaign_2023():
    """Today is during the demo's 2023 inspection campaign: an inspector's powers are bound
    to their delegation's year, so the demo's 2023 delegation acts only then."""
    import datetime
    from unittest import mock

    from django.utils import timezone

    moment = datetime.datetime.fromisoformat(CAMPAIGN_2023_MOMENT)
    with mock.patch.object(timezone, "now", return_value=moment):
        yield moment


# 10/5/2023 (Hà Nội morning): Tháng 5/2023's report is due on 16/5, Tháng 4's (due 18/4) is
# overdue; a commune's reporting day in the demo.
MAY_2023 = "2023-05-10T09:00:00+07:00"


@pytest.fixture
def may_2023():
    """Today is 10/5/2023, in the middle of the demo's reporting year."""
    import datetime
    from unittest import mock

    from django.utils import timezone

    moment = datetime.datetime.fromisoformat(MAY_2023)
    with mock.patch.object(timezone, "now", return_value=moment):
        yield moment
