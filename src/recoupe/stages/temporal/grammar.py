"""The patterns of time expressions, built from the lexicons of one language.

Each pattern is a compiled regular expression with named groups; the tagger turns a match of
pattern ``name`` into a value with the handler of the same name. Patterns are general
calendar grammar (day month year, weekday, "hier", "fin juin", "pendant trois jours"...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from recoupe.lexicon import load

B = r"(?<![\w\-’'])"
E = r"(?![\w])"


def _alt(words: Any) -> str:
    """Regex alternation of words (longest first), spaces and apostrophes made flexible."""
    out = []
    for word in sorted(set(words), key=len, reverse=True):
        escaped = re.sub(r"['’]", "['’]", re.escape(word).replace(r"\ ", r"\s+"))
        out.append(escaped)
    return "(?:" + "|".join(out) + ")"


@dataclass(frozen=True, slots=True)
class Lexicon:
    lang: str
    months: dict[str, int]
    weekdays: dict[str, int]
    relative_days: dict[str, int]
    anaphoric_days: dict[str, int]
    event_days: dict[str, int]
    parts_of_day: dict[str, str]
    seasons: dict[str, str]
    units: dict[str, str]
    period_nouns: dict[str, str]
    numbers: dict[str, float]
    vague: tuple[str, ...]
    approximators: tuple[str, ...]
    past_markers: frozenset[str]
    future_markers: frozenset[str]
    modifiers: dict[str, str]
    refs: dict[str, str]
    set_words: dict[str, str]
    set_quantifiers: tuple[str, ...]
    planning_verbs: frozenset[str]

    def key(self, text: str) -> str:
        """Lookup key of a matched word: lower-cased, one space, straight apostrophe."""
        return " ".join(text.lower().replace("’", "'").split())


@cache
def lexicon(lang: str) -> Lexicon:
    data = load("temporal")[lang]
    cal = load("calendar")
    months = {k.replace("’", "'"): v for k, v in cal["months"][lang].items()}
    refs = {w: "PRESENT_REF" for w in data["present_ref"]}
    refs.update({w: "PAST_REF" for w in data["past_ref"]})
    refs.update({w: "FUTURE_REF" for w in data["future_ref"]})

    def folded(table: dict[str, Any]) -> dict[str, Any]:
        return {" ".join(k.lower().replace("’", "'").split()): v for k, v in table.items()}

    return Lexicon(
        lang=lang, months=folded(months), weekdays=folded(cal["weekdays"][lang]),
        relative_days=folded(data["relative_days"]), anaphoric_days=folded(data["anaphoric_days"]),
        event_days=folded(data["event_days"]),
        parts_of_day=folded(data["parts_of_day"]), seasons=folded(data["seasons"]), units=folded(data["units"]),
        period_nouns=folded({k: v for k, v in data["period_nouns"].items() if v}),
        numbers=folded(data["numbers"]), vague=tuple(data["vague_quantities"]),
        approximators=tuple(data["approximators"]), past_markers=frozenset(data["past_markers"]),
        future_markers=frozenset(data["future_markers"]), modifiers=folded(data["modifiers"]),
        refs=folded(refs), set_words=folded(data["set_words"]), set_quantifiers=tuple(data["set_quantifiers"]),
        planning_verbs=frozenset(data["planning_verbs"]),
    )


def is_abbreviation(month: str) -> bool:
    """"janv", "sept", "Dec" are abbreviations; "mai", "juin", "mars", "août", "May", "June" are names."""
    return len(month) <= 4 and month not in {"mai", "juin", "mars", "août", "aout", "may", "june", "july"}


@cache
def patterns(lang: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(handler name, compiled pattern) in priority order (earlier wins ties of equal length)."""
    lx = lexicon(lang)
    full = [m for m in lx.months if not is_abbreviation(m)]
    short = [m for m in lx.months if is_abbreviation(m)]
    # Only an abbreviation takes a full stop ("janv."); a sentence's full stop after "juin" is not the month's.
    month = f"(?:{_alt(full)}|{_alt(short)}\\.?)"
    weekday = _alt(lx.weekdays)
    if lang == "en":
        # English month and weekday names are capitalised; "may", "march", "sun" are words too.
        month = f"(?-i:{_alt(w.capitalize() for w in full)}|{_alt(w.capitalize() for w in short)}\\.?)"
        weekday = "(?-i:" + _alt(w.capitalize() for w in lx.weekdays) + r")s?"
    day = r"(?:1er|1st|2nd|3rd|[23]?1st|[2]?2nd|[2]?3rd|premier|[12]\d|3[01]|0?[1-9])(?:th|er)?"
    year4 = r"(?:1[5-9]\d\d|20\d\d|21\d\d)"
    year2 = r"(?:['’]\d\d|\d\d(?!\d|[,.:]\d|\s*h\b))"
    number = r"(?:\d+(?:[.,]\d+)?|" + _alt(lx.numbers) + r")"
    unit = _alt(lx.units)
    pod = _alt(lx.parts_of_day)
    past = _alt(lx.past_markers)
    future = _alt(lx.future_markers)
    direction = rf"(?P<dir>{past}|{future})"
    mods = _alt(lx.modifiers)
    season = _alt(lx.seasons)
    rel = _alt(lx.relative_days)
    anaph = _alt(lx.anaphoric_days)
    approx = _alt(lx.approximators)
    vague = _alt(lx.vague)
    setq = _alt(lx.set_quantifiers)
    refs = _alt(lx.refs)
    setw = _alt(lx.set_words)
    clock = r"(?P<h>[01]?\d|2[0-3])\s*h(?:eures?)?(?:\s*(?P<min>[0-5]\d))?(?![\w])"
    if lang == "en":
        clock = (r"(?P<h>[01]?\d|2[0-3])(?::(?P<min>[0-5]\d))?\s*(?P<ampm>(?-i:a\.m\.|p\.m\.|am|pm|AM|PM))"
                 r"|(?P<h24>[01]?\d|2[0-3]):(?P<min24>[0-5]\d)(?!\d)")
    det_fr = r"(?:(?P<det>le|ce|the|this)\s+)?"
    raw: list[tuple[str, str]] = [
        ("range_dm", rf"{B}(?:(?:du|entre\s+le|les|from|between)\s+)?(?P<d1>{day})\s*(?:-|–|au|et|à|to|and)\s*"
                     rf"(?:le\s+)?(?P<d>{day})\s+(?P<m>{month})(?:\s+(?P<y>{year4}))?{E}"),
        ("range_md", rf"{B}(?P<m>{month})\s+(?P<d1>{day})\s*(?:-|–|to|and)\s*(?P<d>{day}),?(?:\s+(?P<y>{year4}))?{E}"),
        ("dm", rf"{B}{det_fr}(?:(?P<wd>{weekday}),?\s+)?(?:the\s+)?(?P<d>{day})\s+(?:of\s+)?(?P<m>{month})"
               rf"(?:,?\s+(?P<y>{year4}|{year2}))?(?:\s+{direction})?{E}"),
        ("md", rf"{B}(?:(?P<wd>{weekday}),?\s+)?(?P<m>{month})\s+(?P<d>{day})(?:,?\s+(?P<y>{year4}))?{E}"),
        ("numeric", rf"{B}(?P<d>[0-3]?\d)[/.](?P<mo>[01]?\d)[/.](?P<y>{year4}|\d\d){E}"),
        ("iso", rf"{B}(?P<y>{year4})-(?P<mo>[01]\d)-(?P<d>[0-3]\d)(?:[T ](?P<h>[0-2]\d):(?P<min>[0-5]\d))?{E}"),
        ("my", rf"{B}(?:(?P<mod>{mods})(?:\s+|-)?(?:(?:du|de|d['’]|of)\s*)?(?:mois\s+(?:de\s+|d['’]))?)?"
               rf"(?:(?:le\s+)?mois\s+(?:de\s+|d['’]))?(?P<m>{month})(?:,?\s+(?P<y>{year4}|{year2}))?"
               rf"(?:\s+{direction})?{E}"),
        ("decade", rf"{B}(?:(?:les|the)\s+)?(?:années\s+|ann[ée]es\s+)(?P<dec>(?:1[5-9]|20)?\d0)['’]?s?{E}"
                   rf"|{B}(?:the\s+)?(?P<dec2>(?:1[5-9]|20)\d0)['’]?s{E}"),
        ("century", rf"{B}(?:(?:le|au|du|the)\s+)?(?P<c>[XVI]{{1,5}}|\d{{1,2}})(?:e|ème|è|th|st|nd|rd)\s+(?:siècle|century){E}"),
        ("year", rf"{B}(?:(?P<mod>{mods})\s+(?:de\s+|d['’]|of\s+)?(?:l['’]année\s+|the\s+year\s+)?)?"
                 rf"(?:(?P<lead>l['’]année|l['’]an|the\s+year)\s+)?(?P<y>{year4}){E}"),
        ("relday", rf"{B}(?P<r>{rel})(?:,?\s+(?P<wd>{weekday}))?(?:\s+(?P<dd>{day})\s+(?P<dm>{month}))?"
                   rf"(?:\s+(?P<pod>{pod}))?(?:\s+(?:à|at)\s+{clock})?{E}"),
        ("anaphoric", rf"{B}(?P<a>{anaph})(?:\s+(?P<pod>{pod}))?{E}"
                      rf"|{B}(?:le|la|the\s+same)\s+(?P<pod2>{pod})\s+(?:même|itself){E}"),
        ("weekday_range", rf"{B}(?:(?:du|entre|from|between)\s+)?(?P<wd1>{weekday})\s+(?:et|au|à|and|to|-)\s+(?P<wd2>{weekday}){E}"),
        ("event_day", rf"{B}(?P<ev>{_alt(lx.event_days)})"),
        ("weekday", rf"{B}(?:(?P<det>dès\s+ce|ce\s+même|ce|le|cette|this|last|next|on)\s+)?(?P<wd>{weekday})"
                    rf"(?:\s+(?P<pod>{pod}))?(?:\s+{direction})?{E}"),
        ("set_q", rf"{B}(?P<q>{setq})\s+(?:(?P<n>{number})\s+)?(?P<u>{unit}|{weekday}s?|{pod}s?){E}"),
        ("set_w", rf"{B}(?P<w>{setw}){E}|{B}(?:par|per|a)\s+(?P<pu>jour|an|mois|semaine|day|year|month|week){E}"),
        ("relperiod", rf"{B}(?:(?P<mod>{mods})\s+(?:de\s+|d['’]|of\s+)?)?(?P<det>cette|ce|cet|la|le|l['’]|this|last|next|the)"
                      rf"\s*(?P<u>semaine|mois|année|an|week-end|trimestre|semestre|décennie|siècle|"
                      rf"week|month|year|weekend|quarter|decade|century|{season})(?:-ci|-là)?"
                      rf"(?:\s+(?P<dir2>{past}|{future}|en\s+cours|dernier|prochain))?{E}"),
        ("this_pod", rf"{B}(?:ce|cette|cet|this)\s+(?P<pod>{pod})(?:-ci|-là)?{E}|{B}(?P<tonight>tonight){E}"),
        ("the_pod", rf"{B}(?:dans\s+)?(?:la|the)\s+(?P<pod>nuit|soirée|matinée|night|evening){E}"
                    rf"|{B}dans\s+la\s+(?P<pod2>journée){E}"),
        ("bare_season", rf"{B}(?P<s>printemps|automne|hiver|(?-i:Eté|Été|ÉTÉ|ETE)){E}"),
        ("season", rf"{B}(?:(?P<mod>{mods})\s+(?:de\s+|d['’])?)?(?:(?P<pre>en|au|à\s+l['’]|l['’]|in)\s*)(?P<s>{season})"
                   rf"(?:\s+(?P<y>{year4}))?{E}"),
        ("ago", rf"{B}(?:il\s+y\s+a|voici|voilà)\s+(?:(?P<approx>{approx})\s+)?(?P<n>{number}|{vague})\s+(?P<u>{unit}){E}"
                rf"|{B}(?P<n2>{number}|{vague})\s+(?P<u2>{unit})\s+(?:ago|earlier|before){E}"),
        ("in", rf"{B}(?:dans|d['’]ici|in)\s+(?:(?P<approx>{approx})\s+)?(?P<n>{number})\s+(?P<u>{unit}){E}"),
        ("duration", rf"{B}(?:(?P<approx>{approx})\s+)?(?P<n>{number}|{vague})\s+(?P<u>{unit}){E}"),
        ("hyphen_duration", rf"{B}(?P<n>{number})-(?P<u>{unit}){E}"),
        ("quarter", rf"{B}(?:(?:the|this|last|next|le|ce|au)\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|premier|deuxième|second|troisième|quatrième)[-\s](?:fiscal\s+)?(?:quarter|trimestre)(?:\s+(?:of\s+|de\s+)?(?P<y>{year4}))?{E}"),
        ("period_noun", rf"{B}(?P<p>{_alt(lx.period_nouns) if lx.period_nouns else '(?!)'}){E}"),
        ("time", rf"{B}(?:(?P<approx>vers|aux\s+alentours\s+de|autour\s+de|around|about)\s+)?{clock}"
                 rf"(?:\s+(?P<tz>locales?|GMT|UTC|heure\s+de\s+Paris))?"),
        ("noon", rf"{B}(?:(?P<approx>vers|around)\s+)?(?P<noon>midi|minuit|noon|midnight){E}"),
        ("ref", rf"{B}(?P<ref>{refs}){E}"),
    ]
    return tuple((name, re.compile(regex, re.IGNORECASE)) for name, regex in raw)
