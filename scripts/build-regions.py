#!/usr/bin/env python3
"""Build data/regions/divisions.tsv from public division datasets on npm.

Current divisions come from china-division@2.7.0; divisions that an older
release (china-division@2.0.0) still lists but the current one does not are
kept with status `abolished`, so that reports from before a merger
(杭州市江干区, 下城区 merged away in 2021) still resolve.

Run: python3 scripts/build-regions.py   (needs npm; standard library only)
"""
import json
import os
import subprocess
import sys
import tarfile
import tempfile

CURRENT = "china-division@2.7.0"
HISTORIC = "china-division@2.0.0"
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖县", "直辖县"}
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "regions", "divisions.tsv")


def fetch(spec, tmp):
    name = subprocess.check_output(["npm", "pack", spec, "--silent"], cwd=tmp, text=True).strip().splitlines()[-1]
    dest = os.path.join(tmp, spec.replace("@", "_"))
    with tarfile.open(os.path.join(tmp, name)) as t:
        t.extractall(dest, filter="data")
    dist = os.path.join(dest, "package", "dist")
    load = lambda f: json.load(open(os.path.join(dist, f), encoding="utf-8"))
    return load("provinces.json"), load("cities.json"), load("areas.json")


def rows(data):
    provinces, cities, areas = data
    out = {}
    for p in provinces:
        out[p["code"] + "0000"] = (p["name"], "province", "")
    for c in cities:
        if c["name"] in PLACEHOLDERS:
            continue
        out[c["code"] + "00"] = (c["name"], "city", c["provinceCode"] + "0000")
    for a in areas:
        if a["name"] in PLACEHOLDERS:
            continue
        city = a["cityCode"] + "00"
        parent = city if city in out else a["provinceCode"] + "0000"
        level = "district" if a["name"].endswith("区") else "county"
        out[a["code"]] = (a["name"], level, parent)
    return out


def main():
    with tempfile.TemporaryDirectory() as tmp:
        current = rows(fetch(CURRENT, tmp))
        historic = rows(fetch(HISTORIC, tmp))
    table = {code: (*v, "current") for code, v in current.items()}
    for code, v in historic.items():
        if code not in table:
            table[code] = (*v, "abolished")
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("code\tname\tlevel\tparent\tstatus\n")
        for code in sorted(table):
            name, level, parent, status = table[code]
            f.write(f"{code}\t{name}\t{level}\t{parent}\t{status}\n")
    print(f"{OUT}: {len(table)} divisions", file=sys.stderr)


if __name__ == "__main__":
    main()
