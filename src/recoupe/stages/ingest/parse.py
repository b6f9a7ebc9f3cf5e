"""RawInput -> Document (metadata and numbered body lines), or a coded Rejection. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from urllib.parse import urlsplit

import ftfy

from recoupe.config import IngestConfig
from recoupe.errors import E
from recoupe.model import Document, Line, MetaLine, Published, RawInput, Rejection, StageId
from recoupe.stages.ingest.dates import normalise_date_field
from recoupe.stages.ingest.decode import decode
from recoupe.stages.ingest.header import read_header
from recoupe.stages.ingest.html import extract_page
from recoupe.stages.ingest.langid import identify

STAGE_ID = StageId("ingest.parse.v1")


def _lines(text: str) -> tuple[tuple[Line, ...], frozenset[int]]:
    """Non-empty lines numbered as in the input, and the numbers of lines followed by a blank."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = tuple(Line(n, s) for n, s in enumerate(raw, start=1) if s.strip())
    blank_after = frozenset(
        n for n in range(1, len(raw)) if raw[n - 1].strip() and not raw[n].strip()
    )
    return lines, blank_after


def _fix(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(ftfy.fix_text(value, uncurl_quotes=False).split())
    return value or None


def parse(raw: RawInput, cfg: IngestConfig) -> Document | Rejection:
    """Parse one input. Never raises for bad content: returns a Rejection with its code."""
    record = raw.record
    warnings: list[str] = []
    meta: dict[str, str] = {}
    evidence: dict[str, str] = {}
    warnings.extend(raw.notes)
    if raw.format == "jsonl" and "text" in record:
        text = record["text"]
    elif raw.format == "html" and "html" in record:  # a JSONL record whose body is HTML
        text = record["html"]
    else:
        decoded = decode(raw.data, raw.source, cfg.max_control_ratio)
        if isinstance(decoded, Rejection):
            return Rejection(decoded.source, decoded.code, decoded.reason, decoded.message, raw.fingerprint)
        text, warning = decoded
        if warning:
            warnings.append(warning)

    if raw.format == "html":
        page = extract_page(text)
        if page.extractor != "trafilatura":
            warnings.append(E.W106.format(source=raw.source))
        meta.update(page.metadata)
        evidence.update({k: f"HTML metadata ({page.extractor})" for k in page.metadata})
        lines = tuple(Line(i, s) for i, s in enumerate(page.lines, start=1))
        blank_after = frozenset(line.number for line in lines)
    else:
        lines, blank_after = _lines(text)
    if not lines:
        detail = "no text left once markup is removed" if raw.format == "html" else "only whitespace"
        return Rejection(raw.source, "R307", "no_text", E.R307.format(source=raw.source, detail=detail),
                         raw.fingerprint)

    for key in ("title", "outlet", "url", "author", "section", "published"):
        if record.get(key):
            meta[key] = record[key]
            evidence[key] = f"JSONL field '{key}'"
        elif raw.given.get(key) and not (key == "published" and "date in the path" in raw.given_evidence.get(key, "")):
            meta[key] = raw.given[key]
            evidence[key] = raw.given_evidence.get(key, "metadata given with the input")
    header = read_header(lines, blank_after, has_title="title" in meta)
    meta_lines = list(header.meta_lines)
    if "title" in meta and lines and _same(lines[0].text, meta["title"]):
        meta_lines.insert(0, MetaLine(lines[0].number, "headline"))
    for key in ("title", "author", "section", "outlet", "published", "dateline"):
        value = getattr(header, key)
        if value and key not in meta:
            meta[key] = value
            evidence[key] = header.evidence.get(key, "text")
    if "published" not in meta and raw.given.get("published"):  # a date in the path: after the text's own
        meta["published"] = raw.given["published"]
        evidence["published"] = raw.given_evidence.get("published", "path")
    if "outlet" not in meta and meta.get("url"):
        host = urlsplit(meta["url"]).hostname or ""
        if host:
            meta["outlet"] = host.removeprefix("www.")
            evidence["outlet"] = f"URL host of {meta['url']}"

    published = Published()
    if meta.get("published"):
        value = normalise_date_field(meta["published"])
        if value:
            published = Published(value, "explicit", evidence.get("published"), STAGE_ID)
        else:
            warnings.append(E.W105.format(value=meta["published"], source=raw.source))

    consumed = {m.number for m in meta_lines}
    body = "\n".join(line.text for line in lines if line.number not in consumed)
    lang, score = identify(body)
    if score < cfg.min_language_score:
        warnings.append(E.W102.format(source=raw.source, guess=lang, score=score))
        lang = "und"
    elif lang not in cfg.languages:
        warnings.append(E.W103.format(source=raw.source, lang=lang))

    extras: Mapping[str, str] = MappingProxyType(
        {k.removeprefix("extra:"): v for k, v in record.items() if k.startswith("extra:")}
        | ({"agency": header.agency} if header.agency else {})
    )
    return Document(
        id=raw.doc_id, source=raw.source, format=raw.format, fingerprint=raw.fingerprint,
        lines=lines, meta_lines=tuple(sorted(set(meta_lines), key=lambda m: m.number)),
        title=_fix(meta.get("title")), outlet=_fix(meta.get("outlet")),
        author=_fix(meta.get("author")), section=_fix(meta.get("section")),
        dateline=_fix(meta.get("dateline")), url=meta.get("url"), published=published,
        language=lang, language_score=round(score, 4),
        evidence=MappingProxyType(evidence), extras=extras, warnings=tuple(warnings),
    )


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
