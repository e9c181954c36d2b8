"""What the bridge remembers about each group's current room, learned from events.

It is the minimum needed to read natural replies: who sits in which seat (so "投3" means
someone), which question is open and its choices (so "B" and "2" are answers), whose turn
it is in Who's the Spy (so their next line is their description) and who may guess.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class GroupState:
    group: str
    room: str | None = None
    game: str | None = None
    status: str | None = None  # lobby | playing | finished | closed
    config: dict[str, Any] = field(default_factory=dict)
    seats: list[tuple[str, str]] = field(default_factory=list)  # (player, name), seat = index + 1
    phase: str | None = None
    question: dict[str, Any] | None = None  # quiz/song: the open question (type, choices)
    turn: str | None = None  # spy: who describes now
    candidates: list[str] = field(default_factory=list)  # spy: whom one may vote for
    guesser: str | None = None  # spy: the voted-out blank who may guess

    @property
    def live(self) -> bool:
        return self.room is not None and self.status in ("lobby", "playing")

    def players(self) -> list[str]:
        return [p for p, _ in self.seats]

    def seat_of(self, player: str) -> int | None:
        for i, (p, _) in enumerate(self.seats):
            if p == player:
                return i + 1
        return None

    def player_at(self, seat: int) -> str | None:
        return self.seats[seat - 1][0] if 1 <= seat <= len(self.seats) else None

    def name_of(self, player: str) -> str:
        for p, n in self.seats:
            if p == player:
                return n
        return player

    def reset(self, room: str, game: str, status: str, config: dict[str, Any],
              seats: list[tuple[str, str]]) -> None:
        self.room, self.game, self.status, self.config = room, game, status, dict(config)
        self.seats = list(seats)
        self.phase = None
        self.question = None
        self.turn = None
        self.candidates = []
        self.guesser = None

    def apply(self, kind: str, data: dict[str, Any]) -> None:
        """Follow one event of this group's room."""
        if kind == "player_joined":
            if data["player"] not in self.players():
                self.seats.append((data["player"], data.get("name") or data["player"]))
        elif kind == "player_left":
            self.seats = [s for s in self.seats if s[0] != data["player"]]
        elif kind == "game_started":
            self.status = "playing"
            self.seats = [(p["player"], p.get("name") or p["player"]) for p in data.get("players", [])]
            self.config = dict(data.get("config", self.config))
        elif kind == "game_over":
            self.status = "finished"
            self.phase = "finished"
        elif kind == "room_closed":
            self.status = "closed"
            self.phase = None
        elif kind == "question" or (self.game == "song" and kind == "round"):
            self.phase = "question"
            self.question = dict(data)
        elif kind == "reveal":
            self.phase = "reveal"
        elif kind == "turn":
            self.phase = "describe"
            self.turn = data.get("player")
        elif kind == "vote_open":
            self.phase = "vote"
            self.turn = None
            self.candidates = list(data.get("candidates", []))
        elif kind == "vote_result":
            self.phase = "vote_closed"
            self.candidates = []
        elif kind == "blank_guess_open":
            self.phase = "blank_guess"
            self.guesser = data.get("player")
        elif kind == "blank_guess_result":
            self.phase = None
            self.guesser = None
        elif kind == "finished":
            self.phase = "finished"
            self.turn = None
            self.guesser = None

    def apply_view(self, view: dict[str, Any] | None) -> None:
        """Catch up from a ``room.view`` (after a bot restart, events before it are gone)."""
        if not view:
            return
        phase = view.get("phase")
        if self.game == "quiz":
            self.phase = "question" if phase == "question" else phase
            self.question = view.get("question")
        elif self.game == "spy":
            self.phase = {"describe": "describe", "pk_describe": "describe", "vote": "vote",
                          "pk_vote": "vote", "blank_guess": "blank_guess"}.get(phase or "", phase)
            self.turn = view.get("turn")
            self.guesser = view.get("guesser")
            self.candidates = list((view.get("vote") or {}).get("candidates", []))
        else:
            self.phase = phase
