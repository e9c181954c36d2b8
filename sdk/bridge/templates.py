"""The words the bridge says, per language, and how operators replace them.

Every message the bridge sends comes from one template here, found by key: an event's
``<game>.<kind>`` (``quiz.question``), then its plain ``<kind>`` (``player_joined``), or a
reply key (``reply.checkin``, ``error.not_your_turn``). A missing or empty template means
"say nothing" — that is how an operator silences a message. Templates are ``str.format``
strings; a placeholder the event does not supply is left as written rather than failing,
so a typo in an override costs a odd-looking message, not a crashed bot.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

DEFAULTS: dict[str, dict[str, str]] = {
    "zh": {
        "seat": "{seat}号{name}",
        "list_sep": "、",
        "room_created": "🔥 {title}开房啦！发送「加入」参加，人齐后发送「开始」。",
        "player_joined": "{who} 加入（{count} 人）",
        "player_left": "{who} 退出了（{count} 人）",
        "late_joined": "{who} 中途加入（{count} 人）",
        "game_started": "{title}开始！",
        "game_over": "🏆 {title}结束！\n{ranking}",
        "ranking_line": "{rank}. {who}  {score} 分",
        "room_closed": "本局已关闭。",
        "announce": "📢 {text}",
        # quiz
        "quiz.question": "第 {number}/{total} 题（{seconds} 秒）\n{text}{choices}",
        "quiz.choice_line": "{letter}. {choice}",
        "quiz.reveal": "✅ 答案：{answer}{explanation}\n{right}",
        "quiz.right": "答对：{names}",
        "quiz.nobody_right": "这题没人答对。",
        # spy
        "spy.started": "本局 {count} 人：平民 {civilians}，卧底 {spies}，白板 {blanks}。词已私聊发给各位。",
        "spy.your_word": "你的词是「{word}」。描述时别直接说出来哦。",
        "spy.your_word_blank": "你是白板，没有词。听大家描述，藏好自己。",
        "spy.round": "第 {round} 轮，发言顺序：{order}",
        "spy.turn": "请 {who} 描述（{seconds} 秒），直接发一句话即可。",
        "spy.described": "{who}：{text}",
        "spy.skipped": "{who} 超时未发言。",
        "spy.leak": "你的描述说出了自己的词，被淘汰了。",
        "spy.vote_open": "开始投票（{seconds} 秒）！发送「投N」投给 N 号，或「弃权」。候选：{candidates}",
        "spy.vote_result": "投票结果：{tally}",
        "spy.pk": "{names} 平票，进入 PK 加赛。",
        "spy.eliminated": "{who} 出局。{role}",
        "spy.role": "身份：{role}",
        "spy.blank_guess_open": "{who} 是白板！请在 {seconds} 秒内发送「猜 词语」猜平民的词。",
        "spy.blank_guess_result": "白板猜{verdict}。",
        "spy.votes": "{who} {n}票", "spy.abstained": "弃权 {n}", "spy.no_votes": "无人投票",
        "spy.verdict.right": "对了", "spy.verdict.late": "超时了", "spy.verdict.wrong": "错了",
        "spy.finished": "{winner}获胜！平民词「{civilian}」，卧底词「{spy}」。\n{roles}",
        "spy.role.civilian": "平民", "spy.role.spy": "卧底", "spy.role.blank": "白板",
        "spy.side.civilians": "平民", "spy.side.spies": "卧底", "spy.side.blank": "白板",
        # song
        "song.round": "🎵 第 {number}/{total} 首（{seconds} 秒）：听旋律，直接发歌名！{clip}",
        "song.hint": "💡 提示 {n}：{hint}",
        "song.hint.artist_initial": "作者首字母 {value}",
        "song.hint.length": "歌名 {value}",
        "song.hint.initials": "歌名首字母 {value}",
        "song.hint.lyric": "歌词「{value}」",
        "song.hint.traditional": "{value}",
        "song.artist_credit": "{who} 猜中了作者，+{points} 分",
        "song.skip_vote": "{who} 想跳过（{votes}/{needed}）",
        "song.reveal": "🎵 答案：{answer}{artist}\n{right}",
        "song.right": "{who} 猜中！+{points} 分",
        "song.nobody_right": "时间到，没人猜中。",
        "song.skipped": "已跳过。",
        "song.late_joined": "",
        # replies
        "reply.checkin": "{name}：{message}",
        "reply.makeup": "{name}：{message}",
        "reply.calendar": "{name} 的 {month} 签到：{count} 天（补签 {made_up}），剩余补签卡 {cards_left} 张\n{grid}",
        "reply.board": "🏆 {title}排行榜\n{lines}",
        "reply.board_line": "{rank}. {name}  {score}",
        "reply.board_empty": "排行榜还是空的，快来玩一局吧！",
        "reply.board_all": "总",
        "reply.rules": "【{title}】{usage}",
        "reply.help": "可用命令：\n{lines}",
        "reply.help_line": "{word} — {help}",
        "reply.no_room": "现在没有开着的游戏，发送「答题」「谁是卧底」或「猜歌」开一局。",
        "reply.busy": "群里已经有一局{title}了，发送「加入」参加。",
        "reply.play_link": "在网页上玩这局{title}（链接只给你，请勿转发）：{url}",
        "reply.no_seat": "没有 {seat} 号。",
        "reply.bad_day": "看不懂这个日期，试试「补签 11-20」。",
        "error": "{name}：{message}",
        "error.not_your_turn": "{name}：还没轮到你。",
        "error.too_late": "{name}：来晚了，这题已经结束。",
        "error.already_answered": "{name}：每题只能答一次。",
        "error.word_in_description": "{name}：描述里不能出现你自己的词，换个说法。",
        "error.description_too_long": "{name}：描述太长了。",
        "error.already_voted": "{name}：你已经投过票了。",
        "error.cannot_vote_self": "{name}：不能投自己。",
        "error.invalid_target": "{name}：只能投给候选人。",
        "error.not_a_voter": "{name}：PK 中的玩家不参与这轮投票。",
        "error.eliminated": "{name}：你已经出局了。",
        "error.wrong_phase": "{name}：现在不是这个环节。",
        "error.already_joined": "{name}：你已经在游戏里了。",
        "error.not_in_room": "{name}：你不在这局游戏里，先发送「加入」。",
        "error.not_a_player": "{name}：你不在这局游戏里。",
        "error.room_full": "{name}：人满了。",
        "error.not_enough_players": "人数不够，{title}至少需要 {min_players} 人。",
        "error.wrong_status": "{name}：现在不能这样做。",
        "error.invalid_day": "{name}：这一天不能补签。",
        "error.no_makeup_cards": "{name}：本月的补签卡用完了。",
        "error.makeup_not_past": "{name}：只能补签已经过去的日子。",
        "error.makeup_too_old": "{name}：这一天太久远，补不了了。",
        "error.already_checked_in": "{name}：那天已经签到过了。",
        "error.group_busy": "群里已经有一局游戏了。",
        "error.no_content": "题库里没有可用的内容。",
        "error.rate_limited": "太快啦，稍等一下。",
        "error.invalid_answer": "",
        "error.wrong_answer": "",
        "error.already_credited": "",
        "error.game_over": "",
    },
    "en": {
        "seat": "#{seat} {name}",
        "list_sep": ", ",
        "room_created": "🔥 {title} is open! Send /join to play, then /start when everyone is in.",
        "player_joined": "{who} joined ({count} in)",
        "player_left": "{who} left ({count} in)",
        "late_joined": "{who} joined the game ({count} in)",
        "game_started": "{title} begins!",
        "game_over": "🏆 {title} is over!\n{ranking}",
        "ranking_line": "{rank}. {who} — {score}",
        "room_closed": "The game was closed.",
        "announce": "📢 {text}",
        "quiz.question": "Question {number}/{total} ({seconds}s)\n{text}{choices}",
        "quiz.choice_line": "{letter}. {choice}",
        "quiz.reveal": "✅ Answer: {answer}{explanation}\n{right}",
        "quiz.right": "Right: {names}",
        "quiz.nobody_right": "Nobody got that one.",
        "spy.started": "{count} players: {civilians} civilians, {spies} spies, {blanks} blanks. Your word is in your DMs.",
        "spy.your_word": "Your word is \"{word}\". Don't say it outright!",
        "spy.your_word_blank": "You are the blank: no word. Listen, and blend in.",
        "spy.round": "Round {round}. Speaking order: {order}",
        "spy.turn": "{who}, describe your word ({seconds}s): just send one line.",
        "spy.described": "{who}: {text}",
        "spy.skipped": "{who} ran out of time.",
        "spy.leak": "Your description gave away your own word: you are out.",
        "spy.vote_open": "Vote now ({seconds}s)! Send \"vote N\" for seat N, or /abstain. Candidates: {candidates}",
        "spy.vote_result": "Votes: {tally}",
        "spy.pk": "{names} are tied: tie-break round.",
        "spy.eliminated": "{who} is out. {role}",
        "spy.role": "Role: {role}",
        "spy.blank_guess_open": "{who} was the blank! Guess the civilians' word within {seconds}s: \"guess WORD\".",
        "spy.blank_guess_result": "The blank's guess was {verdict}.",
        "spy.votes": "{who} {n}", "spy.abstained": "abstained {n}", "spy.no_votes": "no votes",
        "spy.verdict.right": "right", "spy.verdict.late": "too late", "spy.verdict.wrong": "wrong",
        "spy.finished": "The {winner} win! Civilians' word \"{civilian}\", spies' word \"{spy}\".\n{roles}",
        "spy.role.civilian": "civilian", "spy.role.spy": "spy", "spy.role.blank": "blank",
        "spy.side.civilians": "civilians", "spy.side.spies": "spies", "spy.side.blank": "blank",
        "song.round": "🎵 Tune {number}/{total} ({seconds}s): name it in chat! {clip}",
        "song.hint": "💡 Hint {n}: {hint}",
        "song.hint.artist_initial": "composer starts with {value}",
        "song.hint.length": "title {value}",
        "song.hint.initials": "title initials {value}",
        "song.hint.lyric": "lyric \"{value}\"",
        "song.hint.traditional": "{value}",
        "song.artist_credit": "{who} named the composer: +{points}",
        "song.skip_vote": "{who} wants to skip ({votes}/{needed})",
        "song.reveal": "🎵 It was: {answer}{artist}\n{right}",
        "song.right": "{who} got it! +{points}",
        "song.nobody_right": "Time's up: nobody got it.",
        "song.skipped": "Skipped.",
        "song.late_joined": "",
        "reply.checkin": "{name}: {message}",
        "reply.makeup": "{name}: {message}",
        "reply.calendar": "{name}, {month}: {count} days ({made_up} made up), {cards_left} make-up cards left\n{grid}",
        "reply.board": "🏆 {title} leaderboard\n{lines}",
        "reply.board_line": "{rank}. {name} — {score}",
        "reply.board_empty": "The board is empty: play a game!",
        "reply.board_all": "Overall",
        "reply.rules": "[{title}] {usage}",
        "reply.help": "Commands:\n{lines}",
        "reply.help_line": "{word} — {help}",
        "reply.no_room": "No game is open. Send /quiz, /spy or /song to start one.",
        "reply.busy": "A {title} game is already open here: send /join to play.",
        "reply.play_link": "Play this {title} game on a page (this link is yours alone, don't forward it): {url}",
        "reply.no_seat": "There is no seat {seat}.",
        "reply.bad_day": "I can't read that date; try \"makeup 11-20\".",
        "error": "{name}: {message}",
        "error.not_your_turn": "{name}: it's not your turn.",
        "error.too_late": "{name}: too late, that question is closed.",
        "error.already_answered": "{name}: one answer per question.",
        "error.word_in_description": "{name}: your description contains your own word; say it another way.",
        "error.not_in_room": "{name}: you're not in this game; send /join first.",
        "error.not_enough_players": "Not enough players: {title} needs at least {min_players}.",
        "error.no_makeup_cards": "{name}: no make-up cards left this month.",
        "error.makeup_too_old": "{name}: that day is too long ago to make up.",
        "error.already_checked_in": "{name}: you already checked in that day.",
        "error.invalid_answer": "",
        "error.wrong_answer": "",
        "error.already_credited": "",
        "error.game_over": "",
    },
}


class _Keep(dict[str, Any]):
    """format_map helper: unknown placeholders stay as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Templates:
    """Default templates with operator overrides on top.

    ``overrides`` is ``{"zh": {key: text}, "en": {...}}``, or a path to a JSON file of that
    shape. An empty string (or null) silences that message."""

    def __init__(self, overrides: Mapping[str, Mapping[str, str | None]] | str | Path | None = None) -> None:
        given: Mapping[str, Mapping[str, str | None]] = (
            json.loads(Path(overrides).read_text(encoding="utf-8")) if isinstance(overrides, (str, Path))
            else overrides or {})
        from sdk.bridge.hant import TEMPLATES as HANT

        self._table: dict[str, dict[str, str | None]] = {lang: dict(t) for lang, t in DEFAULTS.items()}
        self._table["zh-Hant"] = dict(HANT)
        for lang, table in given.items():
            self._table.setdefault(lang, {}).update(table)

    def get(self, lang: str, key: str) -> str | None:
        """The template text, or None for "say nothing". A language the table does not know
        reads the English one; a key missing in a known language is not filled from another
        language (a Chinese line in an English group is worse than the generic fallback)."""
        table = self._table.get(lang) or self._table["en"]
        if key in table:
            return table[key] or None
        return None

    def has(self, lang: str, key: str) -> bool:
        return key in (self._table.get(lang) or self._table["en"])

    def render(self, lang: str, key: str, **fields: Any) -> str | None:
        text = self.get(lang, key)
        if text is None:
            return None
        return text.format_map(_Keep(fields))
