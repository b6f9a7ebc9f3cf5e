"""``recoupe report``: a folder of self-contained HTML pages that work offline.

``index.html`` lists the stories (filterable as you type) with the knowledge base's figures;
``stories/ID.html`` holds a story (cited summary, timeline, network, contradictions side by side,
fact table, articles); ``events/ID.html`` an event with every article's account;
``documents/ID.html`` an article with its annotations and removed lines; ``articles.html`` and
``entities.html`` the filterable indexes. The index stays small whatever the corpus size, and
each page carries only what it shows.

Every page inlines the scripts it needs (the bundled timeline and network libraries only on the
story pages that draw one) and a Content-Security-Policy that allows exactly those scripts by
their sha256 and nothing else (``script-src 'none'`` on pages without scripts), so nothing an
article contains can run, and nothing is fetched from the network.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from recoupe.progress import Progress
from recoupe.store.kb import KnowledgeBase
from recoupe.web import queries as q
from recoupe.web.render import anchor, environment

TIMELINE = "vendor/vis-timeline-graph2d.min.js"
GRAPH = "vendor/cytoscape.min.js"
TIMELINE_CSS = "vendor/vis-timeline-graph2d.min.css"
VERSIONS = {"vis": "8.5.4", "cytoscape": "3.34.4"}
FOLDERS = {"story": "stories", "document": "documents", "event": "events"}


@dataclass(frozen=True, slots=True)
class ReportSummary:
    out: str
    index: str
    pages: int
    bytes: int
    largest_page_bytes: int
    index_bytes: int
    stories: int
    events: int
    documents: int
    entities: int
    conflicts: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _static(name: str) -> str:
    return resources.files("recoupe").joinpath("web", "static", name).read_text("utf-8")


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def csp_for(scripts: list[str]) -> str:
    """A policy that runs only ``scripts`` (inline, by hash) and fetches nothing."""
    hashes = " ".join(_hash(s) for s in scripts) or "'none'"
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def page_path(kind: str, ident: str) -> str:
    """Where the page of a story, event or article is, relative to the report's folder."""
    return f"{FOLDERS[kind]}/{anchor(ident)}.html"


class _Writer:
    """Renders pages into the report folder and counts what it wrote."""

    def __init__(self, out: Path, name: str, generated: str) -> None:
        self.out, self.name, self.generated = out, name, generated
        self.envs = {base: environment(mode="report", base=base) for base in ("", "../")}
        self.css = _static("app.css")
        self.timeline_css = _static(TIMELINE_CSS) + "\n" + self.css
        self.pages = self.bytes = self.largest = 0

    def write(self, path: str, template: str, scripts: list[str], *, timeline: bool = False, **context: Any) -> int:
        base = "../" if "/" in path else ""
        css = self.timeline_css if timeline else self.css  # the timeline's stylesheet where one is drawn
        html = self.envs[base].get_template(template).render(
            name=self.name, csp=csp_for(scripts), css=css, scripts=scripts, versions=VERSIONS,
            generated=self.generated, home=f"{base}index.html", **context)
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        data = html.encode("utf-8")
        target.write_bytes(data)
        self.pages += 1
        self.bytes += len(data)
        self.largest = max(self.largest, len(data))
        return len(data)


def _story_scripts(story: dict[str, Any]) -> list[str]:
    """The libraries a story page needs: the timeline's when an event is dated, the network's when
    two actors are linked; then the page script that draws them."""
    wanted = ([TIMELINE] if story["timeline"]["anchored"] else []) + ([GRAPH] if story["graph"]["edges"] else [])
    return [_static(name) for name in wanted] + ([_static("app.js")] if wanted else [])


def write_report(kb_path: str | Path, out: str | Path, *, progress: bool = False,
                 log: Callable[[str], None] | None = None) -> ReportSummary:
    """Render the knowledge base at ``kb_path`` into the folder ``out`` (created; pages replaced).

    Raises:
        StoreError: R402 when the knowledge base does not exist, R405-R407 when it cannot be read.
    """
    folder = Path(out)
    writer = _Writer(folder, Path(kb_path).name, datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    steps = Progress(progress)
    filter_js = [_static("filter.js")]
    with KnowledgeBase(kb_path, read_only=True) as kb:
        con = kb.con
        overview = q.overview(con)
        lk = q.Lookup.load(con)
        stories = q.stories(con, q.Filters(), limit=1_000_000_000)["items"]
        with steps.phase("report: story pages", total=len(stories), unit="stories") as phase:
            for item in phase.track(stories):
                story = q.story(con, item["id"], lk)
                item["first"], item["last"] = _span(story)
                item["outlets"] = sorted({d["outlet"] for d in story["documents"] if d["outlet"]})
                writer.write(page_path("story", item["id"]), "report_story.html", _story_scripts(story),
                             timeline=bool(story["timeline"]["anchored"]), story=story)
        with steps.phase("report: event pages", total=len(lk.event_order), unit="events") as phase:
            for event_id in phase.track(lk.event_order):
                event = q.event(con, event_id, lk)
                found = q.conflicts(con, q.Filters(story=event["story"]), limit=100_000, lk=lk)["items"] \
                    if event["conflicts"] else []
                writer.write(page_path("event", event_id), "report_event.html", [], event=event,
                             conflicts=[c for c in found if c["event"] == event_id])
        articles = q.documents(con, q.Filters(), limit=1_000_000_000, lk=lk)["items"]
        with steps.phase("report: article pages", total=len(articles), unit="articles") as phase:
            for item in phase.track(articles):
                doc = q.document(con, item["id"])
                writer.write(page_path("document", item["id"]), "report_document.html", [], doc=doc,
                             paragraphs=q.annotated_paragraphs(doc))
        entities = q.entities(con, q.Filters(), limit=1_000_000_000, lk=lk)["items"]
    writer.write("articles.html", "report_articles.html", filter_js, documents=articles, overview=overview)
    writer.write("entities.html", "report_entities.html", filter_js, entities=entities, overview=overview)
    index_bytes = writer.write("index.html", "report_index.html", filter_js, overview=overview, stories=stories)
    index = folder / "index.html"
    if log:
        log(f"wrote {index} ({writer.pages} pages, {writer.bytes // 1024} KiB)")
    return ReportSummary(str(folder), str(index), writer.pages, writer.bytes, writer.largest, index_bytes,
                         len(stories), len(lk.event_order), len(articles), len(entities), overview["conflicts"])


def _span(story: dict[str, Any]) -> tuple[str | None, str | None]:
    days = sorted(d["published"]["value"][:10] for d in story["documents"] if d["published"]["value"])
    return (days[0], days[-1]) if days else (None, None)
