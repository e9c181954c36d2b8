"""Demo activity: a few weeks of games and check-ins in a handful of groups, so that the
console's lists and charts have something to show on a fresh ``make demo``.

Deterministic (a fixed seed) and written only when the demo app is first created. The games
are stored exactly as real ones are: a finished room record and its result record, applied
to boards and activity through the store's one idempotent path.
"""
from __future__ import annotations

import random

from games import checkin as checkin_rules
from games.base import GameResult, PlayerResult
from server.scoring.records import checkin_record, game_record
from server.store import RoomRecord, Store

DAY = 86_400.0
GROUPS = [  # (id, display name, members, games a day at the start, … at the end: some groups cool down)
    ("demo-group", "Campfire 演示群", 8, 3.0, 3.0),
    ("tea-house", "茶馆闲聊", 12, 4.0, 1.0),
    ("study-club", "Study Club", 6, 2.0, 2.5),
    ("night-owls", "夜猫子", 10, 3.0, 0.5),
    ("board-games", "桌游同好会", 15, 1.5, 2.0),
    ("quiz-league", "答题联赛", 20, 5.0, 4.0),
]
WEEKS = 5
GAMES = ("quiz", "spy", "song")


async def seed_demo_activity(store: Store, app: str, now: float, tz: str, seed: int = 2026) -> int:
    """Write the demo's games and check-ins; returns how many games were written."""
    rng = random.Random(seed)
    written = 0
    for group, name, size, start_rate, end_rate in GROUPS:
        await store.set_group_settings(app, group, {"timezone": tz, "lang": "zh", "name": name})
        members = [f"m{n:02d}" for n in range(1, size + 1)]
        days = WEEKS * 7
        for d in range(days, 0, -1):
            rate = start_rate + (end_rate - start_rate) * (days - d) / days
            for n in range(rng.randint(0, max(0, round(rate * 1.5)))):
                at = now - d * DAY + rng.uniform(8, 22) * 3600
                players = rng.sample(members, k=rng.randint(2, min(6, size)))
                scores = sorted((rng.randint(0, 40) * 25 for _ in players), reverse=True)
                game = rng.choice(GAMES)
                result = GameResult(game, tuple(PlayerResult(p, s, i + 1, won=i == 0)
                                                for i, (p, s) in enumerate(zip(players, scores))))
                room = f"room_demo_{group}_{d}_{n}"
                await store.save_room(RoomRecord(room, app, group, game, "finished", at - 300, at, 1))
                await store.apply_result(game_record(app, group, room, 1, result, at, tz))
                written += 1
            for member in members:
                if rng.random() < 0.5 * rate / max(start_rate, end_rate, 1):
                    await _check_in(store, app, group, member, now - d * DAY + rng.uniform(7, 9) * 3600, tz)
    return written


async def _check_in(store: Store, app: str, group: str, member: str, at: float, tz: str) -> None:
    """A check-in as the check-in frame makes it: the member's record and its points together."""
    cfg = checkin_rules.CheckinConfig.from_settings({"timezone": tz})
    outcome = checkin_rules.check_in(await store.get_checkin(app, group, member), at, cfg)
    if not outcome.already:
        result = checkin_record(app, group, member, outcome.day, outcome.points, at, tz)
        await store.save_checkin(app, group, member, outcome.record, result)
