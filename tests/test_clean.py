"""Clean: boilerplate by features, structure and outlet evidence; repeated paragraphs; invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.config import load_config
from recoupe.model import DocId, Document, Line, PageLines
from recoupe.stages.clean import PARAGRAPH_SEPARATOR, clean, line_key, normalise_line, recurring_lines
from recoupe.stages.clean.blocks import teaser_blocks
from recoupe.stages.clean.features import line_reason
from recoupe.testing import make_doc

P1 = (
    "Le conseil municipal a voté mardi soir le budget de l'année prochaine, en hausse de quatre pour cent "
    "par rapport à l'exercice précédent, après un long débat."
)
P2 = (
    "L'opposition a dénoncé une augmentation des impôts locaux qu'elle juge injustifiée, tandis que la "
    "majorité met en avant les investissements prévus dans les écoles."
)
P3 = "Le maire a promis une réunion publique au début du mois prochain pour présenter le détail des dépenses."


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("À lire : Le budget des communes en hausse", "read_also"),
        ("Lire aussi Les impôts locaux expliqués", "read_also"),
        ("Suivez Le Petit Quotidien sur WhatsApp", "social_prompt"),
        ("Partagez cet article sur Facebook", "social_prompt"),
        ("Facebook Twitter LinkedIn", "social_prompt"),
        ("Inscrivez-vous à notre newsletter quotidienne", "newsletter_prompt"),
        ("Téléchargez notre application pour ne rien manquer", "newsletter_prompt"),
        ("Mots-clés : Budget - Commune - Impôts", "tags"),
        ("Sujets associés : Budget - Commune", "tags"),
        ("© 2024 Le Petit Quotidien. Tous droits réservés.", "copyright"),
        ("Publicité", "page_furniture"),
        ("Articles similaires", "block_header"),
        ("Sur le même sujet :", "read_also"),
        (P1, None),
        (
            "Le maire a partagé sur Facebook une vidéo de la séance, très commentée par les habitants de la ville "
            "qui ont découvert le détail des votes et les interventions de chaque élu pendant plus de trois heures.",
            None,
        ),
    ],
)
def test_line_features_give_reasons(line: str, reason: str | None) -> None:
    assert line_reason(line) == reason


def test_teaser_block_with_header_and_pairs_is_removed_but_body_subheadings_stay() -> None:
    texts = [
        P1,
        "Des dépenses en hausse",
        P2,
        "Une réunion publique",
        P3,
        "Aller plus loin",
        "Les communes face à l'inflation",
        "Partout dans le pays, les maires cherchent des marges et...",
        "Une nouvelle école ouvrira en septembre",
        "Le chantier a pris six mois de retard mais les travaux sont finis.",
    ]
    found = teaser_blocks(texts, [False] * len(texts), max_words=18)
    assert found == {5, 6, 7, 8, 9}


def test_truncated_pairs_open_a_block_without_header() -> None:
    texts = [
        P1,
        P2,
        "Les communes face à l'inflation",
        "Partout dans le pays, les maires cherchent des marges et...",
        "Une nouvelle école ouvrira",
        "Le chantier a pris six mois de retard, selon la mairie qui...",
    ]
    assert teaser_blocks(texts, [False] * len(texts), max_words=18) == {2, 3, 4, 5}


def test_repeated_paragraphs_appear_once_and_are_recorded() -> None:
    doc = make_doc("\n".join([P1, P2, P3, P1, P2]))
    assert doc.text.count(P1) == 1 and doc.text.count(P2) == 1
    assert [(r.kind, r.reason, r.line) for r in doc.removed] == [
        ("duplicate", "repeated_paragraph", 4),
        ("duplicate", "repeated_paragraph", 5),
    ]


def test_text_is_repaired_and_whitespace_normalised() -> None:
    doc = make_doc("Le conseil a votÃ©\u00a0le budget  de l\u2019année.\u200b Une phrase de plus ici.\n\n\n" + P2)
    assert doc.text.split("\n\n")[0] == "Le conseil a voté le budget de l\u2019année. Une phrase de plus ici."
    assert doc.text.count("\n\n") == 1


def test_paragraph_spans_slice_the_text() -> None:
    doc = make_doc("\n".join([P1, "À lire : autre chose", P2, P3]))
    assert [doc.text[s.start : s.end] for s in doc.paragraphs] == [P1, P2, P3]


def _page(doc_id: str, outlet: str | None, published: str | None, *lines: tuple[str, int, bool]) -> PageLines:
    return PageLines(DocId(doc_id), outlet, published, tuple(lines))


def test_recurring_lines_need_independent_pages_not_an_outlet() -> None:
    cfg = load_config().clean
    footer = ("retrouvez nous chaque matin dans nos pages", 7, False)
    pages = [_page("a", None, "2024-01-02", ("article a", 20, True), footer),
             _page("b", None, "2024-01-03", ("article b", 20, True), footer)]
    assert recurring_lines(pages, cfg) == {footer[0]}
    copies = [_page("a", None, None, ("meme texte", 20, True), footer),
              _page("b", None, None, ("meme texte", 20, True), footer)]
    assert recurring_lines(copies, cfg) == frozenset()


def test_a_shared_sentence_is_boilerplate_only_when_it_lasts() -> None:
    """A wire paragraph reused by three outlets in one week stays; a site's standing sentence goes."""
    cfg = load_config().clean
    wire = ("le conseil a adopte mardi une resolution qui exige un cessez le feu immediat dans la region", 17, True)
    week = [_page(d, None, f"2024-03-0{i + 1}", (f"texte {d}", 20, True), wire) for i, d in enumerate("abc")]
    assert recurring_lines(week, cfg) == frozenset()
    months = [_page(d, None, f"2024-0{i + 1}-01", (f"texte {d}", 20, True), wire) for i, d in enumerate("abc")]
    assert recurring_lines(months, cfg) == {wire[0]}


def test_outlet_evidence_removes_a_line_no_feature_catches() -> None:
    line = "Retrouvez-nous chaque matin dans nos pages"
    doc = make_doc("\n".join([P1, P2, line]), recurring=frozenset({line_key(line)}))
    assert line not in doc.text
    assert [(r.kind, r.reason) for r in doc.removed] == [("boilerplate", "outlet_recurrent")]


LINES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                P1,
                P2,
                P3,
                "À lire : autre chose",
                "Suivez X sur Facebook",
                "Aller plus loin",
                "Un titre court",
                "Un teaser coupé au milieu de la phrase et...",
            ]
        ),
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80),
    ),
    max_size=12,
)


def _doc(paragraphs: list[str]) -> Document:
    lines = tuple(Line(n, t) for n, t in enumerate(paragraphs, start=1) if t.strip())
    return Document(DocId("p"), "p.txt", "txt", "0", lines=lines)


@settings(max_examples=150, deadline=None)
@given(LINES)
def test_clean_is_idempotent_and_spans_are_valid(lines: list[str]) -> None:
    cfg = load_config().clean
    once = clean(_doc([t for line in lines for t in line.splitlines()]), cfg)
    for span in once.paragraphs:
        assert 0 <= span.start < span.end <= len(once.text)
        assert once.text[span.start : span.end] == normalise_line(once.text[span.start : span.end])
    twice = clean(_doc(once.text.split(PARAGRAPH_SEPARATOR)), cfg)
    assert twice.text == once.text
    assert twice.removed == ()


def test_sub_headed_sections_after_a_share_prompt_stay() -> None:
    doc = make_doc("\n".join([P1, "Partagez cet article sur Facebook", "Des dépenses en hausse", P2,
                              "Une réunion publique", P3]))
    assert doc.text.split("\n\n") == [P1, "Des dépenses en hausse", P2, "Une réunion publique", P3]


def test_teasers_around_removed_lines_are_one_block() -> None:
    texts = ["Suivez-nous sur WhatsApp", "Une nouvelle école ouvrira", "Le chantier a pris six mois de retard.",
             "Les communes face à l'inflation", "Partout dans le pays, les maires cherchent des marges et...",
             "Météo : fortes chaleurs", "Les services annoncent des températures en hausse."]
    assert teaser_blocks([P1, *texts], [False, True] + [False] * 6, max_words=18) == {2, 3, 4, 5, 6, 7}
