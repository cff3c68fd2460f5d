"""The floors hold: every import in the project's apps points down, never up or sideways.

Ground (`org`) imports no project app; `plans` stands on the ground; `ntm` on the ground and
`plans`; `inspections` on all three; the roof (`portal`) may import anything, and nothing
imports it. Imports inside functions and under TYPE_CHECKING count too: a lazy import is
still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Each app and the apps it may import, besides itself.
FLOORS: dict[str, set[str]] = {
    "org": set(),
    "plans": {"org"},
    "ntm": {"org", "plans"},
    "inspections": {"org", "plans", "ntm"},
    "portal": {"org", "plans", "ntm", "inspections"},
}


def imported_modules(source: str, module: str) -> set[str]:
    """Every module that `source` (the text of `module`) imports, relative ones resolved."""
    package = module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                found.add(f"{base}.{node.module}" if node.module else base)
            else:
                found.add(node.module)
    return found


def upward_imports(app: str, source: str, module: str) -> set[str]:
    """The project apps that `module` of `app` imports but may not."""
    apps = {name.split(".")[0] for name in imported_modules(source, module)}
    return (apps & FLOORS.keys()) - FLOORS[app] - {app}


def _modules(app: str) -> list[tuple[str, Path]]:
    folder = ROOT / app
    return [
        (".".join(path.relative_to(ROOT).with_suffix("").parts), path)
        for path in sorted(folder.rglob("*.py"))
    ]


def test_every_app_is_on_a_floor() -> None:
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps == FLOORS.keys()


@pytest.mark.parametrize("app", list(FLOORS))
def test_imports_only_point_down(app: str) -> None:
    wrong = {
        module: sorted(bad)
        for module, path in _modules(app)
        if (bad := upward_imports(app, path.read_text(encoding="utf-8"), module))
    }
    assert not wrong, f"{app} imports above its floor: {wrong}"


@pytest.mark.parametrize(
    ("app", "source", "expected"),
    [
        ("org", "from plans.models import CommunePlan", {"plans"}),
        ("plans", "def f():\n    from ntm.models import Rating\n", {"ntm"}),
        (
            "plans",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import portal\n",
            {"portal"},
        ),
        ("ntm", "from inspections import services", {"inspections"}),
        ("inspections", "import portal.pagecache", {"portal"}),
        ("inspections", "from ntm.models import NtmAssignment\nfrom org.models import Unit", set()),
        ("portal", "from inspections.models import Visit", set()),
        ("plans", "from .models import CommunePlan\nfrom . import services", set()),
    ],
)
def test_the_check_catches_an_upward_import(app: str, source: str, expected: set[str]) -> None:
    assert upward_imports(app, source, f"{app}.views") == expected


def test_relative_imports_resolve_to_their_package() -> None:
    assert imported_modules("from ..models import Unit", "org.views.units") == {"org.models"}
    assert imported_modules("from . import rules", "org.views") == {"org"}
