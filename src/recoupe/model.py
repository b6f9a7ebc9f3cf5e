"""The one typed data model that every stage reads and writes.

Stages exchange these frozen dataclasses and nothing else. A document is filled in stage by
stage with ``dataclasses.replace``; corpus-level facts refer to documents by id and span.
Offsets are code points, half-open, into the cleaned ``Document.text``.
"""

from __future__ import annotations

import copyreg
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal, NewType

from recoupe.errors import E, SpanError

DocId = NewType("DocId", str)
StageId = NewType("StageId", str)

InputFormat = Literal["txt", "html", "jsonl"]
Basis = Literal["explicit", "inferred", "unknown"]
RemovalKind = Literal["boilerplate", "duplicate", "metadata"]
InputStatus = Literal["accepted", "unchanged", "duplicate", "rejected"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Tense = Literal["past", "present", "future"]

EMPTY: Mapping[str, str] = MappingProxyType({})


def read_only(values: dict[str, object]) -> Mapping[str, object]:
    """A read-only view of ``values`` (the form documents keep their mappings in)."""
    return MappingProxyType(values)


def _reduce_mapping_proxy(proxy: MappingProxyType[str, object]) -> tuple[object, tuple[dict[str, object]]]:
    return read_only, (dict(proxy),)


# Documents carry read-only mappings; teach pickle to copy them, so a process pool
# (`[run] workers > 1`) can send documents to its workers and back.
copyreg.pickle(MappingProxyType, _reduce_mapping_proxy)  # type: ignore[arg-type]


def _empty() -> Mapping[str, str]:
    return EMPTY


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open [start, end) offsets, in code points, into ``Document.text``."""

    doc_id: DocId
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise SpanError(E.R101.format(doc_id=self.doc_id, start=self.start, end=self.end))


@dataclass(frozen=True, slots=True)
class Published:
    """When the article was published, and on what that rests.

    ``value`` is ISO 8601 at the precision the evidence gives (``2022-07-19T18:20``,
    ``2022-07-19``, ``2022-07``); ``None`` when unknown. Nothing is guessed: an article with no
    stated date has ``basis="unknown"``.
    """

    value: str | None = None
    basis: Basis = "unknown"
    evidence: str | None = None
    source: StageId | None = None


UNKNOWN_DATE = Published()


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A time expression with its TimeML value and, where it names a time, an inclusive day interval.

    ``value`` follows TIMEX3 (``2021-11-24``, ``2022-06`` with ``mod="END"``, ``2022-W29``,
    ``P3D``, ``XXXX-WXX-4``, ``PAST_REF``); ``start``/``end`` bound the days it can mean
    (``fin juin 2022`` -> 2022-06-21..2022-06-30), ``None`` when it names no span of days or
    when the anchor is unknown. ``anchor`` says what a relative value was resolved against.
    """

    span: Span
    text: str
    type: TimexType
    value: str
    start: date | None
    end: date | None
    granularity: str  # day, week, month, quarter, season, year, decade, century, time, duration, set, ref
    mod: str | None
    anchor: str  # absolute | document | previous | none
    tense: Tense | None
    source: StageId
    note: str | None = None  # e.g. a weekday that does not fall on the stated date
    governor: str | None = None  # lemma of the verb the expression depends on ("arriver")


EntityType = Literal["PER", "ORG", "GPE", "LOC", "FAC", "EVENT", "EQUIPMENT", "MISC"]


@dataclass(frozen=True, slots=True)
class Mention:
    """A named (or described) mention of an entity, with where its name sits inside it.

    ``span`` covers the mention as a reader would mark it (titles included: "le général Aviv
    Diop" -> "général Moussa Diop"); ``name`` is the proper-name part ("Moussa Diop"), or
    None for a mention by role only ("l'Inspecteur général des armées"). ``title`` and ``role``
    are the qualifiers read around it; ``country`` an ISO 3166 alpha-3 code when a demonym or
    the gazetteer gives one; ``kind`` says how it was found (``ner``, ``acronym``, ``epithet``,
    ``demonym``, ``role``, ``metonym``, ``rule``).
    """

    span: Span
    text: str
    type: EntityType
    name: str | None
    kind: str
    source: StageId
    title: str | None = None
    role: str | None = None
    country: str | None = None
    alias_of: str | None = None  # an acronym's expansion, a metonym's or epithet's state


Modality = Literal["asserted", "reported", "planned", "hedged", "negated"]


@dataclass(frozen=True, slots=True)
class Participant:
    """An argument of an event: the mention that fills it and its role."""

    span: Span
    text: str
    role: str  # agent | counterpart | theme | place


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened (or is said, planned, doubted to have), read from one sentence.

    ``span`` is the sentence; ``trigger`` the word that names the event ("signé", "visite");
    ``start``/``end`` the inclusive day interval from the event's own time expression, else its
    sentence's, else unknown; ``reported_by`` the source a reported fact is attributed to.
    """

    span: Span
    trigger: Span
    trigger_text: str
    type: str
    plover: str | None
    mode: str | None
    participants: tuple[Participant, ...]
    modality: Modality
    reported_by: str | None
    start: date | None
    end: date | None
    time_text: str | None
    amount: str | None
    source: StageId
    lemma: str = ""  # the trigger's lemma ("signer", "visite")


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation and who said it (``speaker`` is the mention it is attributed to)."""

    span: Span
    text: str
    speaker: Span | None
    speaker_text: str | None
    verb: str | None
    source: StageId


@dataclass(frozen=True, slots=True)
class Token:
    """What later stages need of a parsed token (spaCy objects never leave stages/nlp)."""

    start: int
    end: int
    lemma: str
    pos: str
    head: int  # index of the head token in the document's token tuple
    dep: str
    tense: str  # spaCy morph Tense ("" when none)
    mood: str
    verb_form: str


@dataclass(frozen=True, slots=True)
class Line:
    """One non-empty paragraph of the input body, before cleaning.

    ``number`` is the 1-based line of the input file where the paragraph starts (for HTML and
    JSONL inputs, the paragraph's rank in the extracted text).
    """

    number: int
    text: str


@dataclass(frozen=True, slots=True)
class MetaLine:
    """A body line that ingest recognised as metadata (headline, byline, credit) and consumed."""

    number: int
    reason: str  # "headline" | "byline" | "credit"


@dataclass(frozen=True, slots=True)
class PageLines:
    """What the recurrence statistics need of one stored page."""

    doc_id: DocId
    outlet: str | None
    published: str | None  # ISO date (or datetime) of publication, when known
    lines: tuple[tuple[str, int, bool], ...]  # (line key, words, is a sentence)


@dataclass(frozen=True, slots=True)
class Removal:
    """Something clean took out of the body, with why. Nothing disappears silently."""

    kind: RemovalKind
    reason: str  # snake_case, from clean's documented set (see stages/clean/__init__.py)
    text: str
    line: int | None
    source: StageId


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that could not become a document, with a stable code and a readable message."""

    source: str
    code: str  # "R3xx"
    reason: str  # snake_case: empty, binary, undecodable, oversized, unparsable, no_text, ...
    message: str
    fingerprint: str | None = None


@dataclass(frozen=True, slots=True)
class RawInput:
    """Bytes or a decoded record as read from disk, before any parsing (the only I/O product)."""

    source: str
    doc_id: DocId
    format: InputFormat
    data: bytes
    fingerprint: str
    # JSONL records arrive already decoded: their fields, all strings.
    record: Mapping[str, str] = field(default_factory=_empty)
    # Metadata given beside the input (a sidecar metadata file, a date in the path): field -> value,
    # and field -> where it was read ("metadata file 'meta.csv', row 3", "path '.../2011-02-16/a.txt'").
    given: Mapping[str, str] = field(default_factory=_empty)
    given_evidence: Mapping[str, str] = field(default_factory=_empty)
    # Warnings about the input found before parsing (an id already taken, ...).
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """An article, filled in stage by stage.

    ingest sets the metadata and ``lines``; clean sets ``text``, ``paragraphs`` and
    ``removed`` and the text is never changed afterwards; dedupe sets the duplicate fields.
    """

    id: DocId
    source: str
    format: InputFormat
    fingerprint: str
    lines: tuple[Line, ...] = ()
    meta_lines: tuple[MetaLine, ...] = ()
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    section: str | None = None
    dateline: str | None = None
    url: str | None = None
    published: Published = UNKNOWN_DATE
    language: str = "und"
    language_score: float = 0.0
    # Which input text each metadata field was read from: field name -> evidence.
    evidence: Mapping[str, str] = field(default_factory=_empty)
    # Passthrough fields from the input that no core stage reads.
    extras: Mapping[str, str] = field(default_factory=_empty)
    warnings: tuple[str, ...] = ()
    text: str = ""
    paragraphs: tuple[Span, ...] = ()
    removed: tuple[Removal, ...] = ()
    sentences: tuple[Span, ...] = ()
    tokens: tuple[Token, ...] = ()
    time_exprs: tuple[TimeExpr, ...] = ()
    ner: tuple[tuple[int, int, str], ...] = ()  # the statistical NER's raw spans (start, end, label)
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    quotes: tuple[Quote, ...] = ()
    clean_key: str = ""
    content_hash: str = ""
    nlp_key: str = ""  # content_hash of the text the nlp/temporal stages last annotated
    duplicate_of: DocId | None = None
    near_duplicates: tuple[DocId, ...] = ()
    family: str | None = None
    story: str | None = None


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    """An undirected near-duplicate edge between two documents, with its measured overlap."""

    a: DocId
    b: DocId
    jaccard: float
    containment: float


@dataclass(frozen=True, slots=True)
class InputRecord:
    """How one input was accounted for in a run: every input read gets exactly one."""

    source: str
    doc_id: DocId | None
    status: InputStatus
    fingerprint: str | None = None
    code: str | None = None
    reason: str | None = None
    message: str | None = None
    duplicate_of: DocId | None = None


@dataclass(frozen=True, slots=True)
class Account:
    """One article's account of an event: a stored per-article event with its entities resolved.

    ``participants`` are (entity id, role) pairs; ``derived`` says when the account is inferred
    from another one rather than read ("presence": a visit implied by an act done abroad).
    """

    doc_id: DocId
    sentence: Span
    trigger: Span
    trigger_text: str
    lemma: str
    type: str
    plover: str | None
    mode: str | None
    modality: Modality
    reported_by: str | None
    start: date | None
    end: date | None
    time_text: str | None
    amount: str | None
    place: str | None
    participants: tuple[tuple[str, str], ...]
    sentence_text: str
    derived: str | None = None

    @property
    def key(self) -> str:
        """Unique among a corpus's accounts: its trigger, type, and for a derived account its agent."""
        return account_key(self.doc_id, self.trigger.start, self.trigger.end, self.type, self.derived,
                           self.participants)


def account_key(doc_id: str, start: int, end: int, kind: str, derived: str | None,
                participants: Sequence[tuple[str, str]]) -> str:
    """The key of an account (see :attr:`Account.key`); one function for the build and the store."""
    agent = next((e for e, role in participants if role == "agent"), "") if derived else ""
    return f"{doc_id}:{start}:{end}:{kind}:{derived or ''}:{agent}"


@dataclass(frozen=True, slots=True)
class EntityRef:
    """A resolved entity as the corpus stages see it."""

    id: str
    type: str
    name: str
    country: str | None
    kind: str | None = None  # country | city, for places the gazetteer knows


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """What cross-checking needs to know of an article: who published it and what it copies."""

    id: DocId
    outlet: str | None
    agency: str | None
    family: str | None
    published: date | None
    title: str | None
    lead: str  # the first sentences, for story vocabulary and labels
    lead_end: int = 0  # offset where the lead ends in the text


@dataclass(frozen=True, slots=True)
class CorpusEvent:
    """One happening, merged from the accounts of every article that reports it.

    ``groups`` partitions ``sources`` into dependent groups (copies, one outlet, one wire agency,
    shared passages); ``independent_sources`` is the number of groups. The time, place and
    modality are the best supported values (most independent sources; conflicts keep the rest).
    """

    id: str
    type: str
    plover: str | None
    mode: str | None
    label: str
    start: date | None
    end: date | None
    time_text: str | None
    place: str | None
    participants: tuple[tuple[str, str], ...]
    modality: Modality
    sources: tuple[DocId, ...]
    groups: tuple[tuple[DocId, ...], ...]
    accounts: tuple[Account, ...]
    story: str | None = None

    @property
    def independent_sources(self) -> int:
        return len(self.groups)


@dataclass(frozen=True, slots=True)
class ConflictValue:
    """One of the values sources give for a slot, with who gives it and where."""

    value: str
    sources: tuple[DocId, ...]
    independent_sources: int
    accounts: tuple[Account, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    """Sources that disagree on one slot of one event; ``best`` is the value a majority of the
    independent sources supports (None when there is no majority). No value is dropped."""

    id: str
    kind: Literal["date", "number", "participant", "place", "outcome", "other"]
    event: str
    slot: str
    values: tuple[ConflictValue, ...]
    best: str | None


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """A sentence of a story summary, with the articles that support what it says."""

    event: str
    span: Span
    text: str
    sources: tuple[DocId, ...]
    independent_sources: int


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about one news story: their main events, a label and a cited summary."""

    id: str
    label: str
    documents: tuple[DocId, ...]
    events: tuple[str, ...]  # its news first, then the background its articles recall
    summary: tuple[SummarySentence, ...] = ()
    news: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Novelty:
    """What an article added to the knowledge base when it came in: a new event (``adds``), more
    sources for a known one (``confirms``), or a value that disagrees (``contradicts``)."""

    run_id: str
    doc_id: DocId
    event: str
    kind: Literal["adds", "confirms", "contradicts"]
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """A stage that failed on one document: recorded with a code; the build went on without it."""

    doc_id: DocId
    stage: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class PhaseTime:
    """How long one phase of a build took, and over how many items (documents, mentions...)."""

    name: str
    seconds: float
    items: int | None = None


@dataclass(frozen=True, slots=True)
class BuildSummary:
    """What a build did. ``read == accepted + unchanged + duplicate + rejected``."""

    kb: str
    run_id: str
    read: int
    accepted: int
    unchanged: int
    duplicate: int
    rejected: int
    recleaned: int
    documents: int
    near_duplicate_pairs: int
    families: int
    annotated: int = 0
    dated_from_corpus: int = 0
    events: int = 0
    stories: int = 0
    conflicts: int = 0
    novelty: Mapping[str, int] = field(default_factory=dict)
    rejections: tuple[Rejection, ...] = ()
    by_reason: Mapping[str, int] = field(default_factory=dict)
    undated: int = 0  # documents (copies excluded) with no publication date
    failed: int = 0  # documents a stage failed on (recorded with a code, the build went on)
    warnings: tuple[str, ...] = ()
    phases: tuple[PhaseTime, ...] = ()
    corpus_unchanged_since: str | None = None  # the run whose corpus steps stand (nothing new since)

    @property
    def exit_code(self) -> int:
        """0 when every input was used, 3 when the build finished but rejected some inputs."""
        return 3 if self.rejected else 0
