"""Document -> Document with ``text``, ``paragraphs`` and ``removed`` set. Pure."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from types import MappingProxyType

from recoupe.config import CleanConfig
from recoupe.ids import sha256_hex
from recoupe.model import Document, Removal, RemovalKind, Span, StageId
from recoupe.stages.clean.blocks import teaser_blocks
from recoupe.stages.clean.features import line_reason, words
from recoupe.stages.clean.normalize import line_key, normalise_line
from recoupe.stages.clean.page import is_comment_label, is_link, is_prose, is_tool, segment

STAGE_ID = StageId("clean.boilerplate.v1")
PAGE_TITLE = "page headline"
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
        recurring: line keys that recur across independent pages of the corpus (cross-document
            evidence computed by :func:`recoupe.stages.clean.outlet.recurring_lines`).

    Removal reasons: metadata ``headline``, ``byline``; boilerplate
    ``copyright``, ``read_also``, ``social_prompt``, ``newsletter_prompt``, ``tags``,
    ``page_furniture``, ``block_header``, ``teaser_block``, ``outlet_recurrent``, ``link``,
    ``navigation`` (before the headline), ``page_header`` (between the headline and the article),
    ``after_article`` (the page's tail), ``comments`` (reader comments);
    duplicate ``repeated_paragraph``.

    Sets ``title`` from the page's headline when the input gave none (with its evidence).
    """
    meta = {m.number: m.reason for m in doc.meta_lines}
    numbers = [line.number for line in doc.lines]
    texts = [normalise_line(line.text) for line in doc.lines]
    keys = [line_key(t) for t in texts]
    reasons: list[tuple[RemovalKind, str] | None] = []
    for number, text in zip(numbers, texts, strict=True):
        if not text:
            reasons.append(("boilerplate", "empty"))
        elif number in meta:
            # A credit line names the outlet (ingest read it) and is page furniture all the same.
            kind: RemovalKind = "boilerplate" if meta[number] == "credit" else "metadata"
            reasons.append((kind, "copyright" if meta[number] == "credit" else meta[number]))
        elif (why := line_reason(text)) is not None:
            reasons.append(("boilerplate", why))
        else:
            reasons.append(None)
    # A paragraph repeated within the article is removed before the page is read (it says nothing
    # new about where the article is); short repeated lines (a title echoed by the page) stay for it.
    seen: set[str] = set()
    for index, key in enumerate(keys):
        if reasons[index] is None and is_prose(texts[index]) and len(texts[index]) >= cfg.min_repeat_chars:
            if key in seen:
                reasons[index] = ("duplicate", "repeated_paragraph")
            seen.add(key)
    recurs = [k in recurring for k in keys]
    # A title this stage read off the page earlier (a re-clean) is found again, not taken as given.
    from_page = PAGE_TITLE in doc.evidence.get("title", "")
    page = None
    if cfg.page.structure and len(texts) >= cfg.page.min_lines:
        prior = [meta.get(n) if n in meta else (r[1] if r else None)
                 for n, r in zip(numbers, reasons, strict=True)]
        echoes = [doc.url.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")] if doc.url else []
        page = segment(texts, prior, recurs, cfg.page, title=None if from_page else doc.title, echoes=echoes)
        if page.end < page.start:
            page = None
    headline_found = None
    if page is not None:
        for index in range(len(texts)):
            if reasons[index] is not None and not (index == page.headline and meta.get(numbers[index]) is None):
                continue
            if index == page.headline:
                reasons[index] = ("metadata", "headline")
                if doc.title is None or from_page:
                    headline_found = index
            elif (index < page.start or index > page.end) and recurs[index]:
                reasons[index] = ("boilerplate", "outlet_recurrent")
            elif index < page.start:
                before = page.headline is not None and index < page.headline
                reasons[index] = ("boilerplate", "navigation" if before else "page_header")
            elif index > page.end:
                reasons[index] = ("boilerplate", "comments" if index in page.comments else "after_article")
    for index, text in enumerate(texts):
        if reasons[index] is not None:
            continue
        if recurs[index] and (words(text) <= cfg.outlet_max_words or not is_prose(text)):
            reasons[index] = ("boilerplate", "outlet_recurrent")
        elif is_link(text):
            reasons[index] = ("boilerplate", "link")
        elif page is not None and (is_tool(text) or is_comment_label(text)):
            reasons[index] = ("boilerplate", "page_furniture")
    seen = set()
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
    extra: dict[str, object] = {}
    if headline_found is not None and page is not None:
        extra["title"] = texts[headline_found]
        extra["evidence"] = MappingProxyType(
            {**doc.evidence, "title": f"line {numbers[headline_found]}: {PAGE_TITLE}: {page.headline_evidence}"})
    return replace(
        doc,
        **extra,  # type: ignore[arg-type]
        text=text,
        paragraphs=tuple(spans),
        removed=tuple(removed),
        clean_key=clean_key([k for n, k in zip(numbers, keys, strict=True) if n not in meta], recurring),
        content_hash=sha256_hex(" ".join(text.casefold().split())),
    )


def paragraph_keys(doc: Document) -> tuple[tuple[str, int, bool], ...]:
    """(key, word count, is a sentence) of every body line of a parsed document, metadata lines excluded.

    This is what the cross-document boilerplate statistics are computed from.
    """
    meta = {m.number for m in doc.meta_lines}
    out = []
    for line in doc.lines:
        if line.number in meta:
            continue
        text = normalise_line(line.text)
        if text:
            out.append((line_key(text), words(text), is_prose(text)))
    return tuple(out)
