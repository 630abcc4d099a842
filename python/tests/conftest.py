"""Shared fixtures: the shared corpus beside the repository and the `gwr`
command to compare with."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("GWR_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "corpus" / "seeds"


def gwr_bin() -> str:
    """The `gwr` command: $GWR_BIN, else a build in target/, else PATH."""
    if os.environ.get("GWR_BIN"):
        return os.environ["GWR_BIN"]
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    for profile in ("release", "debug"):
        p = target / profile / "gwr"
        if p.exists():
            return str(p)
    found = shutil.which("gwr")
    if not found:
        pytest.skip("no gwr command built (cargo build -p gwr-cli)")
    return found


def cli_jsonl(*args: str) -> list:
    """Rows of a `gwr ... --format jsonl` command."""
    out = subprocess.run(
        [gwr_bin(), *args, "--format", "jsonl"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"no shared corpus at {SEEDS}")
    return SEEDS


@pytest.fixture(scope="session")
def cli_facts(seeds) -> list:
    return cli_jsonl("facts", str(seeds))


def fact_key(r: dict) -> tuple:
    """The fields a fact is compared on, from a CLI record or a table row."""
    if "source_span" in r:
        start, end = r["source_span"]
    else:
        start, end = r["source_start"], r["source_end"]
    return (
        r["file"],
        r["part"],
        r["metric"],
        r.get("metric_id"),
        r["kind"],
        r.get("year"),
        r.get("value"),
        r.get("unit"),
        r["evidence"],
        start,
        end,
    )
