"""Day intervals as text: a light module, so the readers (CLI, app, report) need not import the stages."""

from __future__ import annotations

import calendar
from datetime import date


def format_interval(start: date, end: date) -> str:
    """ISO text of an inclusive day interval at its natural granularity: day, month, year or range."""
    if start == end:
        return start.isoformat()
    if start.day == 1 and end.month == start.month and end.year == start.year and \
            end.day == calendar.monthrange(end.year, end.month)[1]:
        return f"{start.year:04d}-{start.month:02d}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return f"{start.year:04d}"
    return f"{start.isoformat()}/{end.isoformat()}"
