"""Serving the song game's demo clips: ``GET /media/songs/{song_id}.wav``.

The clips are synthesised from the built-in pack's notes by ``games.melody`` (so nobody
else owns the audio) the first time they are asked for, and kept under
``<data_dir>/media/songs/``. Each file is written to a temporary name in the same folder
and moved into place with ``os.replace``, so a reader never sees half a file, and two
requests rendering the same clip at once simply race to an identical result.

A small ``<id>.wav.key`` file beside each clip records what it was rendered from (notes,
tempo, sample rate); when the pack changes, the stale clip is rendered again.

Only built-in demo ids are served: an id is looked up in the pack, never used as a path
on its own, so ``../`` and friends are just unknown songs.
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

SONGS_DIR = ("media", "songs")


@lru_cache(maxsize=1)
def demo_clips() -> dict[str, dict[str, Any]]:
    """Built-in song id -> its notation clip ({"notes", "tempo"})."""
    return {it["id"]: it["clip"] for it in builtin_items("song") if "notes" in it.get("clip", {})}


def clip_path(data_dir: str | os.PathLike[str], song_id: str) -> Path:
    return Path(data_dir, *SONGS_DIR, f"{song_id}.wav")


def _key(clip: dict[str, Any]) -> str:
    text = f"{clip['notes']}|{clip['tempo']}|{SAMPLE_RATE}"
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


def ensure_clip(data_dir: str | os.PathLike[str], song_id: str) -> Path | None:
    """The rendered clip's path (rendering it if missing or stale), or None for an unknown id."""
    clip = demo_clips().get(song_id)
    if clip is None:
        return None
    path = clip_path(data_dir, song_id)
    key_path = path.with_name(path.name + ".key")
    key = _key(clip)
    try:
        if path.stat().st_size > 0 and key_path.read_text(encoding="ascii").strip() == key:
            return path
    except (FileNotFoundError, OSError, UnicodeDecodeError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(path, render_wav(clip["notes"], clip["tempo"]))
    _atomic_write(key_path, key.encode("ascii"))
    return path


def render_all(data_dir: str | os.PathLike[str]) -> list[Path]:
    """Render every demo clip now (at server start), so no player waits for the first one."""
    paths = []
    for song_id in demo_clips():
        path = ensure_clip(data_dir, song_id)
        if path is not None:
            paths.append(path)
    return paths


def media_routes(data_dir: str) -> list[Route]:
    """The routes to mount on the app: one GET per demo clip id."""

    async def song_clip(request: Request) -> Response:
        song_id = request.path_params["song_id"]
        path = await run_in_threadpool(ensure_clip, data_dir, song_id)
        if path is None:
            return JSONResponse(
                {"error": {"code": "unknown_song", "message": f"no demo song with id {song_id!r}"}},
                status_code=404,
            )
        return FileResponse(path, media_type="audio/wav",
                            headers={"Cache-Control": "public, max-age=86400"})

    return [Route("/media/songs/{song_id}.wav", song_clip, methods=["GET"], name="song_clip")]
