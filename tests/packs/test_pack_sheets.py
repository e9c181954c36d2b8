"""CSV and Excel sheets: documented columns (English or Chinese), rows numbered as a
spreadsheet shows them, and the same items whichever format an operator keeps."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from server.packs import PackFileError, load_pack

QUIZ_HEADER = ["id", "lang", "type", "question", "choice_a", "choice_b", "choice_c", "choice_d", "answer",
               "aliases", "explanation", "category", "difficulty"]
QUIZ_ROWS: list[list[Any]] = [
    ["geo-1", "zh", "choice", "中国的首都是哪座城市？", "北京", "上海", "广州", "", "A", "", "北京是首都。", "geo", 1],
    ["sci-1", "en", "text", "What gas do plants take in?", "", "", "", "", "carbon dioxide", "CO2|co₂", "",
     "science", 2],
    ["math-1", "en", "", "2 + 2 = ?", "3", "4", "5", "22", "4", "", "", "math", "1"],
]
QUIZ_ITEMS = [
    {"id": "geo-1", "lang": "zh", "type": "choice", "question": "中国的首都是哪座城市？", "choices": ["北京", "上海", "广州"],
     "answer": 0, "explanation": "北京是首都。", "category": "geo", "difficulty": 1},
    {"id": "sci-1", "lang": "en", "type": "text", "question": "What gas do plants take in?",
     "answer": "carbon dioxide", "aliases": ["CO2", "co₂"], "category": "science", "difficulty": 2},
    {"id": "math-1", "lang": "en", "type": "choice", "question": "2 + 2 = ?", "choices": ["3", "4", "5", "22"],
     "answer": 1, "category": "math", "difficulty": 1},
]


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]], title: str = "bank") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append([None if cell == "" else cell for cell in row])
    book.save(path)
    return path


def problems(pack: Any) -> list[tuple[int | None, str]]:
    return [(p.number, p.field) for p in pack.all_problems()]


def test_csv_rows_become_quiz_items(tmp_path: Path) -> None:
    pack = load_pack(write_csv(tmp_path / "bank.csv", [QUIZ_HEADER, *QUIZ_ROWS]))
    assert problems(pack) == []
    assert (pack.kind, pack.name, pack.unit) == ("quiz", "bank", "row")
    assert [e.item for e in pack.entries] == QUIZ_ITEMS
    assert [e.number for e in pack.entries] == [2, 3, 4]


def test_xlsx_gives_the_same_items_as_csv_with_numbers_as_numbers(tmp_path: Path) -> None:
    rows = [[int(c) if isinstance(c, str) and c.isdigit() else c for c in row] for row in QUIZ_ROWS]
    rows[2][12] = 1.0  # Excel stores numbers as floats
    pack = load_pack(write_xlsx(tmp_path / "bank.xlsx", [QUIZ_HEADER, *rows]))
    assert problems(pack) == []
    assert pack.format == "xlsx"
    assert [e.item for e in pack.entries] == QUIZ_ITEMS


def test_chinese_headers_and_values_are_understood(tmp_path: Path) -> None:
    header = ["题目", "选项A", "选项B", "选项C", "答案", "解析", "分类", "难度", "语言", "题型"]
    rows = [header, ["一年有几个季节？", "三", "四", "五", "B", "春夏秋冬", "常识", "1", "中文", "选择题"],
            ["水的化学式？", "", "", "", "H2O", "", "科学", "2", "中文", "填空"]]
    pack = load_pack(write_csv(tmp_path / "题库.csv", rows))
    assert problems(pack) == []
    assert pack.name == "题库"
    assert [e.item for e in pack.entries] == [
        {"id": "ped9f79-r2", "lang": "zh", "type": "choice", "question": "一年有几个季节？", "choices": ["三", "四", "五"],
         "answer": 1, "explanation": "春夏秋冬", "category": "常识", "difficulty": 1},
        {"id": "ped9f79-r3", "lang": "zh", "type": "text", "question": "水的化学式？", "answer": "H2O",
         "category": "科学", "difficulty": 2},
    ]


def test_generated_ids_from_a_non_ascii_name_are_still_url_safe(tmp_path: Path) -> None:
    pack = load_pack(write_csv(tmp_path / "x.csv", [["question", "answer", "category", "difficulty", "lang"],
                                                    ["Q?", "a", "c", 1, "en"]]), name="办公室 trivia")
    assert pack.entries[0].item_id == "trivia-e10d90-r2"


def test_ids_are_generated_from_the_pack_name_and_row_when_the_sheet_has_none(tmp_path: Path) -> None:
    header = ["question", "choice_a", "choice_b", "answer", "category", "difficulty", "lang"]
    rows = [header, ["Q1?", "a", "b", "A", "c", 1, "en"], ["", "", "", "", "", "", ""], ["Q2?", "a", "b", "B", "c", 1, "en"]]
    pack = load_pack(write_csv(tmp_path / "x.csv", rows), name="trivia")
    assert [e.item_id for e in pack.entries] == ["trivia-r2", "trivia-r4"]
    assert pack.blank_rows == 1 and problems(pack) == []


@pytest.mark.parametrize("answer, index", [("A", 0), ("c", 2), ("Ｂ", 1), ("C.", 2), ("green", 1), ("GREEN", 1)])
def test_a_choice_answer_is_a_letter_or_the_choice_text(tmp_path: Path, answer: str, index: int) -> None:
    rows = [["question", "choice_a", "choice_b", "choice_c", "answer", "category", "difficulty", "lang"],
            ["Colour of grass?", "red", "green", "blue", answer, "nature", 1, "en"]]
    pack = load_pack(write_csv(tmp_path / "a.csv", rows))
    assert problems(pack) == []
    assert pack.entries[0].item["answer"] == index


def test_unreadable_choice_answers_and_gaps_between_choices_are_row_problems(tmp_path: Path) -> None:
    rows = [["question", "choice_a", "choice_b", "choice_c", "choice_d", "answer", "category", "difficulty", "lang"],
            ["Q?", "x", "y", "", "", "D", "c", 1, "en"],
            ["Q?", "x", "", "z", "", "A", "c", 1, "en"],
            ["Q?", "x", "y", "", "", "maybe", "c", 1, "en"],
            ["Q?", "x", "y", "", "", "", "c", 1, "en"]]
    pack = load_pack(write_csv(tmp_path / "a.csv", rows))
    assert problems(pack) == [(2, "answer"), (3, "choice_b"), (4, "answer"), (5, "answer")]
    reasons = [p.reason for p in pack.all_problems()]
    assert reasons[0] == "choice D is empty (got \"D\")"


def test_every_problem_of_a_row_is_named(tmp_path: Path) -> None:
    rows = [QUIZ_HEADER, ["x1", "fr", "choice", "", "only", "", "", "", "A", "", "", "", "9"]]
    pack = load_pack(write_csv(tmp_path / "a.csv", rows))
    assert {f for _, f in problems(pack)} == {"lang", "question", "choices", "category", "difficulty"}
    assert {n for n, _ in problems(pack)} == {2}


def test_spy_pairs_from_a_sheet_with_chinese_headers_and_categories(tmp_path: Path) -> None:
    rows = [["编号", "词1", "词2", "分类", "难度", "语言"], ["p1", "饺子", "馄饨", "食物", 2, "zh"],
            ["p2", "猫", "", "动物", 1, "zh"]]
    pack = load_pack(write_xlsx(tmp_path / "spy.xlsx", rows))
    assert pack.kind == "spy"
    assert pack.entries[0].item == {"id": "p1", "lang": "zh", "words": ["饺子", "馄饨"], "category": "food",
                                    "difficulty": 2}
    assert problems(pack) == [(3, "word_b")]


def test_rows_count_as_a_spreadsheet_shows_them_with_blank_rows_and_multiline_cells(tmp_path: Path) -> None:
    rows = [["question", "answer", "category", "difficulty", "lang"], ["line one\nline two", "a", "c", 1, "en"],
            ["", "", "", "", ""], ["Q?", "a", "c", 7, "en"]]
    assert problems(load_pack(write_csv(tmp_path / "a.csv", rows))) == [(4, "difficulty")]
    book = Workbook()
    sheet = book.active
    sheet.append(rows[0])
    sheet.append(rows[1])
    for col, value in enumerate(rows[3], start=1):
        sheet.cell(row=9, column=col, value=value)  # rows 3–8 never written
    book.save(tmp_path / "a.xlsx")
    pack = load_pack(tmp_path / "a.xlsx")
    assert problems(pack) == [(9, "difficulty")]


def test_unknown_and_repeated_columns_block_the_file(tmp_path: Path) -> None:
    rows = [["question", "answer", "category", "difficulty", "lang", "notes", "题目"], ["Q?", "a", "c", 1, "en", "x", "y"]]
    pack = load_pack(write_csv(tmp_path / "a.csv", rows))
    assert problems(pack) == [(1, "notes"), (1, "题目")]
    assert pack.blocking


def test_a_missing_required_column_is_reported_once_not_on_every_row(tmp_path: Path) -> None:
    rows = [["question", "answer", "lang"]] + [["Q?", "a", "en"]] * 100
    pack = load_pack(write_csv(tmp_path / "a.csv", rows), kind="quiz")
    assert problems(pack) == [(1, "category"), (1, "difficulty")]
    assert pack.entries == [] and pack.blocking


def test_a_value_under_no_header_is_reported_not_dropped(tmp_path: Path) -> None:
    rows = [["question", "answer", "category", "difficulty", "lang"], ["Q?", "a", "c", 1, "en", "stray"]]
    pack = load_pack(write_csv(tmp_path / "a.csv", rows))
    assert problems(pack) == [(2, "column F")]


def test_the_kind_is_guessed_from_the_header_or_must_be_given(tmp_path: Path) -> None:
    rows = [["id", "lang", "category", "difficulty"], ["a", "zh", "food", 1]]
    pack = load_pack(write_csv(tmp_path / "a.csv", rows))
    assert problems(pack) == [(1, "header")] and pack.kind is None


def test_a_chinese_excel_csv_in_gb18030_is_read(tmp_path: Path) -> None:
    rows = [["词1", "词2", "分类", "难度", "语言"], ["饺子", "馄饨", "食物", "2", "zh"]]
    pack = load_pack(write_csv(tmp_path / "a.csv", rows, encoding="gb18030"))
    assert problems(pack) == [] and pack.entries[0].item["words"] == ["饺子", "馄饨"]
    assert pack.notes == ["read as GB18030 (not UTF-8)"]


def test_a_named_sheet_is_read_and_a_missing_one_is_an_error(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["readme"])
    spy = book.create_sheet("pairs")
    spy.append(["word_a", "word_b", "category", "difficulty", "lang"])
    spy.append(["bee", "wasp", "animals", 3, "en"])
    book.save(tmp_path / "b.xlsx")
    pack = load_pack(tmp_path / "b.xlsx", sheet="pairs")
    assert problems(pack) == [] and pack.entries[0].item["words"] == ["bee", "wasp"]
    with pytest.raises(PackFileError, match="no sheet named 'nope'"):
        load_pack(tmp_path / "b.xlsx", sheet="nope")


@pytest.mark.parametrize("name, message", [("x.xls", "old .xls"), ("x.txt", "unknown file type"),
                                           ("missing.csv", "No such file")])
def test_files_that_cannot_be_read_raise_a_clear_error(tmp_path: Path, name: str, message: str) -> None:
    if not name.startswith("missing"):
        (tmp_path / name).write_text("x")
    with pytest.raises(PackFileError, match=message):
        load_pack(tmp_path / name)


SONG_HEADER = ["id", "歌名", "英文歌名", "歌手", "歌手别名", "别名", "音符", "速度", "音频链接", "时长", "歌词", "分类", "难度"]


def test_song_rows_become_songs_with_notes_or_url_clips(tmp_path: Path) -> None:
    rows = [SONG_HEADER,
            ["s1", "小星星", "Twinkle, Twinkle, Little Star", "法国民歌", "traditional", "一闪一闪亮晶晶",
             "C4 C4 G4 G4 A4 A4 G4/2", 100, "", "", "", "children", 1],
            ["s2", "", "Team Anthem", "", "", "", "", "", "https://example.com/a.mp3", 12.5,
             "We stand together|All night long", "team", 2]]
    pack = load_pack(write_xlsx(tmp_path / "songs.xlsx", rows))
    assert pack.kind == "song" and problems(pack) == []
    assert [e.item for e in pack.entries] == [
        {"id": "s1", "title": {"zh": "小星星", "en": "Twinkle, Twinkle, Little Star"},
         "artist": {"zh": "法国民歌", "aliases": ["traditional"]}, "aliases": ["一闪一闪亮晶晶"],
         "clip": {"notes": "C4 C4 G4 G4 A4 A4 G4/2", "tempo": 100}, "category": "children", "difficulty": 1},
        {"id": "s2", "title": {"en": "Team Anthem"}, "clip": {"url": "https://example.com/a.mp3", "seconds": 12.5},
         "lyrics": ["We stand together", "All night long"], "category": "team", "difficulty": 2},
    ]


def test_song_rows_report_clip_mixups_and_the_games_own_checks_by_column(tmp_path: Path) -> None:
    rows = [SONG_HEADER,
            ["s1", "小星星", "", "", "", "", "C4 C4", 100, "https://x.example/a.mp3", "", "", "children", 1],
            ["s2", "小星星", "", "", "", "", "", 100, "https://x.example/a.mp3", "", "", "children", 1],
            ["s3", "小星星", "", "", "", "", "C4 C4 G4 G4 A4 A4 G4/2", 999, "", "", "小星星亮晶晶", "children", 1],
            ["s 4", "", "", "", "", "", "H9", 100, "", "", "", "", 1]]
    pack = load_pack(write_csv(tmp_path / "songs.csv", rows))
    assert problems(pack) == [(2, "clip"), (3, "clip_tempo"), (4, "clip_tempo"), (4, "lyrics[0]"),
                              (5, "id"), (5, "title"), (5, "clip_notes"), (5, "category")]
