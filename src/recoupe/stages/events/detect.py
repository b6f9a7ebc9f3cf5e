"""Events from the dependency parse: trigger words, argument frames, time, place and modality.

A token whose lemma is a trigger of the ontology (``data/events.toml``: verbs like "signer",
"se rendre", "acquérir"; nouns like "visite", "accord", "exercice") starts an event. Its frame:
the subject is the agent (the "par" agent of a passive too), objects and "avec" obliques the
counterpart, "à/dans/en" + a place the place; for a noun, its "de" complement is the agent
("la visite de X") and "entre X et Y" the participants. Arguments are resolved to the mentions
they contain. Time: the event's own time expression, else its sentence's, with a stated
duration stretching a day into an interval ("lundi ... pendant trois jours"). Modality: negated,
hedged (modal "pourrait", "peut-être"), planned (future tense, "doit"/"va" + infinitive),
reported (conditional, "selon X", or a reporting verb attributing it), else asserted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from recoupe.lexicon import load
from recoupe.model import (
    DocId,
    Event,
    Mention,
    Modality,
    Participant,
    Span,
    StageId,
    TimeExpr,
    Token,
)

STAGE_ID = StageId("events.frames.v1")
_AMOUNT = re.compile(r"\b\d[\d\s.,]*\s*(?:millions?|milliards?|mille|million|billion|thousand)?\s*(?:de\s+|d['’])?"
                     r"(?:dollars?|euros?|dirhams?|livres?|francs?|shekels?|\$|€|USD|EUR)", re.I)


@dataclass(frozen=True, slots=True)
class _Lexicon:
    verbs: dict[str, str]
    nouns: dict[str, str]
    types: dict[str, dict[str, str]]
    hedges: frozenset[str]
    negations: frozenset[str]
    planning: frozenset[str]
    sources: tuple[str, ...]
    reporting: frozenset[str]
    possessives: frozenset[str]
    demonstratives: frozenset[str]
    pronouns: frozenset[str]


@cache
def lexicon(lang: str) -> _Lexicon:
    data = load("events")
    part = data["en" if lang == "en" else "fr"]
    return _Lexicon(
        verbs=dict(part["verbs"]), nouns=dict(part["nouns"]), types=dict(data["types"]),
        hedges=frozenset(part["modality"]["hedges"]), negations=frozenset(part["modality"]["negations"]),
        planning=frozenset(part["modality"]["planning"]), sources=tuple(part["modality"]["source_markers"]),
        reporting=frozenset(v.split()[-1] for v in data["reporting_verbs"]),
        possessives=frozenset(part["anaphora"]["possessives"]),
        demonstratives=frozenset(part["anaphora"]["demonstratives"]),
        pronouns=frozenset(part["anaphora"]["subject_pronouns"]),
    )


class _Tree:
    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = tokens
        self.children: dict[int, list[int]] = {}
        for i, t in enumerate(tokens):
            if t.head != i:
                self.children.setdefault(t.head, []).append(i)

    def subtree(self, i: int) -> tuple[int, int]:
        lo = hi = i
        stack = [i]
        while stack:
            j = stack.pop()
            lo, hi = min(lo, j), max(hi, j)
            stack.extend(self.children.get(j, []))
        return self.tokens[lo].start, self.tokens[hi].end

    def kids(self, i: int, *deps: str) -> list[int]:
        return [c for c in self.children.get(i, []) if any(self.tokens[c].dep.startswith(d) for d in deps)]

    def has_word(self, i: int, words: frozenset[str]) -> bool:
        return any(self.tokens[c].lemma.lower() in words for c in self.children.get(i, []))


def _trigger(lx: _Lexicon, tree: _Tree, i: int) -> str | None:
    token = tree.tokens[i]
    lemma = token.lemma
    if token.pos in {"VERB", "AUX"}:
        reflexive = any(tree.tokens[c].lemma in {"se", "s'", "s’"} or tree.tokens[c].dep == "expl:comp"
                        for c in tree.children.get(i, []))
        if reflexive and f"se {lemma}" in lx.verbs:
            return lx.verbs[f"se {lemma}"]
        if reflexive and f"s'{lemma}" in lx.verbs:
            return lx.verbs[f"s'{lemma}"]
        if lemma == "prendre" and any(tree.tokens[c].lemma == "part" for c in tree.children.get(i, [])):
            return lx.verbs.get("prendre part")
        return lx.verbs.get(lemma)
    if token.pos in {"NOUN", "PROPN"}:
        return lx.nouns.get(lemma) or lx.nouns.get(token.lemma.lower())
    return None


def _mentions_in(mentions: Sequence[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in mentions if start <= m.span.start and m.span.end <= end]


def _modality(lx: _Lexicon, tree: _Tree, i: int, sentence: str) -> tuple[Modality, str | None]:
    token = tree.tokens[i]
    head = tree.tokens[token.head] if token.head != i else token
    near = [c for c in (tree.children.get(i, []) + tree.children.get(token.head, [])) if c != i]
    words = {tree.tokens[c].lemma.lower() for c in near} | {tree.tokens[c].lemma.lower() for c in [i, token.head]}
    if tree.has_word(i, lx.negations) and any(tree.tokens[c].lemma in {"ne", "n'", "not", "n't"} or
                                              tree.tokens[c].lemma in lx.negations for c in tree.children.get(i, [])):
        return "negated", None
    if head.lemma in {"pouvoir", "could", "might", "may"} or tree.has_word(i, lx.hedges) or (
            words & {"peut-être", "probablement", "éventuellement", "perhaps", "possibly"}):
        return "hedged", None
    moods = {token.mood, *(tree.tokens[c].mood for c in tree.kids(i, "aux"))}
    if "Cnd" in moods:
        return "reported", _source(lx, sentence)
    tenses = {token.tense, *(tree.tokens[c].tense for c in tree.kids(i, "aux"))}
    if "Fut" in tenses or (token.verb_form == "Inf" and head.lemma in lx.planning) or tree.has_word(i, lx.planning):
        return "planned", None
    source = _source(lx, sentence)
    if source:
        return "reported", source
    return "asserted", None


def _source(lx: _Lexicon, sentence: str) -> str | None:
    for marker in lx.sources:
        match = re.search(rf"\b{re.escape(marker)}\s+(?P<who>[^,.;]{{2,80}})", sentence, re.I)
        if match:
            return match.group("who").strip()
    match = re.search(r",\s*(?:a|ont)\s+(?:indiqué|précisé|annoncé|déclaré|affirmé|rapporté)\s+(?:à\s+\S+\s+)?"
                      r"(?P<who>[^,.;]{2,80})", sentence, re.I)
    return match.group("who").strip() if match else None


def _time(tree: _Tree, i: int, timexes: Sequence[TimeExpr], sentence: Span,
          own_only: bool = False) -> tuple[Any, Any, str | None]:
    own_start, own_end = tree.subtree(i)
    inside = [t for t in timexes if sentence.start <= t.span.start < sentence.end and t.type in {"DATE", "TIME"}]
    dated = [t for t in inside if t.start is not None]
    own = [t for t in dated if own_start <= t.span.start < own_end] or ([] if own_only else dated)
    if own_only and not own:
        return None, None, None
    if not own:
        undated = [t for t in inside]
        return None, None, undated[0].text if undated else None
    token_start = tree.tokens[i].start
    best = min(own, key=lambda t: abs(t.span.start - token_start))
    start, end = best.start, best.end
    duration = next((t for t in timexes if sentence.start <= t.span.start < sentence.end and t.type == "DURATION"
                     and re.fullmatch(r"P(\d+)D", t.value)), None)
    if duration and start == end and start is not None:
        days = int(re.fullmatch(r"P(\d+)D", duration.value).group(1))  # type: ignore[union-attr]
        end = start + timedelta(days=days - 1)
    return start, end, best.text


def find_events(doc_id: str, text: str, sentences: Sequence[Span], tokens: Sequence[Token],
                mentions: Sequence[Mention], timexes: Sequence[TimeExpr], lang: str = "fr",
                phrases: bool = False) -> tuple[Event, ...]:
    """Events of one parsed text, in text order.

    With ``phrases``, subjects and objects that hold no named mention ("Senior officials") still fill
    the frame with their noun phrase, and events without participants or time are kept (the
    sentence-level coding of event datasets); by default an event needs a participant or a time.
    """
    lx = lexicon(lang)
    tree = _Tree(tokens)
    did = DocId(doc_id)
    events: list[Event] = []
    sentence_of = sorted(sentences, key=lambda s: s.start)
    kinds = {i: k for i in range(len(tokens)) if (k := _trigger(lx, tree, i)) is not None}
    kinds |= _demonstratives(lx, tree, kinds, sentence_of)
    for i, token in enumerate(tokens):
        kind = kinds.get(i)
        if kind is None:
            continue
        if token.pos in {"NOUN", "PROPN"} and _absorbed(tree, i, kinds):
            continue  # "signé un accord": the noun is the verb's theme, one event
        sentence = next((s for s in sentence_of if s.start <= token.start < s.end), Span(did, 0, len(text)))
        sentence_text = text[sentence.start : sentence.end]
        participants: list[Participant] = []
        frames: tuple[tuple[str, tuple[str, ...]], ...] = (
                  ("agent", ("nsubj", "obl:agent", "agent")), ("counterpart", ("obj", "iobj", "dobj", "dative")),
                  ("agent", ("nmod",)), ("counterpart", ("obl:arg",)))
        for role, deps in frames:
            for child in tree.kids(i, *deps):
                lo, hi = tree.subtree(child)
                if token.pos != "NOUN" and text[lo:hi].lower().startswith(("avec ", "with ")):
                    continue  # "signé avec X": a counterpart, read with the obliques below
                if role == "agent" and tree.tokens[child].pos == "PRON" and \
                        text[lo:hi].lower() in lx.pronouns and not _mentions_in(mentions, lo, hi):
                    # "il s'entretiendra": the person last named does it
                    person = _last_person(mentions, sentence_of, sentence, token.start)
                    if person is not None:
                        participants.append(Participant(person.span, person.text, "agent"))
                    continue
                for m in _mentions_in(mentions, lo, hi):
                    if m.type in {"PER", "ORG", "GPE", "LOC", "EVENT", "EQUIPMENT"}:
                        participants.append(Participant(m.span, m.text, "place" if _is_place(m, text) else role))
        if phrases:
            phrase_frames: tuple[tuple[str, tuple[str, ...]], ...] = (
                ("agent", ("nsubj", "agent")), ("counterpart", ("obj", "dobj", "iobj", "dative")))
            for role, deps in phrase_frames:
                for child in tree.kids(i, *deps):
                    lo, hi = tree.subtree(child)
                    if not _mentions_in(mentions, lo, hi):
                        participants.append(Participant(Span(did, lo, hi), text[lo:hi], role))
        for child in tree.kids(i, "obl", "nmod", "advmod", "prep"):
            lo, hi = tree.subtree(child)
            lead = text[lo : lo + 12].lower()
            with_whom = lead.startswith(("avec", "with", "to ", "against", "contre", "on "))
            for m in _mentions_in(mentions, lo, hi):
                if all(p.span != m.span for p in participants):
                    role = "place" if _is_place(m, text) else ("counterpart" if with_whom or "avec" in
                                                                text[lo:m.span.start] else "theme")
                    participants.append(Participant(m.span, m.text, role))
        if token.pos in {"NOUN", "PROPN"} and not any(p.role == "agent" for p in participants) and token.head != i:
            # "X est au Sénégal pour une visite": the governing verb's subject does the visiting
            for subject in tree.kids(token.head, "nsubj"):
                lo, hi = tree.subtree(subject)
                for m in _mentions_in(mentions, lo, hi):
                    if m.type == "PER":
                        participants.append(Participant(m.span, m.text, "agent"))
        if token.pos in {"NOUN", "PROPN"} and not any(p.role == "agent" for p in participants):
            participants += _nominal_agents(tree, i, mentions, text)
        antecedent = None
        if token.pos in {"NOUN", "PROPN"} and not any(p.role == "agent" for p in participants) and any(
                tree.tokens[c].lemma.lower() in lx.possessives or text[tree.tokens[c].start:tree.tokens[c].end].lower()
                in lx.possessives for c in tree.kids(i, "det")):
            antecedent = _last_person(mentions, sentence_of, sentence, token.start)
            if antecedent is not None:
                participants.append(Participant(antecedent.span, antecedent.text, "agent"))
        if token.pos == "VERB" and token.dep in {"acl", "amod"} and token.head != i:
            # "un accord signé à Dakar par X": the noun it qualifies is the theme
            lo, hi = tree.subtree(token.head)
            for m in _mentions_in(mentions, lo, tree.tokens[token.head].end):
                participants.append(Participant(m.span, m.text, "theme"))
        for p in list(participants):
            # "du ministre de la Pêche, Lina Haddad": the name in apposition fills the same role
            for m in mentions:
                if m.type == "PER" and m.name and 0 < m.span.start - p.span.end <= 4 and \
                        text[p.span.end : m.span.start].strip() == "," and all(q.span != m.span for q in participants):
                    participants.append(Participant(m.span, m.text, p.role))
        # a noun's modality is its verb's ("effectuera une visite": planned)
        anchor = token.head if token.pos in {"NOUN", "PROPN"} and tokens[token.head].pos in {"VERB", "AUX"} else i
        modality, reported_by = _modality(lx, tree, anchor, sentence_text)
        start, end, time_text = _time(tree, i, timexes, sentence, own_only=antecedent is not None)
        if antecedent is not None and start is None:
            # "Sa visite ...": the time of the event its possessor was last seen in
            earlier = [e for e in events if e.start is not None and any(
                p.span == antecedent.span for p in e.participants)]
            if earlier:
                start, end, time_text = earlier[-1].start, earlier[-1].end, earlier[-1].time_text
        if not participants and start is None and not phrases:
            continue  # no one and no time: "dans le cadre de la coopération", "conclut le communiqué"
        amount = _AMOUNT.search(sentence_text)
        info = lx.types.get(kind, {})
        plover = info.get("plover") or (kind if kind.isupper() else None)
        events.append(Event(
            span=sentence, trigger=Span(did, token.start, token.end), trigger_text=text[token.start:token.end],
            type=kind if not kind.isupper() else "other", plover=plover or None, mode=info.get("mode") or None,
            participants=tuple(_dedupe(participants)), modality=modality, reported_by=reported_by,
            start=start, end=end, time_text=time_text, amount=amount.group(0).strip() if amount else None,
            source=STAGE_ID, lemma=token.lemma,
        ))
    return tuple(events)


def _demonstratives(lx: _Lexicon, tree: _Tree, kinds: dict[int, str], sentences: Sequence[Span]) -> dict[int, str]:
    """ "celle de X" after an event noun stands for another event of that kind, done by X."""
    found: dict[int, str] = {}
    if not lx.demonstratives:
        return found
    for i, token in enumerate(tree.tokens):
        if token.pos != "PRON" or token.lemma.lower() not in lx.demonstratives or not tree.kids(i, "nmod"):
            continue
        here = next((s for s in sentences if s.start <= token.start < s.end), None)
        before = [j for j in kinds if j < i and tree.tokens[j].pos in {"NOUN", "PROPN"}
                  and (here is None or tree.tokens[j].start >= here.start - 400)]
        if before:
            found[i] = kinds[max(before)]
    return found


def _nominal_agents(tree: _Tree, i: int, mentions: Sequence[Mention], text: str) -> list[Participant]:
    """Agents of an event noun that the parse attached elsewhere.

    "la visite à Dakar du ministre X": the "de" complement hangs off the place; "le chef ..., X,
    est au Sénégal pour une visite": the purpose noun hangs off a sentence whose head noun names
    the person.
    """
    found: list[Participant] = []
    for place in tree.kids(i, "nmod"):
        lo, hi = tree.subtree(place)
        if not any(_is_place(m, text) for m in _mentions_in(mentions, lo, hi)):
            continue
        for owner in tree.kids(place, "nmod"):
            o_lo, o_hi = tree.subtree(owner)
            if re.match(r"(?:du|des|de|d['’])\b", text[o_lo:o_hi].lower()):
                found += [Participant(m.span, m.text, "agent") for m in mentions if m.type == "PER" and (
                    (o_lo <= m.span.start and m.span.end <= o_hi) or  # "du ministre X"
                    (0 < m.span.start - o_hi <= 4 and text[o_hi:m.span.start].strip() == ","))]  # "du ministre, X"
    token = tree.tokens[i]
    head = tree.tokens[token.head]
    purpose = any(tree.tokens[c].lemma.lower() in {"pour", "en"} for c in tree.kids(i, "case"))
    if not found and purpose and token.head != i and head.pos in {"NOUN", "PROPN"} and head.head == token.head:
        lo, _ = tree.subtree(token.head)
        found += [Participant(m.span, m.text, "agent") for m in _mentions_in(mentions, lo, token.start)
                  if m.type == "PER" and m.name]
    return found


def _last_person(mentions: Sequence[Mention], sentences: Sequence[Span], sentence: Span, before: int) -> Mention | None:
    """The person last named (a name, not a pronoun or title) in this or the previous sentence."""
    previous = [s for s in sentences if s.end <= sentence.start]
    floor = previous[-1].start if previous else sentence.start
    people = [m for m in mentions if m.type == "PER" and m.name and floor <= m.span.start < before]
    return people[-1] if people else None


def _absorbed(tree: _Tree, i: int, kinds: dict[int, str]) -> bool:
    """A trigger noun that is a trigger verb's object or subject ("signé un accord", "un accord de
    coopération signé"), directly or as the complement of such a noun, belongs to that verb's event."""
    for _ in range(2):
        token = tree.tokens[i]
        head = token.head
        if head == i:
            return False
        if head in kinds and tree.tokens[head].pos in {"VERB", "AUX"} and token.dep.split(":")[0] in {
                "obj", "nsubj", "iobj"}:
            return True
        if token.dep.split(":")[0] not in {"nmod"}:
            return False
        i = head
    return False


def _is_place(mention: Mention, text: str) -> bool:
    before = text[max(0, mention.span.start - 12) : mention.span.start].lower()
    return mention.type in {"GPE", "LOC", "FAC"} and bool(re.search(r"(?:\bà|\bau|\bdans|\ben|\bin|\bat)\s*$", before))


def _dedupe(participants: list[Participant]) -> list[Participant]:
    seen: set[tuple[int, int]] = set()
    out = []
    for p in participants:
        key = (p.span.start, p.span.end)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
