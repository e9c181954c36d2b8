"""A minimal websocket client for load generation.

Why not the ``websockets`` client: the load runs on one core and must receive far more frames
per second than the server under test sends, or the bench measures the client. This client does
only what a load generator needs (handshake, unfragmented frames, pong, close), parses frames
in ``data_received`` without awaiting per frame, and masks outgoing frames with the all-zero key
(legal on the wire, and XOR with zero costs nothing). It is not a general-purpose client.
"""
from __future__ import annotations

import asyncio
import base64
import os
import struct
from typing import Callable

TEXT, BINARY, CLOSE, PING, PONG = 0x1, 0x2, 0x8, 0x9, 0xA

OnMessage = Callable[["WSClient", int, bytes], None]


def _frame(opcode: int, payload: bytes) -> bytes:
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    return head + b"\x00\x00\x00\x00" + payload


class WSClient(asyncio.Protocol):
    """One connection. ``on_message(client, opcode, payload)`` runs synchronously per frame."""

    def __init__(self, on_message: OnMessage, path: str, host: str, user: object = None) -> None:
        self.on_message = on_message
        self.path = path
        self.host = host
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.open = False
        self.opened: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.user: object = user  # per-connection state for the caller (set before any frame arrives)

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write(
            f"GET {self.path} HTTP/1.1\r\nHost: {self.host}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())

    def data_received(self, data: bytes) -> None:
        buf = self.buf
        buf += data
        if not self.open:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(buf[:buf.find(b"\r\n")])
            del buf[:end + 4]
            if b" 101 " not in status:
                if not self.opened.done():
                    self.opened.set_exception(ConnectionError(status.decode(errors="replace")))
                self.transport.close()  # type: ignore[union-attr]
                return
            self.open = True
            self.opened.set_result(None)
        pos = 0
        n = len(buf)
        on_message = self.on_message
        while n - pos >= 2:
            b0 = buf[pos]
            ln = buf[pos + 1] & 0x7F
            hdr = 2
            if ln == 126:
                if n - pos < 4:
                    break
                ln = (buf[pos + 2] << 8) | buf[pos + 3]
                hdr = 4
            elif ln == 127:
                if n - pos < 10:
                    break
                ln = struct.unpack_from("!Q", buf, pos + 2)[0]
                hdr = 10
            if n - pos < hdr + ln:
                break
            payload = bytes(buf[pos + hdr:pos + hdr + ln])
            pos += hdr + ln
            op = b0 & 0x0F
            if op == TEXT or op == BINARY:
                on_message(self, op, payload)
            elif op == PING:
                self.transport.write(_frame(PONG, payload))  # type: ignore[union-attr]
            elif op == CLOSE:
                if self.transport is not None and not self.transport.is_closing():
                    self.transport.write(_frame(CLOSE, payload[:2]))
                    self.transport.close()
                break
        if pos:
            del buf[:pos]

    def connection_lost(self, exc: Exception | None) -> None:
        self.open = False
        if not self.opened.done():
            self.opened.set_exception(ConnectionError("closed during handshake"))
        if not self.closed.done():
            self.closed.set_result(None)

    # API
    def send_binary(self, payload: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(_frame(BINARY, payload))

    def send_text(self, text: str) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(_frame(TEXT, text.encode()))

    def abort(self) -> None:
        """Drop the TCP connection without a closing handshake (a member losing signal)."""
        if self.transport is not None:
            self.transport.abort()

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(_frame(CLOSE, struct.pack("!H", 1000)))
            self.transport.close()


async def connect(host: str, port: int, path: str, on_message: OnMessage, user: object = None,
                  timeout: float = 30.0) -> WSClient:
    loop = asyncio.get_running_loop()
    _, proto = await asyncio.wait_for(
        loop.create_connection(lambda: WSClient(on_message, path, f"{host}:{port}", user), host, port), timeout)
    await asyncio.wait_for(asyncio.shield(proto.opened), timeout)
    return proto
