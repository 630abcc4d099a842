#!/usr/bin/env bash
# The Python package's CI: a Java runtime for Spark (from Debian's packages
# when missing), a venv with the package built from this tree (release,
# abi3), then pytest, Spark tests on local[2] included.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if ! command -v java >/dev/null 2>&1; then
  echo "== installing a Java runtime for Spark"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq default-jre-headless >/dev/null \
    || apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
java -version 2>&1 | head -1

venv=${GWR_VENV:-$root/.venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q "maturin>=1.5,<2" pyarrow pandas polars pytest tqdm "pyspark>=3.4"

echo "== building the Python package (pip install ./python)"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
"$venv/bin/pip" install -q --force-reinstall --no-deps ./python
# The command line the tests compare with.
if [ ! -x "$CARGO_TARGET_DIR/release/gwr" ] && [ ! -x "$CARGO_TARGET_DIR/debug/gwr" ]; then
  cargo build -p gwr-cli
fi

echo "== pytest (Spark on local[2])"
# Run from the root, so `import gwr` is the installed package, not python/gwr.
GWR_REQUIRE_SPARK=1 PYSPARK_PYTHON="$venv/bin/python" "$venv/bin/python" -m pytest -q -p no:cacheprovider python/tests
