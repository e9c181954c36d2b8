"""Who's the Spy through the bridge: private words as DMs, descriptions on your turn,
votes by seat number."""
from __future__ import annotations

import re

from server.clock import ManualClock

MEMBERS = ["alice", "bob", "carol", "dave", "erin"]


async def _open_spy(chat) -> dict[str, str]:
    chat.bridge.game_config["spy"] = {"describe_seconds": 10, "vote_seconds": 10, "guess_seconds": 10,
                                      "blanks": 0, "spies": 1}
    await chat.say("alice", "谁是卧底")
    for m in MEMBERS[1:]:
        await chat.say(m, "加入")
    await chat.expect("5号Erin 加入")
    await chat.say("alice", "开始")
    await chat.expect("词已私聊发给各位")
    words = {}
    for m in MEMBERS:
        dm = await chat.expect("你的词是", private_to=m)
        words[m] = re.search(r"「(.+?)」", dm.text).group(1)
    return words


async def test_each_member_gets_their_word_privately_and_the_group_never_sees_it(chat) -> None:
    words = await _open_spy(chat)
    assert len(set(words.values())) == 2
    public = "\n".join(m.text for m in chat.sent if not m.private)
    assert not any(w in public for w in words.values())


async def test_the_speaker_describes_with_plain_text_and_others_are_ignored(chat) -> None:
    await _open_spy(chat)
    turn = await chat.expect("描述（10 秒）")
    speaker_seat = int(re.search(r"请 (\d)号", turn.text).group(1))
    speaker = MEMBERS[speaker_seat - 1]
    other = next(m for m in MEMBERS if m != speaker)
    assert await chat.say(other, "我觉得是个好东西") == []
    await chat.say(speaker, "这个东西很常见")
    await chat.expect(f"{speaker_seat}号{speaker.capitalize()}：这个东西很常见")


async def test_saying_your_own_word_is_refused_with_a_hint(chat) -> None:
    words = await _open_spy(chat)
    turn = await chat.expect("描述（10 秒）")
    speaker = MEMBERS[int(re.search(r"请 (\d)号", turn.text).group(1)) - 1]
    await chat.say(speaker, f"就是{words[speaker]}啊")
    await chat.expect("描述里不能出现你自己的词")


async def test_votes_by_seat_number_end_in_a_result_and_the_game_finishes(chat, clock: ManualClock) -> None:
    words = await _open_spy(chat)
    spy_word = next(w for w in set(words.values()) if list(words.values()).count(w) == 1)
    spy = next(m for m in MEMBERS if words[m] == spy_word)
    spy_seat = MEMBERS.index(spy) + 1
    for _ in range(5):  # everyone describes in turn
        turn = await chat.expect("描述（10 秒）")
        speaker = MEMBERS[int(re.search(r"请 (\d)号", turn.text).group(1)) - 1]
        await chat.say(speaker, "嗯，我想想怎么说")
    await chat.expect("开始投票")
    voters = [m for m in MEMBERS if m != spy]
    await chat.say(voters[0], f"投{spy_seat}")
    await chat.say(voters[1], f"我投{spy_seat}号")
    await chat.say(voters[2], f"vote {spy_seat}")
    await chat.say(voters[3], f"投 @{spy.capitalize()}", mentions=(spy,))
    await chat.say(spy, "弃权")
    result = await chat.expect("投票结果")
    assert f"{spy_seat}号{spy.capitalize()} 4票" in result.text
    await chat.expect(f"{spy_seat}号{spy.capitalize()} 出局")
    over = await chat.expect("获胜")
    assert "平民获胜" in over.text and spy_word in over.text
    await chat.expect("谁是卧底结束")


async def test_a_vote_for_an_empty_seat_says_so(chat) -> None:
    await _open_spy(chat)
    await chat.say("alice", "投9")
    await chat.expect("没有 9 号")
