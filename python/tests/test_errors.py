"""Bad input is a Python exception naming the file, never a crash."""

import warnings

import pytest

import gwr


def test_an_unreadable_file_raises_naming_it(tmp_path):
    bad = tmp_path / "broken-report.docx"
    bad.write_bytes(b"PK\x03\x04 this is no zip")
    with pytest.raises(gwr.GwrError, match="broken-report.docx"):
        gwr.facts(bad)
    assert issubclass(gwr.GwrError, ValueError)


def test_binary_bytes_and_empty_files_raise(tmp_path):
    with pytest.raises(gwr.GwrError, match="blob.bin"):
        gwr.parse(bytes(range(256)) * 64, name="blob.bin")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(gwr.GwrError, match="empty.txt: empty file"):
        gwr.parse(empty)


def test_a_missing_path_raises_naming_it(tmp_path):
    with pytest.raises(gwr.GwrError, match="no-such-dir"):
        gwr.facts(tmp_path / "no-such-dir")
    with pytest.raises(gwr.GwrError, match="no files found"):
        gwr.facts(tmp_path)


def test_a_batch_goes_on_past_a_bad_file_with_a_warning(tmp_path, seeds, cli_facts):
    files = sorted(seeds.iterdir())
    bad = tmp_path / "junk.pdf"
    bad.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with pytest.warns(gwr.GwrWarning, match="junk.pdf"):
        table = gwr.facts([*files, bad])
    assert table.num_rows == len(cli_facts)
    with pytest.raises(gwr.GwrError, match="junk.pdf"):
        gwr.facts([*files, bad], errors="raise")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert gwr.facts([*files, bad], errors="ignore").num_rows == len(cli_facts)


def test_bad_arguments_raise_clear_errors(seeds):
    with pytest.raises(gwr.GwrError, match="unknown metric"):
        gwr.facts(seeds, metric="no such metric at all")
    with pytest.raises(gwr.GwrError, match="unknown kind"):
        gwr.facts(seeds, kind="wish")
    with pytest.raises(TypeError, match="bytes need a name|expected a path"):
        gwr.facts(42)
    with pytest.raises(ValueError, match="errors must be"):
        gwr.facts(seeds, errors="shrug")


def test_hostile_bytes_never_crash():
    samples = [
        b"\xff\xfe" + "政府工作报告".encode("utf-16-le") * 1000,
        "1%" .encode() * 20000,
        b"<html>" + b"<div>" * 5000 + "地区生产总值增长6%".encode() + b"</html>",
        b"PK\x03\x04" + b"\x00" * 100,
        "一、二、三、".encode() * 3000,
    ]
    for i, data in enumerate(samples):
        try:
            gwr.facts(data, name=f"hostile{i}")
        except gwr.GwrError as e:
            assert f"hostile{i}" in str(e)


def test_store_errors_name_the_store(tmp_path):
    with pytest.raises(gwr.GwrError, match="nothing-here"):
        gwr.Store(tmp_path / "nothing-here", read_only=True)
    other = tmp_path / "other"
    other.mkdir()
    (other / "gwr.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.raises(gwr.GwrError, match="other"):
        gwr.Store(other)
