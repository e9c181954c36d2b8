"""One shape for every problem a pack can have, so validate, import and the report file agree.

A problem names where it is (``unit`` and ``number``: the line of a JSON item, the row of a
sheet, or the file as a whole), which item (its id, when it has one), the field, and why.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import IO, Iterable, Literal

Unit = Literal["line", "row", "file"]
REPORT_COLUMNS = ("location", "number", "id", "field", "reason")


@dataclass(frozen=True, slots=True)
class Problem:
    unit: Unit
    number: int | None  # 1-based line or row; None for the file as a whole
    field: str
    reason: str
    item_id: str | None = None

    @property
    def where(self) -> str:
        return "file" if self.number is None else f"{self.unit} {self.number}"

    def __str__(self) -> str:
        label = f" [{self.item_id}]" if self.item_id else ""
        return f"{self.where}{label}  {self.field}: {self.reason}"

    def sort_key(self) -> tuple[int, int]:
        return (0, 0) if self.number is None else (1, self.number)


def write_report(problems: Iterable[Problem], out: IO[str]) -> int:
    """Write problems as CSV (columns ``REPORT_COLUMNS``); returns how many were written."""
    writer = csv.writer(out)
    writer.writerow(REPORT_COLUMNS)
    count = 0
    for p in problems:
        writer.writerow([p.unit, "" if p.number is None else p.number, p.item_id or "", p.field, p.reason])
        count += 1
    return count
