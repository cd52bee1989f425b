#!/usr/bin/env bash
# Our extractor against Apache Tika 2.9.2 on the extraction corpus, in one run on
# one machine: per type, the token overlap of the two texts and the throughput
# of each (files/s, MB/s), and each one's peak RSS. "fair" is the overlap
# without the files where Tika's text is the odd one (differences.json). Writes
# bench/results/extraction.json and bench/results/extraction.svg.
#
#   bench/extraction/run.sh            (BUILD_DIR=build, REPEAT=3, CORPUS=tests/fixtures/extraction)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build}
CORPUS=${CORPUS:-tests/fixtures/extraction}
REPEAT=${REPEAT:-3}
RESULTS=${RESULTS:-bench/results}
TIKA_VERSION=2.9.2
jar="$HOME/.m2/repository/org/apache/tika/tika-app/$TIKA_VERSION/tika-app-$TIKA_VERSION.jar"

if [[ ! -f "$jar" ]]; then
  echo "fetching tika-app $TIKA_VERSION from Maven Central" >&2
  mvn -B -q dependency:get "-Dartifact=org.apache.tika:tika-app:$TIKA_VERSION" >&2
fi
cmake --build "$BUILD_DIR" --target extract_corpus >&2

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The corpus is the files in the type folders (the generators and README at its
# top are not part of it, nor are the fuzzers' crashers in regressions/).
mkdir -p "$work/corpus"
(cd "$CORPUS" && find . -mindepth 2 -type f -not -path './regressions/*' -exec cp --parents {} "$work/corpus" \;)
echo "corpus: $(find "$work/corpus" -type f | wc -l) files" >&2

echo "ours..." >&2
"$BUILD_DIR/bin/extract_corpus" --out "$work/ours" --repeat "$REPEAT" "$work/corpus" >"$work/ours.jsonl"
echo "Tika $TIKA_VERSION (warmed up)..." >&2
java -Xmx1g -cp "$jar" bench/extraction/TikaCorpus.java "$work/tika" "$REPEAT" "$work/corpus" \
  >"$work/tika.jsonl" 2>"$work/tika.log" || { tail -20 "$work/tika.log" >&2; exit 1; }

mkdir -p "$RESULTS"
python3 bench/extraction/score.py "$work" "$TIKA_VERSION" >"$RESULTS/extraction.json"
python3 bench/extraction/plot.py "$RESULTS/extraction.json" "$RESULTS/extraction.svg"
python3 - "$RESULTS/extraction.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"{'type':8} {'files':>5} {'overlap':>8} {'fair':>6} {'ours MB/s':>10} {'Tika MB/s':>10} {'ours f/s':>9} {'Tika f/s':>9}")
for t, v in sorted(r["types"].items()):
    print(f"{t:8} {v['files']:5} {v['overlap_mean'] or 0:8.3f} {'-' if v['overlap_mean_where_tika_is_right'] is None else format(v['overlap_mean_where_tika_is_right'], '.3f'):>6} {v['ours']['mb_per_s']:10.2f} {v['tika']['mb_per_s']:10.2f} "
          f"{v['ours']['files_per_s']:9.1f} {v['tika']['files_per_s']:9.1f}")
m = r["mixed"]
print(f"mixed: ours {m['ours']['files_per_s']:.1f} files/s, Tika {m['tika']['files_per_s']:.1f} files/s "
      f"({m['files_per_s_ratio']:.1f}x); peak RSS ours {r['peak_rss_mib']['ours']:.1f} MiB, Tika {r['peak_rss_mib']['tika']:.1f} MiB")
PY
