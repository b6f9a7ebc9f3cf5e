"""``recoupe report``: one self-contained HTML file that works offline.

Stories (cited summary, timeline, network, contradictions side by side, fact table), every
corpus event with its accounts, every article with its annotations and removed lines, and the
entity index. The bundled libraries and the page's own script are inlined; a
Content-Security-Policy in the page allows exactly those scripts (by their sha256) and no
other, so nothing an article contains can run, and nothing is fetched from the network.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from rich.progress import Progress

from recoupe.store.kb import KnowledgeBase
from recoupe.web import queries as q
from recoupe.web.render import environment

VENDOR = ("vendor/vis-timeline-graph2d.min.js", "vendor/cytoscape.min.js", "app.js")
STYLES = ("vendor/vis-timeline-graph2d.min.css", "app.css")
VERSIONS = {"vis": "8.5.4", "cytoscape": "3.34.4"}


@dataclass(frozen=True, slots=True)
class ReportSummary:
    out: str
    bytes: int
    stories: int
    events: int
    documents: int
    entities: int
    conflicts: int


def _static(name: str) -> str:
    return resources.files("recoupe").joinpath("web", "static", name).read_text("utf-8")


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def csp_for(scripts: list[str]) -> str:
    """A policy that runs only ``scripts`` (inline, by hash) and fetches nothing."""
    hashes = " ".join(_hash(s) for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def write_report(kb_path: str | Path, out: str | Path, *, progress: bool = False,
                 log: Callable[[str], None] | None = None) -> ReportSummary:
    """Render the knowledge base at ``kb_path`` into the HTML file ``out``.

    Raises:
        StoreError: R402 when the knowledge base does not exist.
    """
    env = environment(mode="report")
    scripts = [_static(name) for name in VENDOR]
    css = "\n".join(_static(name) for name in STYLES)
    with KnowledgeBase(kb_path, create=False, read_only=True) as kb:
        con = kb.con
        overview = q.overview(con)
        lk = q.Lookup.load(con)
        story_ids = [s["id"] for s in q.stories(con, q.Filters(), limit=1_000_000)["items"]]
        doc_ids = list(lk.doc_order)
        event_ids = list(lk.event_order)
        with Progress(disable=not progress, transient=True) as bar:
            task = bar.add_task("report", total=len(story_ids) + len(doc_ids) + len(event_ids))
            stories = []
            for sid in story_ids:
                stories.append(q.story(con, sid, lk))
                bar.advance(task)
            events = []
            for eid in event_ids:
                events.append(q.event(con, eid, lk))
                bar.advance(task)
            documents = []
            for did in doc_ids:
                doc = q.document(con, did)
                documents.append((doc, q.annotated_paragraphs(doc)))
                bar.advance(task)
        entities = q.entities(con, q.Filters(), limit=1_000_000, lk=lk)["items"]
    html = env.get_template("report.html").render(
        name=Path(kb_path).name, csp=csp_for(scripts), css=css, scripts=scripts, overview=overview,
        stories=stories, events=events, documents=documents, entities=entities, versions=VERSIONS,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_text(html, "utf-8")
    tmp.replace(target)
    if log:
        log(f"wrote {target} ({len(html.encode()) // 1024} KiB)")
    return ReportSummary(str(target), len(html.encode()), len(stories), len(events), len(documents), len(entities),
                         overview["conflicts"])
