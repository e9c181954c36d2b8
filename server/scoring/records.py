"""Result records: what a finished game or a check-in writes, applied exactly once."""
from __future__ import annotations

from typing import Any

from games.base import GameResult
from server.scoring.boards import checkin_ops, result_ops
from server.store import ResultRecord


def game_record(app: str, group: str, room: str, round_no: int, result: GameResult, at: float,
                tz: str, app_settings: dict[str, Any] | None = None) -> ResultRecord:
    return ResultRecord(
        app=app, key=f"room:{room}:{round_no}", group=group, game=result.game, at=at,
        payload={"room": room, "round": round_no, **result.to_dict()},
        ops=tuple(result_ops(group, result)),
    )


def checkin_record(app: str, group: str, member: str, day: str, points: int, at: float,
                   tz: str, app_settings: dict[str, Any] | None = None) -> ResultRecord:
    return ResultRecord(
        app=app, key=f"checkin:{group}:{member}:{day}", group=group, game="checkin", at=at,
        payload={"member": member, "day": day, "points": points},
        ops=tuple(checkin_ops(group, member, points)),
    )
