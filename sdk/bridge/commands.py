"""The bridge's command table: which words members type, in Chinese and English, and what
each one does. docs/sdk.md renders this table and a test checks the two agree row by row.

Matching is deliberately plain: the whole message (after width/case folding and an optional
leading "/" or "!") must be a command word, or a word followed by its argument. The longest
word wins, so "签到日历" is not read as "签到" and "猜歌" is not a guess of "歌". A message that
matches nothing is *natural text*: the bridge may still read it as an answer, a description
or a guess depending on the game (see ``Bridge``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sdk.bridge.script import fold_commands

# Argument kinds: what may follow the word. None means the word must stand alone.
SEAT = "seat"      # a seat number ("3", "3号", "#3") or an @-mention
DAY = "day"        # a day: "11-20", "2026-11-20", "11/20", "11月20日", "20号"
TEXT = "text"      # free text, after a space or colon
OPTIONAL = "optional"  # optional free text (e.g. which board)

_SEAT_RE = re.compile(r"^(?:#|no\.?\s*)?(\d{1,3})\s*号?$|^@", re.IGNORECASE)
_DAY_RE = re.compile(
    r"^(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})[日号]?$|^(\d{1,2})[日号]$")


@dataclass(frozen=True, slots=True)
class Command:
    action: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    examples: tuple[str, ...]
    doc: str  # what it does, in English (docs/sdk.md)
    help_zh: str
    help_en: str
    arg: str | None = None


COMMANDS: tuple[Command, ...] = (
    Command("quiz", ("答题", "开始答题"), ("/quiz",), ("答题", "/quiz"),
            "open a quiz room in the group; the sender joins it", "开一局答题", "open a quiz"),
    Command("spy", ("谁是卧底",), ("/spy",), ("谁是卧底", "/spy"),
            "open a Who's the Spy room; the sender joins it", "开一局谁是卧底", "open Who's the Spy"),
    Command("song", ("猜歌",), ("/song",), ("猜歌", "/song"),
            "open a Name That Tune room; the sender joins it", "开一局猜歌", "open Name That Tune"),
    Command("join", ("加入", "参加", "上车"), ("/join",), ("加入", "/join"),
            "join the group's open room", "加入当前游戏", "join the current game"),
    Command("leave", ("退出",), ("/leave",), ("退出", "/leave"),
            "leave the room before it starts", "退出（开始前）", "leave (before the start)"),
    Command("start", ("开始", "开局"), ("/start",), ("开始", "/start"),
            "start the game in the open room", "开始游戏", "start the game"),
    Command("stop", ("结束游戏",), ("/stop",), ("结束游戏", "/stop"),
            "close the group's room, whatever its state", "结束当前游戏", "stop the current game"),
    Command("vote", ("投票给", "投给", "我投", "投票", "投"), ("/vote", "vote"),
            ("投3", "投 3号", "我投3号", "vote 3", "/vote #3"),
            "vote for a seat number (or @someone) while a vote is open", "投给 3 号（座位号见群消息）", "vote for seat 3 (seats are shown in chat)",
            arg=SEAT),
    Command("abstain", ("弃权",), ("/abstain", "abstain"), ("弃权", "/abstain"),
            "abstain in the open vote", "弃权", "abstain"),
    Command("skip", ("跳过", "下一首"), ("/skip",), ("跳过", "/skip"),
            "vote to skip the current tune (song)", "投票跳过这首歌", "vote to skip this tune"),
    Command("guess", ("猜",), ("/guess", "guess"), ("猜 苹果", "/guess apple"),
            "the voted-out blank guesses the civilians' word (spy); a title guess (song)", "白板猜平民的词，或猜歌名",
            "the blank's guess, or a song title", arg=TEXT),
    Command("checkin", ("签到", "打卡"), ("/checkin", "checkin"), ("签到", "/checkin"),
            "daily check-in", "每日签到", "daily check-in"),
    Command("makeup", ("补签",), ("/makeup", "makeup"), ("补签 11-20", "/makeup 2026-11-20"),
            "use a make-up card for a missed day", "用补签卡补上漏签的某天",
            "fill a missed day with a make-up card", arg=DAY),
    Command("calendar", ("签到日历", "签到记录"), ("/calendar",), ("签到日历", "/calendar"),
            "this month's check-in calendar", "本月签到日历", "this month's check-ins"),
    Command("board", ("排行榜", "排行"), ("/board", "/top"), ("排行榜", "排行榜 答题", "/board quiz"),
            "the group's leaderboard, all games or one", "排行榜（可加游戏名）", "the leaderboard (optionally of one game)", arg=OPTIONAL),
    Command("rules", ("玩法", "规则"), ("/rules",), ("玩法", "/rules spy"),
            "how to play the current (or named) game", "游戏玩法（可加游戏名）", "how to play (optionally a named game)", arg=OPTIONAL),
    Command("help", ("帮助", "菜单"), ("/help",), ("帮助", "/help"),
            "list these commands", "显示命令列表", "list the commands"),
)

BY_ACTION: dict[str, Command] = {c.action: c for c in COMMANDS}

# Words naming a game in arguments ("排行榜 答题", "/rules spy").
GAME_WORDS: dict[str, str] = {
    "答题": "quiz", "quiz": "quiz", "谁是卧底": "spy", "卧底": "spy", "spy": "spy",
    "猜歌": "song", "song": "song", "签到": "checkin", "checkin": "checkin",
}


@dataclass(frozen=True, slots=True)
class Intent:
    action: str
    arg: str | None = None


def normalize(text: str) -> str:
    """Full-width to half-width, case-folded, traditional command characters simplified
    (``簽到`` is ``签到``), single spaces, no leading "/" or "!"."""
    t = fold_commands(unicodedata.normalize("NFKC", text).strip().casefold())
    t = re.sub(r"\s+", " ", t)
    return t.lstrip("/!").strip()


def _word_key(word: str) -> str:
    return normalize(word)


# Longest word first, so "签到日历" wins over "签到" and "投票给" over "投".
_WORDS: list[tuple[str, Command]] = sorted(
    ((_word_key(w), c) for c in COMMANDS for w in (*c.zh, *c.en)), key=lambda wc: -len(wc[0]))


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def parse(text: str) -> Intent | None:
    """The command a message is, or None for natural text."""
    t = normalize(text)
    if not t:
        return None
    for word, cmd in _WORDS:
        if t == word:
            if cmd.arg in (None, OPTIONAL):
                return Intent(cmd.action)
            continue
        if cmd.arg is None or not t.startswith(word):
            continue
        rest = t[len(word):]
        separated = rest[:1] in (" ", ":")
        rest = rest.lstrip(" :").strip()
        if not rest:
            continue
        if not separated and (cmd.arg in (TEXT, OPTIONAL) or not _is_cjk(word[-1])):
            continue  # "guessing", "猜歌词", "votes": words glued to more letters are not commands
        if cmd.arg == SEAT and not _SEAT_RE.match(rest):
            continue
        if cmd.arg == DAY and not _DAY_RE.match(rest):
            continue
        return Intent(cmd.action, rest)
    return None


def seat_number(arg: str) -> int | None:
    m = _SEAT_RE.match(arg)
    return int(m.group(1)) if m and m.group(1) else None


def parse_day(arg: str, today_year: int, today_month: int, today_day: int) -> str | None:
    """An ISO day from what a member typed; a month-day in the future means last year."""
    m = _DAY_RE.match(normalize(arg))
    if not m:
        return None
    if m.group(4):
        year, month, day = today_year, today_month, int(m.group(4))
    else:
        month, day = int(m.group(2)), int(m.group(3))
        if m.group(1):
            year = int(m.group(1))
        else:
            year = today_year if (month, day) <= (today_month, today_day) else today_year - 1
    try:
        import datetime as _dt

        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def game_word(arg: str | None) -> str | None:
    if not arg:
        return None
    return GAME_WORDS.get(normalize(arg))


def example_for(cmd: Command, lang: str) -> str:
    """The example shown in the help for that language (Chinese words, or "/..." ones)."""
    def is_zh(e: str) -> bool:
        return any(_is_cjk(ch) for ch in e)

    for e in cmd.examples:
        if is_zh(e) == lang.startswith("zh"):
            return e
    return cmd.examples[0]


def help_text(cmd: Command, lang: str) -> str:
    """The command's help line in ``zh``, ``zh-Hant`` or ``en``."""
    if lang == "zh-Hant":
        from sdk.bridge.hant import HELP

        return HELP.get(cmd.action, cmd.help_zh)
    return cmd.help_zh if lang.startswith("zh") else cmd.help_en


def markdown_table() -> str:
    """The command table as it appears in docs/sdk.md."""
    lines = ["| Action | 中文 | English | Examples | What it does |", "|---|---|---|---|---|"]
    for c in COMMANDS:
        lines.append("| {} | {} | {} | {} | {} |".format(
            c.action, " / ".join(c.zh), " / ".join(c.en),
            " / ".join(f"`{e}`" for e in c.examples), c.doc))
    return "\n".join(lines)
