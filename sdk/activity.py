"""Reporting ordinary group activity (messages, members joining and who invited them) in
batches, for the activity scores.

A bot sees every message in its groups; sending each one to Campfire would cost a frame per
message. The reporter counts them instead and flushes every ``interval`` seconds (or when a
batch fills): one event per member per flush with a ``count``. Each batch gets its id when
it is cut and keeps it through retries, and the server applies a batch id once, so a flush
retried after a dropped connection never double-counts.

    reporter = ActivityReporter(client, interval=60)
    asyncio.create_task(reporter.run())
    reporter.message(group, member)              # on every group message
    reporter.joined(group, member, by=inviter)   # on a member joining
    await reporter.close()                       # final flush
"""
from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

log = logging.getLogger("campfire.activity")

MAX_BATCH = 1000  # the server's limit on events per report


@dataclass
class _Pending:
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)  # member -> event
    others: list[dict[str, Any]] = field(default_factory=list)

    def size(self) -> int:
        return len(self.messages) + len(self.others)

    def cut(self) -> list[dict[str, Any]]:
        events = list(self.messages.values()) + self.others
        self.messages, self.others = {}, []
        return events


class ActivityReporter:
    def __init__(self, client: Any, *, interval: float = 60.0, max_batch: int = 500,
                 clock: Callable[[], float] | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 batch_prefix: str | None = None) -> None:
        self.client = client
        self.interval = interval
        self.max_batch = min(max_batch, MAX_BATCH)
        # Without a clock, events carry no time and the server stamps them when the batch
        # arrives (at most one interval late): a bot host's wrong clock cannot misdate them.
        self.clock = clock
        self.sleep = sleep
        self.prefix = batch_prefix or secrets.token_hex(6)
        self._n = 0
        self._pending: dict[str, _Pending] = {}
        self._unsent: list[tuple[str, list[dict[str, Any]], str]] = []  # (group, events, batch id)
        self._lock = asyncio.Lock()
        self._closed = False

    # --- recording -----------------------------------------------------------------
    def _stamp(self, ev: dict[str, Any], at: float | None) -> dict[str, Any]:
        when = at if at is not None else (self.clock() if self.clock is not None else None)
        if when is not None:
            ev["at"] = max(float(when), float(ev.get("at", when)))
        return ev

    def message(self, group: str, member: str, at: float | None = None, count: int = 1) -> None:
        pending = self._pending.setdefault(group, _Pending())
        ev = pending.messages.get(member)
        if ev is None:
            ev = pending.messages[member] = {"kind": "message", "member": member, "count": 0}
        ev["count"] = min(10_000, ev["count"] + count)
        self._stamp(ev, at)
        self._maybe_cut(group)

    def joined(self, group: str, member: str, by: str | None = None, at: float | None = None) -> None:
        ev: dict[str, Any] = {"kind": "join", "member": member}
        if by:
            ev["by"] = by
        self._pending.setdefault(group, _Pending()).others.append(self._stamp(ev, at))
        self._maybe_cut(group)

    def left(self, group: str, member: str, at: float | None = None) -> None:
        self._pending.setdefault(group, _Pending()).others.append(self._stamp({"kind": "leave", "member": member}, at))
        self._maybe_cut(group)

    def pending(self) -> int:
        return sum(p.size() for p in self._pending.values()) + sum(len(e) for _, e, _ in self._unsent)

    # --- flushing ------------------------------------------------------------------
    def _cut(self, group: str) -> None:
        pending = self._pending.get(group)
        if pending and pending.size():
            self._n += 1
            self._unsent.append((group, pending.cut(), f"{self.prefix}-{self._n}"))

    def _maybe_cut(self, group: str) -> None:
        if self._pending[group].size() >= self.max_batch:
            self._cut(group)

    async def flush(self) -> int:
        """Send everything recorded so far. Returns how many batches went out; a batch that
        fails stays queued (with its id) for the next flush."""
        async with self._lock:
            for group in list(self._pending):
                self._cut(group)
            sent = 0
            while self._unsent:
                group, events, batch = self._unsent[0]
                try:
                    await self.client.report_activity(group, events, batch)
                except Exception as exc:
                    code = getattr(exc, "code", None)
                    if code in ("invalid_payload", "forbidden"):
                        log.error("activity batch %s rejected (%s); dropping it", batch, exc)
                        self._unsent.pop(0)
                        continue
                    log.warning("activity batch %s not sent (%s); will retry", batch, exc)
                    break
                self._unsent.pop(0)
                sent += 1
            return sent

    async def run(self) -> None:
        """Flush every ``interval`` seconds until ``close``."""
        while not self._closed:
            await self.sleep(self.interval)
            await self.flush()

    async def close(self) -> None:
        self._closed = True
        await self.flush()
