"""gwr inside Spark (local[2]) gives the rows of the local call and the CLI."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import gwr
import gwr.spark
from conftest import fact_key

if os.environ.get("GWR_REQUIRE_SPARK") != "1":
    pytest.importorskip("pyspark")
    import shutil

    if not shutil.which("java"):
        pytest.skip("no Java runtime for Spark", allow_module_level=True)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "spark_facts.py"


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    s = (
        SparkSession.builder.master("local[2]")
        .appName("gwr tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    yield s
    s.stop()


def sorted_keys(rows):
    return sorted((fact_key(r) for r in rows), key=repr)


def test_facts_of_paths_equal_the_local_call(spark, seeds):
    local = gwr.facts(seeds)
    paths = spark.createDataFrame([(str(p),) for p in sorted(seeds.iterdir())], ["path"]).repartition(2)
    df = gwr.spark.facts(paths)
    assert df.columns == local.column_names
    rows = [r.asDict() for r in df.collect()]
    assert sorted_keys(rows) == sorted_keys(local.to_pylist())


def test_facts_of_binary_files_equal_the_local_call(spark, seeds):
    files = spark.read.format("binaryFile").load(str(seeds))
    df = gwr.spark.facts(files, content_col="content", name_col="path", metric="gdp")
    rows = [r.asDict() for r in df.collect()]
    assert rows
    assert sorted_keys(rows) == sorted_keys(gwr.facts(seeds, metric="gdp").to_pylist())


def test_documents_of_binary_files(spark, seeds):
    files = spark.read.format("binaryFile").load(str(seeds))
    docs = gwr.spark.parse(files, name_col="path").collect()
    local = gwr.parse(seeds)
    assert sorted((d.file, d.part, d.region, d.plan_year) for d in docs) == sorted(
        (d.file, d.part, d.region, d.plan_year) for d in local
    )
    first = next(d for d in docs if d.file == local[0].file and d.part == local[0].part)
    assert [s.title for s in first.outline] == [s.title for s in local[0].outline]


def test_bad_files_are_left_out(spark, seeds, tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"no zip")
    paths = spark.createDataFrame([(str(bad),), (str(sorted(seeds.iterdir())[0]),)], ["path"])
    rows = gwr.spark.facts(paths).collect()
    assert rows and {r.file for r in rows} == {sorted(seeds.iterdir())[0].name}
    with pytest.raises(Exception, match="bad.docx"):
        gwr.spark.facts(paths, errors="raise").collect()
    with pytest.raises(gwr.GwrError, match="unknown metric"):
        gwr.spark.facts(paths, metric="no such metric at all")


def test_the_example_writes_the_cli_rows(spark, seeds, cli_facts, tmp_path):
    out = tmp_path / "facts.parquet"
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable)
    run = subprocess.run(
        [sys.executable, str(EXAMPLE), str(seeds), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert f"{len(cli_facts)} facts written" in run.stdout
    import pyarrow.parquet as pq

    rows = pq.read_table(out).to_pylist()
    assert sorted_keys(rows) == sorted_keys(cli_facts)
