"""The shape of the ``campfire`` command: every option explains itself, every command that
prints data can print it as JSON, and tables stay aligned with Chinese text and emoji."""
from __future__ import annotations

import argparse
from typing import Iterator

from server.cli import build_parser
from server.cli_common import table, width

# Commands that act rather than report: they print a confirmation or a stream, not data.
NO_DATA = {"serve", "play", "apps revoke", "packs validate", "packs import", "packs delete"}


def commands(parser: argparse.ArgumentParser, path: str = "") -> Iterator[tuple[str, argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
    for action in subs:
        for name, child in action.choices.items():
            yield from commands(child, f"{path} {name}".strip())


def test_every_option_and_argument_has_help_text() -> None:
    missing = [f"{path}: {action.dest}" for path, parser in commands(build_parser()) for action in parser._actions
               if not isinstance(action, argparse._HelpAction) and not action.help]
    assert missing == []


def test_every_command_that_prints_data_has_json() -> None:
    without = [path for path, parser in commands(build_parser())
               if path not in NO_DATA and not any("--json" in a.option_strings for a in parser._actions)]
    assert without == []


def test_wide_characters_count_two_columns_and_combining_marks_none() -> None:
    assert width("小明") == 4
    assert width("🔥a") == 3
    assert width("e\u0301") == 1


def test_a_table_with_chinese_names_keeps_its_columns_aligned() -> None:
    lines = table(["member", "score"], [("小明同学", 3), ("bob", 12), ("ｶﾀｶﾅ", 1)]).splitlines()
    ends = {width(line) for line in lines}
    assert ends == {width(lines[0])}  # every line as wide as the header, score right-aligned
