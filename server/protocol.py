"""The wire envelope, its codec and the stable error codes.

Every frame is a map ``{"type": str, "id": int|str (optional), "data": map}``. Binary
websocket frames carry MessagePack; text frames carry JSON (for browsers and debugging).
A reply echoes the request's ``id``. docs/PROTOCOL.md is the human version of this file.
"""
from __future__ import annotations

import json
import math
import re
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
    "unknown_group": "the app has no activity, members or settings for that group",
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
    "link_invalid": "a play link that is not this server's, altered, or opens only inside Telegram",
    "link_expired": "a play link past its lifetime: ask the bot for a new one",
    "link_wrong_room": "a play link opened at another room's address",
    "telegram_invalid": "Telegram Web App data not signed by the app's bot, or the app has no Telegram bot set",
    "telegram_expired": "Telegram Web App data older than telegram_max_age",
    "timeout": "the server did not answer in time (raised by the SDK)",
    "internal": "the server failed; the request may be retried",
    "unavailable": "the room's node or the store did not answer in time; retry (the room may be moving to another node)",
}


# How the server closes a connection after a fatal error (docs/PROTOCOL.md, "Close codes").
# 1008 (policy violation) for credentials: retrying with the same ones will not help, which
# 1013 ("try again later") would wrongly suggest. 1002 for a client of another protocol version.
# 1013 is kept for "reconnect and resume" (a member too far behind, the server shutting down).
CLOSE_POLICY, CLOSE_PROTOCOL, CLOSE_TRY_AGAIN = 1008, 1002, 1013
CLOSE_CODES: dict[str, int] = {
    "unauthorized": CLOSE_POLICY, "key_revoked": CLOSE_POLICY, "token_expired": CLOSE_POLICY,
    "hello_required": CLOSE_POLICY, "unsupported_version": CLOSE_PROTOCOL,
}


def close_code(error_code: str) -> int:
    return CLOSE_CODES.get(error_code, CLOSE_TRY_AGAIN)


class ProtocolError(Exception):
    """An error that becomes an error frame. ``fatal`` closes the connection after sending."""

    def __init__(self, code: str, message: str, *, fatal: bool = False, rid: Any = None, **data: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fatal = fatal
        self.rid = rid  # the id of the frame this answers, when known before the frame was decoded
        self.data = data

    def payload(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.data}


# A JSON escape of a UTF-16 surrogate: the only way a lone surrogate (not Unicode, so not
# encodable as UTF-8 for the store, MessagePack or another client) gets into a decoded string.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def loads_json(raw: str | bytes) -> Any:
    """Strict JSON: no NaN/Infinity literals, no lone surrogates (docs/PROTOCOL.md, "Limits").
    Raises ValueError; both the websocket and REST bodies decode through here."""
    value = json.loads(raw, parse_constant=_no_constants)
    text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
    if _SURROGATE_ESCAPE.search(text) and not _valid_unicode(value):
        raise ValueError("a string holds a lone surrogate (not valid Unicode)")
    return value


def _valid_unicode(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def peek_id(raw: bytes | str) -> Any:
    """The request id of a frame that will not be decoded (too large, over the rate), when it
    can be read cheaply: errors answering a frame carry its id whenever one could be read."""
    try:
        frame = decode_envelope(raw)
    except ProtocolError as err:
        return err.rid
    rid = frame.get("id")
    return rid if isinstance(rid, (int, str)) else None


def _lenient_id(raw: bytes | str) -> Any:
    """The id of a JSON frame refused only for what strict decoding forbids (NaN, a lone
    surrogate): plain ``json.loads`` still reads it, so the error can name the request."""
    if not isinstance(raw, str):
        return None
    try:
        value = json.loads(raw)
    except Exception:  # RecursionError included
        return None
    rid = value.get("id") if isinstance(value, dict) else None
    return rid if isinstance(rid, (int, str)) else None


def decode_envelope(raw: bytes | str) -> dict[str, Any]:
    """The decoded map, before the envelope's fields are checked."""
    try:
        if isinstance(raw, (bytes, bytearray, memoryview)):
            frame = msgpack.unpackb(raw, raw=False, strict_map_key=True)
        else:
            frame = loads_json(raw)
    except Exception as exc:  # msgpack raises several unrelated types
        raise ProtocolError("bad_frame", f"cannot decode frame: {exc}"[:200], rid=_lenient_id(raw)) from None
    if not isinstance(frame, dict):
        raise ProtocolError("bad_frame", "a frame must be a map with a string 'type'")
    return frame


def decode(raw: bytes | str) -> dict[str, Any]:
    """Decode one frame; raises ProtocolError('bad_frame') on anything malformed. The error
    carries the frame's id (``err.rid``) when the frame is a map with a usable one."""
    frame = decode_envelope(raw)
    rid = frame.get("id")
    if rid is not None and not isinstance(rid, (int, str)):
        raise ProtocolError("bad_frame", "'id' must be an integer or a string")
    if not isinstance(frame.get("type"), str):
        raise ProtocolError("bad_frame", "a frame must be a map with a string 'type'", rid=rid)
    data = frame.get("data", {})
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ProtocolError("bad_frame", "'data' must be a map", rid=rid)
    frame["data"] = data
    return frame


def encode_binary(frame: dict[str, Any]) -> bytes:
    return msgpack.packb(frame, use_bin_type=True)


def encode_text(frame: dict[str, Any]) -> str:
    """JSON that every reader accepts: a non-finite number (which JSON cannot carry; browsers
    reject ``NaN``) is sent as null. Inputs are bounded at the edge, so that path is a guard."""
    return dumps_json(frame, separators=(",", ":"))


def dumps_json(value: Any, **kwargs: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, **kwargs)
    except ValueError:
        return json.dumps(finite(value), ensure_ascii=False, allow_nan=False, **kwargs)


def finite(value: Any) -> Any:
    """``value`` with every NaN or infinity replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


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
