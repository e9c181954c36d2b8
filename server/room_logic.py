"""What one input does to a room: the lobby rules around a game, with no I/O.

A room's persistable data is a plain dict (see ``new_room_data``). Every change to a room
is an *input* (join, leave, start, act, tick, announce, close) applied by ``apply``; the
same inputs replayed on the last snapshot rebuild the room exactly, which is how a
restarted server (or another node) carries on where the old one stopped.
"""
from __future__ import annotations

from typing import Any

from games.base import ConfigError, Content, Event, Game, GameMeta, Refusal, Step, resolve_config
from server.protocol import ProtocolError

RoomData = dict[str, Any]


def new_room_data(game: Game, config: dict[str, Any], lang: str) -> RoomData:
    """A new room's data. A game with a ``lang`` setting (quiz questions, spy words) gets its
    content in the room's language unless the caller chose one (``"any"`` mixes them): a
    Chinese group should never be handed English questions it did not ask for."""
    if lang in ("zh", "en") and "lang" not in config and any(f.name == "lang" for f in game.meta.config):
        config = {**config, "lang": lang}
    try:
        resolved = resolve_config(game.meta, config)
    except ConfigError as exc:
        raise ProtocolError("invalid_config", str(exc), problems=exc.problems) from None
    return {"players": [], "config": resolved, "lang": lang, "state": None, "status": "lobby",
            "round": 0, "seq": 0, "input_n": 0}


def players(data: RoomData) -> list[str]:
    return [p for p, _ in data["players"]]


def _refused(r: Refusal) -> ProtocolError:
    return ProtocolError(r.code, r.message, **r.data)


def apply_join(game: Game, data: RoomData, player: str, name: str, now: float) -> list[Event]:
    meta: GameMeta = game.meta
    if data["status"] in ("closed",):
        raise ProtocolError("wrong_status", "the room is closed")
    if player in players(data):
        raise ProtocolError("already_joined", f"'{player}' is already in the room")
    if len(data["players"]) >= meta.max_players:
        raise ProtocolError("room_full", f"{meta.title_en} takes at most {meta.max_players} players")
    events: list[Event] = []
    if data["status"] == "playing":
        if not meta.late_join:
            raise ProtocolError("wrong_status", "this game does not take new players once started")
        step = game.join(data["state"], player, now)
        if isinstance(step, Refusal):
            raise _refused(step)
        events.extend(step.events)
    data["players"].append([player, name])
    return [Event("player_joined", {"player": player, "name": name, "players": len(data["players"])})] + events


def apply_leave(data: RoomData, player: str) -> list[Event]:
    if player not in players(data):
        raise ProtocolError("not_in_room", f"'{player}' is not in the room")
    if data["status"] == "playing":
        raise ProtocolError("wrong_status", "a player cannot leave a game in progress; they just stop playing")
    data["players"] = [p for p in data["players"] if p[0] != player]
    return [Event("player_left", {"player": player, "players": len(data["players"])})]


def apply_start(game: Game, data: RoomData, seed: int, now: float, content: Content) -> list[Event]:
    if data["status"] == "playing":
        raise ProtocolError("wrong_status", "the game has already started")
    if data["status"] == "closed":
        raise ProtocolError("wrong_status", "the room is closed")
    count = len(data["players"])
    if count < game.meta.min_players:
        raise ProtocolError("not_enough_players",
                            f"{game.meta.title_en} needs at least {game.meta.min_players} players, has {count}")
    try:
        step = game.start(data["config"], players(data), seed, now, content)
    except ValueError as exc:
        raise ProtocolError("no_content", str(exc)) from None
    data["state"] = step.state
    data["status"] = "playing"
    data["round"] += 1
    started = Event("game_started", {"round": data["round"], "players": [
        {"player": p, "name": n} for p, n in data["players"]], "config": data["config"]})
    return [started] + step.events + _finish_events(game, data, step)


def apply_act(game: Game, data: RoomData, player: str, action: dict[str, Any], now: float) -> list[Event]:
    if data["status"] != "playing":
        raise ProtocolError("wrong_status", "no game is running in this room")
    if player not in players(data):
        raise ProtocolError("not_in_room", f"'{player}' is not in the room")
    step = game.act(data["state"], player, action, now)
    if isinstance(step, Refusal):
        raise _refused(step)
    return step.events + _finish_events(game, data, step)


def apply_tick(game: Game, data: RoomData, now: float) -> list[Event]:
    state = data["state"]
    if data["status"] != "playing" or state is None:
        return []
    deadline = state.get("deadline")
    if deadline is None or now < deadline:
        return []
    step = game.tick(state, now)
    return step.events + _finish_events(game, data, step)


def apply_close(data: RoomData) -> list[Event]:
    if data["status"] == "closed":
        raise ProtocolError("wrong_status", "the room is already closed")
    data["status"] = "closed"
    if data["state"] is not None:
        data["state"]["deadline"] = None
    return [Event("room_closed", {})]


def apply_expire(data: RoomData) -> list[Event]:
    """A lobby nobody started in time closes (``lobby_ttl``), freeing its group."""
    if data["status"] != "lobby":
        raise ProtocolError("wrong_status", "only a lobby expires")
    data["status"] = "closed"
    return [Event("room_closed", {"reason": "expired"})]


def _finish_events(game: Game, data: RoomData, step: Step) -> list[Event]:
    if not step.finished:
        return []
    data["status"] = "finished"
    data["state"]["deadline"] = None
    return [Event("game_over", {"round": data["round"], "result": game.result(data["state"]).to_dict()})]
