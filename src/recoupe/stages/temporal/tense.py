"""Tense of the clause a time expression sits in, from the dependency parse's morphology."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence

from recoupe.model import Tense, Token

TenseOf = Callable[[int, int], Tense | None]


def tense_function(tokens: Sequence[Token], planning_verbs: frozenset[str]) -> TenseOf:
    """A function (start, end) -> tense of the governing verb, for one parsed text.

    Future: future tense ("effectuera"), future auxiliary ("aura signé"), or an infinitive under a
    planning verb ("doit rencontrer", "va signer"). Past: past or imperfect tense, a participle
    with its auxiliary ("a signé", "aurait acquis") or alone ("Arrivé lundi"). Present otherwise.
    """
    starts = [t.start for t in tokens]
    children: dict[int, list[int]] = {}
    for index, token in enumerate(tokens):
        if token.head != index:
            children.setdefault(token.head, []).append(index)

    def of_verb(index: int) -> Tense | None:
        verb = tokens[index]
        auxes = [tokens[c] for c in children.get(index, [])
                 if tokens[c].pos == "AUX" and tokens[c].dep.startswith("aux")]
        if verb.tense == "Fut" or any(a.tense == "Fut" for a in auxes):
            return "future"
        if verb.lemma in {"will", "shall"} or any(a.lemma in {"will", "shall"} for a in auxes):
            return "future"
        if verb.lemma in planning_verbs and verb.verb_form == "Part":
            return "future"  # "la réunion prévue le 16 juillet"
        if verb.verb_form == "Inf":
            head = verb.head
            if head != index and tokens[head].lemma in planning_verbs:
                return "future"
            return None  # "avant de quitter ses fonctions le 30 octobre": no tense of its own
        if verb.verb_form == "Part":
            if verb.tense == "Pres" and not auxes:
                return None
            return "past"
        if verb.tense in {"Past", "Imp"} or any(a.tense in {"Past", "Imp"} for a in auxes):
            return "past"
        if verb.tense == "Pres":
            return "present"
        return None

    def tense(start: int, end: int) -> Tense | None:
        index = _governor(tokens, starts, start)
        return of_verb(index) if index is not None else None

    return tense


def governor_function(tokens: Sequence[Token]) -> Callable[[int, int], str | None]:
    """A function (start, end) -> lemma of the verb governing the expression ("arriver" for "Arrivé lundi")."""
    starts = [t.start for t in tokens]

    def governor(start: int, end: int) -> str | None:
        index = _governor(tokens, starts, start)
        return tokens[index].lemma if index is not None else None

    return governor


def _governor(tokens: Sequence[Token], starts: list[int], start: int) -> int | None:
    if not tokens:
        return None
    index = max(0, bisect_right(starts, start) - 1)
    for _ in range(6):
        token = tokens[index]
        if token.pos in {"VERB", "AUX"}:
            return index
        if token.head == index:
            break
        index = token.head
    return None
