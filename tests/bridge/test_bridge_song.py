"""Name That Tune through the bridge: the clip as an attachment, titles typed as plain text,
hints, skip votes."""
from __future__ import annotations

from server.clock import ManualClock


async def _start_song(chat, rounds: int = 1) -> None:
    chat.bridge.game_config["song"] = {"rounds": rounds, "round_seconds": 30, "hint_seconds": 10,
                                       "reveal_seconds": 0}
    chat.bridge.renderer.media_base = "http://campfire.example"
    await chat.say("alice", "猜歌")
    await chat.say("alice", "开始")


async def test_a_round_posts_the_clip_link_and_a_right_title_wins(chat, server) -> None:
    await _start_song(chat)
    msg = await chat.expect("第 1/1 首")
    assert msg.attachment and msg.attachment.startswith("http://campfire.example/media/clip/")
    assert msg.attachment.endswith(".mp3") and msg.attachment_type == "mp3"
    assert msg.attachment in msg.text
    room = chat.bridge.state("g1").room
    title = server.services.rooms.rooms[room].data["state"]["songs"][0]["title"]["zh"]
    assert await chat.say("alice", "完全不对的歌名xyz") == []  # wrong guesses stay quiet
    await chat.say("alice", title)
    await chat.expect(f"答案：{title}")
    await chat.expect("1号Alice 猜中")
    await chat.expect("猜歌结束")


async def test_a_telegram_bridge_attaches_the_clip_as_ogg_opus(chat, server) -> None:
    chat.bridge.audio_format = chat.bridge.renderer.audio_format = "ogg"
    await _start_song(chat)
    msg = await chat.expect("第 1/1 首")
    assert msg.attachment is not None and msg.attachment.endswith(".ogg") and msg.attachment_type == "ogg"
    room = chat.bridge.state("g1").room
    song_id = server.services.rooms.rooms[room].data["state"]["songs"][0]["id"]
    assert f"/{song_id}." not in msg.text and "/media/songs/" not in msg.text


async def test_hints_come_on_the_timer_and_a_stranger_can_guess(chat, clock: ManualClock) -> None:
    await _start_song(chat)
    await chat.expect("第 1/1 首")
    await clock.advance(10)
    await chat.expect("提示 1：")
    await chat.say("bob", "我猜是这首吧")  # bob joins by guessing, without a join message
    assert "Bob" in dict(chat.bridge.state("g1").seats).values()
    await clock.advance(25)
    await chat.expect("时间到，没人猜中")


async def test_skip_votes_end_the_round(chat) -> None:
    await _start_song(chat)
    await chat.expect("第 1/1 首")
    await chat.say("alice", "跳过")
    await chat.expect("已跳过")
