"""Build the POST an editor page would send, from the page's own forms."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any


def _value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


def editor_payload(response) -> dict[str, Any]:
    """Everything the editor shows, as its form would submit it unchanged."""
    header = response.context["header"]
    data = {name: _value(header.initial.get(name)) for name in header.fields}
    for block in response.context["editor"].kinds:
        formset = block.formset
        prefix = formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = str(len(formset.initial or []))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(formset.initial or []))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for index, initial in enumerate(formset.initial or []):
            for name in formset.forms[index].fields:
                if name == "DELETE":
                    continue
                value = _value(initial.get(name))
                if value != "" and value != []:
                    data[f"{prefix}-{index}-{name}"] = value
    return data


def add_row(data: dict[str, Any], kind: str, **values: Any) -> dict[str, Any]:
    """Append a new row of `kind` to a payload."""
    index = int(data[f"{kind}-TOTAL_FORMS"])
    data[f"{kind}-TOTAL_FORMS"] = str(index + 1)
    for name, value in values.items():
        data[f"{kind}-{index}-{name}"] = value
    return data
