#!/usr/bin/env bash
# Functional test of the `confluence` source through the service, Cloud then
# Server (DEPLOYMENT=cloud|server for one), against the Confluence mock with the
# framework's fixture (sources.md §8): 4 000 spaces, 50 pages and 50 blog posts
# with 5 attachments each (SMALL 1 MB, MEDIUM 2 MB, LARGE 6 MB `.py` files of
# letters; the first page's are real .docx/.pdf/.xlsx/.txt files). Full sync;
# then a space, a page and its attachments, and another attachment deleted,
# two pages edited; then a sync with no change. Exact id set and a sample of
# documents field by field.
# Usage: tests/ftest/confluence/fixture.sh SMALL|MEDIUM|LARGE
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/atlassian_ftest.sh"
atlassian_both_deployments "$0" "${1:-SMALL}"
# shellcheck source=tests/ftest/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
PRODUCT=confluence URL_FIELD=confluence_url KEYS_FIELD=spaces FT_SIZE_ARG=${1:-SMALL}
# LARGE attachments (6 MB of letters) extract to 6 MB bodies: over the 3 MiB
# a document without `_attachment` may have by default (bulk.max_text_document_size).
if [[ $FT_SIZE_ARG == LARGE && -z ${FT_CONFIG_EXTRA:-} ]]; then
  export FT_CONFIG_EXTRA="elasticsearch.bulk.max_text_document_size: 8"
fi
DATASET_DESCRIPTION="4000 spaces, 50 pages and 50 blog posts with 5 attachments each; then 1 space, 1 page and 6 attachments deleted, 2 pages edited"
atlassian_ftest
