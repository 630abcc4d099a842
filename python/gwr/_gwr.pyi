"""Type stubs of gwr's native module (the public API is in `gwr`)."""

from os import PathLike
from typing import Any, Callable, Optional, Sequence, Union

_Path = Union[str, PathLike[str]]
_Failure = tuple[str, str]

__version__: str
MAX_FILE_BYTES: int

class GwrError(ValueError):
    """Input gwr cannot use: a file it cannot read (named in the message), an unknown metric, a bad query."""

class ArrowStream:
    """A table to be read once through the Arrow C stream interface."""

    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object: ...
    def __len__(self) -> int: ...

def collect(paths: Sequence[_Path], follow: bool = False) -> tuple[list[str], list[_Failure]]: ...
def parse(
    paths: Optional[Sequence[_Path]] = None,
    items: Optional[Sequence[tuple[str, bytes]]] = None,
    jobs: Optional[int] = None,
    progress: Optional[Callable[[int], Any]] = None,
    file_timeout: Optional[float] = None,
) -> tuple[list[dict[str, Any]], list[_Failure]]: ...
def records(
    what: str,
    paths: Optional[Sequence[_Path]] = None,
    items: Optional[Sequence[tuple[str, bytes]]] = None,
    metric: Optional[Sequence[str]] = None,
    kind: Optional[str] = None,
    headline: bool = False,
    region: Optional[str] = None,
    jobs: Optional[int] = None,
    progress: Optional[Callable[[int], Any]] = None,
    file_timeout: Optional[float] = None,
) -> tuple[ArrowStream, list[_Failure]]: ...
def schema(what: str) -> ArrowStream: ...
def metrics() -> list[dict[str, Any]]: ...

class Store:
    def __init__(self, path: _Path, read_only: bool = False) -> None: ...
    @property
    def path(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None: ...
    def ingest(
        self,
        files: Sequence[_Path],
        jobs: Optional[int] = None,
        progress: Optional[Callable[[int], Any]] = None,
        file_timeout: Optional[float] = None,
        terms: Optional[Sequence[str]] = None,
    ) -> dict[str, Any]: ...
    def search(
        self,
        query: str,
        region: Optional[str] = None,
        year: Optional[int] = None,
        role: Optional[str] = None,
        doc_type: Optional[str] = None,
        limit: int = 20,
        timeout: float = 30.0,
    ) -> list[dict[str, Any]]: ...
    def sql(self, query: str, timeout: float = 30.0, max_rows: int = 0) -> ArrowStream: ...
    def export_parquet(self, table: str, path: _Path) -> int: ...
    @staticmethod
    def tables() -> list[str]: ...
