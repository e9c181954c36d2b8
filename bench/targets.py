"""How the load generator talks to each server under test.

Every target offers the same three things, so one scenario drives all of them with the same
payloads: ``member(i, on_event)`` (a connection in the room that reports each event's payload),
``publisher()`` (a connection whose ``publish(data)`` makes the server fan ``data`` out to the
room) and, where the server has them, request/reply calls. Only the Campfire target speaks the
real product protocol (docs/PROTOCOL.md); the others speak the smallest equivalent.
"""
from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass, field
from typing import Any, Callable

import msgpack

from bench.wsclient import BINARY, WSClient, connect

HOST = "127.0.0.1"
OnEvent = Callable[[dict[str, Any]], None]  # receives the event's envelope data {room, seq, kind, data}


@dataclass
class Conn:
    """Per-connection state: pending replies and the event callback."""
    on_event: OnEvent | None = None
    pending: dict[Any, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    next_id: int = 2  # 1 is the hello


def _route_envelope(ws: WSClient, frame: dict[str, Any]) -> None:
    conn: Conn = ws.user  # type: ignore[assignment]
    if frame.get("type") == "event":
        if conn.on_event is not None:
            conn.on_event(frame["data"])
        return
    fut = conn.pending.pop(frame.get("id"), None)
    if fut is not None and not fut.done():
        fut.set_result(frame)


def _on_msgpack(ws: WSClient, op: int, payload: bytes) -> None:
    _route_envelope(ws, msgpack.unpackb(payload) if op == BINARY else json.loads(payload))


def request(ws: WSClient, type_: str, data: dict[str, Any], rid: Any = None) -> asyncio.Future[dict[str, Any]]:
    """Send an envelope with an id; the future gets the reply frame (ok, error or welcome)."""
    conn: Conn = ws.user  # type: ignore[assignment]
    if rid is None:
        rid = conn.next_id
        conn.next_id += 1
    fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
    conn.pending[rid] = fut
    ws.send_binary(msgpack.packb({"type": type_, "id": rid, "data": data}))
    return fut


async def _msgpack_conn(port: int, path: str, on_event: OnEvent | None) -> WSClient:
    return await connect(HOST, port, path, _on_msgpack, Conn(on_event))


class Target:
    name = "?"

    def __init__(self, port: int, info: dict[str, Any]) -> None:
        self.port = port
        self.info = info

    async def setup(self, members: int) -> None:
        """Prepare the room (and credentials) for ``members`` members."""

    async def member(self, i: int, on_event: OnEvent) -> WSClient:
        raise NotImplementedError

    async def publisher(self) -> Callable[[dict[str, Any]], None]:
        raise NotImplementedError


class Ceiling(Target):
    name = "ceiling"

    async def member(self, i: int, on_event: OnEvent) -> WSClient:
        ws = await _msgpack_conn(self.port, "/", on_event)
        reply = await asyncio.wait_for(request(ws, "join", {}), 30)
        assert reply["type"] == "ok", reply
        return ws

    async def publisher(self) -> Callable[[dict[str, Any]], None]:
        ws = await _msgpack_conn(self.port, "/", None)
        return lambda data: ws.send_binary(msgpack.packb({"type": "announce", "data": data}))

    async def actor(self, i: int) -> WSClient:
        return await _msgpack_conn(self.port, "/", None)

    def act(self, ws: WSClient, rid: int, action: dict[str, Any]) -> asyncio.Future[dict[str, Any]]:
        return request(ws, "act", {"room": "r", "action": action}, rid)


class SocketIO(Target):
    """Engine.IO v4 over a websocket: '0{..}' open, '40' connect, '42[...]' events, '2'/'3' ping."""
    name = "socketio"

    @staticmethod
    def _on(ws: WSClient, op: int, payload: bytes) -> None:
        conn: Conn = ws.user  # type: ignore[assignment]
        kind = payload[:2]
        if kind == b"42":
            name, data = json.loads(payload[2:])
            if name == "event" and conn.on_event is not None:
                conn.on_event(data)
        elif kind == b"43":  # ack: 43<id>[data]
            body = payload[2:]
            cut = body.index(b"[")
            fut = conn.pending.pop(int(body[:cut]), None)
            if fut is not None and not fut.done():
                fut.set_result({"type": "ok", "data": json.loads(body[cut:])[0]})
        elif payload == b"2":
            ws.send_text("3")
        elif kind == b"40":
            fut = conn.pending.pop("connect", None)
            if fut is not None and not fut.done():
                fut.set_result({"type": "ok", "data": {}})

    async def _conn(self, on_event: OnEvent | None) -> WSClient:
        conn = Conn(on_event)
        ws = await connect(HOST, self.port, "/socket.io/?EIO=4&transport=websocket", self._on, conn)
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        conn.pending["connect"] = fut
        ws.send_text("40")
        await asyncio.wait_for(fut, 30)
        return ws

    def _emit(self, ws: WSClient, name: str, data: Any, rid: int | None = None) -> asyncio.Future[dict[str, Any]] | None:
        body = json.dumps([name, data], separators=(",", ":"))
        if rid is None:
            ws.send_text("42" + body)
            return None
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        ws.user.pending[rid] = fut  # type: ignore[attr-defined]
        ws.send_text(f"42{rid}{body}")
        return fut

    async def member(self, i: int, on_event: OnEvent) -> WSClient:
        ws = await self._conn(on_event)
        fut = self._emit(ws, "join", {}, 1)
        await asyncio.wait_for(fut, 30)  # type: ignore[arg-type]
        return ws

    async def publisher(self) -> Callable[[dict[str, Any]], None]:
        ws = await self._conn(None)
        return lambda data: self._emit(ws, "announce", data)

    async def actor(self, i: int) -> WSClient:
        return await self._conn(None)

    def act(self, ws: WSClient, rid: int, action: dict[str, Any]) -> asyncio.Future[dict[str, Any]]:
        return self._emit(ws, "act", {"room": "r", "action": action}, rid)  # type: ignore[return-value]


class Colyseus(Target):
    """Colyseus 0.16: HTTP seat reservation, then a websocket speaking its byte protocol."""
    name = "colyseus"
    JOIN_ROOM, ROOM_DATA = 10, 13

    async def _reserve(self) -> dict[str, Any]:
        reader, writer = await asyncio.open_connection(HOST, self.port)
        body = b"{}"
        writer.write(b"POST /matchmake/joinOrCreate/bench HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Accept: application/json\r\nConnection: close\r\nContent-Length: 2\r\n\r\n" + body)
        raw = await asyncio.wait_for(reader.read(), 30)
        writer.close()
        head, _, payload = raw.partition(b"\r\n\r\n")
        if b"chunked" in head.lower():
            out, rest = b"", payload
            while rest:
                size_s, _, rest = rest.partition(b"\r\n")
                size = int(size_s, 16)
                if size == 0:
                    break
                out, rest = out + rest[:size], rest[size + 2:]
            payload = out
        return json.loads(payload)

    def _on(self, ws: WSClient, op: int, payload: bytes) -> None:
        conn: Conn = ws.user  # type: ignore[assignment]
        code = payload[0]
        if code == self.ROOM_DATA:
            n = payload[1] & 0x1F  # fixstr message type
            kind = payload[2:2 + n]
            data = msgpack.unpackb(payload[2 + n:])
            if kind == b"event":
                if conn.on_event is not None:
                    conn.on_event(data)
            else:
                fut = conn.pending.pop(data.get("id"), None)
                if fut is not None and not fut.done():
                    fut.set_result({"type": "ok", "data": data})
        elif code == self.JOIN_ROOM:
            ws.send_binary(bytes([self.JOIN_ROOM]))
            fut = conn.pending.pop("join", None)
            if fut is not None and not fut.done():
                fut.set_result({"type": "ok", "data": {}})

    async def _conn(self, on_event: OnEvent | None) -> WSClient:
        seat = await self._reserve()
        room = seat["room"]
        conn = Conn(on_event)
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        conn.pending["join"] = fut
        ws = await connect(HOST, self.port, f"/{room['processId']}/{room['roomId']}?sessionId={seat['sessionId']}",
                      self._on, conn)
        await asyncio.wait_for(fut, 30)
        return ws

    def _send(self, ws: WSClient, kind: bytes, data: Any) -> None:
        ws.send_binary(bytes([self.ROOM_DATA, 0xA0 | len(kind)]) + kind + msgpack.packb(data))

    async def member(self, i: int, on_event: OnEvent) -> WSClient:
        return await self._conn(on_event)

    async def publisher(self) -> Callable[[dict[str, Any]], None]:
        ws = await self._conn(None)
        return lambda data: self._send(ws, b"announce", data)

    async def actor(self, i: int) -> WSClient:
        return await self._conn(None)

    def act(self, ws: WSClient, rid: int, action: dict[str, Any]) -> asyncio.Future[dict[str, Any]]:
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        ws.user.pending[rid] = fut  # type: ignore[attr-defined]
        self._send(ws, b"act", {"id": rid, "room": "r", "action": action})
        return fut


class Campfire(Target):
    """The real thing: a bot (API key) creates a quiz room and mints player tokens; members
    say hello with their token and watch the room; the bot's room.announce is the fan-out."""
    name = "campfire"

    def __init__(self, port: int, info: dict[str, Any]) -> None:
        super().__init__(port, info)
        self.bot: WSClient | None = None
        self.room: Any = None
        self.tokens: list[str] = []
        self.group = f"bench-{os.urandom(4).hex()}"  # a server may outlive one load run

    async def hello_bot(self) -> WSClient:
        ws = await _msgpack_conn(self.port, "/ws", None)
        reply = await asyncio.wait_for(request(ws, "hello", {"protocol": [1], "key": self.info["key"]}, 1), 30)
        if reply["type"] != "welcome":
            raise RuntimeError(f"bot hello refused: {reply}")
        return ws

    async def call(self, type_: str, data: dict[str, Any]) -> dict[str, Any]:
        assert self.bot is not None
        reply = await asyncio.wait_for(request(self.bot, type_, data), 60)
        if reply["type"] != "ok":
            raise RuntimeError(f"{type_} refused: {reply}")
        return reply["data"]

    async def create_room(self, group: str, config: dict[str, Any]) -> Any:
        data = await self.call("room.create", {"group": group, "game": "quiz", "config": config})
        return data["room"]["id"]

    async def mint(self, group: str, count: int, prefix: str = "p") -> list[str]:
        out: list[str] = []
        for start in range(0, count, 200):  # bounded pipelining: the server's send queue is finite
            futs = [request(self.bot, "token.mint", {"group": group, "player": f"{prefix}{i}",  # type: ignore[arg-type]
                                                      "name": f"M{i}", "ttl": 3600})
                    for i in range(start, min(count, start + 200))]
            for fut in futs:
                reply = await asyncio.wait_for(fut, 120)
                if reply["type"] != "ok":
                    raise RuntimeError(f"token.mint refused: {reply}")
                out.append(reply["data"]["token"])
        return out

    async def setup(self, members: int) -> None:
        self.bot = await self.hello_bot()
        self.room = await self.create_room(self.group, {"questions": 50, "seconds": 300, "reveal_seconds": 0})
        self.tokens = await self.mint(self.group, members)

    def _member_port(self) -> int:
        """Members go round the nodes when the server is several (``info["ports"]``, bench/nodes.py)."""
        ports = self.info.get("ports") or [self.port]
        self._members = getattr(self, "_members", 0) + 1
        return int(ports[(self._members - 1) % len(ports)])

    async def hello_member(self, token: str, on_event: OnEvent | None) -> WSClient:
        ws = await _msgpack_conn(self._member_port(), "/ws", on_event)
        reply = await asyncio.wait_for(request(ws, "hello", {"protocol": [1], "token": token}, 1), 30)
        if reply["type"] != "welcome":
            raise RuntimeError(f"member hello refused: {reply}")
        return ws

    async def watch(self, ws: WSClient, room: Any, after: int) -> dict[str, Any]:
        reply = await asyncio.wait_for(request(ws, "room.watch", {"room": room, "after": after}), 60)
        if reply["type"] != "ok":
            raise RuntimeError(f"room.watch refused: {reply}")
        return reply["data"]

    async def member(self, i: int, on_event: OnEvent) -> WSClient:
        ws = await self.hello_member(self.tokens[i], on_event)
        await self.watch(ws, self.room, 0)
        return ws

    async def publisher(self) -> Callable[[dict[str, Any]], None]:
        bot = self.bot
        room = self.room

        def publish(data: dict[str, Any]) -> None:
            bot.send_binary(msgpack.packb({"type": "room.announce", "data": {"room": room, "data": data}}))  # type: ignore[union-attr]
        return publish


TARGETS: dict[str, type[Target]] = {t.name: t for t in (Ceiling, SocketIO, Colyseus, Campfire)}
