"""Events into chat text, through the templates. One function per event that needs more
than its raw fields; everything else is formatted straight from the event's data."""
from __future__ import annotations

from typing import Any, Callable

from sdk.bridge.media import clip_link
from sdk.bridge.state import GroupState
from sdk.bridge.templates import Templates

LETTERS = "ABCDEF"

TITLES: dict[str, dict[str, str]] = {
    "zh": {"quiz": "答题", "spy": "谁是卧底", "song": "猜歌", "checkin": "签到", "all": "总"},
    "en": {"quiz": "Quiz", "spy": "Who's the Spy", "song": "Name That Tune", "checkin": "Check-in",
           "all": "Overall"},
}

# Lobby events every game shares: looked up as "<game>.<kind>" first, then "<kind>".
SHARED_KINDS = frozenset({"room_created", "player_joined", "late_joined", "player_left", "game_started", "game_over",
                          "room_closed", "announce"})


def _titles_hant() -> dict[str, str]:
    from sdk.bridge.hant import TITLES as HANT

    return HANT


def title(lang: str, game: str | None) -> str:
    if lang == "zh-Hant":
        return _titles_hant().get(game or "", game or "")
    table = TITLES.get(lang) or TITLES.get(lang[:2], TITLES["en"])
    return table.get(game or "", game or "")


class Renderer:
    def __init__(self, templates: Templates, media_base: str | None = None, audio_format: str | None = None) -> None:
        self.t = templates
        self.media_base = media_base.rstrip("/") if media_base else None
        self.audio_format = audio_format  # the clip format linked in the text (sdk/bridge/media.py)

    def media_url(self, url: str) -> str:
        """Server-relative media paths ("/media/songs/x.wav") made absolute for chat."""
        if url.startswith("/") and self.media_base:
            return self.media_base + url
        return url

    # --- helpers -------------------------------------------------------------------
    def who(self, lang: str, st: GroupState, player: str) -> str:
        seat = st.seat_of(player)
        name = st.name_of(player)
        if seat is None:
            return name
        return self.t.render(lang, "seat", seat=seat, name=name) or name

    def names(self, lang: str, st: GroupState, players: list[str]) -> str:
        sep = self.t.get(lang, "list_sep") or ", "
        return sep.join(self.who(lang, st, p) for p in players)

    def seconds(self, st: GroupState, key: str, data: dict[str, Any]) -> Any:
        return data.get("seconds") or st.config.get(key) or ""

    # --- the entry point -------------------------------------------------------------
    def render(self, lang: str, st: GroupState, kind: str, data: dict[str, Any]) -> str | None:
        game = st.game or ""
        key = f"{game}.{kind}"
        if not self.t.has(lang, key):
            if kind not in SHARED_KINDS:
                return None
            key = kind
        special: Callable[[str, GroupState, dict[str, Any]], dict[str, Any]] | None = getattr(
            self, f"_{game}_{kind}", None) or getattr(self, f"_{kind}", None)
        fields: dict[str, Any] = {"title": title(lang, game), **{k: v for k, v in data.items()
                                                                 if isinstance(v, (str, int, float))}}
        if "player" in data and isinstance(data["player"], str):
            fields["who"] = self.who(lang, st, data["player"])
            fields["name"] = st.name_of(data["player"])
        if special is not None:
            fields.update(special(lang, st, data))
        if key == "spy.your_word" and data.get("blank"):
            key = "spy.your_word_blank"
        return self.t.render(lang, key, **fields)

    # --- shared --------------------------------------------------------------------
    def _player_joined(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        return {"count": data.get("players", len(st.seats))}

    _player_left = _player_joined
    _late_joined = _player_joined

    def _game_over(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        players = (data.get("result") or {}).get("players", [])
        lines = [self.t.render(lang, "ranking_line", rank=p["rank"], who=self.who(lang, st, p["player"]),
                               name=st.name_of(p["player"]), score=p["score"]) or "" for p in players]
        return {"ranking": "\n".join(line for line in lines if line)}

    def _announce(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        text = data.get("text")
        if isinstance(text, dict):
            text = text.get(lang) or next(iter(text.values()), "")
        return {"text": text or ""}

    # --- quiz ----------------------------------------------------------------------
    def _quiz_question(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        choices = data.get("choices") or []
        lines = [self.t.render(lang, "quiz.choice_line", letter=LETTERS[i], number=i + 1, choice=c) or ""
                 for i, c in enumerate(choices)]
        return {"number": data.get("index", 0) + 1, "choices": "".join("\n" + line for line in lines),
                "seconds": self.seconds(st, "seconds", data)}

    def _quiz_reveal(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        right = data.get("right") or []
        line = (self.t.render(lang, "quiz.right", names=self.names(lang, st, right)) if right
                else self.t.render(lang, "quiz.nobody_right"))
        answer = data.get("answer", "")
        if data.get("answer_index") is not None:
            answer = f"{LETTERS[data['answer_index']]}. {answer}"
        explanation = data.get("explanation") or ""
        return {"answer": answer, "explanation": f"（{explanation}）" if explanation and lang.startswith("zh")
                else (f" ({explanation})" if explanation else ""), "right": line or "",
                "number": data.get("index", 0) + 1}

    # --- spy -----------------------------------------------------------------------
    def _spy_started(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        counts = data.get("counts", {})
        return {"count": len(data.get("players", [])), "civilians": counts.get("civilians", 0),
                "spies": counts.get("spies", 0), "blanks": counts.get("blanks", 0)}

    def _spy_round(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        return {"order": self.names(lang, st, data.get("order", []))}

    def _spy_turn(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        return {"seconds": self.seconds(st, "describe_seconds", data)}

    def _spy_vote_open(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        return {"candidates": self.names(lang, st, data.get("candidates", [])),
                "seconds": self.seconds(st, "vote_seconds", data)}

    def _spy_vote_result(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        parts = [self.t.render(lang, "spy.votes", who=self.who(lang, st, p), n=n) or ""
                 for p, n in (data.get("tally") or {}).items() if n]
        if data.get("abstained"):
            parts.append(self.t.render(lang, "spy.abstained", n=data["abstained"]) or "")
        sep = self.t.get(lang, "list_sep") or ", "
        return {"tally": sep.join(parts) or self.t.get(lang, "spy.no_votes") or ""}

    def _spy_pk(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        return {"names": self.names(lang, st, data.get("players", []))}

    def _spy_eliminated(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        role = data.get("role")
        role_text = self.t.render(lang, "spy.role", role=self.t.get(lang, f"spy.role.{role}") or role) if role else ""
        return {"role": role_text or ""}

    def _spy_blank_guess_open(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        return {"seconds": self.seconds(st, "guess_seconds", data)}

    def _spy_blank_guess_result(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        outcome = "right" if data.get("correct") else ("late" if data.get("timed_out") else "wrong")
        return {"verdict": self.t.get(lang, f"spy.verdict.{outcome}") or outcome}

    def _spy_finished(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        words = data.get("words") or {}
        sep = "：" if lang.startswith("zh") else ": "
        roles = "\n".join(f"{self.who(lang, st, p)}{sep}{self.t.get(lang, f'spy.role.{r}') or r}"
                          for p, r in (data.get("roles") or {}).items())
        winner = data.get("winner", "")
        return {"winner": self.t.get(lang, f"spy.side.{winner}") or winner, "civilian": words.get("civilian") or "",
                "spy": words.get("spy") or "", "roles": roles}

    # --- song ----------------------------------------------------------------------
    def _song_round(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        clip = data.get("clip") or {}
        link = clip_link(clip, self.audio_format) if isinstance(clip, dict) else None
        return {"number": data.get("index", 0) + 1, "clip": self.media_url(link[0]) if link else "",
                "seconds": self.seconds(st, "round_seconds", data)}

    def _song_hint(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        value = data.get(lang[:2]) or data.get("text") or data.get("en") or data.get("zh") or ""
        hint = self.t.render(lang, f"song.hint.{data.get('kind')}", value=value) or value
        return {"hint": hint}

    def _song_skip_vote(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        return {}

    def _song_reveal(self, lang: str, st: GroupState, data: dict[str, Any]) -> dict[str, Any]:
        def pick(names: Any) -> str:
            if not isinstance(names, dict):
                return str(names or "")
            first = names.get(lang[:2]) or names.get("en") or names.get("zh") or ""
            other = next((v for k, v in names.items() if v and v != first), None)
            return f"{first} ({other})" if other else first

        winner = data.get("winner")
        if winner:
            right = self.t.render(lang, "song.right", who=self.who(lang, st, winner), points=data.get("points", 0))
        elif data.get("reason") == "skipped":
            right = self.t.render(lang, "song.skipped")
        else:
            right = self.t.render(lang, "song.nobody_right")
        artist = "" if data.get("traditional") else pick(data.get("artist"))
        sep = " — " if artist else ""
        return {"answer": pick(data.get("title")), "artist": f"{sep}{artist}", "right": right or ""}
