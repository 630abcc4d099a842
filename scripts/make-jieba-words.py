#!/usr/bin/env python3
"""Write data/jieba-words.txt.zst: the words and frequencies of the general
dictionary that the jieba-rs crate in Cargo.lock embeds (its
src/data/dict.txt, MIT licence), one `word frequency` line each, sorted by
bytes, zstd-compressed.

The search segmenter looks query words up in this list instead of loading
jieba-rs's dictionary (which the crate does not expose), so the list must
be that dictionary exactly: run this after changing the jieba-rs version
(the gwr-store test `default_words_are_jiebas_dictionary` fails until then).

Usage: scripts/make-jieba-words.py [PATH/TO/dict.txt]
(default: the crate's copy in the cargo registry)
"""
import glob
import os
import re
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def jieba_version():
    lock = open(os.path.join(root, "Cargo.lock"), encoding="utf-8").read()
    m = re.search(r'name = "jieba-rs"\nversion = "([^"]+)"', lock)
    if not m:
        sys.exit("make-jieba-words: no jieba-rs in Cargo.lock")
    return m.group(1)


def dict_path():
    if len(sys.argv) > 1:
        return sys.argv[1]
    home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    pattern = f"{home}/registry/src/*/jieba-rs-{jieba_version()}/src/data/dict.txt"
    found = sorted(glob.glob(pattern))
    if not found:
        sys.exit(f"make-jieba-words: nothing at {pattern} (cargo fetch first)")
    return found[0]


# jieba-rs reads a line as ASCII-whitespace-separated word, frequency, tag.
SPACE = re.compile(r"[ \t\n\r\x0c]+")
entries = {}
for line in open(dict_path(), encoding="utf-8").read().split("\n"):
    fields = SPACE.split(line.strip(" \t\n\r\x0c"))
    if not fields[0]:
        continue
    entries[fields[0]] = int(fields[1]) if len(fields) > 1 else 0
text = "".join(
    f"{w} {f}\n" for w, f in sorted(entries.items(), key=lambda e: e[0].encode())
)
out = os.path.join(root, "data", "jieba-words.txt.zst")
subprocess.run(
    ["zstd", "-19", "-q", "-f", "-o", out], input=text.encode(), check=True
)
print(f"{out}: {len(entries)} words")
