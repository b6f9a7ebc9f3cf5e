"""Cross-checking (a corpus stage, after entity resolution and dedupe): per-article events merged into
corpus events, independent sources, contradictions, stories, timelines and cited summaries."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from recoupe.config import CrosscheckConfig
from recoupe.model import Account, Conflict, CorpusEvent, DocId, EntityRef, SourceDoc, StageId, Story
from recoupe.stages.crosscheck.conflicts import find_conflicts, format_interval
from recoupe.stages.crosscheck.merge import merge
from recoupe.stages.crosscheck.sources import Link, groups, links, shared_passages
from recoupe.stages.crosscheck.stories import find_stories, summarise
from recoupe.stages.crosscheck.timeline import Timeline, timeline

STAGE_ID = StageId("crosscheck.v1")


@dataclass(frozen=True, slots=True)
class Crosschecked:
    events: tuple[CorpusEvent, ...]
    conflicts: tuple[Conflict, ...]
    stories: tuple[Story, ...]
    links: tuple[Link, ...]
    group_of: Mapping[DocId, DocId]


def crosscheck(accounts: Sequence[Account], docs: Sequence[SourceDoc], sentences: Iterable[tuple[DocId, str]],
               texts: Mapping[DocId, str], entities: Mapping[str, EntityRef], cfg: CrosscheckConfig,
               step: Callable[[str], None] | None = None) -> Crosschecked:
    """The whole corpus step, from stored accounts to events, conflicts and stories.

    ``step`` is told the name of each part as it starts (for progress).
    """
    from recoupe.stages.nlp import stop_words

    say = step or (lambda name: None)
    stop = stop_words("fr") | stop_words("en")
    say(f"shared passages between {len(docs):,} articles")
    dependencies = links(docs, shared_passages(sentences, cfg.passage_containment, cfg.passage_min_words))
    group_of = groups([d.id for d in docs], dependencies)
    say(f"merging {len(accounts):,} accounts into events")
    events = merge(accounts, {d.id: d for d in docs}, entities, group_of, cfg, stop)
    say(f"stories of {len(events):,} events")
    stories = find_stories(docs, events, cfg, stop)
    home: dict[str, str] = {}
    for story in stories:  # an event belongs to the story that reports it as news
        for event_id in story.news:
            home.setdefault(event_id, story.id)
    for story in stories:  # else to the first that recalls it
        for event_id in story.events:
            home.setdefault(event_id, story.id)
    events = [replace(e, story=home.get(e.id)) for e in events]
    by_id = {e.id: e for e in events}
    say(f"summaries of {len(stories):,} stories")
    stories = [replace(s, summary=summarise(s, by_id, texts, cfg.summary_sentences)) for s in stories]
    say("contradictions")
    conflicts = find_conflicts(events, group_of, entities)
    return Crosschecked(tuple(events), tuple(conflicts), tuple(stories), tuple(dependencies), group_of)


__all__ = ["STAGE_ID", "Crosschecked", "Link", "Timeline", "crosscheck", "format_interval", "timeline"]
