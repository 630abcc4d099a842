"""The store through Python: ingest, search, SQL, export."""

import json

import pyarrow.parquet as pq
import pytest

import gwr


def test_round_trip(tmp_path, seeds, cli_facts):
    db = tmp_path / "db"
    with gwr.Store(db) as store:
        first = store.ingest(seeds, progress=False)
        assert (first["added"], first["known"], first["failed"]) == (5, 0, 0)
        again = store.ingest(seeds, progress=False)
        assert (again["added"], again["known"]) == (0, 5)
        n = store.sql("SELECT COUNT(*) AS n FROM facts").column("n").to_pylist()
        assert n == [len(cli_facts)]
        docs = store.sql("SELECT region, plan_year, chars FROM documents ORDER BY id")
        assert docs.num_rows == len(gwr.parse(seeds))
        assert str(docs.schema.field("plan_year").type) == "int64"
        hits = store.search("经济", limit=5)
        assert 0 < len(hits) <= 5
        assert all("【" in h.snippet for h in hits)
        region = hits[0].region
        narrowed = store.search("经济", region=region, limit=50)
        assert narrowed and all(h.region == region for h in narrowed)
        assert store.export("facts", tmp_path / "facts.parquet") == len(cli_facts)
        assert store.export("documents", tmp_path / "docs.jsonl") == docs.num_rows
        assert store.export("targets", tmp_path / "targets.csv") > 0
    assert store.closed
    with pytest.raises(gwr.GwrError, match="closed"):
        store.sql("SELECT 1")
    table = pq.read_table(tmp_path / "facts.parquet")
    assert table.num_rows == len(cli_facts)
    stored = sorted(zip(table.column("evidence").to_pylist(), table.column("source_start").to_pylist()))
    ours = gwr.facts(seeds)
    assert stored == sorted(zip(ours.column("evidence").to_pylist(), ours.column("source_start").to_pylist()))
    lines = (tmp_path / "docs.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["region"] is not None
    with gwr.Store(db, read_only=True) as reader:
        assert reader.sql("SELECT COUNT(*) AS n FROM files").column("n").to_pylist() == [5]
        with pytest.raises(gwr.GwrError, match="read-only"):
            reader.ingest(seeds, progress=False)


def test_writing_sql_is_refused(tmp_path, seeds):
    with gwr.Store(tmp_path / "db") as store:
        store.ingest(seeds, progress=False)
        with pytest.raises(gwr.GwrError, match="read-only"):
            store.sql("DELETE FROM facts")
        with pytest.raises(gwr.GwrError):
            store.sql("SELECT * FROM no_such_table")
        with pytest.raises(gwr.GwrError, match="no table"):
            store.export("sqlite_master", tmp_path / "x.parquet")
        limited = store.sql("SELECT * FROM facts", max_rows=3)
        assert limited.num_rows == 3
        with pytest.raises(gwr.GwrError, match="time limit"):
            store.sql(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT MAX(x) FROM c",
                timeout=0.5,
            )


def test_ingest_reports_bad_files(tmp_path, seeds):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    with gwr.Store(tmp_path / "db") as store:
        with pytest.warns(gwr.GwrWarning, match="bad.docx"):
            r = store.ingest([seeds, bad], progress=False)
        assert r["added"] == 5 and r["failed"] == 1
        errors = store.sql("SELECT path, message FROM errors").to_pylist()
        assert any("bad.docx" in e["path"] for e in errors)
