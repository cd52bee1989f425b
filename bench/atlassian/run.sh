#!/usr/bin/env bash
# Atlassian benchmark (issue 16): the Jira mock (Cloud shape) answering every
# request after a fixed LATENCY_MS (50), ISSUES (10 000) issues with one
# attachment each (FILE_SIZE bytes of letters, a .txt; every download is a
# redirect to the media host, so two requests). `connectors sync` of all of it
# with concurrent_downloads at each of CONCURRENCIES (10 100), each into a
# fresh index, then a resync with nothing changed (no download). Reported per
# run: wall, docs/s, peak RSS, CPU, requests the mock answered. The issue
# search pages 100 issues a request, one after the other; the attachment
# downloads overlap up to concurrent_downloads: the latency hides behind them.
#
# Usage: bench/atlassian/run.sh   writes bench/results/atlassian-jira.json
# Environment: ISSUES, LATENCY_MS, FILE_SIZE (20000), CONCURRENCIES ("10 100"),
#   ENGINE (elasticsearch), BIN_DIR (build/bin), BENCH_KEEP=1
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ISSUES=${ISSUES:-10000}
LATENCY_MS=${LATENCY_MS:-50}
FILE_SIZE=${FILE_SIZE:-20000}
CONCURRENCIES=${CONCURRENCIES:-10 100}
ENGINE=${ENGINE:-elasticsearch}
BIN_DIR=${BIN_DIR:-$REPO/build/bin}
ENGINES_SH=$REPO/tests/servers/elasticsearch.sh

BENCH_TAG="atlassian bench"
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
bench_start bench-atlassian curl jq python3 /usr/bin/time

declare -A M
line=$(SERVER_OWNER_PID=$$ PRODUCT=jira DEPLOYMENT=cloud \
  MOCK_ARGS="--latency-ms $LATENCY_MS --projects 10 --issues $ISSUES --file-size $FILE_SIZE --comments 1" \
  "$REPO/tests/servers/atlassian.sh" start 2>"$WORK/mock-start.log") ||
  die "the Jira mock did not start: $(tail -n 5 "$WORK/mock-start.log")"
for kv in $line; do M[${kv%%=*}]=${kv#*=}; done
STOPS+=("'$REPO/tests/servers/atlassian.sh' stop '${M[dir]}'")
EXPECT_DOCS=$(curl -sS "${M[url]}/_mock/expected?sample=0" | jq '.ids | length')

log "starting $ENGINE"
URL=$(ENGINE=$ENGINE ENGINE_STATE_DIR=$WORK/engine "$ENGINES_SH" start)
STOPS+=("ENGINE=$ENGINE ENGINE_STATE_DIR='$WORK/engine' '$ENGINES_SH' stop")
ENGINE_VERSION=$(curl -sf "$URL/" | jq -r .version.number)
printf 'elasticsearch:\n  host: %s\nservice:\n  id_cache_dir: %s\n' "$URL" "$WORK/ids" >"$WORK/config.yml"

mock_requests() { curl -sS "${M[url]}/_mock/stats" | jq '[.calls[]] | add // 0'; }
run_sync() {  # run_sync LABEL INDEX CONCURRENCY
  local label=$1 index=$2 concurrency=$3 before
  before=$(mock_requests)
  log "$label: concurrent_downloads $concurrency"
  /usr/bin/time -v -o "$WORK/$label.time" "$WORK/connectors" sync -c "$WORK/config.yml" \
    --service-type jira --index "$index" --no-pipeline --json "$WORK/$label.json" -q \
    --set data_source=jira_cloud --set "account_email=${M[user]}" --set "api_token=${M[password]}" \
    --set "jira_url=${M[url]}" --set "projects=*" --set requests_per_second=0 \
    --set "concurrent_downloads=$concurrency" --set use_text_extraction_service=true \
    >"$WORK/$label.out" 2>"$WORK/$label.err" || { tail -n 20 "$WORK/$label.err" >&2; die "$label failed"; }
  [[ $(jq -r .status "$WORK/$label.json") == completed ]] || die "$label: the sync did not complete"
  echo $(($(mock_requests) - before)) >"$WORK/$label.requests"
  echo "$concurrency" >"$WORK/$label.concurrency"
}
LABELS=()
for c in $CONCURRENCIES; do
  run_sync "first_sync_c$c" "jira-c$c" "$c"
  got=$(jq -r .indexed_document_count "$WORK/first_sync_c$c.json")
  [[ $got == "$EXPECT_DOCS" ]] || die "first_sync_c$c indexed $got documents, not $EXPECT_DOCS"
  LABELS+=("first_sync_c$c")
done
last=${CONCURRENCIES##* }
run_sync resync_unchanged "jira-c$last" "$last"
[[ $(jq -r .indexed_document_count "$WORK/resync_unchanged.json") == 0 ]] || die "the resync indexed documents"
[[ $(jq -r .content_fetches "$WORK/resync_unchanged.json") == 0 ]] || die "the resync downloaded"
LABELS+=(resync_unchanged)

export WORK ENGINE ENGINE_VERSION ISSUES LATENCY_MS FILE_SIZE EXPECT_DOCS
python3 "$HERE/report.py" "${LABELS[@]}" >"$REPO/bench/results/atlassian-jira.json"
jq -c '.runs[] | {run: .label, concurrency, wall_seconds, docs_per_s, peak_rss_mib, mock_requests}' \
  "$REPO/bench/results/atlassian-jira.json" >&2
