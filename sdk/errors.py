"""Exceptions mirroring the server's stable error codes.

Catch ``CampfireError`` for everything, a family (``AuthError``, ``MoveRefused``…) for a
kind of failure, or compare ``err.code`` for one case. Codes the server adds later still
arrive as a ``CampfireError`` with their code, never as a crash.
"""
from __future__ import annotations

from typing import Any


class CampfireError(Exception):
    code = "error"

    def __init__(self, code: str, message: str, data: dict[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.data = data or {}


class AuthError(CampfireError):
    """unauthorized, key_revoked: the key or token is not accepted. Reconnecting won't help."""


class ProtocolMismatch(CampfireError):
    """unsupported_version, bad_frame, unknown_type, hello_required: a client/server mismatch."""


class InvalidRequest(CampfireError):
    """invalid_payload, invalid_config, frame_too_large, invalid_day: fix the request."""


class RateLimited(CampfireError):
    """rate_limited: slow down and retry after ``retry_after`` seconds (the server's advice)."""

    @property
    def retry_after(self) -> float:
        value = self.data.get("retry_after")
        return float(value) if isinstance(value, (int, float)) and value >= 0 else 1.0


class Forbidden(CampfireError):
    """forbidden: this key or token may not do that."""


class NotFound(CampfireError):
    """unknown_room, unknown_game, unknown_group, not_in_room, not_watching."""


class RoomStateError(CampfireError):
    """group_busy, room_full, not_enough_players, already_joined, wrong_status, no_content."""


class MoveRefused(CampfireError):
    """A game's rules refused a move: not_your_turn, too_late, already_answered, … (the game's
    own codes, documented in docs/games/)."""


class ServerError(CampfireError):
    """internal, conflict, unavailable: the server failed, the record kept changing, or the
    store or the room's node was unreachable just now; the request may be retried."""


class ConnectionLost(CampfireError):
    """The connection dropped while a request was in flight: it may or may not have been applied."""


class RequestTimeout(CampfireError):
    """No reply in time."""


_FAMILIES: dict[type[CampfireError], tuple[str, ...]] = {
    AuthError: ("unauthorized", "key_revoked"),
    ProtocolMismatch: ("unsupported_version", "bad_frame", "unknown_type", "hello_required",
                       "already_authenticated"),
    InvalidRequest: ("invalid_payload", "invalid_config", "frame_too_large", "invalid_day"),
    RateLimited: ("rate_limited",),
    Forbidden: ("forbidden",),
    NotFound: ("unknown_room", "unknown_game", "unknown_group", "not_in_room", "not_watching"),
    RoomStateError: ("group_busy", "room_full", "not_enough_players", "already_joined", "wrong_status",
                     "no_content"),
    ServerError: ("internal", "conflict", "unavailable"),
    ConnectionLost: ("connection_lost",),
    RequestTimeout: ("timeout",),
}
ERROR_CLASSES: dict[str, type[CampfireError]] = {code: cls for cls, codes in _FAMILIES.items() for code in codes}


def error_from(payload: dict[str, Any]) -> CampfireError:
    code = str(payload.get("code", "error"))
    message = str(payload.get("message", ""))
    data = {k: v for k, v in payload.items() if k not in ("code", "message")}
    return ERROR_CLASSES.get(code, MoveRefused)(code, message, data)
