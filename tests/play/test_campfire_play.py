"""``campfire play`` in a real pseudo-terminal: one person plays a whole quiz as two members
against the in-process demo server, then checks in."""
from __future__ import annotations

import sys
from pathlib import Path

import pexpect
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _spawn(*args: str) -> pexpect.spawn:
    child = pexpect.spawn(sys.executable, ["-m", "server.cli", "play", "--demo", *args], cwd=str(ROOT),
                          encoding="utf-8", timeout=30, dimensions=(60, 200))
    child.expect("alice> ")
    return child


@pytest.fixture
def zh_child():
    child = _spawn("--set", "quiz.questions=3", "--set", "quiz.reveal_seconds=0")
    yield child
    child.close(force=True)


def test_a_whole_quiz_played_as_two_members_in_a_pseudo_terminal(zh_child: pexpect.spawn) -> None:
    child = zh_child
    child.sendline("答题")
    child.expect("答题开房啦")
    child.expect("1号Alice 加入")
    child.sendline("bob: 加入")
    child.expect("2号Bob 加入（2 人）")
    child.sendline("开始")
    child.expect("答题开始")
    for n in (1, 2, 3):
        child.expect(f"第 {n}/3 题")
        child.sendline("A")        # as alice, the current member
        child.sendline("bob: A")   # as bob, just this once
        child.expect("答案：")
    child.expect("答题结束")
    child.expect("1. ")
    child.sendline("签到")
    child.expect("Alice：签到成功")
    child.sendline("/as bob")
    child.sendline("签到")
    child.expect("Bob：签到成功")
    child.sendline("/quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_an_english_group_and_its_private_messages() -> None:
    child = _spawn("--lang", "en", "--set", "spy.describe_seconds=10")
    try:
        child.sendline("/spy")
        child.expect("Who's the Spy is open")
        for who in ("bob", "carol", "dave"):
            child.sendline(f"{who}: /join")
        child.expect("#4 Dave joined")
        child.sendline("/start")
        for _ in range(4):
            child.expect(rf"\[DM → ({'|'.join(('alice', 'bob', 'carol', 'dave'))})\] (Your word is|You are the blank)")
        child.expect("describe your word")
        child.sendline("/quit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


def test_play_without_a_server_or_demo_explains_itself() -> None:
    out, status = pexpect.run(f"{sys.executable} -m server.cli play", cwd=str(ROOT), withexitstatus=True,
                              encoding="utf-8", timeout=30)
    assert status == 2 and "--demo" in out
