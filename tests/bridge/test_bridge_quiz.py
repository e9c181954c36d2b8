"""A quiz run entirely from group chat through the bridge, against a real server."""
from __future__ import annotations

from server.clock import ManualClock
from server.store import Store

CHOICES = [
    {"id": f"t-choice-{n}", "lang": "zh", "type": "choice", "category": "测试", "difficulty": 1,
     "question": f"{n} 加 {n} 等于几？", "choices": [str(2 * n), str(2 * n + 1), str(2 * n + 2)],
     "answer": 0, "explanation": f"{n} + {n} = {2 * n}。"}
    for n in range(1, 6)
]


async def _app_of(store: Store) -> str:
    apps = await store.list_apps()
    assert len(apps) == 1
    return apps[0].id


async def test_a_group_opens_joins_starts_and_answers_a_quiz_in_chinese(chat, clock: ManualClock) -> None:
    await chat.say("alice", "答题")
    await chat.expect("答题开房啦")
    await chat.expect("1号Alice 加入")
    await chat.say("bob", "加入")
    await chat.expect("2号Bob 加入（2 人）")
    await chat.say("alice", "开始")
    await chat.expect("答题开始")
    for n in range(1, 4):
        question = await chat.expect(f"第 {n}/3 题")
        if "\nA. " in question.text:
            await chat.say("alice", "A")
            await chat.say("bob", "2")
        else:
            await chat.say("alice", "不知道")
            await chat.say("bob", "随便")
        await chat.expect("答案：")
        await clock.advance(3)
    over = await chat.expect("答题结束")
    assert "1. " in over.text and "Alice" in over.text and "Bob" in over.text


async def test_a_second_answer_is_refused_with_a_reply(chat, clock: ManualClock) -> None:
    await chat.say("alice", "/quiz")
    await chat.say("bob", "加入")
    await chat.expect("2号Bob")
    await chat.say("alice", "开始")
    await chat.expect("第 1/3 题")
    await chat.say("alice", "A")
    await chat.say("alice", "B")
    await chat.expect("每题只能答一次")


async def test_a_member_outside_the_room_who_answers_a_choice_joins_the_quiz(chat, bot, store: Store,
                                                                          clock: ManualClock) -> None:
    # The app's own pack holds only choice questions, so the first question is one.
    app = await _app_of(store)
    await store.put_pack(app, "quiz", "choices-only", CHOICES, clock.now())
    await chat.say("alice", "答题")
    await chat.say("alice", "开始")
    q = await chat.expect("题（")
    assert "\nA. " in q.text
    await chat.say("carol", "a")  # a stranger answering a choice joins the running quiz
    await chat.expect("2号Carol 中途加入")


async def test_chatter_from_a_stranger_during_a_question_is_ignored(chat, bot, clock: ManualClock) -> None:
    await chat.say("alice", "答题")
    await chat.say("alice", "开始")
    await chat.expect("第 1/3 题")
    replies = await chat.say("dave", "今天天气真好啊")
    assert replies == []
    room = chat.bridge.state("g1").room
    assert [m.player for m in (await bot.room(room)).players] == ["alice"]


async def test_a_second_game_cannot_open_while_one_is_live(chat) -> None:
    await chat.say("alice", "答题")
    await chat.expect("开房啦")
    await chat.say("bob", "谁是卧底")
    await chat.expect("群里已经有一局答题了")


async def test_commands_without_a_room_say_how_to_open_one(chat) -> None:
    await chat.say("alice", "开始")
    await chat.expect("现在没有开着的游戏")


async def test_stop_closes_the_room(chat) -> None:
    await chat.say("alice", "答题")
    await chat.expect("开房啦")
    await chat.say("alice", "结束游戏")
    await chat.expect("本局已关闭")
    await chat.say("alice", "答题")
    await chat.expect("开房啦")


async def test_an_english_group_plays_in_english(en_chat, clock: ManualClock) -> None:
    chat = en_chat
    await chat.say("alice", "/quiz")
    await chat.expect("Quiz is open")
    await chat.say("bob", "/join")
    await chat.expect("#2 Bob joined")
    await chat.say("alice", "/start")
    await chat.expect("Question 1/2")
    await clock.advance(25)
    await chat.expect("Answer:")
    await clock.advance(3)
    await chat.expect("Question 2/2")
    await clock.advance(25)
    await chat.expect("Quiz is over")


async def test_a_restarted_bot_picks_up_the_running_quiz(chat, new_chat) -> None:
    await chat.say("alice", "答题")
    await chat.say("bob", "加入")
    await chat.say("alice", "开始")
    await chat.expect("第 1/3 题")
    fresh = await new_chat()  # the bot came back with no memory of the room
    await fresh.say("bob", "A")
    await fresh.say("alice", "B")
    await fresh.expect("答案：")  # both answers counted, so the question closed early
