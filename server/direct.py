"""The fast path for sending: one websocket frame built once, the same bytes written to
every member's socket.

Going through ASGI costs every member of a room a message dict, Starlette's state checks and
uvicorn framing the payload again. When the connection is served by uvicorn's sans-I/O
websockets protocol without compression, a server→client frame is the same bytes for every
connection (servers do not mask), so we frame an event once and hand those bytes to each
transport, as ``websockets.broadcast()`` does. Anything unexpected (another ws
implementation, compression negotiated, the transport paused or closing) falls back to the
ordinary ASGI send, which stays the single source of truth for the handshake and closing.
"""
from __future__ import annotations

from typing import Any, Callable

OP_TEXT = 0x1
OP_BINARY = 0x2

# The scope key under which the outer ASGI wrapper (server/app.py) leaves uvicorn's send.
RAW_SEND = "campfire.raw_send"


def frame(payload: bytes, opcode: int) -> bytes:
    """An unmasked, unfragmented RFC 6455 frame (FIN set): what a server sends."""
    n = len(payload)
    if n < 126:
        header = bytes((0x80 | opcode, n))
    elif n < 1 << 16:
        header = bytes((0x80 | opcode, 126)) + n.to_bytes(2, "big")
    else:
        header = bytes((0x80 | opcode, 127)) + n.to_bytes(8, "big")
    return header + payload


def frame_payload(payload: bytes | str) -> bytes:
    if isinstance(payload, str):
        return frame(payload.encode(), OP_TEXT)
    return frame(payload, OP_BINARY)


class DirectWriter:
    """Writes ready-made frames to one connection's transport, when that is safe."""

    __slots__ = ("_proto",)

    def __init__(self, proto: Any) -> None:
        self._proto = proto

    @classmethod
    def for_send(cls, send: Callable[..., Any] | None) -> "DirectWriter | None":
        proto = getattr(send, "__self__", None)
        conn = getattr(proto, "conn", None)
        if proto is None or conn is None or not hasattr(proto, "transport") or not hasattr(proto, "writable"):
            return None
        return cls(proto)

    def ready(self) -> bool:
        p = self._proto
        return (p.handshake_complete and not p.close_sent and not p.disconnected and p.writable.is_set()
                and not p.conn.extensions and not p.transport.is_closing())

    def write(self, framed: bytes) -> None:
        self._proto.transport.write(framed)

    def stalled(self) -> bool:
        """The socket's buffer is over its high-water mark: the peer is not reading."""
        return not self._proto.writable.is_set()

    def abort(self) -> None:
        """Drop the connection at once. For a peer that stopped reading: a closing handshake
        could only wait behind megabytes it will not read (until the keepalive gives up)."""
        self._proto.transport.abort()
