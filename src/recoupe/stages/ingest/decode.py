"""Bytes -> text, or a coded Rejection (empty, binary, undecodable)."""

from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes

from recoupe.errors import E
from recoupe.model import Rejection

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def control_ratio(text: str) -> float:
    """Share of control, private-use, surrogate or unassigned characters in ``text``."""
    if not text:
        return 0.0
    bad = sum(
        1 for ch in text
        if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in {"Cc", "Co", "Cs", "Cn"}
    )
    return bad / len(text)


def decode(data: bytes, source: str, max_control_ratio: float) -> tuple[str, str | None] | Rejection:
    """Decode an input's bytes.

    Returns ``(text, warning)``, where the warning (W101) says which non-UTF-8 encoding was
    used, or a Rejection: R301 empty, R302 binary, R303 undecodable.
    """
    fingerprint = None
    if not data.strip():
        return Rejection(source, "R301", "empty", E.R301.format(source=source), fingerprint)
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None and b"\x00" in data:
        detail = "it contains NUL bytes"
        return Rejection(source, "R302", "binary", E.R302.format(source=source, detail=detail))
    warning = None
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None or best.encoding is None:
            detail = "no text encoding fits its bytes"
            return Rejection(source, "R303", "undecodable", E.R303.format(source=source, detail=detail))
        text = str(best)
        warning = E.W101.format(source=source, encoding=best.encoding)
    ratio = control_ratio(text)
    if ratio > max_control_ratio:
        detail = f"{ratio:.0%} control or unassigned characters"
        return Rejection(source, "R302", "binary", E.R302.format(source=source, detail=detail))
    if not text.strip():
        return Rejection(source, "R301", "empty", E.R301.format(source=source))
    return text.lstrip("\ufeff"), warning
