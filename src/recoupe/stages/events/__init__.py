"""Events: typed events with arguments, time, place and modality (quotations are in ``stages/quotes``)."""

from recoupe.stages.events.detect import STAGE_ID, find_events

__all__ = ["STAGE_ID", "find_events"]
