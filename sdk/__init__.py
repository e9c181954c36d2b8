"""Campfire's Python SDK: ``from sdk import Client``. Needs only websockets and msgpack."""
from sdk.client import Client
from sdk.errors import (
    AuthError,
    CampfireError,
    ConnectionLost,
    Forbidden,
    InvalidRequest,
    MoveRefused,
    NotFound,
    ProtocolMismatch,
    RateLimited,
    RequestTimeout,
    RoomStateError,
    ServerError,
)
from sdk.models import BoardEntry, CheckinResult, Event, GameResult, Member, PlayerResult, Room

__all__ = [
    "Client", "AuthError", "CampfireError", "ConnectionLost", "Forbidden", "InvalidRequest",
    "MoveRefused", "NotFound", "ProtocolMismatch", "RateLimited", "RequestTimeout", "RoomStateError",
    "ServerError", "BoardEntry", "CheckinResult", "Event", "GameResult", "Member", "PlayerResult", "Room",
]
