"""Quotes and speakers (stages/quotes) on invented French sentences: incises, clauses before and after,
partial and indirect quotes from the parse, pronouns, continuations, titles and names that are not quotes."""

from __future__ import annotations

import pytest

from recoupe.model import Quote
from recoupe.stages.entities import find_mentions
from recoupe.stages.nlp import parse_one
from recoupe.stages.quotes import find_quotes


def _quotes(text: str) -> tuple[str, list[Quote]]:
    _, tokens, ents = parse_one(text, "q")
    mentions = find_mentions("q", text, ents, tokens)
    return text, list(find_quotes("q", text, mentions, tokens))


def _speakers(text: str, quotes: list[Quote]) -> list[str | None]:
    return [text[q.speaker.start : q.speaker.end] if q.speaker else q.speaker_text for q in quotes]


pytestmark = pytest.mark.issue(15)


def test_incise_after_with_addressee_and_inverted_subject() -> None:
    text, quotes = _quotes(
        "« Nous entrerons dans la ville dans quelques heures », a déclaré à l'Agence France-Presse le chef rebelle "
        "Karim Bensaïd. « Tout est calme ici ce soir », sourit Karim Bensaïd."
    )
    assert _speakers(text, quotes) == ["Karim Bensaïd", "Karim Bensaïd"]


def test_pronoun_takes_the_previous_speaker_not_the_person_named_inside_the_quote() -> None:
    text, quotes = _quotes(
        "« Le régime s'effondre », a déclaré Paul Marchand. « Plus tôt Jean Dupuis comprendra qu'il a perdu, "
        "mieux ce sera », a-t-il ajouté."
    )
    assert _speakers(text, quotes) == ["Paul Marchand", "Paul Marchand"]


def test_partial_and_indirect_quotes_take_the_governing_subject() -> None:
    text, quotes = _quotes(
        "Le ministre Paul Marchand a appelé les habitants à « protéger les biens de la population » et a jugé "
        "la situation « très sérieuse pour tout le pays »."
    )
    assert [q.text for q in quotes] == ["protéger les biens de la population", "très sérieuse pour tout le pays"]
    assert all(s is not None and s.endswith("Paul Marchand") for s in _speakers(text, quotes))


def test_colon_and_selon_attributions() -> None:
    text, quotes = _quotes(
        "Paul Marchand : « Nous ne céderons jamais rien »\n\nSelon Claire Dumas, « la réforme sera votée en mai »."
    )
    assert _speakers(text, quotes) == ["Paul Marchand", "Claire Dumas"]


def test_scare_quotes_names_and_titles_are_not_quotations() -> None:
    _, quotes = _quotes(
        "Le « soulèvement » a commencé. Il a publié le livre « Grandeur et misère des nations » puis "
        "dénoncé « l'entité voisine »."
    )
    assert quotes == []


def test_an_unattributed_quote_says_so() -> None:
    _, quotes = _quotes("Sur le mur, on pouvait lire « ici commence la liberté des peuples ».")
    assert len(quotes) == 1
    assert quotes[0].speaker is None
