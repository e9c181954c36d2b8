"""``/metrics``: the server's figures in the Prometheus text format (prometheus-client).

One ``Metrics`` per app instance, each with its own ``CollectorRegistry``: two servers in one
process (the tests run many) never share a number, and there is no module-level registry.

Why frames are counted in plain dicts: a frame is the hot path, and a prometheus-client
``Counter.inc()`` takes a lock (about a microsecond here). A dict increment is a few tens
of nanoseconds; the registry reads the dicts only when ``/metrics`` is scraped. Commits,
store errors and the loop lag happen rarely enough to use the library's own types.

Figures (all prefixed ``campfire_``) are listed in docs/operators.md, "Metrics".
"""
from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response

from server.observe import RoomObserver, RoomView

COMMIT_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
LAG_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0)
LAG_INTERVAL = 0.5  # seconds between event-loop lag probes
AUTH_FAILURES = frozenset({"unauthorized", "key_revoked"})  # error codes that mean a refused credential


class Metrics(RoomObserver):
    """The counters, plus the readers the collector calls at scrape time."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.frames_in: defaultdict[str, int] = defaultdict(int)
        self.frames_out: defaultdict[str, int] = defaultdict(int)
        self.errors: defaultdict[tuple[str, str], int] = defaultdict(int)  # (transport, code)
        self.rooms_created: defaultdict[str, int] = defaultdict(int)
        self.rooms_finished: defaultdict[str, int] = defaultdict(int)
        self.rooms_expired: defaultdict[str, int] = defaultdict(int)
        self.checkins = 0
        self.auth_failures: defaultdict[str, int] = defaultdict(int)
        self.commit_seconds = Histogram("campfire_commit_seconds", "Time to write one room step to the store",
                                        buckets=COMMIT_BUCKETS, registry=self.registry)
        self.store_errors: defaultdict[str, int] = defaultdict(int)  # operation
        self.loop_lag = Histogram("campfire_event_loop_lag_seconds",
                                  "How late the event loop ran a timer (a busy or blocked loop)",
                                  buckets=LAG_BUCKETS, registry=self.registry)
        # Readers set by the app once its parts exist (callables: no import of the runtime here).
        self.connections: Callable[[], int] = lambda: 0
        self.rooms: Callable[[], Iterator[tuple[str, str]]] = lambda: iter(())  # (game, status) per live room
        # Hooks for the node layer (leases, relays, fail-overs): set these readers when it lands.
        self.leases_held: Callable[[], int] | None = None
        self.relays: Callable[[], int] | None = None
        self.failovers: Callable[[], int] | None = None
        self.webhook_deliveries: defaultdict[tuple[str, str], int] = defaultdict(int)  # (event, outcome)
        self.registry.register(_Collector(self))

    def error(self, transport: str, code: str) -> None:
        """An error reply sent over ``transport`` (``ws`` or ``rest``)."""
        self.errors[(transport, code)] += 1
        if code in AUTH_FAILURES:
            self.auth_failures[code] += 1

    def webhook_attempt(self, event: str, outcome: str) -> None:
        self.webhook_deliveries[(event, outcome)] += 1

    # --- room hooks (server/observe.py) --------------------------------------------
    def room_created(self, room: RoomView) -> None:
        self.rooms_created[room.record.game] += 1

    def room_finished(self, room: RoomView, result: dict[str, Any]) -> None:
        self.rooms_finished[room.record.game] += 1

    def room_expired(self, room: RoomView, reason: str) -> None:
        self.rooms_expired[room.record.game] += 1

    def checkin(self, app: str, group: str, member: str, data: dict[str, Any]) -> None:
        self.checkins += 1

    def commit_took(self, seconds: float) -> None:
        self.commit_seconds.observe(seconds)

    def store_error(self, operation: str, exc: BaseException) -> None:
        self.store_errors[operation] += 1

    # --- the event-loop lag probe ----------------------------------------------------
    async def watch_loop(self, interval: float = LAG_INTERVAL) -> None:
        """Sleep ``interval`` over and over and record how late each wake-up was."""
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            await asyncio.sleep(interval)
            self.loop_lag.observe(max(0.0, loop.time() - start - interval))

    @contextlib.asynccontextmanager
    async def running(self) -> Any:
        task = asyncio.get_running_loop().create_task(self.watch_loop())
        try:
            yield self
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class _Collector(Collector):
    """Reads the plain counters and the live figures when Prometheus scrapes."""

    def __init__(self, metrics: Metrics) -> None:
        self.m = metrics

    def describe(self) -> list[Metric]:
        return []  # the families are built at scrape time; nothing to pre-register

    def collect(self) -> Iterator[Metric]:
        m = self.m
        yield GaugeMetricFamily("campfire_connections", "Open websocket connections", value=m.connections())
        rooms = GaugeMetricFamily("campfire_rooms", "Rooms in this process's memory by game and status",
                                  labels=["game", "status"])
        counts: defaultdict[tuple[str, str], int] = defaultdict(int)
        for key in m.rooms():
            counts[key] += 1
        for (game, status), n in sorted(counts.items()):
            rooms.add_metric([game, status], n)
        yield rooms
        yield _counter("campfire_frames_in", "Websocket frames received, by frame type", "type", m.frames_in)
        yield _counter("campfire_frames_out", "Websocket frames sent, by frame type", "type", m.frames_out)
        errors = CounterMetricFamily("campfire_errors", "Error replies, by transport and code",
                                     labels=["transport", "code"])
        for (transport, code), n in sorted(m.errors.items()):
            errors.add_metric([transport, code], n)
        yield errors
        yield _counter("campfire_rooms_created", "Rooms created, by game", "game", m.rooms_created)
        yield _counter("campfire_rooms_finished", "Games finished with a result, by game", "game", m.rooms_finished)
        yield _counter("campfire_rooms_expired", "Rooms ended without a result, by game", "game", m.rooms_expired)
        yield CounterMetricFamily("campfire_checkins", "Check-ins recorded", value=m.checkins)
        yield _counter("campfire_auth_failures", "Refused credentials, by code", "code", m.auth_failures)
        yield _counter("campfire_store_errors", "Store operations that failed, by operation", "operation",
                       m.store_errors)
        deliveries = CounterMetricFamily("campfire_webhook_deliveries", "Webhook delivery attempts, by event and "
                                         "outcome", labels=["event", "outcome"])
        for (event, outcome), n in sorted(m.webhook_deliveries.items()):
            deliveries.add_metric([event, outcome], n)
        yield deliveries
        for name, help_, reader in (
            ("campfire_leases_held", "Room leases this node holds", m.leases_held),
            ("campfire_relays", "Inputs relayed to another node's rooms", m.relays),
            ("campfire_failovers", "Rooms this node took over from a dead owner", m.failovers),
        ):
            if reader is not None:
                yield GaugeMetricFamily(name, help_, value=reader())


def _counter(name: str, help_: str, label: str, values: dict[str, int]) -> CounterMetricFamily:
    family = CounterMetricFamily(name, help_, labels=[label])
    for key, n in sorted(values.items()):
        family.add_metric([key], n)
    return family


async def metrics_endpoint(request: Request) -> Response:
    """GET /metrics. Unauthenticated, like most exporters: restrict it at the proxy."""
    metrics: Metrics = request.app.state.metrics
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
