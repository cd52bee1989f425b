#!/usr/bin/env bash
# Functional test of the `oracle` source against your Oracle database (none runs
# on the project's machines and Debian has no Oracle client; CI does not run
# this). Give it with:
#   ORACLE_HOST ORACLE_PORT ORACLE_USER ORACLE_PASSWORD ORACLE_SID (the user's
#   customers_N tables are dropped and created)
#   ORACLE_HOME_DIR: the Instant Client directory holding libsqora.so.* (the
#   connector's oracle_home); ORACLE_PROTOCOL (default TCP)
# Ids `{sid}_CUSTOMERS_{n}_{id}_` (row 0: `{sid}_CUSTOMERS_{n}_`), columns `customers_{n}_{column}`.
# Usage: tests/ftest/oracle/fixture.sh SMALL|MEDIUM|LARGE
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tests/ftest/odbc_fixture.sh
source "$HERE/../odbc_fixture.sh"
odbc_require_env oracle ORACLE_HOST ORACLE_PORT ORACLE_USER ORACLE_PASSWORD ORACLE_SID ORACLE_HOME_DIR
LIBRARY=$(find "$ORACLE_HOME_DIR" "$ORACLE_HOME_DIR/lib" -maxdepth 1 -name 'libsqora.so*' 2>/dev/null | sort | head -n 1)
if [[ -z $LIBRARY ]]; then
  echo "ftest oracle: no libsqora.so* in $ORACLE_HOME_DIR: install Oracle Instant Client Basic + ODBC there" >&2
  exit 1
fi
export ORACLE_HOME=$ORACLE_HOME_DIR LD_LIBRARY_PATH="$ORACLE_HOME_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
PROTOCOL=${ORACLE_PROTOCOL:-TCP}
SCHEMA=""
DATABASE=$ORACLE_SID
DESCRIPTOR="(DESCRIPTION=(ADDRESS=(PROTOCOL=$PROTOCOL)(HOST=$ORACLE_HOST)(PORT=$ORACLE_PORT))(CONNECT_DATA=(SID=$ORACLE_SID)))"
ODBC_CONNECTION="DRIVER=$(braced "$LIBRARY");DBQ=$(braced "$DESCRIPTOR");UID=$(braced "$ORACLE_USER");PWD=$(braced "$ORACLE_PASSWORD")"
DB_LABEL="Oracle $ORACLE_HOST:$ORACLE_PORT/$ORACLE_SID"
CONNECTOR_FIELDS=("host=$ORACLE_HOST" "port=$ORACLE_PORT" "username=$ORACLE_USER" "password=$ORACLE_PASSWORD"
  "database=$ORACLE_SID" "oracle_protocol=$PROTOCOL" "oracle_home=$ORACLE_HOME_DIR")
# shellcheck disable=SC2034  # read by lib.sh: the framework fixture's perf8 MAX_RSS
FT_MAX_RSS_MIB=240
odbc_fixture_run oracle "${1:-SMALL}"
