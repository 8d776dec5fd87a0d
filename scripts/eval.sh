#!/usr/bin/env bash
# Every evaluation gate in full, against the gold data in ../shared/data (or $STORYLINE_DATA).
# Each command exits non-zero below its pinned floors; all run, and the script fails if any did.
# Skipped, with a message, when the data is absent.
set -uo pipefail
cd "$(dirname "$0")/.."
DATA=${STORYLINE_DATA:-../shared/data}
if [ ! -d "$DATA" ]; then
  echo "eval: no gold data at $DATA (see ../shared/data/README.md); evaluation gates skipped"
  exit 0
fi
SL=.venv/bin/storyline
passed=0
failed=0
run() {
  echo "== storyline eval $*"
  local t0=$SECONDS
  if "$SL" eval "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: storyline eval $*"; fi
  echo "   ($((SECONDS - t0)) s)"
}
run extraction
run clean
run timex --split heldout
run pubdate --mode html
run pubdate --mode text
run quotes
run entities
run events
run copies
run tls --split heldout
run entity-timeline
echo "eval: $passed passed, $failed failed"
[ "$failed" = 0 ]
