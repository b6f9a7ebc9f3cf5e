"""Find and read inputs: files and folders (recursive) -> RawInput, or a coded Rejection.

This is the only module of the pipeline that touches the file system on the way in. Every
path it sees yields exactly one item (a JSONL file yields one per non-blank line), so the
build can account for every input.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from recoupe.config import IngestConfig
from recoupe.errors import E
from recoupe.ids import doc_id_for_path, doc_id_for_record, sha256_hex
from recoupe.model import InputFormat, RawInput, Rejection
from recoupe.stages.ingest.given import Given, load_given

SUFFIXES: dict[str, InputFormat] = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
RECORD_FIELDS = ("id", "url", "title", "text", "html", "published", "outlet", "author", "section")


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files under ``paths`` in a stable order; hidden files and folders (``.name``) are skipped."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        else:
            yield path


def _fingerprint(data: bytes, given: dict[str, str]) -> str:
    """The input's content hash; metadata given beside it is part of it (a changed row re-reads the file)."""
    if not given:
        return sha256_hex(data)
    return sha256_hex(data + b"\0" + json.dumps(given, sort_keys=True).encode("utf-8"))


def read_inputs(paths: Iterable[str | Path], cfg: IngestConfig,
                given: Given | None = None) -> Iterator[RawInput | Rejection]:
    """Read every input under ``paths``; never raises for a bad file, yields a Rejection instead.

    ``given``: metadata kept beside the inputs (default: from ``cfg.meta_file`` and
    ``cfg.date_from_path``; a bad metadata file raises before any input is read).
    """
    given = given if given is not None else load_given(cfg.meta_file, cfg.date_from_path)
    for path in discover(paths):
        source = str(path)
        if not path.exists():
            yield Rejection(source, "R310", "missing", E.R310.format(source=source))
            continue
        fmt = SUFFIXES.get(path.suffix.lower())
        if fmt is None:
            yield Rejection(
                source, "R308", "unsupported_type", E.R308.format(source=source, suffix=path.suffix)
            )
            continue
        if fmt == "jsonl":
            yield from _read_jsonl(path, cfg, given)
            continue
        try:
            size = path.stat().st_size
            if size > cfg.max_bytes:
                yield Rejection(
                    source, "R304", "oversized",
                    E.R304.format(source=source, size=size, limit=cfg.max_bytes),
                )
                continue
            data = path.read_bytes()
        except OSError as err:
            yield Rejection(source, "R309", "unreadable", E.R309.format(source=source, detail=err))
            continue
        doc_id = doc_id_for_path(path)
        values, evidence = given.for_file(path, doc_id)
        yield RawInput(source, doc_id, fmt, data, _fingerprint(data, values), given=values,
                       given_evidence=evidence)


def _read_jsonl(path: Path, cfg: IngestConfig, given: Given) -> Iterator[RawInput | Rejection]:
    try:
        handle = path.open("rb")
    except OSError as err:
        yield Rejection(str(path), "R309", "unreadable", E.R309.format(source=path, detail=err))
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            source = f"{path}:{number}"
            if not raw.strip():
                continue
            fingerprint = sha256_hex(raw)
            if len(raw) > cfg.max_bytes:
                msg = E.R304.format(source=source, size=len(raw), limit=cfg.max_bytes)
                yield Rejection(source, "R304", "oversized", msg, fingerprint)
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as err:
                msg = E.R305.format(line=number, source=path, detail=err)
                yield Rejection(source, "R305", "unparsable", msg, fingerprint)
                continue
            if not isinstance(record, dict):
                msg = E.R311.format(line=number, source=path)
                yield Rejection(source, "R311", "unparsable", msg, fingerprint)
                continue
            fields = {k: str(record[k]) for k in RECORD_FIELDS if record.get(k) not in (None, "")}
            body = fields.get("text") or fields.get("html")
            if not body or not body.strip():
                msg = E.R306.format(line=number, source=path)
                yield Rejection(source, "R306", "no_text", msg, fingerprint)
                continue
            extras = {k: str(v) for k, v in record.items() if k not in RECORD_FIELDS and v is not None}
            fields.update({f"extra:{k}": v for k, v in sorted(extras.items())})
            fmt: InputFormat = "html" if "text" not in fields else "jsonl"
            doc_id = doc_id_for_record(fields.get("id"), body)
            values, evidence = {}, {}
            if doc_id in given.rows:
                row, where = given.rows[doc_id]
                given.used.add(doc_id)
                values = {k: v for k, v in row.items() if k not in fields}
                evidence = dict.fromkeys(values, where)
            yield RawInput(
                source, doc_id, fmt, raw, _fingerprint(raw, values), record=fields, given=values,
                given_evidence=evidence,
            )
