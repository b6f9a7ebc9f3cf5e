"""Quotations and their speakers: direct, partial and indirect, each with the span it was read from."""

from recoupe.stages.quotes.attribute import STAGE_ID, find_quotes

__all__ = ["STAGE_ID", "find_quotes"]
