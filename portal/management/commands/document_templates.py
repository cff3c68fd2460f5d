"""`manage.py document_templates`: write the shipped Word templates under templates/documents/.

The .docx files are committed; this command is how they were made, so a change to the layout
is a change to code, reviewed like code. An office replaces a template by putting its own file
of the same name in DOCUMENT_TEMPLATES_DIR (README: Văn bản Word và PDF).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from org.documents import SHIPPED_TEMPLATES
from plans import documents as plan_documents

TEMPLATES = {
    plan_documents.DOCX_TEMPLATE: plan_documents.docx_template,
}


class Command(BaseCommand):
    help = "Tạo lại các mẫu văn bản Word (.docx) theo Nghị định 30/2020/NĐ-CP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            type=Path,
            default=SHIPPED_TEMPLATES,
            help="thư mục ghi mẫu (mặc định: %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        with translation.override("vi"):
            for name, build in TEMPLATES.items():
                build().save(out / name)
                self.stdout.write(f"{out / name}")
