"""Find time expressions and resolve them against the document date and the text's own anchors.

Matching is regex grammar (``grammar.py``) over the raw text; overlapping matches keep the
longest. Resolution walks the expressions in text order: deictic words ("hier", "mardi",
"la semaine prochaine") resolve against the document date, in the direction the clause's tense
gives (past: the latest one at or before it; future: the next one); anaphoric ones ("la veille",
a bare clock time "18 h") against the last day the text named. Nothing is invented: without a
document date a relative expression keeps an unresolved value (``XXXX-XX-XX``) and no interval.

dateparser is not used here: it misses "fin juin", "au début de cette année", "mardi dernier",
"l'an dernier", fills missing days from the clock and ignores weekday/date conflicts
(``../shared/docs/dependencies.md``); these rules cover those cases and keep exact offsets.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from recoupe.model import DocId, Span, StageId, Tense, TimeExpr, TimexType
from recoupe.stages.temporal import calendar as cal
from recoupe.stages.temporal.grammar import Lexicon, is_abbreviation, lexicon, patterns

STAGE_ID = StageId("temporal.rules.v1")
TenseOf = Callable[[int, int], Tense | None]

# Prepositions a pattern reads for direction but that are not part of the expression.
_LEADING = re.compile(r"(?:dès|depuis|from|since)\s+(?=\S)", re.I)
_AGE = re.compile(
    r"(?:\b(?!terme|bout|cours|issue|suite|espace|durée|période|plus|moins|près|fin|début|peine|delà|lors)[^\W\d_]+\s+de"
    r"|\bâgée?s?\s+de|\baged|[^\W\d_],)\s*$",
    re.I,
)
_DETERMINER = re.compile(
    r"(?:\b(?:le|les|des|du|un|aux|ce|ces|son|ses|leur|leurs|notre|nos|the|a)|\bde)\s+(?:\w+\s+)?$", re.I
)
_NEXT_WORD = re.compile(r"\s*([^\W\d_]+)")
# Words that may follow a year; any other lower-case word after a bare 4-digit number makes it a
# quantity ("2000 personnes"), not a year.
_YEAR_FOLLOWERS = frozenset(
    "et à au aux en avec pour dans par sur puis qui que qu lors alors contre ou mais il elle ils elles on le la les "
    "l un une des du de d ce cette ces son sa ses leur leurs a avait ont est était sont se s n ne y après avant "
    "depuis jusqu déjà aussi encore seulement où dont comme selon entre vers chez sans sous lorsque quand tandis "
    "soit c j nous vous avaient fut furent avaient sera seront and in on the to of at for with when while after "
    "before by as was were is are has had have it he she they we but or that which who".split()
)


@dataclass(frozen=True, slots=True)
class _Value:
    type: TimexType
    value: str
    start: date | None = None
    end: date | None = None
    granularity: str = "day"
    mod: str | None = None
    anchor: str = "absolute"
    note: str | None = None


class _Context:
    def __init__(self, lx: Lexicon, ref: date | None, tense: TenseOf | None) -> None:
        self.lx = lx
        self.ref = ref
        self.tense_of = tense
        self.last_day: date | None = None

    def direction(self, explicit: str | None, start: int, end: int, tense: Tense | None) -> int | None:
        if explicit:
            word = self.lx.key(explicit)
            if word in self.lx.past_markers or word in {"last", "past", "previous", "dernier"}:
                return -1
            if word in self.lx.future_markers or word in {"next", "coming", "prochain"}:
                return 1
        if tense == "past":
            return -1
        if tense == "future":
            return 1
        return None


def _number(lx: Lexicon, text: str) -> float | None:
    text = lx.key(text)
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return lx.numbers.get(text)


def _day(text: str) -> int:
    digits = re.match(r"\d+", text)
    return int(digits.group(0)) if digits else 1


def _month(lx: Lexicon, text: str) -> int:
    return lx.months[lx.key(text).rstrip(".")]


def _fmt_num(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


_UNIT_VALUE = {"S": ("T", "S", 1), "MIN": ("T", "M", 1), "H": ("T", "H", 1), "D": ("", "D", 1), "W": ("", "W", 1),
               "M": ("", "M", 1), "Y": ("", "Y", 1), "DE": ("", "Y", 10), "CE": ("", "Y", 100), "Q": ("", "M", 3),
               "HY": ("", "M", 6), "WE": ("", "WE", 1)}


def duration_value(n: float | None, unit: str) -> str:
    """TimeML duration: ``P3D``, ``PT2H``, ``P10Y`` (a decade), ``PXM`` for a vague count."""
    t, letter, factor = _UNIT_VALUE[unit]
    amount = "X" if n is None else _fmt_num(n * factor)
    return f"P{t}{amount}{letter}"


def _shift(day: date, n: int, unit: str) -> tuple[str, date, date, str]:
    """Day ``n`` units away (n may be negative) -> (value, start, end, granularity)."""
    t, letter, factor = _UNIT_VALUE[unit]
    if letter == "D" or t == "T":
        target = day + timedelta(days=n if letter == "D" else 0)
        return target.isoformat(), target, target, "day"
    if letter in {"W", "WE"}:
        target = day + timedelta(weeks=n)
        start, end = cal.week_interval(target)
        return cal.iso_week(target), start, end, "week"
    if letter == "M":
        target = cal.add_months(day, n * factor)
        start, end = cal.month_interval(target.year, target.month)
        return f"{target.year}-{target.month:02d}", start, end, "month"
    year = day.year + n * factor
    start, end = cal.year_interval(year)
    return str(year), start, end, "year"


class _Handlers:
    """One method per grammar pattern: a regex match -> a value, or None to drop the match."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.lx = ctx.lx

    def _date(self, day: date, anchor: str = "absolute", note: str | None = None) -> _Value:
        return _Value("DATE", day.isoformat(), day, day, "day", anchor=anchor, note=note)

    def _resolve_dm(self, g: dict[str, str | None], tense: Tense | None, m: re.Match[str]) -> tuple[int | None, str]:
        ref = self.ctx.ref
        month, day = _month(self.lx, g["m"] or ""), _day(g["d"] or "")
        if g.get("y"):
            y = g["y"] or ""
            year = int(y.strip("'’")) if len(y.strip("'’")) == 4 else None
            if year is None:
                base = ref or date(2000, 1, 1)
                year = cal.two_digit_year(base, int(y.strip("'’")))
            return year, "absolute"
        if ref is None:
            return None, "none"
        direction = self.ctx.direction(g.get("dir"), m.start(), m.end(), tense)
        return cal.day_month_year(ref, month, day, direction), "document"

    def dm(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        g = m.groupdict()
        month, day = _month(self.lx, g["m"]), _day(g["d"])
        year, anchor = self._resolve_dm(g, tense, m)
        if year is None:
            return _Value("DATE", f"XXXX-{month:02d}-{day:02d}", granularity="day", anchor="none")
        try:
            found = date(year, month, day)
        except ValueError:
            return None
        note = None
        if g.get("wd") and self.lx.weekdays[self.lx.key(g["wd"]).rstrip("s")] != found.weekday():
            note = f"weekday '{g['wd']}' does not fall on {found.isoformat()}"
        return self._date(found, anchor, note)

    md = dm

    def range_dm(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        g = m.groupdict()
        month, first, last = _month(self.lx, g["m"]), _day(g["d1"]), _day(g["d"])
        if first >= last:
            return None
        year, anchor = self._resolve_dm(g, tense, m)
        if year is None:
            return _Value("DATE", f"XXXX-{month:02d}-{first:02d}/XXXX-{month:02d}-{last:02d}", anchor="none")
        try:
            a, b = date(year, month, first), date(year, month, last)
        except ValueError:
            return None
        return _Value("DATE", f"{a.isoformat()}/{b.isoformat()}", a, b, "day", anchor=anchor)

    range_md = range_dm

    def numeric(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        g = m.groupdict()
        y = int(g["y"]) if len(g["y"]) == 4 else cal.two_digit_year(self.ctx.ref or date(2000, 1, 1), int(g["y"]))
        try:
            return self._date(date(y, int(g["mo"]), int(g["d"])))
        except ValueError:
            return None

    def iso(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        g = m.groupdict()
        try:
            day = date(int(g["y"]), int(g["mo"]), int(g["d"]))
        except ValueError:
            return None
        if g.get("h"):
            return _Value("TIME", f"{day.isoformat()}T{g['h']}:{g['min']}", day, day, "time")
        return self._date(day)

    def my(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        g = m.groupdict()
        word = self.lx.key(g["m"])
        if word.rstrip(".") not in self._full_months() and not g.get("y") and not word.endswith("."):
            return None  # a bare abbreviation ("sept", "mar") is too often another word
        month = _month(self.lx, g["m"])
        mod = self.lx.modifiers.get(self.lx.key(g["mod"]).rstrip("- ")) if g.get("mod") else None
        ref = self.ctx.ref
        anchor = "absolute"
        if g.get("y"):
            y = g["y"].strip("'’")
            year = int(y) if len(y) == 4 else cal.two_digit_year(ref or date(2000, 1, 1), int(y))
        elif ref is None:
            return _Value("DATE", f"XXXX-{month:02d}", granularity="month", mod=mod, anchor="none")
        else:
            year = cal.month_year(ref, month, self.ctx.direction(g.get("dir"), m.start(), m.end(), tense))
            anchor = "document"
        start, end = cal.month_interval(year, month, mod)
        return _Value("DATE", f"{year}-{month:02d}", start, end, "month", mod, anchor)

    def _full_months(self) -> set[str]:
        return {k for k in self.lx.months if not is_abbreviation(k)}

    def decade(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        dec = m.group("dec") or m.group("dec2")
        prefix = dec[:3] if len(dec) == 4 else ("19" + dec[0])
        first = int(prefix) * 10
        return _Value("DATE", f"{prefix}X", date(first, 1, 1), date(first + 9, 12, 31), "decade")

    def century(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        raw = m.group("c")
        number = int(raw) if raw.isdigit() else _roman(raw)
        if not 1 <= number <= 22:
            return None
        first = (number - 1) * 100
        return _Value("DATE", f"{number - 1:02d}", date(max(first, 1), 1, 1), date(first + 99, 12, 31), "century")

    def year(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        g = m.groupdict()
        if not g.get("lead") and not g.get("mod") and not _plausible_year(m):
            return None
        year = int(g["y"])
        mod = self.lx.modifiers.get(self.lx.key(g["mod"])) if g.get("mod") else None
        start, end = cal.year_interval(year, mod)
        return _Value("DATE", str(year), start, end, "year", mod)

    def relday(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        g = m.groupdict()
        ref = self.ctx.ref
        if ref is None:
            return _Value("DATE", "XXXX-XX-XX", anchor="none")
        day = ref + timedelta(days=self.lx.relative_days[self.lx.key(g["r"])])
        return self._with_time(day, g, "document")

    def _with_time(self, day: date, g: dict[str, str | None], anchor: str) -> _Value:
        if g.get("h") is not None:
            return _Value("TIME", f"{day.isoformat()}T{int(g['h'] or 0):02d}:{g.get('min') or '00'}", day, day, "time",
                          anchor=anchor)
        pod = g.get("pod") or g.get("pod2")
        if pod:
            code = self.lx.parts_of_day[self.lx.key(pod)]
            suffix = code if code.startswith("T") else f"T{code}"
            return _Value("TIME", f"{day.isoformat()}{suffix}", day, day, "time", anchor=anchor)
        return self._date(day, anchor)

    def anaphoric(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        g = m.groupdict()
        base = self.ctx.last_day or self.ctx.ref
        if base is None:
            return _Value("TIME" if g.get("pod") or g.get("pod2") else "DATE", "XXXX-XX-XX", anchor="none")
        offset = self.lx.anaphoric_days.get(self.lx.key(g["a"]), 0) if g.get("a") else 0
        return self._with_time(base + timedelta(days=offset), g, "previous")

    def weekday_range(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        """"lundi et mardi": consecutive days ending (past) or starting (future) nearest the document date."""
        def weekday(word: str) -> int:
            key = self.lx.key(word)
            return self.lx.weekdays.get(key, self.lx.weekdays.get(key.rstrip("s"), 0))

        first, last = weekday(m.group("wd1")), weekday(m.group("wd2"))
        ref = self.ctx.ref
        if ref is None:
            return _Value("DATE", f"XXXX-WXX-{first + 1}/XXXX-WXX-{last + 1}", anchor="none")
        direction = self.ctx.direction(None, m.start(), m.end(), tense)
        length = (last - first) % 7
        if direction is not None and direction > 0:
            start = cal.weekday_date(ref, first, 1)
            end = start + timedelta(days=length)
        else:
            end = cal.weekday_date(ref, last, -1)
            start = end - timedelta(days=length)
        return _Value("DATE", f"{start.isoformat()}/{end.isoformat()}", start, end, "day", anchor="document")

    def event_day(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        # "au lendemain de l'annonce": a day relative to an event, unknown until the event is dated.
        return _Value("DATE", "XXXX-XX-XX", anchor="none")

    def weekday(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        g = m.groupdict()
        ref = self.ctx.ref
        wd = self.lx.weekdays[self.lx.key(g["wd"]).rstrip("s") if self.lx.lang == "en" else self.lx.key(g["wd"])]
        det = self.lx.key(g["det"]) if g.get("det") else ""
        if det == "ce même" and self.ctx.last_day is not None:
            return self._with_time(self.ctx.last_day, g, "previous")
        if ref is None:
            return _Value("DATE", f"XXXX-WXX-{wd + 1}", anchor="none")
        explicit = g.get("dir") or (det if det in {"last", "next"} else None)
        direction = self.ctx.direction(explicit, m.start(), m.end(), tense)
        if det == "dès ce":
            direction = 1
        if explicit and direction is not None:
            day = cal.weekday_date(ref + timedelta(days=direction), wd, direction)
        else:
            day = cal.weekday_date(ref, wd, direction if direction is not None else -1)
        return self._with_time(day, g, "document")

    def set_q(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        g = m.groupdict()
        unit = self.lx.key(g["u"])
        n = _number(self.lx, g["n"]) if g.get("n") else 1.0
        if unit in self.lx.units:
            return _Value("SET", duration_value(n, self.lx.units[unit]), granularity="set", anchor="none")
        stripped = unit.rstrip("s")
        if stripped in self.lx.weekdays or unit in self.lx.weekdays:
            wd = self.lx.weekdays.get(unit, self.lx.weekdays.get(stripped, 0))
            return _Value("SET", f"XXXX-WXX-{wd + 1}", granularity="set", anchor="none")
        code = self.lx.parts_of_day.get(unit) or self.lx.parts_of_day.get(stripped)
        if code:
            return _Value("SET", code if code.startswith("T") else f"T{code}", granularity="set", anchor="none")
        return None

    def set_w(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        if m.group("w") and _DETERMINER.search(m.string[max(0, m.start() - 12) : m.start()]):
            return None  # "le quotidien", "les quotidiens": the noun (a newspaper), not a frequency
        if m.group("w"):
            return _Value("SET", self.lx.set_words[self.lx.key(m.group("w"))], granularity="set", anchor="none")
        unit = {"jour": "P1D", "day": "P1D", "an": "P1Y", "year": "P1Y", "mois": "P1M", "month": "P1M",
                "semaine": "P1W", "week": "P1W"}[self.lx.key(m.group("pu"))]
        return _Value("SET", unit, granularity="set", anchor="none")

    def relperiod(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        g = m.groupdict()
        det = self.lx.key(g["det"]).replace("’", "'")
        unit = self.lx.key(g["u"])
        marker = g.get("dir2")
        mod = self.lx.modifiers.get(self.lx.key(g["mod"])) if g.get("mod") else None
        deictic = det in {"cette", "ce", "cet", "this"} or m.group(0).lower().endswith("-ci")
        if not deictic and not marker and det not in {"last", "next"}:
            return None
        offset = 0
        if marker and not self.lx.key(marker).startswith("en cours"):
            offset = -1 if self.ctx.direction(marker, 0, 0, None) == -1 else 1
        elif det in {"last", "next"}:
            offset = -1 if det == "last" else 1
        ref = self.ctx.ref
        if ref is None:
            return _Value("DATE", "XXXX", anchor="none", granularity="year", mod=mod)
        if unit in self.lx.seasons:
            code = self.lx.seasons[unit]
            year = ref.year + offset
            if offset == -1 and cal.season_interval(ref.year, code)[1] < ref:
                year = ref.year
            start, end = cal.season_interval(year, code)
            return _Value("DATE", f"{year}-{code}", start, end, "season", mod, "document")
        kind = {"semaine": "W", "week": "W", "mois": "M", "month": "M", "année": "Y", "an": "Y", "year": "Y",
                "week-end": "WE", "weekend": "WE", "trimestre": "Q", "quarter": "Q", "semestre": "HY",
                "décennie": "DE", "decade": "DE", "siècle": "CE", "century": "CE"}[unit]
        if kind == "WE":
            if not marker and tense == "past" and ref.weekday() < 5:
                offset = -1  # "ce week-end" told on a weekday in the past tense: the one just gone
            target = ref + timedelta(weeks=offset)
            monday = target - timedelta(days=target.weekday())
            return _Value("DATE", f"{cal.iso_week(target)}-WE", monday + timedelta(days=5),
                          monday + timedelta(days=6), "week", mod, "document")
        if kind in {"Q", "HY"}:
            size = 3 if kind == "Q" else 6
            index = (ref.month - 1) // size + offset
            year, part = ref.year + index // (12 // size), index % (12 // size)
            start = date(year, part * size + 1, 1)
            end_month = part * size + size
            value = f"{year}-Q{part + 1}" if kind == "Q" else f"{year}-H{part + 1}"
            return _Value("DATE", value, start, date(year, end_month, cal.last_day(year, end_month)), "quarter", mod,
                          "document")
        if kind in {"DE", "CE"}:
            span = 10 if kind == "DE" else 100
            first = (ref.year // span + offset) * span
            value = f"{first // 10}X" if kind == "DE" else f"{first // 100:02d}"
            return _Value("DATE", value, date(max(first, 1), 1, 1), date(first + span - 1, 12, 31),
                          "decade" if kind == "DE" else "century", mod, "document")
        value, start, end, granularity = _shift(ref, offset, kind)
        if mod and granularity == "month":
            start, end = cal.month_interval(start.year, start.month, mod)
        elif mod and granularity == "year":
            start, end = cal.year_interval(start.year, mod)
        return _Value("DATE", value, start, end, granularity, mod, "document")

    def this_pod(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        if self.ctx.ref is None:
            return _Value("TIME", "XXXX-XX-XX", anchor="none")
        if m.group("tonight"):
            day = self.ctx.ref
            return _Value("TIME", f"{day.isoformat()}TNI", day, day, "time", anchor="document")
        return self._with_time(self.ctx.ref, m.groupdict(), "document")

    def the_pod(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        base = self.ctx.last_day or self.ctx.ref
        if base is None:
            return _Value("TIME", "XXXX-XX-XX", anchor="none")
        return self._with_time(base, m.groupdict(), "previous" if self.ctx.last_day else "document")

    def bare_season(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        word = self.lx.key(m.group("s"))
        code = self.lx.seasons.get(word) or self.lx.seasons.get(word.replace("e", "é"), "SU")
        return _Value("DATE", f"XXXX-{code}", granularity="season", anchor="none")

    def season(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        g = m.groupdict()
        code = self.lx.seasons[self.lx.key(g["s"])]
        mod = self.lx.modifiers.get(self.lx.key(g["mod"])) if g.get("mod") else None
        if g.get("y"):
            year = int(g["y"])
            start, end = cal.season_interval(year, code)
            return _Value("DATE", f"{year}-{code}", start, end, "season", mod)
        return _Value("DATE", f"XXXX-{code}", granularity="season", mod=mod, anchor="none")

    def ago(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        g = m.groupdict()
        amount, unit = (g.get("n") or g.get("n2")), (g.get("u") or g.get("u2"))
        n = _number(self.lx, amount or "")
        ref = self.ctx.ref
        if n is None:
            return None  # "il y a quelques mois": the duration alone is the expression
        if ref is None:
            return _Value("DATE", "XXXX", anchor="none")
        value, start, end, granularity = _shift(ref, -int(n), self.lx.units[self.lx.key(unit or "")])
        return _Value("DATE", value, start, end, granularity, "APPROX" if g.get("approx") else None, "document")

    def in_(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        g = m.groupdict()
        n = _number(self.lx, g["n"])
        ref = self.ctx.ref
        if n is None or ref is None:
            return _Value("DATE", "FUTURE_REF", granularity="ref", anchor="none")
        value, start, end, granularity = _shift(ref, int(n), self.lx.units[self.lx.key(g["u"])])
        return _Value("DATE", value, start, end, granularity, "APPROX" if g.get("approx") else None, "document")

    def duration(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        g = m.groupdict()
        unit = self.lx.units[self.lx.key(g["u"])]
        n = _number(self.lx, g["n"])
        if unit == "Y" and n is not None and _AGE.search(m.string[max(0, m.start() - 30) : m.start()]):
            return None  # an age ("un homme de 38 ans", "X, 53 ans,"), not a duration
        if n is None and unit in {"H", "MIN", "S"} and self.lx.key(g["n"]) == "des":
            return None  # "des heures scolaires"
        if n is not None and n > 1000 and unit in {"Y", "D"}:
            return None
        return _Value("DURATION", duration_value(n, unit), granularity="duration",
                      mod="APPROX" if g.get("approx") else None, anchor="none")

    def hyphen_duration(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        n = _number(self.lx, m.group("n"))
        if n is None:
            return None
        return _Value("DURATION", duration_value(n, self.lx.units[self.lx.key(m.group("u"))]), granularity="duration",
                      anchor="none")

    def quarter(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        order = {"first": 1, "1st": 1, "premier": 1, "second": 2, "2nd": 2, "deuxième": 2, "third": 3, "3rd": 3,
                 "troisième": 3, "fourth": 4, "4th": 4, "quatrième": 4}[self.lx.key(m.group("ord"))]
        ref = self.ctx.ref
        if m.group("y"):
            year, anchor = int(m.group("y")), "absolute"
        elif ref is None:
            return _Value("DATE", f"XXXX-Q{order}", granularity="quarter", anchor="none")
        else:
            current = (ref.month - 1) // 3 + 1
            year = ref.year - 1 if tense == "past" and order > current else ref.year
            anchor = "document"
        start = date(year, order * 3 - 2, 1)
        end = date(year, order * 3, cal.last_day(year, order * 3))
        return _Value("DATE", f"{year}-Q{order}", start, end, "quarter", anchor=anchor)

    def period_noun(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        return _Value("DURATION", self.lx.period_nouns[self.lx.key(m.group("p"))], granularity="duration",
                      anchor="none")

    def time(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        g = m.groupdict()
        hour = g.get("h") or g.get("h24")
        minute = g.get("min") or g.get("min24") or "00"
        if hour is None:
            return None
        h = int(hour)
        ampm = (g.get("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and h < 12:
            h += 12
        if ampm == "am" and h == 12:
            h = 0
        base = self.ctx.last_day or self.ctx.ref
        mod = "APPROX" if g.get("approx") else None
        if base is None:
            return _Value("TIME", f"XXXX-XX-XXT{h:02d}:{minute}", granularity="time", mod=mod, anchor="none")
        anchor = "previous" if self.ctx.last_day else "document"
        return _Value("TIME", f"{base.isoformat()}T{h:02d}:{minute}", base, base, "time", mod, anchor)

    def noon(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        word = self.lx.key(m.group("noon"))
        clock = "12:00" if word in {"midi", "noon"} else "24:00"
        base = self.ctx.last_day or self.ctx.ref
        mod = "APPROX" if m.group("approx") else None
        if base is None:
            return _Value("TIME", f"XXXX-XX-XXT{clock}", granularity="time", mod=mod, anchor="none")
        return _Value("TIME", f"{base.isoformat()}T{clock}", base, base, "time", mod,
                      "previous" if self.ctx.last_day else "document")

    def ref(self, m: re.Match[str], tense: Tense | None) -> _Value | None:
        return _Value("DATE", self.lx.refs[self.lx.key(m.group("ref"))], granularity="ref", anchor="none")


def _roman(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for a, b in zip(text, text[1:] + " ", strict=True):
        v = values.get(a.upper(), 0)
        total += -v if values.get(b.upper(), 0) > v else v
    return total


def _plausible_year(m: re.Match[str]) -> bool:
    text = m.string
    before = text[max(0, m.start() - 12) : m.start()]
    name = re.search(r"(?<![.!?:]\s)(?<!^)\b([A-Z][\w’'-]*)\s$", text[max(0, m.start() - 30) : m.start()])
    if name and name.group(1).lower() not in lexicon("fr").months and name.group(1).lower() not in lexicon("en").months:
        return False  # part of a name: "Euro 2016", "Windows 2000"
    if re.search(r"(?:\d[\s.,]?|n°\s*|no\.?\s*|numéro\s+|article\s+|page\s+|p\.\s*|[€$£]\s*)$", before, re.I):
        return False
    after = text[m.end() : m.end() + 20]
    if re.match(r"\s*(?:[%€$£]|[.,]\d|\d)", after):
        return False
    word = _NEXT_WORD.match(after)
    return not (word and word.group(1).islower() and word.group(1) not in _YEAR_FOLLOWERS)


def tag(text: str, ref: date | None, lang: str = "fr", tense: TenseOf | None = None,
        doc_id: str = "", governor: Callable[[int, int], str | None] | None = None) -> tuple[TimeExpr, ...]:
    """Time expressions of ``text`` with values resolved against ``ref`` (the document date).

    Args:
        text: the text to tag.
        ref: the document creation date, or None when unknown (relative values stay unresolved).
        lang: "fr" or "en" (other languages get the French grammar's numerals and formats).
        tense: (start, end) -> tense of the governing clause (see :mod:`.tense`); without it,
            bare weekdays and months resolve to the latest one at or before ``ref``.
        doc_id: the document id the spans refer to.
        governor: (start, end) -> lemma of the governing verb, recorded on each expression.

    Returns:
        The expressions in text order, with exact offsets into ``text``.
    """
    lx = lexicon("en" if lang == "en" else "fr")
    found: list[tuple[int, int, int, str, re.Match[str]]] = []
    for priority, (name, pattern) in enumerate(patterns(lx.lang)):
        for match in pattern.finditer(text):
            if match.end() > match.start():
                found.append((match.start(), match.end(), priority, name, match))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
    # A candidate whose handler refuses it (a number that is not a year, an age...) leaves room
    # for the next-longest candidate over the same text.
    probe = _Handlers(_Context(lx, ref, None))
    taken: list[tuple[int, int, str, re.Match[str]]] = []
    occupied: list[tuple[int, int]] = []
    for start, end, _, name, match in found:
        if any(start < e and s < end for s, e in occupied):
            continue
        if getattr(probe, "in_" if name == "in" else name)(match, None) is None:
            continue
        occupied.append((start, end))
        taken.append((start, end, name, match))
    taken.sort(key=lambda t: t[0])
    ctx = _Context(lx, ref, tense)
    handlers = _Handlers(ctx)
    out: list[TimeExpr] = []
    for start, end, name, match in taken:
        clause_tense = tense(start, end) if tense else None
        handler = getattr(handlers, "in_" if name == "in" else name)
        value = handler(match, clause_tense)
        if value is None:
            continue
        left = len(match.group(0)) - len(match.group(0).lstrip())
        lead = _LEADING.match(match.group(0))
        if lead:
            left = lead.end()
        right = len(match.group(0).rstrip())
        span = Span(DocId(doc_id), start + left, start + right)
        out.append(TimeExpr(span, text[span.start : span.end], value.type, value.value, value.start, value.end,
                            value.granularity, value.mod, value.anchor, clause_tense, STAGE_ID, value.note,
                            governor(start, end) if governor else None))
        if value.start is not None and value.start == value.end and value.granularity in {"day", "time"}:
            ctx.last_day = value.start
    return _reanchor_times(out, text)


def _reanchor_times(found: list[TimeExpr], text: str) -> tuple[TimeExpr, ...]:
    """A clock time followed at once by its day ("vers 15 h 30, hier") takes that day."""
    out = list(found)
    for i, expr in enumerate(out[:-1]):
        nxt = out[i + 1]
        gap = text[expr.span.end : nxt.span.start]
        if (expr.type == "TIME" and expr.anchor in {"previous", "document"} and "T" in expr.value
                and nxt.granularity == "day" and nxt.start is not None and len(gap) <= 3 and gap.strip() in {"", ","}):
            clock = expr.value.split("T", 1)[1]
            out[i] = replace(expr, value=f"{nxt.start.isoformat()}T{clock}", start=nxt.start, end=nxt.start,
                             anchor="absolute" if nxt.anchor == "absolute" else nxt.anchor)
    return tuple(out)
