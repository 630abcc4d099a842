"""Facts of a directory of reports with Spark, written as Parquet.

    python python/examples/spark_facts.py ../shared/corpus/seeds facts.parquet
    python python/examples/spark_facts.py reports/ facts.parquet --master local[4]

Spark reads the files with its `binaryFile` source (path, bytes), gwr runs
inside the executors (`gwr.spark.facts`, through `mapInArrow`), and the
facts (the columns of `gwr.facts`) are written as Parquet.
"""

import argparse
import os
import sys
import time

from pyspark.sql import SparkSession

import gwr.spark


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("reports", help="directory of report files")
    ap.add_argument("out", help="Parquet directory to write")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument(
        "--partitions", type=int, default=0, help="repartition the files first (default: Spark's split)"
    )
    args = ap.parse_args()

    # Executors run this interpreter (and so this gwr).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(args.master)
        .appName("gwr facts")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate()
    )
    start = time.perf_counter()
    files = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .option("pathGlobFilter", "[!.]*")
        .load(os.path.abspath(args.reports))
    )
    files = files.select("path", "content")
    if args.partitions:
        files = files.repartition(args.partitions)
    facts = gwr.spark.facts(files, content_col="content", name_col="path")
    facts.write.mode("overwrite").parquet(args.out)
    took = time.perf_counter() - start
    rows = spark.read.parquet(args.out).count()
    print(f"{rows} facts written to {args.out} in {took:.1f} s")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
