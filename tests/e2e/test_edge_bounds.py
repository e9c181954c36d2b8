"""Every field is bounded at the edge (docs/PROTOCOL.md, "Limits"): numbers are finite and in
range, offsets and dates are checked strictly, strings are Unicode, free-form data has a depth
and a size, and no output carries NaN or Infinity. Each test is a hole issue 11 found: before
the fix it answered `internal`, a 500, a traceback, or an unreadable frame."""
from __future__ import annotations

import json
import logging
import math
from typing import Any, Awaitable, Callable

import httpx
import msgpack
import pytest
import websockets

from server.auth import hash_key
from server.clock import ManualClock
from server.config import Settings
from server.run import EmbeddedServer
from server.scoring.boards import board_id, group_scope
from server.store import BoardOp, ResultRecord, Store
from tests.conftest import RawClient

Connect = Callable[..., Awaitable[RawClient]]


def _strict(text: str) -> Any:
    """Parse JSON as a browser does: NaN and Infinity are not JSON."""
    def refuse(name: str) -> Any:
        raise AssertionError(f"{name} in JSON output")

    return json.loads(text, parse_constant=refuse)


async def _bot(connect: Connect, key: str, binary: bool = True) -> RawClient:
    c = await connect(binary)
    assert (await c.hello(key=key))["type"] == "welcome"
    return c


def _code(reply: dict[str, Any]) -> str:
    return "ok" if reply["type"] == "ok" else reply["data"]["code"]


async def _http(server: EmbeddedServer, key: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=server.http, headers={"Authorization": f"Bearer {key}"})


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, 1e308, 2.0**60])
async def test_board_op_refuses_a_value_that_is_not_finite_or_out_of_range(
        connect: Connect, app_key: str, value: float) -> None:
    c = await _bot(connect, app_key)
    reply = await c.request("board.op", {"group": "g1", "member": "ann", "op": "set", "value": value})
    assert _code(reply) == "invalid_payload" and reply["data"]["field"] == "value"


async def test_board_op_refuses_an_increment_that_would_carry_the_score_past_the_bound(
        connect: Connect, app_key: str) -> None:
    c = await _bot(connect, app_key)
    big = float(2**53 - 1)
    assert _code(await c.request("board.op", {"group": "g1", "member": "ann", "op": "set", "value": big})) == "ok"
    reply = await c.request("board.op", {"group": "g1", "member": "ann", "op": "incr", "value": big})
    assert _code(reply) == "invalid_payload"
    assert (await c.request("board.rank", {"group": "g1", "member": "ann"}))["data"]["entry"]["score"] == big


async def test_a_board_holding_a_non_finite_score_is_still_served_as_strict_json(
        server: EmbeddedServer, store: Store, app_key: str, connect: Connect, clock: ManualClock) -> None:
    # A score written before values were bounded (the store itself accepts any float).
    app = await store.find_key(hash_key(app_key))
    assert app is not None
    board = board_id(group_scope("g1"), "all", "all")
    await store.apply_result(ResultRecord(app.app, "op:legacy", "g1", "op", clock.now(), {},
                                          (BoardOp(board, "ann", "set", math.inf),)))
    async with await _http(server, app_key) as http:
        res = await http.get("/v1/boards/top", params={"group": "g1"})
    assert res.status_code == 200
    assert _strict(res.text)["entries"] == [{"member": "ann", "score": None, "rank": 1}]
    text_client = await _bot(connect, app_key, binary=False)
    await text_client.send({"type": "board.top", "id": 7, "data": {"group": "g1"}})
    raw = await text_client.ws.recv()
    assert _strict(raw)["data"]["entries"][0]["score"] is None


async def test_activity_offsets_past_the_bound_get_invalid_payload_over_both_paths(
        server: EmbeddedServer, connect: Connect, app_key: str) -> None:
    c = await _bot(connect, app_key)
    reply = await c.request("activity.top", {"group": "g1", "offset": 2**63})
    assert _code(reply) == "invalid_payload" and reply["data"]["field"] == "offset"
    async with await _http(server, app_key) as http:
        res = await http.get("/v1/activity", params={"group": "g1", "offset": str(2**63)})
    assert res.status_code == 400 and res.json()["error"]["field"] == "offset"


@pytest.mark.parametrize("month", ["0000-01", "2026-13", "2026-1", "+2026-01", "2026-01-01", "１２３４-01"])
async def test_a_calendar_month_is_parsed_strictly(server: EmbeddedServer, app_key: str, month: str) -> None:
    async with await _http(server, app_key) as http:
        res = await http.get("/v1/checkins/g1/ann", params={"month": month})
    assert res.status_code == 400 and res.json()["error"]["code"] == "invalid_payload"


async def test_a_lone_surrogate_in_a_json_frame_gets_bad_frame_and_the_connection_stays(
        connect: Connect, app_key: str) -> None:
    c = await _bot(connect, app_key, binary=False)
    await c.send_raw('{"type": "room.create", "id": 5, "data": {"group": "g\\ud800", "game": "quiz"}}')
    reply = await c.recv()
    assert reply["type"] == "error" and reply["data"]["code"] == "bad_frame"
    assert _code(await c.request("ping", {"t": "\U0001f525 ok"})) == "ok"  # a real pair is fine


async def test_a_lone_surrogate_in_a_rest_body_gets_400(server: EmbeddedServer, app_key: str) -> None:
    async with await _http(server, app_key) as http:
        res = await http.put("/v1/groups/g1", content=b'{"name": "x\\udc00"}',
                             headers={"content-type": "application/json"})
    assert res.status_code == 400 and res.json()["error"]["code"] == "bad_frame"


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
async def test_nan_and_infinity_literals_in_json_frames_get_bad_frame(
        connect: Connect, app_key: str, literal: str) -> None:
    c = await _bot(connect, app_key, binary=False)
    await c.send_raw('{"type": "ping", "id": 3, "data": {"t": ' + literal + '}}')
    reply = await c.recv()
    assert reply["data"]["code"] == "bad_frame" and reply["id"] == 3


async def test_a_non_finite_number_in_a_msgpack_frame_gets_invalid_payload(connect: Connect, app_key: str) -> None:
    c = await _bot(connect, app_key)
    reply = await c.request("ping", {"t": math.nan})
    assert _code(reply) == "invalid_payload" and reply["data"]["field"] == "t"


def _nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": 1}
    for _ in range(depth - 1):
        value = {"x": value}
    return value


async def test_announce_data_nested_too_deep_gets_invalid_payload_and_the_room_goes_on(
        connect: Connect, app_key: str) -> None:
    c = await _bot(connect, app_key)
    room = (await c.request("room.create", {"group": "g1", "game": "quiz"}))["data"]["room"]["id"]
    reply = await c.request("room.announce", {"room": room, "data": _nested(200)})
    assert _code(reply) == "invalid_payload" and reply["data"]["field"] == "data"
    assert _code(await c.request("room.announce", {"room": room, "data": _nested(16)})) == "ok"
    assert _code(await c.request("room.join", {"room": room, "player": "u1"})) == "ok"


async def test_free_form_data_with_too_many_values_gets_invalid_payload(connect: Connect, app_key: str) -> None:
    c = await _bot(connect, app_key)
    room = (await c.request("room.create", {"group": "g1", "game": "quiz"}))["data"]["room"]["id"]
    reply = await c.request("room.announce", {"room": room, "data": {"many": list(range(12_000))}})
    assert _code(reply) == "invalid_payload"


async def test_a_full_activity_report_of_a_thousand_events_fits_the_bounds(connect: Connect, app_key: str) -> None:
    c = await _bot(connect, app_key)
    events = [{"kind": "join", "member": f"m{i}", "by": "host"} for i in range(1000)]
    reply = await c.request("activity.report", {"group": "g1", "batch": "b-full", "events": events})
    assert _code(reply) == "ok" and reply["data"]["events"] == 1000


@pytest.mark.parametrize("value", [b"\x00bytes", msgpack.ExtType(5, b"x"), 2**64 - 1])
async def test_free_form_data_holds_only_json_values(connect: Connect, app_key: str, value: Any) -> None:
    c = await _bot(connect, app_key)
    room = (await c.request("room.create", {"group": "g1", "game": "quiz"}))["data"]["room"]["id"]
    reply = await c.request("room.announce", {"room": room, "data": {"v": value}})
    assert _code(reply) == "invalid_payload"


async def test_an_invalid_utf8_text_frame_logs_one_line_and_no_traceback(
        connect: Connect, caplog: pytest.LogCaptureFixture) -> None:
    c = await connect(False)
    with caplog.at_level(logging.INFO):
        await c.ws.send(b'{"type": "ping", "data": {"t": "\xff"}}', text=True)
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await c.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1007
    lines = [r for r in caplog.records if "UTF-8" in r.getMessage()]
    assert len(lines) == 1 and lines[0].exc_info is None and lines[0].exc_text is None


async def test_rate_limited_errors_carry_the_request_id_and_the_advised_delay(
        settings: Settings, clock: ManualClock, store: Store, app_key: str) -> None:
    tight = settings.with_values({"frames_per_second": 2.0, "frame_burst": 3}, "test")
    async with EmbeddedServer(tight, clock=clock, store=store, seeds=lambda: 11).running() as srv:
        c = RawClient(await websockets.connect(srv.url))
        await c.hello(key=app_key)
        for i in range(6):
            await c.send({"type": "ping", "id": 100 + i, "data": {}})
        replies = [await c.recv() for _ in range(6)]
        limited = [r for r in replies if r["type"] == "error"]
        assert limited and all(r["data"]["code"] == "rate_limited" for r in limited)
        assert sorted(r["id"] for r in replies) == list(range(100, 106))
        assert all(0 < r["data"]["retry_after"] <= 0.5 for r in limited)
        await c.close()


async def test_a_frame_too_large_gets_its_request_id(
        settings: Settings, clock: ManualClock, store: Store, app_key: str) -> None:
    small = settings.with_values({"max_frame_bytes": 1024}, "test")
    async with EmbeddedServer(small, clock=clock, store=store, seeds=lambda: 11).running() as srv:
        c = RawClient(await websockets.connect(srv.url))
        await c.hello(key=app_key)
        await c.send({"type": "ping", "id": "big-1", "data": {"t": "x" * 4000}})
        reply = await c.recv()
        assert reply["data"]["code"] == "frame_too_large" and reply["id"] == "big-1"
        await c.close()


@pytest.mark.parametrize("envelope", [
    {"type": 7, "id": 41, "data": {}},
    {"type": None, "id": 41},
    {"type": "ping", "id": 41, "data": [1, 2]},
])
async def test_a_malformed_envelope_with_a_readable_id_gets_an_error_with_that_id(
        connect: Connect, app_key: str, envelope: dict[str, Any]) -> None:
    c = await _bot(connect, app_key)
    await c.send(envelope)
    reply = await c.recv()
    assert reply["data"]["code"] == "bad_frame" and reply["id"] == 41


@pytest.mark.parametrize("hello", [{"protocol": [1], "key": "cf_wrong"}, {"protocol": [1], "token": "cfp_x.y"},
                                   {"protocol": [1]}])
async def test_an_auth_failure_closes_with_1008_policy_violation(connect: Connect, hello: dict[str, Any]) -> None:
    c = await connect()
    reply = await c.request("hello", hello)
    assert reply["data"]["code"] == "unauthorized"
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await c.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
