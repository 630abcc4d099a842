"""gwr inside Spark executors: facts and documents of report files as Spark
DataFrames with a declared schema, computed with ``mapInArrow`` (Arrow
batches in and out, no row-by-row Python).

Example::

    >>> from pyspark.sql import SparkSession
    >>> import gwr.spark
    >>> spark = SparkSession.builder.master("local[2]").getOrCreate()
    >>> files = spark.read.format("binaryFile").load("reports/")   # path, content, …
    >>> facts = gwr.spark.facts(files, content_col="content", name_col="path")
    >>> facts.write.parquet("facts.parquet")
    >>> paths = spark.createDataFrame([("reports/2024.txt",)], ["path"])
    >>> gwr.spark.facts(paths).groupBy("metric_id").count().show()

Each Spark task runs gwr on its batch with ``jobs`` threads (default 1: Spark
already runs one task per core). A file that cannot be read is left out
with a warning on the executor's stderr (``errors="raise"`` fails the
task instead).
"""

from __future__ import annotations

import posixpath
import sys
from typing import Any, Iterator, Optional, Sequence, Union
from urllib.parse import unquote, urlparse

import pyarrow as pa

__all__ = [
    "facts",
    "targets",
    "commitments",
    "parse",
    "documents_table",
    "spark_schema",
    "DOCUMENT_SCHEMA",
]

#: The Arrow schema of :func:`parse` rows (one per document).
DOCUMENT_SCHEMA = pa.schema(
    [
        ("file", pa.string()),
        ("part", pa.int64()),
        ("doc_type", pa.string()),
        ("title", pa.string()),
        ("region", pa.string()),
        ("region_code", pa.string()),
        ("region_path", pa.list_(pa.string())),
        ("level", pa.string()),
        ("speaker", pa.string()),
        ("speaker_title", pa.string()),
        ("meeting", pa.string()),
        ("date", pa.string()),
        ("review_year", pa.int64()),
        ("plan_year", pa.int64()),
        ("headings", pa.list_(pa.string())),
        ("inferred", pa.list_(pa.string())),
        ("source_start", pa.int64()),
        ("source_end", pa.int64()),
        ("format", pa.string()),
        ("encoding", pa.string()),
        (
            "outline",
            pa.list_(
                pa.struct(
                    [
                        ("id", pa.string()),
                        ("level", pa.int64()),
                        ("title", pa.string()),
                        ("role", pa.string()),
                    ]
                )
            ),
        ),
    ]
)


def spark_schema(schema: pa.Schema) -> Any:
    """The Spark ``StructType`` of an Arrow schema of gwr's column types
    (int64, float64, bool, string, lists and structs of them).

    Example::

        >>> spark_schema(gwr.schema("facts")).fieldNames()[:3]
        ['file', 'part', 'metric_id']
    """
    from pyspark.sql import types as T

    def convert(t: pa.DataType) -> Any:
        if pa.types.is_int64(t) or pa.types.is_int32(t):
            return T.LongType()
        if pa.types.is_floating(t):
            return T.DoubleType()
        if pa.types.is_boolean(t):
            return T.BooleanType()
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            return T.StringType()
        if pa.types.is_list(t) or pa.types.is_large_list(t):
            return T.ArrayType(convert(t.value_type), True)
        if pa.types.is_struct(t):
            return T.StructType([T.StructField(f.name, convert(f.type), True) for f in t])
        raise TypeError(f"no Spark type for Arrow type {t}")

    return T.StructType([T.StructField(f.name, convert(f.type), True) for f in schema])


def _display_name(value: str) -> str:
    """The name records carry: the file name, directories and a URI scheme
    dropped (``file:/data/r/2024.txt`` → ``2024.txt``), as the CLI names files."""
    if "://" in value or value.startswith("file:"):
        value = unquote(urlparse(value).path)
    return posixpath.basename(value.replace("\\", "/")) or value


def _local_path(value: str) -> str:
    """A local path from a path or a ``file:`` URI (as ``binaryFile`` gives)."""
    if value.startswith("file:"):
        return unquote(urlparse(value).path)
    return value


def _warn(failures: Sequence[tuple], errors: str) -> None:
    from . import GwrError

    if not failures or errors == "ignore":
        return
    lines = [f"{p}: {m}" if p else m for p, m in failures]
    if errors == "raise":
        raise GwrError("\n".join(lines))
    for line in lines:
        print(f"gwr: {line}", file=sys.stderr)


def _records_job(
    what: str,
    path_col: str,
    content_col: Optional[str],
    name_col: Optional[str],
    options: dict,
    errors: str,
):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from . import _gwr, _table

        for batch in batches:
            if batch.num_rows == 0:
                continue
            if content_col is not None:
                names = batch.column(name_col or path_col).to_pylist()
                contents = batch.column(content_col).to_pylist()
                items = [
                    (_display_name(str(n)), bytes(c))
                    for n, c in zip(names, contents)
                    if c is not None
                ]
                stream, failures = _gwr.records(what, items=items, **options)
            else:
                paths = [
                    _local_path(str(p))
                    for p in batch.column(path_col).to_pylist()
                    if p is not None
                ]
                stream, failures = _gwr.records(what, paths=paths, **options)
            _warn(failures, errors)
            yield from _table(stream).to_batches()

    return run


def _metrics_arg(metric: Union[None, str, Sequence[str]]) -> Optional[list]:
    if metric is None:
        return None
    if isinstance(metric, str):
        return [m for m in metric.split(",") if m.strip()]
    return list(metric)


def _records(
    what: str,
    df: Any,
    path_col: str,
    content_col: Optional[str],
    name_col: Optional[str],
    errors: str,
    **options: Any,
) -> Any:
    from . import schema as gwr_schema

    if errors not in ("warn", "raise", "ignore"):
        raise ValueError("errors must be 'warn', 'raise' or 'ignore'")
    needed = [content_col, name_col or path_col] if content_col else [path_col]
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise ValueError(f"no column {missing[0]!r} in the DataFrame (it has {df.columns})")
    # Validate the options once, on the driver (an unknown metric fails here).
    from . import _gwr

    _gwr.records(what, paths=[], **{k: v for k, v in options.items() if k != "jobs"})
    job = _records_job(what, path_col, content_col, name_col, options, errors)
    return df.select(*needed).mapInArrow(job, spark_schema(gwr_schema(what)))


def facts(
    df: Any,
    path_col: str = "path",
    *,
    content_col: Optional[str] = None,
    name_col: Optional[str] = None,
    metric: Union[None, str, Sequence[str]] = None,
    kind: Optional[str] = None,
    headline: bool = False,
    jobs: int = 1,
    errors: str = "warn",
    file_timeout: Optional[float] = None,
) -> Any:
    """Facts of the files a DataFrame names, as a Spark DataFrame with the
    columns of :func:`gwr.facts`.

    By default the executors read the files of ``path_col`` (local paths or
    ``file:`` URIs, so every executor must see them); with ``content_col``
    the bytes come from that column (``binaryFile``'s ``content``) and the
    name from ``name_col`` (default ``path_col``; directories and scheme
    dropped, as the CLI names files).

    Example::

        >>> files = spark.read.format("binaryFile").load("reports/")
        >>> gwr.spark.facts(files, content_col="content").write.parquet("facts.parquet")
    """
    return _records(
        "facts", df, path_col, content_col, name_col, errors,
        metric=_metrics_arg(metric), kind=kind, headline=headline, jobs=jobs,
        file_timeout=file_timeout,
    )


def targets(
    df: Any,
    path_col: str = "path",
    *,
    content_col: Optional[str] = None,
    name_col: Optional[str] = None,
    metric: Union[None, str, Sequence[str]] = None,
    jobs: int = 1,
    errors: str = "warn",
    file_timeout: Optional[float] = None,
) -> Any:
    """Targets of the files a DataFrame names (columns of
    :func:`gwr.targets`); arguments as :func:`facts`.

    Example::

        >>> gwr.spark.targets(paths_df, metric="gdp").show()
    """
    return _records(
        "targets", df, path_col, content_col, name_col, errors,
        metric=_metrics_arg(metric), jobs=jobs, file_timeout=file_timeout,
    )


def commitments(
    df: Any,
    path_col: str = "path",
    *,
    content_col: Optional[str] = None,
    name_col: Optional[str] = None,
    jobs: int = 1,
    errors: str = "warn",
    file_timeout: Optional[float] = None,
) -> Any:
    """民生实事 commitments of the files a DataFrame names (columns of
    :func:`gwr.commitments`, without the link between a completion and its
    list, which needs every report of a region); arguments as :func:`facts`.

    Example::

        >>> gwr.spark.commitments(paths_df).show()
    """
    return _records(
        "commitments", df, path_col, content_col, name_col, errors,
        jobs=jobs, file_timeout=file_timeout,
    )


def documents_table(docs: Sequence[Any]) -> pa.Table:
    """:class:`gwr.Document` objects (or their dicts) as an Arrow table of
    :data:`DOCUMENT_SCHEMA`.

    Example::

        >>> documents_table(gwr.parse("reports/")).to_pandas()
    """
    rows = []
    for d in docs:
        d = d.to_dict() if hasattr(d, "to_dict") else dict(d)
        span = d.get("source_span") or [None, None]
        row = {f: d.get(f) for f in DOCUMENT_SCHEMA.names}
        row["source_start"], row["source_end"] = span[0], span[1]
        row["outline"] = [
            {k: s.get(k) for k in ("id", "level", "title", "role")} for s in d.get("outline") or []
        ]
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=DOCUMENT_SCHEMA)


def parse(
    df: Any,
    content_col: str = "content",
    name_col: str = "name",
    *,
    jobs: int = 1,
    errors: str = "warn",
    file_timeout: Optional[float] = None,
) -> Any:
    """Documents of report bytes in a DataFrame (``content_col`` the bytes,
    ``name_col`` their file name or ``file:`` URI), one row per document
    with metadata and outline (:data:`DOCUMENT_SCHEMA`).

    Example::

        >>> files = spark.read.format("binaryFile").load("reports/")
        >>> gwr.spark.parse(files, name_col="path").select("file", "region", "plan_year").show()
    """
    for c in (content_col, name_col):
        if c not in df.columns:
            raise ValueError(f"no column {c!r} in the DataFrame (it has {df.columns})")
    if errors not in ("warn", "raise", "ignore"):
        raise ValueError("errors must be 'warn', 'raise' or 'ignore'")

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from . import _gwr

        for batch in batches:
            names = batch.column(name_col).to_pylist()
            contents = batch.column(content_col).to_pylist()
            items = [
                (_display_name(str(n)), bytes(c)) for n, c in zip(names, contents) if c is not None
            ]
            docs, failures = _gwr.parse(items=items, jobs=jobs, file_timeout=file_timeout)
            _warn(failures, errors)
            yield from documents_table(docs).to_batches()

    return df.select(content_col, name_col).mapInArrow(run, spark_schema(DOCUMENT_SCHEMA))

