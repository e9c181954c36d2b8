"""Traditional Chinese in the bridge, with the standard library only.

Members in Taiwan, Hong Kong and Macau type ``簽到`` and ``答題``; the bridge folds those
characters to the simplified ones its command table uses, as the server folds answers
(games/text.py with OpenCC). The SDK cannot depend on OpenCC (it needs only websockets and
msgpack), so this is a table of just the characters command words use, generated with
OpenCC's s2t, s2tw and s2hk; tests/bridge/test_traditional.py checks it against OpenCC for
every command word, so a new word cannot slip through unfolded.
"""
from __future__ import annotations

__all__ = ["fold_commands"]

_TRADITIONAL = "則參單幫戲棄權歷曆簽籤結給臥號補規記誰車遊過錄開題"
_SIMPLIFIED = "则参单帮戏弃权历历签签结给卧号补规记谁车游过录开题"
_TABLE = str.maketrans(_TRADITIONAL, _SIMPLIFIED)


def fold_commands(text: str) -> str:
    """The text with the traditional forms of command characters made simplified."""
    return text.translate(_TABLE)
