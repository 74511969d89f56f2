#!/bin/sh
# Installs (Debian's package, as root), starts PostgreSQL 15 and creates the test role and
# database, idempotently: run it twice, nothing changes. Prints the CSM_DB_URL to use.
# Used by tests/test_storage_pg.py's CI run (docs/storage.md); the lead decides whether .ci/run
# calls it. Env: CSM_PG_ROLE (csm_test), CSM_PG_PASSWORD (csm_test), CSM_PG_DB (csm_test).
set -eu
role=${CSM_PG_ROLE:-csm_test}
password=${CSM_PG_PASSWORD:-csm_test}
database=${CSM_PG_DB:-csm_test}
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then
    apt-get install -y postgresql-15 >/dev/null || { apt-get update >/dev/null && apt-get install -y postgresql-15 >/dev/null; }
fi
[ -d /etc/postgresql/15/main ] || pg_createcluster 15 main >/dev/null
pg_ctlcluster 15 main status >/dev/null 2>&1 || pg_ctlcluster 15 main start
for _ in 1 2 3 4 5 6 7 8 9 10; do
    /usr/lib/postgresql/15/bin/pg_isready -q -h 127.0.0.1 && break
    sleep 1
done
psql_su() { su postgres -c "psql -v ON_ERROR_STOP=1 -qtA $*"; }
if [ "$(psql_su "-c \"SELECT 1 FROM pg_roles WHERE rolname = '$role'\"")" != "1" ]; then
    psql_su "-c \"CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password'\""
fi
if [ "$(psql_su "-c \"SELECT 1 FROM pg_database WHERE datname = '$database'\"")" != "1" ]; then
    psql_su "-c \"CREATE DATABASE $database OWNER $role\""
fi
echo "CSM_DB_URL=postgresql://$role:$password@127.0.0.1:5432/$database"
