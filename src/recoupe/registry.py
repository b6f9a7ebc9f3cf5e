"""The stage registry: every stage's versioned id, kind, contract and factory, built-ins and plugins.

A stage is declared once by a :class:`StageSpec` (modelled on spaCy's
``@Language.factory(requires=..., assigns=...)``): its id ``"<area>.<name>.v<N>"``, whether it
works on one document at a time or on the whole corpus, what it ``requires`` (document fields or
corpus facts an earlier stage provides) and ``provides``, the packages it needs, and a factory
that makes it from the configuration. The build's order comes from ``[pipeline] stages`` and is
checked against these contracts before any document flows (R203 for a missing requirement, R208
for an unknown stage, R205-like R209 for a missing package).

Third-party stages register through the entry-point group ``recoupe.stages``: each entry point
names a :class:`StageSpec` (or a function returning one or a list of them), e.g. in a plugin's
``pyproject.toml``::

    [project.entry-points."recoupe.stages"]
    my_tagger = "my_plugin:SPEC"

and the user adds ``"myplugin.tagger.v1"`` to ``[pipeline] stages``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from recoupe.errors import E, PipelineError
from recoupe.model import Document

if TYPE_CHECKING:
    from recoupe.config import Config

StageKind = Literal["input", "document", "corpus"]
ENTRY_POINT_GROUP = "recoupe.stages"
# document fields the knowledge base does not keep: a document stage needing them must follow the
# stage that provides them with no corpus step in between
TRANSIENT = frozenset({"tokens", "ner"})


@runtime_checkable
class DocumentStage(Protocol):
    """A pure per-document step: ``Document -> Document``. It may raise; the runner records it."""

    def __call__(self, doc: Document) -> Document: ...


@runtime_checkable
class BatchStage(Protocol):
    """A document stage that is faster on a batch (spaCy's ``nlp.pipe``); same result as one by one."""

    def __call__(self, doc: Document) -> Document: ...

    def pipe(self, docs: Sequence[Document]) -> list[Document]: ...


@dataclass(frozen=True)
class StageSpec:
    """What a stage is, what it needs and gives, and how to make it.

    ``factory(config)`` returns the stage object: a :class:`DocumentStage` for ``document``
    stages; for ``input`` and ``corpus`` stages, the object the pipeline calls at that point
    (ingest's parser; a corpus step with ``run(context)``).
    """

    id: str
    kind: StageKind
    requires: frozenset[str]
    provides: frozenset[str]
    factory: Callable[[Config], Any]
    packages: tuple[str, ...] = ()
    description: str = ""
    # the document fields this stage's output is stored in (for document stages the build keeps)
    stores: frozenset[str] = field(default_factory=frozenset)

    @property
    def area(self) -> str:
        return self.id.split(".", 1)[0]


_BUILTIN: dict[str, StageSpec] = {}


def register(spec: StageSpec) -> StageSpec:
    """Add a built-in stage (idempotent for the same spec)."""
    _BUILTIN[spec.id] = spec
    return spec


def _plugin_specs() -> list[StageSpec]:
    found: list[StageSpec] = []
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry.load()
        except Exception as err:
            raise PipelineError(E.R210.format(name=entry.name, value=entry.value, error=err)) from err
        value = loaded() if callable(loaded) and not isinstance(loaded, StageSpec) else loaded
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            if not isinstance(item, StageSpec):
                raise PipelineError(E.R210.format(name=entry.name, value=entry.value,
                                                  error=f"it gave {type(item).__name__}, not a StageSpec"))
            found.append(item)
    return found


def stages(plugins: bool = True) -> dict[str, StageSpec]:
    """Every known stage by id: the built-ins, then those of installed plugins."""
    from recoupe import builtin_stages  # noqa: F401 - registers the built-ins

    known = dict(_BUILTIN)
    if plugins:
        for spec in _plugin_specs():
            known.setdefault(spec.id, spec)
    return known


@cache
def _available(package: str) -> bool:
    return importlib.util.find_spec(package) is not None


def check(order: Sequence[str], known: Mapping[str, StageSpec] | None = None) -> list[StageSpec]:
    """Resolve ``order`` to specs and check every contract before any work.

    Raises:
        PipelineError: R208 (unknown stage id), R203 (a requirement no earlier stage provides),
            R209 (a package a stage needs is not installed).
    """
    known = stages() if known is None else known
    specs: list[StageSpec] = []
    available: set[str] = set()
    for stage_id in order:
        spec = known.get(stage_id)
        if spec is None:
            raise PipelineError(E.R208.format(stage=stage_id, known=", ".join(sorted(known))))
        for field_name in sorted(spec.requires - available):
            raise PipelineError(E.R203.format(stage=stage_id, field=field_name))
        for package in spec.packages:
            if not _available(package):
                raise PipelineError(E.R209.format(stage=stage_id, package=package))
        if spec.kind == "corpus":
            available -= TRANSIENT  # not stored: a corpus step in between drops them
        available |= spec.provides
        specs.append(spec)
    return specs


def phases(specs: Iterable[StageSpec]) -> list[tuple[StageKind, list[StageSpec]]]:
    """Consecutive stages grouped by kind: document stages run together, each corpus step alone."""
    grouped: list[tuple[StageKind, list[StageSpec]]] = []
    for spec in specs:
        if spec.kind == "document" and grouped and grouped[-1][0] == "document":
            grouped[-1][1].append(spec)
        else:
            grouped.append((spec.kind, [spec]))
    return grouped
