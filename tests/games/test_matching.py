"""The answer matcher, as a table: each row is (what a member typed, the target, its aliases,
accepted?). The ids say the rule the row documents; read them as the specification."""
from __future__ import annotations

import pytest

from games.matching import Match, is_match, match, typo_budget

A = True   # accepted
R = False  # rejected

CASES: list[tuple[str, str, str, tuple[str, ...], bool]] = [
    # --- exact after folding: case, width, spaces, punctuation ---------------------------
    ("exact-latin", "Jingle Bells", "Jingle Bells", (), A),
    ("lowercase", "jingle bells", "Jingle Bells", (), A),
    ("uppercase", "JINGLE BELLS", "Jingle Bells", (), A),
    ("no-spaces", "jinglebells", "Jingle Bells", (), A),
    ("extra-spaces", "  jingle   bells ", "Jingle Bells", (), A),
    ("trailing-punctuation", "Jingle Bells!", "Jingle Bells", (), A),
    ("fullwidth-latin", "ＪＩＮＧＬＥ ＢＥＬＬＳ", "Jingle Bells", (), A),
    ("apostrophe-dropped", "Auld Lang Syne", "Auld Lang Syne", (), A),
    ("apostrophe-in-target", "fur elise", "Für Elise", ("Fur Elise",), A),
    ("hyphen-ignored", "frere jacques", "Frère-Jacques", ("Frere Jacques",), A),
    ("comma-ignored", "row row row your boat", "Row, Row, Row Your Boat", (), A),
    ("exact-han", "两只老虎", "两只老虎", (), A),
    ("han-with-spaces", "两 只 老 虎", "两只老虎", (), A),
    ("han-fullwidth-punct", "两只老虎！", "两只老虎", (), A),
    ("han-book-title-marks", "《茉莉花》", "茉莉花", (), A),
    ("fullwidth-digits", "１９４９", "1949", (), A),
    ("digits-exact", "1949", "1949", (), A),
    ("mixed-han-latin", "C大调", "C大调", (), A),
    ("mixed-han-latin-case", "c大调", "C大调", (), A),
    # --- simplified and traditional are the same text ------------------------------------
    ("traditional-answer", "兩隻老虎", "两只老虎", (), A),
    ("traditional-target", "两只老虎", "兩隻老虎", (), A),
    ("traditional-both", "茉莉花", "茉莉花", (), A),
    ("traditional-songbie", "送別", "送别", (), A),
    ("traditional-kangding", "康定情歌", "康定情歌", (), A),
    ("traditional-huanle", "歡樂頌", "欢乐颂", (), A),
    ("traditional-alias", "天鵝湖", "Swan Lake", ("天鹅湖",), A),
    # --- pinyin typed for a Chinese title ------------------------------------------------
    ("pinyin-spaced", "liang zhi lao hu", "两只老虎", (), A),
    ("pinyin-joined", "liangzhilaohu", "两只老虎", (), A),
    ("pinyin-tone-digits", "liang3zhi1lao3hu3", "两只老虎", (), A),
    ("pinyin-tone-digits-spaced", "liang3 zhi1 lao3 hu3", "两只老虎", (), A),
    ("pinyin-tone-marks", "liǎng zhī lǎo hǔ", "两只老虎", (), A),
    ("pinyin-capitalised", "Liang Zhi Lao Hu", "两只老虎", (), A),
    ("pinyin-fullwidth", "ｌｉａｎｇｚｈｉｌａｏｈｕ", "两只老虎", (), A),
    ("pinyin-molihua", "mo li hua", "茉莉花", (), A),
    ("pinyin-molihua-tones", "mò lì huā", "茉莉花", (), A),
    ("pinyin-songbie", "song bie", "送别", (), A),
    ("pinyin-u-umlaut-as-v", "lv xiu zi", "绿袖子", (), A),
    ("pinyin-u-umlaut-as-u", "lu xiu zi", "绿袖子", (), A),
    ("pinyin-u-umlaut-marked", "lǜ xiù zi", "绿袖子", (), A),
    ("pinyin-of-alias", "huan le song", "Ode to Joy", ("欢乐颂",), A),
    ("pinyin-of-traditional-target", "huan le song", "歡樂頌", (), A),
    ("pinyin-one-typo-long", "liang zhi lao hou", "两只老虎", (), A),
    ("pinyin-two-typos-long", "liang zi lao fu", "两只老虎", (), A),
    ("pinyin-three-typos-long", "liag zi lao fu", "两只老虎", (), R),
    ("pinyin-one-typo-mid", "moli hau", "茉莉花", (), A),
    ("pinyin-prefix", "liang zhi", "两只老虎", (), R),
    ("pinyin-initials-only", "lzlh", "两只老虎", (), R),
    ("pinyin-initials-spaced", "l z l h", "两只老虎", (), R),
    ("pinyin-of-other-song", "xiao xing xing", "两只老虎", (), R),
    ("pinyin-extra-syllables", "liang zhi lao hu pao de kuai", "两只老虎", (), R),
    ("pinyin-for-latin-target-ignored", "jing ge bei er", "Jingle Bells", (), R),
    ("pinyin-short-target-one-typo", "sing bie", "送别", (), A),
    ("pinyin-short-target-two-typos", "sing bia", "送别", (), R),
    # --- homophones picked by the input method -------------------------------------------
    ("homophone-one-char", "两支老虎", "两只老虎", (), A),
    ("homophone-three-chars", "末莉花", "茉莉花", (), A),
    ("homophone-two-chars-too-short", "颂别", "送别", (), R),
    ("homophone-different-length", "两只老虎虎", "两只老虎", (), R),
    ("near-homophone-other-word", "两只老鼠", "两只老虎", (), R),
    ("homophone-mixed-latin", "两只lao虎", "两只老虎", (), R),
    # --- small typos, Latin budget 0 / 1 / 2 ---------------------------------------------
    ("latin-1-typo-long", "Jingle Bels", "Jingle Bells", (), A),
    ("latin-2-typos-long", "Jingel Bels", "Jingle Bells", (), A),
    ("latin-3-typos-long", "Jingel Bls x", "Jingle Bells", (), R),
    ("latin-swap-counts-one", "Jnigle Bells", "Jingle Bells", (), A),
    ("latin-two-swaps", "Jnigle Blels", "Jingle Bells", (), A),
    ("latin-missing-letter", "Greensleves", "Greensleeves", (), A),
    ("latin-extra-letter", "Greensleeeves", "Greensleeves", (), A),
    ("latin-7-chars-1-typo", "Yankey", "Yankee", (), A),
    ("latin-6-chars-2-typos", "Yankxx", "Yankee", (), R),
    ("latin-4-chars-1-typo", "Rein", "Rain", (), A),
    ("latin-4-chars-1-typo-unused-alias", "Ruin", "Rain", ("xx",), A),
    ("latin-4-chars-really-2-typos", "Roun", "Rain", (), R),
    ("latin-3-chars-no-typo", "cat", "Cat", (), A),
    ("latin-3-chars-1-typo", "cut", "Cat", (), R),
    ("latin-2-chars-exact", "Up", "Up", (), A),
    ("latin-2-chars-1-typo", "Uo", "Up", (), R),
    ("latin-1-char-other", "b", "a", (), R),
    ("latin-8-chars-2-typos", "Swon Lak", "Swan Lake", (), A),
    ("latin-long-title-typos", "twinkle twinkel litle star", "Twinkle Twinkle Little Star", (), A),
    ("latin-long-title-3-typos", "twinkel twinkel litle star", "Twinkle Twinkle Little Star", (), R),
    ("accent-folded", "Fur Elise", "Fur Elise", (), A),
    ("accent-typed-missing", "Fur Elise", "Für Elise", (), A),
    ("digit-typo-short", "1948", "1949", (), A),
    ("digit-typo-3", "194", "1949", (), A),
    ("digits-short-no-typo", "123", "124", (), R),
    # --- small typos, Han budget 0 / 1 / 2 -----------------------------------------------
    ("han-4-chars-1-typo", "两只老猫", "两只老虎", (), R),
    ("han-4-chars-homophone-not-typo", "两只老狐", "两只老虎", (), A),
    ("han-3-chars-1-typo", "茉莉草", "茉莉花", (), R),
    ("han-2-chars-1-typo", "送行", "送别", (), R),
    ("han-5-chars-1-typo", "一闪一眨亮", "一闪一闪亮", (), A),
    ("han-7-chars-1-typo", "一闪一闪亮晶星", "一闪一闪亮晶晶", (), A),
    ("han-7-chars-missing-one", "一闪一闪亮晶", "一闪一闪亮晶晶", (), A),
    ("han-7-chars-2-typos", "一闪一闪亮星星", "一闪一闪亮晶晶", (), R),
    ("han-9-chars-2-typos", "让我们荡起双浆来呀", "让我们荡起双桨来啊", (), A),
    ("han-9-chars-3-typos", "让我们荡起单浆来呀", "让我们荡起双桨来啊", (), R),
    # --- much shorter answers are never accepted -----------------------------------------
    ("prefix-han", "两只", "两只老虎", (), R),
    ("prefix-han-3-of-4", "两只老", "两只老虎", (), R),
    ("suffix-han", "老虎", "两只老虎", (), R),
    ("prefix-latin-word", "jingle", "Jingle Bells", (), R),
    ("prefix-latin-almost", "jingle be", "Jingle Bells", (), R),
    ("prefix-latin-one-short", "jingle bell", "Jingle Bells", (), A),
    ("prefix-twinkle", "twinkle", "Twinkle Twinkle Little Star", (), R),
    ("prefix-ode", "ode", "Ode to Joy", (), R),
    ("single-char-han", "花", "茉莉花", (), R),
    ("single-letter", "j", "Jingle Bells", (), R),
    ("empty", "", "Jingle Bells", (), R),
    ("only-spaces", "   ", "Jingle Bells", (), R),
    ("only-punctuation", "？！", "两只老虎", (), R),
    # --- longer or different answers -------------------------------------------------------
    ("longer-han", "两只老虎跑得快", "两只老虎", (), R),
    ("sentence-containing-answer", "i think it is jingle bells", "Jingle Bells", (), R),
    ("other-song-latin", "Silent Night", "Jingle Bells", (), R),
    ("other-song-han", "小星星", "两只老虎", (), R),
    ("english-for-chinese-target", "Two Tigers", "两只老虎", (), R),
    ("chinese-for-english-target", "铃儿响叮当", "Jingle Bells", (), R),
    # --- aliases count -------------------------------------------------------------------
    ("alias-english", "Two Tigers", "两只老虎", ("Two Tigers", "Frère Jacques"), A),
    ("alias-second", "Frere Jacques", "两只老虎", ("Two Tigers", "Frère Jacques"), A),
    ("alias-chinese", "铃儿响叮当", "Jingle Bells", ("铃儿响叮当",), A),
    ("alias-typo", "Two Tigres", "两只老虎", ("Two Tigers",), A),
    ("alias-pinyin", "ling er xiang ding dang", "Jingle Bells", ("铃儿响叮当",), A),
    ("alias-traditional", "鈴兒響叮噹", "Jingle Bells", ("铃儿响叮当",), A),
    ("alias-prefix-rejected", "Two", "两只老虎", ("Two Tigers",), R),
    ("alias-empty-ignored", "", "两只老虎", ("",), R),
    ("alias-none-match", "Swan Lake", "两只老虎", ("Two Tigers",), R),
    ("alias-short-exact", "Op 9", "Nocturne", ("Op. 9",), A),
    # --- odd targets -------------------------------------------------------------------------
    ("punctuation-only-target", "?!", "?!", (), A),
    ("punctuation-only-target-other", "!?", "?!", (), R),
]


@pytest.mark.parametrize(
    ("given", "target", "aliases", "accepted"),
    [pytest.param(g, t, a, ok, id=name) for name, g, t, a, ok in CASES],
)
def test_answer_matching_table(given: str, target: str, aliases: tuple[str, ...], accepted: bool) -> None:
    assert is_match(given, target, aliases) is accepted


def test_the_table_is_big_and_ids_are_unique() -> None:
    names = [c[0] for c in CASES]
    assert len(names) >= 110
    assert len(set(names)) == len(names)
    assert sum(1 for c in CASES if c[4]) >= 40 and sum(1 for c in CASES if not c[4]) >= 40


@pytest.mark.parametrize(
    ("folded", "budget"),
    [("abc", 0), ("abcd", 1), ("abcdefg", 1), ("abcdefgh", 2), ("a" * 30, 2),
     ("两只老虎", 0), ("一闪一闪亮", 1), ("一闪一闪亮晶晶亮", 1), ("一闪一闪亮晶晶满天", 2)],
)
def test_typo_budget_table(folded: str, budget: int) -> None:
    assert typo_budget(folded) == budget


def test_match_reports_which_alias_and_rule() -> None:
    assert match("Two Tigres", "两只老虎", ("Two Tigers",)) == Match("Two Tigers", "typo", 1)
    assert match("liang zhi lao hu", "两只老虎", ("Two Tigers",)) == Match("两只老虎", "pinyin", 0)
    assert match("兩隻老虎", "两只老虎") == Match("两只老虎", "exact", 0)
    assert match("两支老虎", "两只老虎") == Match("两只老虎", "homophone", 0)


def test_exact_alias_beats_typo_on_target() -> None:
    assert match("Jingle Bell", "Jingle Bells", ("Jingle Bell",)) == Match("Jingle Bell", "exact", 0)
