"""The async client a bot uses to run Campfire games in its groups.

It keeps one websocket open, matches replies to requests by id, and hands every room
event to ``events()`` exactly once and in order: when the connection drops it reconnects
with backoff, says hello again and asks each watched room for the events after the last
sequence number it delivered, dropping any it has already seen.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import logging
import random
from typing import Any, AsyncIterator, Awaitable, Callable, Sequence

import msgpack
import websockets
from websockets.exceptions import ConnectionClosed, WebSocketException

from sdk.errors import (
    AuthError,
    CampfireError,
    ConnectionLost,
    ProtocolMismatch,
    RateLimited,
    RequestTimeout,
    error_from,
)
from sdk.models import BoardEntry, CheckinResult, Event, Room

log = logging.getLogger("campfire.sdk")

PROTOCOL = [1]

# Put on the event queue by close(): events() ends when it reaches it.
_CLOSED: Any = object()


def _being_cancelled() -> bool:
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def _abort(ws: Any) -> None:
    """Drop a connection without the closing handshake (the peer may never answer it)."""
    transport = getattr(ws, "transport", None)
    if transport is not None:
        transport.abort()


class Client:
    """``async with Client(url, key=...) as client:`` for a bot; ``token=...`` for a member."""

    def __init__(
        self,
        url: str | Sequence[str],
        key: str | None = None,
        *,
        token: str | None = None,
        reconnect: bool = True,
        backoff: tuple[float, float] = (0.2, 10.0),
        max_attempts: int | None = None,
        request_timeout: float = 15.0,
        binary: bool = True,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        token_provider: Callable[[], Awaitable[str]] | None = None,
        close_timeout: float = 2.0,
        rate_limit_retries: int = 0,
    ) -> None:
        """``token_provider``: called for a fresh member token before every reconnect (and
        before the first connect when ``token`` is not given), so a member's connection
        outlives its tokens. ``close_timeout``: the most ``close()`` waits for the server.
        ``rate_limit_retries``: how many times a request refused with ``rate_limited`` is sent
        again after the delay the server advised (0: raise ``RateLimited`` at once)."""
        if not key and not token and token_provider is None:
            raise ValueError("Client needs a key (bots), or a token or token_provider (members)")
        # Several nodes' URLs: connect to the first that answers; after a drop, the same node
        # once, then the next ones (docs/sdk.md).
        self.urls = [url] if isinstance(url, str) else list(url)
        if not self.urls:
            raise ValueError("Client needs at least one server URL")
        self.url = self.urls[0]
        self._key, self._token = key, token
        self._token_provider = None if key else token_provider
        self.close_timeout = close_timeout
        self.rate_limit_retries = rate_limit_retries
        self.reconnect = reconnect
        self.backoff = backoff
        self.max_attempts = max_attempts
        self.request_timeout = request_timeout
        self.binary = binary
        self._sleep = sleep
        self._ws: Any = None
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._events: asyncio.Queue[Any] = asyncio.Queue()  # Event, CampfireError or _CLOSED
        self._last_seq: dict[str, int] = {}  # room -> last sequence number delivered
        self._connected = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None
        self._opening: asyncio.Future[None] | None = None
        self._refused: CampfireError | None = None  # why the server closed the connection, if it said
        self._closing = False
        self.welcome: dict[str, Any] = {}
        self.reconnects = 0

    # --- lifecycle -----------------------------------------------------------------
    async def __aenter__(self) -> "Client":
        await self.connect()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    async def connect(self) -> None:
        """Open the connection and say hello. Raises the server's refusal (``AuthError``, …),
        or ``ConnectionLost`` when ``close()`` runs meanwhile."""
        if self._closing:
            raise ConnectionLost("connection_lost", "the client is closed")
        opening = self._opening = asyncio.ensure_future(self._open_any())
        try:
            await opening
        except asyncio.CancelledError:
            if self._closing and not _being_cancelled():  # close() stopped it, not our caller
                raise ConnectionLost("connection_lost", "the client was closed while connecting") from None
            raise
        finally:
            self._opening = None
        self._reader = asyncio.create_task(self._run())

    async def close(self) -> None:
        """Close the connection and stop reconnecting. Returns within about twice
        ``close_timeout`` in every state: connecting, reading, resuming, or facing a server that
        stopped answering. Pending requests fail with ``ConnectionLost``; ``events()`` ends."""
        if self._closing and self._reader is None and self._opening is None:
            return
        self._closing = True
        self._connected.clear()
        tasks = [t for t in (self._opening, self._reader) if t is not None and not t.done()]
        for task in tasks:
            task.cancel()
        if tasks:  # bounded even if a task were to swallow its cancellation
            await asyncio.wait(tasks, timeout=self.close_timeout)
        self._reader = None
        ws = self._ws
        if ws is not None:
            try:
                await asyncio.wait_for(ws.close(), self.close_timeout)
            except (TimeoutError, OSError, WebSocketException):
                _abort(ws)
        self._fail_pending(ConnectionLost("connection_lost", "client closed"))
        self._events.put_nowait(_CLOSED)

    @property
    def app(self) -> str:
        return str(self.welcome.get("app", ""))

    async def _open(self) -> None:
        """Connect and say hello. On any failure, or when cancelled, the new socket is dropped
        at once: a half-open connection never outlives the attempt."""
        if self._token_provider is not None and (self._token is None or self._ws is not None):
            self._token = await self._token_provider()  # a fresh token for each new connection
        ws = await websockets.connect(self.url, max_size=None, open_timeout=self.request_timeout,
                                      close_timeout=self.close_timeout)
        try:
            self._ws = ws
            hello: dict[str, Any] = {"protocol": PROTOCOL}
            if self._key:
                hello["key"] = self._key
            else:
                hello["token"] = self._token
            await self._send_frame({"type": "hello", "id": next(self._ids), "data": hello})
            frame = self._decode(await asyncio.wait_for(ws.recv(), self.request_timeout))
            if frame["type"] == "error":
                raise error_from(frame["data"])
            if frame["type"] != "welcome":
                raise ProtocolMismatch("bad_frame", f"expected welcome, got {frame['type']}")
        except BaseException:
            _abort(ws)
            raise
        self.welcome = frame["data"]
        self._refused = None
        self._connected.set()

    # --- the read loop and reconnection --------------------------------------------
    async def _run(self) -> None:
        """The read loop: dispatch frames; when the connection drops, fail what is pending and
        reconnect. Cancellation (``close()``) is never swallowed on the way."""
        while True:
            await self._read_until_closed()
            if self._closing:
                return
            self._connected.clear()
            self._fail_pending(ConnectionLost(
                "connection_lost", "the connection dropped; the request may or may not have been applied"))
            refused, self._refused = self._refused, None
            if refused is not None and isinstance(refused, AuthError) and self._token_provider is None:
                self._events.put_nowait(refused)  # a new connection with the same credentials would fail too
                return
            if not self.reconnect:
                self._events.put_nowait(ConnectionLost("connection_lost", "the connection dropped"))
                return
            try:
                await self._reconnect()
            except CampfireError as err:  # AuthError, or ConnectionLost after max_attempts
                self._events.put_nowait(err)
                return

    async def _reconnect(self) -> None:
        low, high = self.backoff
        for attempt in itertools.count():
            if self.max_attempts is not None and attempt >= self.max_attempts:
                raise ConnectionLost("connection_lost", f"gave up after {attempt} attempts")
            await self._sleep(min(high, low * 2 ** attempt) * random.uniform(0.5, 1.0))
            if attempt and len(self.urls) > 1:
                self.url = self.urls[(self.urls.index(self.url) + 1) % len(self.urls)]
            try:
                await self._open()
            except AuthError:
                raise
            except (TimeoutError, OSError, WebSocketException, CampfireError) as exc:
                log.info("reconnect attempt %d failed: %s", attempt + 1, exc)
                continue
            self.reconnects += 1
            await self._resume()
            return

    async def _open_any(self) -> None:
        """The first connect: each URL in turn until one answers."""
        for i, url in enumerate(self.urls):
            self.url = url
            try:
                await self._open()
                return
            except (OSError, TimeoutError) as exc:
                if i == len(self.urls) - 1:
                    raise
                log.info("cannot reach %s (%s); trying the next server", url, exc)

    async def _resume(self) -> None:
        """Ask each watched room for the events after the last one delivered. This task is the
        reader, so a helper reads the replies meanwhile; if the connection drops during the
        resume, the helper fails the pending requests at once and the read loop reconnects."""
        reader = asyncio.create_task(self._read_until_closed(fail_pending=True))
        try:
            for room, seq in list(self._last_seq.items()):
                for tries in range(20):  # a room moving between nodes answers `unavailable` a moment
                    try:
                        self._caught_up(await self.request("room.watch", {"room": room, "after": seq}))
                        break
                    except CampfireError as exc:
                        if exc.code != "unavailable" or tries == 19:
                            raise
                        await self._sleep(0.25)
        except CampfireError as exc:
            log.warning("resume failed: %s", exc)
        finally:
            reader.cancel()
            await asyncio.wait({reader})  # a cancellation of this task still propagates from here

    async def _read_until_closed(self, fail_pending: bool = False) -> None:
        try:
            async for raw in self._ws:
                try:
                    frame = self._decode(raw)
                except ValueError as exc:  # msgpack and json errors are ValueErrors
                    log.warning("dropped an undecodable frame: %s", exc)
                    continue
                self._dispatch(frame)
        except ConnectionClosed:
            pass
        if fail_pending:
            self._fail_pending(ConnectionLost("connection_lost", "the connection dropped during a resume"))

    def _dispatch(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind == "event":
            ev = Event.from_wire(frame["data"])
            last = self._last_seq.get(ev.room, 0)
            if ev.seq <= last:
                return  # already delivered before a reconnect
            self._last_seq[ev.room] = ev.seq
            self._events.put_nowait(ev)
            return
        rid = frame.get("id")
        fut = self._pending.pop(rid, None) if rid is not None else None
        if fut is not None and not fut.done():
            fut.set_result(frame)
        elif kind == "error":
            err = error_from(frame["data"])
            if isinstance(err, AuthError):
                self._refused = err  # the server is closing this connection: see _run
                return
            self._events.put_nowait(err)

    def _fail_pending(self, err: CampfireError) -> None:
        for fut in self._pending.values():
            if not fut.done():
                fut.set_exception(err)
        self._pending.clear()

    # --- framing -------------------------------------------------------------------
    def _decode(self, raw: bytes | str) -> dict[str, Any]:
        frame: dict[str, Any] = msgpack.unpackb(raw, raw=False) if isinstance(raw, bytes) else json.loads(raw)
        return frame

    async def _send_frame(self, frame: dict[str, Any]) -> None:
        if self.binary:
            await self._ws.send(msgpack.packb(frame, use_bin_type=True))
        else:
            await self._ws.send(json.dumps(frame, ensure_ascii=False))

    async def request(self, type_: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send one frame and return its reply's data; raise the matching CampfireError.
        A ``rate_limited`` refusal is retried after the advised delay up to
        ``rate_limit_retries`` times, then raised as ``RateLimited`` (its ``retry_after``)."""
        for attempt in itertools.count():
            try:
                return await self._request_once(type_, data)
            except RateLimited as err:
                if attempt >= self.rate_limit_retries:
                    raise
                await self._sleep(err.retry_after)
        raise AssertionError("unreachable")

    async def _request_once(self, type_: str, data: dict[str, Any] | None) -> dict[str, Any]:
        if self._closing:
            raise ConnectionLost("connection_lost", "the client is closed")
        if not self._connected.is_set():
            try:
                await asyncio.wait_for(self._connected.wait(), self.request_timeout)
            except TimeoutError:
                raise RequestTimeout("timeout", "not connected") from None
        rid = next(self._ids)
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[rid] = fut
        try:
            await self._send_frame({"type": type_, "id": rid, "data": data or {}})
        except ConnectionClosed:
            self._pending.pop(rid, None)
            raise ConnectionLost("connection_lost", "the connection dropped before sending") from None
        try:
            frame = await asyncio.wait_for(fut, self.request_timeout)
        except TimeoutError:
            self._pending.pop(rid, None)
            raise RequestTimeout("timeout", f"no reply to {type_} in {self.request_timeout}s") from None
        if frame["type"] == "error":
            raise error_from(frame["data"])
        data_: dict[str, Any] = frame.get("data", {})
        return data_

    # --- events --------------------------------------------------------------------
    async def events(self) -> AsyncIterator[Event]:
        """Every event of every room this client watches, each once, in order per room.
        Raises AuthError/ConnectionLost when the connection cannot be restored; ends after
        ``close()``."""
        while True:
            item = await self._events.get()
            if item is _CLOSED:
                self._events.put_nowait(_CLOSED)  # every other reader ends too
                return
            if isinstance(item, CampfireError):
                if isinstance(item, (AuthError, ConnectionLost)):
                    raise item
                log.warning("server error outside a request: %s", item)
                continue
            yield item

    async def next_event(self, kind: str | None = None, timeout: float | None = None) -> Event:
        """The next event (of ``kind``, skipping others): handy in scripts and tests."""
        async def wait() -> Event:
            async for ev in self.events():
                if kind is None or ev.kind == kind:
                    return ev
            raise ConnectionLost("connection_lost", "event stream ended")

        return await asyncio.wait_for(wait(), timeout)

    def pending_events(self) -> list[Event]:
        """Events received but not yet consumed, without waiting."""
        out: list[Event] = []
        while not self._events.empty():
            item = self._events.get_nowait()
            if isinstance(item, Event):
                out.append(item)
            elif item is _CLOSED:
                self._events.put_nowait(_CLOSED)
                break
        return out

    def _track(self, room: dict[str, Any]) -> Room:
        r = Room.from_wire(room)
        self._last_seq.setdefault(r.id, r.seq)
        return r

    # --- rooms ---------------------------------------------------------------------
    async def create_room(self, group: str, game: str, config: dict[str, Any] | None = None,
                          lang: str | None = None, key: str | None = None) -> Room:
        """Create a room in ``group``. Pass a ``key`` of your own (say, the chat message id
        that asked for the game) to make the create safe to retry: the same key returns the
        room the first attempt made, never a second one."""
        data: dict[str, Any] = {"group": group, "game": game, "config": config or {}}
        if lang:
            data["lang"] = lang
        if key is not None:
            data["key"] = key
        return self._track((await self.request("room.create", data))["room"])

    async def join(self, room: str, player: str | None = None, name: str | None = None) -> Room:
        data: dict[str, Any] = {"room": room}
        if player is not None:
            data["player"] = player
        if name is not None:
            data["name"] = name
        return self._track((await self.request("room.join", data))["room"])

    async def leave(self, room: str, player: str | None = None) -> Room:
        data: dict[str, Any] = {"room": room}
        if player is not None:
            data["player"] = player
        return Room.from_wire((await self.request("room.leave", data))["room"])

    async def start(self, room: str) -> Room:
        return Room.from_wire((await self.request("room.start", {"room": room}))["room"])

    async def act(self, room: str, action: dict[str, Any], player: str | None = None) -> int:
        """Relay a member's move. Returns the sequence number of its last event."""
        data: dict[str, Any] = {"room": room, "action": action}
        if player is not None:
            data["player"] = player
        return int((await self.request("room.act", data))["seq"])

    async def view(self, room: str, player: str | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {"room": room}
        if player is not None:
            data["player"] = player
        return await self.request("room.view", data)

    async def room(self, room: str) -> Room:
        return Room.from_wire((await self.request("room.get", {"room": room}))["room"])

    async def rooms(self, group: str | None = None, live: bool = False) -> list[Room]:
        data: dict[str, Any] = {"live": live}
        if group is not None:
            data["group"] = group
        return [Room.from_wire(r) if "players" in r else Room(r["id"], r["group"], r["game"], r["status"], r.get("round", 0))
                for r in (await self.request("room.list", data))["rooms"]]

    async def watch(self, room: str, after: int | None = None) -> Room:
        """Receive a room's events (spectate); ``after`` replays what came after that seq."""
        if after is None:
            after = self._last_seq.get(room)
        data: dict[str, Any] = {"room": room}
        if after is not None:
            data["after"] = after
        reply = await self.request("room.watch", data)
        self._last_seq.setdefault(room, after if after is not None else reply["seq"])
        self._caught_up(reply)
        return Room.from_wire(reply["room"])

    def _caught_up(self, reply: dict[str, Any]) -> None:
        """A resume from before what the room's log still holds (log retention) replays
        nothing: the reply says ``behind`` and carries the room's view. The caller gets it as
        one ``behind`` event (data: ``room``, ``view``) in ``events()``, and the client goes on
        from the room's current seq; it does not ask again."""
        if not reply.get("behind"):
            return
        room = reply["room"]["id"]
        self._last_seq[room] = max(self._last_seq.get(room, 0), int(reply["seq"]))
        self._events.put_nowait(Event(room, int(reply["seq"]), "behind",
                                      {"room": reply["room"], "view": reply.get("view")}))

    async def unwatch(self, room: str) -> None:
        await self.request("room.unwatch", {"room": room})
        self._last_seq.pop(room, None)

    async def announce(self, room: str, data: dict[str, Any]) -> int:
        return int((await self.request("room.announce", {"room": room, "data": data}))["seq"])

    async def close_room(self, room: str) -> Room:
        return Room.from_wire((await self.request("room.close", {"room": room}))["room"])

    # --- members, groups, games ----------------------------------------------------
    async def mint_token(self, group: str, player: str, name: str | None = None, ttl: int | None = None) -> str:
        data: dict[str, Any] = {"group": group, "player": player}
        if name is not None:
            data["name"] = name
        if ttl is not None:
            data["ttl"] = ttl
        return str((await self.request("token.mint", data))["token"])

    # --- the play page (docs/play.md) -------------------------------------------------
    async def play_link(self, room: str, player: str, name: str | None = None, ttl: int | None = None) -> str:
        """A launch link that opens the play page at ``room`` as ``player``. Send it to that
        member only (a direct message): whoever opens it plays as them until it expires
        (``play_link_ttl``, 15 minutes by default; the session it opens lasts longer)."""
        return str((await self._play_link({"room": room, "player": player, "name": name, "ttl": ttl}))["url"])

    async def group_play_link(self, group: str, player: str, name: str | None = None,
                              ttl: int | None = None) -> str:
        """A launch link to the group's page (check-in calendar, boards, the live game) as ``player``."""
        return str((await self._play_link({"group": group, "player": player, "name": name, "ttl": ttl}))["url"])

    async def telegram_ticket(self, group: str, room: str | None = None, ttl: int | None = None) -> str:
        """A ticket naming a group (and room) but no member, for a Telegram Web App: Telegram's
        signed ``initData`` says who opened it. Fits a direct link's ``startapp`` parameter."""
        reply = await self._play_link({"group": group, "room": room, "ttl": ttl, "compact": True})
        return str(reply["ticket"])

    async def set_telegram_bot(self, bot_token: str) -> None:
        """Let the play page accept Telegram Web App data signed with this bot's token (the
        server keeps only the key derived from it, never the token)."""
        await self.request("play.telegram", {"bot_token": bot_token})

    async def _play_link(self, data: dict[str, Any]) -> dict[str, Any]:
        return dict(await self.request("play.link", {k: v for k, v in data.items() if v is not None}))

    async def games(self) -> list[dict[str, Any]]:
        return list((await self.request("games.list"))["games"])

    async def group(self, group: str) -> dict[str, Any]:
        return dict((await self.request("group.get", {"group": group}))["settings"])

    async def set_group(self, group: str, settings: dict[str, Any]) -> dict[str, Any]:
        return dict((await self.request("group.set", {"group": group, "settings": settings}))["settings"])

    async def ping(self) -> float:
        return float((await self.request("ping"))["now"])

    # --- check-ins -----------------------------------------------------------------
    async def checkin(self, group: str, player: str | None = None, name: str | None = None) -> CheckinResult:
        data: dict[str, Any] = {"group": group}
        if player is not None:
            data["player"] = player
        if name is not None:
            data["name"] = name
        return CheckinResult.from_wire(await self.request("checkin", data))

    async def makeup(self, group: str, day: str, player: str | None = None) -> CheckinResult:
        data: dict[str, Any] = {"group": group, "day": day}
        if player is not None:
            data["player"] = player
        return CheckinResult.from_wire(await self.request("checkin.makeup", data))

    async def calendar(self, group: str, player: str | None = None, year: int | None = None,
                       month: int | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {"group": group}
        for k, v in (("player", player), ("year", year), ("month", month)):
            if v is not None:
                data[k] = v
        return await self.request("checkin.calendar", data)

    # --- boards, activity, health (docs/PROTOCOL.md "Boards, activity and health") ---
    @staticmethod
    def _board_args(group: str | None, game: str, period: str) -> dict[str, Any]:
        data: dict[str, Any] = {"game": game, "period": period}
        if group is not None:
            data["group"] = group
        return data

    @staticmethod
    def _entries(reply: dict[str, Any], key: str = "entries") -> list[BoardEntry]:
        return [BoardEntry(e["member"], e["score"], e["rank"]) for e in reply[key]]

    async def board(self, group: str | None = None, game: str = "all", period: str = "all",
                    limit: int = 10) -> list[BoardEntry]:
        """The top of a board: a group's (``group``) or the whole app's (``group=None``).
        ``period``: all, day, yesterday, week, last-week, month, last-month, or a period id."""
        return (await self.board_page(group, game, period, limit))[0]

    async def board_page(self, group: str | None = None, game: str = "all", period: str = "all",
                         limit: int = 10, cursor: str | None = None) -> tuple[list[BoardEntry], str | None]:
        """One page of a board and the cursor of the next (None at the end)."""
        data = {**self._board_args(group, game, period), "limit": limit}
        if cursor is not None:
            data["cursor"] = cursor
        reply = await self.request("board.top", data)
        return self._entries(reply), reply.get("next")

    async def board_rank(self, member: str, group: str | None = None, game: str = "all",
                         period: str = "all") -> BoardEntry | None:
        e = (await self.request("board.rank", {**self._board_args(group, game, period), "member": member}))["entry"]
        return BoardEntry(e["member"], e["score"], e["rank"]) if e else None

    async def board_around(self, member: str, group: str | None = None, game: str = "all", period: str = "all",
                           before: int = 2, after: int = 2) -> list[BoardEntry]:
        return self._entries(await self.request("board.around", {
            **self._board_args(group, game, period), "member": member, "before": before, "after": after}))

    async def board_within(self, members: list[str], group: str | None = None, game: str = "all",
                           period: str = "all") -> list[BoardEntry]:
        """The ranking among ``members`` only (friends, co-players)."""
        return self._entries(await self.request("board.within", {
            **self._board_args(group, game, period), "members": members}))

    async def board_op(self, member: str, op: str, value: float, group: str | None = None, game: str = "all",
                       period: str = "all", key: str | None = None) -> BoardEntry | None:
        """Operator change: op is "best", "set" or "incr"; with ``key`` it applies once per key."""
        data = {**self._board_args(group, game, period), "member": member, "op": op, "value": value}
        if key is not None:
            data["key"] = key
        e = (await self.request("board.op", data))["entry"]
        return BoardEntry(e["member"], e["score"], e["rank"]) if e else None

    async def report_activity(self, group: str, events: list[dict[str, Any]], batch: str) -> bool:
        """Report ordinary group activity ({"kind": "message"|"join"|…, "member", "at"?, "count"?, "by"?});
        applied once per ``batch`` id, so a retry after a dropped connection is safe."""
        reply = await self.request("activity.report", {"group": group, "batch": batch, "events": events})
        return bool(reply["applied"])

    async def activity(self, group: str | None = None, limit: int = 10) -> list[BoardEntry]:
        """Members (or, app-wide, groups' members) by decayed activity score."""
        data: dict[str, Any] = {"limit": limit}
        if group is not None:
            data["group"] = group
        return self._entries(await self.request("activity.top", data))

    async def member_activity(self, group: str, member: str) -> BoardEntry | None:
        e = (await self.request("activity.member", {"group": group, "member": member}))["entry"]
        return BoardEntry(e["member"], e["score"], e["rank"]) if e else None

    async def health(self, group: str, at: float | str | None = None) -> dict[str, Any]:
        """The group's health figures (docs/operators.md): state (new, active, cooling, dormant),
        participation, concentration, members at risk, key members, co-play, cohorts, heat map.
        ``at`` reads them as of a past time (epoch seconds, or ISO; no offset = the group's zone).
        An unknown group raises ``NotFound`` (code ``unknown_group``)."""
        data: dict[str, Any] = {"group": group}
        if at is not None:
            data["at"] = at
        return await self.request("health.group", data)

    async def health_groups(self) -> list[dict[str, Any]]:
        """Every group of the app with its state, dormant ones included, those needing action first."""
        return list((await self.request("health.groups", {}))["groups"])

    async def health_settings(self, group: str | None = None) -> dict[str, Any]:
        """``{"defaults", "app", "group_settings", "effective"}``: the health settings and where each comes from."""
        return await self.request("health.settings", {"group": group} if group else {})

    async def set_health_settings(self, settings: dict[str, Any], group: str | None = None) -> dict[str, Any]:
        """Change health settings for the app, or for one ``group``; a ``None`` value resets a key.
        Returns what ``health_settings`` returns after the change."""
        data: dict[str, Any] = {"settings": settings}
        if group:
            data["group"] = group
        return await self.request("health.settings.set", data)

    async def set_members(self, group: str, members: list[str] | None = None,
                          count: int | None = None) -> dict[str, Any]:
        """Tell the server how many members ``group`` has (the full list or a count), so
        participation counts the silent members a bot never saw."""
        data: dict[str, Any] = {"group": group}
        if members is not None:
            data["members"] = members
        if count is not None:
            data["count"] = count
        return dict((await self.request("group.members", data))["roster"])
