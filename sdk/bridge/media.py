"""Song clips for a chat: the link in the format a platform plays, or the bytes to upload.

The server offers each demo clip at one opaque link in several formats (``clip.formats`` in
the ``round`` event; docs/games/song.md): ``<url>.ogg`` (Opus: Telegram voice messages),
``.mp3`` (plays almost everywhere), ``.wav``, and ``.silk`` (QQ voice) when its encoders are
installed. A platform that fetches URLs itself (Telegram, OneBot) gets the link; one that
needs an upload (Discord) fetches the bytes with ``fetch_media``. Standard library only: the
SDK depends on nothing but websockets and msgpack.
"""
from __future__ import annotations

import asyncio
import urllib.request
from typing import Any, Mapping, Sequence

__all__ = ["AUDIO_FORMAT", "clip_link", "fetch_media", "pick_format"]

# What each platform plays as a voice or audio message.
AUDIO_FORMAT: Mapping[str, str] = {
    "telegram": "ogg",   # sendVoice takes OGG/Opus only (core.telegram.org/bots/api#sendvoice)
    "discord": "mp3",    # an attachment Discord plays inline
    "onebot": "silk",    # QQ voice (record); NapCat/go-cqhttp also convert MP3 themselves
}
_FALLBACK = ("mp3", "ogg", "wav")


def pick_format(formats: Sequence[str] | None, wanted: str | None) -> str | None:
    """The best format the server offers for ``wanted``: it if offered, else MP3, OGG, WAV."""
    offered = list(formats or ())
    for fmt in ([wanted] if wanted else []) + list(_FALLBACK):
        if fmt in offered:
            return fmt
    return offered[0] if offered else None


def clip_link(clip: Mapping[str, Any], wanted: str | None) -> tuple[str, str | None] | None:
    """(link, format) for a round's clip; the format is None for an app's own URL (as is)."""
    url = clip.get("url")
    if not isinstance(url, str):
        return None
    fmt = pick_format(clip.get("formats"), wanted) if clip.get("formats") else None
    return (f"{url}.{fmt}", fmt) if fmt else (url, None)


async def fetch_media(url: str, timeout: float = 15.0, max_bytes: int = 20 * 1024 * 1024) -> bytes:
    """The bytes behind a clip link (for platforms that need an upload)."""
    def get() -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": "campfire-sdk"})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (our server's link)
            data = response.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ValueError(f"{url}: more than {max_bytes} bytes")
        return bytes(data)

    return await asyncio.to_thread(get)
