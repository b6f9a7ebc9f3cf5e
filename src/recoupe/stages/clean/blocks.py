"""Related-article blocks: a header and/or (headline, teaser) pairs, found by page structure.

News pages end (or are interrupted) by lists of links to other articles: a short headline
line followed by a teaser paragraph, repeated, often under a header ("Aller plus loin",
"Related stories", "Ces articles devraient vous intéresser :"). Teasers may be cut with an
ellipsis or be complete sentences. A run of such pairs is a block when it opens with a
header, or with a pair whose teaser is cut: body sections with sub-headings look like pairs
too, but never open with either, so they stay.
"""

from __future__ import annotations

from collections.abc import Sequence

from recoupe.stages.clean.features import (
    is_block_header,
    is_colon_header,
    is_headline_like,
    is_truncated,
    words,
)


def teaser_blocks(texts: Sequence[str], removed: Sequence[bool], max_words: int) -> set[int]:
    """Indices of kept paragraphs that belong to related-article blocks.

    Args:
        texts: the document's paragraphs, in order.
        removed: paragraphs already removed for another reason (share prompts, tags, outlet
            lines...). They are transparent: skipped when pairing a headline with the paragraph
            after it, so that cleaning a cleaned text finds the same blocks. Being boilerplate,
            they may also open a block, like a header.
        max_words: longest headline.
    """
    order = [i for i in range(len(texts)) if not removed[i]]
    n = len(order)
    kept = [texts[i] for i in order]
    headline = [is_headline_like(t, max_words) for t in kept]
    header = [is_block_header(t) or is_colon_header(t) for t in kept]
    cut = [is_truncated(t) for t in kept]
    # A removed paragraph right before kept paragraph j opens a block at j like a header would.
    after_removed = [(j > 0 and order[j] - order[j - 1] > 1) or (j == 0 and order[0] > 0) for j in range(n)]
    found: set[int] = set()
    j = 0
    while j < n:
        opened_by_header = header[j] or after_removed[j]
        opens_with_cut_pair = headline[j] and j + 1 < n and cut[j + 1]
        if not (opened_by_header or opens_with_cut_pair):
            j += 1
            continue
        k, pairs, cuts = j, 0, 0
        lexicon_header = is_block_header(kept[j])
        while k < n:
            if header[k]:
                k += 1
            elif headline[k] and k + 1 < n and not headline[k + 1] and not header[k + 1]:
                pairs += 1
                cuts += cut[k + 1]
                k += 2
            elif cut[k]:
                cuts += 1
                k += 1
            elif headline[k] and (k + 1 == n or headline[k + 1] or header[k + 1]):
                k += 1
            else:
                break
        # Sub-headed article sections are (headline, paragraph) pairs too, but never cut short
        # and never under a block header: that is what tells a block apart.
        accepted = (cuts >= 1 and pairs >= 2) or (lexicon_header and pairs >= 1) or (header[j] and pairs >= 2)
        if accepted:
            start = j
            # A short title line just before the block ("Pour aller plus loin") belongs to it.
            if start > 0 and headline[start - 1] and words(kept[start - 1]) <= 5:
                start -= 1
            found.update(order[m] for m in range(start, k))
            j = k
        else:
            j += 1
    return found
