"""Page structure: where the article is on a scraped page, its headline, and what surrounds it.

A page scraped to plain text holds the article among site navigation, "most read" lists,
teasers, page tools, footers and reader comments, in an order every news site follows:
navigation, the headline, a standfirst and a byline, the article, then links, tools, comments
and the footer. This module finds that order without knowing the site:

- each line gets a score: positive for prose (sentences with the function words of running
  text), negative for what pages wrap around an article (lines recurring across the corpus,
  page furniture, link bullets, runs of title-shaped lines, comment-section labels, reader
  talk in the first or second person);
- the article is the contiguous run of lines with the highest total score (the maximum-sum
  segment, as in body-text extraction: Finn, Kushmerick & Smyth 2001); a comment-section label
  ends it for good;
- the headline is the title-shaped line just before the article's start (over a byline, a
  reading-time line or a standfirst), or the line equal to a title given with the input;
- what lies before the headline is navigation; what follows the article is the page's tail,
  reader comments where the tail reads like them.

Pure and deterministic; the weights are in ``[clean.page]`` of the configuration.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from recoupe.config import PageConfig as PageWeights
from recoupe.lexicon import load

_TERMINAL = re.compile(r"[.!?…:;]\s*[»\"”’)\]]*\s*$")
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_TWEET = re.compile(r"^@\w{1,30}\s*:")
# Reported speech that carries no quotation marks: a dialogue dash, or a speaker's name and a colon
# (interviews, transcripts: "Name Surname : ...", "LE JOURNAL. - ...").
_SPEECH = re.compile(r"^(?:[-–—]\s?\S|(?:[A-ZÀ-Ý][\w'’.\-]*\s){0,3}[A-ZÀ-Ý][\w'’.\-]*\s?[:.]\s[-–—]?\s?\S)")
_URLISH = re.compile(r"https?://\S+|\bwww\.\S+|\S+\.(?:jpe?g|png|gif|webp)\b", re.I)


@cache
def _cues() -> dict[str, object]:
    data = load("page")

    def words(text: str) -> frozenset[str]:
        return frozenset(text.split())

    def any_of(patterns: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)

    return {
        "function": words(data["function_words"]["fr"]) | words(data["function_words"]["en"]),
        "link": re.compile(data["links"]["markers"]),
        "first": re.compile(data["comments"]["first_person"], re.I),
        "second": re.compile(data["comments"]["second_person"], re.I),
        "emphasis": re.compile(data["comments"]["emphasis"], re.I),
        "section": any_of(data["comments"]["section"]),
        "signature": re.compile(data["comments"]["signature"], re.I),
        "tools": any_of(data["tools"]["labels"]),
    }


def _pattern(name: str) -> re.Pattern[str]:
    value = _cues()[name]
    assert isinstance(value, re.Pattern)
    return value


def function_ratio(text: str) -> float:
    """Share of a line's words that are function words (running text: about 0.4; a menu: near 0)."""
    found = [w.casefold() for w in _WORD.findall(text)]
    if not found:
        return 0.0
    function = _cues()["function"]
    assert isinstance(function, frozenset)
    # "l'armée" counts its elided article
    hits = sum(1 for w in found if w in function or w.split("'")[0].split("’")[0] in function)
    return hits / len(found)


def is_prose(text: str) -> bool:
    """A sentence of running text: long enough, ends like a sentence (or is long), has function words."""
    n = len(text.split())
    if _TWEET.match(text):
        return n >= 5
    if n < 6:
        return False
    ends = bool(_TERMINAL.search(text))
    if ends and n < 12 and re.search(r"\?\s*[»\"”’)]*\s*$", text):
        ends = False  # a short question is a headline's shape ("Why did prices fall?"), not running text
    return (ends or n >= 25) and function_ratio(text) >= 0.15


def is_title(text: str, max_words: int) -> bool:
    """Title-shaped: short, opens with a capital, a digit or a quotation mark, no final full stop."""
    stripped = text.strip()
    n = len(stripped.split())
    if not 0 < n <= max_words or len(stripped) > 250:
        return False
    first = stripped[:1]
    if not (first.isupper() or first.isdigit() or first in "«\"“'"):
        return False
    return not re.search(r"[.;,:]\s*$", stripped)


def is_link(text: str) -> bool:
    """A bullet of a list of links ("» Other headline")."""
    return bool(_pattern("link").match(text))


def is_tool(text: str) -> bool:
    """A page tool, account or subscription label standing alone."""
    return len(text.split()) <= 14 and bool(_pattern("tools").search(text.strip()))


def is_comment_label(text: str) -> bool:
    """A label of a comment section ("12 commentaires", "Réagir", "Signaler un abus") or a comment header."""
    stripped = text.strip()
    if len(stripped.split()) > 12:
        return False
    return bool(_pattern("section").search(stripped) or _pattern("signature").match(stripped))


def comment_score(text: str) -> float:
    """How much a line reads like a reader's comment, outside any quotation.

    Counts the speaker or the addressee in person ("je", "vous"), informal emphasis
    ("!!", "....", a final "!"), a lower-case opening, and shouting; quotations, tweets and
    reported speech are removed first, since articles quote people talking that way.
    """
    stripped = text.strip()
    if not stripped or _TWEET.match(stripped) or _SPEECH.match(stripped):
        return 0.0
    outside = _QUOTED.sub(" ", stripped)
    score = 0.0
    score += min(len(_pattern("first").findall(outside)), 2) * 0.75
    score += min(len(_pattern("second").findall(outside)), 2) * 0.5
    score += min(len(_pattern("emphasis").findall(outside)), 2) * 0.75
    if stripped.endswith("!"):
        score += 0.5
    if stripped[:1].islower():
        score += 0.5
    caps = [w for w in _WORD.findall(outside) if len(w) >= 4 and w.isupper()]
    if len(caps) >= 3:
        score += 0.5
    return score


@dataclass(frozen=True, slots=True)
class Page:
    """Where the article lies among a page's lines (indices into the lines given to :func:`segment`)."""

    start: int  # first line of the article (inclusive)
    end: int  # last line of the article (inclusive); end < start when none was found
    headline: int | None  # the headline line, if found
    headline_evidence: str | None
    comments: frozenset[int]  # lines after the article that are reader comments
    comment_from: int | None  # first line of a comment section opened by a label, when one is seen


# Prompts that pages put inside articles as often as around them (a share bar after the lead, a
# "read also" link between two paragraphs, an advertisement label): they cut an article less.
_INLINE = frozenset({"social_prompt", "read_also", "newsletter_prompt", "page_furniture"})


def line_scores(texts: Sequence[str], prior: Sequence[str | None], recurring: Sequence[bool],
                weights: PageWeights) -> list[float]:
    """The segmentation score of every line.

    Args:
        texts: the page's lines, normalised.
        prior: a reason already found for a line (page furniture from the lexicon, metadata), or None.
        recurring: the line recurs in other, independent pages of the corpus.
        weights: the scores.
    """
    n = len(texts)
    titles = [is_title(t, 18) and not is_prose(t) for t in texts]
    # runs of title-shaped lines: menus, "most read" lists, teaser headlines
    in_run = [False] * n
    i = 0
    while i < n:
        j = i
        while j < n and titles[j]:
            j += 1
        if j - i >= weights.title_run_length:
            for k in range(i, j):
                in_run[k] = True
        i = max(j, i + 1)
    scores = []
    for index, text in enumerate(texts):
        words = len(text.split())
        if prior[index] in ("byline", "headline", "dateline", "credit", "repeated_paragraph"):
            scores.append(0.0)
            continue
        if prior[index] in _INLINE:
            scores.append(weights.inline)
            continue
        if prior[index] is not None or is_tool(text) or is_comment_label(text):
            scores.append(weights.furniture)
            continue
        if recurring[index]:
            scores.append(weights.recurring)
            continue
        if is_link(text):
            scores.append(weights.link)
            continue
        urls = _URLISH.findall(text)
        if len(urls) >= 3 or (urls and sum(len(u) for u in urls) > 0.3 * len(text)):
            scores.append(weights.urls)
            continue
        if words >= 5 and comment_score(text) >= weights.comment_threshold:
            scores.append(weights.comment)
            continue
        if is_prose(text):
            scores.append(min(weights.prose_base + weights.prose_per_word * words, weights.prose_max))
            continue
        scores.append(weights.title_run if in_run[index] else weights.title_line)
    return scores


def _best_segment(scores: Sequence[float], limit: int) -> tuple[int, int]:
    """The contiguous run of ``scores[:limit]`` with the largest sum (Kadane); (0, -1) when all are <= 0."""
    best, best_range = 0.0, (0, -1)
    total, start = 0.0, 0
    for i, value in enumerate(scores[:limit]):
        if total <= 0:
            total, start = value, i
        else:
            total += value
        if total > best:
            best, best_range = total, (start, i)
    return best_range


def segment(texts: Sequence[str], prior: Sequence[str | None], recurring: Sequence[bool],
            weights: PageWeights, title: str | None = None, echoes: Sequence[str] = ()) -> Page:
    """Find the article, its headline and the nature of the page's tail.

    Args:
        texts: the page's lines, normalised.
        prior: per line, a reason already found (see :func:`line_scores`).
        recurring: per line, whether it recurs in other pages of the corpus.
        weights: the scores.
        title: a title given with the input (JSONL, HTML metadata): the line equal to it is the headline.
        echoes: other strings that repeat the headline when there is one (a URL slug).
    """
    n = len(texts)
    scores = line_scores(texts, prior, recurring, weights)
    # A comment section, once opened, runs to the end of the page: the article cannot extend past it.
    # The label must follow some article text (a "Réagir" button above the headline opens nothing).
    comment_from = None
    seen_prose = 0.0
    closed = None
    for i, text in enumerate(texts):
        if scores[i] > 0:
            seen_prose += scores[i]
        elif seen_prose >= weights.prose_max and prior[i] is None and is_comment_label(text):
            comment_from = i
            break
        elif closed is None and seen_prose >= 2 * weights.prose_max and prior[i] == "credit" \
                and i + 1 < n and scores[i + 1] <= 0:
            # a closing credit ("(Avec AFP)", "Site - Reuters") after the text, with no prose right after it
            closed = i
    limit = comment_from if comment_from is not None else n
    if closed is not None:
        limit = min(limit, closed + 1)

    given = None
    if title:
        folded = " ".join(title.split()).casefold()
        given = next((i for i, t in enumerate(texts[:limit]) if " ".join(t.split()).casefold() == folded), None)
    echo = None if given is not None else _echoed_title(texts[:limit], prior, weights)
    if echo is not None:
        given = echo
    if given is not None:
        start, end = _best_segment([float("-inf") if i <= given else s for i, s in enumerate(scores)], limit)
    else:
        start, end = _best_segment(scores, limit)
    if end < start:
        return Page(0, -1, given, None, frozenset(), comment_from)
    start = _lead_back(texts, prior, scores, recurring, start, given if given is not None else -1)
    start, skipped = _standfirst(texts, prior, scores, start, given if given is not None else -1)

    headline, evidence = given, None
    if echo is not None:
        evidence = f"the page's first line repeats it: {texts[0][:80]!r}"
    elif given is not None:
        evidence = "the title given with the input"
    if headline is None:
        headline, evidence = _headline(texts, prior, scores, recurring, start, weights, echoes, skipped)

    comments = _comments(texts, scores, end + 1, weights)
    if comment_from is not None:
        comments |= frozenset(range(comment_from, n))
    return Page(start, end, headline, evidence, comments, comment_from)


def _echoed_title(texts: Sequence[str], prior: Sequence[str | None], weights: PageWeights) -> int | None:
    """The headline a page's first line announces (a ``<title>`` kept as the first line of the scrape).

    Scraped pages often open with their ``<title>`` (sometimes after a section name: "World Libya:
    X"); the article's headline is the later line that the first line repeats, when article text
    follows it.
    """
    if not texts or not is_title(texts[0], weights.headline_max_words):
        return None
    first = " ".join(texts[0].split()).casefold()
    for i in range(1, len(texts)):
        text = " ".join(texts[i].split()).casefold()
        if len(text.split()) < 4 or not is_title(texts[i], weights.headline_max_words) or prior[i] is not None:
            continue
        if first == text or first.endswith(" " + text):
            j = i + 1
            while j < len(texts) and _skippable(texts[j], prior[j]) is not None:
                j += 1
            if j < len(texts) and (is_prose(texts[j]) or is_prose(texts[min(j + 1, len(texts) - 1)])):
                return i
    return None


_BYLINE = re.compile(r"^(?:par|by|de notre (?:envoy[ée]e? sp[ée]ciale?|correspondante?)|propos recueillis par)\s+\S",
                     re.I)


def _lead_back(texts: Sequence[str], prior: Sequence[str | None], scores: Sequence[float],
               recurring: Sequence[bool], start: int, floor: int) -> int:
    """Take back article paragraphs cut off by an inline link or prompt ("À lire aussi : ...").

    The best-scoring run restarts after a negative line, so a first paragraph followed by one
    "read also" line would be lost. Paragraphs above the run, separated from it by at most two
    lines that are removed anyway (furniture, links, recurring lines), belong to the article.
    """
    while True:
        i, gap = start - 1, 0
        while i > floor and gap < 2 and _inline(texts[i], prior[i], recurring[i]):
            i, gap = i - 1, gap + 1
        if gap == 0 or i <= floor or prior[i] is not None or scores[i] <= 0 or not is_prose(texts[i]):
            return start
        while i - 1 > floor and prior[i - 1] is None and scores[i - 1] > 0 and is_prose(texts[i - 1]):
            i -= 1
        start = i


def _inline(text: str, prior: str | None, recurring: bool) -> bool:
    """A line removed on its own, whatever the page: furniture, a link bullet, a tool, a recurring line."""
    return (prior is not None and prior not in ("headline", "byline", "dateline")) or recurring \
        or is_link(text) or is_tool(text)


def _skippable(text: str, prior: str | None) -> str | None:
    """What a line between a headline and its article is, when it may stand there: a byline or a tool."""
    if prior in ("byline", "dateline", "credit"):
        return "byline"
    if prior is None and _BYLINE.match(text) and len(text.split()) <= 10 and not _TERMINAL.search(text):
        return "byline"
    if prior is None and is_tool(text):
        return "page tool"
    return None


def _standfirst(texts: Sequence[str], prior: Sequence[str | None], scores: Sequence[float], start: int,
                floor: int) -> tuple[int, list[str]]:
    """Extend the article back to a standfirst: one prose line just above it, over bylines and tools.

    Returns the article's first line and what was stepped over on the way up.
    """
    i = start - 1
    skipped: list[str] = []
    while i > floor and (what := _skippable(texts[i], prior[i])) is not None:
        skipped.append(what)
        i -= 1
    if i > floor and prior[i] is None and scores[i] > 0 and is_prose(texts[i]) and len(texts[i].split()) <= 80:
        return i, ["standfirst"]
    return start, skipped


def _headline(texts: Sequence[str], prior: Sequence[str | None], scores: Sequence[float],
              recurring: Sequence[bool], start: int, weights: PageWeights, echoes: Sequence[str],
              skipped: list[str]) -> tuple[int | None, str | None]:
    """The title-shaped line just before the article's first line (over bylines and page tools).

    The headline may recur in other pages of the corpus: sites link to their articles by headline.
    """
    i = start - 1
    while i >= 0 and (what := _skippable(texts[i], prior[i])) is not None:
        skipped = [*skipped, what]
        i -= 1
    if i < 0 or prior[i] not in (None, "headline"):
        return None, None
    text = texts[i]
    furniture = scores[i] <= weights.furniture and not recurring[i]
    if not is_title(text, weights.headline_max_words) or is_link(text) or furniture:
        return None, None
    folded = text.casefold()
    echoed = [e for e in echoes if e and _slug_match(folded, e)]
    why = "the title-shaped line before the article"
    if skipped:
        why += f" (over {', '.join(dict.fromkeys(skipped))})"
    if echoed:
        why += f", echoed by {echoed[0]!r}"
    return i, why


def _slug_match(title: str, echo: str) -> bool:
    """The headline's words are most of a URL slug or of another line that repeats it."""
    words = {w for w in re.findall(r"\w+", title) if len(w) > 2}
    other = {w for w in re.findall(r"\w+", echo.casefold()) if len(w) > 2}
    return bool(words) and len(words & other) >= 0.6 * len(words)


def _comments(texts: Sequence[str], scores: Sequence[float], begin: int, weights: PageWeights) -> frozenset[int]:
    """The readers' lines after the article: its prose lines, when some of them read like readers' talk.

    Prose after an article's end is comments, teasers or site text; it is comments when at least one
    line talks in person or with a reader's emphasis (and it is then all removed as comments).
    """
    talk = [i for i in range(begin, len(texts))
            if len(texts[i].split()) >= 5 and scores[i] > weights.recurring and not is_link(texts[i])
            and not is_tool(texts[i])
            and (is_prose(texts[i]) or comment_score(texts[i]) >= weights.tail_comment_threshold)]
    if any(comment_score(texts[i]) >= weights.tail_comment_threshold for i in talk):
        return frozenset(talk)
    return frozenset()
