"""Who's the Spy keeps its secrets on the wire (issue 3, "Secrecy").

Hundreds of seeded random games are played through the real server. Every member plays
over their own websocket with their own player token, a member of the same group who is
not playing watches as a spectator, and the bot (API key) drives nothing but room set-up.
Every frame each member or spectator connection receives is recorded and checked: before
the game's "finished" event no frame carries another player's word, the spectator sees
neither word, and nobody but the bot sees a role.

Why the clock moves in lockstep: all the games of a batch share one server and one
ManualClock. A game that wants its current deadline to pass (a describe skip, a vote
left open, a blank who never guesses) waits; when every running game waits, the clock
advances by exactly the one period all timers use, so each game's pending deadline fires
once and nothing else. Each game therefore plays out the same way on every run, given
its seed, however the batch interleaves.
"""
from __future__ import annotations

import asyncio
import dataclasses
import re
import socket
from collections import Counter
from functools import lru_cache
from typing import Any, Iterator

import msgpack
import pytest
import websockets

from games.content import builtin_items
from games.rng import Rng
from games.text import fold, has_han
from server.auth import create_app
from server.clock import ManualClock
from server.config import Settings
from server.run import EmbeddedServer
from server.store import Store

GROUPS = 25  # games played at the same time, one per group
GAMES_PER_GROUP = 20  # 25 × 20 = 500 games
MEMBERS_PER_GROUP = 13  # up to 12 players plus at least one spectator
PERIOD = 10  # describe, vote and guess seconds: one clock step expires any pending deadline
ROLE_NAMES = frozenset({"civilian", "spy", "blank", "civilians", "spies", "blanks"})
FINAL_KINDS = ("finished", "game_over")


# --------------------------------------------------------------------------- wire plumbing

class Conn:
    """One websocket: requests matched to replies by id, every received frame recorded
    against the game it belongs to (events by room, replies by the game being played)."""

    def __init__(self, ws: Any, name: str, tracker: "Tracker", is_bot: bool = False) -> None:
        self.ws = ws
        self.name = name
        self.tracker = tracker
        self.is_bot = is_bot
        self.next_id = 0
        self.pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.current: Game | None = None  # the game this member connection is in now
        self.ended: set[str] = set()  # rooms whose "finished" this connection has seen
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            await self._read_frames()
        except websockets.ConnectionClosed:
            pass  # the server shut down at the end of the test

    async def _read_frames(self) -> None:
        async for raw in self.ws:
            frame = msgpack.unpackb(raw, raw=False)
            fid = frame.get("id")
            if frame["type"] == "event":
                self.tracker.on_event(self, raw, frame)
            elif not self.is_bot and self.current is not None:
                self.current.record(self, raw, frame, pre_end=self.current.room not in self.ended)
            fut = self.pending.pop(fid, None) if fid is not None else None
            if fut is not None and not fut.done():
                fut.set_result(frame)

    async def request(self, type_: str, data: dict[str, Any]) -> dict[str, Any]:
        self.next_id += 1
        rid = self.next_id
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[rid] = fut
        await self.ws.send(msgpack.packb({"type": type_, "id": rid, "data": data}, use_bin_type=True))
        return await asyncio.wait_for(fut, 20)

    async def ok(self, type_: str, data: dict[str, Any]) -> dict[str, Any]:
        frame = await self.request(type_, data)
        assert frame["type"] in ("ok", "welcome"), (self.name, type_, data, frame)
        return frame["data"]


async def open_conn(url: str, tracker: "Tracker", name: str, *, key: str | None = None,
                    token: str | None = None) -> Conn:
    ws = await websockets.connect(url, max_size=None, compression=None)
    conn = Conn(ws, name, tracker, is_bot=key is not None)
    hello: dict[str, Any] = {"protocol": [1]}
    hello.update({"key": key} if key else {"token": token})
    await conn.ok("hello", hello)
    return conn


class Tracker:
    """Routes every event: to the game it belongs to (for the checks) and, on the bot's
    connection, to that game's driver."""

    def __init__(self) -> None:
        self.games: dict[str, Game] = {}

    def on_event(self, conn: Conn, raw: bytes, frame: dict[str, Any]) -> None:
        ev = frame["data"]
        game = self.games.get(ev["room"])
        if game is None:
            return  # room_created reaches the bot before it knows the room id: nothing secret
        if conn.is_bot:
            game.queue.put_nowait(ev)
            return
        final = ev["kind"] in FINAL_KINDS
        pre_end = ev["room"] not in conn.ended and not final
        if final:
            conn.ended.add(ev["room"])
        game.record(conn, raw, frame, pre_end)
        if ev["kind"] == "game_over":
            game.heard_end(conn)


# --------------------------------------------------------------------------- lockstep time

class Lockstep:
    """Advance the shared clock by PERIOD only when every running game is waiting for it."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.running = 0
        self.waiting: list[asyncio.Future[None]] = []
        self.advances = 0

    async def wait_deadline(self) -> None:
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append(fut)
        await self._maybe_advance()
        await fut

    async def done(self) -> None:
        self.running -= 1
        await self._maybe_advance()

    async def _maybe_advance(self) -> None:
        if self.waiting and len(self.waiting) == self.running:
            waiters, self.waiting = self.waiting, []
            self.advances += 1
            await self.clock.advance(PERIOD)
            for fut in waiters:
                fut.set_result(None)


# --------------------------------------------------------------------------- one game

class Game:
    def __init__(self, group: "Group", index: int, seed: int) -> None:
        self.group = group
        self.index = index
        self.rng = Rng.from_seed(seed)
        self.seed = seed
        self.room = ""
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.players: list[str] = []
        self.spectator = ""
        self.words: dict[str, str | None] = {}  # from the bot's copies of the private your_word events
        self.records: list[tuple[Conn, bytes, dict[str, Any], bool]] = []
        self.waiting_end: set[Conn] = set()
        self.all_heard = asyncio.Event()
        self.final: dict[str, Any] = {}
        self.kinds: Counter[str] = Counter()

    def record(self, conn: Conn, raw: bytes, frame: dict[str, Any], pre_end: bool) -> None:
        self.records.append((conn, raw, frame, pre_end))

    def heard_end(self, conn: Conn) -> None:
        self.waiting_end.discard(conn)
        if not self.waiting_end:
            self.all_heard.set()

    def civilian_word(self) -> str:
        return Counter(w for w in self.words.values() if w is not None).most_common(1)[0][0]


def _strings(value: Any) -> Iterator[str]:
    """Every string in a frame, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if isinstance(k, str):
                yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _role_markers(value: Any, me_blank: bool) -> list[str]:
    """Anything in a frame that tells a role: a role name as a value, a role/roles field,
    or a blank flag set (allowed only to the blank, about themselves)."""
    found: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k in ("role", "roles"):
                found.append(f"field {k}={v!r}")
            if k == "blank" and v is True and not me_blank:
                found.append("blank=True")
            if k != "game":  # the game's name, "spy", is not anybody's role
                found.extend(_role_markers(v, me_blank))
    elif isinstance(value, list):
        for v in value:
            found.extend(_role_markers(v, me_blank))
    elif isinstance(value, str) and value.casefold() in ROLE_NAMES:
        found.append(f"value {value!r}")
    return found


@lru_cache(maxsize=200_000)
def _carries(text: str, word: str, own: str | None) -> bool:
    """Does one string of a frame carry ``word``? Chinese: inside the folded string (own word
    masked, in case one word contains the other); English: as a whole word."""
    if has_han(word):
        if all(ord(ch) <= 0x2E7F for ch in text):
            return False  # folding only turns wide characters into Han
        folded = fold(text)
        if own:
            folded = folded.replace(fold(own), "\0")
        return fold(word) in folded
    flat = " ".join(re.findall(r"[^\W_]+", text.casefold()))
    target = " ".join(re.findall(r"[^\W_]+", word.casefold()))
    if own:
        own_flat = " ".join(re.findall(r"[^\W_]+", own.casefold()))
        flat = re.sub(rf"\b{re.escape(own_flat)}\b", "\0", flat)
    return re.search(rf"\b{re.escape(target)}\b", flat) is not None or fold(text) == fold(word)


def check_game(game: Game) -> int:
    """Every recorded frame of every member and spectator connection; returns how many."""
    both = {w for w in game.words.values() if w is not None}
    assert len(both) == 2, game.words
    checked = 0
    passed: set[tuple[bytes, str | None, bool]] = set()  # one event reaches many: check each form once
    for conn, raw, frame, pre_end in game.records:
        if not pre_end:
            continue
        checked += 1
        viewer = conn.name
        own = game.words.get(viewer) if viewer in game.players else None
        me_blank = viewer in game.players and game.words[viewer] is None
        if (raw, own, me_blank) in passed:
            continue
        secrets = both - {own} if own else both
        strings = list(_strings(frame))
        for word in secrets:
            leaked = [s for s in strings if _carries(s, word, own)]
            assert not leaked, (f"game {game.group.name}#{game.index} (seed {game.seed}): {viewer} "
                                f"received another word {word!r} before the end: {frame}")
        markers = _role_markers(frame, me_blank)
        assert not markers, (f"game {game.group.name}#{game.index} (seed {game.seed}): {viewer} "
                             f"received a role marker {markers} before the end: {frame}")
        passed.add((raw, own, me_blank))
    game.records.clear()
    return checked


# --------------------------------------------------------------------------- driving a game

def _filler(rng: Rng) -> str:
    """A harmless description: digits only, so it can never spell a word of any pack."""
    return " ".join(str(rng.below(1000)) for _ in range(1 + rng.below(3)))


def _with_word(rng: Rng, word: str) -> str:
    """A description that says the speaker's own word, in one of the documented disguises."""
    variants = [word, " ".join(word), "-".join(word), word.upper() if not has_han(word) else word + "!"]
    return f"{rng.below(100)} {variants[rng.below(len(variants))]} {rng.below(100)}"


class Group:
    def __init__(self, name: str, bot: Conn, members: dict[str, Conn], lockstep: Lockstep,
                 tracker: Tracker, start_lock: asyncio.Lock, next_seed: list[int]) -> None:
        self.name = name
        self.bot = bot
        self.members = members
        self.lockstep = lockstep
        self.tracker = tracker
        self.start_lock = start_lock
        self.next_seed = next_seed
        self.frames_checked = 0
        self.games: list[Game] = []

    async def play(self, seeds: list[int]) -> None:
        try:
            for i, seed in enumerate(seeds):
                game = Game(self, i, seed)
                self.games.append(game)
                await self.play_one(game)
                self.frames_checked += check_game(game)
        finally:
            await self.lockstep.done()

    async def play_one(self, game: Game) -> None:
        rng = game.rng
        ids = sorted(self.members)
        rng.shuffle(ids)
        n = 4 + rng.below(9)
        game.players, game.spectator = ids[:n], ids[n]
        config = {"describe_seconds": PERIOD, "vote_seconds": PERIOD, "guess_seconds": PERIOD,
                  "leak_penalty": ("warn", "eliminate")[rng.below(2)],
                  "blank_must_die": rng.below(4) == 0, "spy_wins_at_three": rng.below(4) == 0,
                  "max_rounds": 2 + rng.below(5), "lang": ("zh", "en")[rng.below(2)]}
        room = (await self.bot.ok("room.create", {"group": self.name, "game": "spy", "config": config}))["room"]
        game.room = room["id"]
        self.tracker.games[game.room] = game
        conns = [self.members[p] for p in game.players] + [self.members[game.spectator]]
        for conn in conns:
            conn.current = game
        game.waiting_end = set(conns)
        for p in game.players:
            await self.members[p].ok("room.join", {"room": game.room})
        await self.members[game.spectator].ok("room.watch", {"room": game.room})
        async with self.start_lock:  # the server draws this game's seed: make it this game's
            self.next_seed[0] = game.seed
            await self.bot.ok("room.start", {"room": game.room})
        await self.drive(game)
        await asyncio.wait_for(game.all_heard.wait(), 20)
        for conn in conns:
            conn.current = None

    async def act(self, game: Game, player: str, action: dict[str, Any]) -> dict[str, Any]:
        conn = self.members[player]
        if game.rng.below(20) == 0:  # now and then a member looks at their own view too
            await conn.ok("room.view", {"room": game.room})
        if game.rng.below(40) == 0:
            await self.members[game.spectator].ok("room.view", {"room": game.room})
        return await conn.request("room.act", {"room": game.room, "action": action})

    async def drive(self, game: Game) -> None:
        alive = set(game.players)
        pk: list[str] = []
        while True:
            ev = await asyncio.wait_for(game.queue.get(), 20)
            kind, data = ev["kind"], ev["data"]
            game.kinds[kind] += 1
            if kind == "your_word":
                game.words[ev["to"][0]] = data["word"]
            elif kind == "eliminated":
                alive.discard(data["player"])
                game.kinds[f"eliminated by {data['reason']}"] += 1
            elif kind == "blank_guess_result":
                outcome = "timed out" if data["timed_out"] else "right" if data["correct"] else "wrong"
                game.kinds[f"guess {outcome}"] += 1
            elif kind == "pk":
                pk = list(data["players"])
            elif kind == "turn":
                await self.describe(game, data["player"])
            elif kind == "vote_open":
                voters = sorted(alive - set(pk)) if data["pk"] else sorted(alive)
                await self.vote(game, voters, data["candidates"])
            elif kind == "round":
                pk = []
            elif kind == "blank_guess_open":
                await self.guess(game, data["player"])
            elif kind == "finished":
                game.final = data
            elif kind == "game_over":
                return

    async def describe(self, game: Game, speaker: str) -> None:
        rng = game.rng
        for _attempt in range(3):
            roll = rng.below(10)
            if roll == 0:
                await self.lockstep.wait_deadline()  # the speaker says nothing: skipped
                return
            word = game.words[speaker]
            text = _with_word(rng, word) if word is not None and roll <= 2 else _filler(rng)
            reply = await self.act(game, speaker, {"describe": text})
            if reply["type"] == "ok":
                return
            assert reply["data"]["code"] == "word_in_description", reply
            game.kinds["refused word_in_description"] += 1
        await self.lockstep.wait_deadline()

    async def vote(self, game: Game, voters: list[str], candidates: list[str]) -> None:
        rng = game.rng
        order = list(voters)
        rng.shuffle(order)
        silent = False
        for voter in order:
            roll = rng.below(10)
            if roll == 0:
                silent = True  # never votes: counted as abstaining at the deadline
                continue
            choices = [c for c in candidates if c != voter]
            target = None if roll == 1 or not choices else rng.choice(choices)
            reply = await self.act(game, voter, {"vote": target})
            assert reply["type"] == "ok", reply
        if silent:
            await self.lockstep.wait_deadline()

    async def guess(self, game: Game, blank: str) -> None:
        rng = game.rng
        roll = rng.below(10)
        if roll < 2:
            await self.lockstep.wait_deadline()
            return
        spy_word = next(w for w in game.words.values() if w is not None and w != game.civilian_word())
        text = game.civilian_word() if roll < 5 else spy_word if roll < 7 else _filler(rng)
        reply = await self.act(game, blank, {"guess": text})
        assert reply["type"] == "ok", reply


# --------------------------------------------------------------------------- the test

async def test_no_frame_to_a_member_or_spectator_carries_another_word_or_a_role_before_the_end(
        settings: Settings, store: Store) -> None:
    clock = ManualClock()
    next_seed = [0]
    # Rate and queue limits are not under test here: one bot sets up 25 groups at once.
    settings = dataclasses.replace(settings, frames_per_second=100_000.0, frame_burst=100_000,
                                   send_queue_frames=1_000_000)
    app, key = await create_app(store, "spy-secrecy")
    # The app's own pack: 120 of the built-in pairs, both languages. (Drawing from all ~600
    # built-in pairs validates every one at each start, which would dominate this test's time.)
    pick = Rng.from_seed(7)
    for lang in ("zh", "en"):
        items = [it for it in builtin_items("spy") if it["lang"] == lang]
        pick.shuffle(items)
        await store.put_pack(app.id, "spy", f"secrecy-{lang}", items[:60], clock.now())
    server = EmbeddedServer(settings, clock=clock, store=store, seeds=lambda: next_seed[0])
    async with server.running():
        tracker = Tracker()
        lockstep = Lockstep(clock)
        start_lock = asyncio.Lock()
        bot = await open_conn(server.url, tracker, "bot", key=key)
        groups: list[Group] = []
        for g in range(GROUPS):
            name = f"g{g:02d}"
            members: dict[str, Conn] = {}
            for m in range(MEMBERS_PER_GROUP):
                player = f"m{m:02d}"
                token = (await bot.ok("token.mint", {"group": name, "player": player}))["token"]
                members[player] = await open_conn(server.url, tracker, player, token=token)
            groups.append(Group(name, bot, members, lockstep, tracker, start_lock, next_seed))
        lockstep.running = len(groups)
        seeds = Rng.from_seed(20261122)
        await asyncio.gather(*(grp.play([seeds.below(2**62) for _ in range(GAMES_PER_GROUP)]) for grp in groups))

    games = [game for grp in groups for game in grp.games]
    assert len(games) == GROUPS * GAMES_PER_GROUP >= 500
    assert all(game.final for game in games)
    # The random play really covers the rules the secrets could slip through.
    kinds = sum((game.kinds for game in games), Counter())
    for kind in ("skipped", "pk", "vote_result", "eliminated by vote", "eliminated by word_in_description",
                 "refused word_in_description", "guess right", "guess wrong", "guess timed out"):
        assert kinds[kind] > 0, kind
    assert {len(game.players) for game in games} == set(range(4, 13))
    winners = Counter(game.final["winner"] for game in games)
    assert set(winners) == {"civilians", "spies", "blank"}, winners
    assert sum(grp.frames_checked for grp in groups) > 100_000


def test_the_frame_check_itself_catches_a_leaked_word_a_role_and_a_blank_flag() -> None:
    """The property above is only as good as its checker: fed a leaking frame, it fails."""

    class _Group:
        name = "g"

    def game_with(frame: dict[str, Any], viewer: str) -> Game:
        game = Game(_Group(), 0, 1)  # type: ignore[arg-type]
        game.players = ["a", "b", "c", "d"]
        game.words = {"a": "苹果", "b": "苹果", "c": "梨", "d": None}
        game.records = [(Conn.__new__(Conn), msgpack.packb(frame), frame, True)]
        game.records[0][0].name = viewer
        return game

    event = {"type": "event", "data": {"room": "room_1", "seq": 3, "kind": "described",
                                       "data": {"player": "c", "text": "像 蘋 果 一样"}}}
    with pytest.raises(AssertionError, match="another word"):
        check_game(game_with(event, "c"))  # the spy sees the civilians' word, folded
    assert check_game(game_with(event, "a")) == 1  # a civilian may see their own word
    with pytest.raises(AssertionError, match="another word"):
        check_game(game_with(event, "spectator"))
    role = {"type": "ok", "data": {"view": {"out": [{"player": "c", "role": "spy"}]}}}
    with pytest.raises(AssertionError, match="role marker"):
        check_game(game_with(role, "a"))
    blank = {"type": "event", "data": {"room": "room_1", "seq": 4, "kind": "your_word",
                                       "data": {"word": None, "blank": True}, "to": ["d"]}}
    assert check_game(game_with(blank, "d")) == 1
    with pytest.raises(AssertionError, match="role marker"):
        check_game(game_with(blank, "a"))
    english = {"type": "event", "data": {"room": "room_1", "seq": 5, "kind": "described",
                                         "data": {"player": "a", "text": "a Cat, maybe"}}}
    game = game_with(english, "a")
    game.words = {"a": "dog", "b": "dog", "c": "cat", "d": None}
    with pytest.raises(AssertionError, match="another word"):
        check_game(game)
    game = game_with({"type": "ok", "data": {"config": {"leak_penalty": "warn"}}}, "a")
    game.words = {"a": "dog", "b": "dog", "c": "pen", "d": None}
    assert check_game(game) == 1  # "pen" inside "penalty" is not the word


async def test_server_sockets_do_not_delay_small_frames(server: EmbeddedServer, connect: Any, app_key: str) -> None:
    client = await connect()
    await client.hello(key=app_key)
    sockets = [proto.transport.get_extra_info("socket") for proto in server.server.server_state.connections]
    assert sockets
    assert all(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in sockets)
