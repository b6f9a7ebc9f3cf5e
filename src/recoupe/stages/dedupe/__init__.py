"""Dedupe: the corpus step that finds exact copies, near-duplicates and syndication families."""

from recoupe.stages.dedupe.minhash import STAGE_ID, DocKey, Duplicates, find_duplicates, shingles, signature

__all__ = ["STAGE_ID", "DocKey", "Duplicates", "find_duplicates", "shingles", "signature"]
