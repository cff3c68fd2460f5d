"""The permission table in portal.rules: every permission it defines is one the portal asks."""

from __future__ import annotations

from pathlib import Path

import pytest
import rules

import portal.rules  # noqa: F401 - registers the permissions

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "plans", ROOT / "portal", ROOT / "inspections", ROOT / "templates"]
# Described for the admin site, which Django guards with is_staff itself.
NOT_ASKED_YET = {"portal.use_admin_site"}


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


@pytest.mark.parametrize(
    "name", sorted(n for n in rules.permissions.permissions if n not in NOT_ASKED_YET)
)
def test_every_permission_is_asked_somewhere(name: str) -> None:
    assert f'"{name}"' in _source_text() or f"'{name}'" in _source_text(), name
