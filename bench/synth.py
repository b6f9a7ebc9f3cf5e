"""Synthetic French news articles for scale benchmarks (written from templates, names invented).

Each article: a title line, a dateline ("12 mars 2024 - 10h15 - Rubrique - Ecrit par : X"), then
three to six paragraphs built from templates of visits, meetings, agreements, criticism and
quotations, with relative dates ("lundi", "la semaine dernière") and absolute ones. Actors are
drawn from invented pools so that stories recur across outlets, as wire copy does. Deterministic
for a given seed. Run from the repository root::

    .venv/bin/python bench/synth.py --articles 10000 --out bench/results/synth-10k
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

FIRST = ("Awa Moussa Jean Claire Karim Fatou Ibrahima Nadia Paul Amina Youssef Léa Omar Sophie Mamadou Inès "
         "Ali Chloé Samir Aïcha Thomas Mariam Hugo Salma Idrissa Julie Bakary Rania Louis Khadija").split()
LAST = ("Sarr Dupont Traoré Benali Mercier Diallo Haddad Lefèvre Koné Rahmani Garnier Cissé Mansour Robin "
        "Touré Amrani Girard Keita Bouzid Fabre Sow Chraibi Perrin Camara Lahlou Roche Baldé Tazi Morel").split()
COUNTRIES = (("Sénégal", "sénégalais", "Dakar"), ("Mali", "malien", "Bamako"), ("Niger", "nigérien", "Niamey"),
             ("Tunisie", "tunisien", "Tunis"), ("Maroc", "marocain", "Rabat"), ("Algérie", "algérien", "Alger"),
             ("France", "français", "Paris"), ("Espagne", "espagnol", "Madrid"), ("Italie", "italien", "Rome"),
             ("Ghana", "ghanéen", "Accra"), ("Égypte", "égyptien", "Le Caire"), ("Kenya", "kényan", "Nairobi"))
PORTFOLIOS = ("de la Défense", "des Affaires étrangères", "de l'Économie", "de la Pêche", "de l'Agriculture",
              "de la Santé", "de l'Énergie", "des Transports", "de l'Intérieur", "du Commerce")
TOPICS = ("la sécurité des frontières", "la pêche artisanale", "les énergies renouvelables", "le commerce régional",
          "la formation des cadres", "la gestion de l'eau", "la lutte contre la désertification",
          "la coopération sanitaire", "les infrastructures portuaires", "la cybersécurité")
OUTLETS = ("Le Courrier du Soir", "La Gazette des Deux Rives", "Horizon Matin", "L'Écho du Fleuve",
           "Le Quotidien du Littoral", "Nouvelles d'Ici", "La Voix du Sahel", "Le Journal des Ports")
MONTHS = ("janvier février mars avril mai juin juillet août septembre octobre novembre décembre").split()
WEEKDAYS = ("lundi mardi mercredi jeudi vendredi samedi dimanche").split()


def _fr_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


class Story:
    """An invented happening several articles report: who, where, when, about what."""

    def __init__(self, rng: random.Random, start: date) -> None:
        self.host, self.guest = rng.sample(COUNTRIES, 2)
        self.minister = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        self.counterpart = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        self.portfolio = rng.choice(PORTFOLIOS)
        self.topic = rng.choice(TOPICS)
        self.day = start + timedelta(days=rng.randrange(0, 900))
        self.amount = rng.choice((5, 12, 20, 35, 50, 120))

    def article(self, rng: random.Random, outlet: str) -> tuple[str, str]:
        published = self.day + timedelta(days=rng.choice((0, 1, 1, 2, 3)))
        lag = (published - self.day).days
        when = "hier" if lag == 1 else (WEEKDAYS[self.day.weekday()] if lag < 7 else f"le {_fr_date(self.day)}")
        g_country, g_adj, _ = self.guest
        h_country, h_adj, h_city = self.host
        title = rng.choice((
            f"{self.minister} en visite à {h_city} pour parler de {self.topic}",
            f"{g_country}-{h_country} : un accord sur {self.topic}",
            f"Le ministre {g_adj} {self.minister} reçu à {h_city}",
        ))
        paragraphs = [
            f"Le ministre {g_adj} {self.portfolio}, {self.minister}, est arrivé {when} à {h_city} pour une "
            f"visite de deux jours consacrée à {self.topic}.",
            f"Il a rencontré son homologue {h_adj}, {self.counterpart}, avec lequel il a signé un accord de "
            f"coopération prévoyant un fonds de {self.amount} millions d'euros.",
            f"« Cette visite ouvre une nouvelle étape entre nos deux pays », a déclaré {self.minister} à la presse.",
        ]
        extras = [
            f"Selon un conseiller, une seconde réunion est prévue en {MONTHS[(self.day.month + 2) % 12]} à "
            f"{self.guest[2]}.",
            f"L'opposition {h_adj.rstrip('s')}ne a critiqué un accord jugé trop vague par plusieurs élus.",
            f"Les deux délégations ont également évoqué {rng.choice(TOPICS)}, sans annonce concrète.",
            f"Le {h_country} et le {g_country} avaient déjà signé un premier texte en {MONTHS[rng.randrange(12)]} "
            f"{self.day.year - 1}.",
        ]
        paragraphs += rng.sample(extras, rng.randrange(1, len(extras) + 1))
        author = f"{rng.choice(FIRST)[0]}. {rng.choice(LAST)}"
        dateline = f"{_fr_date(published)} - {rng.randrange(6, 22)}h{rng.choice(('00', '15', '30', '45'))} - " \
                   f"International - Ecrit par : {author}"
        return title, "\n".join([title, dateline, "", *[p + "\n" for p in paragraphs]])


def write_corpus(out: Path, articles: int, seed: int = 7) -> int:
    """Write ``articles`` files under ``out`` (about three outlets per story); returns the count."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    written, story = 0, None
    while written < articles:
        if story is None or rng.random() < 0.3:
            story = Story(rng, date(2023, 1, 1))
        outlet = rng.choice(OUTLETS)
        _, text = story.article(rng, outlet)
        slug = outlet.lower().replace(" ", "").replace("'", "")[:12]
        (out / f"s{written:06d}_{slug}.txt").write_text(text, "utf-8")
        written += 1
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path("bench/results/synth-10k"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    count = write_corpus(args.out, args.articles, args.seed)
    print(f"wrote {count} articles to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
