"""Timelines: corpus events in time order, uncertain ones as intervals, unanchored ones apart."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from recoupe.model import CorpusEvent
from recoupe.stages.crosscheck.conflicts import format_interval


@dataclass(frozen=True, slots=True)
class Timeline:
    """``anchored``: events with a known interval, by start then end (a wide interval is uncertain);
    ``unanchored``: events no source dates, in order of first report."""

    anchored: tuple[CorpusEvent, ...]
    unanchored: tuple[CorpusEvent, ...]

    def records(self) -> list[dict[str, object]]:
        """One row per event: order (0 for unanchored), interval, granularity text, label, sources."""
        rows: list[dict[str, object]] = []
        order, last = 0, None
        for e in self.anchored:
            assert e.start is not None
            key = (e.start, e.end)
            if key != last:
                order, last = order + 1, key
            rows.append({"order": order, "event": e.id, "start": e.start.isoformat(),
                         "end": (e.end or e.start).isoformat(), "when": format_interval(e.start, e.end or e.start),
                         "uncertain": (e.end or e.start) != e.start, "label": e.label, "type": e.type,
                         "sources": list(e.sources), "independent_sources": e.independent_sources})
        rows += [{"order": 0, "event": e.id, "start": None, "end": None, "when": e.time_text, "uncertain": True,
                  "label": e.label, "type": e.type, "sources": list(e.sources),
                  "independent_sources": e.independent_sources} for e in self.unanchored]
        return rows


def timeline(events: Iterable[CorpusEvent], entity: str | None = None) -> Timeline:
    """The timeline of some events (a story's), or of the events an entity takes part in."""
    chosen = [e for e in events if entity is None or entity == e.place or any(p == entity for p, _ in e.participants)]
    anchored = sorted((e for e in chosen if e.start), key=lambda e: (e.start or date.max, e.end or date.max, e.id))
    return Timeline(tuple(anchored), tuple(e for e in chosen if not e.start))
