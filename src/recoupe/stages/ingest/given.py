"""Metadata users keep beside their articles: a date in the file's path, a sidecar metadata file.

Crawls and archives often file articles by day (``2011-02-16/page.txt``, ``2011/02/16/...``,
``20110216-page.txt``) and keep titles, outlets and URLs in a table next to the text. Both are
read here, once, into a :class:`Given` lookup; the parser then takes them with their evidence
(a date stated in the text still wins over one in the path).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePath

from recoupe.errors import E, InputError

FIELDS = ("published", "outlet", "url", "title", "author", "section")
_PATH_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<sep>[-/_.]?)(?P<m>0[1-9]|1[0-2])(?P=sep)(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
)


def date_in_path(path: PurePath) -> str | None:
    """The last valid ISO calendar date written in ``path`` (YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD), if any."""
    found = None
    for match in _PATH_DATE.finditer(path.as_posix()):
        try:
            found = date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
        except ValueError:
            continue
    return found


@dataclass
class Given:
    """Metadata given beside the inputs: sidecar rows by document id or path, and the path-date switch."""

    date_from_path: bool = False
    rows: dict[str, tuple[dict[str, str], str]] = field(default_factory=dict)  # key -> (fields, evidence)
    warnings: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    def for_file(self, path: Path, doc_id: str) -> tuple[dict[str, str], dict[str, str]]:
        """(fields, evidence per field) for one file input."""
        values: dict[str, str] = {}
        evidence: dict[str, str] = {}
        if self.date_from_path and (day := date_in_path(path)) is not None:
            values["published"] = day
            evidence["published"] = f"date in the path '{path}'"
        for key in (str(path), path.as_posix(), path.name, doc_id):
            if key in self.rows:
                row, where = self.rows[key]
                self.used.add(key)
                for name, value in row.items():
                    values[name] = value
                    evidence[name] = where
                break
        return values, evidence


def load_given(meta_file: str | None, date_from_path: bool) -> Given:
    """Read a sidecar metadata file (CSV with a header, or JSON Lines) into a lookup.

    Raises:
        InputError: the file cannot be read or has no ``id`` column (R206, R207).
    """
    given = Given(date_from_path=date_from_path)
    if not meta_file:
        return given
    path = Path(meta_file)
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(E.R206.format(path=path, error=err)) from err
    rows: list[tuple[int, dict[str, object]]] = []
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                given.warnings.append(E.W107.format(path=path, row=number, detail=f"not valid JSON ({err})"))
                continue
            if not isinstance(record, dict):
                given.warnings.append(E.W107.format(path=path, row=number, detail="not a JSON object"))
                continue
            rows.append((number, record))
    else:
        reader = csv.DictReader(io.StringIO(text))
        if reader.fieldnames is None or "id" not in reader.fieldnames:
            raise InputError(E.R207.format(path=path, columns=", ".join(reader.fieldnames or []) or "none"))
        rows = [(number, dict(row)) for number, row in enumerate(reader, start=2)]
    for number, record in rows:
        key = record.get("id")
        if not isinstance(key, str) or not key.strip():
            given.warnings.append(E.W107.format(path=path, row=number, detail="no 'id'"))
            continue
        values = {name: str(value).strip() for name in FIELDS
                  if (value := record.get(name)) not in (None, "") and isinstance(value, str | int | float)}
        values = {k: v for k, v in values.items() if v}
        given.rows[key.strip()] = (values, f"metadata file '{path}', row {number}")
    return given
