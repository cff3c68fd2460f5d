"""What the import commands share: reading a CSV file and reporting refused rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.core.management.base import BaseCommand, CommandError

from org.services import ImportRefused, read_csv

T = TypeVar("T")


def import_file(
    command: BaseCommand,
    path: Path,
    columns: tuple[str, ...],
    load: Callable[[list[tuple[int, dict[str, str]]]], T],
    nothing_done: str,
    *,
    optional: tuple[str, ...] = (),
) -> T:
    """`load` the rows of the CSV at `path`; an unreadable file or refused rows end the
    command with every bad line on stderr and `nothing_done` as its error."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return load(read_csv(handle, columns, optional))
    except OSError as error:
        raise CommandError(f"Không đọc được tệp {path}: {error}") from error
    except ImportRefused as refused:
        for line, reason in refused.errors:
            command.stderr.write(f"  dòng {line}: {reason}")
        raise CommandError(f"{nothing_done}: {len(refused.errors)} dòng không hợp lệ.") from None
