"""Score an export against a gold file in the seeds-dev format (cleaning, metadata, dates, stories).

Later layers (entities, events, quotes, conflicts) add their sections to the same report.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

from recoupe.errors import E, EvalError
from recoupe.eval.normalize import fold, press_name

BASIS = {"explicit": "explicit", "inferred-from-text": "inferred", "inferred-from-corpus": "inferred",
         "unknown-in-corpus": "unknown"}
META_FIELDS = ("title", "author", "outlet", "section")


@dataclass
class Score:
    """Correct out of total, with what went wrong."""

    correct: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, miss: str) -> None:
        self.total += 1
        self.correct += ok
        if not ok:
            self.misses.append(miss)

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def as_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "score": self.value, "misses": self.misses}


def _corpus_dir(gold_path: Path, gold: dict[str, Any]) -> Path:
    match = re.search(r"\(([^)]+)\)", str(gold.get("corpus", "")))
    return (gold_path.parent / (match.group(1) if match else "../seeds")).resolve()


def _load_export(export_dir: Path) -> dict[str, dict[str, Any]]:
    path = export_dir / "documents.jsonl"
    if not path.exists():
        raise EvalError(E.R502.format(path=export_dir))
    with path.open(encoding="utf-8") as handle:
        return {d["id"]: d for d in map(json.loads, handle)}


def _find(docs: dict[str, dict[str, Any]], key: str) -> dict[str, Any] | None:
    if key in docs:
        return docs[key]
    return next((d for i, d in sorted(docs.items()) if i.startswith(key + "_")), None)


def _source_lines(corpus: Path, doc: dict[str, Any], gold_doc: dict[str, Any], gold_path: Path) -> list[str] | None:
    """The lines of the annotated file: the gold's ``file`` (relative to the gold's folder or the shared
    folder above it), else the document's own ``.txt`` source, else the file of that name in the corpus."""
    candidates: list[Path] = []
    if gold_doc.get("file"):
        candidates += [gold_path.parent / gold_doc["file"], gold_path.parent.parent / gold_doc["file"]]
    candidates += [Path(doc["source"]), corpus / Path(doc["source"]).name]
    path = next((c for c in candidates if c.is_file() and c.suffix.lower() == ".txt"), None)
    if path is None:
        return None
    text: str = path.read_text("utf-8", errors="replace")
    return text.replace("\r\n", "\n").split("\n")


def _line_numbers(ranges: list[Any]) -> list[int]:
    """Line numbers from a list of numbers and/or [first, last] ranges."""
    out: list[int] = []
    for item in ranges:
        out += list(range(item[0], item[1] + 1)) if isinstance(item, list) else [item]
    return out


def score_export(gold_path: str | Path, export_dir: str | Path, corpus: str | Path | None = None,
                 only: set[str] | None = None) -> dict[str, Any]:
    """Score ``export_dir`` (the output of ``recoupe export``) against a gold file.

    ``only``: gold document keys to score (a held-out half, say); the document measures
    (cleaning, comments, metadata, titles, outlets, dates) are restricted to them.
    """
    gold_path = Path(gold_path)
    try:
        gold = json.loads(gold_path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise EvalError(E.R501.format(path=gold_path, error=err)) from err
    corpus_dir = Path(corpus) if corpus else _corpus_dir(gold_path, gold)
    docs = _load_export(Path(export_dir))
    s = {name: Score() for name in ("body_kept", "boilerplate_removed", "comments_removed", "duplicates_once",
                                    "metadata", "titles", "outlets", "published_value", "published_basis",
                                    "documents_found")}
    for key, g in sorted(gold["documents"].items()):
        if only is not None and key not in only:
            continue
        doc = _find(docs, key)
        s["documents_found"].add(doc is not None, f"{key}: not in export")
        if doc is None:
            continue
        text = fold(doc["text"])
        lines = _source_lines(corpus_dir, doc, g, gold_path)
        if lines is not None and "body_lines" in g:
            skip = set(g.get("boilerplate_lines", [])) | set(g.get("duplicate_lines", []))
            first, last = g["body_lines"]
            for n in range(first, last + 1):
                if n not in skip and lines[n - 1].strip():
                    s["body_kept"].add(fold(lines[n - 1]) in text, f"{key}:{n} body line missing")
            for n in g.get("boilerplate_lines", []):
                s["boilerplate_removed"].add(fold(lines[n - 1]) not in text, f"{key}:{n} boilerplate kept")
            for n in g.get("duplicate_lines", []):
                count = text.count(fold(lines[n - 1]))
                s["duplicates_once"].add(count == 1, f"{key}:{n} appears {count} times")
            for n in _line_numbers(g.get("comment_lines", [])):
                if lines[n - 1].strip():
                    s["comments_removed"].add(fold(lines[n - 1]) not in text, f"{key}:{n} comment kept")
        for name in META_FIELDS:
            if g.get(name):
                got = doc.get(name) or ""
                ok = fold(got) == fold(g[name])
                s["metadata"].add(ok, f"{key}.{name}: {got!r} != {g[name]!r}")
                if name == "title":
                    s["titles"].add(ok, f"{key}.title: {got!r} != {g[name]!r}")
                elif name == "outlet":
                    same = bool(got) and press_name(got) == press_name(g[name])
                    s["outlets"].add(same, f"{key}.outlet: {got!r} != {g[name]!r}")
        if "published" in g:
            want, got = g["published"], doc["published"]
            value_ok = (got["value"] or None) == (want.get("value") or None) or (
                bool(got["value"]) and bool(want.get("value")) and got["value"].startswith(want["value"])
            )
            s["published_value"].add(value_ok, f"{key}: published {got['value']!r} != {want.get('value')!r}")
            s["published_basis"].add(got["basis"] == BASIS.get(want["basis"], want["basis"]),
                                     f"{key}: basis {got['basis']!r} != {want['basis']!r}")
    report: dict[str, Any] = {name: score.as_dict() for name, score in s.items()}
    report["stories"] = _stories(gold, docs)
    report["entities"] = _entities(gold, docs, Path(export_dir), only)
    report.update(_events_and_quotes(gold, docs, Path(export_dir), only))
    return report


def _owner_map(export_dir: Path) -> dict[str, set[str]]:
    owner: dict[str, set[str]] = {}
    path = export_dir / "entities.jsonl"
    if path.exists():
        for line in path.read_text("utf-8").splitlines():
            entity = json.loads(line)
            for name in [entity["name"], *entity["aliases"], *(m["text"] for m in entity["mentions"])]:
                owner.setdefault(fold(name), set()).add(entity["id"])
    return owner


def _events_and_quotes(gold: dict[str, Any], docs: dict[str, dict[str, Any]], export_dir: Path,
                       only: set[str] | None = None) -> dict[str, Any]:
    """Per-article events (type + a shared main participant: a person when the gold names one), their time
    and modality; quotes and speakers (the gold's tweets skipped: the export contract has no tweet form;
    ``only`` restricts the quotes to those gold documents)."""
    owner = _owner_map(export_dir)
    names = {e["id"]: [*e.get("names", []), e.get("name", "")] for e in gold.get("entities", [])}

    def system_ids(entity: str) -> set[str]:
        found: set[str] = set()
        for name in names.get(entity, [entity.replace("-", " ")]):
            found |= owner.get(fold(name), set())
        return found

    def load(name: str) -> list[dict[str, Any]]:
        path = export_dir / f"{name}.jsonl"
        return [json.loads(line) for line in path.read_text("utf-8").splitlines()] if path.exists() else []

    events, quotes, conflicts = load("events"), load("quotes"), load("conflicts")
    found, timed, modal = Score(), Score(), Score()
    merged_sources, single_event, dated = Score(), Score(), Score()
    merged: list[dict[str, Any]] = []
    for event in gold.get("events", []):
        # the main participants: the people when the gold names any (a visit by X is not a visit by Y)
        kinds = {e["id"]: e.get("type") for e in gold.get("entities", [])}
        main = [p for p in event["participants"] if kinds.get(p) == "PER"] or event["participants"]
        wanted = set().union(*(system_ids(p) for p in main)) if main else set()
        gold_docs = {d["id"] for key in event["sources"] if (d := _find(docs, key)) is not None}
        # per article: an account (mention) of the right type and main participant in that article
        hits: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
        for e in events:
            if e["type"] != event["type"]:
                continue
            for m in e["mentions"]:
                if wanted & {p["entity"] for p in m["participants"]} or (
                        not m["participants"] and wanted & {p["entity"] for p in e["participants"]}):
                    hits.setdefault(m["doc"], []).append((e, m))
        for key in event["sources"]:
            doc = _find(docs, key)
            if doc is None:
                continue
            candidates = hits.get(doc["id"], [])
            found.add(bool(candidates), f"{event['id']} not found in {key}")
            if not candidates:
                continue
            if event.get("time"):
                lo, hi = (date.fromisoformat(x) for x in event["time"])
                ok = any(m["time"]["start"] and date.fromisoformat(m["time"]["start"]) <= hi + timedelta(days=1)
                         and date.fromisoformat(m["time"]["end"]) >= lo - timedelta(days=1) for _, m in candidates)
                timed.add(ok, f"{event['id']} in {key}: time {[m['time'] for _, m in candidates][:2]} "
                              f"vs {event['time']}")
            modal.add(any(m["modality"] == event["modality"] for _, m in candidates),
                      f"{event['id']} in {key}: modality {[m['modality'] for _, m in candidates]} "
                      f"vs {event['modality']}")
        # across articles: one corpus event should carry every gold source
        systems = {e["id"]: e for found_here in hits.values() for e, _ in found_here}
        best = max(systems.values(), key=lambda e: (len(set(e["sources"]) & gold_docs), -len(e["sources"])),
                   default=None)
        if best is None:
            single_event.add(False, f"{event['id']}: no corpus event")
            continue
        covered = set(best["sources"]) & gold_docs
        for d in sorted(gold_docs):
            merged_sources.add(d in covered, f"{event['id']}: {d[:3]} not a source of {best['id']}")
        extra = sorted(set(best["sources"]) - gold_docs)
        single_event.add(covered == gold_docs and not extra,
                         f"{event['id']}: {best['id']} sources {[x[:3] for x in best['sources']]} "
                         f"vs gold {sorted(x[:3] for x in gold_docs)}")
        if event.get("time"):
            lo, hi = (date.fromisoformat(x) for x in event["time"])
            start = best["time"]["start"]
            dated.add(bool(start) and date.fromisoformat(start) <= hi + timedelta(days=1) and
                      date.fromisoformat(best["time"]["end"]) >= lo - timedelta(days=1),
                      f"{event['id']}: corpus event time {best['time']} vs {event['time']}")
        merged.append({"gold": event["id"], "event": best["id"], "label": best["label"],
                       "sources": len(best["sources"]), "independent_sources": best["independent_sources"],
                       "extra_sources": [x[:3] for x in extra],
                       "conflicts": [{"slot": c["slot"], "best": c["best"],
                                      "values": {v["value"]: [x[:3] for x in v["sources"]] for v in c["values"]}}
                                     for c in conflicts if c["event"] == best["id"]]})
    said, speaker, attributed = Score(), Score(), Score()
    for quote in gold.get("quotes", []):
        if quote.get("form") == "tweet" or (only is not None and quote["doc"] not in only):
            continue
        doc = _find(docs, quote["doc"])
        if doc is None:
            continue
        mine = [q for q in quotes if q["doc"] == doc["id"] and fold(q["text"]).startswith(fold(quote["starts"])[:30])]
        said.add(bool(mine), f"{quote['doc']}: quote '{quote['starts']}' not found")
        if mine:
            attributed.add(mine[0]["speaker"] is not None or bool(mine[0]["speaker_text"]),
                           f"{quote['doc']}: '{quote['starts']}' has no speaker")
            ok = mine[0]["speaker"] in system_ids(quote["speaker"]) or (
                fold(mine[0]["speaker_text"] or "") == fold(quote.get("speaker_text", "")))
            speaker.add(ok, f"{quote['doc']}: '{quote['starts']}' said by {mine[0]['speaker_text']!r} "
                            f"({mine[0]['speaker']}), gold {quote['speaker']}")
    return {"events_found": found.as_dict(), "event_time": timed.as_dict(), "event_modality": modal.as_dict(),
            "merged_sources": merged_sources.as_dict(), "merged_exact": single_event.as_dict(),
            "merged_time": dated.as_dict(), "merged_events": merged,
            "quotes_found": said.as_dict(), "quote_speakers": speaker.as_dict(),
            "quotes_with_speaker": attributed.as_dict(), "exported_quotes": _exported_quotes(quotes, docs, gold, only)}


def _exported_quotes(quotes: list[dict[str, Any]], docs: dict[str, dict[str, Any]], gold: dict[str, Any],
                     only: set[str] | None) -> dict[str, Any]:
    """Every exported quote of the scored documents: how many name a speaker entity, or at least a speaker text."""
    wanted = {d["id"] for key in gold.get("documents", {}) if (only is None or key in only)
              and (d := _find(docs, key)) is not None}
    mine = [q for q in quotes if q["doc"] in wanted]
    score = Score()
    for q in mine:
        score.add(q["speaker"] is not None, f"{q['doc']}:{q['start']} no speaker entity ({q['speaker_text']!r}): "
                                           f"{q['text'][:60]!r}")
    return score.as_dict()


def _entities(gold: dict[str, Any], docs: dict[str, dict[str, Any]], export_dir: Path,
              only: set[str] | None = None) -> dict[str, Any]:
    """Alias links (gold names of one entity that share a system entity), false merges (system entities
    holding names of two gold entities), must-not-merge pairs violated and entity types, over the gold
    names that occur in the exported texts. With ``only`` (gold document keys), the names and the
    system's mentions of those documents alone."""
    path = export_dir / "entities.jsonl"
    if not path.exists() or "entities" not in gold:
        return {"links": 0, "links_found": 0, "false_merges": 0, "absent_names": [], "score": None}
    with path.open(encoding="utf-8") as handle:
        system = [json.loads(line) for line in handle]
    wanted = None if only is None else {d["id"] for key in only if (d := _find(docs, key)) is not None}
    owner: dict[str, set[str]] = {}
    type_of: dict[str, str] = {}
    for entity in system:
        type_of[entity["id"]] = entity["type"]
        names = [m["text"] for m in entity["mentions"] if wanted is None or m["doc"] in wanted]
        if wanted is None:
            names += entity["aliases"]
        for name in names:
            owner.setdefault(fold(name), set()).add(entity["id"])
    texts = " ".join(fold(d["text"]) for i, d in docs.items() if wanted is None or i in wanted)
    links = found = 0
    missing: list[str] = []
    absent: list[str] = []
    entity_of_gold: dict[str, set[str]] = {}
    types = Score()
    for entity in gold["entities"]:
        present = [n for n in entity["names"] if fold(n) in texts]
        absent += [n for n in entity["names"] if fold(n) not in texts]
        ids = [owner.get(fold(n), set()) for n in present]
        entity_of_gold[entity["id"]] = set().union(*ids) if ids else set()
        if present and entity.get("type"):
            # the type of the system entity that holds most of the gold names
            votes = [type_of[i] for group in ids for i in group]
            got = max(sorted(set(votes)), key=votes.count) if votes else None
            types.add(_coarse(got) == _coarse(entity["type"]), f"{entity['id']}: type {got} != {entity['type']}")
        for i, a in enumerate(present):
            for j in range(i + 1, len(present)):
                links += 1
                if ids[i] & ids[j]:
                    found += 1
                else:
                    missing.append(f"{entity['id']}: '{a}' / '{present[j]}'")
    merges = []
    golds = sorted(entity_of_gold)
    for i, a in enumerate(golds):
        for b in golds[i + 1 :]:
            shared = entity_of_gold[a] & entity_of_gold[b]
            if shared:
                merges.append(f"{a} + {b} in {sorted(shared)}")
    apart = Score()
    for a, b in gold.get("must_not_merge", []):
        if fold(a) in texts and fold(b) in texts:
            shared = owner.get(fold(a), set()) & owner.get(fold(b), set())
            apart.add(not shared, f"'{a}' and '{b}' both in {sorted(shared)}")
    return {"links": links, "links_found": found, "score": found / links if links else None,
            "missing_links": missing, "false_merges": len(merges), "merges": merges, "absent_names": absent,
            "must_not_merge": apart.as_dict(), "types": types.as_dict()}


def _coarse(kind: str | None) -> str | None:
    """Entity types as the scorer compares them: the place types (GPE, LOC, FAC) are one."""
    return "PLACE" if kind in {"GPE", "LOC", "FAC"} else kind


def _stories(gold: dict[str, Any], docs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Pairwise precision/recall/F1 of the story partition over the gold's documents."""
    gold_of: dict[str, str] = {}
    for story, members in gold.get("stories", {}).items():
        for key in members:
            doc = _find(docs, key)
            if doc is not None:
                gold_of[doc["id"]] = story
    ours = {i: docs[i].get("story") for i in gold_of}
    pairs = list(combinations(sorted(gold_of), 2))
    same_gold = {p for p in pairs if gold_of[p[0]] == gold_of[p[1]]}
    same_ours = {p for p in pairs if ours[p[0]] is not None and ours[p[0]] == ours[p[1]]}
    tp = len(same_gold & same_ours)
    precision = tp / len(same_ours) if same_ours else None
    recall = tp / len(same_gold) if same_gold else None
    f1 = (2 * precision * recall / (precision + recall)) if precision and recall else 0.0
    produced = sum(1 for v in ours.values() if v is not None)
    return {"precision": precision, "recall": recall, "f1": f1, "documents_with_story": produced,
            "documents": len(gold_of)}


def evaluate_seeds(gold: str | Path, *, kb: str | Path | None = None, export_dir: str | Path | None = None,
                   corpus: str | Path | None = None, only: set[str] | None = None) -> dict[str, Any]:
    """Score a knowledge base or an export against a gold file; with neither, build the gold's corpus.

    Args:
        gold: the gold JSON (format of ``../shared/gold/README.md``).
        kb: a knowledge base to export and score.
        export_dir: an existing export to score.
        corpus: the articles the gold annotates (default: the folder the gold file names).
        only: gold document keys whose document measures are scored (default: all).
    """
    from recoupe.export import export
    from recoupe.pipeline import build

    gold_path = Path(gold)
    if export_dir is not None:
        return score_export(gold_path, export_dir, corpus, only)
    with tempfile.TemporaryDirectory(prefix="recoupe-eval-") as tmp:
        if kb is None:
            try:
                gold_data = json.loads(gold_path.read_text("utf-8"))
            except (OSError, json.JSONDecodeError) as err:
                raise EvalError(E.R501.format(path=gold_path, error=err)) from err
            corpus_dir = Path(corpus) if corpus else _corpus_dir(gold_path, gold_data)
            if not corpus_dir.is_dir():
                raise EvalError(E.R503.format(path=corpus_dir))
            kb = Path(tmp) / "eval.duckdb"
            build([corpus_dir], kb, command="eval seeds")
        export(kb, Path(tmp) / "export", force=True)
        return score_export(gold_path, Path(tmp) / "export", corpus, only)
