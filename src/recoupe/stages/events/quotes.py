"""Direct quotations («...», "...", “...”) and their speakers, from reporting verbs around them.

Patterns, in order: the speaker after the quote (`», a déclaré X` / `», souligne X`), before it
(`X a déclaré : «`, `Selon X, «`), or a pronoun (`», a-t-il souligné`), which takes the speaker of
the previous quotation, else the nearest person named before. A quote split by an incise
(`« ... », a-t-il dit, « ... »`) keeps both halves with the same speaker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from recoupe.lexicon import load
from recoupe.model import DocId, Mention, Quote, Span, StageId

STAGE_ID = StageId("events.quotes.v1")
_QUOTES = re.compile(r"«\s*(?P<a>[^«»]{3,2000}?)\s*»|“(?P<b>[^“”]{3,2000}?)”|\"(?P<c>[^\"\n]{3,2000}?)\"")
_PRONOUN = re.compile(r"-t-(?:il|elle)|-(?:il|elle)s?\b|\b(?:il|elle)\b", re.I)


@cache
def _verbs() -> str:
    stems = sorted({v.split()[-1] for v in load("events")["reporting_verbs"]}, key=len, reverse=True)
    # a lemma's stem covers its conjugations ("déclarer" -> "déclar"): enough for reporting verbs
    return "(?:" + "|".join(re.escape(v[:-2] if v.endswith(("er", "ir", "re")) and len(v) > 5 else v)
                            for v in stems) + r")\w*"


def _after(text: str, end: int) -> re.Match[str] | None:
    pro = r"-t-(?:il|elle)|-(?:il|elle)s?"
    pattern = (rf"^\s*,?\s*(?:(?:a|ont|avait|s['’]est|se\s+sont)(?P<pro1>{pro})?\s+)?(?P<verb>{_verbs()})"
               rf"(?P<pro2>{pro})?\b\s*(?P<rest>[^.;]{{0,160}})")
    match = re.match(pattern, text[end : end + 220], re.I)
    if match and match.group("verb").lower().endswith("ant"):
        return None  # "», estimant que...": a participle, not the reporting clause
    return match


def _speaker_in(mentions: Sequence[Mention], start: int, end: int) -> Mention | None:
    inside = [m for m in mentions if start <= m.span.start < end and m.type in {"PER", "ORG", "GPE"}
              and m.kind != "demonym"]
    return inside[0] if inside else None


def find_quotes(doc_id: str, text: str, mentions: Sequence[Mention]) -> tuple[Quote, ...]:
    """Quotations of a text with their speakers (mentions give the speaker's span and entity)."""
    did = DocId(doc_id)
    found: list[Quote] = []
    last: Quote | None = None
    for match in _QUOTES.finditer(text):
        group = next(g for g in ("a", "b", "c") if match.group(g) is not None)
        start, end = match.start(group), match.end(group)
        words = text[start:end]
        if len(words.split()) < 3 or all(w[:1].isupper() or w[:1].isdigit() for w in words.split()):
            continue  # a quoted name or title ("Coupe Atlas 2022"), not a quotation
        speaker: Mention | None = None
        speaker_text: str | None = None
        verb: str | None = None
        sentence_start = max(text.rfind(".", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
        before = text[sentence_start : match.start()]
        selon = re.search(r"\b(?:selon|d['’]après|according to)\s+(?P<who>[^,«“\"]{2,120}?)\s*,", before, re.I)
        after = _after(text, match.end())
        if selon:
            who_start = sentence_start + selon.start("who")
            # "Selon la ministre de la Pêche, Awa Sarr, ...": the name in apposition is the speaker
            speaker = _speaker_in(mentions, who_start, sentence_start + selon.end("who") + 60)
            speaker_text = selon.group("who").strip()
            verb = "selon"
        elif after:
            verb = after.group("verb")
            if after.group("pro1") or after.group("pro2"):
                speaker_text = (after.group("pro1") or after.group("pro2")).replace("-t-", "").strip("-")
            else:
                rest_start = match.end() + after.start("rest")
                speaker = _speaker_in(mentions, rest_start, rest_start + 120)
                speaker_text = speaker.text if speaker else _phrase(after.group("rest"))
        if speaker is None and not speaker_text:
            said = re.search(rf"(?P<who>[^,.;«“\"]{{2,120}}?)\s+(?:a|ont)?\s*(?P<verb>{_verbs()})\s*:?\s*$",
                             before, re.I)
            if said:
                who_start = sentence_start + said.start("who")
                speaker = _speaker_in(mentions, who_start, sentence_start + said.end("who"))
                speaker_text = speaker.text if speaker else said.group("who").strip()
                verb = said.group("verb")
        if speaker is None and speaker_text and speaker_text.strip().lower() == "qui":
            # "l'Algérie, ..., qui a fustigé « ... »": the relative pronoun's antecedent
            earlier = [m for m in mentions if m.span.end <= match.start() and m.type in {"PER", "ORG", "GPE"}
                       and m.kind != "demonym"]
            speaker = earlier[-1] if earlier else None
            speaker_text = speaker.text if speaker else speaker_text
        if speaker is None and speaker_text and _PRONOUN.fullmatch(speaker_text.strip()):
            if last is not None and last.speaker is not None:
                speaker = Mention(last.speaker, last.speaker_text or "", "PER", last.speaker_text, "ner", STAGE_ID)
            else:
                people = [m for m in mentions if m.type == "PER" and m.name and m.span.end <= match.start()]
                speaker = people[-1] if people else None
        quote = Quote(Span(did, start, end), words, speaker.span if speaker else None,
                      speaker_text if speaker_text else (speaker.text if speaker else None), verb, STAGE_ID)
        found.append(quote)
        if quote.speaker is not None:
            last = quote
    return tuple(found)


def _phrase(rest: str) -> str | None:
    words = rest.strip().split(",")[0].strip()
    return words or None
