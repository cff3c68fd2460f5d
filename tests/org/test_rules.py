"""The permission tables in each app's rules.py: every permission is one the portal asks."""

from __future__ import annotations

from pathlib import Path

import pytest
import rules

import inspections.rules  # noqa: F401 - registers the permissions
import ntm.rules  # noqa: F401
import plans.rules  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / app for app in ("org", "plans", "ntm", "inspections", "portal", "templates")]


def _source_text() -> str:
    texts = []
    for folder in SOURCES:
        for path in folder.rglob("*"):
            if path.suffix in {".py", ".html"} and path.name != "rules.py":
                texts.append(path.read_text(encoding="utf-8"))
    return "\n".join(texts)


def test_reading_is_scoped_by_visible_units_not_a_permission() -> None:
    # plans.view_unit_data ignored inspectors' delegations and nothing asked for it; reads
    # are scoped by visible_units(), which knows the delegations.
    assert not rules.perm_exists("plans.view_unit_data")


@pytest.mark.parametrize("name", sorted(rules.permissions.permissions))
def test_every_permission_is_asked_somewhere(name: str) -> None:
    assert f'"{name}"' in _source_text() or f"'{name}'" in _source_text(), name
