"""Temporal: time expressions found, typed and anchored (TimeML values and day intervals)."""

from recoupe.stages.temporal.tagger import STAGE_ID, duration_value, tag
from recoupe.stages.temporal.tense import tense_function

__all__ = ["STAGE_ID", "duration_value", "tag", "tense_function"]
