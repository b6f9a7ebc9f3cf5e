"""`recoupe eval timeline`: entity timelines (SemEval-2015 Task 4, Track A) from recoupe's pipeline, scored.

System. Every document of the task (CAT token files; the DCT from the TimeML copies) is detokenised
into one paragraph, from its third sentence on (sentence 0 is the headline, passed as the title;
sentence 1 is the date line, replaced by the DCT as ``published``), built into a knowledge base with
``recoupe.build`` and exported. A target's timeline holds the exported events with a participant
whose entity has a name or alias matching the target (or, for a participant without an entity,
whose text matches): folded words, possessive and plural ``s`` and legal forms dropped, equal sets,
or the target's words all in the name, or a name of two or more words all in the target. Each event
is one line; its mentions (all accounts of a merged event) are the trigger tokens, written
``DOCID-SENTENCE-WORD`` in the task's tokenisation (words joined by ``_`` when a trigger covers
several tokens). Its date is the event's time at the granularity known (``YYYY-MM-DD``,
``YYYY-MM-XX`` within one month, ``YYYY-XX-XX`` within one year, else ``XXXX-XX-XX``); events are
ordered by start date, equal starts sharing an order, undated ones at order 0. The baseline takes
the same event mentions, each on its own line, dated and ordered by its document's DCT.

Scorer. Temporal awareness (UzZaman and Allen 2011, as in TempEval-3): precision is the share of
the system's reduced graph entailed by the closure of the gold graph, recall the share of the
gold's reduced graph entailed by the closure of the system graph, both micro-averaged over the
timelines (the task's headline figure), F1 their harmonic mean. A timeline becomes a graph as the
organisers' tool page describes: event mentions and time anchors (one TIMEX3 node per date value;
trailing ``-XX`` dropped, so ``2008-03-XX`` = ``2008-03``; fully unknown dates give no anchor)
are nodes; each dated event is SIMULTANEOUS with its anchor; events of one line (coreferent) and of
one order are SIMULTANEOUS; every event of order k is BEFORE every event of the next order present
(order 0 is never ordered). Nodes match across graphs by their exact ``DOCID-SENTENCE-WORD`` string.

Where this may differ from the official scorer (``evaluation_tool_timeline_task4_v3``, not in the
repo, not run here): (1) with only SIMULTANEOUS and BEFORE the closure is computed exactly
(SIMULTANEOUS classes, BEFORE reachability between classes) instead of by the TempEval-3
point-algebra timegraph; (2) a relation that contradicts those already added is dropped (the
timegraph ignores inconsistent links too), with anchors and SIMULTANEOUS added before BEFORE, so
two orders on one date merge into one (gold timelines do that, e.g. two orders in one year); the
official order of insertion is unknown; (3) the reduced graph is canonical: each class is a star
around its time anchor (else its first event in file order), and the transitive reduction of
BEFORE between classes links their first events; TempEval-3 reduces the explicit links in file
order, so on classes holding wrong events the two may count differently; (4) time anchors are not
ordered among themselves (the tool page states no such links). The published best Track A F1, 7.85,
was measured by the official scorer on the three test corpora, not on the trial set scored here.
"""

from __future__ import annotations

import json
import re
import tempfile
import xml.etree.ElementTree as ET
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from recoupe.errors import E, EvalError
from recoupe.stages.entities.names import fold

PUBLISHED_TRACK_A_BEST_F1 = 0.0785
# A task document opens with its headline (sentence 0) and its date line (sentence 1); events start after.
BODY_FROM_SENTENCE = 2
UNKNOWN_DATE = "XXXX-XX-XX"
LEGAL_FORMS = frozenset({"inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "plc",
                         "llc", "sa", "ag", "nv", "gmbh"})
_NO_SPACE_BEFORE = frozenset({",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "...", "'s", "'ve", "'re", "'ll",
                              "'d", "'m", "n't"})
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "£", "€", "`"})
_EVENT_LINE = re.compile(r"^\d+\t\S+")

Relation = tuple[str, Literal["BEFORE", "SIMULTANEOUS"], str]


@dataclass(frozen=True, slots=True)
class Token:
    sentence: int
    text: str


@dataclass(frozen=True, slots=True)
class CatDoc:
    id: str
    tokens: tuple[Token, ...]


@dataclass(frozen=True, slots=True)
class TimelineLine:
    order: int
    date: str
    mentions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Timeline:
    target: str
    lines: tuple[TimelineLine, ...]


@dataclass(frozen=True, slots=True)
class Task:
    """One corpus of the task: its documents, their DCTs and the gold timelines by file name."""

    root: Path
    docs: tuple[CatDoc, ...]
    dcts: Mapping[str, str]
    gold: Mapping[str, Timeline]


# --- reading and writing the task's files -----------------------------------------------------------


def read_cat(path: Path) -> CatDoc | None:
    """The tokens of a CAT file (``None`` for XML that is not a CAT document)."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as err:
        raise EvalError(E.R501.format(path=path, error=err)) from err
    if root.tag != "Document" or not root.get("doc_id"):
        return None
    nodes = sorted(root.iter("token"), key=lambda t: int(t.get("t_id") or 0))
    tokens = tuple(Token(int(t.get("sentence") or 0), t.text or "") for t in nodes if (t.text or "").strip())
    return CatDoc(str(root.get("doc_id")), tokens)


def read_dct(path: Path) -> tuple[str, str] | None:
    """(document id, creation date) of a TimeML file, if it has both."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as err:
        raise EvalError(E.R501.format(path=path, error=err)) from err
    doc_id = (root.findtext("DOCID") or "").strip()
    node = root.find(".//DCT/TIMEX3")
    value = (node.get("value") or "")[:10] if node is not None else ""
    return (doc_id, value) if doc_id and value else None


def read_timeline(path: Path) -> Timeline:
    """A timeline file: the target on the first line, then ``ORDER<TAB>DATE<TAB>MENTION...`` lines."""
    rows = [r for r in path.read_text("utf-8").splitlines() if r.strip()]
    if not rows:
        raise EvalError(E.R501.format(path=path, error="empty timeline file"))
    lines = []
    for row in rows[1:]:
        cells = [c.strip() for c in row.split("\t") if c.strip()]
        if len(cells) < 3 or not cells[0].isdigit():
            raise EvalError(E.R501.format(path=path, error=f"line {row!r} is not ORDER, DATE and mentions"))
        lines.append(TimelineLine(int(cells[0]), cells[1], tuple(cells[2:])))
    return Timeline(rows[0].strip(), tuple(lines))


def format_timeline(timeline: Timeline) -> str:
    rows = [timeline.target] + [f"{line.order}\t{line.date}\t" + "\t".join(line.mentions) for line in timeline.lines]
    return "\n".join(rows) + "\n"


def _is_timeline(path: Path) -> bool:
    rows = [r for r in path.read_text("utf-8", errors="replace").splitlines() if r.strip()]
    return len(rows) > 1 and "\t" not in rows[0] and all(_EVENT_LINE.match(r) for r in rows[1:])


def load_tasks(data: Path) -> list[Task]:
    """Each folder of gold timelines, with the documents and DCTs found beside it (under its parent)."""
    folders = sorted({p.parent for p in data.rglob("*.txt") if _is_timeline(p)})
    if not folders:
        raise EvalError(E.R501.format(path=data, error="no timeline files (target line, then ORDER<TAB>DATE lines)"))
    tasks = []
    for folder in folders:
        root = folder.parent if folder != data else data
        docs: dict[str, CatDoc] = {}
        for path in sorted(root.rglob("*.xml")):
            doc = read_cat(path)
            if doc is not None and doc.tokens:
                docs.setdefault(doc.id, doc)
        if not docs:
            raise EvalError(E.R501.format(path=root, error="no CAT documents (*.xml with <token> elements)"))
        dcts = dict(found for p in sorted(root.rglob("*.tml")) if (found := read_dct(p)) is not None)
        gold = {p.name: read_timeline(p) for p in sorted(folder.glob("*.txt")) if _is_timeline(p)}
        tasks.append(Task(root, tuple(docs[k] for k in sorted(docs)), dcts, gold))
    return tasks


# --- temporal awareness ----------------------------------------------------------------------------


def anchor_key(value: str) -> str | None:
    """The time-anchor node of a date (``2008-03-XX`` -> ``T:2008-03``), ``None`` when nothing is known."""
    parts = value.strip().split("-")
    while parts and set(parts[-1]) <= {"X", "x"}:
        parts.pop()
    return "T:" + "-".join(parts) if parts and any(ch.isdigit() for ch in parts[0]) else None


class TemporalGraph:
    """Nodes under SIMULTANEOUS (an equivalence) and BEFORE (a strict order between classes), kept consistent."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}
        self._rank: dict[str, tuple[int, int, int]] = {}
        self._before: list[tuple[str, str]] = []
        self._reach: dict[str, frozenset[str]] | None = None
        self.dropped: list[Relation] = []

    def add_node(self, node: str, rank: tuple[int, int, int]) -> None:
        """Add ``node``; ``rank`` orders nodes when a canonical member is needed (the first rank kept)."""
        if node not in self._parent:
            self._parent[node] = node
            self._rank[node] = rank
            self._reach = None

    def find(self, node: str) -> str:
        while self._parent[node] != node:
            self._parent[node] = self._parent[self._parent[node]]
            node = self._parent[node]
        return node

    def _successors(self) -> dict[str, set[str]]:
        succ: dict[str, set[str]] = defaultdict(set)
        for x, y in self._before:
            succ[self.find(x)].add(self.find(y))
        return succ

    def reachable(self) -> dict[str, frozenset[str]]:
        """Class root -> the class roots after it (transitive)."""
        if self._reach is None:
            succ = self._successors()
            reach: dict[str, frozenset[str]] = {}
            for root in {self.find(n) for n in self._parent}:
                seen: set[str] = set()
                stack = list(succ.get(root, ()))
                while stack:
                    nxt = stack.pop()
                    if nxt not in seen:
                        seen.add(nxt)
                        stack.extend(succ.get(nxt, ()))
                reach[root] = frozenset(seen)
            self._reach = reach
        return self._reach

    def add(self, relation: Relation) -> bool:
        """Add a relation between known nodes; one contradicting the graph is dropped (False)."""
        x, rel, y = relation
        a, b = self.find(x), self.find(y)
        reach = self.reachable()
        if rel == "SIMULTANEOUS":
            if a == b:
                return True
            if b in reach[a] or a in reach[b]:
                self.dropped.append(relation)
                return False
            self._parent[b] = a
        else:
            if a == b or a in reach[b]:
                self.dropped.append(relation)
                return False
            self._before.append((x, y))
        self._reach = None
        return True

    def entails(self, relation: Relation) -> bool:
        """Whether the closure holds ``relation`` (both nodes must be in the graph)."""
        x, rel, y = relation
        if x not in self._parent or y not in self._parent:
            return False
        a, b = self.find(x), self.find(y)
        return a == b if rel == "SIMULTANEOUS" else b in self.reachable()[a]

    def reduced(self) -> list[Relation]:
        """A canonical minimal graph with the same closure (see the module docstring)."""
        classes: dict[str, list[str]] = defaultdict(list)
        for node in sorted(self._parent, key=lambda n: self._rank[n]):
            classes[self.find(node)].append(node)
        out: list[Relation] = []
        for members in classes.values():
            hub = next((m for m in members if m.startswith("T:")), members[0])
            out.extend((m, "SIMULTANEOUS", hub) for m in members if m != hub)
        reach = self.reachable()
        succ = self._successors()
        for root in sorted(classes, key=lambda r: self._rank[classes[r][0]]):
            direct = succ.get(root, set())
            for nxt in sorted(direct, key=lambda r: self._rank[classes[r][0]]):
                if not any(nxt in reach[other] for other in direct if other != nxt):
                    out.append((classes[root][0], "BEFORE", classes[nxt][0]))
        return out


def timeline_graph(timeline: Timeline) -> TemporalGraph:
    """The relation graph of a timeline: anchors, then SIMULTANEOUS lines and orders, then BEFORE between orders."""
    graph = TemporalGraph()
    lines = [(pos, line) for pos, line in enumerate(sorted(timeline.lines, key=lambda x: x.order)) if line.mentions]
    for pos, line in lines:
        for j, mention in enumerate(line.mentions):
            graph.add_node(mention, (0, pos, j))
        if (anchor := anchor_key(line.date)) is not None:
            graph.add_node(anchor, (1, pos, 0))
    relations: list[Relation] = []
    for _, line in lines:
        relations.extend((line.mentions[0], "SIMULTANEOUS", m) for m in line.mentions[1:])
    for _, line in lines:
        if (anchor := anchor_key(line.date)) is not None:
            relations.append((line.mentions[0], "SIMULTANEOUS", anchor))
    firsts: dict[int, str] = {}
    for _, line in lines:
        if line.order > 0:
            first = firsts.setdefault(line.order, line.mentions[0])
            if first != line.mentions[0]:
                relations.append((first, "SIMULTANEOUS", line.mentions[0]))
    orders = sorted(firsts)
    relations.extend((firsts[a], "BEFORE", firsts[b]) for a, b in pairwise(orders))
    for relation in relations:
        graph.add(relation)
    return graph


@dataclass(frozen=True, slots=True)
class Awareness:
    """Counts behind temporal-awareness precision (system side) and recall (gold side)."""

    system_verified: int = 0
    system_relations: int = 0
    gold_verified: int = 0
    gold_relations: int = 0

    def __add__(self, other: Awareness) -> Awareness:
        return Awareness(self.system_verified + other.system_verified, self.system_relations + other.system_relations,
                         self.gold_verified + other.gold_verified, self.gold_relations + other.gold_relations)

    @property
    def precision(self) -> float:
        return self.system_verified / self.system_relations if self.system_relations else 0.0

    @property
    def recall(self) -> float:
        return self.gold_verified / self.gold_relations if self.gold_relations else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "system_verified": self.system_verified, "system_relations": self.system_relations,
                "gold_verified": self.gold_verified, "gold_relations": self.gold_relations}


def temporal_awareness(system: Timeline, gold: Timeline) -> Awareness:
    """|S⁻ ∩ K⁺| / |S⁻| and |K⁻ ∩ S⁺| / |K⁻| as counts (⁺ closure, ⁻ reduced graph)."""
    sys_graph, gold_graph = timeline_graph(system), timeline_graph(gold)
    sys_reduced, gold_reduced = sys_graph.reduced(), gold_graph.reduced()
    return Awareness(sum(gold_graph.entails(r) for r in sys_reduced), len(sys_reduced),
                     sum(sys_graph.entails(r) for r in gold_reduced), len(gold_reduced))


def micro(scores: Iterable[Awareness]) -> Awareness:
    return sum(scores, Awareness())


# --- the system: recoupe's knowledge base -> timelines ---------------------------------------------


def detokenise(tokens: Sequence[Token]) -> tuple[str, list[tuple[int, int]]]:
    """Text of the tokens with ordinary spacing, and each token's (start, end) in it."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    length, quotes, glue = 0, 0, True
    for token in tokens:
        closing = token.text == '"' and quotes % 2 == 1
        if not glue and token.text not in _NO_SPACE_BEFORE and not closing:
            parts.append(" ")
            length += 1
        parts.append(token.text)
        spans.append((length, length + len(token.text)))
        length += len(token.text)
        if token.text == '"':
            quotes += 1
        glue = token.text in _NO_SPACE_AFTER or (token.text == '"' and not closing)
    return "".join(parts), spans


Layout = tuple[str, list[tuple[int, int]], tuple[Token, ...]]  # text written, token spans in it, tokens


@dataclass(frozen=True, slots=True)
class TokenMap:
    """Character offsets of a document's text -> the task's (sentence, token)."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    tokens: tuple[Token, ...]

    @classmethod
    def align(cls, text: str, tokens: Sequence[Token], spans: Sequence[tuple[int, int]], source: str) -> TokenMap:
        """Offsets in ``text``: those of ``source`` when it is unchanged, else each token searched in turn."""
        if text != source:
            found, cursor = [], 0
            for token in tokens:
                start = text.find(token.text, cursor)
                found.append((start, start + len(token.text)) if start >= 0 else (-1, -1))
                cursor = start + len(token.text) if start >= 0 else cursor
            spans = found
        kept = [(s, e, t) for (s, e), t in zip(spans, tokens, strict=True) if s >= 0]
        return cls(tuple(s for s, _, _ in kept), tuple(e for _, e, _ in kept), tuple(t for _, _, t in kept))

    def mention(self, doc_id: str, start: int, end: int) -> str | None:
        """``DOCID-SENTENCE-WORD`` of the tokens covering [start, end) (words of one sentence joined by ``_``)."""
        i = max(bisect_right(self.starts, start) - 1, 0)
        covered = [k for k in range(i, len(self.starts)) if self.starts[k] < end and self.ends[k] > start]
        if not covered:
            return None
        sentence = self.tokens[covered[0]].sentence
        words = [self.tokens[k].text for k in covered if self.tokens[k].sentence == sentence]
        return f"{doc_id}-{sentence}-{'_'.join(words)}"


def _records(task: Task) -> tuple[list[dict[str, str]], dict[str, Layout]]:
    records, layout = [], {}
    for doc in task.docs:
        body = tuple(t for t in doc.tokens if t.sentence >= BODY_FROM_SENTENCE)
        text, spans = detokenise(body)
        title, _ = detokenise([t for t in doc.tokens if t.sentence == 0])
        record = {"id": doc.id, "title": title, "text": text}
        if doc.id in task.dcts:
            record["published"] = task.dcts[doc.id]
        records.append(record)
        layout[doc.id] = (text, spans, body)
    return records, layout


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def build_export(task: Task, workdir: Path) -> dict[str, Any]:
    """Build the task's documents with recoupe's pipeline; the export's documents, entities, events and token maps."""
    from recoupe.config import load_config
    from recoupe.export import export
    from recoupe.pipeline import build

    records, layout = _records(task)
    source = workdir / "documents.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    build([source], workdir / "kb.duckdb", load_config(run={"progress": False}))
    export(workdir / "kb.duckdb", workdir / "export")
    docs = {d["id"]: d for d in _read_jsonl(workdir / "export" / "documents.jsonl")}
    maps = {doc_id: TokenMap.align(doc["text"], layout[doc_id][2], layout[doc_id][1], layout[doc_id][0])
            for doc_id, doc in docs.items() if doc_id in layout}
    return {"documents": docs, "maps": maps,
            "entities": _read_jsonl(workdir / "export" / "entities.jsonl"),
            "events": _read_jsonl(workdir / "export" / "events.jsonl")}


def _words(name: str) -> frozenset[str]:
    words = re.sub(r"'s\b", " ", fold(name)).replace("'", " ").split()
    kept = [w for w in words if w not in LEGAL_FORMS] or words
    return frozenset(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in kept)


def names_match(name: str, target: str) -> bool:
    """Whether an entity name denotes the target (rules in the module docstring)."""
    a, t = _words(name), _words(target)
    if not a or not t:
        return False
    return a == t or t <= a or (a <= t and len(a) >= 2)


def event_mentions(event: Mapping[str, Any], texts: Mapping[str, str],
                   maps: Mapping[str, TokenMap]) -> list[tuple[str, str]]:
    """(document id, the task's mention string) of an event's triggers, one per account (mention) of it."""
    out: list[tuple[str, str]] = []
    for mention in event.get("mentions") or []:
        trigger = mention.get("trigger") or event.get("trigger")
        doc_id = str(mention.get("doc"))
        if not trigger or doc_id not in maps:
            continue
        start, end = int(trigger["start"]), int(trigger["end"])
        if "trigger" not in mention and texts.get(doc_id, "")[start:end] != trigger.get("text"):
            continue  # a merged event's trigger belongs to another of its accounts
        found = maps[doc_id].mention(doc_id, start, end)
        if found and (doc_id, found) not in out:
            out.append((doc_id, found))
    return out


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def date_label(start: date | None, end: date | None) -> str:
    """The task's date at the granularity an interval gives."""
    if start is None:
        return UNKNOWN_DATE
    end = end or start
    if start == end:
        return start.isoformat()
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.year:04d}-{start.month:02d}-XX"
    if start.year == end.year:
        return f"{start.year:04d}-XX-XX"
    return UNKNOWN_DATE


def make_timeline(target: str, items: Iterable[tuple[tuple[str, ...], date | None, date | None]]) -> Timeline:
    """Lines (mentions, start, end) ordered by start date; equal starts share an order, undated ones get 0."""
    seen: set[str] = set()
    rows = []
    for mentions, start, end in items:
        fresh = tuple(m for m in mentions if m not in seen)
        seen.update(fresh)
        if fresh:
            label = date_label(start, end)
            rows.append((fresh, start if label != UNKNOWN_DATE else None, label))
    starts = sorted({s for _, s, _ in rows if s is not None})
    order = {s: i for i, s in enumerate(starts, start=1)}
    lines = [TimelineLine(order[s] if s is not None else 0, label, m) for m, s, label in rows]
    return Timeline(target, tuple(sorted(lines, key=lambda x: (x.order, x.date, x.mentions))))


SYSTEMS = ("recoupe", "recoupe_dct_fallback", "baseline_dct")


def _participant_text(participant: Mapping[str, Any]) -> str:
    return str(participant.get("text") or participant.get("name") or "")


def system_timelines(target: str, kb: Mapping[str, Any],
                     dcts: Mapping[str, str]) -> tuple[dict[str, Timeline], list[str]]:
    """The timelines of ``target`` by system (see :data:`SYSTEMS`), and the names of the entities matched.

    ``recoupe`` dates events by their time; ``recoupe_dct_fallback`` gives the undated ones their first
    document's DCT; ``baseline_dct`` puts every mention of the same events on its own line at its DCT.
    """
    entities = [e for e in kb["entities"] if any(names_match(n, target) for n in [e["name"], *e.get("aliases", [])])]
    ids = {e["id"] for e in entities}
    texts = {doc_id: doc["text"] for doc_id, doc in kb["documents"].items()}
    chosen = []
    for event in kb["events"]:
        participants = event.get("participants") or []
        if any(p.get("entity") in ids or (not p.get("entity") and names_match(_participant_text(p), target))
               for p in participants):
            mentions = event_mentions(event, texts, kb["maps"])
            if mentions:
                time = event.get("time") or {}
                chosen.append((mentions, _day(time.get("start")), _day(time.get("end"))))
    timelines = {
        "recoupe": make_timeline(target, ((tuple(m for _, m in found), start, end) for found, start, end in chosen)),
        "recoupe_dct_fallback": make_timeline(target, (
            (tuple(m for _, m in found), start, end) if start else
            (tuple(m for _, m in found), _day(dcts.get(found[0][0])), None) for found, start, end in chosen)),
        "baseline_dct": make_timeline(target, (((m,), _day(dcts.get(doc_id)), None)
                                               for found, _, _ in chosen for doc_id, m in found)),
    }
    return timelines, sorted({e["name"] for e in entities})


def evaluate_timeline(data: str | Path, out: Path | None = None) -> dict[str, Any]:
    """Build, write and score the timelines of every target of the task's data (micro-averaged temporal awareness).

    Args:
        data: a folder holding gold timeline files and, under the same parent, the CAT and TimeML documents.
        out: where to write recoupe's timeline files (one per target, named as the gold's).

    Returns:
        Micro-averaged precision/recall/F1 of each of :data:`SYSTEMS`, per-entity figures and counts.

    Raises:
        EvalError: R501 when the data holds no timeline files or no documents.
    """
    tasks = load_tasks(Path(data))
    scores: dict[str, dict[str, Awareness]] = {name: {} for name in SYSTEMS}
    per_entity: dict[str, dict[str, Any]] = {}
    counts: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    for task in tasks:
        with tempfile.TemporaryDirectory(prefix="recoupe-timeline-") as tmp:
            kb = build_export(task, Path(tmp))
        counts.update(documents=len(kb["documents"]), events=len(kb["events"]), entities=len(kb["entities"]))
        languages.update(str(d.get("language")) for d in kb["documents"].values())
        texts = {doc_id: doc["text"] for doc_id, doc in kb["documents"].items()}
        detected = {m for event in kb["events"] for _, m in event_mentions(event, texts, kb["maps"])}
        for name, gold in task.gold.items():
            timelines, matched = system_timelines(gold.target, kb, task.dcts)
            system = timelines["recoupe"]
            if out is not None:
                out.mkdir(parents=True, exist_ok=True)
                (out / name).write_text(format_timeline(system), "utf-8")
            key = gold.target if gold.target not in per_entity else f"{gold.target} ({name})"
            for variant, timeline in timelines.items():
                scores[variant][key] = temporal_awareness(timeline, gold)
            gold_mentions = {m for line in gold.lines for m in line.mentions}
            sys_mentions = {m for line in system.lines for m in line.mentions}
            counts.update(gold_mentions=len(gold_mentions), gold_mentions_detected=len(gold_mentions & detected),
                          gold_relations_dropped=len(timeline_graph(gold).dropped))
            per_entity[key] = {
                "file": name, "entities": matched, "gold_events": len(gold.lines), "gold_mentions": len(gold_mentions),
                "system_events": len(system.lines), "dated_events": sum(x.order > 0 for x in system.lines),
                "mentions_found": len(sys_mentions & gold_mentions),
                **{f"{variant}_f1": round(scores[variant][key].f1, 4) for variant in SYSTEMS},
            }
    return {
        "data": str(data), "corpora": len(tasks), **dict(counts), "languages": dict(languages),
        "targets": len(per_entity), **{variant: micro(scores[variant].values()).as_dict() for variant in SYSTEMS},
        "per_entity": per_entity, "published_track_a_best_f1": PUBLISHED_TRACK_A_BEST_F1,
        "note": "published figure: official scorer on the SemEval-2015 test corpora, not this data",
    }
