"""Serving the song game's demo clips: ``GET /media/clip/<token>[.ogg|.mp3|.wav|.silk]``.

The link names no song: the token (server/clips.py) is signed, short-lived and opens to a
demo song id only on this server. The format comes from the extension, else from the
``Accept`` header (the first listed type this host can encode), else WAV.

The clips are synthesised from the built-in pack's notes by ``games.melody`` (so nobody
else owns the audio) the first time they are asked for, transcoded when another format is
asked for (server/transcode.py), and kept under ``<data_dir>/media/songs/`` as
``<id>.<format>``. Each file is written to a temporary name in the same folder and moved
into place with ``os.replace``, so a reader never sees half a file, and two requests
rendering the same clip at once simply race to an identical result.

A small ``<id>.<format>.key`` file beside each clip records what it was rendered from
(notes, tempo, sample rate, format); when the pack changes, the stale clip is rendered again.

Only built-in demo ids are served: an id is looked up in the pack, never used as a path
on its own.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from games.content import builtin_items
from games.melody import SAMPLE_RATE, render_wav
from server.transcode import MEDIA_TYPES, FormatUnavailable, available, transcode

SONGS_DIR = ("media", "songs")


@lru_cache(maxsize=1)
def demo_clips() -> dict[str, dict[str, Any]]:
    """Built-in song id -> its notation clip ({"notes", "tempo"})."""
    return {it["id"]: it["clip"] for it in builtin_items("song") if "notes" in it.get("clip", {})}


def clip_path(data_dir: str | os.PathLike[str], song_id: str, fmt: str = "wav") -> Path:
    return Path(data_dir, *SONGS_DIR, f"{song_id}.{fmt}")


def _key(clip: dict[str, Any], fmt: str) -> str:
    text = f"{clip['notes']}|{clip['tempo']}|{SAMPLE_RATE}" + ("" if fmt == "wav" else f"|{fmt}")
    return hashlib.sha256(text.encode()).hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _fresh(path: Path, key: str) -> bool:
    try:
        return path.stat().st_size > 0 and path.with_name(path.name + ".key").read_text(encoding="ascii").strip() == key
    except (FileNotFoundError, OSError, UnicodeDecodeError):
        return False


def ensure_clip(data_dir: str | os.PathLike[str], song_id: str, fmt: str = "wav") -> Path | None:
    """The clip's path in ``fmt`` (rendering and transcoding it if missing or stale), or None
    for an unknown id. Raises FormatUnavailable when this host cannot encode ``fmt``."""
    clip = demo_clips().get(song_id)
    if clip is None:
        return None
    path = clip_path(data_dir, song_id, fmt)
    key = _key(clip, fmt)
    if _fresh(path, key):
        return path
    if fmt == "wav":
        data = render_wav(clip["notes"], clip["tempo"])
    else:
        wav_path = ensure_clip(data_dir, song_id, "wav")
        assert wav_path is not None
        data = transcode(wav_path.read_bytes(), fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(path, data)
    _atomic_write(path.with_name(path.name + ".key"), key.encode("ascii"))
    return path


def render_all(data_dir: str | os.PathLike[str]) -> list[Path]:
    """Render every demo clip now (at server start), so no player waits for the first one."""
    paths = []
    for song_id in demo_clips():
        path = ensure_clip(data_dir, song_id)
        if path is not None:
            paths.append(path)
    return paths


def negotiate(accept: str, formats: tuple[str, ...]) -> str:
    """The first type ``Accept`` lists that this host serves; WAV when none is named."""
    by_type = {MEDIA_TYPES[f]: f for f in formats}
    for part in accept.split(","):
        media_type = part.split(";")[0].strip().lower()
        if media_type in by_type:
            return by_type[media_type]
    return "wav"


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def media_routes(data_dir: str) -> list[Route]:
    """The clip route. Tokens are opened with the app's ``services.clips``."""

    async def clip(request: Request) -> Response:
        name: str = request.path_params["name"]
        token, dot, ext = name.partition(".")
        clips = request.app.state.services.clips
        formats: tuple[str, ...] = clips.formats
        fmt = ext.lower() if dot else negotiate(request.headers.get("accept", ""), formats)
        song_id = clips.open(token, request.app.state.services.clock.now())
        if song_id is None:
            return _error(404, "unknown_clip", "no such clip, or its link has expired")
        if fmt not in MEDIA_TYPES:
            return _error(404, "unknown_format", f"clips come as {', '.join(sorted(MEDIA_TYPES))}")
        if fmt not in formats:
            return _error(406, "format_unavailable",
                          f"this server serves {', '.join(formats)}; {fmt} needs the 'media' extra (PyAV)")
        try:
            path = await run_in_threadpool(ensure_clip, data_dir, song_id, fmt)
        except FormatUnavailable:
            return _error(406, "format_unavailable", f"this server cannot encode {fmt}")
        if path is None:
            return _error(404, "unknown_clip", "no such clip, or its link has expired")
        return FileResponse(path, media_type=MEDIA_TYPES[fmt], headers={"Cache-Control": "private, max-age=600"})

    return [Route("/media/clip/{name}", clip, methods=["GET"], name="clip")]


__all__ = ["available", "clip_path", "demo_clips", "ensure_clip", "media_routes", "negotiate", "render_all"]
