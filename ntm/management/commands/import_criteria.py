"""`manage.py import_criteria`: load NTM criteria sets from CSV or Excel, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.models import CriteriaSet
from ntm.services import CriteriaImportError, import_criteria, load_shipped_sets, read_table

SHIPPED = Path(settings.BASE_DIR) / "data" / "ntm"


class Command(BaseCommand):
    help = (
        "Nạp bộ tiêu chí nông thôn mới: `--shipped` nạp các bộ kèm theo phần mềm "
        "(data/ntm/sets.toml); `SET_CODE FILE` nạp một tệp CSV/xlsx vào bộ tiêu chí đã khai báo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("set_code", nargs="?", help="mã bộ tiêu chí đã khai báo")
        parser.add_argument("file", nargs="?", help="tệp .csv hoặc .xlsx")
        parser.add_argument("--shipped", action="store_true", help="nạp các bộ trong data/ntm/")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["shipped"]:
                for criteria_set, result in load_shipped_sets(SHIPPED):
                    done = (
                        f"{result.criteria} tiêu chí, {result.indicators} chỉ tiêu"
                        if result
                        else "giữ nguyên"
                    )
                    self.stdout.write(f"{criteria_set.code}: {done}")
                return
            if not (options["set_code"] and options["file"]):
                raise CommandError("Cần SET_CODE và FILE, hoặc --shipped.")
            try:
                criteria_set = CriteriaSet.objects.get(code=options["set_code"])
            except CriteriaSet.DoesNotExist as error:
                raise CommandError(f"Không có bộ tiêu chí mã {options['set_code']}.") from error
            path = Path(options["file"])
            with path.open("rb") as handle:
                result = import_criteria(criteria_set, read_table(handle, path.name))
        except CriteriaImportError as error:
            for line, message in error.errors:
                self.stderr.write(f"dòng {line}: {message}" if line else message)
            raise CommandError("Không nạp dòng nào.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {result.groups} nhóm, {result.criteria} tiêu chí, "
                f"{result.indicators} chỉ tiêu."
            )
        )
