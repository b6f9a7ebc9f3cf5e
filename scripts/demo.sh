#!/usr/bin/env bash
# Quick start 1/2: set up, build the bundled sample corpus into an embedded DuckDB knowledge base,
# export it, write the HTML report, score it against the sample gold and print where everything is.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
rc=0
.venv/bin/recoupe build samples/corpus --kb out/sample.duckdb || rc=$?
# 3 = finished, some inputs rejected (reported above); anything else is a failure.
if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then exit "$rc"; fi
.venv/bin/recoupe export out/sample.duckdb --out out/sample-export --force
.venv/bin/recoupe report out/sample.duckdb --out out/sample-report.html
.venv/bin/recoupe stats out/sample.duckdb
.venv/bin/recoupe eval seeds --gold samples/gold.json --kb out/sample.duckdb
cat <<MSG

Knowledge base : out/sample.duckdb   (DuckDB file; try: .venv/bin/recoupe stats out/sample.duckdb)
Export (JSONL) : out/sample-export/
Report (HTML)  : out/sample-report.html   (one file, works offline)
Web app + API  : .venv/bin/recoupe serve out/sample.duckdb   (then open http://127.0.0.1:8000/)
Your own files : .venv/bin/recoupe build PATH... --kb my.duckdb
MSG
