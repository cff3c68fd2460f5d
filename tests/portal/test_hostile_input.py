"""Nothing typed into a URL or a form breaks the portal: a crawl of every page.

Starting from the home page of an office account and the administrator, the crawl follows
every link within the portal (one page per URL name), then sends each page every query
parameter the portal reads with hostile values, and posts every form it found with hostile
values in every field. No answer may be a server error, and a form posted with every field
hostile must write nothing.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from org.models import User

pytestmark = pytest.mark.django_db

HOSTILE = [
    "9" * 10_000,  # Python refuses int() past 4 300 digits
    "99999999999999999999",  # past 2^63: SQLite refuses it
    "-1",
    "\x00",
    "x" * 10_000,
    "١٢",  # Arabic-Indic digits: str.isdigit() says yes
    "2023\n",
    "<script>alert(1)</script>",
]
# Values no field of any form may accept: a form posted with them everywhere writes nothing.
NEVER_VALID = {"9" * 10_000, "\x00", "x" * 10_000}
SKIPPED_PREFIXES = ("/admin/", "/i18n/", "/logout/", "/static/")
LINK = re.compile(r'href="(/[^"#]*)"')
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.S)
ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)
# Rows a request may write whatever it is sent: the session.
ALLOWED_WRITE_TABLES = ("django_session",)


def _name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


class Crawl:
    """What a crawl found: one URL per view name, the query parameters each page is linked
    or filtered with, and every POST form (the page, its action, its field names)."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.parameters: dict[str, set[str]] = {}
        self.forms: dict[tuple[str | None, frozenset], tuple[str, str, set[str]]] = {}

    def read(self, url: str, html: str) -> list[str]:
        """Record the page's forms and links; return the links to follow."""
        name = _name(urlsplit(url).path)
        for attributes, body in FORM.findall(html):
            attrs = dict(ATTRIBUTE.findall(attributes))
            fields = set(FIELD.findall(body)) - {"csrfmiddlewaretoken"}
            if attrs.get("method", "get").lower() == "get":
                self.parameters.setdefault(name, set()).update(fields)
                continue
            action = unescape(attrs.get("action") or url)
            if not action.startswith(SKIPPED_PREFIXES):
                key = (_name(urlsplit(action).path), frozenset(fields))
                self.forms.setdefault(key, (url, action, fields))
        follow = []
        for href in map(unescape, LINK.findall(html)):
            parts = urlsplit(href)
            target = _name(parts.path)
            if target is None or href.startswith(SKIPPED_PREFIXES):
                continue
            keys = {pair.split("=")[0] for pair in parts.query.split("&") if pair}
            self.parameters.setdefault(target, set()).update(keys)
            if target not in self.pages:
                self.pages[target] = href
                follow.append(href)
        return follow


def crawl(client: Client) -> Crawl:
    found = Crawl()
    queue = ["/"]
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        assert response.status_code < 500, f"GET {url} answered {response.status_code}"
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            queue += found.read(url, response.content.decode())
    return found


def _writes(queries) -> list[str]:
    return [
        q["sql"][:120]
        for q in queries
        if WRITES.match(q["sql"]) and not any(t in q["sql"] for t in ALLOWED_WRITE_TABLES)
    ]


def _short(value: str) -> str:
    return repr(value[:12] + ("…" if len(value) > 12 else ""))


def _get_failures(client: Client, found: Crawl) -> list[str]:
    failures = []
    for name, url in found.pages.items():
        path = urlsplit(url).path
        for parameter in sorted(found.parameters.get(name, set())):
            for value in HOSTILE:
                status = client.get(path, {parameter: value}).status_code
                if status >= 500:
                    failures.append(f"GET {path}?{parameter}={_short(value)} → {status}")
    return failures


def _post_failures(client: Client, found: Crawl) -> list[str]:
    failures = []
    for page, action, fields in found.forms.values():
        if not fields:  # a button that only asks for the action (submit, approve …)
            continue
        for value in HOSTILE:
            with CaptureQueriesContext(connection) as queries:
                status = client.post(action, {name: value for name in fields}).status_code
            if status >= 500:
                failures.append(f"POST {action} (from {page}) every field {_short(value)} → 500")
            elif value in NEVER_VALID and (written := _writes(queries.captured_queries)):
                failures.append(f"POST {action} every field {_short(value)} wrote {written}")
    return failures


@pytest.mark.parametrize("username", ["vanphong", "admin"])
def test_nothing_typed_in_a_url_or_a_form_causes_a_server_error(username: str) -> None:
    # A server error is an answer to report, not an exception to stop at.
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    found = crawl(client)
    namespaces = {name.split(":")[0] for name in found.pages}
    assert {"portal", "plans", "ntm", "inspections"} <= namespaces
    assert len(found.pages) >= 25 and len(found.forms) >= 10
    failures = _get_failures(client, found) + _post_failures(client, found)
    assert not failures, "\n".join(failures)
