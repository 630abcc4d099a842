#!/usr/bin/env python3
"""Score the metric phrases of figures without a canonical id.

tests/gold/metric-phrases.jsonl holds figures drawn from the three dev sets
and annotated by hand: the file, the byte offset in the source file where the
figure ends (`at`), its value, the metric phrases a person would write in a
table for it (any one of them is right), or null where the text holds no
figure there (a name such as 千万吨级, a duration such as 连续48个月), and
optionally the unit (rate units: 吨/日). Each line is `dev` (rules were
developed against it) or `check` (held out).

usage: score-phrases.py GOLD FACTS_DIR
FACTS_DIR holds SET.facts.jsonl (gwr facts --format jsonl) for each set.
Prints the share of figures whose phrase is right, per split and overall,
then every miss; the last line is `phrases: ACCURACY`.
"""

import json
import sys

QUOTES = "“”‘’\"'《》「」 \t"
SLACK = 12  # bytes: a unit read longer (吨 → 吨/日) moves the figure's end


def norm(s):
    return "".join(c for c in s if c not in QUOTES)


def main():
    gold_path, facts_dir = sys.argv[1], sys.argv[2]
    gold = [json.loads(l) for l in open(gold_path, encoding="utf-8") if l.strip()]
    facts = {}
    for g in gold:
        if g["set"] in facts:
            continue
        facts[g["set"]] = []
        try:
            with open(f"{facts_dir}/{g['set']}.facts.jsonl", encoding="utf-8") as f:
                facts[g["set"]] = [json.loads(l) for l in f if l.strip()]
        except FileNotFoundError:
            pass
    right = {"dev": [0, 0], "check": [0, 0]}
    misses = []
    for g in gold:
        near = [
            f
            for f in facts[g["set"]]
            if f["file"] == g["file"]
            and f.get("value") == g["value"]
            and abs(f["source_span"][1] - g["at"]) <= SLACK
        ]
        if g["metric"] is None:
            ok = not near
            got = [f["metric"] for f in near]
        else:
            want = {norm(m) for m in g["metric"]}
            ok = any(
                norm(f["metric"]) in want
                and ("unit" not in g or f.get("unit") == g["unit"])
                for f in near
            )
            got = [f"{f['metric']} {f.get('unit') or ''}".strip() for f in near]
        right[g["split"]][1] += 1
        if ok:
            right[g["split"]][0] += 1
        else:
            misses.append((g, got))
    for split, (r, n) in right.items():
        print(f"{split}: {r}/{n} = {r / max(n, 1):.3f}")
    for g, got in misses:
        want = "no figure" if g["metric"] is None else " | ".join(g["metric"])
        print(f"miss [{g['split']}] {g['set']}/{g['file']}@{g['at']} {g['value']}: want {want}; got {got or 'nothing'}")
    r = sum(v[0] for v in right.values())
    n = sum(v[1] for v in right.values())
    print(f"phrases: {r / max(n, 1):.3f}")


if __name__ == "__main__":
    main()
