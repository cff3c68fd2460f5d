"""Every URL the portal serves refuses anonymous users, except an explicit public list."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# Pages anyone may open, with the method they answer: logging in, logging out (harmless when
# signed out), the load balancer's health check, the choice of language.
PUBLIC = {
    "portal:login": "get",
    "portal:logout": "post",
    "portal:health": "get",
    "portal:readiness": "get",  # /health/: every dependency, for the load balancer
    "portal:metrics": "get",  # internal addresses only (the test client's is 127.0.0.1)
    "portal:inbox-count": "get",  # signed out: 204 and nothing (see test_inbox)
    "set_language": "post",
}
# The admin sends anonymous users to its own login page; its logout is harmless.
ADMIN_LOGIN_NAMES = {"admin:login", "admin:logout"}

SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "x/y", "uuid": "0" * 32}


def _sample_route(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return re.sub(
            r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], str(pattern._route)
        )
    assert isinstance(pattern, RegexPattern)
    regex = pattern._regex.lstrip("^").rstrip("$").replace("\\Z", "")
    # Named groups of alternatives, e.g. the admin's (?P<app_label>auth|portal|plans)/.
    regex = re.sub(r"\(\?P<\w+>([^|)]+)[^)]*\)", r"\1", regex)
    return regex


def all_urls() -> list[tuple[str, str]]:
    found = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            route = prefix + _sample_route(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, route, ns)
            elif isinstance(entry, URLPattern):
                found.append((f"{namespace}{entry.name}", "/" + route))

    walk(get_resolver().url_patterns, "", "")
    return found


URLS = all_urls()
PROTECTED = [(name, url) for name, url in URLS if name not in {*PUBLIC, *ADMIN_LOGIN_NAMES}]


def test_the_walk_finds_the_portal_pages() -> None:
    names = {name for name, _url in URLS}
    assert {"portal:home", "plans:plan-detail", "plans:programme-detail"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url"), PROTECTED, ids=[url for _name, url in PROTECTED])
def test_anonymous_users_are_sent_to_login(client: Client, name: str, url: str) -> None:
    response = client.get(url)
    if response.status_code == 405:  # a POST-only action
        response = client.post(url)
    assert response.status_code == 302, f"{url} answered {response.status_code}"
    login = "/admin/login/" if name.startswith("admin:") else "/login/"
    assert response["Location"].startswith(login)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_the_public_pages_answer_without_login(client: Client, name: str) -> None:
    url = dict(URLS)[name]
    response = getattr(client, PUBLIC[name])(url)
    assert response.status_code in {200, 204, 302}


def test_every_public_name_exists() -> None:
    names = {name for name, _url in URLS}
    assert names >= set(PUBLIC) | ADMIN_LOGIN_NAMES


@pytest.mark.django_db
def test_the_metrics_are_hidden_from_an_outside_address() -> None:
    # public in the sense of no login; only internal addresses see it (README: Health and metrics)
    assert Client(REMOTE_ADDR="203.0.113.5").get("/metrics").status_code == 404
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 200
