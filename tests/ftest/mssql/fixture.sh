#!/usr/bin/env bash
# Functional test of the `mssql` source against your SQL Server (none runs on the
# project's machines; CI does not run this). Give it with:
#   MSSQL_HOST MSSQL_PORT MSSQL_USER MSSQL_PASSWORD MSSQL_DATABASE (a database for
#   the test: its customers_N tables are dropped and created)
#   MSSQL_DRIVER (default FreeTDS; or 'ODBC Driver 18 for SQL Server'), MSSQL_SCHEMA (default dbo)
# Ids `{database}_{schema}_{table}_user_{n}_`, columns `{schema}_{table}_{column}`.
# Usage: tests/ftest/mssql/fixture.sh SMALL|MEDIUM|LARGE
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tests/ftest/odbc_fixture.sh
source "$HERE/../odbc_fixture.sh"
odbc_require_env mssql MSSQL_HOST MSSQL_PORT MSSQL_USER MSSQL_PASSWORD MSSQL_DATABASE
DRIVER=${MSSQL_DRIVER:-FreeTDS}
SCHEMA=${MSSQL_SCHEMA:-dbo}
DATABASE=$MSSQL_DATABASE
if [[ ${DRIVER,,} == *freetds* || ${DRIVER,,} == *tdsodbc* ]]; then
  ODBC_CONNECTION="DRIVER=$(braced "$DRIVER");SERVER=$(braced "$MSSQL_HOST");PORT=$MSSQL_PORT;DATABASE=$(braced "$DATABASE");UID=$(braced "$MSSQL_USER");PWD=$(braced "$MSSQL_PASSWORD");TDS_Version=7.4;ClientCharset=UTF-8"
else
  ODBC_CONNECTION="DRIVER=$(braced "$DRIVER");SERVER=$(braced "tcp:$MSSQL_HOST,$MSSQL_PORT");DATABASE=$(braced "$DATABASE");UID=$(braced "$MSSQL_USER");PWD=$(braced "$MSSQL_PASSWORD");TrustServerCertificate=yes"
fi
DB_LABEL="SQL Server $MSSQL_HOST:$MSSQL_PORT/$DATABASE ($DRIVER)"
CONNECTOR_FIELDS=("host=$MSSQL_HOST" "port=$MSSQL_PORT" "username=$MSSQL_USER" "password=$MSSQL_PASSWORD"
  "database=$DATABASE" "schema=$SCHEMA" "mssql_driver=$DRIVER")
# shellcheck disable=SC2034  # read by lib.sh: the framework fixture's perf8 MAX_RSS
FT_MAX_RSS_MIB=230
odbc_fixture_run mssql "${1:-SMALL}"
