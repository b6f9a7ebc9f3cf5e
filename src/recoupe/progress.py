"""Progress of long jobs on stderr, and how long each phase took.

One small interface for the build, the report and anything else that runs long::

    progress = Progress(enabled=True)
    with progress.phase("parse + time", total=len(ids), unit="documents") as phase:
        for doc in phase.track(documents):
            ...
    progress.timings  # (PhaseTime("parse + time", 12.3, 361), ...)

On a terminal each phase is a live bar (count, elapsed) and leaves one line when it ends; when
stderr is not a terminal (a pipe, a log file, CI) the same phases are plain lines: one when its
number of items is known, one for each named step of a corpus phase (``phase.step("merging
accounts")``), one every ``interval`` seconds while it runs (even when no item is done in that
time), one when it ends. Disabled, nothing is printed but the timings are still kept.
``RECOUPE_PROGRESS=bar|lines|off`` overrides the choice. Data never goes to stderr, so
``recoupe build ... --json > out.json`` stays clean.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Literal, TextIO, TypeVar

from recoupe.model import PhaseTime

T = TypeVar("T")
Mode = Literal["bar", "lines", "off"]


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


class Phase:
    """One named phase: counts items as they are done (``advance``, ``track``)."""

    def __init__(self, owner: Progress, name: str, total: int | None, unit: str) -> None:
        self.owner, self.name, self.total, self.unit = owner, name, total, unit
        self.done = 0
        self.detail: str | None = None
        self.started = time.perf_counter()
        self._last_line = self.started
        self._task: int | None = None
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    def __enter__(self) -> Phase:
        self.owner._begin(self)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.owner._end(self, failed=kind is not None)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def set_total(self, total: int | None) -> None:
        """The number of items, once known."""
        first = self.total is None and self.done == 0
        self.total = total
        if first and total and self.owner.mode == "lines":
            self.owner._line(f"{self.name}: {total:,} {self.unit} ...")
        self.owner._update(self)

    def step(self, name: str) -> None:
        """Name the step the phase is in now (a corpus phase's parts: "merging accounts", ...)."""
        self.detail = name
        if self.owner.mode == "lines":
            self._last_line = time.perf_counter()
            self.owner._line(f"{self.name}: {name} ...")
        self.owner._update(self)

    def advance(self, n: int = 1) -> None:
        self.done += n
        self.owner._update(self)

    def track(self, items: Iterable[T]) -> Iterator[T]:
        """Yield ``items``, counting each as done once the consumer asks for the next one."""
        for item in items:
            yield item
            self.advance()

    def describe(self) -> str:
        count = f"{self.done:,}" + (f"/{self.total:,}" if self.total is not None else "")
        share = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        detail = f", {self.detail}" if self.detail else ""
        return f"{self.name}: {count} {self.unit}{share}{detail}"

    def _heartbeat(self) -> None:
        """A line every ``interval`` seconds while the phase runs, whether items advance or not."""
        while not self._stop.wait(self.owner.interval / 4 or 0.05):
            self.owner._update(self)


class Progress:
    """Progress for a job's phases on ``stream`` (stderr), with each phase's time kept in ``timings``."""

    def __init__(self, enabled: bool = True, *, stream: TextIO | None = None, interval: float = 5.0,
                 mode: Mode | None = None) -> None:
        self.stream = stream or sys.stderr
        self.interval = interval
        chosen = mode or os.environ.get("RECOUPE_PROGRESS") or None
        if chosen not in {"bar", "lines", "off"}:
            chosen = "bar" if self.stream.isatty() else "lines"
        self.mode: Mode = chosen if enabled else "off"  # type: ignore[assignment]
        self._timings: list[PhaseTime] = []
        self._bar: object | None = None

    @property
    def timings(self) -> tuple[PhaseTime, ...]:
        return tuple(self._timings)

    def phase(self, name: str, total: int | None = None, unit: str = "documents") -> Phase:
        """A phase to use as a context manager; ``total`` may be set later (``set_total``)."""
        return Phase(self, name, total, unit)

    def note(self, text: str) -> None:
        """One line on stderr (unless progress is off), between phases."""
        if self.mode != "off":
            self._line(text)

    def _line(self, text: str) -> None:
        print(f"recoupe: {text}", file=self.stream, flush=True)

    def _begin(self, phase: Phase) -> None:
        if self.mode == "lines":
            if phase.total:
                self._line(f"{phase.name}: {phase.total:,} {phase.unit} ...")
            if self.interval > 0:
                phase._beat = threading.Thread(target=phase._heartbeat, name="recoupe-progress", daemon=True)
                phase._beat.start()
        elif self.mode == "bar":
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TextColumn("{task.fields[unit]}"), TimeElapsedColumn(),
                           console=Console(file=self.stream), transient=True)
            bar.start()
            phase._task = bar.add_task(phase.name, total=phase.total, unit=phase.unit)
            self._bar = bar

    def _update(self, phase: Phase) -> None:
        if self.mode == "bar" and self._bar is not None and phase._task is not None:
            self._bar.update(phase._task, completed=phase.done, total=phase.total,  # type: ignore[attr-defined]
                             description=f"{phase.name}: {phase.detail}" if phase.detail else phase.name)
        elif self.mode == "lines":
            now = time.perf_counter()
            if now - phase._last_line >= self.interval:
                phase._last_line = now
                self._line(f"{phase.describe()}, {_duration(now - phase.started)}")

    def _end(self, phase: Phase, failed: bool) -> None:
        seconds = phase.seconds
        phase._stop.set()
        if phase._beat is not None:
            phase._beat.join()
        if self._bar is not None:
            self._bar.stop()  # type: ignore[attr-defined]
            self._bar = None
        self._timings.append(PhaseTime(phase.name, seconds, phase.done if phase.total is not None or phase.done
                                       else None))
        if self.mode == "off":
            return
        counted = f"{phase.done:,} {phase.unit} in " if phase.done or phase.total else ""
        self._line(f"{phase.name}: {'stopped after ' if failed else ''}{counted}{_duration(seconds)}")
