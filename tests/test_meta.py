"""Project invariants: public API, error catalogue, data provenance, no corpus knowledge in code."""

from __future__ import annotations

import re
from pathlib import Path

import recoupe
from recoupe.errors import E

SRC = Path(recoupe.__file__).parent


def test_public_api_is_sorted_and_importable() -> None:
    assert list(recoupe.__all__) == sorted(recoupe.__all__)
    assert all(hasattr(recoupe, name) for name in recoupe.__all__)


def test_error_codes_are_unique_and_formatted() -> None:
    codes = [name for name in vars(E) if re.fullmatch(r"[RW]\d{3}", name)]
    assert len(codes) == len(set(codes)) >= 20
    assert all(getattr(E, code).startswith(f"[{code}] ") for code in codes)


def test_every_rejection_code_is_raised_somewhere() -> None:
    sources = "\n".join(p.read_text("utf-8") for p in SRC.rglob("*.py"))
    for code in (name for name in vars(E) if re.fullmatch(r"R3\d\d", name)):
        assert f"E.{code}" in sources, code


def test_data_files_state_their_provenance() -> None:
    for path in (SRC / "data").glob("*.toml"):
        head = path.read_text("utf-8")[:800]
        assert "Provenance" in head, path.name


def test_default_config_documents_every_key() -> None:
    from recoupe.config import Config, default_toml

    data = default_toml()
    for section, model in Config.model_fields.items():
        assert set(data[section]) == set(model.annotation.model_fields), section  # type: ignore[union-attr]
