#!/usr/bin/env bash
# Copies the report of one ftest run into bench/results/ftest/ as
# <name>-<size>.json and <name>-<size>.svg (the name and size are read from
# report.json), replacing an older report of the same source and size.
# Usage: tests/ftest/publish.sh out/ftest/<name>-<size>-<timestamp>   [FORCE=1 for a failed run]
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-}
if [[ -z "$out" || ! -f "$out/report.json" || ! -f "$out/report.svg" ]]; then
  echo "usage: $0 OUT_DIR  (a folder of out/ftest/ with report.json and report.svg)" >&2
  exit 2
fi
read -r name size status < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r["source"], r["data_size"], r["status"])' "$out/report.json")
if [[ "$status" != passed && "${FORCE:-0}" != 1 ]]; then
  echo "publish.sh: $out is a $status run; not published (FORCE=1 to publish it anyway)" >&2
  exit 1
fi
dest="$REPO/bench/results/ftest"
mkdir -p "$dest"
cp "$out/report.json" "$dest/$name-$size.json"
cp "$out/report.svg" "$dest/$name-$size.svg"
echo "published $out as bench/results/ftest/$name-$size.json and .svg"
