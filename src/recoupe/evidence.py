"""Entity merge evidence in words, for the CLI, the app and the report (the stored records stay as they are)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def describe(item: Mapping[str, Any]) -> str:
    """One merge record of entity resolution as a sentence.

    >>> describe({"rule": "transliteration_key", "key": "kdf", "names": ["Jean Kadef", "Jean Kadeff"],
    ...           "given_names": 1.0, "score": 0.91})
    "'Jean Kadef' ~ 'Jean Kadeff': same surname key kdf + compatible given names (1.00), similarity 0.91"
    """
    rule = item.get("rule")
    if rule == "transliteration_key":
        names = [str(n) for n in item.get("names", [])]
        given = item.get("given_names")
        score = item.get("score")
        if len(set(names)) == 1:
            return f"the same name '{names[0]}' in another article (surname key {item.get('key')})"
        return (f"'{names[0]}' ~ '{names[1]}': same surname key {item.get('key')} + compatible given names"
                + (f" ({float(given):.2f})" if given is not None else "")
                + (f", similarity {float(score):.2f}" if score is not None else ""))
    if rule == "surname_in_article":
        return f"the surname alone, after the full name in article {item.get('doc')}"
    if rule == "given_name_in_article":
        return f"the given name alone, after the full name in article {item.get('doc')}"
    if rule == "name_without_surname":
        names = [str(n) for n in item.get("names", [])]
        return f"'{names[0]}' is '{names[1]}' without its surname, the only name it fits in the corpus"
    if rule == "surname_in_corpus":
        names = [str(n) for n in item.get("names", [])]
        return f"the surname '{names[0]}' alone, and '{names[1]}' is its only bearer in the corpus"
    if rule == "ambiguous_surname":
        names = [str(n) for n in item.get("names", [])]
        return (f"UNRESOLVED: the surname '{names[0]}' alone, which several people of the corpus bear ("
                + ", ".join(names[1:]) + "): grouped as the surname, not as any one of them")
    if rule == "role_holder":
        return f"named only by the role '{item.get('role')}', which one named person holds in the corpus"
    details = ", ".join(f"{k} {v}" for k, v in item.items() if k != "rule")
    return f"rule {rule}" + (f": {details}" if details else "")


def summarise(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The merge records of one entity as distinct sentences with how many mentions each joined,
    most frequent first (a name repeated over 40 articles is one line, not 40)."""
    counts: dict[str, int] = {}
    for item in items:
        if item.get("rule") == "surname_in_article":
            text = "the surname alone, after the full name in the same article"
        else:
            text = describe(item)
        counts[text] = counts.get(text, 0) + 1
    return [{"text": text, "mentions": n} for text, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def review(entities: Iterable[Mapping[str, Any]], top: int = 10) -> dict[str, list[dict[str, Any]]]:
    """What a user should check first: the entities whose weakest merge scores lowest, and the largest
    entities, each with its merges in words. ``entities`` are rows with ``id``, ``name``, ``type``,
    ``aliases``, ``evidence`` (the stored records) and ``mentions`` (a count)."""
    rows = []
    for entity in entities:
        scores = [float(e["score"]) for e in entity["evidence"] if isinstance(e.get("score"), int | float)]
        rows.append({"id": entity["id"], "name": entity["name"], "type": entity["type"],
                     "aliases": list(entity["aliases"]), "mentions": int(entity["mentions"]),
                     "weakest": min(scores) if scores else None, "merged_by": summarise(entity["evidence"])})
    risky = sorted((r for r in rows if r["weakest"] is not None and r["weakest"] < 1.0),
                   key=lambda r: (r["weakest"], -r["mentions"], r["id"]))
    largest = sorted(rows, key=lambda r: (-r["mentions"], r["id"]))
    return {"lowest_confidence": risky[:top], "largest": largest[:top]}
