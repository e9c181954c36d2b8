"""Song clips for real chats: links that name no song (signed, per room, short-lived), served
as OGG/Opus, MP3, WAV and SILK, negotiated by extension or Accept, cached under data_dir."""
from __future__ import annotations

import io
from pathlib import Path

import av
import httpx
import pytest

from games.content import builtin_items
from games.melody import render_wav
from sdk import Client
from server.clips import ClipTokens
from server.clock import ManualClock
from server.media import ensure_clip, negotiate, render_all
from server.run import EmbeddedServer

DEMO = {it["id"]: it for it in builtin_items("song")}
SECRET = b"k" * 32


def test_a_token_opens_to_its_song_and_names_nothing() -> None:
    tokens = ClipTokens(SECRET)
    token = tokens.mint("s07", now=1000)
    assert tokens.open(token, now=1000) == "s07"
    assert "s07" not in token and len(token) < 80


def test_the_same_song_gets_a_new_link_every_time() -> None:
    tokens = ClipTokens(SECRET)
    assert tokens.mint("s07", 0) != tokens.mint("s07", 0)


def test_ids_of_different_lengths_make_tokens_of_the_same_length() -> None:
    tokens = ClipTokens(SECRET)
    assert len(tokens.mint("a", 0)) == len(tokens.mint("s1234567", 0))


def test_a_token_expires_after_the_ttl() -> None:
    tokens = ClipTokens(SECRET, ttl=60)
    token = tokens.mint("s01", now=1000)
    assert tokens.open(token, now=1060) == "s01"
    assert tokens.open(token, now=1061) is None


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if t[-2:] != "AA" else "BB"),  # the signature
    lambda t: t[:10] + ("x" if t[10] != "x" else "y") + t[11:],  # the expiry or nonce
    lambda t: t[:20],
    lambda t: "not base64!",
    lambda t: "",
])
def test_a_forged_or_damaged_token_opens_to_nothing(mangle) -> None:
    tokens = ClipTokens(SECRET)
    assert tokens.open(mangle(tokens.mint("s01", 0)), 0) is None


def test_another_servers_token_opens_to_nothing() -> None:
    assert ClipTokens(b"a" * 32).open(ClipTokens(b"b" * 32).mint("s01", 0), 0) is None


def test_only_a_demo_round_clip_is_rewritten_with_the_public_url() -> None:
    tokens = ClipTokens(SECRET, public_url="https://cf.example.com/", formats=("ogg", "wav"))
    data = tokens.public_data("round", {"clip": {"url": "/media/songs/s01.wav", "seconds": 9}, "index": 0}, 0)
    url = data["clip"]["url"]
    assert url.startswith("https://cf.example.com/media/clip/") and "s01" not in url
    assert data["clip"]["formats"] == ["ogg", "wav"] and data["clip"]["seconds"] == 9
    own = {"clip": {"url": "https://my.cdn/x.mp3"}}
    assert tokens.public_data("round", own, 0) == own
    assert tokens.public_data("hint", {"clip": {"url": "/media/songs/s01.wav"}}, 0)["clip"]["url"].startswith("/media/songs")


@pytest.mark.parametrize("accept, fmt", [
    ("audio/ogg", "ogg"), ("audio/webm, audio/mpeg;q=0.9, */*", "mp3"), ("*/*", "wav"), ("", "wav"),
    ("audio/silk", "silk"),
])
def test_accept_picks_the_first_listed_format_served(accept: str, fmt: str) -> None:
    assert negotiate(accept, ("ogg", "mp3", "wav", "silk")) == fmt


def test_clips_are_cached_per_format_and_rendered_again_when_stale(tmp_path: Path) -> None:
    song_id = next(iter(DEMO))
    ogg = ensure_clip(tmp_path, song_id, "ogg")
    assert ogg is not None and ogg.parent == tmp_path / "media" / "songs"
    mtime = ogg.stat().st_mtime_ns
    assert ensure_clip(tmp_path, song_id, "ogg") == ogg and ogg.stat().st_mtime_ns == mtime
    ogg.with_name(ogg.name + ".key").write_text("another melody", encoding="ascii")
    ogg.write_bytes(b"old")
    assert ensure_clip(tmp_path, song_id, "ogg") == ogg and ogg.read_bytes()[:4] == b"OggS"


def test_render_all_prerenders_every_demo_clip(tmp_path: Path) -> None:
    paths = render_all(tmp_path)
    assert sorted(p.stem for p in paths) == sorted(DEMO)
    assert all(p.stat().st_size > 44 for p in paths)


async def _round_clip(server: EmbeddedServer, app_key: str) -> dict:
    async with Client(server.url, app_key) as bot:
        room = await bot.create_room("g1", "song", {"rounds": 1})
        await bot.join(room.id, "u1", "Ann")
        await bot.start(room.id)
        return (await bot.next_event("round", timeout=5)).data["clip"]


async def test_a_round_links_its_clip_by_token_and_every_format_plays(server: EmbeddedServer, app_key: str) -> None:
    clip = await _round_clip(server, app_key)
    assert clip["url"].startswith("/media/clip/") and clip["formats"] == ["ogg", "mp3", "wav", "silk"]
    song_id = server.services.clips.open(clip["url"].rsplit("/", 1)[1], server.services.clock.now())
    wav = render_wav(DEMO[song_id]["clip"]["notes"], DEMO[song_id]["clip"]["tempo"])
    async with httpx.AsyncClient(base_url=server.http) as http:
        got = {fmt: await http.get(f"{clip['url']}.{fmt}") for fmt in clip["formats"]}
        by_accept = await http.get(clip["url"], headers={"Accept": "audio/ogg"})
    assert {f: r.status_code for f, r in got.items()} == dict.fromkeys(clip["formats"], 200)
    assert got["wav"].content == wav and got["wav"].headers["content-type"] == "audio/wav"
    assert got["silk"].content[:10] == b"\x02#!SILK_V3"
    assert by_accept.headers["content-type"] == "audio/ogg" and by_accept.content == got["ogg"].content
    for fmt, codec in (("ogg", "opus"), ("mp3", "mp3")):
        assert got[fmt].headers["content-type"] == {"ogg": "audio/ogg", "mp3": "audio/mpeg"}[fmt]
        with av.open(io.BytesIO(got[fmt].content)) as container:
            stream = container.streams.audio[0]
            assert stream.codec_context.name.startswith(codec)
            assert container.duration / 1e6 == pytest.approx(len(wav) / 32_000, abs=0.2)


async def test_an_expired_or_unknown_clip_link_is_a_404_with_a_stable_code(
        server: EmbeddedServer, app_key: str, clock: ManualClock) -> None:
    clip = await _round_clip(server, app_key)
    async with httpx.AsyncClient(base_url=server.http) as http:
        await clock.advance(server.services.settings.clip_ttl + 1)
        expired = await http.get(clip["url"] + ".ogg")
        unknown = await http.get("/media/clip/AAAA.ogg")
    assert expired.status_code == unknown.status_code == 404
    assert expired.json()["error"]["code"] == unknown.json()["error"]["code"] == "unknown_clip"


async def test_a_format_this_host_cannot_encode_is_refused_clearly(server: EmbeddedServer, app_key: str) -> None:
    clip = await _round_clip(server, app_key)
    server.services.clips.formats = ("wav",)  # a host without the media extra
    async with httpx.AsyncClient(base_url=server.http) as http:
        refused = await http.get(clip["url"] + ".ogg")
        odd = await http.get(clip["url"] + ".flac")
    assert refused.status_code == 406 and refused.json()["error"]["code"] == "format_unavailable"
    assert "media" in refused.json()["error"]["message"]
    assert odd.status_code == 404 and odd.json()["error"]["code"] == "unknown_format"


async def test_the_sdk_fetches_a_clip_in_the_format_its_platform_plays(server: EmbeddedServer, app_key: str) -> None:
    from sdk.bridge import AUDIO_FORMAT, clip_link, fetch_media

    clip = await _round_clip(server, app_key)
    link = clip_link(clip, AUDIO_FORMAT["telegram"])
    assert link is not None and link[1] == "ogg"
    assert (await fetch_media(server.http + link[0]))[:4] == b"OggS"
