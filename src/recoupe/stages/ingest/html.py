"""HTML page -> body lines and metadata, with trafilatura; resiliparse when trafilatura finds nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import trafilatura
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree

from recoupe.stages.ingest.dates import normalise_date_field

# OpenGraph / schema.org publication timestamps carry the time that trafilatura's date drops.
_PUBLISHED_META = re.compile(
    r"""<meta[^>]+(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|datePublished|pubdate|publishdate|date)["'][^>]*>""",
    re.I,
)
_CONTENT = re.compile(r"""content\s*=\s*["']([^"']+)["']""", re.I)


@dataclass(frozen=True, slots=True)
class Page:
    lines: tuple[str, ...]
    extractor: str
    metadata: dict[str, str] = field(default_factory=dict)


def _meta_timestamp(html: str) -> str | None:
    for tag in _PUBLISHED_META.finditer(html[:200_000]):
        content = _CONTENT.search(tag.group(0))
        if content:
            value = normalise_date_field(content.group(1))
            if value:
                return value
    return None


def extract_page(html: str) -> Page:
    """Main text and metadata of a page. Never fetches anything."""
    result = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False,
        favor_recall=True, deduplicate=False,
    )
    meta: dict[str, str] = {}
    text = ""
    if result is not None:
        data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
        text = data.get("text") or ""
        for key, name in (("title", "title"), ("author", "author"), ("sitename", "outlet"),
                          ("url", "url"), ("date", "published")):
            if data.get(key):
                meta[name] = str(data[key]).strip()
        if data.get("categories"):
            meta["section"] = str(data["categories"][0])
    extractor = "trafilatura"
    if not text.strip():
        extractor = "resiliparse"
        text = extract_plain_text(
            html, main_content=True, alt_texts=False, links=False, list_bullets=False, noscript=False,
        )
        title = HTMLTree.parse(html).title
        if title and "title" not in meta:
            meta["title"] = title.strip()
    stamp = _meta_timestamp(html)
    if stamp and (not meta.get("published") or stamp.startswith(meta["published"][:10])):
        meta["published"] = stamp
    lines = tuple(line.strip() for line in text.splitlines() if line.strip())
    return Page(lines, extractor, meta)
