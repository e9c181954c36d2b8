"""One websocket connection: hello, a reader loop, a writer task, and its limits.

The reader decodes, validates and dispatches one frame at a time; the writer drains a
bounded queue, so one slow member never stalls a room's fan-out: if a member's queue
overflows they are disconnected and resume later by sequence number.
"""
from __future__ import annotations

import asyncio
import logging
import secrets
import time
from typing import TYPE_CHECKING, Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from server import access
from server.direct import RAW_SEND, DirectWriter, frame_payload
from server.handlers import Context, load_all
from server.logs import auth_failure, key_used
from server.metrics import AUTH_FAILURES
from server.protocol import (
    CLOSE_POLICY,
    CLOSE_TRY_AGAIN,
    PROTOCOL_VERSIONS,
    ProtocolError,
    close_code,
    decode,
    encode_binary,
    encode_text,
    error,
    peek_id,
    reply,
)
from server.readonly import check_frame
from server.store import store_unreachable
from server.validate import Field, Schema

if TYPE_CHECKING:
    from server.auth import Principal
    from server.runtime import EventFrame
    from server.services import Services

log = logging.getLogger("campfire.session")

HELLO = Schema(
    protocol=Field((list, int)),
    key=Field(str, required=False, max_len=200),
    token=Field(str, required=False, max_len=2000),
    client=Field(str, required=False, max_len=100),
)

_CLOSE = object()


class RateLimiter:
    """Token bucket: ``rate`` frames a second on average, bursts up to ``burst``."""

    __slots__ = ("rate", "burst", "tokens", "stamp")

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, float(burst)
        self.tokens, self.stamp = float(burst), time.monotonic()

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def retry_after(self) -> float:
        """Seconds until the next frame would be allowed (the advice a rate_limited error carries)."""
        return max(0.0, (1.0 - self.tokens) / self.rate)


class Session:
    def __init__(self, ws: WebSocket, services: "Services") -> None:
        self.ws = ws
        self.services = services
        self.id = secrets.token_hex(6)
        self.principal: "Principal | None" = None
        self.binary = True  # answer in the format the client said hello in
        settings = services.settings
        self.queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=settings.send_queue_frames)
        self.limiter = RateLimiter(settings.frames_per_second, settings.frame_burst)
        self.closing = False
        self._close_with = (CLOSE_TRY_AGAIN, "closing: reconnect and resume")
        # Runs only while frames wait in the queue: most of the time frames go out directly
        # and an idle connection carries no task of its own.
        self._writer_task: asyncio.Task[None] | None = None
        self.direct = DirectWriter.for_send(ws.scope.get(RAW_SEND))
        # The metrics' plain counters, held here: counting a frame is one dict increment.
        self._frames_in = services.metrics.frames_in
        self._frames_out = services.metrics.frames_out

    # --- audience ------------------------------------------------------------------
    def may_see(self, to: Any) -> bool:
        p = self.principal
        if p is None:
            return False
        if to == "all":
            return True
        if p.is_bot:
            return True
        return to != "bots" and p.player in to

    # --- sending -------------------------------------------------------------------
    def send_event(self, frame: "EventFrame") -> None:
        self._frames_out["event"] += 1
        if self._can_write_now():
            assert self.direct is not None
            self.direct.write(frame.framed_binary() if self.binary else frame.framed_text())
            return
        self._enqueue(frame.binary() if self.binary else frame.text())

    async def drained(self) -> None:
        """Wait until the queued frames are written (the writer ends when the queue is empty)."""
        while self._writer_task is not None and not self.closing:
            await asyncio.wait({self._writer_task})

    def send(self, frame: dict[str, Any]) -> None:
        self._frames_out[frame["type"]] += 1
        payload = encode_binary(frame) if self.binary else encode_text(frame)
        if self._can_write_now():
            assert self.direct is not None
            self.direct.write(frame_payload(payload))
            return
        self._enqueue(payload)

    def _can_write_now(self) -> bool:
        """Straight to the socket only when nothing is waiting or being written before it,
        so frames always leave in the order they were sent."""
        return (self.direct is not None and not self.closing and self._writer_task is None
                and self.direct.ready())

    def _enqueue(self, payload: bytes | str) -> None:
        if self.closing:
            return
        try:
            self.queue.put_nowait(payload)
        except asyncio.QueueFull:
            log.info("session %s is too far behind; disconnecting it", self.id)
            self._drop_queue()
            if self.direct is not None and self.direct.stalled():
                # The writer is stuck behind data the peer will not read: drop the connection
                # now rather than queue a closing handshake behind it.
                self.closing = True
                if self._writer_task is not None:
                    self._writer_task.cancel()
                self.direct.abort()
                return
            self._close_soon()
            return
        self._start_writer()

    def end(self, err: ProtocolError) -> None:
        """Tell the peer why and close: its credentials ended (server/credentials.py)."""
        if self.closing:
            return
        self.send(error(None, err))
        self._close_soon(close_code(err.code), err.code)

    def _close_soon(self, code: int = CLOSE_TRY_AGAIN, reason: str = "closing: reconnect and resume") -> None:
        """Close after the frames already queued (an error frame explaining why, say)."""
        self._close_with = (code, reason)
        self.closing = True
        if self.queue.full():
            self._drop_queue()
        self.queue.put_nowait(_CLOSE)
        self._start_writer()

    def _start_writer(self) -> None:
        if self._writer_task is None:
            self._writer_task = asyncio.get_running_loop().create_task(self._writer())

    def _drop_queue(self) -> None:
        while not self.queue.empty():
            self.queue.get_nowait()

    async def _writer(self) -> None:
        """Send what is queued, in order, through the ASGI path (which waits while the socket's
        buffer is full), then end: the next frame that has to wait starts a new writer."""
        send = self.ws.send
        queue = self.queue
        try:
            while not queue.empty():
                item = queue.get_nowait()
                if item is _CLOSE:
                    code, reason = self._close_with
                    await self.ws.close(code=code, reason=reason)
                    return
                if isinstance(item, bytes):
                    await send({"type": "websocket.send", "bytes": item})
                else:
                    await send({"type": "websocket.send", "text": item})
        finally:
            self._writer_task = None

    # --- the connection ------------------------------------------------------------
    async def run(self) -> None:
        await self.ws.accept()
        self.services.sessions.add(self)
        try:
            await self._read_loop()
        except WebSocketDisconnect:
            pass
        finally:
            self.services.sessions.discard(self)
            self.services.rooms.unwatch_all(self)
            writer = self._writer_task
            if writer is not None and not writer.done():
                if self.closing:
                    try:
                        await asyncio.wait_for(writer, timeout=5)
                    except (TimeoutError, Exception):
                        writer.cancel()
                else:
                    writer.cancel()

    async def _receive(self, timeout: float | None) -> bytes | str | None:
        if timeout is None:
            message = await self.ws.receive()
        else:
            message = await asyncio.wait_for(self.ws.receive(), timeout)
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        if message.get("bytes") is not None:
            return message["bytes"]
        return message.get("text")

    async def _read_loop(self) -> None:
        settings = self.services.settings
        routes = load_all()
        while True:
            try:
                raw = await self._receive(settings.hello_timeout if self.principal is None else None)
            except TimeoutError:
                self.send(error(None, ProtocolError("hello_required", "say hello first")))
                self._close_soon(CLOSE_POLICY, "say hello first")
                return
            if raw is None:
                continue
            if self.principal is None:
                self.binary = isinstance(raw, bytes)
            rid = None
            try:
                # Errors that answer a frame carry its id whenever it can be read, even before
                # the frame is accepted, so a client can match every error to its request.
                if len(raw) > settings.max_frame_bytes:
                    raise ProtocolError("frame_too_large",
                                        f"frames are limited to {settings.max_frame_bytes} bytes",
                                        rid=peek_id(raw), limit=settings.max_frame_bytes)
                if not self.limiter.allow():
                    raise ProtocolError("rate_limited",
                                        f"at most {settings.frames_per_second:g} frames a second",
                                        rid=peek_id(raw), limit=settings.frames_per_second,
                                        retry_after=round(self.limiter.retry_after(), 3))
                frame = decode(raw)
                rid = frame.get("id")
                kind = frame["type"]
                self._frames_in[kind if kind in routes or kind == "hello" else "other"] += 1
                if frame["type"] == "hello":
                    welcome = {"type": "welcome", "data": await self._hello(frame["data"])}
                    self.send(welcome if rid is None else {**welcome, "id": rid})
                    continue
                result = await self._dispatch(routes, frame)
                if result is not None:
                    self.send(reply(rid, result))
            except ProtocolError as err:
                self.services.metrics.error("ws", err.code)
                if err.code in AUTH_FAILURES:
                    auth_failure("ws", err.code, err.message, session=self.id,
                                 peer=self.ws.client.host if self.ws.client else None)
                self.send(error(err.rid if rid is None else rid, err))
                if err.fatal:
                    self._close_soon(close_code(err.code), err.code)
                    return
            except Exception as exc:
                if store_unreachable(exc):  # nothing was committed: retry later (docs/PROTOCOL.md)
                    log.warning("store unreachable: %s", exc)
                    self.services.metrics.error("ws", "unavailable")
                    self.services.metrics.store_error("ws", exc)
                    self.send(error(rid, ProtocolError("unavailable", "the store is unreachable just now; retry")))
                    continue
                log.exception("handler failed", extra={"session": self.id})
                self.services.metrics.error("ws", "internal")
                self.send(error(rid, ProtocolError("internal", "the server failed on this frame")))

    async def _dispatch(self, routes: dict[str, Any], frame: dict[str, Any]) -> dict[str, Any] | None:
        kind = frame["type"]
        if self.principal is None:
            raise ProtocolError("hello_required", "the first frame must be 'hello'", fatal=True)
        route = routes.get(kind)
        if route is None:
            raise ProtocolError("unknown_type", f"no frame type '{kind}'")
        if route.bots_only:
            access.bot_only(self.principal, f"'{kind}'")
        check_frame(self.principal, kind)
        data = route.schema(frame["data"])
        return await route.fn(Context(self.principal, self.services, self), data)

    async def _hello(self, data: dict[str, Any]) -> dict[str, Any]:
        if self.principal is not None:
            raise ProtocolError("already_authenticated", "this connection has already said hello")
        data = HELLO(data)
        offered = data["protocol"] if isinstance(data["protocol"], list) else [data["protocol"]]
        common = [v for v in offered if isinstance(v, int) and v in PROTOCOL_VERSIONS]
        if not common:
            raise ProtocolError("unsupported_version", f"this server speaks protocol {list(PROTOCOL_VERSIONS)}",
                                fatal=True, supported=list(PROTOCOL_VERSIONS))
        auth = self.services.auth
        if data["key"]:
            self.principal = await auth.bot(data["key"])
        elif data["token"]:
            self.principal = await auth.player(data["token"], self.services.clock.now())
        else:
            raise ProtocolError("unauthorized", "hello needs a 'key' (bots) or a 'token' (members)", fatal=True)
        self.services.credentials.arm()  # re-checked while the connection stays open
        p = self.principal
        if p.is_bot:
            key_used("ws", p.app, p.key_prefix or "", session=self.id)
        welcome = {
            "protocol": max(common), "session": self.id, "app": p.app, "role": p.role,
            "limits": {"max_frame_bytes": self.services.settings.max_frame_bytes,
                       "frames_per_second": self.services.settings.frames_per_second},
        }
        if p.role == "player":
            welcome.update(group=p.group, player=p.player)
        return welcome
