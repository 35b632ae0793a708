#!/usr/bin/env bash
# Create the owner and app roles and the database for Achterban (see postgres-roles.sql).
#   infra/postgres-roles.sh [DB] [OWNER] [APP]      (passwords from the environment:
#   ACHTERBAN_OWNER_PASSWORD, ACHTERBAN_APP_PASSWORD; PGHOST/PGUSER as for psql)
# Prints the two URLs to put in the environment.
set -euo pipefail
db=${1:-achterban}
owner=${2:-achterban_owner}
app=${3:-achterban_app}
owner_password=${ACHTERBAN_OWNER_PASSWORD:?set ACHTERBAN_OWNER_PASSWORD}
app_password=${ACHTERBAN_APP_PASSWORD:?set ACHTERBAN_APP_PASSWORD}
host=${PGHOST:-127.0.0.1}
here=$(cd "$(dirname "$0")" && pwd)

psql -X -q -h "$host" -U "${PGUSER:-postgres}" -d postgres \
  -v owner="$owner" -v owner_password="$owner_password" \
  -v app="$app" -v app_password="$app_password" -v db="$db" \
  -f "$here/postgres-roles.sql"

echo "ACHTERBAN_MIGRATE_DATABASE_URL=postgresql://$owner:<owner password>@$host/$db"
echo "ACHTERBAN_DATABASE_URL=postgresql://$app:<app password>@$host/$db"
