"""The shipped Word templates are, byte for byte, what `manage.py document_templates` writes."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command

from org.documents import SHIPPED_TEMPLATES
from portal.management.commands.document_templates import TEMPLATES


def test_the_committed_templates_are_the_generated_ones(tmp_path: Path) -> None:
    call_command("document_templates", out=tmp_path, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert TEMPLATES
    for name in TEMPLATES:
        assert (tmp_path / name).read_bytes() == (SHIPPED_TEMPLATES / name).read_bytes(), (
            f"{name} differs from the generator: run `manage.py document_templates`"
        )
