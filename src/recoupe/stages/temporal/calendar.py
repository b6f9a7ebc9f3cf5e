"""Calendar arithmetic for time values: resolving partial dates and turning values into day intervals."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

SEASONS = {"SP": ((3, 20), (6, 20)), "SU": ((6, 21), (9, 22)), "FA": ((9, 23), (12, 20)), "WI": ((12, 21), (3, 19))}


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def weekday_date(ref: date, weekday: int, direction: int) -> date:
    """The ``weekday`` (0 = Monday) on or before ``ref`` (direction <= 0) or on or after it (> 0)."""
    if direction > 0:
        return ref + timedelta(days=(weekday - ref.weekday()) % 7)
    return ref - timedelta(days=(ref.weekday() - weekday) % 7)


def month_year(ref: date, month: int, direction: int | None) -> int:
    """Year of a bare month: the latest at or before ``ref`` (past), the next (future), else the nearest."""
    if direction is not None and direction < 0:
        return ref.year if month <= ref.month else ref.year - 1
    if direction is not None and direction > 0:
        return ref.year if month >= ref.month else ref.year + 1
    delta = month - ref.month
    if delta > 6:
        return ref.year - 1
    if delta < -6:
        return ref.year + 1
    return ref.year


def day_month_year(ref: date, month: int, day: int, direction: int | None) -> int:
    """Year of a day and month without a year, like :func:`month_year` but at day precision."""
    def make(year: int) -> date | None:
        try:
            return date(year, month, day)
        except ValueError:
            return None

    candidates = [(y, make(y)) for y in (ref.year - 1, ref.year, ref.year + 1)]
    valid = [(y, d) for y, d in candidates if d is not None]
    if not valid:
        return ref.year
    if direction is not None and direction < 0:
        past = [(y, d) for y, d in valid if d <= ref]
        return max(past, key=lambda p: p[1])[0] if past else ref.year
    if direction is not None and direction > 0:
        future = [(y, d) for y, d in valid if d >= ref]
        return min(future, key=lambda p: p[1])[0] if future else ref.year
    return min(valid, key=lambda p: abs((p[1] - ref).days))[0]


def two_digit_year(ref: date, yy: int) -> int:
    """A two-digit year, in the century that puts it nearest to ``ref`` (not after ref by > 10 years)."""
    century = ref.year // 100 * 100
    year = century + yy
    if year > ref.year + 10:
        year -= 100
    return year


def month_interval(year: int, month: int, mod: str | None = None) -> tuple[date, date]:
    """Days of a month, or of its first/middle/last third (``START``/``MID``/``END``)."""
    end = last_day(year, month)
    if mod == "START":
        return date(year, month, 1), date(year, month, 10)
    if mod == "MID":
        return date(year, month, 11), date(year, month, 20)
    if mod == "END":
        return date(year, month, 21), date(year, month, end)
    return date(year, month, 1), date(year, month, end)


def year_interval(year: int, mod: str | None = None) -> tuple[date, date]:
    """Days of a year, or of its first/middle/last third."""
    if mod == "START":
        return date(year, 1, 1), date(year, 4, 30)
    if mod == "MID":
        return date(year, 5, 1), date(year, 8, 31)
    if mod == "END":
        return date(year, 9, 1), date(year, 12, 31)
    return date(year, 1, 1), date(year, 12, 31)


def week_interval(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def season_interval(year: int, code: str) -> tuple[date, date]:
    (m1, d1), (m2, d2) = SEASONS[code]
    if code == "WI":
        return date(year, m1, d1), date(year + 1, m2, d2)
    return date(year, m1, d1), date(year, m2, d2)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, last_day(year, month + 1)))
