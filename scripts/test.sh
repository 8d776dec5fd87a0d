#!/usr/bin/env bash
# Install the test dependencies and run every check CI runs: the README's demo, lint, types,
# fast tests, then the server, browser and slow tests, then every evaluation gate in full.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
# the README's main job on the bundled example corpus must work on this fresh machine
DB="$(mktemp -d)/example.db" bash scripts/demo.sh > /dev/null
if [ -f scripts/install-browser.sh ]; then bash scripts/install-browser.sh; fi
.venv/bin/ruff check src tests bench
.venv/bin/mypy
.venv/bin/pytest -q
STORYLINE_TEST_PG="$(bash scripts/install-postgres.sh | tail -n 1)"; export STORYLINE_TEST_PG
trap 'bash scripts/install-postgres.sh --stop' EXIT
.venv/bin/pytest -q -m "server or browser or slow" -p no:cacheprovider || rc=$?
# pytest exits 5 when a marker selects nothing; that is not a failure
if [ "${rc:-0}" != 0 ] && [ "${rc:-0}" != 5 ]; then exit "$rc"; fi
bash scripts/eval.sh
