"""Loads the general linguistic resources in ``recoupe/data`` (each file states its provenance)."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """Parse ``recoupe/data/<name>.toml`` once per process."""
    text = resources.files("recoupe").joinpath("data", f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def months() -> dict[str, int]:
    """Month names and abbreviations of every language, lower-cased -> month number."""
    table: dict[str, int] = {}
    for names in load("calendar")["months"].values():
        table.update(names)
    return table


@cache
def month_pattern() -> str:
    """A regex alternation of all month names, longest first."""
    return "|".join(re.escape(m) for m in sorted(months(), key=len, reverse=True))
