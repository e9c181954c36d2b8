"""Who's the Spy played to each of its endings through the real server and the SDK (issue 3,
"Done when"): scripted 6-player games in which one bot relays for the members. The bot
receives every member's private ``your_word`` (that is how it sends the DMs), so the
script knows who is the civilian, the spy and the blank from the words alone.

Points are checked against the table in docs/games/spy.md: a win is worth 10 to each
civilian, 20 to each spy, 30 to the blank; +2 per round survived; +3 per vote cast
against a spy (normal and PK votes alike).
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from sdk import Client
from sdk.models import Event
from server.clock import ManualClock
from server.run import EmbeddedServer

MEMBERS = ["u1", "u2", "u3", "u4", "u5", "u6"]
SECONDS = 20  # describe_seconds and vote_seconds of every scripted room
WIN = {"civilian": 10, "spy": 20, "blank": 30}
SIDE = {"civilian": "civilians", "spy": "spies", "blank": "blank"}



class Table:
    """One scripted game: the bot's event log, who holds which role, the votes cast."""

    def __init__(self, bot: Client, clock: ManualClock, group: str) -> None:
        self.bot, self.clock, self.group = bot, clock, group
        self.room = ""
        self.log: list[Event] = []
        self.words: dict[str, str | None] = {}
        self.roles: dict[str, str] = {}
        self.spy_votes: Counter[str] = Counter()  # votes each member cast against a spy
        self.out_round: dict[str, int] = {}
        self.round = 0

    async def start(self, config: dict[str, Any]) -> None:
        cfg = {"describe_seconds": SECONDS, "vote_seconds": SECONDS, "lang": "zh", **config}
        self.room = (await self.bot.create_room(self.group, "spy", cfg)).id
        for i, member in enumerate(MEMBERS):
            await self.bot.join(self.room, member, f"Member {i + 1}")
        await self.bot.start(self.room)
        started = await self.until("started")
        assert started.data["counts"] == {"civilians": 6 - cfg.get("spies", 1) - 1,
                                          "spies": cfg.get("spies", 1), "blanks": 1}
        while len(self.words) < len(MEMBERS):
            ev = await self.until("your_word")
            assert ev.to is not None and len(ev.to) == 1  # private: one member each
            self.words[ev.to[0]] = ev.data["word"]
        civilian_word = Counter(w for w in self.words.values() if w).most_common(1)[0][0]
        self.roles = {m: "blank" if w is None else "civilian" if w == civilian_word else "spy"
                      for m, w in self.words.items()}

    def of(self, role: str) -> list[str]:
        return [m for m in MEMBERS if self.roles[m] == role]

    async def until(self, *kinds: str) -> Event:
        """The next event of one of ``kinds``; everything read on the way stays in the log."""
        while True:
            ev = await self.bot.next_event(timeout=5)
            self.log.append(ev)
            if ev.kind == "round":
                self.round = ev.data["round"]
            if ev.kind == "eliminated":
                self.out_round[ev.data["player"]] = ev.data["round"]
            if ev.kind in kinds:
                return ev

    def kinds(self) -> list[str]:
        return [ev.kind for ev in self.log]

    async def describe_all(self, skip: str | None = None) -> Event:
        """Everyone whose turn comes describes (``skip`` lets the timer run out instead);
        returns the vote_open that follows."""
        n = 0
        while True:
            ev = await self.until("turn", "vote_open")
            if ev.kind == "vote_open":
                return ev
            speaker = ev.data["player"]
            if speaker == skip:
                await self.clock.advance(SECONDS)
                skipped = await self.until("skipped")
                assert skipped.data["player"] == skip
                continue
            n += 1
            await self.bot.act(self.room, {"describe": f"clue-{n}"}, player=speaker)

    async def vote(self, ballots: dict[str, str | None]) -> Event:
        """Every voter in ``ballots`` votes (None abstains); returns the vote_result."""
        for voter, target in ballots.items():
            if target is not None and self.roles[target] == "spy":
                self.spy_votes[voter] += 1
            await self.bot.act(self.room, {"vote": target}, player=voter)
        return await self.until("vote_result")

    def expected_scores(self, winner: str) -> dict[str, int]:
        """docs/games/spy.md, "Scoring"."""
        scores = {}
        for m in MEMBERS:
            role = self.roles[m]
            survived = self.out_round[m] - 1 if m in self.out_round else self.round
            won = SIDE[role] == winner
            scores[m] = (WIN[role] if won else 0) + 2 * survived + 3 * self.spy_votes[m]
        return scores

    async def check_ending(self, winner: str, reason: str) -> None:
        finished = await self.until("finished")
        assert finished.data["winner"] == winner and finished.data["reason"] == reason
        assert finished.data["roles"] == self.roles
        assert set(finished.data["winners"]) == {m for m in MEMBERS if SIDE[self.roles[m]] == winner}
        over = await self.until("game_over")
        result = over.result
        assert result is not None and result.game == "spy"
        expected = self.expected_scores(winner)
        assert {p.player: p.score for p in result.players} == expected
        assert {p.player for p in result.players if p.won} == set(finished.data["winners"])
        assert {p.player: p.stats["role"] for p in result.players} == self.roles
        assert result.summary["winner"] == winner
        board = {e.member: e.score for e in await self.bot.board(self.group, game="spy", limit=20)}
        assert {m: s for m, s in board.items() if s} == {m: s for m, s in expected.items() if s}


async def test_civilians_win_after_a_timeout_skip_and_a_pk_round(
        seeded_server: EmbeddedServer, clock: ManualClock, app_key: str) -> None:
    async with Client(seeded_server.url, app_key) as bot:
        t = Table(bot, clock, "civ")
        await t.start({})
        (spy,), (blank,), civs = t.of("spy"), t.of("blank"), t.of("civilian")
        assert len(civs) == 4
        await t.describe_all(skip=civs[0])
        assert t.kinds().count("skipped") == 1
        view = await bot.view(t.room)
        assert view["view"]["skips"][civs[0]] == 1
        # two votes each for the spy and a civilian, two abstentions: a tie
        result = await t.vote({civs[0]: spy, civs[1]: spy, civs[2]: civs[1], blank: civs[1],
                               spy: None, civs[3]: None})
        assert result.data["out"] is None and sorted(result.data["pk_candidates"]) == sorted([spy, civs[1]])
        assert result.data["tally"][spy] == 2 and result.data["abstained"] == 2
        pk = await t.until("pk")
        assert sorted(pk.data["players"]) == sorted([spy, civs[1]])
        opened = await t.describe_all()
        assert opened.data["pk"] is True and sorted(opened.data["candidates"]) == sorted([spy, civs[1]])
        result = await t.vote({civs[0]: spy, civs[2]: spy, civs[3]: spy, blank: civs[1]})
        assert result.data["pk"] is True and result.data["out"] == spy
        await t.check_ending("civilians", "eliminated")


async def test_the_spies_win_when_they_are_as_many_as_the_civilians(
        seeded_server: EmbeddedServer, clock: ManualClock, app_key: str) -> None:
    async with Client(seeded_server.url, app_key) as bot:
        t = Table(bot, clock, "spies")
        await t.start({"spies": 2})
        spies, (blank,), civs = t.of("spy"), t.of("blank"), t.of("civilian")
        assert len(spies) == 2 and len(civs) == 3
        # Round 1: a tie, then a PK that ties again: nobody is out.
        await t.describe_all()
        result = await t.vote({spies[0]: civs[0], spies[1]: civs[0], civs[0]: spies[0], civs[1]: spies[0],
                               civs[2]: None, blank: None})
        assert sorted(result.data["pk_candidates"]) == sorted([civs[0], spies[0]])
        await t.until("pk")
        await t.describe_all(skip=spies[0])  # a skip inside the PK too
        result = await t.vote({spies[1]: civs[0], civs[1]: spies[0], civs[2]: None, blank: None})
        assert result.data["pk"] is True and result.data["out"] is None
        assert (await t.until("round")).data["round"] == 2
        # Round 2: a civilian is voted out, leaving two spies and two civilians.
        await t.describe_all()
        result = await t.vote({spies[0]: civs[0], spies[1]: civs[0], blank: civs[0], civs[0]: spies[1],
                               civs[1]: None, civs[2]: None})
        assert result.data["out"] == civs[0]
        await t.check_ending("spies", "eliminated")
        assert t.kinds().count("skipped") == 1


async def test_the_blank_voted_out_guesses_the_civilians_word_and_wins(
        seeded_server: EmbeddedServer, clock: ManualClock, app_key: str) -> None:
    async with Client(seeded_server.url, app_key) as bot:
        t = Table(bot, clock, "blank")
        await t.start({})
        (spy,), (blank,), civs = t.of("spy"), t.of("blank"), t.of("civilian")
        await t.describe_all()
        result = await t.vote({m: blank for m in MEMBERS if m != blank} | {blank: spy})
        assert result.data["out"] == blank
        opened = await t.until("blank_guess_open")
        assert opened.data["player"] == blank
        civilian_word = t.words[civs[0]]
        assert civilian_word is not None
        await bot.act(t.room, {"guess": f" {civilian_word}! "}, player=blank)
        guessed = await t.until("blank_guess_result")
        assert guessed.data == {"player": blank, "correct": True, "timed_out": False}
        await t.check_ending("blank", "blank_guessed")
