#!/usr/bin/env bash
# Functional test of one source against a real server: make ftest NAME=<source> DATA_SIZE=SMALL|MEDIUM|LARGE
set -euo pipefail
cd "$(dirname "$0")/../.."
name="${1:-}"
size="${2:-SMALL}"
case "$size" in SMALL|MEDIUM|LARGE) ;; *) echo "ftest: DATA_SIZE must be SMALL, MEDIUM or LARGE, not '$size'" >&2; exit 2 ;; esac
if [[ -z "$name" ]]; then
  echo "ftest: give a source, e.g. make ftest NAME=postgresql" >&2
  exit 2
fi
if [[ ! -x "tests/ftest/$name/fixture.sh" ]]; then
  known="$(find tests/ftest -mindepth 2 -maxdepth 2 -name fixture.sh -printf '%h\n' 2>/dev/null | xargs -r -n1 basename | sort | tr '\n' ' ')"
  echo "ftest: unknown source '$name'. Sources with a functional test: ${known:-none yet}" >&2
  exit 2
fi
exec "tests/ftest/$name/fixture.sh" "$size"
