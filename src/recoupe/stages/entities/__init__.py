"""Entities: mentions (spaCy NER corrected by general rules) and their resolution into entities."""

from recoupe.stages.entities.mentions import STAGE_ID, acronyms, find_mentions
from recoupe.stages.entities.resolve import Entity, Judgement, resolve

__all__ = ["STAGE_ID", "Entity", "Judgement", "acronyms", "find_mentions", "resolve"]
