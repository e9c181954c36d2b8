"""Clip links that name no song: opaque, signed, short-lived tokens for ``/media/clip/<token>``.

The song game (pure rules) says which demo clip a round plays as ``/media/songs/<id>.wav``.
That id is public in the demo pack, so a link carrying it gives the answer away. Before a
``round`` event is logged, the room runtime passes its data through ``ClipTokens.public_data``,
which swaps that path for ``<public_url>/media/clip/<token>``:

- the token holds the song id *encrypted* (an HMAC-SHA256 keystream over a random nonce,
  encrypt-then-MAC), padded to 16 bytes, so neither the id nor its length shows;
- the nonce is new for every round of every room, so the same song gets a different link
  in each room and a link seen once says nothing about the next game;
- it carries its expiry (``clip_ttl`` seconds) and a 128-bit MAC, so links cannot be forged
  or kept forever;
- the secret lives in the store (``get_secret("media_clips")``), so every node of a cluster
  opens any node's links.

The event keeps the format-free URL plus ``formats`` (what this server can serve):
``<url>.ogg`` (Opus: Telegram voice), ``.mp3``, ``.wav``, ``.silk`` (QQ voice) when the
encoders are installed (server/transcode.py).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from typing import Any

from games.song import MEDIA_PREFIX

CLIP_ROUTE = "/media/clip/"
_VERSION = 1
_NONCE = 8
_TAG = 16
_BLOCK = 16


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class ClipTokens:
    """Mints and opens clip tokens with one secret. ``formats`` are the audio formats this
    server serves (the first is the best for a chat that takes anything)."""

    def __init__(self, secret: bytes, *, ttl: int = 3600, public_url: str = "",
                 formats: tuple[str, ...] = ("wav",)) -> None:
        self._enc = hmac.new(secret, b"campfire clip encryption", hashlib.sha256).digest()
        self._mac = hmac.new(secret, b"campfire clip signature", hashlib.sha256).digest()
        self.ttl = ttl
        self.public_url = public_url.rstrip("/")
        self.formats = formats

    def _stream(self, nonce: bytes, size: int) -> bytes:
        out = b""
        counter = 0
        while len(out) < size:
            out += hmac.new(self._enc, nonce + struct.pack(">I", counter), hashlib.sha256).digest()
            counter += 1
        return out[:size]

    def mint(self, song_id: str, now: float) -> str:
        plain = song_id.encode("utf-8")
        plain = plain.ljust(max(_BLOCK, -(-len(plain) // _BLOCK) * _BLOCK), b"\0")
        nonce = secrets.token_bytes(_NONCE)
        header = struct.pack(">BI", _VERSION, int(now + self.ttl)) + nonce
        cipher = bytes(a ^ b for a, b in zip(plain, self._stream(nonce, len(plain))))
        tag = hmac.new(self._mac, header + cipher, hashlib.sha256).digest()[:_TAG]
        return _b64(header + cipher + tag)

    def open(self, token: str, now: float) -> str | None:
        """The song id in a valid, unexpired token; None for anything else."""
        try:
            raw = _unb64(token)
        except (ValueError, TypeError):
            return None
        head = 5 + _NONCE
        if len(raw) < head + _BLOCK + _TAG or raw[0] != _VERSION:
            return None
        body, tag = raw[:-_TAG], raw[-_TAG:]
        if not hmac.compare_digest(tag, hmac.new(self._mac, body, hashlib.sha256).digest()[:_TAG]):
            return None
        (expires,) = struct.unpack(">I", raw[1:5])
        if now > expires:
            return None
        nonce, cipher = raw[5:head], body[head:]
        plain = bytes(a ^ b for a, b in zip(cipher, self._stream(nonce, len(cipher))))
        try:
            return plain.rstrip(b"\0").decode("utf-8")
        except UnicodeDecodeError:
            return None

    def url(self, song_id: str, now: float) -> str:
        return f"{self.public_url}{CLIP_ROUTE}{self.mint(song_id, now)}"

    def public_data(self, kind: str, data: dict[str, Any], now: float) -> dict[str, Any]:
        """An event's data as it may be logged and sent: a demo clip's path becomes a token link."""
        clip = data.get("clip")
        if kind != "round" or not isinstance(clip, dict):
            return data
        path = clip.get("url")
        if not (isinstance(path, str) and path.startswith(MEDIA_PREFIX) and path.endswith(".wav")):
            return data
        song_id = path[len(MEDIA_PREFIX):-len(".wav")]
        return {**data, "clip": {**clip, "url": self.url(song_id, now), "formats": list(self.formats)}}
