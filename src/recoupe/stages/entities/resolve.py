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
from dataclasses import dataclass, field, replace

from recoupe.ids import sha256_hex
from recoupe.model import Mention
from recoupe.stages.entities.gazetteer import gazetteer
from recoupe.stages.entities.names import (
    first_names,
    first_names_compatible,
    fold,
    given_match,
    name_parts,
    name_similarity,
    place_key,
    surname_keys,
    surname_match,
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
        # a place outside the gazetteer: its spelling key ("Zaouïa" / "Zawiya" / "Zaouïah")
        return f"place:{place_key(mention.name or mention.text)}"
    if mention.type == "ORG":
        name = mention.alias_of or mention.name or mention.text
        if name.upper() in acronyms and len(name) <= 8 and (name.isupper() or name.istitle()):
            name = acronyms[name.upper()]  # "OTAN" and "Otan" stand for the same expansion
        return f"ORG:{fold(name)}"
    return f"{mention.type}:{fold(mention.name or mention.text)}"


def resolve(docs: Iterable[tuple[str, Sequence[Mention]]], judgements: Sequence[Judgement] = ()) -> list[Entity]:
    """All entities of a corpus from its documents' mentions (doc id, mentions), deterministically."""
    items: list[tuple[str, Mention]] = [(doc_id, m) for doc_id, ms in sorted(docs, key=lambda d: d[0]) for m in ms]
    items = _retyped(items)
    acronyms: dict[str, str] = {}
    for _, m in items:
        if m.type == "ORG" and m.alias_of and m.name and m.name.isupper():
            acronyms.setdefault(m.name, m.alias_of)
    acronyms.update(_expansions(items, acronyms))
    union = UnionFind(len(items))
    evidence: dict[int, list[dict[str, object]]] = defaultdict(list)
    # 1. the same key (places, organisations, events, equipment) is the same entity; a place outside
    #    the gazetteer whose spelling key is a gazetteer place's of the corpus is that place
    keys = [_key(m, acronyms) if m.type != "PER" else "" for _, m in items]
    spelled: dict[str, str] = {}
    for (_, m), key in zip(items, keys, strict=True):
        if key.startswith("place:") and key.count(":") == 3:
            spelled.setdefault(f"place:{place_key(m.name or m.text)}", key)
    first_of: dict[str, int] = {}
    for index, (_, m) in enumerate(items):
        if m.type == "PER":
            continue
        key = spelled.get(keys[index], keys[index])
        if key in first_of:
            union.union(first_of[key], index)
        else:
            first_of[key] = index
    # 2. people within an article: full names, then surnames (or given names) alone; a short form
    #    that fits two people of the article (a father and his son) stays unresolved
    people = [i for i, (_, m) in enumerate(items) if m.type == "PER" and m.name]
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i in people:
        by_doc[items[i][0]].append(i)
    most_named = _most_named(items, people)
    for doc_id, indices in by_doc.items():
        full = [i for i in indices if len(name_parts(items[i][1].name or "")) > 1]
        full_names = sorted({items[j][1].name or "" for j in full})
        for i in indices:
            name = items[i][1].name or ""
            fitting = [n for n in full_names
                       if surname_keys(n) & surname_keys(name) and surname_match(n, name)
                       and first_names_compatible(n, name)[0]]
            rule = "surname_in_article"
            if not fitting and len(name_parts(name)) == 1:
                fitting = [n for n in full_names
                           if first_names(n) and given_match(first_names(n)[0], name_parts(name)[0])]
                rule = "given_name_in_article"
            if not fitting or not _one_person(fitting):
                continue
            if rule == "surname_in_article" and len(name_parts(name)) == 1:
                top = most_named.get(fold(name_parts(name)[0]))
                if top is not None and not any(first_names_compatible(top, n)[0] for n in fitting):
                    continue  # the corpus's best-known bearer of the surname is not the one named here
            candidates = [j for j in full if (items[j][1].name or "") in fitting]
            target = max((j for j in candidates if j <= i), default=candidates[0])
            if union.union(target, i) and len(name_parts(name)) == 1:
                evidence[i].append({"rule": rule, "doc": doc_id, "score": 1.0})
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
        names_here = sorted({n for (n, _), _ in variants})
        for x, ((name_a, country_a), members_a) in enumerate(variants):
            for (name_b, country_b), members_b in variants[x:]:
                ok, given = first_names_compatible(name_a, name_b)
                similarity = name_similarity(name_a, name_b)
                countries = {c for c in (country_a, country_b) if c}
                if not (ok and similarity >= MERGE_SIMILARITY and len(countries) <= 1
                        and surname_match(name_a, name_b)):
                    continue
                if given < 1.0 and not _one_person([n for n in names_here if first_names_compatible(
                        min(name_a, name_b, key=lambda n: len(first_names(n))), n)[0]]):
                    continue  # "Seif Kadhafi" fits "Seif al-Islam Kadhafi" and "Seif al-Arab Kadhafi"
                first = members_a[0]
                for j in (*members_a[1:], *members_b):
                    if union.union(first, j):
                        evidence[j].append({"rule": "transliteration_key", "key": key, "names": [name_a, name_b],
                                            "given_names": round(given, 3), "score": round(similarity * given, 3)})
    _names_without_surname(items, people, union, evidence)
    _lone_names(items, people, union, evidence, anchors)
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


def _retyped(items: list[tuple[str, Mention]]) -> list[tuple[str, Mention]]:
    """Types that hold across the corpus: a name the parse typed as a place or an organisation that is a
    person's name, given names or surname elsewhere in the corpus (and in no gazetteer) is a person;
    a name that a movement or party rule typed ORG is an organisation everywhere."""
    gaz = gazetteer()
    person_forms: set[str] = set()
    for _, m in items:
        if m.type == "PER" and m.name and m.kind in {"ner", "surname"}:
            parts = name_parts(m.name)
            person_forms.add(" ".join(parts))
            if len(parts) > 1:
                person_forms.add(parts[-1])
                if len(parts) > 2:
                    person_forms.add(" ".join(parts[:-1]))
    movements = {fold(m.name or m.text) for _, m in items if m.kind == "movement"}
    out: list[tuple[str, Mention]] = []
    for doc_id, m in items:
        name = m.name or m.text
        if m.kind == "ner" and m.type in {"LOC", "GPE", "ORG", "FAC"} and not m.alias_of and not name.isupper() \
                and " ".join(name_parts(name)) in person_forms and gaz.lookup(name) is None:
            m = replace(m, type="PER", kind="surname" if len(name_parts(name)) == 1 else "ner")
        elif m.type != "ORG" and m.kind == "ner" and fold(name) in movements:
            m = replace(m, type="ORG")
        out.append((doc_id, m))
    return out


_SMALL = frozenset("de du des d la le les l et en pour à au aux of the and for".split())


def _expansions(items: Sequence[tuple[str, Mention]], acronyms: Mapping[str, str]) -> dict[str, str]:
    """Acronyms used in the corpus and the one organisation name whose initials spell them
    ("OTAN" and "Organisation du traité de l'Atlantique Nord" in two articles), when only one
    name of three words or more fits."""
    used = {m.text.upper() for _, m in items if m.type == "ORG" and m.text.isupper() and 3 <= len(m.text) <= 8}
    initials: dict[str, set[str]] = defaultdict(set)
    for _, m in items:
        name = m.name or m.text
        if m.type != "ORG" or name.isupper():
            continue
        words = [w for w in re.split(r"[\s'’-]+", name) if w and fold(w) not in _SMALL]
        if len(words) >= 3:
            initials["".join(w[0].upper() for w in words)].add(name)
    return {acr: next(iter(names)) for acr, names in initials.items()
            if acr in used and acr not in acronyms and len(names) == 1}


def _most_named(items: Sequence[tuple[str, Mention]], people: Sequence[int]) -> dict[str, str]:
    """For each surname borne by several people of the corpus, the full name mentioned most often:
    a surname alone in an article that names another bearer may mean that one ("Kadhafi" in an
    article about his son), so it is left unresolved there."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for i in people:
        name = items[i][1].name or ""
        parts = name_parts(name)
        if len(parts) > 1:
            counts[parts[-1]][name] += 1
    out: dict[str, str] = {}
    for surname, names in counts.items():
        if not _one_person(list(names)):
            out[surname] = max(sorted(names), key=lambda n: names[n])
    return out


def _one_person(names: Sequence[str]) -> bool:
    """Whether names can all be one person's: every two have compatible given names."""
    distinct = sorted(set(names))
    return all(first_names_compatible(a, b)[0] for x, a in enumerate(distinct) for b in distinct[x + 1 :])


def _names_without_surname(items: Sequence[tuple[str, Mention]], people: Sequence[int], union: UnionFind,
                           evidence: dict[int, list[dict[str, object]]]) -> None:
    """A name that is another's given names without its surname ("Seif el-Islam" / "Seif el-Islam
    Kadhafi") joins it when that longer name is the only one it fits in the corpus."""
    longer: dict[str, list[int]] = defaultdict(list)
    for i in people:
        given = first_names(items[i][1].name or "")
        if len(given) >= 2:
            longer[given[0]].append(i)
    by_name: dict[str, list[int]] = defaultdict(list)
    for i in people:
        by_name[items[i][1].name or ""].append(i)
    for name, members in sorted(by_name.items()):
        parts = name_parts(name)
        if len(parts) < 2:
            continue
        fits = sorted({items[j][1].name or "" for first in longer for j in longer[first]
                       if len(first_names(items[j][1].name or "")) == len(parts)
                       and all(given_match(a, b) for a, b in zip(parts, first_names(items[j][1].name or ""),
                                                                  strict=True))})
        if not fits or not _one_person(fits):
            continue
        target = next(j for j in by_name[fits[0]])
        for i in members:
            if union.union(target, i):
                evidence[i].append({"rule": "name_without_surname", "names": [name, fits[0]], "score": 0.9})


def _lone_names(items: Sequence[tuple[str, Mention]], people: Sequence[int], union: UnionFind,
                evidence: dict[int, list[dict[str, object]]], anchors: Mapping[str, list[int]]) -> None:
    """A surname alone that its article left unresolved: the corpus's one person of that surname, or,
    when the corpus has several ("Kadhafi": a father and his sons), one entity for the surname alone
    in every article, flagged as unresolved (not a person merged with any of them)."""
    resolved = {union.find(i) for i in people if len(name_parts(items[i][1].name or "")) > 1}
    lone: dict[str, list[int]] = defaultdict(list)
    for i in people:
        name = items[i][1].name or ""
        if len(name_parts(name)) == 1 and union.find(i) not in resolved:
            lone[fold(name)].append(i)
    for word, members in sorted(lone.items()):
        key = next(iter(sorted(surname_keys(word))), "")
        bearers = sorted({items[j][1].name or "" for j in anchors.get(key, [])
                          if surname_match(items[j][1].name or "", word)})
        if not bearers:
            continue  # a single name that is nobody's surname in the corpus: left as it is
        if _one_person(bearers):
            target = next(j for j in anchors[key] if items[j][1].name == bearers[0])
            for i in members:
                if union.union(target, i):
                    evidence[i].append({"rule": "surname_in_corpus", "names": [word, bearers[0]], "score": 0.8})
            continue
        for i in members[1:]:
            if union.union(members[0], i):
                evidence[i].append({"rule": "ambiguous_surname", "names": [word, *bearers[:4]], "score": 0.5})


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
