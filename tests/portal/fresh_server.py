"""`python tests/portal/fresh_server.py MOMENT COMMAND [ARGS…]`: runs `manage.py COMMAND` with
Django's clock stopped at MOMENT (an ISO datetime with its offset), so that a fresh
installation can be driven through a chosen day of its reporting calendar."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def main() -> None:
    moment = datetime.datetime.fromisoformat(sys.argv[1])
    if moment.tzinfo is None:
        raise SystemExit("MOMENT needs an offset, e.g. 2027-01-12T09:00:00+07:00")
    moment = moment.astimezone(datetime.UTC)
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

    from django.utils import timezone

    timezone.now = lambda: moment

    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", *sys.argv[2:]])


if __name__ == "__main__":
    main()
