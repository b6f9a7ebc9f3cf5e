"""The Jinja2 templates shared by the web app and the static report.

Autoescaping is on for every template: article text, titles and names reach the page only as
escaped text, and data for the scripts only through ``tojson`` inside
``<script type="application/json">`` blocks (which escapes ``<``, ``>`` and ``&``).
The two modes differ in their links: the app links to its pages (``/stories/ID``), the report
to its files (``stories/ID.html``, relative to the page: ``base`` is ``"../"`` in its folders).
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

Mode = Literal["app", "report"]

_KINDS = {"story": "stories", "document": "documents", "entity": "entities", "event": "events"}


_REPORT = {"story": "stories/{}.html", "document": "documents/{}.html", "event": "events/{}.html",
           "entity": "entities.html#entity-{}"}


def environment(mode: Mode, base: str = "") -> Environment:
    """A Jinja2 environment for ``mode`` with the ``url`` helper and the shared filters; ``base``
    prefixes the report's links (the way from the page's folder to the report's)."""
    env = Environment(loader=PackageLoader("recoupe", "web/templates"), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)

    def url(kind: str, ident: str | None) -> str:
        if ident is None:
            return "#"
        if mode == "report":
            return base + _REPORT[kind].format(anchor(ident))
        return f"/{_KINDS[kind]}/{quote(ident, safe='')}"

    env.globals.update(url=url, mode=mode, anchor=anchor, base=base, drawn_counts=drawn_counts,
                       timeline_items=lambda t: timeline_items(t, url), graph_data=lambda g: graph_data(g, url))
    env.filters["pct"] = lambda x: f"{100 * x:.0f}%"
    env.filters["plural"] = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"
    return env


def anchor(ident: str) -> str:
    """An id usable in an HTML id attribute and a fragment (ids are already slugs; be safe anyway)."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in ident)


MAX_DRAWN_EVENTS = 150   # a chart of more is slow to lay out and unreadable; the list below has every one
MAX_DRAWN_LINKS = 120


def timeline_items(timeline: dict[str, Any], url: Any) -> list[dict[str, Any]]:
    """Timeline entries as the script draws them: a point for a day, a range for an interval. Above
    ``MAX_DRAWN_EVENTS`` only the best-corroborated are drawn (the page's list has them all)."""
    anchored = timeline["anchored"]
    if len(anchored) > MAX_DRAWN_EVENTS:
        keep = {e["event"] for e in sorted(anchored, key=lambda e: (-e["independent_sources"], e["start"],
                                                                      e["event"]))[:MAX_DRAWN_EVENTS]}
        anchored = [e for e in anchored if e["event"] in keep]
    return [{"id": e["event"], "label": e["label"], "start": e["start"], "end": e["end"], "when": e["when"],
             "uncertain": e["uncertain"], "conflict": e["conflict"], "sources": e["independent_sources"],
             "href": url("event", e["event"])} for e in anchored]


def drawn_counts(timeline: dict[str, Any], graph: dict[str, Any]) -> dict[str, int]:
    """How many events and links a page's charts leave out (shown in the lists only)."""
    return {"events": max(0, len(timeline["anchored"]) - MAX_DRAWN_EVENTS),
            "links": max(0, len(graph["edges"]) - MAX_DRAWN_LINKS)}


def graph_data(graph: dict[str, Any], url: Any) -> dict[str, Any]:
    """The network with a link on every node (its entity page or anchor); above ``MAX_DRAWN_LINKS``
    only the heaviest links and their nodes are drawn (the page's list has them all)."""
    edges = sorted(graph["edges"], key=lambda e: (-e["weight"], e["source"], e["target"], e["type"]))[:MAX_DRAWN_LINKS]
    used = {x for e in edges for x in (e["source"], e["target"])}
    nodes = [{**n, "href": url("entity", n["id"])} for n in graph["nodes"] if n["id"] in used]
    return {"nodes": nodes, "edges": edges}
