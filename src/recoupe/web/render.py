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

    env.globals.update(url=url, mode=mode, anchor=anchor, base=base,
                       timeline_items=lambda t: timeline_items(t, url), graph_data=lambda g: graph_data(g, url))
    env.filters["pct"] = lambda x: f"{100 * x:.0f}%"
    env.filters["plural"] = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"
    return env


def anchor(ident: str) -> str:
    """An id usable in an HTML id attribute and a fragment (ids are already slugs; be safe anyway)."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in ident)


def timeline_items(timeline: dict[str, Any], url: Any) -> list[dict[str, Any]]:
    """Timeline entries as the script draws them: a point for a day, a range for an interval."""
    return [{"id": e["event"], "label": e["label"], "start": e["start"], "end": e["end"], "when": e["when"],
             "uncertain": e["uncertain"], "conflict": e["conflict"], "sources": e["independent_sources"],
             "href": url("event", e["event"])} for e in timeline["anchored"]]


def graph_data(graph: dict[str, Any], url: Any) -> dict[str, Any]:
    """The network with a link on every node (its entity page or anchor)."""
    return {"nodes": [{**n, "href": url("entity", n["id"])} for n in graph["nodes"]], "edges": graph["edges"]}
