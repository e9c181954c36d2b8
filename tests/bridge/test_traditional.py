"""Traditional Chinese in the bridge: commands typed in traditional characters are understood,
and a group whose setting is traditional is answered in traditional characters."""
from __future__ import annotations

import importlib

import pytest
from opencc import OpenCC

from sdk.bridge import COMMANDS, parse
from sdk.bridge.commands import help_text
from sdk.bridge.render import TITLES
from sdk.bridge.templates import DEFAULTS

CONVERTERS = {name: OpenCC(name) for name in ("s2t", "s2tw", "s2hk")}


@pytest.mark.parametrize("conversion", sorted(CONVERTERS))
def test_every_command_word_typed_in_traditional_is_the_same_command(conversion: str) -> None:
    to_traditional = CONVERTERS[conversion].convert
    for command in COMMANDS:
        for word in command.zh:
            typed = to_traditional(word)
            if command.arg in (None, "optional"):
                assert parse(typed) == parse(word), (word, typed)
            else:
                example = {"seat": " 3号", "day": " 11-20", "text": " 苹果"}[command.arg]
                assert parse(to_traditional(word + example)).action == command.action, (word, typed)


def test_the_traditional_tables_are_the_simplified_ones_converted() -> None:
    hant = importlib.import_module("sdk.bridge.hant")
    convert = OpenCC("s2tw").convert
    assert hant.TEMPLATES == {k: convert(v) for k, v in DEFAULTS["zh"].items()}
    assert hant.TITLES == {k: convert(v) for k, v in TITLES["zh"].items()}
    assert {c.action: help_text(c, "zh-Hant") for c in COMMANDS} == {c.action: convert(c.help_zh) for c in COMMANDS}


async def test_a_traditional_checkin_is_understood_and_answered_in_the_groups_script(chat) -> None:
    await chat.bridge.client.set_group("g1", {"lang": "zh", "script": "traditional"})
    chat.bridge.group_lang.pop("g1", None)
    chat.bridge._settings_read.discard("g1")
    await chat.say("alice", "簽到")
    reply = await chat.expect("Alice：簽到成功")
    assert "签" not in reply.text


async def test_a_simplified_group_gets_simplified_replies_to_traditional_commands(chat) -> None:
    await chat.say("alice", "幫助")
    await chat.expect("可用命令")


async def test_save_lang_makes_the_group_setting_that_a_new_bridge_reads(chat, new_chat) -> None:
    await chat.bridge.save_lang("g1", "zh-Hant")
    assert await chat.bridge.client.group("g1") == {"lang": "zh", "script": "traditional"}
    other = await new_chat("g1")
    await other.say("bob", "答題")
    await other.expect("答題開房啦")
