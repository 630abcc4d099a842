"""gwr: Chinese government work reports (政府工作报告) as structured data.

Parse report files (plain text in any common encoding, HTML, DOCX, PDF with a
text layer) into documents with metadata and outline; extract facts,
targets, commitments and tracked targets as :class:`pyarrow.Table` objects
built in Rust and handed over through the Arrow C stream interface; keep a
corpus in a :class:`Store` with Chinese word search and read-only SQL.

Example::

    >>> import gwr
    >>> facts = gwr.facts("reports/")                # a pyarrow.Table
    >>> df = facts.to_pandas()                       # or polars.from_arrow(facts)
    >>> df[df.metric_id == "gdp"][["file", "year", "value", "unit", "evidence"]]
    >>> docs = gwr.parse("reports/2024.txt")
    >>> docs[0].region, docs[0].plan_year, [s.title for s in docs[0].outline]

Long work releases the interpreter and runs on gwr's own threads (``jobs``
sets how many; by default one per core). A file gwr cannot read raises
:class:`GwrError` naming it when it was the only input, and is reported with
a :class:`GwrWarning` otherwise (``errors="raise"`` or ``"ignore"`` changes
that).
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any, Iterable, Optional, Sequence, Union

import pyarrow as pa

from . import _gwr
from ._gwr import GwrError

__version__: str = _gwr.__version__

__all__ = [
    "GwrError",
    "GwrWarning",
    "Document",
    "Section",
    "Record",
    "parse",
    "facts",
    "targets",
    "commitments",
    "track",
    "metrics",
    "schema",
    "collect",
    "Store",
]

PathLike = Union[str, "os.PathLike[str]"]
Source = Union[PathLike, bytes, Iterable[PathLike]]


class GwrWarning(UserWarning):
    """A file of a batch that gwr could not read (the batch went on)."""


class Record:
    """A plain record: its fields are attributes; :meth:`to_dict` gives them back.

    Example::

        >>> r = Record({"id": "1", "title": "2023年工作回顾"})
        >>> r.title
        '2023年工作回顾'
        >>> r.to_dict()
        {'id': '1', 'title': '2023年工作回顾'}
    """

    __slots__ = ("_fields",)

    def __init__(self, fields: dict) -> None:
        object.__setattr__(self, "_fields", dict(fields))

    def __getattr__(self, name: str) -> Any:
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __dir__(self) -> list:
        return sorted(set(self._fields) | set(super().__dir__()))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.to_dict() == self.to_dict()

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in list(self._fields.items())[:6])
        more = ", …" if len(self._fields) > 6 else ""
        return f"{type(self).__name__}({shown}{more})"

    def to_dict(self) -> dict:
        """The record as a dict (nested records as dicts too)."""
        return {k: _plain(v) for k, v in self._fields.items()}


def _plain(v: Any) -> Any:
    if isinstance(v, Record):
        return v.to_dict()
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


class Section(Record):
    """A heading of a document's outline: ``id`` (dotted ordinal path such as
    ``"2.3"``), ``level``, ``title``, ``role`` (review, tasks, targets, …)
    and ``period`` (first and last year it is about) when known."""


class Document(Record):
    """One document of a report file.

    Fields: ``file``, ``part`` (1-based within the file), ``doc_type``,
    ``title``, ``region``, ``region_code`` (GB/T 2260), ``region_path``,
    ``level``, ``speaker``, ``speaker_title``, ``meeting``, ``date``,
    ``review_year``, ``plan_year``, ``review_span``, ``headings``,
    ``inferred`` (fields worked out indirectly), ``source_span`` (byte span in
    the file), ``outline`` (a list of :class:`Section`), ``format`` and
    ``encoding`` of the file, ``cues`` (every rule that proposed a field).

    Example::

        >>> d = gwr.parse("reports/2024.txt")[0]
        >>> d.region, d.plan_year
        ('余杭区', 2024)
        >>> [s.title for s in d.outline if s.level == 1]
    """

    def __init__(self, fields: dict) -> None:
        fields = dict(fields)
        fields["outline"] = [Section(s) for s in fields.get("outline") or []]
        fields.setdefault("review_span", None)
        fields.setdefault("inferred", [])
        fields.setdefault("cues", [])
        super().__init__(fields)


# ---------------------------------------------------------------- inputs


def _path_list(source: Any) -> list:
    if isinstance(source, (str, os.PathLike)):
        return [os.fspath(source)]
    if isinstance(source, (bytes, bytearray, memoryview)):
        raise TypeError("bytes need a name: parse(data, name='report.txt')")
    try:
        items = list(source)
    except TypeError:
        raise TypeError(
            f"expected a path, a list of paths or bytes, not {type(source).__name__}"
        ) from None
    out = []
    for p in items:
        if not isinstance(p, (str, os.PathLike)):
            raise TypeError(f"expected a path, not {type(p).__name__}")
        out.append(os.fspath(p))
    return out


def collect(paths: Union[PathLike, Iterable[PathLike]], *, follow: bool = False) -> tuple:
    """The files gwr would read under ``paths`` (directories recursively, in
    name order, hidden entries skipped; only regular files), and the paths it
    could not use as ``(path, message)`` pairs.

    Example::

        >>> files, skipped = gwr.collect("reports/")
    """
    return _gwr.collect(_path_list(paths), follow)


def _metrics_arg(metric: Union[None, str, Sequence[str]]) -> Optional[list]:
    if metric is None:
        return None
    if isinstance(metric, str):
        return [m for m in metric.split(",") if m.strip()]
    return list(metric)


# ---------------------------------------------------------------- progress


class _Progress:
    """A progress bar over files: tqdm when installed, else a line on stderr."""

    def __init__(self, total: int, shown: Optional[bool], what: str) -> None:
        if shown is None:
            shown = total > 64
        self.bar = None
        self.done = 0
        self.total = total
        self.what = what
        self.plain = False
        if not shown:
            return
        try:
            from tqdm.auto import tqdm
        except ImportError:
            self.plain = True
        else:
            self.bar = tqdm(total=total, unit="file", desc=what, leave=False)

    def __call__(self, n: int) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
        elif self.plain:
            print(f"\r{self.what}: {self.done}/{self.total} files", end="", file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.plain:
            print(file=sys.stderr)


def _report(failures: list, errors: str, read: int, inputs: int) -> None:
    """Apply the error policy to a batch's failures."""
    if errors not in ("warn", "raise", "ignore"):
        raise ValueError("errors must be 'warn', 'raise' or 'ignore'")
    if not failures:
        if inputs == 0:
            raise GwrError("no files found")
        return
    lines = [f"{p}: {m}" if p else m for p, m in failures]
    if errors == "raise" or read == 0:
        if len(lines) == 1:
            raise GwrError(lines[0])
        raise GwrError(f"{len(lines)} inputs could not be read:\n" + "\n".join(lines))
    if errors == "warn":
        for line in lines:
            warnings.warn(line, GwrWarning, stacklevel=3)


def _table(stream: Any) -> pa.Table:
    return pa.RecordBatchReader.from_stream(stream).read_all()


def _run_records(
    what: str,
    source: Any,
    *,
    name: Optional[str] = None,
    metric: Any = None,
    kind: Optional[str] = None,
    headline: bool = False,
    region: Optional[str] = None,
    jobs: Optional[int] = None,
    progress: Optional[bool] = None,
    errors: str = "warn",
    file_timeout: Optional[float] = None,
) -> pa.Table:
    metrics_ = _metrics_arg(metric)
    if isinstance(source, (bytes, bytearray, memoryview)):
        items = [(name or "<bytes>", bytes(source))]
        stream, failures = _gwr.records(
            what, items=items, metric=metrics_, kind=kind, headline=headline,
            region=region, jobs=jobs, file_timeout=file_timeout,
        )
        _report(failures, errors, 1 - len(failures), 1)
        return _table(stream)
    files, skipped = collect(source)
    bar = _Progress(len(files), progress, what)
    try:
        stream, failures = _gwr.records(
            what, paths=files, metric=metrics_, kind=kind, headline=headline,
            region=region, jobs=jobs, progress=bar, file_timeout=file_timeout,
        )
    finally:
        bar.close()
    failures = list(skipped) + list(failures)
    _report(failures, errors, len(files) + len(skipped) - len(failures), len(files) + len(skipped))
    return _table(stream)


# ---------------------------------------------------------------- the API


def parse(
    source: Source,
    *,
    name: Optional[str] = None,
    jobs: Optional[int] = None,
    progress: Optional[bool] = None,
    errors: str = "warn",
    file_timeout: Optional[float] = None,
) -> list:
    """Parse report files into :class:`Document` objects.

    ``source`` is a path, a directory (read recursively), a list of paths, or
    ``bytes`` with ``name`` (the name records carry; its extension helps
    tell the format). ``jobs`` worker threads (default: one per core);
    ``progress`` shows a bar (default: for more than 64 files);
    ``errors``: ``"warn"`` (default: a :class:`GwrWarning` per unreadable
    file, :class:`GwrError` when nothing could be read), ``"raise"`` or
    ``"ignore"``; ``file_timeout`` seconds one file may take (default 10 s
    plus 5 s per MB; 0: none).

    Example::

        >>> docs = gwr.parse("reports/")
        >>> [(d.file, d.region, d.plan_year) for d in docs]
        >>> gwr.parse("政府工作报告\\n各位代表：…".encode(), name="demo.txt")[0].doc_type
        'government_work_report'
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        docs, failures = _gwr.parse(
            items=[(name or "<bytes>", bytes(source))], jobs=jobs, file_timeout=file_timeout
        )
        _report(failures, errors, 1 - len(failures), 1)
        return [Document(d) for d in docs]
    files, skipped = collect(source)
    bar = _Progress(len(files), progress, "parse")
    try:
        docs, failures = _gwr.parse(
            paths=files, jobs=jobs, progress=bar, file_timeout=file_timeout
        )
    finally:
        bar.close()
    failures = list(skipped) + list(failures)
    n = len(files) + len(skipped)
    _report(failures, errors, n - len(failures), n)
    return [Document(d) for d in docs]


def facts(
    paths: Source,
    *,
    metric: Union[None, str, Sequence[str]] = None,
    kind: Optional[str] = None,
    headline: bool = False,
    name: Optional[str] = None,
    jobs: Optional[int] = None,
    progress: Optional[bool] = None,
    errors: str = "warn",
    file_timeout: Optional[float] = None,
) -> pa.Table:
    """Every quantitative fact of the files, as a :class:`pyarrow.Table`.

    The rows are those of ``gwr facts``; the columns those of ``gwr export
    --table facts`` with ``file`` and ``part`` for the store's ids:
    ``file, part, metric_id, metric, kind, year, year_from, year_to, value,
    unit, value_base, base_unit, qualifier, lo, hi, stretch, change_type,
    change_value, change_qualifier, change_lo, change_hi, change_stretch,
    section, role, evidence, source_start, source_end, text_start, text_end``
    (the character span in its document's text), then ``region,
    region_code, level, report_plan_year``.

    ``metric``: metric ids or names (``"gdp"``, ``"地区生产总值"``, a list or
    a comma-separated string); ``kind``: ``"actual"``, ``"estimate"``, ``"forecast"`` or
    ``"target"``; ``headline``: only metrics with a canonical id. The other
    arguments are those of :func:`parse`.

    Example::

        >>> t = gwr.facts("reports/", metric="gdp", kind="target")
        >>> t.num_rows
        >>> df = t.to_pandas()
        >>> import polars as pl; pl.from_arrow(t)
    """
    return _run_records(
        "facts", paths, name=name, metric=metric, kind=kind, headline=headline,
        jobs=jobs, progress=progress, errors=errors, file_timeout=file_timeout,
    )


def targets(
    paths: Source,
    *,
    metric: Union[None, str, Sequence[str]] = None,
    name: Optional[str] = None,
    jobs: Optional[int] = None,
    progress: Optional[bool] = None,
    errors: str = "warn",
    file_timeout: Optional[float] = None,
) -> pa.Table:
    """Targets with comparator, wording and horizon, and goals without a
    number (as ``gwr targets``), as a :class:`pyarrow.Table`: the columns of
    the store's ``targets`` table, then ``kind, lo, hi, stretch, section,
    qualifier, region, region_code``.

    Example::

        >>> gwr.targets("reports/", metric="gdp").to_pandas()[["file", "year", "change_value", "comparator", "wording"]]
    """
    return _run_records(
        "targets", paths, name=name, metric=metric, jobs=jobs, progress=progress,
        errors=errors, file_timeout=file_timeout,
    )


def commitments(
    paths: Source,
    *,
    name: Optional[str] = None,
    jobs: Optional[int] = None,
    progress: Optional[bool] = None,
    errors: str = "warn",
    file_timeout: Optional[float] = None,
) -> pa.Table:
    """民生实事 projects and completion statements (as ``gwr commitments``),
    as a :class:`pyarrow.Table`: the columns of the store's ``commitments``
    table (``figures`` a JSON array), then ``region, region_code,
    plan_year, review_year, source_start, source_end, fulfils``.

    Example::

        >>> gwr.commitments("reports/").to_pandas()[["file", "stage", "idx", "title"]]
    """
    return _run_records(
        "commitments", paths, name=name, jobs=jobs, progress=progress,
        errors=errors, file_timeout=file_timeout,
    )


def track(
    paths: Source,
    *,
    region: Optional[str] = None,
    metric: Union[None, str, Sequence[str]] = None,
    jobs: Optional[int] = None,
    progress: Optional[bool] = None,
    errors: str = "warn",
    file_timeout: Optional[float] = None,
) -> pa.Table:
    """Each region's targets matched with what its later reports say (as
    ``gwr track``): one row per region, metric, measure and year with
    ``verdict`` (met, missed, no_outcome), ``gap`` and both evidences.

    ``region``: a region name or GB/T 2260 code.

    Example::

        >>> gwr.track("reports/", metric="gdp").to_pandas()[["region", "year", "target", "outcome", "verdict"]]
    """
    return _run_records(
        "track", paths, metric=metric, region=region, jobs=jobs, progress=progress,
        errors=errors, file_timeout=file_timeout,
    )


def metrics() -> list:
    """The headline metrics: dicts of ``id``, ``name``, ``units`` and every
    ``names`` reports use (what ``metric=`` accepts).

    Example::

        >>> [m["id"] for m in gwr.metrics()][:3]
    """
    return _gwr.metrics()


def schema(what: str) -> pa.Schema:
    """The schema of :func:`facts`, :func:`targets`, :func:`commitments` or
    :func:`track` tables (``what``: ``"facts"``, ``"targets"``,
    ``"commitments"``, ``"track"``).

    Example::

        >>> gwr.schema("facts").names[:4]
        ['file', 'part', 'metric_id', 'metric']
    """
    return _table(_gwr.schema(what)).schema


# ---------------------------------------------------------------- the store


class Store:
    """A corpus store: one SQLite file in directory ``path`` (``gwr ingest``'s
    ``--db``), with word search, read-only SQL and export. Usable as a
    context manager; ``read_only=True`` opens an existing store for queries
    (also while another process ingests).

    Example::

        >>> with gwr.Store("gwr-data") as store:
        ...     store.ingest("reports/")
        ...     hits = store.search("数字经济", year=2024, limit=5)
        ...     by_region = store.sql("SELECT region, COUNT(*) AS n FROM documents GROUP BY 1")
        ...     store.export("facts", "facts.parquet")
    """

    def __init__(self, path: PathLike = "gwr-data", *, read_only: bool = False) -> None:
        self._inner = _gwr.Store(os.fspath(path), read_only)

    @property
    def path(self) -> str:
        """The store's directory."""
        return self._inner.path

    @property
    def closed(self) -> bool:
        return self._inner.closed

    def close(self) -> None:
        """Close the store (later calls raise :class:`GwrError`)."""
        self._inner.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"gwr.Store({self.path!r}, {state})"

    def ingest(
        self,
        paths: Union[PathLike, Iterable[PathLike]],
        *,
        progress: Optional[bool] = True,
        jobs: Optional[int] = None,
        terms: Optional[Iterable[str]] = None,
        errors: str = "warn",
        file_timeout: Optional[float] = None,
    ) -> dict:
        """Add files to the store (as ``gwr ingest``): parsed in parallel,
        each batch one transaction, files already stored (same bytes) skipped.
        ``terms`` adds words to the store's lexicon first. Returns counts:
        ``{"added", "known", "failed", "new_terms", "failures"}``.

        Example::

            >>> store.ingest("reports/")
            {'added': 5, 'known': 0, 'failed': 0, 'new_terms': 0, 'failures': []}
        """
        files, skipped = collect(paths)
        bar = _Progress(len(files), progress, "ingest")
        try:
            result = self._inner.ingest(
                files, jobs=jobs, progress=bar, file_timeout=file_timeout,
                terms=list(terms) if terms is not None else None,
            )
        finally:
            bar.close()
        failures = list(skipped) + list(result["failures"])
        result["failures"] = failures
        result["failed"] = len(failures)
        n = len(files) + len(skipped)
        stored = result["added"] + result["known"]
        _report(failures, errors, stored, n)
        return result

    def search(
        self,
        query: str,
        *,
        region: Optional[str] = None,
        year: Optional[int] = None,
        role: Optional[str] = None,
        type: Optional[str] = None,
        limit: int = 20,
        timeout: float = 30.0,
    ) -> list:
        """Passages holding every term of ``query`` (quotes keep a phrase),
        ranked by BM25, then substring hits (as ``gwr search``). Filters:
        ``region`` (name or code), ``year`` (plan year), ``role`` (section
        role), ``type`` (document type). Returns :class:`Record` objects with
        ``file, part, region, plan_year, role, section, score, matched,
        snippet``.

        Example::

            >>> [h.snippet for h in store.search("营商环境", role="tasks", limit=3)]
        """
        hits = self._inner.search(
            query, region=region, year=year, role=role, doc_type=type,
            limit=limit, timeout=timeout,
        )
        return [Record(h) for h in hits]

    def sql(self, query: str, *, timeout: float = 30.0, max_rows: int = 0) -> pa.Table:
        """A read-only SQL query as a :class:`pyarrow.Table` (integer, real
        and text columns), within ``timeout`` seconds and at most
        ``max_rows`` rows (0: all). Statements that write are refused.

        Example::

            >>> store.sql("SELECT metric_id, COUNT(*) AS n FROM facts GROUP BY 1 ORDER BY n DESC").to_pandas()
        """
        return _table(self._inner.sql(query, timeout=timeout, max_rows=max_rows))

    def tables(self) -> list:
        """The tables :meth:`export` writes."""
        return list(_gwr.Store.tables())

    def export(self, table: str, path: PathLike, *, format: Optional[str] = None) -> int:
        """Write a whole table to ``path`` as Parquet (streamed, as ``gwr
        export``), CSV or JSON lines, chosen by ``format`` or the file's
        extension (``.parquet``, ``.csv``, ``.jsonl``). Returns the rows
        written.

        Example::

            >>> store.export("facts", "facts.parquet")
            1834
        """
        path = os.fspath(path)
        fmt = format or os.path.splitext(path)[1].lstrip(".").lower() or "parquet"
        if table not in self.tables():
            raise GwrError(f"no table {table!r}: one of {', '.join(self.tables())}")
        if fmt == "parquet":
            return self._inner.export_parquet(table, path)
        data = self.sql(f"SELECT * FROM {table} ORDER BY id", timeout=0)
        if fmt == "csv":
            import pyarrow.csv as pacsv

            pacsv.write_csv(data, path)
        elif fmt in ("jsonl", "json"):
            import json

            with open(path, "w", encoding="utf-8") as out:
                for row in data.to_pylist():
                    out.write(json.dumps(row, ensure_ascii=False))
                    out.write("\n")
        else:
            raise GwrError(f"unknown export format {fmt!r}: parquet, csv or jsonl")
        return data.num_rows



def __getattr__(name: str) -> Any:
    # `gwr.spark` is imported on first use (it needs pyspark only then).
    if name == "spark":
        import importlib

        return importlib.import_module(".spark", __name__)
    raise AttributeError(f"module 'gwr' has no attribute {name!r}")
