"""Score the temporal tagger on TimeML files, TempEval-3 style, beside dateparser in the same run.

Measures: strict and relaxed span precision/recall/F1; value and type F1 over the relaxed
matches (an attribute counts when the spans overlap and the attribute is equal; precision over
the system's expressions, recall over the gold's, as the TempEval-3 scorer does); and, per gold
type, recall and value accuracy. The DCT (``functionInDocument="CREATION_TIME"``) anchors each
file; character offsets are recomputed from the text of ``<TEXT>``.
"""

from __future__ import annotations

import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from recoupe.errors import E, EvalError


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class TimeMLDoc:
    id: str
    dct: date
    text: str
    gold: list[Timex] = field(default_factory=list)


def read_timeml(path: Path) -> TimeMLDoc:
    """Text of ``<TEXT>``, its TIMEX3 with offsets, and the creation date."""
    root = ET.parse(path).getroot()
    dct_node = root.find(".//DCT/TIMEX3")
    if dct_node is None:
        dct_node = next((t for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"), None)
    if dct_node is None:
        raise EvalError(E.R504.format(path=path))
    dct = date.fromisoformat((dct_node.get("value") or "")[:10])
    text_node = root.find(".//TEXT")
    if text_node is None:
        raise EvalError(E.R504.format(path=path))
    parts: list[str] = []
    gold: list[Timex] = []

    def walk(node: ET.Element) -> None:
        if node.tag == "TIMEX3":
            start = sum(map(len, parts))
            surface = "".join(node.itertext())
            parts.append(surface)
            gold.append(Timex(start, start + len(surface), surface, node.get("type", ""), node.get("value", "")))
        else:
            parts.append(node.text or "")
            for child in node:
                walk(child)
        if node is not text_node:
            parts.append(node.tail or "")

    walk(text_node)
    return TimeMLDoc(path.stem, dct, "".join(parts), gold)


def read_folder(folder: Path) -> list[TimeMLDoc]:
    files = sorted(Path(folder).rglob("*.tml"))
    if not files:
        raise EvalError(E.R504.format(path=folder))
    return [read_timeml(p) for p in files]


def _prf(tp_p: int, n_sys: int, tp_r: int, n_gold: int) -> dict[str, float]:
    p = tp_p / n_sys if n_sys else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def score(docs: Iterable[TimeMLDoc], system: dict[str, list[Timex]]) -> dict[str, Any]:
    """TempEval-3 style figures of ``system`` (doc id -> expressions) against the gold."""
    n_sys = n_gold = strict_sys = strict_gold = relaxed_sys = relaxed_gold = 0
    value_ok = type_ok = 0
    per_type: Counter[str] = Counter()
    per_type_found: Counter[str] = Counter()
    per_type_value: Counter[str] = Counter()
    misses: list[str] = []
    for doc in docs:
        sys = system.get(doc.id, [])
        n_sys += len(sys)
        n_gold += len(doc.gold)
        strict_sys += sum(any(s.start == g.start and s.end == g.end for g in doc.gold) for s in sys)
        strict_gold += sum(any(s.start == g.start and s.end == g.end for s in sys) for g in doc.gold)
        relaxed_sys += sum(any(s.start < g.end and g.start < s.end for g in doc.gold) for s in sys)
        for g in doc.gold:
            per_type[g.type] += 1
            match = next((s for s in sys if s.start < g.end and g.start < s.end), None)
            if match is None:
                misses.append(f"{doc.id}: missed {g.text!r} {g.type} {g.value}")
                continue
            relaxed_gold += 1
            per_type_found[g.type] += 1
            if match.value == g.value:
                value_ok += 1
                per_type_value[g.type] += 1
            else:
                misses.append(f"{doc.id}: {g.text!r} -> {match.value} (gold {g.value})")
            type_ok += match.type == g.type
    return {
        "documents": len(system), "gold": n_gold, "system": n_sys,
        "strict": _prf(strict_sys, n_sys, strict_gold, n_gold),
        "relaxed": _prf(relaxed_sys, n_sys, relaxed_gold, n_gold),
        "value": _prf(value_ok, n_sys, value_ok, n_gold),
        "type": _prf(type_ok, n_sys, type_ok, n_gold),
        "per_type": {t: {"gold": per_type[t], "recall": round(per_type_found[t] / per_type[t], 4),
                         "value_accuracy": round(per_type_value[t] / per_type[t], 4)} for t in sorted(per_type)},
        "misses": misses,
    }


def recoupe_system(docs: list[TimeMLDoc], lang: str, model: str | None = None,
                   use_parse: bool = True) -> dict[str, list[Timex]]:
    """recoupe's tagger on every document (with spaCy tenses unless ``use_parse`` is False)."""
    from recoupe.stages.temporal import tag, tense_function
    from recoupe.stages.temporal.grammar import lexicon

    parses: dict[str, Callable[[int, int], Any]] = {}
    if use_parse:
        from recoupe.stages.nlp import parse_texts

        planning = lexicon("en" if lang == "en" else "fr").planning_verbs
        for doc_id, (_, tokens, _) in parse_texts(((d.id, d.text) for d in docs), lang, model):
            parses[doc_id] = tense_function(tokens, planning)
    out: dict[str, list[Timex]] = {}
    for doc in docs:
        found = tag(doc.text, doc.dct, lang, parses.get(doc.id), doc.id)
        out[doc.id] = [Timex(t.span.start, t.span.end, t.text, t.type, t.value) for t in found]
    return out


def dateparser_system(docs: list[TimeMLDoc], lang: str) -> dict[str, list[Timex]]:
    """dateparser's ``search_dates`` on the same texts, values at the precision it returns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from dateparser.search import search_dates

        out: dict[str, list[Timex]] = {}
        for doc in docs:
            base = datetime(doc.dct.year, doc.dct.month, doc.dct.day)
            found = search_dates(doc.text, languages=[lang], settings={"RELATIVE_BASE": base}) or []
            timexes, cursor = [], 0
            for surface, when in found:
                start = doc.text.find(surface, cursor)
                if start < 0:
                    continue
                cursor = start + len(surface)
                has_time = when.hour or when.minute
                value = when.strftime("%Y-%m-%dT%H:%M") if has_time else when.date().isoformat()
                timexes.append(Timex(start, cursor, surface, "TIME" if has_time else "DATE", value))
            out[doc.id] = timexes
    return out


def evaluate_timebank(data: str | Path, lang: str = "fr", model: str | None = None,
                      with_dateparser: bool = True) -> dict[str, Any]:
    """Score recoupe (and dateparser) on every ``*.tml`` under ``data``."""
    docs = read_folder(Path(data))
    report = {"data": str(data), "lang": lang, "recoupe": score(docs, recoupe_system(docs, lang, model))}
    if with_dateparser:
        report["dateparser"] = score(docs, dateparser_system(docs, lang))
    return report
