"""Publication dates that the article does not state: inferred from its own text, or from the corpus.

From the text: the latest day the lead (first two paragraphs) dates in a clause that is not
future ("s'est rendu le 12 mars 2024 à Dakar"): the article reports it, so it was written
on or after it; the deictic words of the article ("lundi", "hier") are then resolved from there.
From the corpus: an undated article that says "Arrivé lundi" of the same happening that a dated
article of the same story says "Arrivé lundi" of (same weekday, same verb) fixes its "lundi";
its own past-tense weekdays then give the earliest date it can have been written.
Otherwise the date stays unknown, with the earliest bound the text allows in the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from recoupe.model import Document, Published, StageId, TimeExpr
from recoupe.stages.temporal.grammar import lexicon

STAGE_ID = StageId("temporal.dating.v1")
_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)


def _lead_end(doc: Document, paragraphs: int = 2) -> int:
    spans = doc.paragraphs[:paragraphs]
    return spans[-1].end if spans else len(doc.text)


def _sentence(doc: Document, expr: TimeExpr) -> str:
    for span in doc.sentences:
        if span.start <= expr.span.start < span.end:
            return doc.text[span.start : span.end].strip()
    start = doc.text.rfind("\n", 0, expr.span.start) + 1
    end = doc.text.find("\n", expr.span.end)
    return doc.text[start : end if end >= 0 else len(doc.text)].strip()


def _quote(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def date_from_text(doc: Document, undated: Sequence[TimeExpr]) -> Published | None:
    """The publication date the article's lead implies, from expressions tagged without a date."""
    lead = _lead_end(doc)
    days = [
        e for e in undated
        if e.anchor == "absolute" and e.granularity == "day" and e.start is not None and e.start == e.end
        and e.span.start < lead and e.tense != "future" and "/" not in e.value
    ]
    if not days:
        return None
    best = max(days, key=lambda e: (e.start, -e.span.start))
    assert best.start is not None
    evidence = (f"inferred from the text: the lead reports '{best.text}' ({best.start.isoformat()}) as done: "
                f"\"{_quote(_sentence(doc, best))}\"; published on or after that day")
    return Published(best.start.isoformat(), "inferred", evidence, STAGE_ID)


def bounds(doc: Document, undated: Sequence[TimeExpr]) -> str:
    """Evidence for an article that stays undated: the earliest day the text allows."""
    past = [e for e in undated if e.anchor == "absolute" and e.start is not None and e.tense != "future"
            and e.granularity in {"day", "month", "year", "season", "time"}]
    if not past:
        return "not stated, and no absolute date in the text bounds it (earliest unknown; latest unknown)"
    latest = max(past, key=lambda e: (e.start, e.end))
    assert latest.start is not None
    return (f"not stated; earliest {latest.start.isoformat()} (the text reports '{latest.text}' as done); "
            f"latest unknown")


@dataclass(frozen=True, slots=True)
class Dated:
    """What the corpus step needs of an article with a known date."""

    id: str
    words: frozenset[str]
    weekday_facts: dict[tuple[int, str], tuple[date, str]]  # (weekday, verb lemma) -> (day, sentence)


def content_words(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(text))


def weekday_facts(doc: Document, lang: str = "fr") -> dict[tuple[int, str], tuple[date, str]]:
    """(weekday, governing verb) -> (resolved day, sentence) for the article's resolved weekday mentions."""
    lx = lexicon("en" if lang == "en" else "fr")
    facts: dict[tuple[int, str], tuple[date, str]] = {}
    for expr in doc.time_exprs:
        word = _weekday_of(expr.text, lx.weekdays)
        if word is None or expr.governor is None or expr.start is None or expr.anchor != "document":
            continue
        facts.setdefault((word, expr.governor), (expr.start, _sentence(doc, expr)))
    return facts


def _weekday_of(text: str, weekdays: dict[str, int]) -> int | None:
    for token in text.lower().split():
        if token in weekdays:
            return weekdays[token]
    return None


def date_from_corpus(doc: Document, undated: Sequence[TimeExpr], others: Iterable[Dated],
                     min_overlap: float = 0.15, lang: str = "fr") -> Published | None:
    """A date for ``doc`` from dated articles telling the same happening with the same weekday and verb."""
    lx = lexicon("en" if lang == "en" else "fr")
    mine = [(e, _weekday_of(e.text, lx.weekdays)) for e in undated]
    weekdays = [(e, w) for e, w in mine if w is not None and e.tense != "future" and e.governor]
    if not weekdays:
        return None
    words = content_words(doc.text)
    best: tuple[float, date, str, str, str] | None = None
    for other in others:
        if other.id == doc.id or not words or not other.words:
            continue
        overlap = len(words & other.words) / len(words | other.words)
        if overlap < min_overlap:
            continue
        for expr, weekday in weekdays:
            fact = other.weekday_facts.get((weekday or 0, expr.governor or ""))
            if fact is None:
                continue
            anchor_day, sentence = fact
            # The article's other past weekdays fall in the week that starts at the anchored one.
            latest = anchor_day
            for _, w in weekdays:
                latest = max(latest, anchor_day + timedelta(days=((w or 0) - anchor_day.weekday()) % 7))
            candidate = (overlap, latest, expr.text, other.id, sentence)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    if best is None:
        return None
    overlap, latest, text, other_id, sentence = best
    evidence = (f"inferred from the corpus: '{text}' here is the same day as in {other_id} "
                f"(same weekday and verb, {overlap:.0%} shared vocabulary): \"{_quote(sentence)}\"; "
                f"the article's past-tense weekdays put its date on or after {latest.isoformat()}")
    return Published(latest.isoformat(), "inferred", evidence, STAGE_ID)
