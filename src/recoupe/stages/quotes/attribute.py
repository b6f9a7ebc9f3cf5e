"""Quotations («...», “...”, "...") and who said them, read from the sentence around each quote.

A quotation of at least three words is kept unless it is a title or a name (all words capitalised,
a title noun before it, or one mention filling it). Its speaker comes from the first rule that
applies, in order (resources in ``data/quotes.toml``):

1. the incise after it: ``», a déclaré X``, ``», a-t-il dit``, ``», sourit X`` (an inverted
   subject), ``», a déclaré à l'AFP X`` (the addressee is not the speaker), ``», selon X``;
2. a reporting clause later in the same sentence (``«...» avec le régime, a déclaré X.``);
3. the clause before it: ``Selon X, «``, ``X : «`` (colon attributions, headlines included),
   ``X a déclaré que «``;
4. the subject of the verb that governs the quote in the parse (partial and indirect quotes:
   ``X a appelé les Libyens à «...»``), the closest verb of saying on the way up if there is one;
   a relative ``qui`` takes its antecedent;
5. a quote that follows an attributed one with nothing but an incise or a short link between
   them continues the same speaker.

A pronoun subject (``il``, ``elle``, ``ils``) is the last compatible named speaker before the
quote outside quotation marks: a person for ``il``/``elle`` whose gender cues (civility titles,
determiners and feminine role nouns next to the name) do not contradict it, an organisation or
state for ``ils``/``elles``. Mentions inside quotation marks are never speakers. A quote with no
rule that applies says so (no speaker).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from recoupe.lexicon import load
from recoupe.model import DocId, Mention, Quote, Span, StageId, Token

STAGE_ID = StageId("quotes.attribute.v2")
_QUOTES = re.compile(r"«\s*(?P<a>[^«»]{3,2000}?)\s*»|“(?P<b>[^“”]{3,2000}?)”|\"(?P<c>[^\"\n]{3,2000}?)\"")
_PRONOUNS = {"il": "m", "elle": "f", "ils": "p", "elles": "p", "on": "x"}
_SPEAKER_TYPES = frozenset({"PER", "ORG", "GPE"})
_SMALL = frozenset("de du des d la le les l et en à au aux of the and for pour sur par un une".split())
_AUX = (r"(?:a|ont|avait|avaient|aurait|auraient|aura|est|sont|était|étaient|s['’]est|se\s+sont|s['’]était|"
        r"va|vont|vient\s+de|venait\s+de|had|has|have)")
_INVERTED = r"(?:-t-(?:il|elle|on)|-(?:il|elle|ils|elles|on))"
_DETERMINER = re.compile(r"^\s*(?:(?i:le|la|l['’]|les|un|une|ce|cet|cette|ces|son|sa|ses|leur|leurs|notre|mon|ma|"
                         r"the|a|an|his|her|their)\b|[A-ZÉÈÀÂÎÔÛÇ])")
_ADDRESSEE = re.compile(r"^\s*(?:à|au|aux|to)\s+(?:l['’]\s*|la\s+|le\s+|les\s+|the\s+)?"
                        r"(?:[A-ZÉ][\w.-]*(?:\s+[A-ZÉ][\w.-]*)*|[\w-]+)\s*,?\s*")
_LEADING_ADVERBIAL = re.compile(r"^\s*(?:pour|après|avant|dans|en|à|au|sur|par|lors|depuis|malgré|face|alors|"
                                r"mais|et|or|donc|puis|ensuite|enfin|cependant|toutefois|pourtant)\b[^,]*,\s*", re.I)


@dataclass(frozen=True, slots=True)
class _Found:
    speaker: Mention | None
    text: str | None
    verb: str | None


@cache
def _resources() -> tuple[str, re.Pattern[str], frozenset[str], frozenset[str]]:
    data = load("quotes")
    stems = sorted({_stem(v.split()[-1].replace("s'", "").replace("se ", "")) for v in data["reporting_verbs"]},
                   key=len, reverse=True)
    verbs = "(?:" + "|".join(re.escape(s) for s in stems) + r")\w*"
    titles = sorted(data["title_nouns"], key=len, reverse=True)
    title_before = re.compile(r"(?:^|[\s(’'])(?:" + "|".join(re.escape(t) for t in titles) + r")\s*[:,]?\s*$", re.I)
    return verbs, title_before, frozenset(data["feminine"]), frozenset(data["masculine"])


def _stem(verb: str) -> str:
    """A lemma's stem covers its conjugations ("déclarer" -> "déclar"); short verbs stay whole."""
    return verb[:-2] if verb.endswith(("er", "ir", "re")) and len(verb) > 5 else verb


def _is_reporting(word: str) -> bool:
    return re.fullmatch(_resources()[0], word.lower()) is not None


class _Doc:
    """A text with its mentions, tokens and quote spans, and the lookups the rules share."""

    def __init__(self, doc_id: str, text: str, mentions: Sequence[Mention], tokens: Sequence[Token],
                 quotes: list[tuple[int, int, int, int]]) -> None:
        self.did = DocId(doc_id)
        self.text = text
        self.tokens = tokens
        self.starts = [t.start for t in tokens]
        self.quotes = quotes  # (outer start, outer end, inner start, inner end)
        self.quote_starts = [q[0] for q in quotes]
        self.mentions = sorted((m for m in mentions if m.type in _SPEAKER_TYPES and m.kind != "demonym"
                                and not self.in_quote(m.span.start)), key=lambda m: m.span.start)
        self.mention_starts = [m.span.start for m in self.mentions]
        self.previous: _Found | None = None  # the speaker of the last attributed quote
        self.previous_end = -1
        self.children: dict[int, list[int]] = defaultdict(list)
        for index, token in enumerate(tokens):
            if token.head != index:
                self.children[token.head].append(index)

    def in_quote(self, offset: int) -> bool:
        index = bisect_right(self.quote_starts, offset) - 1
        return index >= 0 and self.quotes[index][0] <= offset < self.quotes[index][1]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        lo, hi = bisect_left(self.mention_starts, start), bisect_left(self.mention_starts, end)
        return self.mentions[lo:hi]

    def pick(self, start: int, end: int) -> Mention | None:
        """The speaker among the mentions of a region: a named person first, then a person named by
        role, an organisation, a state; an addressee ("à l'AFP") only when nothing else is there."""
        found = self.mentions_in(start, end)
        if not found:
            return None

        def rank(m: Mention) -> tuple[int, int, int]:
            addressee = re.search(r"(?:\bà|\bau|\baux|\bto)\s+(?:l['’]\s*|la\s+|le\s+|les\s+|the\s+)?$",
                                  self.text[max(0, m.span.start - 8) : m.span.start], re.I) is not None
            kind = 0 if m.type == "PER" and m.name else 1 if m.type == "PER" else 2 if m.type == "ORG" else 3
            return (addressee, kind, m.span.start)

        return min(found, key=rank)

    def token_at(self, offset: int) -> int | None:
        index = bisect_right(self.starts, offset) - 1
        if index < 0 or not self.tokens or self.tokens[index].end <= offset:
            return None
        return index

    def subtree(self, index: int, limit_start: int, limit_end: int) -> tuple[int, int]:
        """Character extent of a token's subtree, tokens inside [limit_start, limit_end) left out."""
        lo, hi = self.tokens[index].start, self.tokens[index].end
        stack, seen = [index], {index}
        while stack:
            current = stack.pop()
            for child in self.children.get(current, ()):
                token = self.tokens[child]
                if child in seen or limit_start <= token.start < limit_end:
                    continue
                seen.add(child)
                lo, hi = min(lo, token.start), max(hi, token.end)
                stack.append(child)
        return lo, hi

    def clause_start(self, offset: int) -> int:
        """Where the sentence holding ``offset`` begins (a full stop outside quotation marks, or the
        paragraph's start)."""
        paragraph = self.text.rfind("\n", 0, offset) + 1
        for match in reversed(list(re.finditer(r"[.!?](?=\s)", self.text[paragraph:offset]))):
            if not self.in_quote(paragraph + match.start()):
                return paragraph + match.end()
        return paragraph

    def sentence_end(self, offset: int) -> int:
        limit = self.text.find("\n", offset)
        limit = len(self.text) if limit < 0 else limit
        for match in re.finditer(r"[.!?](?=\s|$)", self.text[offset:limit]):
            if not self.in_quote(offset + match.start()):
                return offset + match.start()
        return limit


def find_quotes(doc_id: str, text: str, mentions: Sequence[Mention], tokens: Sequence[Token] = (),
                sentences: Sequence[Span] = ()) -> tuple[Quote, ...]:
    """Quotations of a text with their speakers (mentions give the speaker's span and so its entity;
    tokens, when given, the parse for partial and indirect quotes)."""
    del sentences  # sentence ends are read from the text: spaCy's split falls inside quotes
    spans = []
    for match in _QUOTES.finditer(text):
        group = next(g for g in ("a", "b", "c") if match.group(g) is not None)
        spans.append((match.start(), match.end(), match.start(group), match.end(group)))
    doc = _Doc(doc_id, text, mentions, tokens, spans)
    found: list[Quote] = []
    previous: tuple[int, _Found] | None = None
    for outer_start, outer_end, start, end in spans:
        words = text[start:end]
        if not _is_speech(doc, mentions, outer_start, start, end):
            continue
        result = (_after(doc, outer_end) or _later(doc, outer_end) or _before(doc, outer_start)
                  or _governor(doc, outer_start, start, end))
        if result is None and previous is not None and _continues(doc, previous[0], outer_start):
            result = _Found(previous[1].speaker, previous[1].text, previous[1].verb)
        result = result or _Found(None, None, None)
        found.append(Quote(Span(doc.did, start, end), words, result.speaker.span if result.speaker else None,
                           result.text, result.verb, STAGE_ID))
        if result.speaker is not None or result.text:
            previous = (outer_end, result)
            doc.previous, doc.previous_end = result, outer_end
    return tuple(found)


def _is_speech(doc: _Doc, mentions: Sequence[Mention], outer_start: int, start: int, end: int) -> bool:
    """Whether quoted words are speech: three words or more, not a title nor a name."""
    words = doc.text[start:end].split()
    if len(words) < 3:
        return False  # a scare-quoted word or a name ("le «Guide»", "l'«entité sioniste»")
    content = [w for w in words if w.lower().strip(",.;:'’") not in _SMALL]
    if content and all(w[:1].isupper() or w[:1].isdigit() for w in content):
        return False  # a quoted name or title ("Coupe Atlas 2022")
    if _resources()[1].search(doc.text[max(0, outer_start - 30) : outer_start]):
        return False  # "le livre «...»", "baptisée «...»"
    return not any(m.span.start <= start + 1 and m.span.end >= end - 1 for m in mentions)


def _resolve(doc: _Doc, who_start: int, who_end: int, before: int, verb: str | None) -> _Found | None:
    """The speaker of a region of text: a pronoun resolved, a mention, or the words as written."""
    if doc.in_quote(who_start):
        return None  # words inside another quotation are not its speaker
    region = doc.text[who_start:who_end]
    for pattern in (_ADDRESSEE, _LEADING_ADVERBIAL):
        cut = pattern.match(region)
        if cut and cut.end() < len(region.rstrip()):
            if pattern is _ADDRESSEE and doc.pick(who_start + cut.end(), who_end) is None and not _DETERMINER.match(
                    region[cut.end() :]):
                continue
            who_start += cut.end()
            region = region[cut.end() :]
    phrase = region.strip(" ,;:-—")
    head = re.match(r"(?:-?t-|-)?(?P<p>il|elle|ils|elles|on)\b", phrase, re.I)
    if head:
        return _pronoun(doc, head.group("p").lower(), before, verb)
    if re.match(r"qui\b", phrase, re.I):
        earlier = [m for m in doc.mentions_in(max(0, who_start - 200), who_start)]
        return _Found(earlier[-1], earlier[-1].text, verb) if earlier else None
    mention = doc.pick(who_start, who_end)
    words = re.split(r"\s*,\s*", phrase)[0].strip()
    if mention is not None and not (mention.type == "PER" and mention.name) and _complement(doc, who_start, mention):
        # "le chef du Conseil national de transition": the holder of the role speaks, not the council
        return _Found(None, words, verb) if words else None
    if mention is not None:
        return _Found(mention, mention.text, verb)
    if not words or not _DETERMINER.match(words) or len(words.split()) > 8:
        return None
    if (named := _apposed_name(doc, who_end)) is not None:  # "le ministre, Lina Haddad, «"
        return _Found(named, named.text, verb)
    holder = _role_holder(doc, words, who_start)
    return _Found(holder, words, verb) if holder is not None else _Found(None, words, verb)


def _apposed_name(doc: _Doc, after: int) -> Mention | None:
    """A named person in apposition right after a role phrase, between commas ("le ministre, X,")."""
    gap = re.match(r"\s*,\s*", doc.text[after : after + 4])
    if gap is None:
        return None
    start = after + gap.end()
    for mention in doc.mentions_in(start, start + 1):
        if mention.type == "PER" and mention.name and re.match(r"\s*[,«]", doc.text[mention.span.end:]):
            return mention
    return None


@cache
def _role_words() -> frozenset[str]:
    data = load("entities")
    return frozenset(w for phrase in [*data["role_heads"], *data["titles"]] for w in phrase.lower().split()
                     if len(w) > 3)


def _role_holder(doc: _Doc, phrase: str, before: int) -> Mention | None:
    """A definite role phrase ("le commandant", "le premier ministre algérien"): the last person
    named before with that role or title word, within the previous paragraphs."""
    if not re.match(r"(?i:le|la|l['’]|the)\b", phrase):
        return None
    wanted = {w for w in re.findall(r"[\w-]+", phrase.lower()) if w in _role_words()}
    if not wanted:
        return None
    for mention in reversed(doc.mentions_in(max(0, before - 2000), before)):
        if mention.type != "PER" or not mention.name:
            continue
        own = {w for cue in (mention.title, mention.role) if cue for w in re.findall(r"[\w-]+", cue.lower())}
        if wanted & own:
            return mention
    return None


def _complement(doc: _Doc, who_start: int, mention: Mention) -> bool:
    """Whether a mention is the complement of a common noun that opens the region ("le chef du X")."""
    lead = doc.text[who_start : mention.span.start]
    return re.match(r"^\s*(?:le|la|l['’]|les|un|une|ce|cet|cette|son|sa|leur|the|a|an)\s*[a-zéèêàâîôûç-]+"
                    r"(?:\s+[a-zéèêàâîôûç-]+){0,3}\s+(?:de|du|des|d['’]|of)\s*(?:la\s+|l['’]\s*|the\s+)?$",
                    lead, re.I) is not None


def _after(doc: _Doc, outer_end: int) -> _Found | None:
    """``», a déclaré X`` / ``», a-t-il dit`` / ``», sourit X`` / ``», selon X``."""
    text = doc.text
    window = text[outer_end : outer_end + 240].split("\n", 1)[0]  # an incise never follows a line break
    selon = re.match(r"^\s*,?\s*(?:selon|d['’]après|according\s+to)\s+(?P<who>[^.;:«»\"“”\n]{2,160})", window, re.I)
    if selon:
        who_start = outer_end + selon.start("who")
        return _resolve(doc, who_start, outer_end + selon.end("who"), outer_end, "selon")
    pattern = (rf"^\s*,?\s*(?:{_AUX}(?P<pro1>{_INVERTED})?\s+)?(?:(?:encore|aussi|alors|ensuite|également|"
               rf"plus\s+tard|déjà)\s+)?(?P<verb>[^\W\d_]+(?:-[^\W\d_]+)?)(?P<pro2>{_INVERTED})?(?![\w-])"
               rf"(?P<rest>[^.;!?«»\"“”\n]{{0,200}})")
    match = re.match(pattern, window, re.I)
    if not match:
        return None
    verb = match.group("verb")
    pronoun = match.group("pro1") or match.group("pro2")
    if verb.lower().endswith("ant") and not pronoun:
        return None  # "», estimant que...": a participle, not a reporting clause
    rest_start = outer_end + match.start("rest")
    if pronoun:
        return _pronoun(doc, pronoun.replace("-t-", "").strip("-").lower(), outer_end, verb)
    if not (_is_reporting(verb) or _inverted_verb(doc, outer_end + match.start("verb"), match.group("rest"))):
        return None
    rest = match.group("rest")
    cut = re.search(r",\s*(?:qui|que|dont|alors|mais|et|avant|après|lors|car)\b", rest)
    return _resolve(doc, rest_start, rest_start + (cut.start() if cut else len(rest)), outer_end, verb)


def _inverted_verb(doc: _Doc, offset: int, rest: str) -> bool:
    """An incise with an inverted nominal subject (", sourit Taoufik"): the parse calls the word a
    finite verb and a noun phrase follows."""
    index = doc.token_at(offset)
    if index is None:
        return False
    token = doc.tokens[index]
    return token.pos in {"VERB", "AUX"} and token.verb_form not in {"Part", "Inf", "Ger"} and bool(
        _DETERMINER.match(rest)) and bool(rest.strip())


def _later(doc: _Doc, outer_end: int) -> _Found | None:
    """A reporting clause later in the quote's sentence: ``«...» avec le régime, a déclaré X.``"""
    end = doc.sentence_end(outer_end)
    segment = doc.text[outer_end:end]
    verbs = _resources()[0]
    pattern = (rf",\s*(?:{_AUX}(?P<pro1>{_INVERTED})?\s+)?(?:\w+\s+)?(?P<verb>{verbs})(?P<pro2>{_INVERTED})?"
               rf"(?![\w-])(?P<rest>[^.;!?«»\"“”\n]{{0,200}})")
    for match in re.finditer(pattern, segment, re.I):
        if doc.in_quote(outer_end + match.start()):
            continue
        pronoun = match.group("pro1") or match.group("pro2")
        if pronoun:
            return _pronoun(doc, pronoun.replace("-t-", "").strip("-").lower(), outer_end, match.group("verb"))
        rest = match.group("rest")
        if not _DETERMINER.match(rest) or not rest.strip():
            continue  # "..., a dit que": not an incise
        rest_start = outer_end + match.start("rest")
        cut = re.search(r",\s*(?:qui|que|dont|alors|mais|et|avant|après|lors|car)\b", rest)
        found = _resolve(doc, rest_start, rest_start + (cut.start() if cut else len(rest)), outer_end,
                         match.group("verb"))
        if found is not None:
            return found
    return None


def _before(doc: _Doc, outer_start: int) -> _Found | None:
    """``Selon X, «`` / ``X : «`` / ``X a déclaré (que) «``, in the quote's own sentence."""
    clause = doc.clause_start(outer_start)
    before = doc.text[clause:outer_start]
    selon = None
    for match in re.finditer(r"\b(?:selon|d['’]après|according\s+to)\s+(?P<who>[^,«“\"]{2,160}?)\s*,", before, re.I):
        selon = match
    if selon and not doc.in_quote(clause + selon.start()):
        return _resolve(doc, clause + selon.start("who"), clause + selon.end("who"), outer_start, "selon")
    verbs = _resources()[0]
    narrative = re.search(rf"\b(?:et|puis)\s+d['’]\s*(?P<verb>{verbs})\b", before, re.I)
    if narrative and doc.previous is not None and 0 <= outer_start - doc.previous_end < 600:
        # "Et d'ajouter : «...»": the narrative infinitive continues the last speaker
        return _Found(doc.previous.speaker, doc.previous.text, narrative.group("verb"))
    incise = re.search(rf"(?:{_AUX})?(?P<pro>{_INVERTED})\s+(?:\w+\s+)?(?P<verb>{verbs})\s*,?\s*(?:que|qu['’])?\s*$|"
                       rf"(?P<verb2>{verbs})(?P<pro2>{_INVERTED})\s*,?\s*(?:que|qu['’])?\s*$", before, re.I)
    if incise:
        pronoun = (incise.group("pro") or incise.group("pro2")).replace("-t-", "").strip("-").lower()
        return _pronoun(doc, pronoun, outer_start, incise.group("verb") or incise.group("verb2"))
    said = re.search(rf"(?P<who>[^,.;«»“\"]{{2,160}}?)\s+(?:(?:{_AUX})\s+)?(?:\w+\s+)?(?P<verb>{verbs})"
                     rf"\s*(?:que|qu['’]|:)?\s*$", before, re.I)
    if said:
        return _resolve(doc, clause + said.start("who"), clause + said.end("who"), outer_start, said.group("verb"))
    colon = re.search(r"(?P<who>[^.;«»“\"]{2,160}?)\s*:\s*$", before)
    if colon:
        who_start, who_end = clause + colon.start("who"), clause + colon.end("who")
        return _resolve(doc, who_start, who_end, outer_start, ":")
    return None


def _governor(doc: _Doc, outer_start: int, start: int, end: int) -> _Found | None:
    """The subject of the verb that governs a partial or indirect quote, from the parse."""
    if not doc.tokens:
        return None
    first, last = bisect_left(doc.starts, start), bisect_left(doc.starts, end)
    outside = [i for i in range(first, last) if not start <= doc.tokens[doc.tokens[i].head].start < end]
    if not outside:
        return None
    chain: list[int] = []
    current = outside[0]
    for _ in range(12):
        head = doc.tokens[current].head
        if head == current:
            break
        current = head
        if doc.tokens[current].pos in {"VERB", "AUX", "ADJ", "NOUN"}:
            chain.append(current)
    candidates = [i for i in chain if doc.tokens[i].pos in {"VERB", "AUX", "ADJ"}]
    reporting = [i for i in candidates if _is_reporting(doc.text[doc.tokens[i].start : doc.tokens[i].end])
                 or _is_reporting(doc.tokens[i].lemma)]
    for verb in [*reporting, *candidates]:
        subject = _subject_of(doc, verb)
        if subject is None and verb in reporting:
            # the parse found no subject ("X, porte-parole de Y, a assuré que"): the clause before the verb
            verb_start = doc.tokens[verb].start
            found = _resolve(doc, doc.clause_start(verb_start), verb_start, outer_start,
                             doc.text[verb_start : doc.tokens[verb].end])
            if found is not None:
                return found
        if subject is None:
            continue
        token = doc.tokens[subject]
        lo, hi = doc.subtree(subject, outer_start, len(doc.text))
        if token.lemma.lower() in {"qui"} or doc.text[token.start : token.end].lower() == "qui":
            antecedent = doc.tokens[verb].head
            if antecedent != verb:
                lo, hi = doc.subtree(antecedent, doc.tokens[verb].start, len(doc.text))
        paragraph = doc.text.rfind("\n", 0, outer_start) + 1
        if hi <= paragraph:
            continue  # the parse ran over a paragraph break
        lo = max(lo, paragraph)
        verb_text = doc.text[doc.tokens[verb].start : doc.tokens[verb].end]
        found = _resolve(doc, lo, hi, outer_start, verb_text)
        if found is not None:
            return found
    return None


def _subject_of(doc: _Doc, verb: int) -> int | None:
    children = doc.children.get(verb, [])
    subject = next((c for c in children if doc.tokens[c].dep in {"nsubj", "expl:subj"}), None)
    if subject is None:
        subject = next((c for c in children if doc.tokens[c].dep in {"obl:agent", "agent"}), None)
    if subject is None:
        # a verb in a chain ("a dû passer", "s'est dit prêt à"): the subject of the verb it depends on
        token = doc.tokens[verb]
        if token.dep in {"xcomp", "conj", "advcl"} and token.head != verb:
            children = doc.children.get(token.head, [])
            subject = next((c for c in children if doc.tokens[c].dep == "nsubj"), None)
    return subject


def _pronoun(doc: _Doc, pronoun: str, before: int, verb: str | None) -> _Found | None:
    """The last speaker before ``before`` compatible with a subject pronoun."""
    want = _PRONOUNS.get(pronoun)
    if want is None or want == "x":
        return None
    last = doc.previous
    if last is not None and 0 <= before - doc.previous_end < 1500 and _agrees(doc, last, want):
        # "X a dit «...». «...», a-t-il ajouté": the speaker goes on, whoever was named in between
        return _Found(last.speaker, last.text, verb)
    for mention in reversed(doc.mentions_in(max(0, before - 3000), before)):
        if want == "p":
            plural = mention.type == "ORG" or (mention.type == "PER" and not mention.name)
            if plural:
                return _Found(mention, mention.text, verb)
            continue
        if mention.type != "PER":
            continue
        gender = _gender(doc, mention)
        if gender is None or gender == want:
            return _Found(mention, mention.text, verb)
    return None


def _agrees(doc: _Doc, found: _Found, want: str) -> bool:
    """Whether a previous speaker can be the referent of a pronoun ('m', 'f' or 'p' for plural)."""
    if found.speaker is not None:
        if want == "p":
            return found.speaker.type == "ORG"
        return found.speaker.type == "PER" and _gender(doc, found.speaker) in {None, want}
    words = (found.text or "").lower().split()
    if not words:
        return False
    _, _, feminine, masculine = _resources()
    plural = words[0] in {"les", "des", "ces", "leurs", "the"}
    if want == "p":
        return plural
    return not plural and (words[0] not in feminine if want == "m" else words[0] not in masculine)


def _gender(doc: _Doc, mention: Mention) -> str | None:
    """'f' or 'm' from the words at a person's mention (title, the determiner of a role, the role), or None."""
    _, _, feminine, masculine = _resources()
    cues = [mention.title or "", mention.role or ""]
    before = doc.text[max(0, mention.span.start - 60) : mention.span.start]
    apposed = re.search(r"(?:^|[\s,(])(?P<det>l['’]|le|la|the)\s*(?P<role>[^,.;:«»]{2,50}),\s*$", before, re.I)
    if apposed:
        cues.append(f"{apposed.group('det')} {apposed.group('role')}")
    direct = re.search(r"(?P<w>[\w.’']+)\s+$", before)
    if direct:
        cues.append(direct.group("w"))
    for cue in cues:
        words = cue.lower().replace("’", "'").split()
        if not words:
            continue
        first = words[0]
        joined = " ".join(words)
        if first in feminine or any(joined.startswith(f + " ") or joined == f for f in feminine if " " in f):
            return "f"
        if first in masculine or any(joined.startswith(m + " ") or joined == m for m in masculine if " " in m):
            return "m"
    return None


def _continues(doc: _Doc, previous_end: int, outer_start: int) -> bool:
    """Whether a quote continues the previous attributed one: between them only an incise, or a short
    link with no other possible speaker, and at most one paragraph break."""
    between = doc.text[previous_end:outer_start]
    if between.count("\n") > 2 or len(between) > 160:
        return False
    said = doc.previous.speaker if doc.previous is not None else None
    others = [m for m in doc.mentions_in(previous_end, outer_start) if said is None or m.span != said.span]
    return not others or not between.strip(" ,.;:\n")
