"""Entity resolution: mentions -> entities, within each article and across the corpus, with evidence.

Within an article, a surname alone joins the full name it shortens. Across articles, people
merge when their surnames share a transliteration-aware key (``names.skeleton``), their given
names are compatible and the names are close (Jaro-Winkler), and their countries do not
conflict; places resolve through the gazetteer (a capital acting as its state, an epithet, an
ISO code all land on the state); organisations through their acronyms. A person named only by a
role links to the one named holder of that role in the corpus, if there is exactly one. Every
merge keeps its rule and score; human judgements (merge/split by name) apply last and persist.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from recoupe.ids import sha256_hex
from recoupe.model import Mention
from recoupe.stages.entities.gazetteer import gazetteer
from recoupe.stages.entities.names import (
    first_names_compatible,
    fold,
    name_parts,
    name_similarity,
    surname_keys,
)
from recoupe.unionfind import UnionFind

_ROLE_STOP = frozenset("de du des d la le les l et en a au aux son sa ses chargé chargée auprès".split())
MERGE_SIMILARITY = 0.75


@dataclass
class Entity:
    id: str
    type: str
    name: str
    aliases: list[str]
    descriptions: list[str]
    mentions: list[tuple[str, Mention]]
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    evidence: list[dict[str, object]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Judgement:
    action: str  # merge | split
    a: str
    b: str | None = None


def role_key(role: str, acronyms: Mapping[str, str]) -> frozenset[str]:
    """Content words of a role phrase, acronyms expanded ("inspecteur général des FAN" ->
    {inspecteur, general, forces, armees, nationales})."""
    words: list[str] = []
    for token in re.findall(r"[\w’'-]+", role):
        if token.isupper() and token in acronyms:
            words.extend(fold(acronyms[token]).split())
        else:
            words.extend(fold(token).split())
    return frozenset(w for w in words if w not in _ROLE_STOP and len(w) > 1)


def _key(mention: Mention, acronyms: Mapping[str, str]) -> str:
    gaz = gazetteer()
    if mention.type in {"GPE", "LOC", "FAC"}:
        if mention.alias_of:
            place = gaz.lookup(mention.alias_of)
            if place is not None:
                return f"place:{place.country}:{place.kind}:{fold(place.name)}"
        place = gaz.lookup(mention.name or mention.text)
        if place is not None:
            return f"place:{place.country}:{place.kind}:{fold(place.name)}"
        return f"{mention.type}:{fold(mention.name or mention.text)}"
    if mention.type == "ORG":
        name = mention.alias_of or mention.name or mention.text
        if name.isupper() and name in acronyms:
            name = acronyms[name]
        return f"ORG:{fold(name)}"
    return f"{mention.type}:{fold(mention.name or mention.text)}"


def resolve(docs: Iterable[tuple[str, Sequence[Mention]]], judgements: Sequence[Judgement] = ()) -> list[Entity]:
    """All entities of a corpus from its documents' mentions (doc id, mentions), deterministically."""
    items: list[tuple[str, Mention]] = [(doc_id, m) for doc_id, ms in sorted(docs, key=lambda d: d[0]) for m in ms]
    acronyms: dict[str, str] = {}
    for _, m in items:
        if m.type == "ORG" and m.alias_of and m.name and m.name.isupper():
            acronyms.setdefault(m.name, m.alias_of)
    union = UnionFind(len(items))
    evidence: dict[int, list[dict[str, object]]] = defaultdict(list)
    # 1. the same key (places, organisations, events, equipment) is the same entity
    first_of: dict[str, int] = {}
    for index, (_, m) in enumerate(items):
        if m.type == "PER":
            continue
        key = _key(m, acronyms)
        if key in first_of:
            union.union(first_of[key], index)
        else:
            first_of[key] = index
    # 2. people within an article: full names, then surnames alone
    people = [i for i, (_, m) in enumerate(items) if m.type == "PER" and m.name]
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i in people:
        by_doc[items[i][0]].append(i)
    for doc_id, indices in by_doc.items():
        full = [i for i in indices if len(name_parts(items[i][1].name or "")) > 1]
        for i in indices:
            name = items[i][1].name or ""
            candidates = [j for j in full if surname_keys(items[j][1].name or "") & surname_keys(name)
                          and first_names_compatible(items[j][1].name or "", name)[0]]
            if candidates:
                target = max((j for j in candidates if j <= i), default=candidates[0])
                if union.union(target, i) and len(name_parts(name)) == 1:
                    evidence[i].append({"rule": "surname_in_article", "doc": doc_id, "score": 1.0})
    # 3. people across articles: transliteration key, given names, similarity, country
    anchors: dict[str, list[int]] = defaultdict(list)
    for i in people:
        if len(name_parts(items[i][1].name or "")) > 1:
            for key in sorted(surname_keys(items[i][1].name or "")):
                anchors[key].append(i)
    # The decision depends only on the two names and countries, so it is taken once per pair of
    # distinct (name, country) under a key, not per pair of mentions: a common surname in a large
    # corpus has thousands of mentions but few spellings.
    for key, indices in sorted(anchors.items()):
        spellings: dict[tuple[str, str | None], list[int]] = {}
        for i in indices:
            spellings.setdefault((items[i][1].name or "", items[i][1].country), []).append(i)
        variants = list(spellings.items())
        for x, ((name_a, country_a), members_a) in enumerate(variants):
            for (name_b, country_b), members_b in variants[x:]:
                ok, given = first_names_compatible(name_a, name_b)
                similarity = name_similarity(name_a, name_b)
                countries = {c for c in (country_a, country_b) if c}
                if not (ok and similarity >= MERGE_SIMILARITY and len(countries) <= 1):
                    continue
                first = members_a[0]
                for j in (*members_a[1:], *members_b):
                    if union.union(first, j):
                        evidence[j].append({"rule": "transliteration_key", "key": key, "names": [name_a, name_b],
                                            "given_names": round(given, 3), "score": round(similarity, 3)})
    # 4. a person named by role only: the one named holder of that role
    holders: dict[int, list[frozenset[str]]] = defaultdict(list)
    for i in people:
        if items[i][1].role:
            holders[union.find(i)].append(role_key(items[i][1].role or "", acronyms))
    for index, (_, m) in enumerate(items):
        if m.type != "PER" or m.name or not m.role:
            continue
        wanted = role_key(m.role, acronyms)
        if len(wanted) < 2:
            continue
        matches = {root for root, keys in holders.items()
                   if any(wanted <= k or k <= wanted for k in keys if len(k) > 1)}
        if len(matches) == 1:
            root = matches.pop()
            union.union(root, index)
            evidence[index].append({"rule": "role_holder", "role": m.role, "score": 1.0})
    # 5. human judgements, by name
    groups = _groups(union, items)
    groups = _apply_judgements(groups, items, judgements)
    return _unique_ids([_entity(members, items, evidence, acronyms) for members in groups])


def _unique_ids(entities: list[Entity]) -> list[Entity]:
    """Entities that share a name but were not merged ("Steve" in two unrelated articles) keep
    distinct ids: the one mentioned first keeps the plain id, the others get -2, -3..."""
    seen: dict[str, int] = {}
    for entity in sorted(entities, key=lambda e: (e.id, e.mentions[0][0] if e.mentions else "",
                                                  e.mentions[0][1].span.start if e.mentions else 0)):
        n = seen.get(entity.id, 0) + 1
        seen[entity.id] = n
        if n > 1:
            entity.id = f"{entity.id}-{n}"
    return entities


def _groups(union: UnionFind, items: Sequence[tuple[str, Mention]]) -> list[list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for index, (_, m) in enumerate(items):
        if m.type == "PER" and not m.name and union.find(index) == index:
            continue  # an unresolved role-only mention is no entity
        groups[union.find(index)].append(index)
    return [sorted(g) for g in groups.values()]


def _names_of(members: Sequence[int], items: Sequence[tuple[str, Mention]]) -> set[str]:
    return {fold(items[i][1].name or "") for i in members if items[i][1].name}


def _apply_judgements(groups: list[list[int]], items: Sequence[tuple[str, Mention]],
                      judgements: Sequence[Judgement]) -> list[list[int]]:
    for judgement in judgements:
        if judgement.action == "split":
            target = fold(judgement.a)
            updated: list[list[int]] = []
            for group in groups:
                apart = [i for i in group if items[i][1].name and fold(items[i][1].name or "") == target]
                rest = [i for i in group if i not in apart]
                updated.extend(g for g in (rest, apart) if g)
            groups = updated
        elif judgement.action == "merge" and judgement.b:
            a, b = fold(judgement.a), fold(judgement.b)
            ga = next((g for g in groups if a in _names_of(g, items)), None)
            gb = next((g for g in groups if b in _names_of(g, items)), None)
            if ga is not None and gb is not None and ga is not gb:
                groups = [g for g in groups if g is not ga and g is not gb] + [sorted(ga + gb)]
    return groups


def _entity(members: Sequence[int], items: Sequence[tuple[str, Mention]],
            evidence: Mapping[int, list[dict[str, object]]], acronyms: Mapping[str, str]) -> Entity:
    mentions = [items[i] for i in members]
    types = Counter(m.type for _, m in mentions)
    kind = types.most_common(1)[0][0]
    names = Counter(m.name for _, m in mentions if m.name)
    gaz = gazetteer()
    place = None
    if kind in {"GPE", "LOC", "FAC"}:
        for _, m in mentions:
            place = gaz.lookup(m.alias_of or m.name or m.text)
            if place is not None:
                break
    if place is not None:
        canonical = place.name if place.kind == "country" else (names.most_common(1)[0][0] if names else place.name)
    elif kind == "ORG":
        expansions = [m.alias_of for _, m in mentions if m.alias_of] + [n for n in names if not n.isupper()]
        canonical = Counter(expansions).most_common(1)[0][0] if expansions else names.most_common(1)[0][0]
    else:
        full = [(len(name_parts(n)), c, n) for n, c in names.items()]
        canonical = max(full)[2] if full else mentions[0][1].text
    aliases = sorted({m.name for _, m in mentions if m.name} | ({m.alias_of for _, m in mentions
                     if m.alias_of and m.kind != "epithet"} & {canonical}))
    descriptions = sorted({d for _, m in mentions for d in (m.role, m.text if m.kind == "epithet" else None) if d})
    countries = Counter(m.country for _, m in mentions if m.country)
    key = f"{kind}:{fold(canonical)}"
    entity_id = f"{kind.lower()}-{re.sub(r'[^a-z0-9]+', '-', fold(canonical)).strip('-')[:40]}-{sha256_hex(key)[:6]}"
    return Entity(
        id=entity_id, type=kind, name=canonical, aliases=aliases, descriptions=descriptions,
        mentions=sorted(mentions, key=lambda dm: (dm[0], dm[1].span.start)),
        country=place.country if place else (countries.most_common(1)[0][0] if countries else None),
        latitude=place.latitude if place else None, longitude=place.longitude if place else None,
        evidence=[e for i in members for e in evidence.get(i, [])],
    )
