"""Sending webhooks: turn room moments into queued deliveries, then POST them, signed, with
retries and backoff.

Flow: an observer hook (server/observe.py) builds the event and queues one delivery per
subscribed hook in the store (``WebhookStore.enqueue``; the id ``<hook>:<event id>`` makes a
repeated event a no-op). A sweep claims the due deliveries and sends them; a 2xx marks one
delivered, anything else schedules the next attempt after BACKOFF, and after the last attempt
it is marked failed. The sweep runs at once after a queue and on the injected clock for
retries, so tests drive retries with ``ManualClock.advance`` and never sleep.

``group.cooling`` has no single moment: a periodic check (every COOLING_EVERY seconds) reads
the health figures of each group of the apps that subscribe, and sends the event when a group
crosses into the alarm (it is remembered per group, so a group that stays cold is reported once).
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

import httpx

from server.clock import Clock, TimerHandle
from server.config import Settings
from server.observe import RoomObserver, RoomView
from server.store import Store
from server.webhooks.signing import HEADER, signature
from server.webhooks.store import WebhookStore

log = logging.getLogger("campfire.webhooks")

EVENTS = ("game.finished", "checkin", "group.cooling", "room.expired")
BACKOFF = (10.0, 30.0, 120.0, 600.0, 1800.0, 3600.0, 3 * 3600.0, 6 * 3600.0)  # then: failed
MAX_ATTEMPTS = len(BACKOFF) + 1
SEND_TIMEOUT = 10.0
BATCH = 50
COOLING_EVERY = 3600.0
COOLING_GROUPS = 1000  # the most active groups of an app checked per sweep


class Dispatcher(RoomObserver):
    def __init__(self, store: Store, hooks: WebhookStore, clock: Clock, settings: Settings,
                 on_attempt: Callable[[str, str], None] | None = None,
                 on_store_error: Callable[[str, BaseException], None] | None = None) -> None:
        self.store = store
        self.hooks = hooks
        self.clock = clock
        self.settings = settings
        self.on_attempt = on_attempt or (lambda event, outcome: None)
        self.on_store_error = on_store_error or (lambda operation, exc: None)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._sweeping = asyncio.Lock()
        self._timer: TimerHandle | None = None
        self._timer_at: float | None = None
        self._cooling_timer: TimerHandle | None = None
        self._http: httpx.AsyncClient | None = None
        self._closed = False

    # --- lifecycle -----------------------------------------------------------------
    async def start(self) -> None:
        """Send what a previous run left queued, and start the cooling check."""
        self._http = httpx.AsyncClient(timeout=SEND_TIMEOUT, follow_redirects=False,
                                       headers={"user-agent": "Campfire-Webhooks/1"})
        self._spawn(self.sweep())
        if await self._cooling_subscribed():
            self.watch_cooling()

    async def close(self) -> None:
        self._closed = True
        for handle in (self._timer, self._cooling_timer):
            if handle is not None:
                handle.cancel()
        await self.settled()
        if self._http is not None:
            await self._http.aclose()

    async def settled(self) -> None:
        """Wait until every queued-or-sending task has finished (a barrier for tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        if self._closed:
            coro.close()
            return
        task: asyncio.Task[Any] = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- the events ------------------------------------------------------------------
    def room_finished(self, room: RoomView, result: dict[str, Any]) -> None:
        self._spawn(self.emit(room.record.app, "game.finished", f"game.finished:{room.id}:{room.data['round']}",
                              {"room": room.id, "group": room.record.group, "game": room.record.game,
                               "round": room.data["round"], "result": result}))

    def room_expired(self, room: RoomView, reason: str) -> None:
        self._spawn(self.emit(room.record.app, "room.expired", f"room.expired:{room.id}",
                              {"room": room.id, "group": room.record.group, "game": room.record.game,
                               "status": room.data.get("status"), "reason": reason}))

    def checkin(self, app: str, group: str, member: str, data: dict[str, Any]) -> None:
        self._spawn(self.emit(app, "checkin", f"checkin:{group}:{member}:{data.get('day')}",
                              {"group": group, **data, "member": member}))

    async def emit(self, app: str, event: str, event_id: str, data: dict[str, Any]) -> int:
        """Queue ``event`` for every hook of ``app`` that subscribes to it; returns how many were new."""
        now = self.clock.now()
        body = {"id": event_id, "type": event, "app": app, "created_at": now, "data": data}
        queued = 0
        for hook in await self.hooks.list_hooks(app):
            if event not in hook["events"] or not hook.get("active", True):
                continue
            delivery = {"id": f"{hook['id']}:{event_id}", "app": app, "hook": hook["id"], "event": event,
                        "event_id": event_id, "body": json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                        "created_at": now, "next_at": now, "attempts": 0, "state": "pending",
                        "last_status": None, "last_error": None, "last_at": None}
            queued += await self.hooks.enqueue(delivery)
        if queued:
            await self.sweep()
        return queued

    # --- sending -------------------------------------------------------------------
    async def sweep(self) -> None:
        """Send every due delivery, then arm the clock for the next one."""
        async with self._sweeping:
            while not self._closed:
                due = await self.hooks.claim_due(self.clock.now(), BATCH)
                if not due:
                    break
                hooks: dict[tuple[str, str], dict[str, Any]] = {}
                for delivery in due:
                    key = (delivery["app"], delivery["hook"])
                    if key not in hooks:
                        for hook in await self.hooks.list_hooks(delivery["app"]):
                            hooks[(hook["app"], hook["id"])] = hook
                    await self._attempt(delivery, hooks.get(key))
            self._arm(await self.hooks.next_due())

    async def _attempt(self, delivery: dict[str, Any], hook: dict[str, Any] | None) -> None:
        now = self.clock.now()
        delivery["attempts"] += 1
        delivery["last_at"] = now
        if hook is None:  # deleted since: nothing to send to
            delivery.update(state="failed", last_error="the webhook was deleted", next_at=now)
            await self.hooks.save(delivery)
            return
        body = delivery["body"].encode()
        headers = {"content-type": "application/json", HEADER: signature(hook["secret"], int(now), body),
                   "Campfire-Event-Id": delivery["event_id"], "Campfire-Event-Type": delivery["event"],
                   "Campfire-Delivery-Attempt": str(delivery["attempts"])}
        status: int | None = None
        error: str | None = None
        assert self._http is not None
        started = time.perf_counter()
        try:
            response = await self._http.post(hook["url"], content=body, headers=headers)
            status = response.status_code
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        delivery["last_status"], delivery["last_error"] = status, error
        delivery["last_ms"] = round((time.perf_counter() - started) * 1000, 1)
        if error is None:
            delivery["state"] = "delivered"
            outcome = "delivered"
        elif delivery["attempts"] >= MAX_ATTEMPTS:
            delivery["state"] = "failed"
            outcome = "failed"
        else:
            delivery["next_at"] = self.clock.now() + BACKOFF[delivery["attempts"] - 1]
            outcome = "retry"
        self.on_attempt(delivery["event"], outcome)
        log.info("webhook %s %s to %s: %s", delivery["event"], delivery["event_id"], hook["url"],
                 outcome if error is None else f"{outcome} ({error})",
                 extra={"app": delivery["app"], "webhook": hook["id"]})
        await self.hooks.save(delivery)

    def _arm(self, when: float | None) -> None:
        if when is None or self._closed:
            return
        if self._timer is not None and self._timer_at is not None and self._timer_at <= when:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer_at = when
        self._timer = self.clock.call_at(when, self._on_timer)

    async def _on_timer(self) -> None:
        self._timer = self._timer_at = None
        await self.sweep()

    # --- group.cooling -----------------------------------------------------------------
    def watch_cooling(self) -> None:
        """Check for cooling groups every COOLING_EVERY seconds (armed only while some hook
        subscribes, so a server without such hooks keeps no timer)."""
        if self._cooling_timer is None and not self._closed:
            self._cooling_timer = self.clock.call_at(self.clock.now() + COOLING_EVERY, self._cooling_tick)

    async def _cooling_subscribed(self) -> bool:
        for app in await self.store.list_apps():
            if any("group.cooling" in h["events"] for h in await self.hooks.list_hooks(app.id)):
                return True
        return False

    async def _cooling_tick(self) -> None:
        self._cooling_timer = None
        try:
            await self.check_cooling()
        except Exception as exc:  # a failed check is retried at the next tick
            log.exception("cooling check failed")
            self.on_store_error("webhooks.cooling", exc)
        if await self._cooling_subscribed():
            self.watch_cooling()

    async def check_cooling(self) -> int:
        """Send ``group.cooling`` for each group that has crossed into the alarm since the last
        check, for the apps that subscribe to it. Returns how many events were queued."""
        from server.health_read import group_report
        from server.scoring.boards import SCOPE_APP

        sent = 0
        now = self.clock.now()
        for app in await self.store.list_apps():
            if not any("group.cooling" in h["events"] for h in await self.hooks.list_hooks(app.id)):
                continue
            for entry in await self.store.activity_top(app.id, SCOPE_APP, now, COOLING_GROUPS):
                group = entry.member
                settings = await self.store.get_group_settings(app.id, group)
                figures = await group_report(self.store, app.id, group, now, self.settings.default_timezone)
                cooling = bool(figures["state"]["cooling"])
                was = await self.hooks.swap_flag(app.id, f"cooling:{group}", cooling)
                if cooling and not was:
                    sent += await self.emit(app.id, "group.cooling", f"group.cooling:{group}:{figures['today']}",
                                            {"group": group, "name": settings.get("name"),
                                             "trend": figures["state"], "today": figures["today"]})
        return sent
