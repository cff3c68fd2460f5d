"""Rebuild the pre-2025 tree and the 1/7/2025 successions from the `vietnamadminunits`
package (MIT), the source of `units-2025-07-01.csv`:

    pip download --no-deps vietnamadminunits==1.0.4 && unzip vietnamadminunits-*.whl
    python data/units/build.py vietnamadminunits/data

Writes `units-pre-2025.csv` (63 provinces and cities, their districts, and the commune-level
units under those; `code,kind,name,parent,title`) and `successions-2025-07-01.csv`
(`predecessor,successor,partial`: an old unit's code, the new unit's code, and whether only
part of the old one went to it). Not used at run time: the portal imports the CSVs.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).parent
WARD_KINDS = {"Xã": "commune", "Phường": "ward", "Thị trấn": "township", "Đặc khu": "special_zone"}
PREFIXES = ("Thành phố ", "Tỉnh ", "Huyện ", "Quận ", "Thị xã ", "Xã ", "Phường ", "Thị trấn ")


def bare(name: str) -> str:
    """The name without its level ("Huyện Tháp Mười" → "Tháp Mười"), as the portal keeps it."""
    for prefix in PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def main(data: Path) -> None:
    db = sqlite3.connect(data / "dataset.db")
    rows = db.execute(
        "select province, provinceCode, provinceKey, district, districtType, districtCode,"
        " districtKey, ward, wardType, wardCode, wardKey from admin_units_legacy"
    ).fetchall()
    units, keys = {}, {}
    for (province, p_code, p_key, district, d_type, d_code, d_key, ward, w_type, w_code,
         w_key) in rows:  # fmt: skip
        kind = "city" if province.startswith("Thành phố ") else "province"
        units.setdefault(p_code, (p_code, kind, bare(province), "", ""))
        title = "" if d_type == "Huyện" else d_type
        units.setdefault(d_code, (d_code, "district", bare(district), p_code, title))
        keys[f"{p_key}_{d_key}_"] = d_code
        if w_code:
            units[w_code] = (w_code, WARD_KINDS[w_type], bare(ward), d_code, "")
            keys[f"{p_key}_{d_key}_{w_key}"] = w_code
    order = {"province": 0, "city": 0, "district": 1}
    with open(HERE / "units-pre-2025.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "kind", "name", "parent", "title"])
        writer.writerows(sorted(units.values(), key=lambda u: (order.get(u[1], 2), u[0])))

    new = {
        (p_key, w_key): w_code
        for p_key, w_key, w_code in db.execute(
            "select provinceKey, wardKey, wardCode from admin_units"
        )
    }
    new_provinces = dict(db.execute("select distinct provinceKey, provinceCode from admin_units"))
    old_provinces = dict(
        db.execute("select distinct provinceKey, provinceCode from admin_units_legacy")
    )
    converter = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    pairs: set[tuple[str, str, str]] = set()
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            pairs.add((old_provinces[old_key], new_provinces[new_key], "0"))
    for p_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for w_key, old_keys in wards.items():
            for old_key in old_keys:
                old = keys.get(old_key) or keys.get(old_key.rsplit("_", 1)[0] + "_")
                pairs.add((old, new[(p_key, w_key)], "0"))
    for p_key, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in olds.items():
            for part in parts:
                pairs.add((keys[old_key], new[(p_key, part["newWardKey"])], "1"))
    with open(HERE / "successions-2025-07-01.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["predecessor", "successor", "partial"])
        writer.writerows(sorted(pairs, key=lambda p: (len(p[0]), p[0], p[1])))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
