#!/usr/bin/env bash
# The main job on the bundled (fictional) example corpus: build, print the timeline, write a report.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${DB:-example.db}
.venv/bin/storyline build examples/harbour-strike/articles --db "$DB"
.venv/bin/storyline timeline --db "$DB"
.venv/bin/storyline report --db "$DB" --out example-report.html
echo "report written to example-report.html"
