"""Nothing typed into the plan editor causes a 500 or a partial write (property-based)."""

from __future__ import annotations

import unicodedata

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from org.models import Role
from plans.models import CommunePlan, ItemKind
from tests.builders import make_user
from tests.conftest import demo_plan
from tests.plans.editor_payload import add_row, editor_payload

pytestmark = pytest.mark.django_db

VIETNAMESE = "Tỷ lệ hộ nghèo giảm còn dưới 2%; nông thôn mới nâng cao; Đảng ủy xã Mỹ Quí"
PAYLOADS = [
    "<script>alert(1)</script>",
    "\x00",
    "a" * 10_000,
    unicodedata.normalize("NFD", VIETNAMESE),
    VIETNAMESE,
    "' OR 1=1 --",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚜",
    "",
    "   ",
]
texts = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=300))
numbers = st.one_of(
    st.sampled_from(
        ["-1", "0", "1e30", "NaN", "Infinity", "1.234,5", "99999999999999999999", "", "１２"]
    ),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=20),
)
choices = st.one_of(
    st.sampled_from(["increase", "decrease", "zero", "x", ""]), st.text(max_size=10)
)


@pytest.fixture
def editor(client: Client) -> tuple[Client, CommunePlan]:
    plan = demo_plan("Mỹ Hòa", 2023)
    client.force_login(make_user(plan.unit, role=Role.COMMUNE_STAFF, username="fuzz"))
    return client, plan


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=texts,
    unit=texts,
    baseline=numbers,
    value=numbers,
    direction=choices,
    deadline=st.one_of(
        st.sampled_from(["2023-02-30", "30/02/2023", "2023-06-01", ""]), st.text(max_size=12)
    ),
    order=st.one_of(st.sampled_from(["-1", "0", "1000000", "x"]), st.text(max_size=6)),
)
def test_fuzzed_target_rows_never_break_the_editor(
    editor, text, unit, baseline, value, direction, deadline, order
) -> None:
    client, plan = editor
    url = f"/plans/{plan.pk}/edit/"
    data = editor_payload(client.get(url))
    before = list(plan.items.order_by("pk").values_list("pk", "text", "target_value"))
    row = {
        "text": text,
        "measure_unit": unit,
        "baseline": baseline,
        "value": value,
        "direction": direction,
        "accumulation": "point",
        "deadline": deadline,
        "order": order,
    }
    response = client.post(url, add_row(data, ItemKind.TARGET, **row))
    assert response.status_code in {302, 400}, response.status_code
    if response.status_code == 400:
        assert list(plan.items.order_by("pk").values_list("pk", "text", "target_value")) == before
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_nfd_input_is_stored_as_nfc(editor) -> None:
    client, plan = editor
    url = f"/plans/{plan.pk}/edit/"
    decomposed = unicodedata.normalize("NFD", "Xây dựng mô hình “Dân vận khéo” ở ấp Mỹ Thạnh")
    data = add_row(editor_payload(client.get(url)), ItemKind.KEY_TASK, text=decomposed)
    assert client.post(url, data).status_code == 302
    stored = plan.items.get(kind=ItemKind.KEY_TASK, text__startswith="Xây")
    assert stored.text == unicodedata.normalize("NFC", decomposed)


def test_html_in_a_saved_item_is_shown_escaped(editor) -> None:
    client, plan = editor
    url = f"/plans/{plan.pk}/edit/"
    data = add_row(
        editor_payload(client.get(url)), ItemKind.SOLUTION, text="<b>đậm</b><script>x()</script>"
    )
    assert client.post(url, data).status_code == 302
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "&lt;script&gt;x()&lt;/script&gt;" in page
    assert "<script>x()" not in page
