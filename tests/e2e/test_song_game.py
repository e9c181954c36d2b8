"""Name That Tune (猜歌) through the real server and the SDK (issue 4, "Done when"): a
scripted 4-player game with hints on a timer, speed-weighted title points, artist
credit, a skip vote, and a demo clip fetched over HTTP.

The bot learns each round's answer the way a member could (docs/games/song.md, "Secrecy",
known limitation): the demo clip's URL names the song id, looked up in the demo pack.
Points follow the documented formula with T = round_seconds and t = seconds since the
round began: title = round(base × (1 − t / T / 2)), artist = round(base × artist_share).
"""
from __future__ import annotations

from typing import Any

import httpx
import pytest

from games.content import builtin_items
from games.text import fold
from sdk import Client, MoveRefused
from sdk.models import Event
from server.clock import ManualClock
from server.run import EmbeddedServer

MEMBERS = [("u1", "Ann"), ("u2", "Ben"), ("u3", "Cai"), ("u4", "Dee")]
BASE, SHARE, T, HINT_EVERY, REVEAL = 1000, 0.3, 40, 10, 5
DEMO = {item["id"]: item for item in builtin_items("song")}


def title_points(t: float) -> int:
    return round(BASE * (1 - t / T / 2))


@pytest.fixture
def seed_base() -> int:
    return 4



async def arrived(bot: Client) -> list[Event]:
    """Every event already sent: a reply on the same connection comes after them."""
    await bot.ping()
    return bot.pending_events()


def song_of(server: EmbeddedServer, round_event: Event) -> dict[str, Any]:
    """The song a round plays, as only the server can tell: the link names no song."""
    url = round_event.data["clip"]["url"]
    assert url.startswith("/media/clip/")
    song_id = server.services.clips.open(url[len("/media/clip/"):], server.services.clock.now())
    assert song_id is not None
    return DEMO[song_id]


def names(song: dict[str, Any]) -> list[str]:
    return list(song["title"].values()) + song.get("aliases", [])


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def assert_no_title(events: list[Event], song: dict[str, Any]) -> None:
    secret = [fold(n) for n in names(song) if len(fold(n)) >= 2]
    for ev in events:
        for s in strings(ev.data):
            assert not any(n in fold(s) for n in secret), (ev.kind, s, song["title"])


async def test_a_scripted_four_player_song_game_scores_speed_artists_and_skips(
        seeded_server: EmbeddedServer, clock: ManualClock, app_key: str) -> None:
    async with Client(seeded_server.url, app_key) as bot:
        room = await bot.create_room("g1", "song", {
            "rounds": 3, "round_seconds": T, "hint_seconds": HINT_EVERY, "base": BASE,
            "artist_share": SHARE, "reveal_seconds": REVEAL, "category": "classical"})
        for member, name in MEMBERS:
            await bot.join(room.id, member, name)
        await bot.start(room.id)

        # --- round 1: hints at 10 s and 20 s, the artist named, then the title at 24 s
        first = await bot.next_event("round", timeout=5)
        song = song_of(seeded_server, first)
        start = first.data["started_at"]
        assert first.data["hint_times"] == [start + 10, start + 20, start + 30]
        seen: list[Event] = [first]
        await clock.advance(HINT_EVERY - 0.5)
        assert [ev.kind for ev in await arrived(bot)] == []  # nothing before the first hint time
        await clock.advance(0.5)
        hint1 = await arrived(bot)
        assert [(ev.kind, ev.data["n"], ev.data["kind"]) for ev in hint1] == [("hint", 1, "artist_initial")]
        assert hint1[0].data["en"] == song["artist"]["en"][0].upper()
        await clock.advance(HINT_EVERY)
        hint2 = await arrived(bot)
        assert [(ev.kind, ev.data["n"], ev.data["kind"]) for ev in hint2] == [("hint", 2, "length")]
        assert set(hint2[0].data["en"]) <= {"＊", " ", "'", ".", "-"}
        seen += hint1 + hint2
        with pytest.raises(MoveRefused) as wrong:
            await bot.act(room.id, {"answer": "Twinkle Twinkle Little Star"}, player="u4")
        assert wrong.value.code == "wrong_answer"
        await clock.advance(4)  # t = 24 s
        await bot.act(room.id, {"answer": song["artist"]["en"].upper()}, player="u2")
        credit = await bot.next_event("artist_credit", timeout=5)
        assert credit.data == {"index": 0, "player": "u2", "points": round(BASE * SHARE), "score": 300}
        with pytest.raises(MoveRefused) as again:
            await bot.act(room.id, {"answer": song["artist"]["en"]}, player="u2")
        assert again.value.code == "already_credited"
        seen.append(credit)
        assert_no_title(seen + await arrived(bot), song)
        await bot.act(room.id, {"answer": song["title"]["zh"]}, player="u3")
        reveal = await bot.next_event("reveal", timeout=5)
        assert reveal.data["winner"] == "u3" and reveal.data["reason"] == "won"
        assert reveal.data["points"] == title_points(24) == 700 and reveal.data["seconds"] == 24
        assert reveal.data["title"] == song["title"] and reveal.data["artist_credited"] == ["u2"]

        # the demo clip is served by the server as a WAV file
        async with httpx.AsyncClient() as http:
            clip = await http.get(seeded_server.http + first.data["clip"]["url"])
        assert clip.status_code == 200
        assert clip.content[:4] == b"RIFF" and clip.content[8:12] == b"WAVE"
        assert len(clip.content) > 32_000 * 2  # 16 kHz 16-bit mono: more than two seconds

        # --- round 2: one hint, then three of four vote to skip (more than half)
        await clock.advance(REVEAL)
        second = await bot.next_event("round", timeout=5)
        assert second.data["index"] == 1 and second.data["started_at"] == start + 24 + REVEAL
        skipped_song = song_of(seeded_server, second)
        await clock.advance(HINT_EVERY)
        hint = await bot.next_event("hint", timeout=5)
        assert (hint.data["index"], hint.data["n"]) == (1, 1)
        assert_no_title([second, hint], skipped_song)
        await bot.act(room.id, {"skip": True}, player="u1")
        vote = await bot.next_event("skip_vote", timeout=5)
        assert vote.data["votes"] == 1 and vote.data["needed"] == 3
        await bot.act(room.id, {"answer": "跳过"}, player="u2")  # typed in chat: a skip vote
        assert (await bot.next_event("skip_vote", timeout=5)).data["votes"] == 2
        with pytest.raises(MoveRefused) as twice:
            await bot.act(room.id, {"skip": True}, player="u2")
        assert twice.value.code == "already_voted"
        await bot.act(room.id, {"skip": True}, player="u4")
        reveal = await bot.next_event("reveal", timeout=5)
        assert reveal.data["reason"] == "skipped" and reveal.data["winner"] is None and reveal.data["points"] == 0
        assert reveal.data["title"] == skipped_song["title"]

        # --- round 3: the English title, lower case, at 8 s (before any hint)
        await clock.advance(REVEAL)
        third = await bot.next_event("round", timeout=5)
        last_song = song_of(seeded_server, third)
        await clock.advance(8)
        assert [ev.kind for ev in await arrived(bot)] == []
        await bot.act(room.id, {"answer": last_song["title"]["en"].lower()}, player="u1")
        reveal = await bot.next_event("reveal", timeout=5)
        assert reveal.data["winner"] == "u1" and reveal.data["points"] == title_points(8) == 900

        over = await bot.next_event("game_over", timeout=5)
        assert over.result is not None
        expected = {"u1": 900, "u2": 300, "u3": 700, "u4": 0}
        assert {p.player: p.score for p in over.result.players} == expected
        assert [p.player for p in over.result.players] == ["u1", "u3", "u2", "u4"]
        assert over.result.winners == ["u1"]
        assert {p.player: p.stats for p in over.result.players}["u2"] == {"titles": 0, "artists": 1}
        board = await bot.board("g1", game="song")
        assert {e.member: e.score for e in board if e.score} == {m: s for m, s in expected.items() if s}
