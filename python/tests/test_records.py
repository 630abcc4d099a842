"""Records through Python equal the CLI's."""

import threading
import time

import pyarrow as pa
import pytest

import gwr
from conftest import cli_jsonl, fact_key


def test_facts_equal_the_cli_rows(seeds, cli_facts):
    table = gwr.facts(seeds)
    assert isinstance(table, pa.Table)
    assert table.num_rows == len(cli_facts) > 100
    ours = [fact_key(r) for r in table.to_pylist()]
    theirs = [fact_key(r) for r in cli_facts]
    assert ours == theirs  # same rows, same order


def test_fact_columns_are_the_exports_with_file_and_part(seeds, tmp_path):
    table = gwr.facts(seeds)
    assert table.schema == gwr.schema("facts")
    with gwr.Store(tmp_path / "db") as store:
        store.ingest(seeds, progress=False)
        exported = store.sql("SELECT * FROM facts LIMIT 1").column_names
    assert exported[:2] == ["id", "document_id"]
    assert table.column_names[:2] == ["file", "part"]
    assert table.column_names[2 : len(exported)] == exported[2:]


def test_filters_match_the_cli(seeds):
    table = gwr.facts(seeds, metric="地区生产总值", kind="target")
    cli = cli_jsonl("facts", str(seeds), "--metric", "gdp", "--kind", "target")
    assert [fact_key(r) for r in table.to_pylist()] == [fact_key(r) for r in cli]
    assert set(table.column("metric_id").to_pylist()) == {"gdp"}
    headline = gwr.facts(seeds, headline=True)
    assert None not in headline.column("metric_id").to_pylist()


def test_a_list_of_paths_and_bytes_give_the_same_facts(seeds, cli_facts):
    files = sorted(seeds.iterdir())
    assert gwr.facts(files).num_rows == len(cli_facts)
    one = files[0]
    from_bytes = gwr.facts(one.read_bytes(), name=one.name)
    from_path = gwr.facts(str(one))
    assert from_bytes.equals(from_path)


def test_pandas_and_polars(seeds, cli_facts):
    pl = pytest.importorskip("polars")
    table = gwr.facts(seeds)
    df = table.to_pandas()
    assert len(df) == len(cli_facts)
    assert df["part"].dtype.kind == "i"
    assert df["value"].dtype.kind == "f"
    gdp = df[df.metric_id == "gdp"]
    assert len(gdp) > 0 and gdp["evidence"].str.len().min() > 0
    frame = pl.from_arrow(table)
    assert frame.shape == (len(cli_facts), table.num_columns)
    assert frame["evidence"].to_list() == df["evidence"].to_list()


def test_targets_commitments_and_track_equal_the_cli(seeds):
    for name, fn in (
        ("targets", gwr.targets),
        ("commitments", gwr.commitments),
        ("track", gwr.track),
    ):
        table = fn(seeds)
        cli = cli_jsonl(name, str(seeds))
        assert table.num_rows == len(cli), name
        assert table.schema == gwr.schema(name)
    t = gwr.targets(seeds).to_pylist()
    cli = cli_jsonl("targets", str(seeds))
    assert [(r["file"], r["metric"], r["evidence"], r["comparator"]) for r in t] == [
        (r["file"], r["metric"], r["evidence"], r["comparator"]) for r in cli
    ]
    c = gwr.commitments(seeds).to_pylist()
    cli = cli_jsonl("commitments", str(seeds))
    assert [(r["file"], r["stage"], r["text"], r["fulfils"]) for r in c] == [
        (r["file"], r["stage"], r["text"], r.get("fulfils")) for r in cli
    ]
    tr = gwr.track(seeds).to_pylist()
    cli = cli_jsonl("track", str(seeds))
    assert [(r["region_code"], r["metric_id"], r["year"], r["verdict"]) for r in tr] == [
        (r["region_code"], r["metric_id"], r["year"], r["verdict"]) for r in cli
    ]


def test_documents_equal_the_cli(seeds):
    docs = gwr.parse(seeds)
    cli = cli_jsonl("parse", str(seeds))
    assert len(docs) == len(cli)
    for d, c in zip(docs, cli):
        assert (d.file, d.part, d.doc_type, d.region, d.plan_year, d.review_year) == (
            c["file"],
            c["part"],
            c["doc_type"],
            c["region"],
            c["plan_year"],
            c["review_year"],
        )
        assert [s.title for s in d.outline] == [s["title"] for s in c["outline"]]
        assert d.to_dict()["outline"] == c["outline"]
        assert d.format == "text"


def test_parse_bytes_with_a_name():
    text = "政府工作报告\n各位代表：\n现在，我代表区人民政府向大会报告工作。\n一、2023年工作回顾\n地区生产总值增长6.5%。\n二、2024年工作安排\n"
    (doc,) = gwr.parse(text.encode("gb18030"), name="区报告.txt")
    assert doc.file == "区报告.txt"
    assert doc.review_year == 2023
    assert doc.encoding.lower() in ("gb18030", "gbk")
    assert [s.title for s in doc.outline][:1] == ["2023年工作回顾"]
    assert "outline" in doc.to_dict() and isinstance(doc.to_dict()["outline"][0], dict)
    with pytest.raises(AttributeError):
        doc.nonexistent


def test_jobs_and_the_interpreter_is_released(seeds, cli_facts):
    files = sorted(seeds.iterdir()) * 8
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    try:
        start = time.perf_counter()
        table = gwr.facts(files, jobs=2, progress=False)
        took = time.perf_counter() - start
    finally:
        stop.set()
        t.join()
    assert table.num_rows == 8 * len(cli_facts)
    during = [x for x in ticks if start <= x <= start + took]
    # The other thread ran all along: far more than a handful of ticks.
    assert len(during) > min(20, took * 100)


def test_metrics_are_listed():
    ids = [m["id"] for m in gwr.metrics()]
    assert "gdp" in ids


def test_progress_counts_every_file(seeds, capsys):
    files = sorted(seeds.iterdir()) * 30
    seen = []
    stream, failures = gwr._gwr.records("facts", paths=[str(f) for f in files], progress=seen.append)
    assert failures == [] and sum(seen) == len(files) and len(seen) > 1
    # The bar itself (tqdm when installed) on a batch of more than 64 files.
    assert gwr.facts(files, progress=True).num_rows == len(gwr._table(stream))


def test_the_notebook_example_runs(seeds):
    import subprocess
    import sys
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "examples" / "notebook.py"
    run = subprocess.run(
        [sys.executable, str(example), str(seeds)], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "'added': 5" in run.stdout
