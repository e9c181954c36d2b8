"""Launch links: short-lived signed tickets that open the play page as one member.

A link looks like ``https://HOST/play/<room>#cfl_<body>.<signature>``. The ticket sits in the
fragment, which browsers never send to the server, so it cannot reach an access log; the page
posts it to ``/play/session`` at once and forgets it (docs/play.md).

The ticket is bound to an app, a group, optionally a room, and optionally a member. A ticket
without a member is a *group ticket*: it names where to play but not who, so it only opens
the page together with a Telegram ``initData`` that says who (server/play/telegram.py).

Why a key of its own: the ticket is signed with HMAC-SHA256 under a key derived from the
server secret for this one purpose (``Auth.derive``), so a launch ticket can never pass as a
player token (server/auth.py) or the other way round, even with the prefix changed.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass

LINK_PREFIX = "cfl_"
KEY_PURPOSE = "play-launch-link"
_SIG_BYTES = 20  # 160 bits of HMAC-SHA256, like player tokens
_SIG_CHARS = 27  # unpadded base64 of 20 bytes
_MAX_TICKET_CHARS = 2000


class LinkRefused(Exception):
    """A ticket that does not open the page; ``code`` is stable (docs/PROTOCOL.md, Errors)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Launch:
    """What a ticket says: where to play, as whom (None: ask Telegram), until when, and which
    API key minted it (``key``, its id: the session it opens ends if that key is revoked)."""

    app: str
    group: str
    room: str | None
    player: str | None
    name: str | None
    expires_at: int
    key: str | None = None


def sign(key: bytes, launch: Launch, *, compact: bool = False) -> str:
    """The ticket. ``compact`` leaves out the "." (the signature has a fixed length), for a
    Telegram direct link's ``startapp`` parameter, which allows only ``A-Za-z0-9_-``."""
    body = {"a": launch.app, "g": launch.group, "r": launch.room, "p": launch.player, "n": launch.name,
            "e": launch.expires_at, "k": launch.key}
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return LINK_PREFIX + _b64(raw) + ("" if compact else ".") + _b64(_mac(key, raw))


def read(key: bytes, ticket: object, now: float) -> Launch:
    """The launch a ticket carries, or LinkRefused: ``link_invalid`` (not ours, altered,
    malformed) or ``link_expired``. The signature is checked before anything is parsed."""
    if not isinstance(ticket, str) or not ticket.startswith(LINK_PREFIX) or len(ticket) > _MAX_TICKET_CHARS:
        raise LinkRefused("link_invalid", "this is not a Campfire play link")
    rest = ticket[len(LINK_PREFIX):]
    body_part, dot, sig_part = rest.partition(".")
    if not dot:  # the compact form
        body_part, sig_part = rest[:-_SIG_CHARS], rest[-_SIG_CHARS:]
    try:
        raw, sig = _unb64(body_part), _unb64(sig_part)
    except ValueError:
        raise LinkRefused("link_invalid", "this play link is damaged (was it cut short when copied?)") from None
    if not body_part or not hmac.compare_digest(sig, _mac(key, raw)):
        raise LinkRefused("link_invalid", "this play link was not made by this server, or it was altered")
    try:
        body = json.loads(raw)
        launch = Launch(app=body["a"], group=body["g"], room=body["r"], player=body["p"], name=body["n"],
                        expires_at=int(body["e"]), key=body.get("k"))
    except (ValueError, KeyError, TypeError):
        raise LinkRefused("link_invalid", "this play link is malformed") from None
    if launch.expires_at < now:
        raise LinkRefused("link_expired", "this play link has expired: ask the bot for a new one")
    return launch


def _mac(key: bytes, raw: bytes) -> bytes:
    return hmac.new(key, raw, hashlib.sha256).digest()[:_SIG_BYTES]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except Exception as exc:  # binascii.Error and friends
        raise ValueError(str(exc)) from None
