# shellcheck shell=bash
# The ftest of an Atlassian source (confluence, jira), one deployment per run:
# the mock of tests/servers/atlassian_mock/ at the framework's fixture size, a
# first sync checked against the mock's own list of every id and a sample of
# documents, the mock's change-and-delete round, then a sync with no change.
# Sourced by confluence/fixture.sh and jira/fixture.sh after ../lib.sh, with
# PRODUCT, DEPLOYMENT, KEYS_FIELD, URL_FIELD set.

# Without DEPLOYMENT, runs the fixture for Cloud, then for Server.
atlassian_both_deployments() {
  local fixture=$1 size=$2
  if [[ -z ${DEPLOYMENT:-} ]]; then
    DEPLOYMENT=cloud "$fixture" "$size"
    DEPLOYMENT=server exec "$fixture" "$size"
  fi
}

# expected/ids-N.txt and docs-N.jsonl from the mock's GET /_mock/expected.
atlassian_expect() {
  local n=$1
  curl -sS --max-time 300 "${MOCK[url]}/_mock/expected?sample=20" | python3 -c '
import json, sys
d = json.load(sys.stdin)
with open(sys.argv[1], "w") as f:
    f.writelines(i + "\n" for i in sorted(d["ids"]))
with open(sys.argv[2], "w") as f:
    f.writelines(json.dumps(doc) + "\n" for doc in d["docs"])
print(len(d["ids"]))
' "$FT_OUT/expected/ids-$n.txt" "$FT_OUT/expected/docs-$n.jsonl"
}

atlassian_ftest() {
  ft_init "$PRODUCT-$DEPLOYMENT" "$FT_SIZE_ARG"
  ft_require_source "$PRODUCT"
  ft_log "starting the $PRODUCT mock ($DEPLOYMENT, $FT_SIZE)"
  local line
  line=$(SERVER_OWNER_PID=$$ PRODUCT=$PRODUCT DEPLOYMENT=$DEPLOYMENT MOCK_ARGS="--size $FT_SIZE" \
    "$FT_REPO/tests/servers/atlassian.sh" start 2>"$FT_OUT/mock-start.log") ||
    ft_die "the $PRODUCT mock did not start: $(tail -n 5 "$FT_OUT/mock-start.log")"
  declare -gA MOCK
  local kv
  for kv in $line; do MOCK[${kv%%=*}]=${kv#*=}; done
  ft_defer "$FT_REPO/tests/servers/atlassian.sh" stop "${MOCK[dir]}"

  local total
  total=$(atlassian_expect 1)
  ft_dataset "server=tests/servers/atlassian_mock ($PRODUCT, $DEPLOYMENT)" "documents=$total" \
    "description=$DATASET_DESCRIPTION"

  ft_engine_start
  ft_write_service_config
  local -a credentials
  if [[ $DEPLOYMENT == cloud ]]; then
    credentials=("data_source=${PRODUCT}_cloud" "account_email=${MOCK[user]}" "api_token=${MOCK[password]}")
  else
    credentials=("data_source=${PRODUCT}_server" "username=${MOCK[user]}" "password=${MOCK[password]}")
  fi
  # The mock has no rate limit of its own but the 429 storms it is told to make.
  ft_create_connector "$PRODUCT" "search-ftest-$PRODUCT" "${credentials[@]}" \
    "$URL_FIELD=${MOCK[url]}" "$KEYS_FIELD=*" "requests_per_second=0" \
    "use_text_extraction_service=true"
  ft_service_start

  ft_first_sync_indexes_everything "$total"

  ft_log "the mock's change-and-delete round"
  local round changed deleted
  round=$(curl -sS -X POST "${MOCK[url]}/_mock/round")
  echo "$round" >"$FT_OUT/round.json"
  changed=$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["changed"]))' <<<"$round")
  deleted=$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["deleted"]))' <<<"$round")
  total=$(atlassian_expect 2)
  python3 -c '
import json, sys
round = json.load(open(sys.argv[1]))
with open(sys.argv[2], "a") as f:
    f.writelines(json.dumps({"id": i, "absent": True}) + "\n" for i in round["deleted"])
' "$FT_OUT/round.json" "$FT_OUT/expected/docs-2.jsonl"
  ft_sync "changed"
  ft_expect_job indexed_document_count "$changed"
  ft_expect_job deleted_document_count "$deleted"
  ft_expect_count "$total"
  ft_verify_ids "$FT_OUT/expected/ids-2.txt"
  ft_verify_docs "$FT_OUT/expected/docs-2.jsonl"

  local unknown
  unknown=$(curl -sS "${MOCK[url]}/_mock/unknown")
  [[ $unknown == "[]" ]] || ft_die "the source called endpoints the mock does not know: $unknown"
  ft_check_record ok "no unknown endpoint called" ""

  ft_finish_with_unchanged_sync "$total"
}
