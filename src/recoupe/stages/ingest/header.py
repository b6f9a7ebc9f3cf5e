"""Metadata stated in a plain-text article: headline, byline/date line, dateline, credit line.

Press text files carry their metadata as lines: a headline, a line such as
``19 juillet 2022 - 18h20 - Monde - Ecrit par : P. A``, an uppercase dateline opening the
body (``RABAT:``), a credit line (``© Copyright <outlet>``), and share prompts naming the site
(``Suivez <site> sur ...``). These are general layout conventions of news pages, read by
shape; nothing here knows any outlet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from recoupe.model import Line, MetaLine
from recoupe.stages.ingest.dates import StatedDate, find_stated_date
from recoupe.stages.ingest.site import (
    agencies,
    copyright_holder,
    credit,
    name_like,
    outlet_from_cues,
    site_cues,
    wire_credit,
)

_SENTENCE_END = re.compile(r"[.…;,]\s*[»\"”’)]*\s*$")
_SEPARATORS = re.compile(r"\s+[-–—|•·]\s+")
_AUTHOR = re.compile(
    r"^(?:[ée]crit\s+par|r[ée]dig[ée]\s+par|publi[ée]\s+par|par|by|auteur|author|signé)\s*:?\s*(?P<name>.+)$",
    re.I,
)
_BYLINE_LEAD = re.compile(
    r"^(?:publi[ée]|mis\s+à\s+jour|mis\s+a\s+jour|modifi[ée]|actualis[ée]|posted|published|updated)\b",
    re.I,
)
# "Publié le 24 août 2011 à 12h06 - Mis à jour le ..." anywhere in a short line of the page's first screens.
_STAMP = re.compile(
    r"\b(?P<mark>publi[ée](?:\s+le)?|post[ée](?:\s+le)?|mis\s+[àa]\s+jour\s+le|actualis[ée]\s+le|modifi[ée]\s+le|"
    r"(?:first\s+)?published(?:\s+on)?|posted(?:\s+on)?|updated(?:\s+on)?|last\s+updated(?:\s+on)?)\s*:?\s*",
    re.I,
)
_UPDATE = re.compile(r"mis|actualis|modifi|updated", re.I)
_TIME = re.compile(r"^(?:[àa]\s+)?(?:[01]?\d|2[0-3])\s*[h:]\s*[0-5]\d(?:\s*(?:min|GMT|UTC).*)?$", re.I)
_DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\-]{2,}(?:[ \-][A-ZÀ-ÖØ-Þ'’.\-]{2,}){0,3})"
    r"\s*(?:\((?P<agency>[^)]{2,30})\))?\s*[:—–-]\s+\S"
)
_CREDIT = re.compile(
    r"^\s*(?:©|\(c\)|copyright\b)\s*(?:copyright\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<name>.*)$", re.I
)
_CREDIT_NOISE = re.compile(r"(?:tous droits réservés|all rights reserved|\d{4}|[.,;:|])", re.I)
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ0-9][\w'’.\-]*"
_FOLLOW = re.compile(
    r"\b(?i:suivez|rejoignez|retrouvez|follow)\s+"
    rf"(?P<name>[\w.\-]+\.[a-z]{{2,}}|{_NAME_WORD}(?:\s+(?:(?:de|des|du|la|le|les|et|of|the|and)\s+)?{_NAME_WORD}){{0,5}})"
    r"\s+(?i:sur|on)\b",
)


@dataclass(frozen=True, slots=True)
class Header:
    """Metadata read from the lines of a text, and which lines were consumed by it."""

    title: str | None = None
    author: str | None = None
    section: str | None = None
    outlet: str | None = None
    dateline: str | None = None
    agency: str | None = None
    published: str | None = None
    meta_lines: tuple[MetaLine, ...] = ()
    evidence: dict[str, str] = field(default_factory=dict)


def _words(text: str) -> int:
    return len(text.split())


def parse_byline(text: str) -> dict[str, str] | None:
    """Read a date/byline line; None unless it states a date and is shaped like a byline."""
    if _words(text) > 24:
        return None
    stated = find_stated_date(text)
    segments = [s.strip() for s in _SEPARATORS.split(text) if s.strip()]
    if stated is None:
        return _undated_byline(segments) if _words(text) <= 12 else None
    rest = (text[: stated.start] + text[stated.end :]).strip(" -–—|•·,")
    short_segments = len(segments) > 1 and all(_words(seg) <= 6 or _AUTHOR.match(seg) for seg in segments)
    led = _BYLINE_LEAD.match(text) and _words(rest) <= 8 and not _SENTENCE_END.search(text)
    if not (short_segments or led or _words(rest) <= 3):
        return None
    found: dict[str, str] = {"published": stated.value}
    for segment in segments:
        if find_stated_date(segment) or _TIME.match(segment):
            if "T" not in found["published"] and (time := _TIME.match(segment)):
                hm = re.findall(r"\d+", time.group(0))
                found["published"] += f"T{int(hm[0]):02d}:{hm[1]}"
            continue
        if author := _AUTHOR.match(segment):
            found["author"] = author.group("name").strip()
        elif _words(segment) <= 3 and segment[:1].isupper() and not _BYLINE_LEAD.match(segment):
            found.setdefault("section", segment)
    return found


def _undated_byline(segments: list[str]) -> dict[str, str] | None:
    """A byline with an author marker but no date ("Ecrit par : X - Section")."""
    author = _AUTHOR.match(segments[0]) if segments else None
    name = author.group("name").strip() if author else ""
    if not name or _words(name) > 5 or not name[:1].isupper() or (name.rstrip()[-1:] in ".,;" and len(name) > 4):
        return None
    found = {"author": name}
    if len(segments) > 1 and _words(segments[1]) <= 3 and segments[1][:1].isupper():
        found["section"] = segments[1]
    return found


@dataclass(frozen=True, slots=True)
class Stamp:
    """A publication stamp line: its dates, and what precedes it (an author, a credit)."""

    published: str | None  # None for a line that gives only an update date
    updated: str | None
    prefix: str


def parse_stamp(text: str) -> Stamp | None:
    """Read "Par X Publié le <date> à <time> - Mis à jour le <date>" (or its English forms).

    The publication date is the one after "Publié"/"Published"; an update date alone is not one.
    """
    if _words(text) > 45:
        return None
    published = updated = None
    first = None
    for mark in _STAMP.finditer(text):
        stated = find_stated_date(text[mark.end(): mark.end() + 60]) or _short_year(text[mark.end(): mark.end() + 30])
        if stated is None or stated.start > 3:
            continue
        first = mark.start() if first is None else first
        if _UPDATE.match(mark.group("mark")):
            updated = updated or stated.value
        else:
            published = published or stated.value
    if first is None:
        return None
    return Stamp(published, updated, text[:first].strip(" -–—|,"))


_SHORT_YEAR = re.compile(r"^(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{2})\b"
                         r"(?:\s*(?:à|a|at|-|,)?\s*(?P<H>[01]?\d|2[0-3])\s*[h:]\s*(?P<M>[0-5]\d))?")


def _short_year(text: str) -> StatedDate | None:
    """'17/04/11 à 18h16' right after a stamp mark: a two-digit year (00-68 -> 20xx, 69-99 -> 19xx, POSIX)."""
    match = _SHORT_YEAR.match(text.strip())
    if match is None:
        return None
    year = int(match["y"])
    try:
        day = date(2000 + year if year < 69 else 1900 + year, int(match["m"]), int(match["d"]))
    except ValueError:
        return None
    value = day.isoformat() + (f"T{int(match['H']):02d}:{match['M']}" if match["H"] else "")
    return StatedDate(value, 0, match.end())


def find_stamps(lines: tuple[Line, ...], screens: int = 120) -> list[tuple[Line, Stamp]]:
    """The stamp lines among the page's first ``screens`` lines (publication first, then updates)."""
    return [(line, stamp) for line in lines[:screens] if (stamp := parse_stamp(line.text)) is not None]


def _distinct_names(names: str) -> str:
    """'A et A' -> 'A': a byline listing one author twice (page templates do) names one author."""
    parts = [p.strip() for p in re.split(r"\s+(?:et|and|&)\s+|\s*,\s*", names) if p.strip()]
    unique = list(dict.fromkeys(parts))
    if len(unique) == len(parts):
        return names
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " et " + unique[-1]


def credit_name(text: str) -> str | None:
    """The outlet named by a credit line (``© Copyright Name``), if the line is one."""
    if _words(text) > 12:
        return None
    match = _CREDIT.search(text)
    if match is None:
        return None
    holder = copyright_holder(text)
    if holder is None:
        holder = " ".join(_CREDIT_NOISE.sub(" ", match.group("name")).split()).strip(" -–—")
    if not holder or len(holder.split()) > 4 or not name_like(holder) or holder.casefold() in agencies():
        return ""  # a credit line all the same, naming no site (or only a wire agency)
    return holder


def _is_headline(line: Line, following: Line | None, blank_after: bool, max_words: int) -> bool:
    if following is None or _SENTENCE_END.search(line.text) or _DATELINE.match(line.text):
        return False
    if _words(line.text) > max_words or len(line.text) > 250:
        return False
    return blank_after or parse_byline(following.text) is not None


def read_header(lines: tuple[Line, ...], blank_after: frozenset[int], *, has_title: bool = False,
                headline_max_words: int = 30) -> Header:
    """Find headline, byline, dateline, credit and site name among a text's lines.

    Args:
        lines: the non-empty lines, numbered as in the input.
        blank_after: numbers of lines followed by a blank line.
        has_title: the input already gave a title (JSONL, HTML); only a first line equal to
            it is consumed.
        headline_max_words: longest headline considered.
    """
    meta: list[MetaLine] = []
    found: dict[str, str] = {}
    evidence: dict[str, str] = {}
    index = 0
    if lines and not has_title and parse_byline(lines[0].text) is None:
        following = lines[1] if len(lines) > 1 else None
        if _is_headline(lines[0], following, lines[0].number in blank_after, headline_max_words):
            found["title"] = lines[0].text.strip()
            evidence["title"] = f"line {lines[0].number}: headline"
            meta.append(MetaLine(lines[0].number, "headline"))
            index = 1
    for line in lines[index : index + 3]:
        byline = parse_byline(line.text)
        if byline is not None:
            found.update({k: v for k, v in byline.items() if k not in found})
            for key in byline:
                evidence[key] = f"line {line.number}: {line.text.strip()}"
            meta.append(MetaLine(line.number, "byline"))
            index = lines.index(line) + 1
            break
    stamps = [] if "published" in found and "byline" in {m.reason for m in meta} else find_stamps(lines)
    bylines = {m.number for m in meta}
    for line, _ in stamps:
        if line.number not in bylines:
            meta.append(MetaLine(line.number, "byline"))
    dated = next(((line, stamp) for line, stamp in stamps if stamp.published), None)
    if "published" not in found and dated is not None:
        line, stamp = dated
        found["published"] = stamp.published or ""
        evidence["published"] = f"line {line.number}: {line.text.strip()}"
        prefix = stamp.prefix
        if prefix and (credited := credit(prefix)) is not None:
            found.setdefault("outlet", credited[0])
            evidence.setdefault("outlet", f"line {line.number}: credit '{prefix}'")
            found.setdefault("agency", credited[1][0])
        elif prefix and (author := _AUTHOR.match(prefix)) and "author" not in found:
            found["author"] = _distinct_names(author.group("name").strip())
            evidence["author"] = f"line {line.number}: {line.text.strip()}"
    body_start = next((ln for ln in lines[index:]), None)
    if body_start is not None and (dl := _DATELINE.match(body_start.text)):
        found["dateline"] = dl.group("place").strip()
        evidence["dateline"] = f"line {body_start.number}: {dl.group(0)[:-1].strip()}"
        if dl.group("agency"):
            found["agency"] = dl.group("agency").strip()
    for line in lines[index:]:
        name = credit_name(line.text)
        if name is not None:
            meta.append(MetaLine(line.number, "credit"))
            if name and "outlet" not in found:
                found["outlet"] = name
                evidence["outlet"] = f"line {line.number}: {line.text.strip()}"
    for line in lines:
        if line.number not in {m.number for m in meta} and (
                credit(line.text) is not None or wire_credit(line.text) is not None):
            meta.append(MetaLine(line.number, "credit"))
    if "outlet" not in found:
        for line in lines[index:]:
            follow = _FOLLOW.search(line.text)
            if follow and _words(line.text) <= 16:
                found["outlet"] = follow.group("name")
                evidence["outlet"] = f"line {line.number}: {line.text.strip()}"
                break
    if "outlet" not in found and (site := outlet_from_cues(site_cues(lines))) is not None:
        found["outlet"], evidence["outlet"] = site
    return Header(
        title=found.get("title"), author=found.get("author"), section=found.get("section"),
        outlet=found.get("outlet"), dateline=found.get("dateline"), agency=found.get("agency"),
        published=found.get("published"), meta_lines=tuple(sorted(meta, key=lambda m: m.number)),
        evidence=evidence,
    )
