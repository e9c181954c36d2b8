"""Small statistics helpers: percentiles of a sample, and the median and spread of repeats."""
from __future__ import annotations

from statistics import median
from typing import Sequence


def percentiles(values: Sequence[float]) -> dict[str, float | None]:
    """p50/p99/max by nearest rank; ``None`` when there is nothing to rank."""
    if not values:
        return {"p50": None, "p99": None, "max": None, "n": 0}
    ordered = sorted(values)
    n = len(ordered)

    def rank(q: float) -> float:
        return ordered[min(n - 1, max(0, int(round(q * n + 0.5)) - 1))]
    return {"p50": rank(0.50), "p99": rank(0.99), "max": ordered[-1], "n": n}


def summarize(values: Sequence[float | None]) -> dict[str, float | None]:
    """Median of the repeats and their spread ((max - min) / median), ignoring missing runs."""
    xs = [v for v in values if v is not None]
    if not xs:
        return {"median": None, "min": None, "max": None, "spread": None, "runs": 0}
    mid = median(xs)
    spread = (max(xs) - min(xs)) / mid if mid else None
    return {"median": mid, "min": min(xs), "max": max(xs), "spread": spread, "runs": len(xs)}
