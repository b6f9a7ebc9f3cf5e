"""Stated publication dates in bylines and metadata fields -> ISO 8601 at their own precision.

This is deliberately narrow: it reads explicit dates ("19 juillet 2022 - 18h20",
"12/03/2024", "2024-03-12T09:45:00+02:00", "March 12, 2024"). Relative expressions
("mardi", "hier") are the temporal stage's job; nothing here guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from recoupe.lexicon import month_pattern, months


@dataclass(frozen=True, slots=True)
class StatedDate:
    value: str  # ISO 8601: YYYY-MM-DD or YYYY-MM-DDTHH:MM
    start: int
    end: int


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    m = month_pattern()
    time = r"(?:\s*(?:,|à|a|at|-|–)?\s*(?P<H>[01]?\d|2[0-3])\s*[h:]\s*(?P<M>[0-5]\d))?"
    return (
        re.compile(
            r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?:[T ](?P<H>\d{2}):(?P<M>\d{2}))?",
        ),
        re.compile(rf"\b(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?P<mn>{m})\.?\s+(?P<y>\d{{4}})\b{time}", re.I),
        re.compile(rf"\b(?P<mn>{m})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b{time}", re.I),
        re.compile(rf"\b(?P<d>\d{{1,2}})[/.](?P<mo>\d{{1,2}})[/.](?P<y>\d{{4}})\b{time}"),
    )


def find_stated_date(text: str) -> StatedDate | None:
    """The first valid explicit calendar date in ``text`` (with its time when one follows)."""
    found: list[StatedDate] = []
    for pattern in _patterns():
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = int(parts["mo"]) if parts.get("mo") else months().get(parts["mn"].lower(), 0)
            try:
                day = date(int(parts["y"]), month, int(parts["d"]))
            except ValueError:
                continue
            value = day.isoformat()
            if parts.get("H") is not None and parts.get("M") is not None:
                value += f"T{int(parts['H']):02d}:{parts['M']}"
            found.append(StatedDate(value, match.start(), match.end()))
            break
    if not found:
        return None
    return min(found, key=lambda d: (d.start, -d.end))


def normalise_date_field(raw: str) -> str | None:
    """A metadata or JSONL date field -> ISO 8601 (local time as written, offset dropped)."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        stated = find_stated_date(raw)
        return stated.value if stated else None
    if len(raw) <= 10:
        return parsed.date().isoformat()
    return parsed.strftime("%Y-%m-%dT%H:%M")
