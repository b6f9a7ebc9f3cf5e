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


def teaser_blocks(texts: Sequence[str], flagged: Sequence[bool], max_words: int) -> set[int]:
    """Indices of paragraphs that belong to related-article blocks.

    Args:
        texts: the document's paragraphs, in order.
        flagged: paragraphs already known to be boilerplate (they may sit inside a block).
        max_words: longest headline.
    """
    n = len(texts)
    headline = [is_headline_like(t, max_words) for t in texts]
    header = [is_block_header(t) or is_colon_header(t) for t in texts]
    cut = [is_truncated(t) for t in texts]
    found: set[int] = set()
    i = 0
    while i < n:
        opens_with_header = header[i]
        opens_with_cut_pair = headline[i] and i + 1 < n and cut[i + 1]
        if i in found or not (opens_with_header or opens_with_cut_pair):
            i += 1
            continue
        k, pairs, cuts, lexicon_header = i, 0, 0, is_block_header(texts[i])
        while k < n:
            if flagged[k] or header[k]:
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
        accepted = (cuts >= 1 and pairs >= 2) or (lexicon_header and pairs >= 1) or (
            opens_with_header and pairs >= 2
        )
        if accepted:
            start = i
            # A short title line just before the block ("Aller plus loin") belongs to it.
            if start > 0 and headline[start - 1] and words(texts[start - 1]) <= 5:
                start -= 1
            found.update(range(start, k))
            i = k
        else:
            i += 1
    return found
