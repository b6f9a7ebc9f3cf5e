"""`recoupe entities`: look at entities (a summary, or every mention) and record merge/split judgements."""

from __future__ import annotations

from typing import Any

import click

from recoupe.cli import EXIT_CODES, READ_ONLY, _json_option, _kb_option, echo_json, out_console


@click.group()
def entities() -> None:
    """Look at entities and record human judgements (merge, split) that persist across rebuilds."""


@entities.command("show", epilog=EXIT_CODES + " (R507: no entity matches). " + READ_ONLY)
@click.argument("name")
@_kb_option()
@click.option("--mentions", "long_form", is_flag=True, help="Also list every mention (article, offsets, text).")
@click.option("--top", default=8, show_default=True, type=click.IntRange(min=1),
              help="Articles and co-occurring entities listed per entity.")
@_json_option
def entities_show(name: str, kb_path: str, long_form: bool, top: int, as_json: bool) -> None:
    """Summarise the entities whose id, name or alias contains NAME (accents and case ignored):
    aliases, roles, why the names were merged, mentions per article, the entities most often
    in the same articles. --mentions adds the long form.

    Example:

        recoupe entities show "Diop" --kb news.duckdb
    """
    from recoupe.errors import E, StoreError
    from recoupe.query import open_kb

    with open_kb(kb_path) as kb:
        wanted = {e["id"] for e in kb.entities(name=name)}
        wanted |= {r["id"] for r in kb.sql("SELECT id FROM entities WHERE contains(id, ?)", [name])}
        order = [e["id"] for e in kb.entities() if e["id"] in wanted]
        found = [kb.entity(entity_id, top=top) for entity_id in order]
    if not found:
        raise StoreError(E.R507.format(name=name, path=kb_path))
    if not long_form:
        for entity in found:
            entity.pop("mentions")
    if as_json:
        echo_json(found)
        return
    console = out_console()
    for entity in found:
        _print_entity(console, entity)


def _print_entity(console: Any, e: dict[str, Any]) -> None:
    from rich.markup import escape

    from recoupe.web.summaries import cite_text

    def say(text: str) -> None:  # article text is data, never console markup: "[a03]" stays "[a03]"
        console.print(escape(text))

    where = f", {e['country']}" if e["country"] else ""
    console.print(f"[bold]{escape(e['name'])}[/] ({escape(e['type'] + where)}) {escape(e['id'])}")
    say(f"  {e['mention_count']} mentions in {e['article_count']} articles; {e['event_count']} events")
    say(f"  aliases: {' · '.join(e['aliases']) or '-'}")
    if e["roles"]:
        say(f"  roles: {'; '.join(e['roles'])}")
    for item in e["merged_by"]:
        say(f"  merged: {item['text']}" + (f" (x{item['mentions']})" if item["mentions"] > 1 else ""))
    for article in e["top_articles"]:
        say(f"  {article['mentions']:>3}x in {cite_text(article)} [{article['doc']}]")
    if e["article_count"] > len(e["top_articles"]):
        say(f"      ... and {e['article_count'] - len(e['top_articles'])} more articles (--top N)")
    if e["co_occurring"]:
        say("  often with: " + ", ".join(f"{c['name']} ({c['shared_articles']})" for c in e["co_occurring"]))
    for m in e.get("mentions", []):
        say(f"    {m['doc']} [{m['start']}:{m['end']}] {m['text']}")
    console.print("")


@entities.command("review", epilog=EXIT_CODES + ". " + READ_ONLY)
@_kb_option()
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1), help="Entities listed per list.")
@_json_option
def entities_review(kb_path: str, top: int, as_json: bool) -> None:
    """List the merges to check first: the entities whose weakest merge has the lowest confidence
    (an unresolved surname, a shortened given name, a spelling match), then the largest entities,
    each with its aliases and why its names were merged, in words. Judge them with
    `recoupe entities merge` / `split`.

    Example:

        recoupe entities review --kb news.duckdb --top 20
    """
    import json

    from recoupe.evidence import review
    from recoupe.query import open_kb

    with open_kb(kb_path) as kb:
        rows = kb.sql("SELECT e.id, e.name, e.type, e.aliases, e.evidence, count(m.entity_id) AS mentions "
                      "FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id "
                      "GROUP BY e.id, e.name, e.type, e.aliases, e.evidence")
    for row in rows:
        row["aliases"] = json.loads(row["aliases"]) if isinstance(row["aliases"], str) else row["aliases"]
        row["evidence"] = json.loads(row["evidence"]) if isinstance(row["evidence"], str) else row["evidence"]
    found = review(rows, top)
    if as_json:
        echo_json(found)
        return
    console = out_console()
    for title, key in (("Lowest-confidence merges", "lowest_confidence"), ("Largest entities", "largest")):
        console.print(f"[bold]{title}[/]")
        if not found[key]:
            console.print("  (none)")
        for e in found[key]:
            weakest = "-" if e["weakest"] is None else f"{e['weakest']:.2f}"
            console.print(f"  {e['name']} ({e['type']}) {e['id']}: {e['mentions']} mentions, weakest merge {weakest}")
            console.print(f"    aliases: {' · '.join(e['aliases'][:12]) or '-'}")
            for item in e["merged_by"][:6]:
                times = f" (x{item['mentions']})" if item["mentions"] > 1 else ""
                console.print(f"    merged: {item['text']}{times}")
        console.print("")


@entities.command("merge", epilog=EXIT_CODES + " (R507: no such entity; R405: the knowledge base is busy).")
@click.argument("first")
@click.argument("second")
@_kb_option()
@_json_option
def entities_merge(first: str, second: str, kb_path: str, as_json: bool) -> None:
    """Record that two entities (ids or names) are one; applied now and on every rebuild.

    Example:

        recoupe entities merge per-jean-dupont-1a2b3c per-j-dupont-4d5e6f --kb news.duckdb
    """
    from recoupe.entities_admin import judge

    message = judge(kb_path, "merge", first, second)
    echo_json({"action": "merge", "message": message}) if as_json else click.echo(message)


@entities.command("split", epilog=EXIT_CODES + " (R507: no such entity; R405: the knowledge base is busy).")
@click.argument("entity")
@click.argument("name")
@_kb_option()
@_json_option
def entities_split(entity: str, name: str, kb_path: str, as_json: bool) -> None:
    """Record that the mentions named NAME are not entity ENTITY; applied now and on every rebuild.

    Example:

        recoupe entities split per-jean-dupont-1a2b3c "Jean Dupond" --kb news.duckdb
    """
    from recoupe.entities_admin import judge

    message = judge(kb_path, "split", entity, name)
    echo_json({"action": "split", "message": message}) if as_json else click.echo(message)
