"""Line-aware reading of a JSON pack.

``json.loads`` throws positions away, but an operator fixing a 3,000-item file needs to
know that the bad question starts on line 1,204. So the envelope object is walked here
with ``JSONDecoder.raw_decode``: each value is decoded by the standard library (no
home-made JSON grammar), and we only note the offset where each element of ``items``
begins and turn offsets into line numbers. Duplicate keys, which ``json`` silently lets
the last one win, are noted too, per item.
"""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from typing import Any

from server.packs.problems import Problem

_WS = re.compile(r"[ \t\n\r]*")


@dataclass(slots=True)
class JsonItem:
    line: int
    value: Any
    duplicate_keys: list[str] = field(default_factory=list)


@dataclass(slots=True)
class JsonPack:
    envelope: dict[str, Any] = field(default_factory=dict)  # every top-level key except a list "items"
    key_lines: dict[str, int] = field(default_factory=dict)
    items: list[JsonItem] | None = None  # None when there is no "items" array
    problems: list[Problem] = field(default_factory=list)
    broken: bool = False  # a syntax error: what was read before it is not to be trusted


class _NotJson(ValueError):
    """A NaN/Infinity literal: Python accepts them, JSON (and other readers of a pack) do not."""


def _reject_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not valid JSON")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.duplicates: list[str] = []
        self.decoder = json.JSONDecoder(object_pairs_hook=self._object, parse_constant=_reject_constant)

    def _object(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out and key not in self.duplicates:
                self.duplicates.append(key)
            out[key] = value
        return out

    def line_of(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1

    def skip(self, pos: int) -> int:
        match = _WS.match(self.text, pos)
        assert match is not None
        return match.end()

    def fail(self, message: str, pos: int) -> None:
        raise json.JSONDecodeError(message, self.text, pos)

    def value(self, pos: int) -> tuple[Any, int, list[str]]:
        self.duplicates = []
        try:
            value, end = self.decoder.raw_decode(self.text, pos)
        except _NotJson as exc:
            raise json.JSONDecodeError(str(exc), self.text, pos) from None
        return value, end, self.duplicates


def scan(text: str) -> JsonPack:
    """Read a pack's JSON text; a syntax error becomes one problem naming its line and column."""
    if text.startswith("\ufeff"):
        text = text[1:]
    out = JsonPack()
    s = _Scanner(text)
    try:
        _scan_envelope(s, out)
    except json.JSONDecodeError as exc:
        out.problems.append(Problem("line", exc.lineno, "json",
                                    f"not valid JSON: {exc.msg} (column {exc.colno}); nothing else was checked"))
        out.items = None
        out.broken = True
    return out


def _scan_envelope(s: _Scanner, out: JsonPack) -> None:
    text = s.text
    pos = s.skip(0)
    if pos == len(text):
        out.problems.append(Problem("file", None, "json", "the file is empty"))
        return
    if text[pos] != "{":
        s.value(pos)  # a syntax error is reported as such; valid JSON of the wrong shape below
        out.problems.append(Problem("line", s.line_of(pos), "pack", "must be a JSON object (the pack envelope)"))
        return
    pos = s.skip(pos + 1)
    if text.startswith("}", pos):
        pos += 1
    else:
        while True:
            key_at = pos
            if not text.startswith('"', pos):
                s.fail("Expecting property name enclosed in double quotes", pos)
            key, pos, _ = s.value(pos)
            pos = s.skip(pos)
            if not text.startswith(":", pos):
                s.fail("Expecting ':' delimiter", pos)
            pos = s.skip(pos + 1)
            if key in out.key_lines:
                out.problems.append(Problem("line", s.line_of(key_at), key,
                                            "appears more than once in the envelope (the last one would win)"))
            out.key_lines[key] = s.line_of(key_at)
            if key == "items" and text.startswith("[", pos):
                out.items, pos = _scan_items(s, pos)
                out.envelope.pop("items", None)
            else:
                value, pos, dups = s.value(pos)
                out.envelope[key] = value
                if key == "items":
                    out.items = None
            pos = s.skip(pos)
            if text.startswith(",", pos):
                pos = s.skip(pos + 1)
                continue
            if text.startswith("}", pos):
                pos += 1
                break
            s.fail("Expecting ',' delimiter", pos)
    pos = s.skip(pos)
    if pos != len(text):
        s.fail("Extra data", pos)


def _scan_items(s: _Scanner, pos: int) -> tuple[list[JsonItem], int]:
    text = s.text
    items: list[JsonItem] = []
    pos = s.skip(pos + 1)
    if text.startswith("]", pos):
        return items, pos + 1
    while True:
        start = pos
        value, pos, dups = s.value(pos)
        items.append(JsonItem(s.line_of(start), value, list(dups)))
        pos = s.skip(pos)
        if text.startswith(",", pos):
            pos = s.skip(pos + 1)
            continue
        if text.startswith("]", pos):
            return items, pos + 1
        s.fail("Expecting ',' delimiter", pos)
