"""Events and quotations: typed events with arguments, time, place and modality; quotes with speakers."""

from recoupe.stages.events.detect import STAGE_ID, find_events
from recoupe.stages.events.quotes import find_quotes

__all__ = ["STAGE_ID", "find_events", "find_quotes"]
