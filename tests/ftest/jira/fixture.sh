#!/usr/bin/env bash
# Functional test of the `jira` source through the service, Cloud then Server
# (DEPLOYMENT=cloud|server for one), against the Jira mock with the framework's
# fixture (sources.md §9): 1 000 projects (and an archived one, not indexed),
# 2 000 issues with comments and one attachment each (SMALL 500 kB, MEDIUM
# 1 MB, LARGE 3 MB of letters; the first issues' are real .docx/.pdf/.xlsx/.txt
# files), an archived issue not indexed. Full sync; then a project, an issue
# and its attachment deleted, two issues edited; then a sync with no change.
# Exact id set and a sample of documents field by field.
# Usage: tests/ftest/jira/fixture.sh SMALL|MEDIUM|LARGE
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../confluence/atlassian_ftest.sh"
atlassian_both_deployments "$0" "${1:-SMALL}"
# shellcheck source=tests/ftest/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
PRODUCT=jira URL_FIELD=jira_url KEYS_FIELD=projects FT_SIZE_ARG=${1:-SMALL}
DATASET_DESCRIPTION="1000 projects, 2000 issues with one attachment each; then 1 project, 1 issue and its attachment deleted, 2 issues edited"
atlassian_ftest
