"""A quiz played by a bot and members spread over the nodes of a ``Cluster``, with an
optional kill -9 of the room's owner at a chosen point, and the checks that follow:
acknowledged inputs kept, one result, no stuck room, every watcher's stream exact.

Shared by the tests in this folder and scripts/killtest.py.
"""
from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import Any

from server.scoring.boards import board_id, group_scope
from tests.nodes.harness import Agent, Cluster, Lost, room_log, stream_problems

QUIZ = {"questions": 3, "seconds": 5, "reveal_seconds": 1}
RETRY_CODES = ("unavailable", "internal")  # the request may be retried (it may or may not have applied)


@dataclass
class Kill:
    """When to kill -9 the room's owner: ``after`` seconds into the game, on the ``nth``
    event of ``kind`` the bot sees, or right after the ``nth`` member input is sent (while
    it is being relayed)."""

    after: float | None = None
    kind: str | None = None
    nth: int = 1
    relay: bool = False
    pause: bool = False  # SIGSTOP instead, until another node holds the room, then SIGCONT


@dataclass
class Outcome:
    room: str
    problems: list[str] = field(default_factory=list)
    acked: int = 0
    lost: int = 0
    duplicated: int = 0
    stuck: int = 0
    killed: list[int] = field(default_factory=list)
    paused: list[int] = field(default_factory=list)
    failover_seconds: float | None = None
    reconnects: dict[str, tuple[int, int]] = field(default_factory=dict)  # agent -> (first node, moves)


async def play(cluster: Cluster, group: str, *, kill: Kill | None = None, members: int = 3,
               seed: int = 0, timeout: float = 60.0, bot_node: int = 0) -> Outcome:
    """``bot_node``: which live node the bot (and so the room's first owner) is on."""
    rng = random.Random(seed)
    urls = [n.url for n in cluster.nodes]
    alive = [n.index for n in cluster.nodes if n.alive]
    b = bot_node % len(alive)
    bot = Agent("bot", urls, alive[b], key=cluster.key)
    await bot.connect()
    created = await bot.request("room.create", {"group": group, "game": "quiz", "config": QUIZ})
    assert created["type"] == "ok", created
    room = created["data"]["room"]["id"]
    out = Outcome(room)
    since = {"bot": created["data"]["room"]["seq"]}
    agents: dict[str, Agent] = {"bot": bot}
    for i in range(members):
        player = f"m{i + 1}"
        token = (await bot.request("token.mint", {"group": group, "player": player}))["data"]["token"]
        agent = Agent(player, urls, alive[(b + i + 1) % len(alive)], token=token)
        await agent.connect()
        joined = await agent.request("room.join", {"room": room})
        assert joined["type"] == "ok", joined
        since[player] = joined["data"]["room"]["seq"]
        agents[player] = agent
    first = {name: agent.at for name, agent in agents.items()}
    acked: list[tuple[str, int]] = []  # (member, seq of the last event of the acknowledged answer)
    sent = [0]
    kill_now = asyncio.Event()
    started = time.monotonic()

    async def keep_going(agent: Agent, type_: str, data: dict[str, Any]) -> dict[str, Any]:
        """Send until answered; move to another node when this one dies."""
        for _ in range(40):
            try:
                reply = await agent.request(type_, data)
            except Lost:
                await agent.move([room], [n.index for n in cluster.nodes if n.alive])
                continue
            if reply["type"] == "error" and reply["data"]["code"] in RETRY_CODES:
                await asyncio.sleep(0.2)
                continue
            return reply
        raise RuntimeError(f"{agent.name}: {type_} never answered")

    async def member(agent: Agent) -> None:
        answered: set[int] = set()
        while True:
            ev = await agent.wait_for(lambda e: e["kind"] in ("question", "game_over")
                                      and (e["kind"] == "game_over" or e["data"]["index"] not in answered), 2.0)
            if ev is None:
                if not agent.connected:
                    await agent.move([room], [n.index for n in cluster.nodes if n.alive])
                if time.monotonic() - started > timeout:
                    raise RuntimeError(f"{agent.name}: no game_over")
                continue
            if ev["kind"] == "game_over":
                return
            index = ev["data"]["index"]
            answered.add(index)
            await asyncio.sleep(rng.random() * 0.2)
            sent[0] += 1
            if kill is not None and kill.relay and sent[0] == kill.nth:
                kill_now.set()
            reply = await keep_going(agent, "room.act", {"room": room, "action": {"answer": rng.randrange(4)}})
            if reply["type"] == "ok":
                acked.append((agent.name, reply["data"]["seq"]))

    async def killer() -> None:
        if kill is None:
            return
        if kill.after is not None:
            await asyncio.sleep(kill.after)
        elif kill.kind is not None:
            count = 0
            while True:
                ev = await bot.wait_for(lambda e: e["kind"] == kill.kind, timeout)
                if ev is None:
                    return
                count = sum(1 for e in bot.events if e["kind"] == kill.kind)
                if count >= kill.nth:
                    break
                await asyncio.sleep(0.01)
        else:
            await kill_now.wait()
        owner = await cluster.owner(room)
        if owner is None:
            return
        if kill.pause:
            owner.pause()
            out.paused.append(owner.index)
            t0 = time.monotonic()
            while time.monotonic() - t0 < 30:
                holder = await cluster.db.get(f"cf:lease:{room}")
                if holder is not None and holder.decode() != owner.node_id:
                    out.failover_seconds = time.monotonic() - t0
                    break
                await asyncio.sleep(0.02)
            owner.resume()
            return
        owner.kill()
        out.killed.append(owner.index)
        t0 = time.monotonic()
        while time.monotonic() - t0 < 30:  # served again: a live node holds the lease
            if await cluster.owner(room) is not None:
                out.failover_seconds = time.monotonic() - t0
                return
            await asyncio.sleep(0.02)

    start = await keep_going(bot, "room.start", {"room": room})
    assert start["type"] == "ok", start
    kill_task = asyncio.create_task(killer())
    await asyncio.wait_for(asyncio.gather(*(member(a) for n, a in agents.items() if n != "bot")), timeout)
    over = await _bot_sees_game_over(bot, room, cluster, timeout)
    if kill is not None and kill.kind is not None:
        # The point was reached (the bot saw its event): let the kill happen rather than race
        # it. Cancelling here could stop a killer that saw game_over a moment before we did.
        await asyncio.wait_for(kill_task, timeout)
    else:
        kill_task.cancel()
    await _check(cluster, out, agents, since, acked, over, timeout)
    out.reconnects = {name: (first[name], agent.reconnects) for name, agent in agents.items()}
    for agent in agents.values():
        await agent.close()
    return out


async def _bot_sees_game_over(bot: Agent, room: str, cluster: Cluster, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await bot.wait_for(lambda e: e["kind"] == "game_over", 1.0) is not None:
            return True
        if not bot.connected:
            await bot.move([room], [n.index for n in cluster.nodes if n.alive])
    return False


async def _check(cluster: Cluster, out: Outcome, agents: dict[str, Agent], since: dict[str, int],
                 acked: list[tuple[str, int]], over: bool, timeout: float) -> None:
    """An acknowledged answer is in the log if the events of one input end at the acknowledged
    seq and begin with that member's ``answer_received`` (an answer applies to whichever
    question is open when it arrives, which after a retry may be the next one)."""
    store = cluster.store
    assert store is not None
    room = out.room
    # Not stuck: the room reaches "finished" (its result recorded) by itself.
    deadline = time.monotonic() + timeout
    record = None
    while time.monotonic() < deadline:
        record = await store.get_room(cluster.app, room)
        if record is not None and record.status == "finished":
            break
        await asyncio.sleep(0.1)
    if not over or record is None or record.status != "finished":
        out.stuck += 1
        out.problems.append(f"room {room} stuck (status {record.status if record else None}, game_over seen {over})")
    log = await room_log(store, room)
    seqs = [e["seq"] for e in log]
    if seqs != list(range(1, len(seqs) + 1)):
        out.problems.append("the log's seqs are not 1..n")
    # Acknowledged inputs are in the log.
    out.acked = len(acked)
    by_seq = {e["seq"]: e for e in log}
    for player, seq in acked:
        s = seq
        while s in by_seq and by_seq[s]["kind"] != "answer_received":
            s -= 1
        if s not in by_seq or by_seq[s]["to"] != [player]:
            out.lost += 1
            out.problems.append(f"acknowledged answer of {player} (seq {seq}) is not in the log")
    # Exactly one result, applied once.
    overs = [e for e in log if e["kind"] == "game_over"]
    keys = [k.decode() for k in await cluster.db.hkeys(f"cf:res:{cluster.app}") if k.decode().startswith(f"room:{room}:")]
    if len(overs) > 1 or len(keys) > 1:
        out.duplicated += 1
        out.problems.append(f"{len(overs)} game_over events, {len(keys)} results")
    if overs and not keys:
        out.lost += 1
        out.problems.append("the game ended but its result was never recorded")
    if keys:
        result = await store.get_result(cluster.app, keys[0])
        assert result is not None
        board = board_id(group_scope(result.group), "quiz", "all")
        for p in result.payload.get("players", []):
            entry = await store.board_rank(cluster.app, board, p["player"])
            if (entry.score if entry else 0) != p["score"]:
                out.duplicated += 1
                out.problems.append(f"board of {p['player']} is {entry.score if entry else 0}, result says {p['score']}")
    # Every watcher's stream is exactly the log (what it may see, from where it started).
    for name, agent in agents.items():
        out.problems += await stream_problems(agent, room, log, None if name == "bot" else name, since[name])
