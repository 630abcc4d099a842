#!/usr/bin/env python3
"""The tools people use today for what gwr does, timed on the same files.

Usage: bench-peers.py DIR [MEGABYTES]

Reads the .txt files of DIR (the first MEGABYTES of them, default all) and
prints one line per peer that is installed: `peer<TAB>MB<TAB>cpu_seconds`,
with CPU time (time.process_time) spent in the peer alone, files already in
memory:
  jieba        jieba.lcut over each text (segmentation, the first step of
               jieba + regex scripts)
  jionlp       jionlp.extract_money over each line (money amounts)
  cn2an        cn2an.transform(line, "cn2an") over each line (Chinese
               numerals to Arabic)
"""
import contextlib
import io
import os
import sys
import time


def texts(folder, limit):
    out, size = [], 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
            t = f.read()
        out.append(t)
        size += len(t.encode("utf-8"))
        if limit and size >= limit:
            break
    return out, size


def timed(fn, items):
    start = time.process_time()
    for x in items:
        try:
            fn(x)
        except Exception:
            pass  # a peer's failure on one line is no part of its speed
    return time.process_time() - start


def main():
    folder = sys.argv[1]
    limit = int(float(sys.argv[2]) * 1_000_000) if len(sys.argv) > 2 else 0
    docs, size = texts(folder, limit)
    lines = [line for d in docs for line in d.splitlines() if line.strip()]
    mb = size / 1_000_000
    try:
        import jieba

        jieba.setLogLevel(60)
        jieba.initialize()
        print(f"jieba\t{mb:.2f}\t{timed(jieba.lcut, docs):.3f}", flush=True)
    except ImportError:
        pass
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # its banner
            import jionlp

        money = getattr(jionlp, "extract_money", None) or jionlp.ner.extract_money
        print(f"jionlp\t{mb:.2f}\t{timed(money, lines):.3f}", flush=True)
    except ImportError:
        pass
    try:
        import cn2an

        print(f"cn2an\t{mb:.2f}\t{timed(lambda l: cn2an.transform(l, 'cn2an'), lines):.3f}", flush=True)
    except ImportError:
        pass


if __name__ == "__main__":
    main()
