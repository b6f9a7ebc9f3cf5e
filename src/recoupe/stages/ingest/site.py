"""The site a page comes from, read off its own chrome: credit lines, site labels, domain names.

Scraped pages rarely say "outlet: X", but their chrome does: a credit line ("X avec AFP",
"X - Reuters", "© X"), the labels of the site's menus ("Les sites du groupe X", "Services X",
"Suivez X"), its domain in an address line or a newsletter e-mail ("X.fr", "abonnements@x.fr").
Each cue gives a candidate name with a weight; candidates that are one name up to its article,
"groupe", spacing or a domain suffix are pooled, and the best-supported pool gives the outlet,
in the form that reads best. Body sentences never count: only short lines that are not prose.
The cue patterns and the wire agencies are general resources (``recoupe/data/press.toml``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from recoupe.lexicon import load
from recoupe.model import Line

_DOMAIN = re.compile(
    r"(?<![\w@.\-/])(?:www\.)?(?P<base>[A-Za-z][A-Za-z0-9\-]{1,30})\.(?P<tld>fr|com|net|org|info|be|ch|ca|lu|ma|dz|tn|"
    r"sn|ci|cm|co\.uk|uk|de|es|it|eu|news|tv)\b(?![\w.\-])"
)
_EMAIL = re.compile(r"\b[\w.+\-]+@(?:www\.)?(?P<base>[A-Za-z][A-Za-z0-9\-]{1,30})\.(?P<tld>[a-z]{2,6})\b")
_ARTICLE = re.compile(r"^(?:le|la|les|l['’]|the|groupe|group)\s*", re.I)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_TERMINAL = re.compile(r"[.!?;]\s*$")
_URLISH = re.compile(r"https?://|\bwww\.|\.(?:jpe?g|png|gif|webp)\b", re.I)


@dataclass(frozen=True, slots=True)
class SiteCue:
    """One piece of evidence of the page's site."""

    name: str
    weight: int
    line: int
    text: str
    kind: str  # credit | label | domain | email


_CREDIT_SEPARATOR = re.compile(r"\s+(?:avec|with|et|and)\s+|\s*[/|]\s*|\s+[-–—]\s+|\s*,\s*")


@cache
def _press() -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    data = load("press")
    agencies = frozenset(a.casefold() for a in data["agencies"])
    labels = tuple(re.compile(p, re.I) for p in data["site_labels"])
    return agencies, labels


def agencies() -> frozenset[str]:
    """Wire agency names, case-folded."""
    return _press()[0]


def split_agencies(text: str) -> list[str] | None:
    """The agencies of a credit's tail ("AFP et Reuters", "AFP/Reuters"), or None if one is not an agency."""
    parts = [p.strip(" .,") for p in re.split(r"\s+(?:et|and|avec|with)\s+|[,/&+]|\s[-–—]\s", text) if p.strip(" .,")]
    known = agencies()
    return parts if parts and all(p.casefold() in known for p in parts) else None


_WIRE_ONLY = re.compile(r"^\(?\s*(?:(?:avec|with|source|sources|d['’]après)\s*:?\s*)?(?P<wires>[^()]{2,80}?)\s*\)?\.?$",
                        re.I)
_GENERIC_WIRES = frozenset({"agences", "agencies", "agence", "wires"})


def wire_credit(text: str) -> list[str] | None:
    """A line that only credits wire agencies ("(Avec AFP, Reuters et AP)", "(AFP)", "Avec agences")."""
    stripped = " ".join(text.split())
    if len(stripped.split()) > 10:
        return None
    match = _WIRE_ONLY.match(stripped)
    if match is None or (stripped[:1] != "(" and not re.match(r"(?:avec|with|source)", stripped, re.I)):
        return None
    wires = match.group("wires")
    if wires.casefold() in _GENERIC_WIRES:
        return [wires]
    return split_agencies(wires)


def credit(text: str) -> tuple[str, list[str]] | None:
    """A credit line "Site avec AFP" / "Site - Reuters" -> (site, agencies), else None."""
    stripped = " ".join(text.split())
    if len(stripped.split()) > 10:
        return None
    stripped = re.sub(r"^(?:par|by)\s+", "", stripped, flags=re.I)
    for separator in _CREDIT_SEPARATOR.finditer(stripped):
        name = stripped[: separator.start()].strip(" -–—,")
        wires = split_agencies(stripped[separator.end():])
        if wires and name_like(name) and not _person_like(name) and name.casefold() not in agencies():
            return name, wires
    return None


_LEADING_ARTICLE = re.compile(r"^(?:le|la|les|l['’]|the)\s*(?=\S)", re.I)


def name_like(name: str) -> bool:
    """A site's name: at most five words, capitalised (after an article: "le Point")."""
    words = name.split()
    bare = _LEADING_ARTICLE.sub("", name)
    return 0 < len(words) <= 5 and (bare[:1].isupper() or bare[:1].isdigit())


def _person_like(name: str) -> bool:
    """A journalist's name ("Jean Dupont"): two to four capitalised words, no article, no digit.

    A credit "Jean Dupont - AFP" is a byline; "Le Journal avec AFP" or "Journal - AFP" names a site.
    """
    words = name.split()
    return (2 <= len(words) <= 4 and not _LEADING_ARTICLE.match(name) and not any(c.isdigit() for c in name)
            and all(w[:1].isupper() for w in words))


def skeleton(name: str) -> str:
    """A name reduced for pooling: no accents, case, article, 'groupe', domain suffix or spacing."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold().strip()
    folded = re.sub(r"^(?:www\.)", "", folded)
    folded = re.sub(r"\.(?:fr|com|net|org|info|be|ch|ca|lu|ma|dz|tn|sn|ci|cm|co\.uk|uk|de|es|it|eu|news|tv)$", "",
                    folded)
    previous = None
    while previous != folded:
        previous = folded
        folded = _ARTICLE.sub("", folded)
    return re.sub(r"[\W_]+", "", folded)


def _from_domain(base: str) -> str:
    """'LePoint' -> 'Le Point'; 'lemonde' stays 'lemonde' (no case to split on)."""
    spaced = _CAMEL.sub(" ", base)
    return spaced if spaced != base else base


_COPYRIGHT = re.compile(
    r"(?:©|\(c\)\s|\bcopyright\b)\s*(?:copyright\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<rest>.*)$", re.I
)
_NAME_END = re.compile(r"\s+[-–—|]\s+|[|;,(]|\.\s|\s+(?:tous droits|all rights|site édité|édité par|published by|"
                       r"reproduction|inc\b|ltd\b|s\.a\.)", re.I)


def copyright_holder(text: str, max_words: int = 30) -> str | None:
    """The name after a copyright mark anywhere in a line ("... © Copyright Name - ..."), if name-like."""
    if len(text.split()) > max_words:
        return None
    match = _COPYRIGHT.search(text)
    if match is None:
        return None
    rest = match.group("rest")
    if _URLISH.search(text) or any(w.casefold() in agencies() for w in re.findall(r"[\w\-]+", rest)):
        return None  # a photo credit ("© Name / Agency"), a caption: not the page's site
    cut = _NAME_END.search(rest)
    name = (rest[: cut.start()] if cut else rest).strip(" .-–—")
    name = re.sub(r"\s+(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?$", "", name)
    return name if name_like(name) else None


def site_cues(lines: Sequence[Line], max_words: int = 12) -> list[SiteCue]:
    """Every cue of the page's site among its short, non-prose lines."""
    found: list[SiteCue] = []
    _, labels = _press()
    for line in lines:
        text = " ".join(line.text.split())
        words = len(text.split())
        if (holder := copyright_holder(text)) is not None:
            found.append(SiteCue(holder, 3, line.number, text, "copyright"))
            continue
        if not text or words > max_words:
            continue
        sentence = bool(_TERMINAL.search(text)) and words > 6
        if (given := credit(text)) is not None:
            byline = bool(re.match(r"(?:par|by)\s", text, re.I))
            found.append(SiteCue(given[0], 2 if byline else 3, line.number, text, "credit"))
            continue
        if not sentence:
            for pattern in labels:
                match = pattern.match(text)
                if match and name_like(match.group("name")) and match.group("name").casefold() not in agencies():
                    found.append(SiteCue(match.group("name"), 1, line.number, text, "label"))
                    break
        for match in _EMAIL.finditer(text):
            found.append(SiteCue(match.group("base"), 1, line.number, text, "email"))
        if not sentence:
            for match in _DOMAIN.finditer(text):
                found.append(SiteCue(_from_domain(match.group("base")) + "." + match.group("tld"), 1,
                                     line.number, text, "domain"))
    return found


def _display(names: Sequence[str]) -> str:
    """The form of a pooled name that reads best: spaced and capitalised, without a domain suffix."""
    def rank(name: str) -> tuple[int, int, int, int]:
        bare = re.sub(r"\.[a-z.]{2,6}$", "", name)
        return (int(bare == name), int(" " in bare.strip()), int(bare[:1].isupper()), -len(bare))

    best = max(names, key=rank)
    best = re.sub(r"\.[a-z.]{2,6}$", "", best) if "." in best else best
    best = re.sub(r"^(?:groupe|group)\s+", "", best, flags=re.I)
    return best[:1].upper() + best[1:]


def outlet_from_cues(cues: Sequence[SiteCue]) -> tuple[str, str] | None:
    """(outlet, evidence) from the best-supported pool of cues, or None when there are none."""
    domains = {skeleton(c.name) for c in cues if c.kind == "domain"}
    if len(domains) > 2:  # a list of sites (partners, promotions): not the page's own
        cues = [c for c in cues if c.kind != "domain"]
    pools: dict[str, list[SiteCue]] = {}
    for cue in cues:
        key = skeleton(cue.name)
        if len(key) >= 2:
            pools.setdefault(key, []).append(cue)
    if not pools:
        return None
    # a domain named once, with nothing else for it, may be anyone's (a partner, a promotion)
    pools = {k: v for k, v in pools.items() if len(v) >= 2 or v[0].kind != "domain"}
    if not pools:
        return None
    key, members = max(pools.items(), key=lambda kv: (sum(c.weight for c in kv[1]), -kv[1][0].line))
    name = _display([c.name for c in members])
    shown = "; ".join(f"line {c.line}: {c.text}" for c in members[:3])
    return name, f"site chrome ({len(members)} cue{'s' if len(members) > 1 else ''}): {shown}"
