// The page's words in Chinese and English; the group's language picks one (session.lang).
const WORDS = {
  zh: {
    loading: "正在连接…", offline: "连接中断，正在重连…", reconnected: "已重新连接",
    refused: "无法打开", refused_hint: "请回到群里，向机器人要一个新的链接。",
    link_invalid: "这个链接无效（不是本服务发出的，或被改动过）。",
    link_expired: "这个链接已过期。", link_wrong_room: "这个链接属于另一局游戏。",
    telegram_invalid: "无法确认你的 Telegram 身份。", telegram_expired: "Telegram 会话太旧，请重新打开。",
    no_session: "请从机器人发给你的链接打开本页。", session_expired: "会话已过期。",
    unknown_room: "这局游戏不存在或已被删除。", closed: "这局游戏已经结束。",
    you: "我", players: "玩家", join: "加入游戏", leave: "退出", joined: "已加入",
    waiting_start: "等待开始…", spectating: "观战中", lobby: "等待玩家加入",
    game_over: "游戏结束", rank: "排名", score: "分", next_round: "等待下一局…",
    quiz: "答题", spy: "谁是卧底", song: "猜歌", checkin: "签到",
    question: "第 {n}/{total} 题", answer: "回答", your_answer: "你的答案：{a}", answered: "已答 {n}/{of}",
    right: "答对了！", wrong: "答错了", correct_answer: "答案：{a}", explanation: "解析：{e}",
    scores: "得分", send: "发送", type_answer: "输入答案",
    your_word: "你的词", blank_word: "你是白板，没有词", round: "第 {n} 轮", pk: "PK",
    turn: "轮到 {name} 描述", your_turn: "轮到你描述了", describe: "描述你的词", vote: "投票",
    vote_for: "投给谁？", abstain: "弃权", voted: "已投票", votes: "已投 {n}/{of}",
    out: "出局", alive: "存活", tally: "得票", nobody_out: "本轮无人出局",
    blank_guess: "白板猜词", guess: "猜平民的词", winner_civilians: "平民获胜",
    winner_spies: "卧底获胜", winner_blank: "白板获胜", role_civilian: "平民", role_spy: "卧底",
    role_blank: "白板", words: "平民词：{c} · 卧底词：{s}", you_are_out: "你已出局，可以继续观战",
    song_round: "第 {n}/{total} 首", hints: "提示", skip: "跳过这首", skip_votes: "跳过 {n}/{need}",
    title: "歌名：{t}", by: "作者：{a}", won_round: "{name} 猜中了！", timeout: "时间到，没人猜中",
    skipped: "已跳过", listen: "播放", wrong_answer: "不对，再猜猜", already_credited: "作者分已经拿过了",
    checkin_button: "签到", checked_today: "今天已签到", streak: "连续 {n} 天", longest: "最长 {n} 天",
    total_points: "累计 {n} 分", cards_left: "补签卡 {n} 张", makeup: "补签", makeup_ask: "用一张补签卡补 {day}？",
    calendar: "{y} 年 {m} 月", board: "本周排行", no_scores: "还没有人上榜",
    live_room: "正在进行：{game}", open_room: "进入", group_page: "群主页",
    weekdays: "一二三四五六日",
  },
  en: {
    loading: "Connecting…", offline: "Connection lost, reconnecting…", reconnected: "Reconnected",
    refused: "Cannot open this page", refused_hint: "Go back to the group and ask the bot for a new link.",
    link_invalid: "This link is not valid (not made by this server, or altered).",
    link_expired: "This link has expired.", link_wrong_room: "This link belongs to another game.",
    telegram_invalid: "Your Telegram identity could not be confirmed.",
    telegram_expired: "This Telegram session is too old: open it again.",
    no_session: "Open this page from the link the bot sent you.", session_expired: "Your session has expired.",
    unknown_room: "This game does not exist any more.", closed: "This game has ended.",
    you: "me", players: "Players", join: "Join the game", leave: "Leave", joined: "Joined",
    waiting_start: "Waiting for the start…", spectating: "Spectating", lobby: "Waiting for players",
    game_over: "Game over", rank: "Rank", score: "pts", next_round: "Waiting for the next game…",
    quiz: "Quiz", spy: "Who's the Spy", song: "Name That Tune", checkin: "Check-in",
    question: "Question {n}/{total}", answer: "Answer", your_answer: "Your answer: {a}", answered: "Answered {n}/{of}",
    right: "Right!", wrong: "Wrong", correct_answer: "Answer: {a}", explanation: "Why: {e}",
    scores: "Scores", send: "Send", type_answer: "Type your answer",
    your_word: "Your word", blank_word: "You are the blank: no word", round: "Round {n}", pk: "PK",
    turn: "{name} is describing", your_turn: "Your turn to describe", describe: "Describe your word",
    vote: "Vote", vote_for: "Who is the spy?", abstain: "Abstain", voted: "Voted", votes: "Voted {n}/{of}",
    out: "out", alive: "alive", tally: "votes", nobody_out: "Nobody is out this round",
    blank_guess: "The blank guesses", guess: "Guess the civilians' word", winner_civilians: "Civilians win",
    winner_spies: "Spies win", winner_blank: "The blank wins", role_civilian: "civilian", role_spy: "spy",
    role_blank: "blank", words: "Civilians: {c} · Spies: {s}", you_are_out: "You are out; keep watching",
    song_round: "Song {n}/{total}", hints: "Hints", skip: "Skip this one", skip_votes: "Skip {n}/{need}",
    title: "Title: {t}", by: "By: {a}", won_round: "{name} got it!", timeout: "Time is up: nobody got it",
    skipped: "Skipped", listen: "Play", wrong_answer: "Not that one, try again",
    already_credited: "You already have the artist points",
    checkin_button: "Check in", checked_today: "Checked in today", streak: "{n}-day streak", longest: "best {n}",
    total_points: "{n} points in all", cards_left: "{n} make-up cards", makeup: "Make up",
    makeup_ask: "Use a make-up card for {day}?", calendar: "{m}/{y}", board: "This week", no_scores: "No scores yet",
    live_room: "Now playing: {game}", open_room: "Open", group_page: "Group page",
    weekdays: ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"],
  },
};

let lang = "zh";

export function setLang(value) {
  lang = value === "en" ? "en" : "zh";
  document.documentElement.lang = lang;
}

export function getLang() {
  return lang;
}

/** The word for `key`, with {name} placeholders filled from `vars` (as text, never markup). */
export function t(key, vars = {}) {
  const text = WORDS[lang][key] ?? WORDS.en[key] ?? key;
  if (typeof text !== "string") return text;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** A server text given in both languages ({zh, en}) in the page's language. */
export function pick(both) {
  if (both === null || both === undefined) return "";
  if (typeof both === "string") return both;
  return both[lang] ?? both.zh ?? both.en ?? both.text ?? "";
}
