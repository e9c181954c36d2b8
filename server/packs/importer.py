"""Storing a checked pack for an app, strict (all or nothing) or skip (good items only).

Either way no bad item goes unreported: the outcome carries every problem, and the caller
prints them or writes them to a report. A problem with the file itself blocks both modes,
because skip mode skips bad *items*; it cannot skip a broken envelope or header.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from server.packs.load import LoadedPack
from server.packs.problems import Problem
from server.store import Store

Mode = Literal["strict", "skip"]
MODES: tuple[Mode, ...] = ("strict", "skip")


@dataclass(slots=True)
class ImportOutcome:
    mode: Mode
    stored: int  # items written (0 when nothing was written)
    bad: int  # items left out
    problems: list[Problem] = field(default_factory=list)
    replaced: int | None = None  # item count of the same-named pack this one replaced
    reason: str = ""  # why nothing was stored, when nothing was

    @property
    def clean(self) -> bool:
        return not self.problems


async def import_pack(store: Store, app: str, pack: LoadedPack, mode: Mode, at: float) -> ImportOutcome:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    problems = pack.all_problems()
    good = pack.good()
    outcome = ImportOutcome(mode, 0, len(pack.entries) - len(good), problems)
    if pack.blocking or pack.kind is None or pack.name is None:
        outcome.reason = "the file itself has problems (see above), so nothing was stored"
        return outcome
    if mode == "strict" and problems:
        outcome.reason = "nothing was stored because some items are bad (--mode skip stores the good ones)"
        return outcome
    if not good:
        outcome.reason = "no good items to store"
        return outcome
    existing = {p["name"]: p for p in await store.list_packs(app, pack.kind)}
    if pack.name in existing:
        outcome.replaced = int(existing[pack.name]["count"])
    await store.put_pack(app, pack.kind, pack.name, [e.item for e in good], at)
    outcome.stored = len(good)
    return outcome
