#!/usr/bin/env bash
# make demo: from a fresh clone to a finished sync. Installs and builds if
# needed, starts a local Elasticsearch 8.19, creates a directory connector on
# demo/sample with the `connectors` CLI, runs elastic-ingest until the first
# sync completes, prints the job's counters and a sample search, and stops
# everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
export ENGINE=${ENGINE:-elasticsearch}
STATE=$REPO/.cache/demo
export ENGINE_STATE_DIR=$STATE/engine
BIN=${DEMO_BIN:-$REPO/build/bin}  # DEMO_BIN: another build's programs
INDEX=search-demo
started=$(date +%s)

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

service_pid=""
cleanup() {
  if [[ -n "$service_pid" ]] && kill -0 "$service_pid" 2>/dev/null; then
    kill -TERM "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
  fi
  tests/servers/elasticsearch.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

if [[ ! -x $BIN/elastic-ingest || ! -x $BIN/connectors ]]; then
  say "Installing dependencies and building (first run only)"
  make install
fi

say "Starting a local $ENGINE"
mkdir -p "$STATE"
url=$(tests/servers/elasticsearch.sh start)
echo "$ENGINE is up at $url"

cat >"$STATE/cli.yml" <<YAML
elasticsearch:
  host: $url
YAML
cat >"$STATE/config.yml" <<YAML
# Written by make demo: the service config for the demo connector.
elasticsearch:
  host: $url
service:
  idling: 2
connectors: []
YAML

say "Creating a directory connector on demo/sample"
created=$("$BIN/connectors" -c "$STATE/cli.yml" connector create --service-type dir --index-name "$INDEX" \
  --name "Demo folder" --set "directory=$REPO/demo/sample" \
  --update-config --connector-service-config "$STATE/config.yml" --json)
connector_id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$created")
echo "connector $connector_id → index $INDEX"
"$BIN/connectors" -c "$STATE/cli.yml" connector list

say "Starting a full sync and the elastic-ingest service"
job=$("$BIN/connectors" -c "$STATE/cli.yml" job start -i "$connector_id" -t full --json)
job_id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$job")
"$BIN/elastic-ingest" -c "$STATE/config.yml" >"$STATE/elastic-ingest.log" 2>&1 &
service_pid=$!
echo "job $job_id; service pid $service_pid (log: $STATE/elastic-ingest.log)"

status=pending
for _ in $(seq 1 120); do
  view=$("$BIN/connectors" -c "$STATE/cli.yml" job view "$job_id" --json)
  status=$(python3 -c 'import json,sys; print(json.load(sys.stdin).get("status",""))' <<<"$view")
  [[ $status == completed || $status == error || $status == canceled ]] && break
  sleep 1
done
if [[ $status != completed ]]; then
  echo "the sync did not complete (status: $status); service log:" >&2
  tail -20 "$STATE/elastic-ingest.log" >&2
  exit 1
fi

say "The job"
"$BIN/connectors" -c "$STATE/cli.yml" job list "$connector_id"

say "A search: documents about \"sync\""
curl -s -H 'Content-Type: application/json' "$url/$INDEX/_search" \
  -d '{"size":3,"_source":["title","relative_path"],"query":{"match":{"body":"sync"}}}' |
  python3 -c "
import json, sys
r = json.load(sys.stdin)
print(r['hits']['total']['value'], 'matching documents; the best three:')
for h in r['hits']['hits']:
    print('  %.2f  %s' % (h['_score'], h['_source']['relative_path']))"

# Text from a PDF and a DOCX (demo/make_documents.py wrote them): found by a word
# only they hold. DEMO_WORD and DEMO_EXPECT change what is searched and expected.
word=${DEMO_WORD:-quarterly}
expect=${DEMO_EXPECT:-"documents/report.pdf documents/handbook.docx"}
say "A search in the text of a PDF and a DOCX: \"$word\""
found=$(curl -s -H 'Content-Type: application/json' "$url/$INDEX/_search" \
  -d "{\"size\":10,\"_source\":[\"relative_path\",\"body\"],\"query\":{\"match\":{\"body\":\"$word\"}}}" |
  python3 -c "
import json, sys
for h in json.load(sys.stdin)['hits']['hits']:
    print(h['_source']['relative_path'] + '\t' + h['_source'].get('body', '')[:70])")
echo "$found" | sed 's/^/  /'
for path in $expect; do
  if ! cut -f1 <<<"$found" | grep -qxF "$path"; then
    echo "$path was not found by its text; the job says:" >&2
    "$BIN/connectors" -c "$STATE/cli.yml" job view "$job_id" >&2 || true
    exit 1
  fi
done

say "Done in $(($(date +%s) - started)) s"
echo "Everything the demo started is stopped again; its engine data and logs are in .cache/demo."
