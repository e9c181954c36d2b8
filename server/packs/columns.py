"""The spreadsheet columns for each kind of item, their Chinese aliases, and how a row
becomes an item.

A row never becomes an item by guesswork: a cell we cannot read (an answer letter with no
choice under it, a gap between choices) is a problem reported against that row, and every
other field is handed to the game's own ``validate_item``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from server.packs.cells import header_key, number, split_list, text, whole

Row = Mapping[str, Any]  # canonical column name -> raw cell
Built = tuple[dict[str, Any], list[tuple[str, str]]]

LETTERS = "ABCDEF"


@dataclass(frozen=True, slots=True)
class SheetSpec:
    kind: str
    columns: tuple[str, ...]  # canonical names, in the documented order
    required: tuple[tuple[str, ...], ...]  # each group: the header needs at least one of these
    aliases: Mapping[str, tuple[str, ...]]  # canonical -> other accepted headers
    build: Callable[[Row], Built]
    field_columns: Mapping[str, str] = field(default_factory=dict)  # item field -> column, for reports

    def lookup(self) -> dict[str, str]:
        """Every accepted header (as ``header_key`` folds it) -> canonical column."""
        table: dict[str, str] = {}
        for name in self.columns:
            table[header_key(name)] = name
            for alias in self.aliases.get(name, ()):
                table[header_key(alias)] = name
        return table

    def column_for(self, item_field: str) -> str:
        return self.field_columns.get(item_field, item_field)


def _put(item: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        item[key] = value


_LANGS = {"zh": "zh", "中文": "zh", "汉语": "zh", "chinese": "zh", "zh-cn": "zh", "zh_cn": "zh",
          "zh-hans": "zh", "cn": "zh", "en": "en", "英文": "en", "英语": "en", "english": "en"}


def _lang(value: Any) -> str | None:
    raw = text(value)
    return None if raw is None else _LANGS.get(raw.lower(), raw)


_COMMON: dict[str, tuple[str, ...]] = {
    "id": ("编号", "题号", "序号"),
    "lang": ("language", "语言"),
    "category": ("分类", "类别", "类型分类"),
    "difficulty": ("难度",),
    "aliases": ("alias", "别名", "其他答案", "备选答案"),
}

# --- quiz ----------------------------------------------------------------------------

_QUIZ_TYPES = {"choice": "choice", "选择": "choice", "选择题": "choice", "单选": "choice", "单选题": "choice",
               "text": "text", "填空": "text", "填空题": "text", "问答": "text", "问答题": "text"}
_ANSWER_LETTER = re.compile(r"^([A-F])[.)、．]?$")


def _choice_answer(answer: Any, cells: list[str | None]) -> tuple[int | None, str | None]:
    """The 0-based index among the filled choices, from a letter or the choice's own text."""
    raw = text(answer)
    if raw is None:
        return None, "is empty: give the letter of the right choice (A–F)"
    letter = _ANSWER_LETTER.match(unicodedata.normalize("NFKC", raw).upper())
    if letter:
        col = LETTERS.index(letter.group(1))
        if col >= len(cells) or cells[col] is None:
            return None, f"choice {letter.group(1)} is empty"
        return sum(1 for c in cells[:col] if c is not None), None
    filled = [c for c in cells if c is not None]
    matches = [i for i, c in enumerate(filled) if c.casefold() == raw.casefold()]
    if len(matches) == 1:
        return matches[0], None
    return None, "must be the letter of the right choice (A–F) or its exact text"


def build_quiz(row: Row) -> Built:
    item: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    _put(item, "lang", _lang(row.get("lang")))
    raw_type = text(row.get("type"))
    cells = [text(row.get(f"choice_{letter.lower()}")) for letter in LETTERS]
    last = max((i for i, c in enumerate(cells) if c is not None), default=-1)
    for i in range(last):
        if cells[i] is None:
            problems.append((f"choice_{LETTERS[i].lower()}", "is empty but a later choice is filled"))
    choices = [c for c in cells if c is not None]
    kind = _QUIZ_TYPES.get(raw_type.lower(), raw_type) if raw_type else ("choice" if choices else "text")
    item["type"] = kind
    _put(item, "question", text(row.get("question")))
    if choices:
        item["choices"] = choices
    if kind == "choice":
        index, why = _choice_answer(row.get("answer"), cells)
        if why:
            problems.append(("answer", why))
        _put(item, "answer", index)
    else:
        _put(item, "answer", text(row.get("answer")))
    aliases = split_list(row.get("aliases"))
    if aliases:
        item["aliases"] = aliases
    _put(item, "explanation", text(row.get("explanation")))
    _put(item, "category", text(row.get("category")))
    _put(item, "difficulty", whole(row.get("difficulty")))
    return item, problems


QUIZ = SheetSpec(
    kind="quiz",
    columns=("id", "lang", "type", "question", *(f"choice_{c.lower()}" for c in LETTERS), "answer", "aliases",
             "explanation", "category", "difficulty"),
    required=(("lang",), ("question",), ("answer",), ("category",), ("difficulty",)),
    aliases={
        **_COMMON,
        "type": ("题型", "类型"),
        "question": ("题目", "问题", "题干"),
        **{f"choice_{c.lower()}": (c, f"option_{c}", f"选项{c}", f"选项_{c}") for c in LETTERS},
        "answer": ("答案", "正确答案"),
        "explanation": ("解析", "解释", "说明"),
    },
    build=build_quiz,
)

# --- spy -----------------------------------------------------------------------------

_SPY_CATEGORIES = {"食物": "food", "美食": "food", "地点": "places", "场所": "places", "物品": "objects",
                   "人物": "people", "动物": "animals", "自然": "nature", "活动": "activities", "文化": "culture",
                   "职业": "jobs", "科技": "tech", "其他": "other"}


def build_spy(row: Row) -> Built:
    item: dict[str, Any] = {}
    _put(item, "lang", _lang(row.get("lang")))
    item["words"] = [text(row.get("word_a")) or "", text(row.get("word_b")) or ""]
    category = text(row.get("category"))
    _put(item, "category", _SPY_CATEGORIES.get(category, category) if category else None)
    _put(item, "difficulty", whole(row.get("difficulty")))
    return item, []


SPY = SheetSpec(
    kind="spy",
    columns=("id", "lang", "word_a", "word_b", "category", "difficulty"),
    required=(("lang",), ("word_a",), ("word_b",), ("category",), ("difficulty",)),
    aliases={
        **_COMMON,
        "word_a": ("word1", "word_1", "词1", "词a", "词语1", "词语a", "词一"),
        "word_b": ("word2", "word_2", "词2", "词b", "词语2", "词语b", "词二"),
    },
    build=build_spy,
    field_columns={"words[0]": "word_a", "words[1]": "word_b"},
)

# --- song ----------------------------------------------------------------------------

_CLIP_SOURCES = ("clip_notes", "clip_url", "clip_file")


def _names(row: Row, prefix: str) -> dict[str, str] | None:
    names = {lang: value for lang in ("zh", "en") if (value := text(row.get(f"{prefix}_{lang}"))) is not None}
    return names or None


def build_song(row: Row) -> Built:
    item: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    _put(item, "title", _names(row, "title"))
    artist: dict[str, Any] | None = _names(row, "artist")
    artist_aliases = split_list(row.get("artist_aliases"))
    if artist_aliases:
        artist = {**(artist or {}), "aliases": artist_aliases}
    _put(item, "artist", artist)
    aliases = split_list(row.get("aliases"))
    if aliases:
        item["aliases"] = aliases
    sources = [col for col in _CLIP_SOURCES if text(row.get(col)) is not None]
    tempo, seconds = number(row.get("clip_tempo")), number(row.get("clip_seconds"))
    if len(sources) > 1:
        problems.append(("clip", f"give only one of {', '.join(_CLIP_SOURCES)} (this row has {', '.join(sources)})"))
    elif sources == ["clip_notes"]:
        item["clip"] = {"notes": text(row.get("clip_notes"))}
        _put(item["clip"], "tempo", tempo)
    elif sources:
        item["clip"] = {sources[0].removeprefix("clip_"): text(row.get(sources[0]))}
        _put(item["clip"], "seconds", seconds)
    if tempo is not None and "clip_notes" not in sources:
        problems.append(("clip_tempo", "only goes with clip_notes"))
    if seconds is not None and not {"clip_url", "clip_file"} & set(sources):
        problems.append(("clip_seconds", "only goes with clip_url or clip_file"))
    lyrics = split_list(row.get("lyrics"))
    if lyrics:
        item["lyrics"] = lyrics
    _put(item, "category", text(row.get("category")))
    _put(item, "difficulty", whole(row.get("difficulty")))
    return item, problems


SONG = SheetSpec(
    kind="song",
    columns=("id", "title_zh", "title_en", "artist_zh", "artist_en", "artist_aliases", "aliases", *_CLIP_SOURCES,
             "clip_tempo", "clip_seconds", "lyrics", "category", "difficulty"),
    required=(("title_zh", "title_en"), _CLIP_SOURCES, ("category",), ("difficulty",)),
    aliases={
        **_COMMON,
        "title_zh": ("歌名", "中文歌名", "歌名_中文"),
        "title_en": ("英文歌名", "歌名_英文"),
        "artist_zh": ("歌手", "中文歌手", "演唱", "作者"),
        "artist_en": ("英文歌手",),
        "artist_aliases": ("歌手别名",),
        "clip_notes": ("notes", "音符", "旋律"),
        "clip_tempo": ("tempo", "速度", "节拍"),
        "clip_url": ("url", "音频链接", "链接"),
        "clip_file": ("file", "音频文件", "文件"),
        "clip_seconds": ("seconds", "时长", "秒数"),
        "lyrics": ("歌词",),
    },
    build=build_song,
    field_columns={"title.zh": "title_zh", "title.en": "title_en", "artist.zh": "artist_zh",
                   "artist.en": "artist_en", "artist.aliases": "artist_aliases", "clip.notes": "clip_notes", "clip.tempo": "clip_tempo",
                   "clip.url": "clip_url", "clip.file": "clip_file", "clip.seconds": "clip_seconds"},
)

SPECS: dict[str, SheetSpec] = {spec.kind: spec for spec in (QUIZ, SPY, SONG)}
