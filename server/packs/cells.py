"""Turning spreadsheet cells into item values.

CSV gives strings; openpyxl gives str, int, float, bool, datetime or None. An operator's
"3" and Excel's 3.0 must both become the difficulty 3, and a year typed as a number
(1949) must still be a text answer "1949". A value that cannot be converted is passed on
unchanged, so the game's validator reports it with its own words instead of us guessing.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

_SPACES = re.compile(r"[\s\-]+")
LIST_SEPARATOR = "|"  # inside one cell: aliases, lyric lines ("｜" is read as "|" too)


def header_key(value: Any) -> str:
    """A header cell as a lookup key: width-folded, lower case, spaces and hyphens as "_"."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    return _SPACES.sub("_", text)


def text(value: Any) -> str | None:
    """A cell as trimmed text; None when blank."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, (dt.datetime, dt.date, dt.time)):
        value = value.isoformat()
    out = str(value).strip()
    return out or None


def whole(value: Any) -> int | str | None:
    """A cell as an int when it is a whole number ("3", 3, 3.0, "３"); else its text."""
    if isinstance(value, bool):
        return text(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raw = text(value)
    if raw is None:
        return None
    folded = unicodedata.normalize("NFKC", raw)
    if re.fullmatch(r"[+-]?\d+", folded):
        return int(folded)
    if re.fullmatch(r"[+-]?\d+\.0*", folded):
        return int(folded.split(".")[0])
    return raw


def number(value: Any) -> int | float | str | None:
    """A cell as a number (int when whole); else its text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if isinstance(value, float) and value.is_integer() else value
    raw = text(value)
    if raw is None:
        return None
    folded = unicodedata.normalize("NFKC", raw)
    try:
        parsed = float(folded)
    except ValueError:
        return raw
    return int(parsed) if parsed.is_integer() else parsed


def split_list(value: Any) -> list[str]:
    """Several values in one cell, separated by "|": blanks between separators are dropped."""
    raw = text(value)
    if raw is None:
        return []
    return [part.strip() for part in raw.replace("｜", LIST_SEPARATOR).split(LIST_SEPARATOR) if part.strip()]
