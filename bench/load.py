"""The load process: ``python -m bench.load '<json spec>'`` (started by bench.harness, on core 1).

Each scenario connects its clients first, prints ``MARK start`` (the harness samples the
server), drives the load, prints ``MARK end``, then ``RESULT <json>``. Every loop is bounded in
count and in time (``max_seconds``), so a stuck server ends the run instead of hanging it.
"""
from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any, Awaitable, Callable

from bench.stats import percentiles
from bench.targets import TARGETS, Campfire, Target, request
from bench.wsclient import WSClient

Mark = Callable[[str], Awaitable[None]]
now = time.perf_counter


async def mark(label: str) -> None:
    print(f"MARK {label}", flush=True)
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    if line.strip() != "OK":
        raise SystemExit("harness went away")


async def gather_bounded(factories: list[Callable[[], Awaitable[Any]]], limit: int) -> list[Any]:
    sem = asyncio.Semaphore(limit)

    async def one(f: Callable[[], Awaitable[Any]]) -> Any:
        async with sem:
            return await f()
    return await asyncio.gather(*(one(f) for f in factories))


PAYLOAD_TEXT = "第 7 题：下面哪一座城市是省会？ Which of these cities is a provincial capital?"


# ---------------------------------------------------------------------------------------
# Fan-out


async def fanout(target: Target, p: dict[str, Any]) -> dict[str, Any]:
    n_members, n_messages = p["members"], p["messages"]
    rate, window_msgs, max_seconds = p.get("rate", 0), p.get("window", 50), p.get("max_seconds", 30)
    lats: list[float] = []
    got = [0]
    last_recv = [0.0]

    room_for_more = asyncio.Event()  # set when the publisher's window has room again
    state = {"sent": 0, "low": 0}

    def on_event(ev: dict[str, Any]) -> None:
        d = ev.get("data")
        if type(d) is dict and "t" in d:
            t = now()
            lats.append(t - d["t"])
            got[0] += 1
            last_recv[0] = t
            if state["sent"] * n_members - got[0] <= state["low"]:
                room_for_more.set()

    await target.setup(n_members)
    t_conn = now()
    members = await gather_bounded([lambda i=i: target.member(i, on_event) for i in range(n_members)], 200)
    connect_s = now() - t_conn
    publish = await target.publisher()
    await asyncio.sleep(0.3)  # let join/watch replies and any welcome events settle
    got[0] = 0
    lats.clear()
    await mark("start")
    t0 = now()
    stop_at = t0 + max_seconds
    sent = 0
    limit = window_msgs * n_members
    state["low"] = limit // 2
    while sent < n_messages and now() < stop_at:
        due = n_messages if not rate else min(n_messages, int((now() - t0) * rate) + 1)
        while sent < due and sent * n_members - got[0] < limit:
            publish({"t": now(), "n": sent, "text": PAYLOAD_TEXT})
            sent += 1
        state["sent"] = sent
        if sent >= n_messages:
            break
        if sent * n_members - got[0] >= limit:  # window full: wait for deliveries, not for a clock
            room_for_more.clear()
            try:
                await asyncio.wait_for(room_for_more.wait(), max(0.001, stop_at - now()))
            except TimeoutError:
                break
        else:
            await asyncio.sleep(0.001)
    expected = sent * n_members
    drain_until = now() + p.get("drain_seconds", 10)
    while got[0] < expected and now() < drain_until:
        await asyncio.sleep(0.005)
    t_end = last_recv[0] if got[0] else now()
    await mark("end")
    for ws in members:
        ws.close()
    elapsed = max(t_end - t0, 1e-9)
    return {"members": n_members, "sent": sent, "expected": expected, "delivered": got[0],
            "elapsed_s": elapsed, "deliveries_per_s": got[0] / elapsed, "connect_s": connect_s,
            "latency_ms": percentiles([x * 1000 for x in lats])}


# ---------------------------------------------------------------------------------------
# Inbound actions


async def inbound(target: Target, p: dict[str, Any]) -> dict[str, Any]:
    if isinstance(target, Campfire):
        return await inbound_quiz(target, p)
    return await inbound_echo(target, p)


async def inbound_echo(target: Target, p: dict[str, Any]) -> dict[str, Any]:
    """Peers have no quiz: each member sends its answers one after another (request, reply)."""
    n = p["rooms"] * p["room_size"]
    per_member = p["questions"]
    actors: list[WSClient] = await gather_bounded([lambda i=i: target.actor(i) for i in range(n)], 200)  # type: ignore[attr-defined]
    lats: list[float] = []
    errors = [0]
    stop_at = [0.0]
    running = [len(actors)]
    all_done = asyncio.Event()

    def step(ws: WSClient, q: int, t: float, fut: asyncio.Future[dict[str, Any]] | None) -> None:
        """Callback chain, not a task per request: the load must stay cheaper than the server."""
        if fut is not None:
            lats.append(now() - t)
            if fut.result().get("type") != "ok":
                errors[0] += 1
        if q >= per_member or now() > stop_at[0]:
            running[0] -= 1
            if not running[0]:
                all_done.set()
            return
        t = now()
        nxt = target.act(ws, q + 10, {"answer": 0, "index": q})  # type: ignore[attr-defined]
        nxt.add_done_callback(lambda f: step(ws, q + 1, t, f))

    await asyncio.sleep(0.3)
    await mark("start")
    t0 = now()
    stop_at[0] = t0 + p.get("max_seconds", 30)
    for ws in actors:
        step(ws, 0, t0, None)
    try:
        await asyncio.wait_for(all_done.wait(), p.get("max_seconds", 30) + 30)
    except TimeoutError:
        pass
    elapsed = now() - t0
    await mark("end")
    for ws in actors:
        ws.close()
    return {"actions": len(lats), "errors": errors[0], "elapsed_s": elapsed, "actions_per_s": len(lats) / elapsed,
            "latency_ms": percentiles([x * 1000 for x in lats])}


async def inbound_quiz(target: Campfire, p: dict[str, Any]) -> dict[str, Any]:
    """Real quizzes: rooms of members answer each question as soon as it is asked."""
    n_rooms, size, questions = p["rooms"], p["room_size"], p["questions"]
    target.bot = await target.hello_bot()
    rooms, tokens = [], []
    for r in range(n_rooms):
        group = f"{target.group}-{r}"
        rooms.append(await target.create_room(group, {"questions": questions, "seconds": 300, "reveal_seconds": 0}))
        tokens.append(await target.mint(group, size))
    lats: list[float] = []
    codes: dict[str, int] = {}
    finished: set[Any] = set()
    sent_at: dict[int, float] = {}
    next_rid = [100]

    def make_member(room: Any) -> Callable[[dict[str, Any]], None]:
        holder: list[WSClient] = []

        def on_event(ev: dict[str, Any]) -> None:
            kind = ev.get("kind")
            if kind == "question":
                ws = holder[0]
                rid = next_rid[0]
                next_rid[0] += 1
                sent_at[rid] = now()
                fut = request(ws, "room.act", {"room": room, "action": {"answer": 0, "index": ev["data"]["index"]}}, rid)
                fut.add_done_callback(lambda f, rid=rid: done(rid, f))
            elif kind == "finished":
                finished.add(room)
        on_event.holder = holder  # type: ignore[attr-defined]
        return on_event

    def done(rid: int, fut: asyncio.Future[dict[str, Any]]) -> None:
        lats.append(now() - sent_at.pop(rid))
        reply = fut.result()
        code = "ok" if reply.get("type") == "ok" else str(reply.get("data", {}).get("code"))
        codes[code] = codes.get(code, 0) + 1

    async def join(r: int, i: int) -> WSClient:
        cb = make_member(rooms[r])
        ws = await target.hello_member(tokens[r][i], cb)
        cb.holder.append(ws)  # type: ignore[attr-defined]
        reply = await asyncio.wait_for(request(ws, "room.join", {"room": rooms[r]}), 60)
        if reply["type"] != "ok":
            raise RuntimeError(f"room.join refused: {reply}")
        await target.watch(ws, rooms[r], 0)
        return ws

    members = await gather_bounded([lambda r=r, i=i: join(r, i) for r in range(n_rooms) for i in range(size)], 200)
    await asyncio.sleep(0.3)
    await mark("start")
    t0 = now()
    starts = [request(target.bot, "room.start", {"room": room}) for room in rooms]
    for fut in starts:
        reply = await asyncio.wait_for(fut, 60)
        if reply["type"] != "ok":
            raise RuntimeError(f"room.start refused: {reply}")
    stop_at = t0 + p.get("max_seconds", 30)
    while len(finished) < n_rooms and now() < stop_at:
        await asyncio.sleep(0.005)
    await asyncio.sleep(0.05)
    elapsed = now() - t0
    await mark("end")
    for ws in members:
        ws.close()
    return {"actions": len(lats), "codes": codes, "rooms_finished": len(finished), "elapsed_s": elapsed,
            "actions_per_s": len(lats) / elapsed, "latency_ms": percentiles([x * 1000 for x in lats])}


# ---------------------------------------------------------------------------------------
# Connections


async def connections(target: Target, p: dict[str, Any]) -> dict[str, Any]:
    levels: list[int] = p["levels"]
    top = max(levels)
    if isinstance(target, Campfire):
        await target.setup(top)
    conns: list[WSClient] = []
    failures = [0]

    async def open_one(i: int) -> None:
        try:
            if isinstance(target, Campfire):
                ws = await target.hello_member(target.tokens[i], None)
            else:
                ws = await target.member(i, lambda ev: None)
            conns.append(ws)
        except Exception:
            failures[0] += 1

    await asyncio.sleep(0.5)
    await mark("base")
    out: dict[str, Any] = {"levels": {}}
    opened = 0
    for level in levels:
        t = now()
        await gather_bounded([lambda i=i: open_one(i) for i in range(opened, level)], p.get("concurrency", 100))
        took = now() - t
        rate = (level - opened) / took
        opened = level
        await asyncio.sleep(p.get("settle_seconds", 1.0))
        await mark(f"c{level}")
        out["levels"][str(level)] = {"open": len(conns), "opened_per_s": rate}
    await asyncio.sleep(p.get("hold_seconds", 2.0))
    out["held"] = sum(1 for ws in conns if ws.open)
    out["failures"] = failures[0]
    await mark("end")
    for ws in conns:
        ws.close()
    return out


# ---------------------------------------------------------------------------------------
# Resume storm


async def resume(target: Target, p: dict[str, Any]) -> dict[str, Any]:
    """Members watch a room while the bot announces; all drop at once and come back with
    ``room.watch(after=last seq)``. Every member must end with every seq once."""
    if not isinstance(target, Campfire):
        raise SystemExit("resume runs against campfire only")
    n, rate = p["members"], p.get("rate", 5)
    await target.setup(n)
    seen: list[list[int]] = [[] for _ in range(n)]
    last: list[int] = [0] * n

    def make(i: int) -> Callable[[dict[str, Any]], None]:
        def on_event(ev: dict[str, Any]) -> None:
            s = ev["seq"]
            seen[i].append(s)
            if s > last[i]:
                last[i] = s
        return on_event

    members: list[WSClient] = await gather_bounded([lambda i=i: target.member(i, make(i)) for i in range(n)], 200)
    publish = await target.publisher()
    announcing = [True]
    sent = [0]

    async def announcer() -> None:
        t0 = now()
        while announcing[0] and sent[0] < p.get("max_events", 100_000):
            due = int((now() - t0) * rate) + 1
            while sent[0] < due:
                publish({"t": now(), "n": sent[0]})
                sent[0] += 1
            await asyncio.sleep(0.002)

    task = asyncio.create_task(announcer())
    await asyncio.sleep(p.get("live_seconds", 1.0))
    await mark("start")
    for ws in members:
        ws.abort()
    await asyncio.sleep(p.get("down_seconds", 1.0))
    t_back = now()
    back_at: list[float] = []

    async def come_back(i: int) -> WSClient:
        ws = await target.hello_member(target.tokens[i], make(i))
        await target.watch(ws, target.room, last[i])
        back_at.append(now())
        return ws

    members = await gather_bounded([lambda i=i: come_back(i) for i in range(n)], p.get("storm_concurrency", n))
    all_back_s = max(back_at) - t_back
    # Caught up: every member holds the newest seq any member had when the last one came back.
    target_seq = max(last)
    until = now() + p.get("max_seconds", 30)
    while min(last) < target_seq and now() < until:
        await asyncio.sleep(0.005)
    caught_up_s = now() - t_back
    await asyncio.sleep(p.get("after_seconds", 1.0))
    announcing[0] = False
    await task
    # Wait for the tail to arrive: until no member's last seq moves for half a second.
    stop_at = now() + p.get("max_seconds", 30)
    stable_since, prev = now(), sum(last)
    while now() < stop_at:
        await asyncio.sleep(0.05)
        cur = sum(last)
        if cur != prev:
            prev, stable_since = cur, now()
        elif now() - stable_since > 0.5 and min(last) == max(last):
            break
    dropped_again = sum(1 for ws in members if ws.closed.done())
    await mark("end")
    universe: set[int] = set()
    for s in seen:
        universe.update(s)
    missed = dup = 0
    for s in seen:
        got = set(s)
        dup += len(s) - len(got)
        missed += len(universe - got)
    for ws in members:
        ws.close()
    return {"members": n, "events_sent": sent[0], "seqs": len(universe), "all_back_s": all_back_s,
            "caught_up_s": caught_up_s, "missed": missed, "duplicated": dup,
            "not_caught_up": sum(1 for x in last if x != max(last)), "dropped_again": dropped_again}


SCENARIOS = {"fanout": fanout, "inbound": inbound, "connections": connections, "resume": resume}


async def main(spec: dict[str, Any]) -> None:
    target = TARGETS[spec["target"]](spec["port"], spec["info"])
    result = await SCENARIOS[spec["scenario"]](target, spec["params"])
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1])))
    sys.stdout.flush()
    import os
    os._exit(0)  # skip teardown of thousands of transports
