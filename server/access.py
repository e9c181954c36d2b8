"""Who may touch what: one rule per resource, called by the websocket handlers and REST alike.

Tenancy comes first and is not decided here: every read and write is scoped by the caller's
app (``principal.app``), so another app's key simply finds nothing of ours. Within an app:

- the app's key (a bot) is trusted for all of its groups and members;
- a member (player token) reaches only the one group their token names, and of the records
  that belong to a member (check-ins), only their own;
- a room of another group is, to a member, a room that does not exist (``unknown_room``),
  so a member cannot even learn which rooms other groups have.

Why one module: a rule written twice drifts (over REST a member could read another member's
check-in calendar while the websocket refused it). Each function raises the ProtocolError the
caller passes on, so both transports answer with the same code; tests/e2e/test_access_walk.py
walks every frame type and endpoint with four callers to hold them to it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from server.protocol import ProtocolError

if TYPE_CHECKING:
    from server.auth import Principal


def bot_only(who: "Principal", what: str = "this") -> None:
    """App-wide and operator actions (create rooms, mint tokens, write boards and settings)."""
    if not who.is_bot:
        raise ProtocolError("forbidden", f"{what} needs the app's API key")


def group(who: "Principal", group_id: str | None) -> None:
    """Reading a group's data (settings, boards, activity, health). ``None`` means app-wide,
    which only the app's key may read."""
    if who.is_bot:
        return
    if group_id is None or group_id != who.group:
        raise ProtocolError("forbidden", "a member can only read their own group")


def member_record(who: "Principal", group_id: str, member: str | None) -> str:
    """A member's own record in a group (check-ins, calendar): the member it resolves to.
    Bots name the member; a member is always themselves, in their own group."""
    if who.is_bot:
        if not member:
            raise ProtocolError("invalid_payload", "'player' is required", field="player")
        return member
    if group_id != who.group or member not in (None, who.player):
        raise ProtocolError("forbidden", "a member can only see and change their own records, in their group")
    assert who.player is not None
    return who.player


def room_group(who: "Principal") -> str | None:
    """The group a caller's room lookups are confined to (None: all the app's groups). The
    room runtime answers ``unknown_room`` for a room outside it."""
    return None if who.is_bot else who.group


def acting_member(who: "Principal", player: str | None, name: str | None = None) -> tuple[str, str]:
    """Who a room action is for, and their display name: bots name the member they relay for;
    members are always themselves."""
    if who.is_bot:
        if not player:
            raise ProtocolError("invalid_payload", "'player' is required when a bot acts for a member",
                                field="player")
        return player, name or player
    if player is not None and player != who.player:
        raise ProtocolError("forbidden", "a member can only act as themselves")
    assert who.player is not None
    return who.player, name or who.name or who.player


def viewer(who: "Principal", player: str | None) -> str | None:
    """Whose view of a room to show: a bot may ask for any member's (or the spectators', None);
    a member sees only their own."""
    if who.is_bot:
        return player
    if player not in (None, who.player):
        raise ProtocolError("forbidden", "a member can only see their own view")
    return who.player
