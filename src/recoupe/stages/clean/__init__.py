"""Clean: repair text, remove metadata lines, boilerplate and repeated paragraphs (with reasons).

``clean`` is a pure per-document function; ``recurring_lines`` is the corpus step that feeds it
cross-document evidence (lines recurring across an outlet's independent articles).
"""

from recoupe.model import PageLines
from recoupe.stages.clean.clean import PARAGRAPH_SEPARATOR, STAGE_ID, clean, clean_key, paragraph_keys
from recoupe.stages.clean.normalize import line_key, normalise_line
from recoupe.stages.clean.outlet import recurring_lines

__all__ = [
    "PARAGRAPH_SEPARATOR",
    "STAGE_ID",
    "PageLines",
    "clean",
    "clean_key",
    "line_key",
    "normalise_line",
    "paragraph_keys",
    "recurring_lines",
]
