"""Ingest: find inputs, read them (the only I/O), and parse each into a Document (pure).

Contract: provides ``lines``, ``meta_lines``, metadata fields and ``published`` (explicit only).
Rejection codes: R301 empty, R302 binary, R303 undecodable, R304 oversized, R305/R311
unparsable JSONL, R306 JSONL record without text, R307 no text after extraction, R308
unsupported type, R309 unreadable, R310 missing path.
"""

from recoupe.stages.ingest.given import Given, date_in_path, load_given
from recoupe.stages.ingest.parse import STAGE_ID, parse
from recoupe.stages.ingest.read import SUFFIXES, discover, read_inputs

__all__ = ["STAGE_ID", "SUFFIXES", "Given", "date_in_path", "discover", "load_given", "parse", "read_inputs"]
