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
run timex --split heldout --min-value-f1 0.79 --min-relaxed-f1 0.92 --min-strict-f1 0.83
run pubdate --mode html --min-accuracy 0.91 --max-confident-wrong 0
run pubdate --mode text --max-confident-wrong 0
run quotes --min-direct-f1 0.905 --min-direct-speaker 0.895 --min-sourced-f1 0.73
run entities
run events
run copies
run tls
run entity-timeline
echo "eval: $passed passed, $failed failed"
[ "$failed" = 0 ]
