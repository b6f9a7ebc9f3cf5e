"""Entities: mentions (spaCy NER corrected by general rules) and their resolution into entities.

The mention rules (and their gazetteer) load on first use, so that a reader needing only
``names.fold`` (the web app, the query API) does not load them. ``resolve`` is imported eagerly:
a lazy attribute of that name would be shadowed by the submodule ``resolve`` once it is imported.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from recoupe.stages.entities.resolve import Entity, Judgement, resolve

if TYPE_CHECKING:
    from recoupe.stages.entities.mentions import STAGE_ID, acronyms, find_mentions

_WHERE = {"STAGE_ID": "mentions", "acronyms": "mentions", "find_mentions": "mentions"}

__all__ = ["STAGE_ID", "Entity", "Judgement", "acronyms", "find_mentions", "resolve"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(import_module(f"recoupe.stages.entities.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
