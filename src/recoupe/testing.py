"""Helpers for tests and plugins: build documents and inputs without touching the file system."""

from __future__ import annotations

from recoupe.config import Config, load_config
from recoupe.ids import sha256_hex
from recoupe.model import DocId, Document, InputFormat, RawInput, Rejection
from recoupe.stages.clean import clean
from recoupe.stages.ingest import parse


def make_raw(text: str | bytes, doc_id: str = "doc", fmt: InputFormat = "txt",
             record: dict[str, str] | None = None) -> RawInput:
    """A RawInput as `read_inputs` would make it for a file holding ``text``."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return RawInput(f"{doc_id}.{fmt}", DocId(doc_id), fmt, data, sha256_hex(data), record=record or {})


def make_doc(text: str, doc_id: str = "doc", *, config: Config | None = None,
             recurring: frozenset[str] = frozenset()) -> Document:
    """Parse and clean a plain-text article; raises AssertionError if it is rejected."""
    cfg = config or load_config()
    parsed = parse(make_raw(text, doc_id), cfg.ingest)
    assert not isinstance(parsed, Rejection), parsed
    return clean(parsed, cfg.clean, recurring)
