"""The NTM board and the ratings leave as Excel with the page's own figures."""

from __future__ import annotations

import pytest

from ntm.models import Rating
from tests.sheets import sheets

pytestmark = pytest.mark.django_db


def test_the_board_leaves_with_each_communes_criteria(login, django_assert_num_queries) -> None:
    client = login("vanphong")
    page = client.get("/ntm/", {"year": 2022})
    assert b'href="/ntm/export.xlsx?year=2022"' in page.content
    with django_assert_num_queries(12):
        response = client.get("/ntm/export.xlsx", {"year": 2022})
        board, assigned, goals = sheets(response)
    criteria = page.context["criteria"]
    assert len(board.header) == 2 + len(criteria) + 2
    assert board.header[2] == f"{criteria[0].number}. {criteria[0].name}"
    assert len(board.rows) == len(page.context["rows"]) == 13
    by_name = {row[0]: row for row in assigned.rows}
    mỹ_quí = by_name["Xã Mỹ Quý"]
    assert by_name["Xã Mỹ Hòa"][3:] == ["Đạt đủ tiêu chí", "✓"]
    assert mỹ_quí[2] == 17
    assert mỹ_quí[3].startswith("10. ") and "; 13. " in mỹ_quí[3]
    assert [(row[2], row[3], row[4]) for row in goals.rows] == [(3, 3, 1)]
    marks = {cell for row in board.rows for cell in row[2:-2]}
    assert marks <= {"Đạt", "Chưa đạt", "Chưa có số liệu", None}


def test_the_ratings_leave_with_every_rating_and_the_counts(login) -> None:
    client = login("vanphong")
    page = client.get("/ntm/ratings/", {"year": 2022})
    assert b'href="/ntm/ratings/export.xlsx?year=2022"' in page.content
    ratings, counts = sheets(client.get("/ntm/ratings/export.xlsx", {"year": 2022}))
    visible = Rating.objects.filter(
        unit__in=[unit for unit, _rows, _clean in page.context["units"]], year=2022
    )
    assert len(ratings.rows) == visible.count()
    assert [(row[0], row[1]) for row in counts.rows] == [
        (str(label), n) for _level, label, n in page.context["counts"]
    ]


def test_a_commune_exports_only_its_own_ratings(login) -> None:
    ratings, _counts = sheets(login("myqui").get("/ntm/ratings/export.xlsx", {"year": 2022}))
    assert ratings.rows and {row[0] for row in ratings.rows} == {"30055"}
