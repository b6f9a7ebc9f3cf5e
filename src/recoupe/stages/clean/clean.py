"""Document -> Document with ``text``, ``paragraphs`` and ``removed`` set. Pure."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from recoupe.config import CleanConfig
from recoupe.ids import sha256_hex
from recoupe.model import Document, Removal, RemovalKind, Span, StageId
from recoupe.stages.clean.blocks import teaser_blocks
from recoupe.stages.clean.features import line_reason, words
from recoupe.stages.clean.normalize import line_key, normalise_line

STAGE_ID = StageId("clean.boilerplate.v1")
PARAGRAPH_SEPARATOR = "\n\n"


def clean_key(doc_keys: Collection[str], recurring: Collection[str]) -> str:
    """Fingerprint of the cross-document evidence that applies to one document.

    A stored document whose key differs from the current one must be cleaned again.
    """
    return sha256_hex("\n".join(sorted(set(doc_keys) & set(recurring))))[:16]


def clean(doc: Document, cfg: CleanConfig, recurring: Collection[str] = frozenset()) -> Document:
    """Remove metadata lines, boilerplate and repeated paragraphs; repair and normalise the rest.

    Args:
        doc: a parsed document (``lines`` set by ingest).
        cfg: the ``[clean]`` settings.
        recurring: line keys that recur across this document's outlet (cross-document
            evidence computed by :func:`recoupe.stages.clean.outlet.recurring_lines`).

    Removal reasons: metadata ``headline``, ``byline``; boilerplate
    ``copyright``, ``read_also``, ``social_prompt``, ``newsletter_prompt``, ``tags``,
    ``page_furniture``, ``block_header``, ``teaser_block``, ``outlet_recurrent``;
    duplicate ``repeated_paragraph``.
    """
    meta = {m.number: m.reason for m in doc.meta_lines}
    numbers = [line.number for line in doc.lines]
    texts = [normalise_line(line.text) for line in doc.lines]
    keys = [line_key(t) for t in texts]
    reasons: list[tuple[RemovalKind, str] | None] = []
    for number, text, key in zip(numbers, texts, keys, strict=True):
        if not text:
            reasons.append(("boilerplate", "empty"))
        elif number in meta:
            # A credit line names the outlet (ingest read it) and is page furniture all the same.
            kind: RemovalKind = "boilerplate" if meta[number] == "credit" else "metadata"
            reasons.append((kind, "copyright" if meta[number] == "credit" else meta[number]))
        elif (why := line_reason(text)) is not None:
            reasons.append(("boilerplate", why))
        elif key in recurring and words(text) <= cfg.outlet_max_words:
            reasons.append(("boilerplate", "outlet_recurrent"))
        else:
            reasons.append(None)
    seen: set[str] = set()
    for index, key in enumerate(keys):
        if reasons[index] is not None:
            continue
        if key in seen and len(texts[index]) >= cfg.min_repeat_chars:
            reasons[index] = ("duplicate", "repeated_paragraph")
        seen.add(key)
    # Blocks are found among the paragraphs still kept (block headers included, as they open
    # blocks); removed ones are transparent, so cleaning a cleaned text changes nothing.
    gone = [r is not None and r != ("boilerplate", "block_header") for r in reasons]
    for index in teaser_blocks(texts, gone, cfg.headline_max_words):
        reasons[index] = ("boilerplate", "teaser_block")

    kept: list[str] = []
    spans: list[Span] = []
    removed: list[Removal] = []
    offset = 0
    for number, text, reason in zip(numbers, texts, reasons, strict=True):
        if reason is None:
            if kept:
                offset += len(PARAGRAPH_SEPARATOR)
            kept.append(text)
            spans.append(Span(doc.id, offset, offset + len(text)))
            offset += len(text)
        elif text:
            removed.append(Removal(reason[0], reason[1], text, number, STAGE_ID))
    text = PARAGRAPH_SEPARATOR.join(kept)
    return replace(
        doc,
        text=text,
        paragraphs=tuple(spans),
        removed=tuple(removed),
        clean_key=clean_key([k for n, k in zip(numbers, keys, strict=True) if n not in meta], recurring),
        content_hash=sha256_hex(" ".join(text.casefold().split())),
    )


def paragraph_keys(doc: Document) -> tuple[tuple[str, int], ...]:
    """(key, word count) of every body line of a parsed document, metadata lines excluded.

    This is what the cross-document boilerplate statistics are computed from.
    """
    meta = {m.number for m in doc.meta_lines}
    out = []
    for line in doc.lines:
        if line.number in meta:
            continue
        text = normalise_line(line.text)
        if text:
            out.append((line_key(text), words(text)))
    return tuple(out)
