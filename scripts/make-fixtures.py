#!/usr/bin/env python3
"""Make the format fixtures in tests/fixtures/ from seed text.

The same report opening (the start of samples/000_*.txt, cut at a line end)
is written as UTF-8 (with and without BOM), GB18030, UTF-16LE (BOM),
UTF-16BE (no BOM), Big5 (traditional characters), an HTML page, an HTML page
whose meta charset lies, a DOCX and a PDF; plus bad inputs.

Run: python3 scripts/make-fixtures.py
Needs: Python's standard library, except for the PDF and Big5 fixtures:
  pip install reportlab opencc-python-reimplemented
  apt-get install fonts-wqy-microhei
"""
import glob
import html
import io
import os
import random
import zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "tests", "fixtures")
LIMIT = 3000


def seed_text():
    path = sorted(glob.glob(os.path.join(ROOT, "samples", "000_*.txt")))[0]
    text = open(path, encoding="utf-8").read()
    cut = text.rfind("\n", 0, LIMIT)
    return text[:cut + 1]


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def page(text, charset):
    paras = [l for l in text.split("\n") if l.strip()]
    body = "\n".join(
        "<p>%s</p>" % html.escape(p).replace("，", "&#xFF0C;", 1).replace(" ", "&nbsp;")
        for p in paras
    )
    return f"""<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>政府工作报告 - 门户网站</title>
<style>p {{ text-indent: 2em; }}</style>
<script>var nav = "<div>菜单</div>"; function go() {{ return 1 < 2; }}</script>
</head><body>
<header><div class="logo">区人民政府门户网站</div></header>
<nav><ul><li><a href="/">首页</a></li><li><a href="/gk">政务公开</a></li></ul></nav>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开</div>
<article>
{body}
</article>
<footer><p>版权所有 &copy; 区人民政府办公室</p></footer>
</body></html>
"""


def docx(text):
    paras = [l for l in text.split("\n") if l.strip()]
    runs = []
    for p in paras:
        half = len(p) // 2
        parts = [p[:half], p[half:]] if half > 3 else [p]
        rs = "".join(
            '<w:r><w:t xml:space="preserve">%s</w:t></w:r>' % html.escape(x, quote=False) for x in parts
        )
        runs.append("<w:p>%s</w:p>" % rs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body>%s</w:body></w:document>" % "".join(runs)
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        # Fixed timestamps keep the fixture byte-identical across runs.
        class Z:
            @staticmethod
            def writestr(name, data):
                info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)

        z = Z()
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        z.writestr("word/document.xml", document)
    return buf.getvalue()


def pdf(text, with_text=True):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    if not with_text:
        c.rect(100, 100, 200, 200)
        c.showPage()
        c.save()
        return buf.getvalue()
    pdfmetrics.registerFont(TTFont("WQY", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", subfontIndex=0))
    c.setFont("WQY", 11)
    y = 800
    width = 44  # characters a line
    for para in [l for l in text.split("\n") if l.strip()]:
        for k in range(0, len(para), width):
            if y < 60:
                c.showPage()
                c.setFont("WQY", 11)
                y = 800
            c.drawString(50, y, para[k:k + width])
            y -= 16
        y -= 6
    c.showPage()
    c.save()
    return buf.getvalue()


def main():
    os.makedirs(OUT, exist_ok=True)
    text = seed_text()
    write("seed000.utf8.txt", text.encode("utf-8"))
    write("seed000.utf8bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))
    write("seed000.gb18030.txt", text.encode("gb18030"))
    write("seed000.utf16le.txt", b"\xff\xfe" + text.encode("utf-16-le"))
    write("seed000.utf16be.txt", text.encode("utf-16-be"))
    write("seed000.html", page(text, "utf-8").encode("utf-8"))
    write("seed000.gbk.html", page(text, "gbk").encode("gbk"))
    write("seed000.mislabeled.html", page(text, "gbk").encode("utf-8"))
    write("seed000.docx", docx(text))
    try:
        import opencc  # opencc-python-reimplemented

        trad = opencc.OpenCC("s2tw").convert(text)
        # Characters Big5 lacks stay simplified (encoded if Big5 has them).
        out = bytearray()
        for t, s in zip(trad, text) if len(trad) == len(text) else ((c, c) for c in trad):
            try:
                out += t.encode("big5")
            except UnicodeEncodeError:
                out += s.encode("big5", errors="replace")
        write("seed000.big5.txt", bytes(out))
    except ImportError:
        print("skipping Big5 fixture: pip install opencc-python-reimplemented")
    try:
        write("seed000.pdf", pdf(text))
        write("scanned.pdf", pdf(text, with_text=False))
    except ImportError:
        print("skipping PDF fixtures: pip install reportlab")
    # Every sample in every format, for whole-document equality tests.
    seeds = os.path.join(OUT, "seeds")
    os.makedirs(seeds, exist_ok=True)
    for path in sorted(glob.glob(os.path.join(ROOT, "samples", "*.txt"))):
        stem = os.path.basename(path)[:3]
        full = open(path, encoding="utf-8").read()
        write(os.path.join("seeds", stem + ".gb18030.txt"), full.encode("gb18030"))
        write(os.path.join("seeds", stem + ".utf16le.txt"), b"\xff\xfe" + full.encode("utf-16-le"))
        write(os.path.join("seeds", stem + ".html"), page(full, "utf-8").encode("utf-8"))
        write(os.path.join("seeds", stem + ".docx"), docx(full))
        try:
            write(os.path.join("seeds", stem + ".pdf"), pdf(full))
        except ImportError:
            pass
    # Bad inputs.
    write("empty.txt", b"")
    rng = random.Random(7)
    write("binary.bin", bytes(rng.randrange(256) for _ in range(2048)))
    raw = text.encode("utf-8")
    write("truncated.utf8.txt", raw[: len(raw) // 2 + 1] if (raw[len(raw) // 2] & 0xC0) == 0x80 else raw[: len(raw) // 2 + 2])
    write("notazip.docx", "这不是一个DOCX文件".encode("utf-8"))
    write("fakezip.docx", b"PK\x03\x04" + b"\x00" * 40 + b"word/document.xml" + b"\x00" * 40)
    write("image.png", bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a7c2d5f50000000049454e44ae426082"))


if __name__ == "__main__":
    main()
