#!/usr/bin/env python3
"""Generate a large corpus of report-like files from the bundled samples.

Each output file is a sample with every figure perturbed (same shape, new
value) and its paragraphs kept in order, so the text exercises the same
constructions as real reports without repeating byte for byte.

Run: python3 scripts/make-corpus.py OUT_DIR [MEGABYTES]   (default 100 MB)
"""
import glob
import os
import random
import re
import sys


def perturb(text, rng):
    def num(m):
        s = m.group(0)
        if len(s) == 4 and s.startswith(("19", "20")) and "." not in s:
            return s  # years stay
        digits = [c for c in s]
        out = []
        for c in digits:
            out.append(str(rng.randrange(10)) if c.isdigit() else c)
        if out[0] == "0" and len(out) > 1 and out[1] != ".":
            out[0] = str(rng.randrange(1, 10))
        return "".join(out)

    return re.sub(r"\d+(?:\.\d+)?", num, text)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    target = float(sys.argv[2]) if len(sys.argv) > 2 else 100.0
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples")
    samples = [open(p, encoding="utf-8").read() for p in sorted(glob.glob(os.path.join(root, "*.txt")))]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(2026)
    total = 0
    i = 0
    while total < target * 1024 * 1024:
        text = perturb(samples[i % len(samples)], rng)
        data = text.encode("utf-8")
        with open(os.path.join(out, "gen%05d.txt" % i), "wb") as f:
            f.write(data)
        total += len(data)
        i += 1
    print("%s: %d files, %.1f MB" % (out, i, total / 1024 / 1024))


if __name__ == "__main__":
    main()
