"""Deterministic ids and fingerprints, from content hashes only (never from time or order)."""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePath

from recoupe.model import DocId

_UNSAFE = re.compile(r"[^\w.\-~]+", re.UNICODE)


def sha256_hex(data: bytes | str) -> str:
    """Hex SHA-256 of bytes, or of a string's UTF-8 encoding."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def doc_id_for_path(path: PurePath) -> DocId:
    """The file name without its extension: ``003_1e00.txt`` -> ``003_1e00``."""
    return DocId(_UNSAFE.sub("_", path.stem) or "doc")


def doc_id_for_record(record_id: str | None, body: str) -> DocId:
    """The id the record gives, else ``h`` and 16 hex digits of the body's hash."""
    if record_id and record_id.strip():
        return DocId(_UNSAFE.sub("_", record_id.strip()))
    return DocId("h" + sha256_hex(body)[:16])


def disambiguated(doc_id: DocId, source: str) -> DocId:
    """A second input with an id already taken gets the id plus a hash of its source path."""
    return DocId(f"{doc_id}~{sha256_hex(source)[:8]}")
