"""A plain carriage-return progress bar for long imports, on stderr.

No library: one line of text rewritten in place is all a terminal needs, and it keeps the
server's dependencies to the ones it already has. Redraws are throttled (at most
``1 / interval`` a second) so printing never costs more than the work it reports on.
"""
from __future__ import annotations

import time
from typing import IO, Callable


class Progress:
    def __init__(self, out: IO[str], label: str, unit: str = "rows", interval: float = 0.1, width: int = 30,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.out, self.label, self.unit = out, label, unit
        self.interval, self.width, self.clock = interval, width, clock
        self._last: float | None = None
        self.draws = 0

    def update(self, done: int, total: int | None) -> None:
        now = self.clock()
        if self._last is not None and now - self._last < self.interval:
            return
        self._last = now
        self._draw(done, total)

    def finish(self, done: int) -> None:
        """Draw the final count (the total is now known exactly) and end the line."""
        self._draw(done, done)
        self.out.write("\n")
        self.out.flush()

    def _draw(self, done: int, total: int | None) -> None:
        if total and total >= done:
            filled = int(self.width * done / total) if total else self.width
            bar = "#" * filled + "-" * (self.width - filled)
            line = f"\r{self.label} [{bar}] {done:,}/{total:,} {self.unit}"
        else:
            line = f"\r{self.label} {done:,} {self.unit}"
        self.out.write(line)
        self.out.flush()
        self.draws += 1
