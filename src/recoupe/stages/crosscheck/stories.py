"""Stories: articles about one piece of news, with a label, a timeline and a cited summary.

An article's news is the events of its lead (the title and first sentences) that happen near its
publication date; what it recalls from before is background. Two articles share a story when
their news shares a corpus event, or when their titles and leads share enough content words and
they were published within a few days of each other. Stories are the connected groups; a story's
id comes from its first article, so an article added later joins an existing story (same id) or
founds a new one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from recoupe.config import CrosscheckConfig
from recoupe.ids import sha256_hex
from recoupe.model import CorpusEvent, DocId, SourceDoc, Story, SummarySentence
from recoupe.stages.entities.names import fold
from recoupe.unionfind import UnionFind

_WORD = re.compile(r"\w+", re.UNICODE)
_NEWS_DAYS = 31  # a lead event this close to publication is the article's news


def _words(text: str, stop: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(fold(text)) if len(w) > 2 and w not in stop and not w.isdigit())


def news_events(doc: SourceDoc, events: Sequence[CorpusEvent]) -> list[CorpusEvent]:
    """The corpus events an article reports as its news (lead accounts near its date)."""
    found = []
    for e in events:
        for a in e.accounts:
            if a.doc_id != doc.id or a.sentence.start >= max(doc.lead_end, 1) or a.derived:
                continue
            if doc.published and a.start and abs((a.start - doc.published).days) > _NEWS_DAYS:
                continue
            found.append(e)
            break
    return found


def _similar(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def find_stories(docs: Sequence[SourceDoc], events: Sequence[CorpusEvent], cfg: CrosscheckConfig,
                 stop: frozenset[str]) -> list[Story]:
    """Group articles into stories; label them by their best supported news event."""
    by_doc: dict[DocId, list[CorpusEvent]] = {d.id: [] for d in docs}
    for e in events:
        for d in e.sources:
            by_doc.setdefault(d, []).append(e)
    news = {d.id: news_events(d, by_doc.get(d.id, [])) for d in docs}
    words = {d.id: _words(f"{d.title or ''} {d.lead}", stop) for d in docs}
    ordered = sorted(docs, key=lambda d: (d.published or date.max, d.id))
    rank = {d.id: i for i, d in enumerate(ordered)}
    union = UnionFind(len(ordered))  # the earlier article stays the root: the story keeps its id
    by_id = {d.id: d for d in docs}
    # the same news event: through an index of event -> articles, not by comparing every pair
    reporting: dict[str, list[int]] = {}
    for doc in ordered:
        for e in news[doc.id]:
            reporting.setdefault(e.id, []).append(rank[doc.id])
    for ranks in reporting.values():
        for r in ranks[1:]:
            union.union(min(ranks[0], r), max(ranks[0], r))
    # shared vocabulary: only articles published within the window ("ordered" is by date)
    for i, first_doc in enumerate(ordered):
        if first_doc.published is None:
            break
        for other in ordered[i + 1 :]:
            if other.published is None or (other.published - first_doc.published).days > cfg.story_window_days:
                break
            if _similar(words[first_doc.id], words[other.id]) >= cfg.story_similarity:
                union.union(rank[first_doc.id], rank[other.id])
    members: dict[DocId, list[DocId]] = {}
    for doc in ordered:
        members.setdefault(ordered[union.find(rank[doc.id])].id, []).append(doc.id)
    stories = []
    for root, doc_ids in members.items():
        story_events = _story_events(doc_ids, by_doc, news)
        main = [e for d in doc_ids for e in news[d]]
        label = _label(main, [by_id[d] for d in doc_ids])
        stories.append(Story(id="st-" + sha256_hex(root)[:12], label=label, documents=tuple(doc_ids),
                             events=tuple(e.id for e in story_events),
                             news=tuple(dict.fromkeys(e.id for e in main))))
    return stories


def _story_events(doc_ids: Sequence[DocId], by_doc: Mapping[DocId, list[CorpusEvent]],
                  news: Mapping[DocId, list[CorpusEvent]]) -> list[CorpusEvent]:
    """The story's news events first (most sources first), then the background its articles recall."""
    seen: dict[str, CorpusEvent] = {}
    for d in doc_ids:
        for e in news[d]:
            seen.setdefault(e.id, e)
    main = sorted(seen.values(), key=lambda e: (-e.independent_sources, -len(e.sources), e.id))
    rest: dict[str, CorpusEvent] = {}
    for d in doc_ids:
        for e in by_doc.get(d, []):
            if e.id not in seen:
                rest.setdefault(e.id, e)
    return main + sorted(rest.values(), key=lambda e: (e.start or date.max, e.id))


def _label(main: Sequence[CorpusEvent], docs: Sequence[SourceDoc]) -> str:
    if main:
        best = max(main, key=lambda e: (e.independent_sources, len(e.sources),
                                        sum(1 for _, r in e.participants if r == "agent")))
        return best.label
    titled = [d.title for d in docs if d.title]
    return titled[0] if titled else (docs[0].lead[:100] if docs else "")


def summarise(story: Story, events: Mapping[str, CorpusEvent], texts: Mapping[DocId, str],
              size: int) -> tuple[SummarySentence, ...]:
    """An extractive summary: for the story's top events, one sentence that reports each, citing every
    article that reports the event and how many of them are independent; in time order."""
    chosen: list[SummarySentence] = []
    used: set[tuple[DocId, int]] = set()
    for event_id in story.events:
        if len(chosen) >= size:
            break
        event = events[event_id]
        accounts = [a for a in event.accounts if a.derived is None and a.doc_id in story.documents] or \
            [a for a in event.accounts if a.derived is None]
        if not accounts:
            continue
        # the sentence that says the most of it: the dated account with most participants, earliest source first
        account = max(accounts, key=lambda a: (a.start is not None, len(a.participants), -story.documents.index(
            a.doc_id) if a.doc_id in story.documents else -99))
        key = (account.doc_id, account.sentence.start)
        if key in used:
            continue
        used.add(key)
        text = texts.get(account.doc_id, "")[account.sentence.start : account.sentence.end].strip() or \
            account.sentence_text.strip()
        chosen.append(SummarySentence(event=event.id, span=account.sentence, text=text, sources=event.sources,
                                      independent_sources=event.independent_sources))
    order = {e: (events[e].start or date.max) for e in story.events}
    return tuple(sorted(chosen, key=lambda s: (order[s.event], s.event)))
