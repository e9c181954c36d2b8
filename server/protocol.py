"""The wire envelope, its codec and the stable error codes.

Every frame is a map ``{"type": str, "id": int|str (optional), "data": map}``. Binary
websocket frames carry MessagePack; text frames carry JSON (for browsers and debugging).
A reply echoes the request's ``id``. docs/PROTOCOL.md is the human version of this file.
"""
from __future__ import annotations

import json
from typing import Any

import msgpack

PROTOCOL_VERSIONS: tuple[int, ...] = (1,)

# Stable error codes: clients branch on these, so they never change meaning.
# Game refusals (not_your_turn, too_late, already_answered, ...) travel with their own codes.
ERRORS: dict[str, str] = {
    "bad_frame": "the frame is not valid MessagePack/JSON, or not a map with a string 'type'",
    "frame_too_large": "the frame is larger than the server's frame size limit",
    "rate_limited": "too many frames per second from this connection",
    "unknown_type": "no such frame type",
    "invalid_payload": "a field is missing, of the wrong type or out of range",
    "hello_required": "the first frame must be 'hello'",
    "already_authenticated": "this connection has already said hello",
    "unsupported_version": "none of the offered protocol versions is supported",
    "unauthorized": "the key or token is wrong, expired or malformed",
    "key_revoked": "the key has been revoked",
    "forbidden": "this connection may not do that (wrong role, group or app)",
    "unknown_room": "no such room for this app",
    "unknown_game": "no such game",
    "invalid_config": "the room's settings do not fit the game",
    "no_content": "the app has no content this game can use",
    "group_busy": "the group already has an active game",
    "room_full": "the room has as many players as the game allows",
    "not_enough_players": "the game needs more players to start",
    "already_joined": "that member is already in the room",
    "not_in_room": "that member is not in the room",
    "wrong_status": "the room is not in a state that allows this (e.g. already started, finished)",
    "not_watching": "this connection does not watch that room",
    "invalid_day": "the day is not a valid date for this action",
    "conflict": "the record kept changing under this request and nothing was saved; retry it",
    "timeout": "the server did not answer in time (raised by the SDK)",
    "internal": "the server failed; the request may be retried",
    "unavailable": "the room's node or the store did not answer in time; retry (the room may be moving to another node)",
}


class ProtocolError(Exception):
    """An error that becomes an error frame. ``fatal`` closes the connection after sending."""

    def __init__(self, code: str, message: str, *, fatal: bool = False, **data: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fatal = fatal
        self.data = data

    def payload(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.data}


def decode(raw: bytes | str) -> dict[str, Any]:
    """Decode one frame; raises ProtocolError('bad_frame') on anything malformed."""
    try:
        if isinstance(raw, (bytes, bytearray, memoryview)):
            frame = msgpack.unpackb(raw, raw=False, strict_map_key=True)
        else:
            frame = json.loads(raw)
    except Exception as exc:  # msgpack raises several unrelated types
        raise ProtocolError("bad_frame", f"cannot decode frame: {exc.__class__.__name__}") from None
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise ProtocolError("bad_frame", "a frame must be a map with a string 'type'")
    data = frame.get("data", {})
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ProtocolError("bad_frame", "'data' must be a map")
    frame["data"] = data
    rid = frame.get("id")
    if rid is not None and not isinstance(rid, (int, str)):
        raise ProtocolError("bad_frame", "'id' must be an integer or a string")
    return frame


def encode_binary(frame: dict[str, Any]) -> bytes:
    return msgpack.packb(frame, use_bin_type=True)


def encode_text(frame: dict[str, Any]) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def reply(rid: Any, data: dict[str, Any] | None = None) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": "ok", "data": data or {}}
    if rid is not None:
        frame["id"] = rid
    return frame


def error(rid: Any, err: ProtocolError) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": "error", "data": err.payload()}
    if rid is not None:
        frame["id"] = rid
    return frame
