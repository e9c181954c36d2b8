"""Song guessing (猜歌): the rules as a specification. Every test passes ``now`` and a seed."""
from __future__ import annotations

import copy
import io
import json
import wave
from pathlib import Path
from typing import Any

import msgpack
import pytest

from games import content as content_pkg
from games import song
from games.base import Content, Event, Refusal, Step
from games.content import builtin_items
from games.melody import clip_seconds, render_wav
from games.registry import get_game

T0 = 1_000_000.0
PLAYERS = ["ann", "bob", "cat", "dan"]


def item(item_id: str, zh: str, en: str, artist: dict[str, Any] | None = None, *,
         aliases: list[str] | None = None, lyrics: list[str] | None = None,
         category: str = "folk") -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": item_id,
        "title": {"zh": zh, "en": en},
        "artist": artist or {"zh": "贝多芬", "en": "Ludwig van Beethoven", "aliases": ["Beethoven"]},
        "aliases": aliases or [],
        "clip": {"notes": "C4 D4 E4 F4 G4/2 G4/2", "tempo": 120},
        "category": category,
        "difficulty": 1,
    }
    if lyrics:
        out["lyrics"] = lyrics
    return out


ODE = item("x1", "欢乐颂", "Ode to Joy", aliases=["An die Freude"], lyrics=["Alle Menschen werden Brüder"])
TIGERS = item("x2", "两只老虎", "Frère Jacques", {"zh": "法国民歌", "en": "traditional (French)"},
              aliases=["Two Tigers"], lyrics=["Sonnez les matines"])
ELISE = item("x3", "致爱丽丝", "Für Elise", category="classical")


def play(items: list[dict[str, Any]], players: list[str] | None = None, seed: int = 7,
         **config: Any) -> Step:
    return song.start(config or None, players or PLAYERS, seed, T0, Content(items=tuple(items)))


def current(state: dict[str, Any]) -> dict[str, Any]:
    return state["songs"][state["index"]]


def kinds(step: Step | Refusal) -> list[str]:
    assert isinstance(step, Step), step
    return [e.kind for e in step.events]


# --- meta and registry --------------------------------------------------------------------


def test_registered_as_song_with_late_join_and_a_fifty_song_memory() -> None:
    game = get_game("song")
    assert game.meta.name == "song"
    assert game.meta.late_join is True
    assert game.meta.content_kind == "song"
    assert game.meta.remember_recent == 50
    assert {f.name: f.default for f in game.meta.config} == {
        "rounds": 5, "round_seconds": 45, "hint_seconds": 10, "base": 1000, "artist_share": 0.3,
        "reveal_seconds": 5, "category": None,
    }


# --- content --------------------------------------------------------------------------------


def test_demo_pack_has_at_least_32_songs_with_opaque_unique_ids() -> None:
    pack = json.loads((Path(content_pkg.__file__).parent / "song_demo.json").read_text(encoding="utf-8"))
    assert pack["campfire_pack"] == 1 and pack["kind"] == "song" and pack["license"] == "CC0-1.0"
    items = builtin_items("song")
    assert len(items) >= 32
    ids = [it["id"] for it in items]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 3 and i[0] == "s" and i[1:].isdigit() for i in ids)


@pytest.mark.parametrize("demo", builtin_items("song"), ids=lambda it: it["id"])
def test_every_demo_item_validates_and_renders_a_short_clip(demo: dict[str, Any]) -> None:
    assert song.validate_item(demo) == []
    seconds = clip_seconds(demo["clip"]["notes"], demo["clip"]["tempo"])
    assert 4 <= seconds <= 16
    with wave.open(io.BytesIO(render_wav(demo["clip"]["notes"], demo["clip"]["tempo"]))) as w:
        assert abs(w.getnframes() / w.getframerate() - seconds) < 0.003


def test_validate_item_reports_every_problem() -> None:
    bad = {
        "id": "has space", "title": {"fr": "x"}, "artist": "nobody", "aliases": ["", 3],
        "clip": {"notes": "C4 H4", "tempo": 120}, "lyrics": [], "category": "", "difficulty": 4, "extra": 1,
    }
    fields = {f for f, _ in song.validate_item(bad)}
    assert fields == {"extra", "id", "title.fr", "title", "artist", "aliases", "clip.notes", "lyrics",
                      "category", "difficulty"}


@pytest.mark.parametrize(
    ("clip", "field"),
    [({"notes": "C4", "tempo": 120}, "clip.notes"),                 # 0.5 s: too short
     ({"notes": "C4/1 " * 9, "tempo": 60}, "clip.notes"),           # 36 s: too long
     ({"notes": "C4 D4 E4 F4 G4", "tempo": 10}, "clip.tempo"),
     ({"notes": "C4 D4 E4 F4 G4", "tempo": "120"}, "clip.tempo"),
     ({"notes": "C4", "tempo": 120, "url": "/a.wav"}, "clip"),
     ({"url": "ftp://x/a.wav"}, "clip.url"),
     ({"file": ""}, "clip.file"),
     ({"url": "https://x/a.mp3", "volume": 3}, "clip.volume")],
)
def test_validate_item_checks_the_clip(clip: dict[str, Any], field: str) -> None:
    bad = dict(ODE, clip=clip)
    assert field in {f for f, _ in song.validate_item(bad)}


def test_an_apps_song_may_leave_out_the_artist_and_use_a_float_tempo() -> None:
    bare = {k: v for k, v in ODE.items() if k != "artist"}
    bare["clip"] = {"notes": "C4 D4 E4 F4 G4/2 G4/2", "tempo": 120.0}
    assert song.validate_item(bare) == []
    state = play([bare], rounds=1).state
    assert [h["kind"] for h in state["hints"]] == ["length", "initials", "lyric"]
    assert isinstance(song.act(state, "ann", {"answer": "Beethoven"}, T0 + 1), Refusal)
    assert kinds(song.act(state, "ann", {"answer": "Ode to Joy"}, T0 + 2))[0] == "reveal"


def test_operator_clips_by_url_or_file_are_valid() -> None:
    assert song.validate_item(dict(ODE, clip={"url": "https://cdn.example/a.mp3", "seconds": 12})) == []
    assert song.validate_item(dict(ODE, clip={"file": "clips/a.ogg"})) == []


def test_a_lyric_line_may_not_give_the_title_away() -> None:
    bad = dict(ODE, lyrics=["and then: Ode to joy!"])
    assert song.validate_item(bad) == [("lyrics[0]", "gives the title away ('Ode to Joy')")]


def test_traditional_is_read_from_either_language() -> None:
    assert song.is_traditional({"zh": "江苏民歌"})
    assert song.is_traditional({"en": "Traditional (Welsh)"})
    assert not song.is_traditional({"zh": "贝多芬", "en": "Ludwig van Beethoven"})


# --- rounds and answers ---------------------------------------------------------------------


def test_a_round_announces_a_clip_url_named_by_the_opaque_id() -> None:
    demo = builtin_items("song")[0]
    step = song.start({"rounds": 1}, PLAYERS, 1, T0, Content(items=(demo,)))
    (event,) = step.events
    assert event.kind == "round" and event.to == "all"
    assert event.data["clip"] == {"url": f"/media/songs/{demo['id']}.wav",
                                  "seconds": pytest.approx(clip_seconds(demo["clip"]["notes"], demo["clip"]["tempo"]),
                                                             abs=0.001)}
    assert event.data["deadline"] == T0 + 45


def test_an_apps_own_melody_is_sent_as_notes_and_its_own_url_as_is() -> None:
    step = play([ODE], rounds=1)
    assert step.events[0].data["clip"] == {"notes": ODE["clip"]["notes"], "tempo": 120, "seconds": 4.0}
    step = play([dict(ODE, clip={"url": "https://cdn.example/x.mp3"})], rounds=1)
    assert step.events[0].data["clip"] == {"url": "https://cdn.example/x.mp3"}


def test_the_first_right_title_takes_the_round_and_reveals_it() -> None:
    state = play([ODE], rounds=1).state
    assert isinstance(song.act(state, "bob", {"answer": "欢乐"}, T0 + 3), Refusal)
    step = song.act(state, "ann", {"answer": "huan le song"}, T0 + 9)
    assert kinds(step) == ["reveal", "finished"]
    reveal = step.events[0].data
    assert reveal["winner"] == "ann" and reveal["reason"] == "won"
    assert reveal["title"] == {"zh": "欢乐颂", "en": "Ode to Joy"}
    assert reveal["artist"] == {"zh": "贝多芬", "en": "Ludwig van Beethoven"}
    late = song.act(state, "bob", {"answer": "欢乐颂"}, T0 + 10)
    assert isinstance(late, Refusal) and late.code == "game_over"


def test_a_second_right_answer_after_the_win_is_too_late_for_that_round() -> None:
    state = play([ODE, ELISE], rounds=2).state
    first = current(state)["title"]["en"]
    song.act(state, "ann", {"answer": first}, T0 + 2)
    again = song.act(state, "bob", {"answer": first}, T0 + 2.5)
    assert isinstance(again, Refusal) and again.code == "wrong_phase"
    assert state["scores"]["bob"] == 0


@pytest.mark.parametrize(("t", "points"), [(0, 1000), (9, 900), (22.5, 750), (45 - 0.001, 500)])
def test_title_points_fall_linearly_to_half_at_the_buzzer(t: float, points: int) -> None:
    state = play([ODE], rounds=1).state
    step = song.act(state, "cat", {"answer": "Ode to Joy"}, T0 + t)
    assert step.events[0].data["points"] == points
    assert state["scores"]["cat"] == points


def test_title_points_formula() -> None:
    assert song.title_points(0, 45, 1000) == 1000
    assert song.title_points(45, 45, 1000) == 500
    assert song.title_points(99, 45, 1000) == 500
    assert song.title_points(-1, 45, 1000) == 1000
    assert song.title_points(10, 40, 800) == 700


def test_aliases_traditional_characters_and_typos_are_accepted() -> None:
    for answer in ["Two Tigers", "兩隻老虎", "liang zhi lao hu", "Frere Jaques"]:
        state = play([TIGERS], rounds=1).state
        assert kinds(song.act(state, "ann", {"answer": answer}, T0 + 1))[0] == "reveal", answer


def test_wrong_answers_are_refused_and_change_nothing() -> None:
    state = play([ODE], rounds=1).state
    before = copy.deepcopy(state)
    refusal = song.act(state, "ann", {"answer": "Jingle Bells"}, T0 + 1)
    assert isinstance(refusal, Refusal) and refusal.code == "wrong_answer"
    assert "欢乐颂" not in json.dumps([refusal.message, refusal.data], ensure_ascii=False)
    assert state == before


def test_a_title_with_its_composer_or_chat_filler_takes_the_round() -> None:
    for answer in ["Ode to Joy by Beethoven", "贝多芬的欢乐颂", "欢乐颂（贝多芬）", "是欢乐颂吧", "I think it's Ode to Joy"]:
        state = play([ODE], rounds=1).state
        assert kinds(song.act(state, "ann", {"answer": answer}, T0 + 1))[0] == "reveal", answer


def test_a_near_miss_is_refused_with_a_private_almost_that_names_nothing() -> None:
    state = play([TIGERS], rounds=1).state
    before = copy.deepcopy(state)
    refusal = song.act(state, "ann", {"answer": "两只老鼠"}, T0 + 1)
    assert isinstance(refusal, Refusal) and refusal.code == "wrong_answer" and refusal.data == {"almost": True}
    assert "老虎" not in json.dumps([refusal.message, refusal.data], ensure_ascii=False)
    assert state == before
    far = song.act(state, "ann", {"answer": "Jingle Bells"}, T0 + 1)
    assert isinstance(far, Refusal) and "almost" not in far.data


@pytest.mark.parametrize(
    ("who", "action", "code"),
    [("zed", {"answer": "x"}, "not_a_player"),
     ("ann", {"answer": ""}, "invalid_action"),
     ("ann", {"answer": 5}, "invalid_action"),
     ("ann", {}, "invalid_action"),
     ("ann", {"skip": "yes"}, "invalid_action"),
     ("ann", {"answer": "x" * 201}, "invalid_answer")],
)
def test_bad_actions_are_refused_before_anything_changes(who: str, action: dict[str, Any], code: str) -> None:
    state = play([ODE], rounds=1).state
    before = copy.deepcopy(state)
    refusal = song.act(state, who, action, T0 + 1)
    assert isinstance(refusal, Refusal) and refusal.code == code
    assert state == before


def test_an_answer_after_the_round_timer_is_too_late() -> None:
    state = play([ODE], rounds=1).state
    refusal = song.act(state, "ann", {"answer": "Ode to Joy"}, T0 + 45)
    assert isinstance(refusal, Refusal) and refusal.code == "too_late"


# --- artist credit ----------------------------------------------------------------------


def test_naming_the_artist_earns_partial_credit_once_per_player_per_round() -> None:
    state = play([ODE], rounds=1).state
    step = song.act(state, "bob", {"answer": "Beethoven"}, T0 + 5)
    assert kinds(step) == ["artist_credit"]
    assert step.events[0].data == {"index": 0, "player": "bob", "points": 300, "score": 300}
    again = song.act(state, "bob", {"answer": "贝多芬"}, T0 + 6)
    assert isinstance(again, Refusal) and again.code == "already_credited"
    assert state["scores"]["bob"] == 300
    assert kinds(song.act(state, "cat", {"answer": "ludwig van beethoven"}, T0 + 7)) == ["artist_credit"]
    assert state["phase"] == "playing"
    # The artist does not end the round; the title still can, and adds to the credit.
    step = song.act(state, "bob", {"answer": "Ode to Joy"}, T0 + 9)
    assert step.events[0].data["artist_credited"] == ["bob", "cat"]
    assert state["scores"] == {"ann": 0, "bob": 300 + 900, "cat": 300, "dan": 0}


def test_artist_credit_uses_the_configured_share() -> None:
    state = play([ODE], rounds=1, artist_share=0.5, base=200).state
    assert song.act(state, "ann", {"answer": "Beethoven"}, T0 + 1).events[0].data["points"] == 100


def test_traditional_songs_give_no_artist_credit() -> None:
    state = play([TIGERS], rounds=1).state
    for answer in ["法国民歌", "traditional (French)", "traditional"]:
        refusal = song.act(state, "ann", {"answer": answer}, T0 + 1)
        assert isinstance(refusal, Refusal) and refusal.code == "wrong_answer"
    assert state["scores"]["ann"] == 0


def test_the_artist_credit_event_does_not_name_the_artist() -> None:
    state = play([ODE], rounds=1).state
    step = song.act(state, "bob", {"answer": "Beethoven"}, T0 + 5)
    text = json.dumps([e.data for e in step.events], ensure_ascii=False)
    assert "Beethoven" not in text and "贝多芬" not in text


# --- hints ---------------------------------------------------------------------------------


def test_hints_come_every_hint_seconds_in_order() -> None:
    state = play([ODE], rounds=1).state
    assert state["deadline"] == T0 + 10
    assert song.tick(state, T0 + 9.99).events == []
    step = song.tick(state, T0 + 10)
    assert [(e.kind, e.data["kind"]) for e in step.events] == [("hint", "artist_initial")]
    assert step.events[0].data == {"index": 0, "n": 1, "kind": "artist_initial", "zh": "贝", "en": "L"}
    assert state["deadline"] == T0 + 20
    assert song.tick(state, T0 + 20).events[0].data == {"index": 0, "n": 2, "kind": "length",
                                                       "zh": "＊＊＊", "en": "＊＊＊ ＊＊ ＊＊＊"}
    assert song.tick(state, T0 + 30).events[0].data == {"index": 0, "n": 3, "kind": "initials",
                                                       "zh": "HLS", "en": "O T J"}
    assert song.tick(state, T0 + 40).events[0].data == {"index": 0, "n": 4, "kind": "lyric",
                                                       "text": "Alle Menschen werden Brüder"}
    assert state["deadline"] == T0 + 45


def test_a_late_tick_releases_every_hint_that_is_due() -> None:
    state = play([ODE], rounds=1).state
    step = song.tick(state, T0 + 31)
    assert [e.data["n"] for e in step.events] == [1, 2, 3]
    assert state["deadline"] == T0 + 40


def test_traditional_songs_hint_tradition_instead_of_an_initial() -> None:
    state = play([TIGERS], rounds=1).state
    assert song.tick(state, T0 + 10).events[0].data["kind"] == "traditional"
    song.tick(state, T0 + 20)
    assert song.tick(state, T0 + 30).events[0].data["zh"] == "LZLH"


def test_hints_that_would_fall_after_the_round_are_not_scheduled() -> None:
    state = play([ODE], rounds=1, round_seconds=25, hint_seconds=10).state
    assert state["hint_times"] == [T0 + 10, T0 + 20]
    song.tick(state, T0 + 10)
    song.tick(state, T0 + 20)
    assert state["deadline"] == T0 + 25


def test_songs_without_lyrics_get_three_hints() -> None:
    state = play([ELISE], rounds=1).state
    assert len(state["hint_times"]) == 3


# --- timeouts, skip votes, next rounds ----------------------------------------------------


def test_the_round_times_out_with_a_reveal_and_no_winner() -> None:
    state = play([ODE, ELISE], rounds=2).state
    song.tick(state, T0 + 40)
    step = song.tick(state, T0 + 45)
    assert kinds(step) == ["reveal"]
    assert step.events[0].data["winner"] is None and step.events[0].data["reason"] == "timeout"
    assert state["deadline"] == T0 + 50
    step = song.tick(state, T0 + 50)
    assert kinds(step) == ["round"] and step.events[0].data["index"] == 1
    assert state["deadline"] == T0 + 60


def test_reveal_seconds_zero_starts_the_next_round_at_once() -> None:
    state = play([ODE, ELISE], rounds=2, reveal_seconds=0).state
    step = song.act(state, "ann", {"answer": current(state)["title"]["zh"]}, T0 + 2)
    assert kinds(step) == ["reveal", "round"]
    assert state["started_at"] == T0 + 2


def test_more_than_half_of_the_players_voting_skip_ends_the_round() -> None:
    state = play([ODE, ELISE], rounds=2).state
    assert kinds(song.act(state, "ann", {"skip": True}, T0 + 1)) == ["skip_vote"]
    again = song.act(state, "ann", {"skip": True}, T0 + 1.5)
    assert isinstance(again, Refusal) and again.code == "already_voted"
    step = song.act(state, "bob", {"skip": True}, T0 + 2)
    assert kinds(step) == ["skip_vote"]
    assert step.events[0].data == {"index": 0, "player": "bob", "votes": 2, "needed": 3}
    step = song.act(state, "cat", {"skip": True}, T0 + 3)
    assert kinds(step) == ["reveal"]
    assert step.events[0].data["reason"] == "skipped" and step.events[0].data["winner"] is None
    assert all(v == 0 for v in state["scores"].values())


def test_typing_skip_in_chat_is_a_vote_unless_it_is_the_title() -> None:
    state = play([ODE, ELISE], rounds=2).state
    assert kinds(song.act(state, "ann", {"answer": "跳过"}, T0 + 1)) == ["skip_vote"]
    assert kinds(song.act(state, "bob", {"answer": "Skip!"}, T0 + 1)) == ["skip_vote"]
    assert kinds(song.act(state, "cat", {"type": "skip"}, T0 + 1)) == ["reveal"]
    titled = item("x9", "跳过", "Skip")
    state = play([titled], rounds=1).state
    assert song.act(state, "ann", {"answer": "skip"}, T0 + 1).events[0].data["winner"] == "ann"


def test_skip_votes_reset_each_round() -> None:
    state = play([ODE, ELISE], rounds=2, reveal_seconds=0).state
    song.act(state, "ann", {"skip": True}, T0 + 1)
    song.act(state, "bob", {"skip": True}, T0 + 1)
    song.act(state, "cat", {"skip": True}, T0 + 1)
    assert kinds(song.act(state, "ann", {"skip": True}, T0 + 2)) == ["skip_vote"]


def test_a_lone_player_can_skip() -> None:
    state = play([ODE, ELISE], players=["ann"], rounds=2).state
    assert kinds(song.act(state, "ann", {"skip": True}, T0 + 1)) == ["reveal"]


def test_late_joiners_play_and_count_toward_the_skip_majority() -> None:
    state = play([ODE], players=["ann", "bob"], rounds=1).state
    assert kinds(song.join(state, "cat", T0 + 1)) == ["joined"]
    assert song.join(state, "cat", T0 + 2).code == "already_joined"  # type: ignore[union-attr]
    song.act(state, "ann", {"skip": True}, T0 + 3)
    assert kinds(song.act(state, "bob", {"skip": True}, T0 + 3)) == ["reveal", "finished"]  # 2 of 3
    assert state["scores"]["cat"] == 0


# --- results --------------------------------------------------------------------------------


def test_result_ranks_scores_and_marks_winners() -> None:
    state = play([ODE, ELISE, TIGERS], rounds=3, reveal_seconds=0).state
    song.act(state, "bob", {"answer": current(state)["title"]["en"]}, T0 + 1)
    song.act(state, "ann", {"answer": current(state)["title"]["en"]}, T0 + 2)
    song.act(state, "bob", {"answer": current(state)["title"]["en"]}, T0 + 3)
    assert state["finished"] and state["deadline"] is None
    res = song.result(state)
    assert res.game == "song"
    by = {p.player: p for p in res.players}
    assert by["bob"].rank == 1 and by["bob"].won and by["bob"].stats["titles"] == 2
    assert by["ann"].rank == 2 and not by["ann"].won
    assert by["cat"].rank == by["dan"].rank == 3 and by["cat"].score == 0 and not by["cat"].won
    assert res.summary["rounds"] == 3


def test_nobody_wins_a_game_where_nobody_scored() -> None:
    state = play([ODE], rounds=1).state
    song.tick(state, T0 + 45)
    assert not any(p.won for p in song.result(state).players)


# --- content choice and the recent window -------------------------------------------------


def test_songs_heard_lately_are_avoided_while_others_remain() -> None:
    demos = builtin_items("song")
    fresh = {it["id"] for it in demos[:5]}
    recent = tuple(it["id"] for it in demos[5:])
    for seed in range(10):
        state = song.start({"rounds": 5}, PLAYERS, seed, T0, Content(items=demos, recent=recent)).state
        assert set(state["content_used"]) == fresh


def test_when_too_few_are_fresh_the_longest_unheard_come_back_first() -> None:
    demos = builtin_items("song")[:6]
    recent = tuple(it["id"] for it in demos[:4])  # newest first: demos[3] is the oldest
    state = song.start({"rounds": 3}, PLAYERS, 3, T0, Content(items=demos, recent=recent)).state
    assert set(state["content_used"]) == {demos[4]["id"], demos[5]["id"], demos[3]["id"]}


def test_a_game_draws_distinct_songs_and_records_them() -> None:
    state = song.start({"rounds": 10}, PLAYERS, 11, T0).state
    assert len(set(state["content_used"])) == 10
    assert state["content_used"] == [s["id"] for s in state["songs"]]


def test_category_filter_and_broken_items_are_skipped() -> None:
    broken = dict(ODE, id="bad", clip={"notes": "nonsense", "tempo": 120})
    state = play([ODE, ELISE, broken], rounds=3, category="classical").state
    assert state["content_used"] == ["x3"]
    with pytest.raises(ValueError, match="no songs"):
        play([ODE], category="opera")


def test_same_seed_same_game() -> None:
    a = song.start({"rounds": 5}, PLAYERS, 42, T0).state
    b = song.start({"rounds": 5}, PLAYERS, 42, T0).state
    assert a == b


# --- secrets ---------------------------------------------------------------------------------


def _secrets(s: dict[str, Any]) -> list[str]:
    names = list(s["title"].values()) + list(s["artist"].values()) + s["aliases"] + s["artist_aliases"]
    return [n for n in names if len(n) >= 2] + [s["title"].get("zh", "")]


def _check_no_leak(state: dict[str, Any], events: list[Event], viewers: list[str | None]) -> None:
    """Nothing of the current song before its reveal, in any event or any view."""
    if state["phase"] != "playing":
        return
    secrets = [x for x in _secrets(current(state)) if x]
    frames = [json.dumps(e.data, ensure_ascii=False) for e in events if e.kind != "reveal"]
    frames += [json.dumps(song.view(state, v), ensure_ascii=False) for v in viewers]
    for frame in frames:
        for secret in secrets:
            assert secret not in frame, f"{secret!r} leaked in {frame}"


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_no_title_artist_or_alias_leaks_before_the_reveal(seed: int) -> None:
    """Plays whole seeded games on the demo pack (hints, artist credit, wrong guesses, skips,
    timeouts, late joins) and checks every event and every view while a song is playing."""
    viewers: list[str | None] = [None, *PLAYERS, "eve"]
    step = song.start({"rounds": 8}, PLAYERS, seed, T0)
    state = step.state
    _check_no_leak(state, step.events, viewers)
    now = T0
    for r in range(8):
        s = current(state)
        script: list[tuple[float, str, dict[str, Any] | None]] = [
            (3, "ann", {"answer": "Jingle Bells" if s["id"] != "s04" else "Silent Night"}),
            (11, "", None),
            (12, "bob", {"answer": (s["artist_aliases"] or list(s["artist"].values()))[0]}),
            (21, "", None),
            (25, "cat", {"skip": True}),
            (31, "", None),
            (33, "", "join"),  # type: ignore[list-item]
        ]
        if r % 3 == 0:
            script.append((38, "dan", {"answer": s["title"].get("en") or s["title"]["zh"]}))
        elif r % 3 == 1:
            script += [(36, "ann", {"skip": True}), (37, "dan", {"skip": True})]
        for dt, who, action in script:
            if state["phase"] != "playing":
                break
            if action == "join":
                out = song.join(state, f"late{r}", now + dt)
                viewers.append(f"late{r}")
            elif action is None:
                out = song.tick(state, now + dt)
            else:
                out = song.act(state, who, action, now + dt)
            if isinstance(out, Step):
                _check_no_leak(state, out.events, viewers)
                if any(e.kind == "reveal" for e in out.events):
                    assert state["last_reveal"]["title"] == s["title"]
        while not state["finished"] and state["phase"] == "playing":
            out = song.tick(state, state["deadline"])
            _check_no_leak(state, out.events, viewers)
        if state["finished"]:
            break
        now = state["deadline"]
        out = song.tick(state, now)
        assert kinds(out) == ["round"]
        _check_no_leak(state, out.events, viewers)
    assert state["finished"]


def test_the_leak_check_itself_catches_a_leak() -> None:
    state = play([ODE], rounds=1).state
    with pytest.raises(AssertionError, match="leaked"):
        _check_no_leak(state, [Event("hint", {"text": "Ode to Joy"})], [None])


def test_view_shows_only_given_hints_and_your_own_status() -> None:
    state = play([ODE], rounds=1).state
    song.tick(state, T0 + 10)
    song.act(state, "bob", {"answer": "Beethoven"}, T0 + 11)
    song.act(state, "cat", {"skip": True}, T0 + 12)
    public = song.view(state, None)
    assert [h["kind"] for h in public["hints"]] == ["artist_initial"]
    assert public["skip_votes"] == 1 and public["skip_needed"] == 3
    assert "you" not in public
    assert song.view(state, "bob")["you"] == {"player": "bob", "score": 300, "artist_credited": True,
                                              "voted_skip": False}
    assert song.view(state, "cat")["you"]["voted_skip"] is True


def test_state_survives_msgpack_and_json_round_trips() -> None:
    state = play([ODE, TIGERS], rounds=2).state
    song.tick(state, T0 + 10)
    song.act(state, "bob", {"answer": "Beethoven"}, T0 + 11)
    assert msgpack.unpackb(msgpack.packb(state), strict_map_key=False) == state
    restored = json.loads(json.dumps(state))
    a = song.act(copy.deepcopy(state), "ann", {"answer": current(state)["title"]["zh"]}, T0 + 12)
    b = song.act(restored, "ann", {"answer": current(state)["title"]["zh"]}, T0 + 12)
    assert isinstance(a, Step) and isinstance(b, Step) and a.events == b.events


def test_every_built_in_song_says_why_it_is_public_domain() -> None:
    import re

    for it in builtin_items("song"):
        basis = it["public_domain"]
        m = re.fullmatch(r"composer died (?:c\. )?(\d{4})", basis)
        assert basis == "traditional" or (m and int(m[1]) <= 1955), (it["id"], basis)
        assert (basis == "traditional") == song.is_traditional(it["artist"]), it["id"]
