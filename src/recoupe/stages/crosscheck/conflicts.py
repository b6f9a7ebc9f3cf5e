"""Where the sources of one event disagree: dates, numbers, places, outcome.

For each slot every article gives at most one value (its most precise one). Values that are
compatible (date intervals that overlap, with a day's tolerance; the same amount) fall in one
group; two or more groups make a conflict. The value a strict majority of the independent
sources gives is ``best``; every value is kept with its sources and sentences.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from recoupe.ids import sha256_hex
from recoupe.intervals import format_interval as format_interval  # re-exported: the stages use it from here
from recoupe.model import Account, Conflict, ConflictValue, CorpusEvent, DocId, EntityRef

_TOLERANCE = timedelta(days=1)


def _per_doc(accounts: Sequence[Account]) -> dict[DocId, Account]:
    """Each article's most precise dated account (read accounts before derived ones)."""
    best: dict[DocId, Account] = {}
    for a in accounts:
        if a.start is None:
            continue
        width = ((a.end or a.start) - a.start).days
        current = best.get(a.doc_id)
        if current is None or (a.derived is None, -width) > (
                current.derived is None, -((current.end or current.start) - current.start).days):  # type: ignore[operator]
            best[a.doc_id] = a
    return best


def _time_groups(accounts: Sequence[Account]) -> list[list[Account]]:
    """Per-article dated accounts grouped by compatible intervals (narrowest first)."""
    dated = sorted(_per_doc(accounts).values(), key=lambda a: (((a.end or a.start) - a.start).days,  # type: ignore[operator]
                                                               a.start, a.doc_id))
    groups: list[tuple[date, date, list[Account]]] = []
    for a in dated:
        assert a.start is not None
        start, end = a.start, a.end or a.start
        for i, (lo, hi, members) in enumerate(groups):
            if start <= hi + _TOLERANCE and end >= lo - _TOLERANCE:
                members.append(a)
                groups[i] = (lo, hi, members)  # the group stays named by its narrowest interval
                break
        else:
            groups.append((start, end, [a]))
    return [members for _, _, members in groups]


def _support(accounts: Sequence[Account], group_of: Mapping[DocId, DocId]) -> int:
    return len({group_of.get(a.doc_id, a.doc_id) for a in accounts})


def best_time(accounts: Sequence[Account], group_of: Mapping[DocId, DocId]) -> tuple[date | None, date | None,
                                                                                       str | None]:
    """The interval of the best supported group of dates (its narrowest member), else unknown."""
    groups = _time_groups(accounts)
    if not groups:
        texts = [a.time_text for a in accounts if a.time_text]
        return None, None, texts[0] if texts else None
    chosen = max(groups, key=lambda g: (_support(g, group_of), len(g)))
    first = chosen[0]
    return first.start, first.end or first.start, first.time_text


def _value(kind: str, members: Sequence[Account], group_of: Mapping[DocId, DocId], value: str) -> ConflictValue:
    sources = tuple(dict.fromkeys(a.doc_id for a in members))
    return ConflictValue(value=value, sources=sources, independent_sources=_support(members, group_of),
                         accounts=tuple(members))


def _conflict(kind: str, event: CorpusEvent, slot: str, values: list[ConflictValue]) -> Conflict:
    values.sort(key=lambda v: (-v.independent_sources, -len(v.sources), v.value))
    total = sum(v.independent_sources for v in values)
    best = values[0].value if values[0].independent_sources * 2 > total else None
    cid = "cf-" + sha256_hex(f"{event.id}:{slot}:" + "|".join(sorted(v.value for v in values)))[:12]
    return Conflict(id=cid, kind=kind, event=event.id, slot=slot, values=tuple(values), best=best)  # type: ignore[arg-type]


_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _amount_key(amount: str) -> str:
    digits = "".join(_NUMBER.findall(amount.replace(" ", "").replace("\u202f", "")))
    unit = re.sub(r"[\d\s.,]+", " ", amount.lower()).split()
    return f"{digits} {' '.join(unit)}".strip()


def find_conflicts(events: Sequence[CorpusEvent], group_of: Mapping[DocId, DocId],
                   entities: Mapping[str, EntityRef]) -> list[Conflict]:
    """Every slot on which the sources of an event disagree."""
    found: list[Conflict] = []
    for event in events:
        if len(event.sources) < 2:
            continue
        groups = _time_groups(event.accounts)
        if len(groups) > 1:
            values = []
            for g in groups:  # each group is named by its narrowest interval
                narrow = g[0]
                assert narrow.start is not None
                values.append(_value("date", g, group_of, format_interval(narrow.start, narrow.end or narrow.start)))
            found.append(_conflict("date", event, "time", values))
        amounts: dict[str, list[Account]] = {}
        for a in event.accounts:
            if a.amount and a.derived is None:
                amounts.setdefault(_amount_key(a.amount), []).append(a)
        if len(amounts) > 1:
            found.append(_conflict("number", event, "amount", [
                _value("number", members, group_of, members[0].amount or key) for key, members in amounts.items()]))
        cities: dict[str, list[Account]] = {}
        for a in event.accounts:
            ref = entities.get(a.place or "")
            if ref is not None and ref.kind != "country" and a.derived is None:
                cities.setdefault(ref.id, []).append(a)
        if len(cities) > 1:
            found.append(_conflict("place", event, "place", [
                _value("place", members, group_of, entities[key].name) for key, members in cities.items()]))
        negated = [a for a in event.accounts if a.modality == "negated" and a.derived is None]
        affirmed = [a for a in event.accounts if a.modality in {"asserted", "reported"} and a.derived is None]
        if negated and affirmed and {a.doc_id for a in negated} != {a.doc_id for a in affirmed}:
            found.append(_conflict("outcome", event, "modality", [
                _value("outcome", affirmed, group_of, "happened"),
                _value("outcome", negated, group_of, "did not happen")]))
    return found
