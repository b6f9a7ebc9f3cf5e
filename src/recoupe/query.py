"""The Python query API: a knowledge base opened read-only, its facts as lists of dicts or DuckDB relations.

::

    import recoupe

    with recoupe.open_kb("news.duckdb") as kb:
        for event in kb.events(entity="Lina Haddad", min_sources=2):
            print(event["when"], event["label"], event["independent_sources"])
        kb.sql("SELECT outlet, count(*) AS n FROM documents GROUP BY 1 ORDER BY n DESC")
        kb.relation("corpus_events").filter("independent_sources >= 2").order("time_start").fetchall()

The dicts are the export contract's records as the web app serves them (entity names beside ids).
``entity=`` takes an id or a name; a name several entities bear raises R410 listing their ids.
Any number of readers may share a file, but none can open it while a build writes it (R405).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from recoupe.errors import E, StoreError
from recoupe.store.kb import KnowledgeBase, load_fts
from recoupe.web import queries as q
from recoupe.web.summaries import entity_summary

ALL = 1_000_000_000
_TABLES = {"document": "documents", "story": "stories", "event": "corpus_events", "entity": "entities"}


def _day(value: date | str | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


class Reader:
    """A knowledge base opened read-only. Use as a context manager, or call ``close``.

    Lists take the filters of the API's routes and ``limit``/``offset`` (all rows by default).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.kb = KnowledgeBase(self.path, read_only=True)
        self.con = self.kb.con
        self.fts = load_fts(self.con)
        self._lookup: q.Lookup | None = None

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.kb.close()

    @property
    def lookup(self) -> q.Lookup:
        if self._lookup is None:
            self._lookup = q.Lookup.load(self.con)
        return self._lookup

    # -- ids and names ----------------------------------------------------------------------

    def resolve_entity(self, ref: str) -> str:
        """The id of the entity ``ref`` names (an id, or a name or alias).

        Raises:
            StoreError: R507 when no entity has that id or name, R410 when several bear it.
        """
        try:
            return q.resolve_entity(self.con, ref)
        except q.Ambiguous as err:
            listed = "; ".join(f"{c['id']} ({c['name']}, {c['type']}, {c['mentions']} mentions)"
                               for c in err.candidates)
            raise StoreError(E.R410.format(name=ref, count=len(err.candidates), path=self.path,
                                           candidates=listed)) from err
        except q.NotFound as err:
            raise StoreError(E.R507.format(name=ref, path=self.path)) from err

    def _entity(self, ref: str | None) -> str | None:
        return self.resolve_entity(ref) if ref else None

    def _one(self, kind: str, ident: str, fetch: Any) -> dict[str, Any]:
        try:
            return dict(fetch())
        except q.NotFound as err:
            raise StoreError(E.R409.format(kind=kind, ident=ident, path=self.path, table=_TABLES[kind])) from err

    # -- lists ------------------------------------------------------------------------------

    def documents(self, *, story: str | None = None, entity: str | None = None, start: date | str | None = None,
                  end: date | str | None = None, limit: int = ALL, offset: int = 0) -> list[dict[str, Any]]:
        """Articles, newest first: title, outlet, published, story, lead."""
        f = q.Filters(story=story, entity=self._entity(entity), start=_day(start), end=_day(end))
        return list(q.documents(self.con, f, limit, offset, self.lookup)["items"])

    def entities(self, *, type: str | None = None, name: str | None = None, story: str | None = None,
                 limit: int = ALL, offset: int = 0) -> list[dict[str, Any]]:
        """Entities, most mentioned first; ``name`` is a substring of the name or an alias (folded)."""
        f = q.Filters(type=type, q=name, story=story)
        return list(q.entities(self.con, f, limit, offset, self.lookup)["items"])

    def events(self, *, story: str | None = None, entity: str | None = None, type: str | None = None,
               modality: str | None = None, start: date | str | None = None, end: date | str | None = None,
               min_sources: int | None = None, limit: int = ALL, offset: int = 0) -> list[dict[str, Any]]:
        """Corpus events in time order (undated last), with sources and independent sources."""
        f = q.Filters(story=story, entity=self._entity(entity), type=type, modality=modality, start=_day(start),
                      end=_day(end), min_sources=min_sources)
        return list(q.events(self.con, f, limit, offset, self.lookup)["items"])

    def stories(self, *, entity: str | None = None, start: date | str | None = None, end: date | str | None = None,
                limit: int = ALL, offset: int = 0) -> list[dict[str, Any]]:
        """Stories, biggest first, with their numbers of articles, events and conflicts."""
        f = q.Filters(entity=self._entity(entity), start=_day(start), end=_day(end))
        return list(q.stories(self.con, f, limit, offset)["items"])

    def conflicts(self, *, story: str | None = None, entity: str | None = None, kind: str | None = None,
                  limit: int = ALL, offset: int = 0) -> list[dict[str, Any]]:
        """Contradictions, each value with its sources and sentences."""
        f = q.Filters(story=story, entity=self._entity(entity), kind=kind)
        return list(q.conflicts(self.con, f, limit, offset, self.lookup)["items"])

    def search(self, query: str, *, story: str | None = None, start: date | str | None = None,
               end: date | str | None = None, limit: int = 20, offset: int = 0) -> dict[str, Any]:
        """A page of full-text hits (BM25) with snippets: ``{"items", "total", "limit", "offset"}``."""
        f = q.Filters(story=story, start=_day(start), end=_day(end))
        return q.search(self.con, query, f, limit, offset)

    def timeline(self, *, story: str | None = None, entity: str | None = None) -> dict[str, Any]:
        """Events of a story, an entity or the corpus in time order: ``anchored`` (intervals for
        uncertain dates) and ``unanchored`` (no source dates them)."""
        if story is not None:
            self._one("story", story, lambda: q.story(self.con, story, self.lookup))
        f = q.Filters(story=story, entity=self._entity(entity))
        return q.timeline_of(q.events(self.con, f, ALL, 0, self.lookup)["items"])

    # -- one record -------------------------------------------------------------------------

    def document(self, doc_id: str) -> dict[str, Any]:
        """One article with every annotation as offsets into its text."""
        return self._one("document", doc_id, lambda: q.document(self.con, doc_id))

    def event(self, event_id: str) -> dict[str, Any]:
        """One corpus event with every article's account of it."""
        return self._one("event", event_id, lambda: q.event(self.con, event_id, self.lookup))

    def story(self, story_id: str) -> dict[str, Any]:
        """One story: cited summary, articles, facts, timeline, network, conflicts."""
        return self._one("story", story_id, lambda: q.story(self.con, story_id, self.lookup))

    def entity(self, ref: str, *, top: int = 10) -> dict[str, Any]:
        """One entity (id or name) summarised: aliases, roles, merge evidence in words, mentions per
        article, the entities most often in the same articles, and its mentions."""
        entity_id = self.resolve_entity(ref)
        return entity_summary(self.con, entity_id, top=top)

    # -- SQL --------------------------------------------------------------------------------

    def sql(self, query: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a read-only SQL query as dicts (column name -> value).

        Raises:
            StoreError: R408 when DuckDB refuses the query (a syntax error, a write).
        """
        try:
            cursor = self.con.execute(query, params or [])
            columns = [d[0] for d in cursor.description or []]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        except duckdb.Error as err:
            raise StoreError(E.R408.format(error=str(err).strip(), tables=", ".join(self.tables()))) from err

    def relation(self, table_or_query: str) -> duckdb.DuckDBPyRelation:
        """A DuckDB relation over a table or a SELECT, to filter, aggregate or convert lazily
        (``.filter()``, ``.aggregate()``, ``.fetchall()``, ``.df()`` with pandas installed).
        Valid while the reader is open."""
        text = table_or_query.strip()
        try:
            if " " not in text:
                return self.con.table(text)
            return self.con.sql(text)
        except duckdb.Error as err:
            raise StoreError(E.R408.format(error=str(err).strip(), tables=", ".join(self.tables()))) from err

    def tables(self) -> list[str]:
        """The knowledge base's tables (``store/schema.sql`` defines them)."""
        return [r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]


def open_kb(path: str | Path) -> Reader:
    """Open a knowledge base read-only for queries (see ``Reader``).

    Raises:
        StoreError: R402 (missing), R405 (a build is writing it), R406/R407 (not a knowledge base).
    """
    return Reader(path)
