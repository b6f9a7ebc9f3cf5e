"""How the command line shows results: tables for people, the same data as JSON records (snake_case keys)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import click
from rich.table import Table

from recoupe.model import BuildSummary


def build_record(summary: BuildSummary, wall: float | None = None) -> dict[str, Any]:
    """The build summary as ``recoupe build --json`` prints it; ``wall``: the command's seconds,
    loading the libraries and opening the knowledge base included (``seconds`` sums the phases)."""
    record = {
        "kb": summary.kb, "run_id": summary.run_id, "read": summary.read, "accepted": summary.accepted,
        "unchanged": summary.unchanged, "duplicate": summary.duplicate, "rejected": summary.rejected,
        "rejected_by_reason": dict(summary.by_reason), "recleaned": summary.recleaned,
        "annotated": summary.annotated, "dated_from_corpus": summary.dated_from_corpus,
        "documents": summary.documents, "undated": summary.undated, "failed": summary.failed,
        "warnings": list(summary.warnings), "near_duplicate_pairs": summary.near_duplicate_pairs,
        "families": summary.families, "events": summary.events, "stories": summary.stories,
        "conflicts": summary.conflicts,
        "novelty": {k: summary.novelty.get(k, 0) for k in ("adds", "confirms", "contradicts")},
        "runner": summary.runner, "steps_run": list(summary.steps_run),
        "steps_skipped": list(summary.steps_skipped),
        "stages": [{"stage": a, "seconds": b, "documents": c, "failures": d} for a, b, c, d in summary.stage_counters],
        "phases": [{"name": p.name, "items": p.items, "seconds": round(p.seconds, 3)} for p in summary.phases],
        "seconds": round(sum(p.seconds for p in summary.phases), 3),
    }
    if wall is not None:
        record["wall_seconds"] = round(wall, 3)
    return record


_BUILD_LABELS = {
    "read": "inputs read", "accepted": "accepted", "unchanged": "unchanged (skipped)",
    "duplicate": "exact copies", "rejected": "rejected", "recleaned": "cleaned again (outlet evidence changed)",
    "annotated": "parsed and tagged", "dated_from_corpus": "dated from the corpus",
    "documents": "articles in the knowledge base", "undated": "undated articles",
    "failed": "failed (recorded, build went on)", "near_duplicate_pairs": "near-duplicate pairs",
    "families": "syndication families", "events": "corpus events", "stories": "stories", "conflicts": "conflicts",
}


def build_table(summary: BuildSummary, wall: float | None = None) -> Table:
    record = build_record(summary, wall)
    table = Table(title=f"recoupe build -> {summary.kb} ({summary.run_id})")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, label in _BUILD_LABELS.items():
        table.add_row(label, str(record[key]))
        if key == "rejected":
            for reason, value in summary.by_reason.items():
                table.add_row(f"  rejected: {reason}", str(value))
    for kind, value in record["novelty"].items():
        table.add_row(f"new articles' events: {kind}", str(value))
    table.add_row("corpus steps", "skipped (nothing they read changed)" if not summary.steps_run
                  else f"ran {len(summary.steps_run)}, skipped {len(summary.steps_skipped)}")
    if summary.phases:
        table.add_section()
        for phase in summary.phases:
            table.add_row(f"took: {phase.name}" + (f" ({phase.items})" if phase.items is not None else ""),
                          f"{phase.seconds:.1f} s")
        table.add_row("took: all phases", f"{record['seconds']:.1f} s")
        if wall is not None:
            table.add_row("took: whole build (loading included)", f"{wall:.1f} s")
    if summary.steps_skipped:
        table.add_row("corpus steps skipped (nothing they read changed)", str(len(summary.steps_skipped)))
    for stage, seconds, documents, failures in summary.stage_counters:
        table.add_row(f"stage {stage} ({summary.runner})",
                      f"{documents} docs, {seconds:.1f} s" + (f", {failures} failed" if failures else ""))
    return table


def stats_table(kb_path: str, figures: Mapping[str, Any]) -> Table:
    table = Table(title=f"recoupe stats {kb_path}", show_header=False)
    table.add_column("what")
    table.add_column("value")
    for key, value in figures.items():
        if isinstance(value, list):
            value = ", ".join(" ".join(str(v) if v is not None else "(unknown)" for v in item.values())
                              for item in value) or "-"
        elif isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items() if k != "counts") or "-"
        table.add_row(key.replace("_", " "), str(value))
    return table


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def print_rows(rows: Sequence[Mapping[str, Any]], fmt: str, max_rows: int = 200) -> None:
    """Query rows as a table (at most ``max_rows``, the rest counted on stderr), JSON or CSV."""
    if fmt == "json":
        click.echo(json.dumps(list(map(dict, rows)), indent=2, ensure_ascii=False, default=str))
        return
    columns = list(rows[0]) if rows else []
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(v) for v in row.values()])
        return
    from rich.console import Console

    table = Table(show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows[:max_rows]:
        table.add_row(*(_cell(v) for v in row.values()))
    Console(emoji=False, highlight=False).print(table)
    note = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    if len(rows) > max_rows:
        note += f"; {max_rows} shown (--max-rows N, or --csv / --json for all)"
    click.echo(note, err=True)


def timeline_rows(timeline: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Timeline entries in order, each with its rank among distinct intervals (0: undated)."""
    rows: list[dict[str, Any]] = []
    order, last = 0, None
    for e in timeline["anchored"]:
        if (e["start"], e["end"]) != last:
            order, last = order + 1, (e["start"], e["end"])
        rows.append({"order": order, **e})
    rows += [{"order": 0, "start": None, "end": None, "uncertain": True, **e} for e in timeline["unanchored"]]
    return rows


def timeline_table(rows: Sequence[Mapping[str, Any]], title: str) -> Table:
    table = Table(title=f"timeline {title}")
    for column in ("#", "when", "event", "sources", "independent"):
        table.add_column(column)
    for row in rows:
        table.add_row(str(row["order"] or "-"), str(row["when"] or "?"), str(row["label"]),
                      str(len(row["sources"])), str(row["independent_sources"]))
    return table
