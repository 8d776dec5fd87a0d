#!/usr/bin/env bash
# Install PostgreSQL from Debian's packages, start a cluster listening on localhost only
# (directly with pg_ctlcluster: no systemd needed), create the role and database the
# server tests use, and print their URL as the last line of stdout:
#
#     export STORYLINE_TEST_PG="$(bash scripts/install-postgres.sh | tail -n 1)"
#     .venv/bin/pytest -m server tests/test_store_postgres.py
#     bash scripts/install-postgres.sh --stop      # stop the cluster again
#
# Idempotent: installs, creates and starts only what is missing.  Everything but the URL
# goes to stderr.  Settings (environment): STORYLINE_PG_USER, STORYLINE_PG_PASSWORD,
# STORYLINE_PG_DB, STORYLINE_PG_CLUSTER (default main), STORYLINE_PG_PORT (for a new cluster).
set -euo pipefail

PG_USER="${STORYLINE_PG_USER:-storyline}"
PG_PASSWORD="${STORYLINE_PG_PASSWORD:-storyline}"
PG_DB="${STORYLINE_PG_DB:-storyline_test}"
PG_CLUSTER="${STORYLINE_PG_CLUSTER:-main}"
PG_PORT="${STORYLINE_PG_PORT:-5432}"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

log() { echo "install-postgres: $*" >&2; }

# Run a command as the postgres system user, from a directory it can read.
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd /tmp && runuser -u postgres -- "$@")
    else
        (cd /tmp && sudo -u postgres -- "$@")
    fi
}

pg_version() { ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1; }

# -- install ----------------------------------------------------------------------------
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(pg_version)" ]; then
    if [ "${1:-}" = "--stop" ]; then exit 0; fi
    log "installing PostgreSQL from Debian packages"
    $SUDO apt-get update >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y postgresql >&2
fi
PG_VERSION="$(pg_version)"

# The cluster's line in pg_lsclusters: version cluster port status owner datadir logfile
cluster_line() { pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c'; }

if [ "${1:-}" = "--stop" ]; then
    if [ -n "$(cluster_line)" ] && [ "$(cluster_line | awk '{print $4}')" = "online" ]; then
        log "stopping cluster $PG_VERSION/$PG_CLUSTER"
        $SUDO pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop >&2
    fi
    exit 0
fi

# -- cluster ----------------------------------------------------------------------------
if [ -z "$(cluster_line)" ]; then
    log "creating cluster $PG_VERSION/$PG_CLUSTER on port $PG_PORT"
    $SUDO pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port "$PG_PORT" >&2
fi
PG_PORT="$(cluster_line | awk '{print $3}')"
# localhost only, whatever the packaged default is
$SUDO pg_conftool "$PG_VERSION" "$PG_CLUSTER" set listen_addresses localhost >&2

if [ "$(cluster_line | awk '{print $4}')" != "online" ]; then
    log "starting cluster $PG_VERSION/$PG_CLUSTER on port $PG_PORT"
    $SUDO pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start >&2
fi
for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then break; fi
    sleep 1
done
pg_isready -h 127.0.0.1 -p "$PG_PORT" >&2

# -- role and database ------------------------------------------------------------------
psql_pg() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@"; }

if [ "$(psql_pg -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != "1" ]; then
    log "creating role $PG_USER"
    psql_pg -c "CREATE ROLE \"$PG_USER\" LOGIN PASSWORD '$PG_PASSWORD'"
else
    psql_pg -c "ALTER ROLE \"$PG_USER\" LOGIN PASSWORD '$PG_PASSWORD'"
fi
if [ "$(psql_pg -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
    log "creating database $PG_DB"
    # C collation: ORDER BY compares bytes, as SQLite does (the schema also says COLLATE "C").
    as_postgres createdb -p "$PG_PORT" -O "$PG_USER" -E UTF8 -T template0 --locale=C.UTF-8 "$PG_DB" \
        || as_postgres createdb -p "$PG_PORT" -O "$PG_USER" -E UTF8 -T template0 "$PG_DB"
fi

echo "postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
