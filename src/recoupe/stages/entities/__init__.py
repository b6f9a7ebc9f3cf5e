"""Entities: mentions (spaCy NER corrected by general rules) and their resolution into entities.

The submodules load on first use, so that a reader needing only ``names.fold`` (the web app, the
query API) does not load the gazetteer and the mention rules.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recoupe.stages.entities.mentions import STAGE_ID, acronyms, find_mentions
    from recoupe.stages.entities.resolve import Entity, Judgement, resolve

_WHERE = {"STAGE_ID": "mentions", "acronyms": "mentions", "find_mentions": "mentions",
          "Entity": "resolve", "Judgement": "resolve", "resolve": "resolve"}

__all__ = ["STAGE_ID", "Entity", "Judgement", "acronyms", "find_mentions", "resolve"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(import_module(f"recoupe.stages.entities.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
