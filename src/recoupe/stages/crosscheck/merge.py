"""Per-article accounts -> corpus events: implied visits, blocking, coreference, best values.

An account is one article's event. Accounts that describe one happening (``coref.cluster``)
become one ``CorpusEvent`` whose sources are the articles, grouped by dependence
(``sources.groups``). Its time, place and modality are the values the most independent sources
give; the disagreements are kept by ``conflicts``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from recoupe.config import CrosscheckConfig
from recoupe.errors import E, PipelineError
from recoupe.ids import sha256_hex
from recoupe.model import Account, CorpusEvent, DocId, EntityRef, Modality, SourceDoc
from recoupe.stages.crosscheck import conflicts as conflicts_mod
from recoupe.stages.crosscheck.coref import EventMention, Weights, cluster
from recoupe.stages.entities.names import fold
from recoupe.unionfind import UnionFind

# The acts that put their agent at the place where they happen.
_PRESENCE = frozenset({"agreement", "meeting"})
_MODALITY_ORDER: tuple[Modality, ...] = ("asserted", "reported", "planned", "hedged", "negated")
_WORD = re.compile(r"\w+", re.UNICODE)


def derive_visits(accounts: Sequence[Account], entities: Mapping[str, EntityRef]) -> list[Account]:
    """Visits implied by presence abroad: "X (of country A) signed in Dakar (country B)" -> X visited.

    Only for signatures and meetings read as asserted or reported, when the person's country and
    the place's country are both known and differ, and the article has no visit by that person in
    the same sentence already.
    """
    derived: list[Account] = []
    visits = {(a.doc_id, a.sentence.start, e) for a in accounts if a.type == "visit"
              for e, role in a.participants if role == "agent"}
    for a in accounts:
        if a.type not in _PRESENCE or a.modality not in {"asserted", "reported"} or a.place is None:
            continue
        place = entities.get(a.place)
        if place is None or place.country is None:
            continue
        has_agent = any(role == "agent" for _, role in a.participants)
        people = [e for e, role in a.participants if (role == "agent" or (role == "theme" and not has_agent))
                  and e in entities and entities[e].type == "PER"]
        for person in people:
            country = entities[person].country
            if country and country != place.country and (a.doc_id, a.sentence.start, person) not in visits:
                derived.append(replace(a, type="visit", plover="CONSULT", mode="visit", derived="presence",
                                       participants=((person, "agent"), (a.place, "place"))))
                visits.add((a.doc_id, a.sentence.start, person))
    return derived


def _context(text: str, stop: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(fold(text)) if len(w) > 2 and w not in stop and not w.isdigit())


def _mention(a: Account, block: str, entities: Mapping[str, EntityRef], stop: frozenset[str],
             published: date | None = None) -> EventMention:
    """The clusterer's view of an account; ``stop`` holds stop words and the corpus's commonest words."""
    people = frozenset(e for e, role in a.participants if role == "agent" and e in entities
                       and entities[e].type == "PER")
    everyone = {e for e, role in a.participants if role != "place"}
    everyone |= {f"country:{entities[e].country}" for e in everyone if e in entities and entities[e].country}
    places: frozenset[str] = frozenset()
    if a.place:
        place = entities.get(a.place)
        places = frozenset({a.place, *([f"country:{place.country}"] if place and place.country else [])})
    # what pins an account to one happening: its people, named events, equipment, buildings, city; an
    # organisation only in the same role (an army that acts vs. an army that is met are weak evidence)
    anchors = {e for e, _ in a.participants
               if e in entities and entities[e].type in {"PER", "EVENT", "EQUIPMENT", "FAC"}}
    anchors |= {f"{e}@{role}" for e, role in a.participants if e in entities and entities[e].type == "ORG"}
    if a.place and a.place in entities and entities[a.place].kind != "country":
        anchors.add(a.place)
    return EventMention(key=a.key, doc=a.doc_id, block=block, lemma=a.lemma or fold(a.trigger_text), type=a.type,
                        agents=people, participants=frozenset(everyone), places=places, start=a.start,
                        end=a.end, context=_context(a.sentence_text, stop), anchors=frozenset(anchors),
                        published=published, planned=a.modality in {"planned", "hedged"})


def _blocks(accounts: Sequence[Account], entities: Mapping[str, EntityRef]) -> list[str]:
    """Candidate blocks: accounts of one type linked by a shared person, organisation or city
    (or, without any, a shared country), joined transitively. Coreference runs inside a block."""
    union = UnionFind(len(accounts))

    first: dict[tuple[str, str], int] = {}
    for i, a in enumerate(accounts):
        ids = [e for e, _ in a.participants if e in entities]
        keys = [e for e in ids if entities[e].type != "GPE" or entities[e].country is None
                or fold(entities[e].name) != fold(entities[e].country or "")]
        strong = [e for e in ids if entities[e].type in {"PER", "ORG"} or (
            entities[e].type in {"GPE", "LOC", "FAC"} and e == a.place)]
        for key in (strong or keys or ["(none)"]):
            k = (a.type, key)
            if k in first:
                union.union(i, first[k])
            else:
                first[k] = i
    return [f"{accounts[i].type}:{union.find(i)}" for i in range(len(accounts))]


def _split_large(blocks: list[str], accounts: Sequence[Account], docs: Mapping[DocId, SourceDoc],
                 limit: int) -> list[str]:
    """Cut blocks of more than ``limit`` accounts into time windows, so clustering stays bounded.

    In a large corpus a hub (a capital, a head of state) joins thousands of accounts of one type
    into one block, and clustering compares every pair in a block. Such a block is cut by the
    account's date (else its article's) into windows of 512 days, halved until every piece fits.
    Accounts of one happening on either side of a window boundary then stay apart: a bounded loss,
    only in blocks over the limit.
    """
    sizes = Counter(blocks)
    big = {b for b, n in sizes.items() if n > limit}
    if not big:
        return blocks

    def day(i: int) -> int:
        a = accounts[i]
        when = a.start or (docs[a.doc_id].published if a.doc_id in docs else None)
        return when.toordinal() if when else 0

    members: dict[str, list[int]] = {}
    for i, b in enumerate(blocks):
        if b in big:
            members.setdefault(b, []).append(i)
    out = list(blocks)
    for b, indices in members.items():
        window = 512
        while window > 1 and max(Counter(day(i) // window for i in indices).values()) > limit:
            window //= 2
        for i in indices:
            out[i] = f"{b}@{window}:{day(i) // window}"
    return out


def _best_modality(accounts: Sequence[Account], group_of: Mapping[DocId, DocId]) -> Modality:
    support: dict[Modality, set[DocId]] = {}
    for a in accounts:
        if a.derived is None:
            support.setdefault(a.modality, set()).add(group_of.get(a.doc_id, a.doc_id))
    if not support:
        return accounts[0].modality
    return max(support, key=lambda m: (len(support[m]), -_MODALITY_ORDER.index(m)))


def _best_place(accounts: Sequence[Account], entities: Mapping[str, EntityRef],
                group_of: Mapping[DocId, DocId]) -> str | None:
    support: dict[str, set[DocId]] = {}
    for a in accounts:
        if a.place:
            support.setdefault(a.place, set()).add(group_of.get(a.doc_id, a.doc_id))
    if not support:
        return None

    def specific(e: str) -> bool:  # a city is more precise than its country
        ref = entities.get(e)
        return ref is not None and ref.kind == "city"

    return max(sorted(support), key=lambda e: (len(support[e]), specific(e)))


def _participants(accounts: Sequence[Account], place: str | None) -> tuple[tuple[str, str], ...]:
    roles: dict[str, Counter[str]] = {}
    for a in accounts:
        for e, role in a.participants:
            if e != place and role != "place":
                roles.setdefault(e, Counter())[role] += 1
    order = {"agent": 0, "counterpart": 1, "theme": 2}
    chosen = [(e, c.most_common(1)[0][0]) for e, c in roles.items()]
    return tuple(sorted(chosen, key=lambda x: (order.get(x[1], 3), x[0])))


def _label(kind: str, participants: Sequence[tuple[str, str]], place: str | None, start: date | None,
           end: date | None, entities: Mapping[str, EntityRef]) -> str:
    def names(role: str) -> list[str]:
        return [entities[e].name for e, r in participants if r == role and e in entities][:3]

    agents, others = names("agent"), names("counterpart")
    text = kind
    if agents:
        text += " by " + ", ".join(agents)
    if others:
        text += " with " + ", ".join(others)
    if place and place in entities:
        text += " in " + entities[place].name
    if start:
        text += f" ({conflicts_mod.format_interval(start, end or start)})"
    return text


def merge(accounts: Sequence[Account], docs: Mapping[DocId, SourceDoc], entities: Mapping[str, EntityRef],
          group_of: Mapping[DocId, DocId], cfg: CrosscheckConfig, stop: frozenset[str]) -> list[CorpusEvent]:
    """Corpus events from every account (derived visits included), in order of first source."""
    accounts = [*accounts, *derive_visits(accounts, entities)]
    unique: dict[str, Account] = {}
    for a in accounts:  # one trigger of one type read twice is one account
        unique.setdefault(a.key, a)
    accounts = list(unique.values())
    blocks = _split_large(_blocks(accounts, entities), accounts, docs, cfg.max_block)
    # words in more than a fifth of the sentences (the corpus's topic) say nothing about which event it is
    df = Counter(w for a in {a.sentence: a for a in accounts}.values() for w in _context(a.sentence_text, stop))
    common = frozenset(w for w, n in df.items() if n > max(2, len(accounts) // 5))
    mentions = [_mention(a, b, entities, stop | common, docs[a.doc_id].published if a.doc_id in docs else None)
                for a, b in zip(accounts, blocks, strict=True)]
    weights = Weights(threshold=cfg.merge_threshold, max_gap_days=cfg.max_gap_days, same_doc=True,
                      require_anchor=True)
    far = date.max

    def published(d: DocId) -> date:
        day = docs[d].published if d in docs else None
        return day or far

    events: list[CorpusEvent] = []
    for members in cluster(mentions, weights):
        group = sorted((accounts[i] for i in members), key=lambda a: (published(a.doc_id), a.doc_id, a.trigger.start))
        sources = tuple(dict.fromkeys(a.doc_id for a in group))
        by_group: dict[DocId, list[DocId]] = {}
        for d in sources:
            by_group.setdefault(group_of.get(d, d), []).append(d)
        start, end, time_text = conflicts_mod.best_time(group, group_of)
        place = _best_place(group, entities, group_of)
        participants = _participants(group, place)
        kind = Counter(a.type for a in group).most_common(1)[0][0]
        first = group[0]
        events.append(CorpusEvent(
            id="ev-" + sha256_hex(min(a.key for a in group))[:12], type=kind, plover=first.plover, mode=first.mode,
            label=_label(kind, participants, place, start, end, entities), start=start, end=end,
            time_text=time_text, place=place, participants=participants,
            modality=_best_modality(group, group_of), sources=sources,
            groups=tuple(tuple(v) for v in by_group.values()), accounts=tuple(group),
        ))
    seen: dict[str, CorpusEvent] = {}
    for e in events:
        if e.id in seen:  # ids come from disjoint account keys: a clash is a bug, named, never a crash later
            raise PipelineError(E.R213.format(id=e.id, a=seen[e.id].label, b=e.label,
                                              keys=f"{seen[e.id].accounts[0].key} / {e.accounts[0].key}"))
        seen[e.id] = e
    return sorted(events, key=lambda e: (e.start or far, e.id))
