"""The shipped Word templates are what `manage.py document_templates` writes today."""

from __future__ import annotations

import zipfile
from pathlib import Path

from django.core.management import call_command

from org.documents import SHIPPED_TEMPLATES
from portal.management.commands.document_templates import TEMPLATES


def parts(path: Path) -> dict[str, bytes]:
    """The XML parts of a .docx, without the zip's own dates."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_committed_templates_are_the_generated_ones(tmp_path: Path) -> None:
    call_command("document_templates", out=tmp_path, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert TEMPLATES
    for name in TEMPLATES:
        assert parts(tmp_path / name) == parts(SHIPPED_TEMPLATES / name), (
            f"{name} differs from the generator: run `manage.py document_templates`"
        )
