"""Progress of a long command on stderr (`cxux build`), never on stdout.

stdout carries results only (`cxux build > summary.txt` keeps the summary); stderr
shows, for each phase, a start line, updates ("quality: 40/120 checks (12 s)") at
most every UPDATE_SECONDS, a heartbeat when nothing was written for HEARTBEAT_SECONDS
(so a phase that says nothing, e.g. dbt parsing the project, never leaves the
terminal silent for longer), and one closing line with the elapsed time:

    dbt build: started
    dbt build: parsing the project (8 s)
    dbt build: 250/601 nodes (41 s)
    dbt build: done in 95.2 s (601 nodes, 0 failed)

quiet=True writes nothing; the timings are kept either way (Progress.timings).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

UPDATE_SECONDS = 5.0  # at most one update line per phase this often
# stderr stays silent at most this long (plus one tick) while a phase runs: within the
# "about ten seconds" a user waits before wondering whether it hangs
HEARTBEAT_SECONDS = 7.0


def _stderr(line: str) -> None:
    import click

    click.echo(line, err=True)


class Progress:
    """Phase lines and a heartbeat on stderr; use as a context manager."""

    def __init__(self, *, quiet: bool = False, write: Callable[[str], None] | None = None,
                 update_seconds: float = UPDATE_SECONDS,
                 heartbeat_seconds: float = HEARTBEAT_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.quiet = quiet
        self._write = write or _stderr
        self.update_seconds = update_seconds
        self.heartbeat_seconds = heartbeat_seconds
        self._clock = clock
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._phase: str | None = None
        self._phase_started = 0.0
        self._status = ""
        self._detail = ""
        self._last_line = clock()
        self._last_update = 0.0
        # (phase, seconds, outcome) of every phase that ended: "done" or "failed"
        self.timings: list[tuple[str, float, str]] = []

    # ------------------------------------------------------------ lifecycle

    def __enter__(self) -> Progress:
        if not self.quiet and self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._beat, name="cxux-progress",
                                            daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _beat(self) -> None:
        tick = min(0.5, self.heartbeat_seconds / 4)
        while not self._stop.wait(tick):
            with self._lock:
                if self._phase is None:
                    continue
                if self._clock() - self._last_line >= self.heartbeat_seconds:
                    self._line(f"{self._phase}: {self._status or 'running'} "
                               f"({self._elapsed():.0f} s)")

    # ------------------------------------------------------------ output

    def _line(self, text: str) -> None:
        with self._lock:
            self._last_line = self._clock()
            if not self.quiet:
                self._write(text)

    def _elapsed(self) -> float:
        return self._clock() - self._phase_started

    def echo(self, text: str) -> None:
        """A line of the running phase's log (a failed node, a warning): always shown
        unless quiet, and it counts as a sign of life."""
        self._line(text)

    # ------------------------------------------------------------ phases

    @contextmanager
    def phase(self, name: str) -> Iterator[Progress]:
        """Time a phase: a start line, then one line with the elapsed time at its end
        ('done in 12.3 s (detail)' or 'failed after 12.3 s')."""
        with self._lock:
            self._phase, self._status, self._detail = name, "", ""
            self._phase_started = self._clock()
            self._last_update = 0.0
        self._line(f"{name}: started")
        outcome = "failed"
        try:
            yield self
            outcome = "done"
        finally:
            with self._lock:
                seconds = self._elapsed()
                detail = f" ({self._detail})" if self._detail else ""
                self._phase = None
                self.timings.append((name, seconds, outcome))
                word = "done in" if outcome == "done" else "failed after"
                self._line(f"{name}: {word} {seconds:.1f} s{detail}")

    def update(self, status: str, *, force: bool = False) -> None:
        """The running phase's status; written when UPDATE_SECONDS passed since the
        last update line (or force), else shown by the next heartbeat."""
        with self._lock:
            self._status = status
            if self._phase is None:
                return
            now = self._clock()
            if force or now - self._last_update >= self.update_seconds:
                self._last_update = now
                self._line(f"{self._phase}: {status} ({self._elapsed():.0f} s)")

    def status(self, text: str) -> None:
        """The running phase's status for the next heartbeat, without writing a line."""
        with self._lock:
            self._status = text

    def detail(self, text: str) -> None:
        """What the closing line of the running phase adds in brackets."""
        with self._lock:
            self._detail = text

    def timings_text(self) -> str:
        """'compile metrics 0.3 s, dbt build 95.2 s, ... (total 160.1 s)'."""
        parts = [f"{name} {seconds:.1f} s" + ("" if outcome == "done" else " (failed)")
                 for name, seconds, outcome in self.timings]
        total = sum(seconds for _, seconds, _ in self.timings)
        return ", ".join(parts) + f" (total {total:.1f} s)" if parts else ""
