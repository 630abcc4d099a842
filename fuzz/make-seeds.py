#!/usr/bin/env python3
"""Write the hostile seed inputs of the fuzz targets (fuzz/seeds/TARGET/).

Each is a small version of an input that once hung gwr, exhausted its memory
or was read wrong; the texts are written for the tests."""
import io
import os
import zipfile

here = os.path.dirname(os.path.abspath(__file__))


def put(target, name, data):
    d = os.path.join(here, "seeds", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def looping_pdf():
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [4 0 R] /Count 1 /Parent 3 0 R >>",
        "<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
        "<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>",
        "<< /Length 33 >>\nstream\nBT /F1 12 Tf 72 712 Td (Hi) Tj ET\nendstream",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objects):
        offsets.append(len(pdf))
        pdf += f"{i + 1} 0 obj\n{o}\nendobj\n".encode()
    xref = len(pdf)
    pdf += b"xref\n0 6\n0000000000 65535 f \n"
    for off in offsets:
        pdf += f"{off:010} 00000 n \n".encode()
    pdf += f"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(pdf)


def docx(body):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="w"><w:body><w:p><w:r>'
            + body
            + "</w:r></w:p></w:body></w:document>",
        )
    return buf.getvalue()


# parse: whole files.
put("parse", "loop.pdf", looping_pdf())
put("parse", "breaks.docx", docx("<w:br/>" * 20000))
put("parse", "text.docx", docx("<w:t>政府工作报告</w:t><w:br/><w:t>全年地区生产总值增长5%。</w:t>"))
put("parse", "percent-run.txt", "1%" * 2000)
put("parse", "figure-run.txt", "地区生产总值增长5%，" * 300)
put("parse", "doublings.txt", "翻一番" * 500 + "增长两倍" * 500)
put("parse", "outline.txt", "（一）1.（1）①\n" * 300)
put("parse", "documents.txt", "政府工作报告\n——2020年1月5日在某市第一届人民代表大会第一次会议上\n各位代表：\n" * 50)
put("parse", "bad-date.txt", "政府工作报告\n——2021年1月58日在某县人民代表大会上\n2月30日\n")
put("parse", "page.html", "<html><head><meta charset=gbk></head><body>" + "<div>" * 500 + "<script>x</script>经济增长5%" + "</body>")

# normalize: text as copy sites serve it.
put("normalize", "pinyin.txt", "经(jīng)济(jì)增长5%，发(fā)展")
put("normalize", "breaks.txt", "地区生产总值达到12\n34亿元，增\n长6.5%\n")
put("normalize", "traditional.txt", "政府工作報告\n經濟發展\n")
put("normalize", "furniture.txt", "首页 > 政务公开 > 政府工作报告\n【字体：大 中 小】\n打印本页\n")
put("normalize", "entities.txt", "经济&nbsp;增长&amp;发展&#x4E2D;&#12345;℅")
put("normalize", "flat.txt", "一、工作回顾 过去一年，经济增长5%。 二、主要目标 增长6%左右。" * 20)
put("normalize", "spaced.txt", "政 府 工 作 报 告\n")

# numbers: figures in every writing.
put("numbers", "arabic.txt", "1,234.5亿元 12.3% ６．５％ 1234567890123456789012345678901234567890")
put("numbers", "chinese.txt", "三百亿元 一千二百三十四万 两万人 百分之十一 一九五七年 十二点五")
put("numbers", "ranges.txt", "6%－6.5% 6-6.5% 300多亿元 20余万人 4000吨/日 1.2万千瓦时/年")
put("numbers", "masked.txt", "20xx年 2□19年 ××亿元 1%1%1%1%")
put("numbers", "huge.txt", "9" * 400 + "亿元 " + "万" * 100)

# query: search queries.
put("query", "phrase.txt", '"推进 最多跑一次 改革" 营商环境')
put("query", "quotes.txt", '“数字经济” "未闭合')
put("query", "many-terms.txt", " ".join("经济"[i % 2] for i in range(3000)))
put("query", "fts-syntax.txt", 'NEAR(a b) OR "x" AND * ^ -c {col}: 经济')

# sql: statements that must not write, hang or grow without end.
put("sql", "select.txt", "SELECT region, COUNT(*) FROM documents GROUP BY 1")
put("sql", "write.txt", "DELETE FROM facts")
put("sql", "pragma.txt", "PRAGMA journal_mode=DELETE")
put("sql", "attach.txt", "ATTACH DATABASE 'other.sqlite' AS o")
put("sql", "vacuum.txt", "VACUUM INTO 'copy.sqlite'")
put("sql", "endless.txt", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c")
put("sql", "cross.txt", "SELECT * FROM facts a, facts b, facts c, facts d")


def raw_zstd(data, claimed=None):
    """A zstd frame holding `data` as one raw block, saying `claimed` bytes."""
    size = len(data) if claimed is None else claimed
    header = bytes([0x28, 0xB5, 0x2F, 0xFD, 0xE0]) + size.to_bytes(8, "little")
    block = (1 | (len(data) << 3)).to_bytes(3, "little")
    return header + block + data


# stored: a packed text and a substring-index row, as a damaged file holds
# them (the target also tries each input behind the UTF-16 mark).
put("stored", "text.bin", raw_zstd("民生实事".encode("utf-8")))
put("stored", "huge.bin", raw_zstd(b"", claimed=1 << 62))
put("stored", "lone-surrogate.bin", raw_zstd(b"\x00\xd8\x41\x00"))
put("stored", "odd-utf16.bin", raw_zstd(b"\x41\x00\x42"))
put("stored", "varints.bin", bytes([1, 1, 1, 0x80, 0x01]))
put("stored", "elias-fano.bin", bytes([0, 5, 1, 0, 0x1F]))
put("stored", "count-past-bits.bin", bytes([0, 100, 1, 0, 0xFF]))
put("stored", "wide-low.bin", bytes([0, 2, 1, 56]) + bytes(16))
