"""API keys for apps (bots) and short-lived player tokens for members.

Keys are random, shown once, and stored only as a SHA-256 hash: a leaked database does
not leak working keys. Player tokens are self-contained and HMAC-signed with a secret kept
in the store, so any node can verify them without a lookup and a restart keeps them valid.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from server.protocol import ProtocolError
from server.store import AppRecord, KeyRecord, Store

KEY_PREFIX = "cf_"
# A read-only operator key: the mark is part of the key, so it is covered by the stored hash
# and cannot be removed from a key without making it a different (unknown) key.
READ_ONLY_PREFIX = "cf_ro_"
TOKEN_PREFIX = "cfp_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_id(key_hash: str) -> str:
    """A short public id of a key, carried inside the member tokens it mints: a prefix of the
    key's hash (which is not secret: it does not give the key back)."""
    return key_hash[:16]


def new_key(read_only: bool = False) -> str:
    return (READ_ONLY_PREFIX if read_only else KEY_PREFIX) + secrets.token_urlsafe(30)


def new_id(prefix: str) -> str:
    return prefix + secrets.token_hex(6)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is on the other end of a connection or request."""

    app: str
    role: str  # "bot" (an app key) or "player" (a player token)
    group: str | None = None  # players only: the one group their token is for
    player: str | None = None
    name: str | None = None
    # The key this credential rests on (its id: ``key_id``): the bot's own key, or the key that
    # minted a member's token. Revoking that key ends both (server/credentials.py).
    key: str | None = None
    expires: float | None = None  # players only: when the token expires
    read_only: bool = False  # a read-only operator key: reads all of its app, changes nothing
    key_prefix: str | None = None  # bots: the first characters of the key used (for logs)

    @property
    def is_bot(self) -> bool:
        return self.role == "bot"


async def create_app(store: Store, name: str, now: float | None = None,
                     settings: dict[str, Any] | None = None) -> tuple[AppRecord, str]:
    """Create an app and its first key. The plain key is returned once and never stored."""
    now = time.time() if now is None else now
    app = AppRecord(new_id("app_"), name, now, settings or {})
    await store.create_app(app)
    key = await add_key(store, app.id, now)
    return app, key


async def add_key(store: Store, app_id: str, now: float | None = None, read_only: bool = False) -> str:
    key = new_key(read_only)
    now = time.time() if now is None else now
    await store.add_key(KeyRecord(hash_key(key), app_id, key[:8], now))
    return key


class Auth:
    def __init__(self, store: Store, secret: bytes) -> None:
        self.store = store
        self._secret = secret

    @classmethod
    async def load(cls, store: Store) -> "Auth":
        return cls(store, await store.get_secret("player_tokens", secrets.token_bytes(32)))

    async def bot(self, key: str) -> Principal:
        if not isinstance(key, str) or not key.startswith(KEY_PREFIX) or len(key) > 200:
            raise ProtocolError("unauthorized", "that is not a Campfire API key", fatal=True)
        record = await self.store.find_key(hash_key(key))
        if record is None:
            raise ProtocolError("unauthorized", "unknown API key", fatal=True)
        if record.revoked_at is not None:
            raise ProtocolError("key_revoked", "this API key has been revoked", fatal=True)
        return Principal(app=record.app, role="bot", key=key_id(record.key_hash),
                         read_only=key.startswith(READ_ONLY_PREFIX), key_prefix=record.prefix)

    async def key_live(self, app: str, kid: str) -> bool:
        """Whether the app's key with this id exists and is not revoked."""
        for record in await self.store.list_keys(app):
            if key_id(record.key_hash) == kid:
                return record.revoked_at is None
        return False

    def derive(self, purpose: str) -> bytes:
        """A key for one other signing purpose (launch links, server/play/links.py), derived
        from the server secret, so no two kinds of signed ticket can stand in for each other."""
        return hmac.new(self._secret, b"campfire/" + purpose.encode(), hashlib.sha256).digest()

    def mint(self, app: str, group: str, player: str, name: str | None, ttl: int, now: float,
             kid: str | None = None) -> str:
        """A member token; ``kid`` is the id of the key minting it, so revoking that key ends it."""
        body: dict[str, Any] = {"a": app, "g": group, "p": player, "n": name, "e": int(now + ttl)}
        if kid is not None:
            body["k"] = kid
        raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        sig = hmac.new(self._secret, raw, hashlib.sha256).digest()[:20]
        return TOKEN_PREFIX + _b64(raw) + "." + _b64(sig)

    async def player(self, token: str, now: float) -> Principal:
        """A member from their token: signature, expiry, and the minting key still valid.
        (Tokens minted before tokens carried their key's id are accepted until they expire.)"""
        p = self.verify(token, now)
        if p.key is not None and not await self.key_live(p.app, p.key):
            raise ProtocolError("key_revoked", "the key that minted this player token has been revoked", fatal=True)
        return p

    def verify(self, token: str, now: float) -> Principal:
        """Signature and expiry only (no store read)."""
        if not isinstance(token, str) or not token.startswith(TOKEN_PREFIX) or len(token) > 2000:
            raise ProtocolError("unauthorized", "that is not a Campfire player token", fatal=True)
        try:
            body_part, sig_part = token[len(TOKEN_PREFIX):].split(".", 1)
            raw, sig = _unb64(body_part), _unb64(sig_part)
        except ValueError:
            raise ProtocolError("unauthorized", "malformed player token", fatal=True) from None
        expected = hmac.new(self._secret, raw, hashlib.sha256).digest()[:20]
        if not hmac.compare_digest(sig, expected):
            raise ProtocolError("unauthorized", "player token signature does not match", fatal=True)
        body = json.loads(raw)
        if body["e"] < now:
            raise ProtocolError("unauthorized", "player token has expired", fatal=True)
        return Principal(app=body["a"], role="player", group=body["g"], player=body["p"], name=body.get("n"),
                         key=body.get("k"), expires=float(body["e"]))


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except Exception as exc:
        raise ValueError(str(exc)) from None
