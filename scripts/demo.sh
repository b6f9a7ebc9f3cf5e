#!/usr/bin/env bash
# Quick start 1/2: set up, build the bundled sample corpus into an embedded DuckDB knowledge base,
# write its report and export, show what was found and say what the figures mean.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
R=.venv/bin/recoupe
rc=0
echo "== Building the sample corpus (11 invented articles, two stories, 6 outlets) ..."
$R build samples/corpus --kb out/sample.duckdb || rc=$?
# 3 = finished, some inputs rejected (reported above); anything else is a failure.
if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then exit "$rc"; fi
$R export out/sample.duckdb --out out/sample-export --force > /dev/null
$R report out/sample.duckdb --out out/sample-report 2> /dev/null
echo
echo "== What is in the knowledge base"
$R stats out/sample.duckdb
echo
echo "== The stories it found (largest first)"
$R sql out/sample.duckdb "select label as story, json_array_length(documents) as articles,
  json_array_length(events) as events from stories order by articles desc, label" 2> /dev/null
echo
echo "== How it scores against the sample's hand annotations (samples/gold.json)"
$R eval seeds --gold samples/gold.json --kb out/sample.duckdb 2> /dev/null
cat <<'MSG'
Each line is correct/total over the annotations of the invented sample (1.000 = all of them):
cleaning, metadata and dates are exact; events, quote speakers and stories are the hard part and
score lower. `recoupe eval seeds --gold samples/gold.json --kb out/sample.duckdb --verbose` lists
every miss.

Knowledge base : out/sample.duckdb          (try: .venv/bin/recoupe sql out/sample.duckdb "select * from stories")
Report (HTML)  : out/sample-report/index.html   (a folder of pages; works offline)
Export (JSONL) : out/sample-export/         (also --format csv or parquet)
Web app + API  : .venv/bin/recoupe serve out/sample.duckdb   (then open http://127.0.0.1:8000/, API docs at /docs)
Your own files : .venv/bin/recoupe build PATH... --kb my.duckdb
MSG
