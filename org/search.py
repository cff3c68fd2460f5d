"""Search that ignores Vietnamese diacritics and case, the same way on SQLite and PostgreSQL.

`fold("Mỹ Quí")` → "my qui". In queries, `Fold("text")` folds a column: PostgreSQL uses the
`unaccent` extension (created by a migration), SQLite a Python function registered on each
new connection. đ/Đ have no Unicode decomposition, so both fold them explicitly.
"""

from __future__ import annotations

import unicodedata

from django.db import models
from django.db.backends.signals import connection_created
from django.db.models import Func, QuerySet

SQLITE_FUNCTION = "portal_fold"


def fold(text: str) -> str:
    """Lower case, no diacritics, đ → d, single spaces; NFC and NFD input fold the same.
    Control characters (a NUL byte, say) are dropped: no database accepts them in a query."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(
        " " if ch.isspace() else ch
        for ch in decomposed
        if not unicodedata.combining(ch) and (ch.isspace() or unicodedata.category(ch) != "Cc")
    )
    return " ".join(stripped.replace("đ", "d").replace("Đ", "D").lower().split())


class Fold(Func):
    """SQL expression for `fold()` of a text column."""

    output_field = models.TextField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        # unaccent() already maps đ→d; lower() after it handles the capitals it leaves.
        return super().as_sql(
            compiler, connection, template="lower(unaccent(%(expressions)s))", **extra
        )


def _sqlite_fold(value: str | None) -> str | None:
    return None if value is None else fold(value)


def register_sqlite_fold(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, _sqlite_fold, deterministic=True)


connection_created.connect(register_sqlite_fold, dispatch_uid="portal.search.fold")


def matching(queryset: QuerySet, query: str, *fields: str) -> QuerySet:
    """Rows where every word of the query appears, folded, in one of the fields."""
    words = fold(query).split()
    condition = models.Q()
    for word in words:
        any_field = models.Q()
        for index, _field in enumerate(fields):
            any_field |= models.Q(**{f"_fold{index}__contains": word})
        condition &= any_field
    annotations = {f"_fold{index}": Fold(field) for index, field in enumerate(fields)}
    return queryset.annotate(**annotations).filter(condition)
