"""`manage.py document_templates`: write the shipped Word templates under templates/documents/.

The .docx files are committed; this command is how they were made, so a change to the layout
is a change to code, reviewed like code. An office replaces a template by putting its own file
of the same name in DOCUMENT_TEMPLATES_DIR (README: Văn bản Word và PDF).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from inspections import documents as notice_documents
from org.documents import SHIPPED_TEMPLATES
from plans import documents as plan_documents

TEMPLATES = {
    plan_documents.PLAN.docx: plan_documents.docx_template,
    plan_documents.REPORT.docx: plan_documents.report_docx_template,
    notice_documents.NOTICE.docx: notice_documents.docx_template,
    notice_documents.CONFERENCE.docx: notice_documents.conference_docx_template,
}


def reproducible(document) -> bytes:
    """The .docx with every zip entry dated 1/1/1980: the same code writes the same bytes, so
    regenerating changes nothing in git unless the layout changed."""
    saved = io.BytesIO()
    document.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(entry.filename))
    return out.getvalue()


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
                (out / name).write_bytes(reproducible(build()))
                self.stdout.write(f"{out / name}")
