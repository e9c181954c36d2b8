"""REST under /v1 for boards, activity and health: the twins of the websocket frames in
server/handlers/stats.py (same functions, same schemas, same error codes)."""
from __future__ import annotations

from typing import Any, Awaitable, Callable

from starlette.requests import Request
from starlette.routing import Route

from server.auth import Principal
from server.handlers import stats
from server.openapi import describe
from server.protocol import ProtocolError
from server.rest import endpoint, json_body, services
from server.validate import Schema

INT_PARAMS = {"limit", "offset", "before", "after"}
Query = Callable[[Any, Principal, dict[str, Any]], Awaitable[dict[str, Any]]]


def _query(request: Request, schema: Schema) -> dict[str, Any]:
    """Query-string parameters typed for ``schema``: integers where it wants them and
    ``members`` as a comma-separated list."""
    raw: dict[str, Any] = {}
    for name, value in request.query_params.items():
        if name in INT_PARAMS:
            try:
                raw[name] = int(value)
            except ValueError:
                raise ProtocolError("invalid_payload", f"'{name}' must be an integer", field=name) from None
        elif name == "members":
            raw[name] = [m for m in value.split(",") if m]
        else:
            raw[name] = value
    return schema(raw)


def _summary(fn: Query) -> str:
    doc = (fn.__doc__ or "").strip().splitlines()
    return doc[0] if doc else fn.__name__.replace("_", " ")


def _get(schema: Schema, fn: Query) -> Any:
    @describe(_summary(fn), auth="member", query=schema, tag="stats")
    @endpoint
    async def run(request: Request, who: Principal) -> Any:
        return await fn(services(request), who, _query(request, schema))

    return run


def _post(schema: Schema, fn: Query) -> Any:
    @describe(_summary(fn), auth="bot", body=schema, tag="stats", writes=True)
    @endpoint
    async def run(request: Request, who: Principal) -> Any:
        return await fn(services(request), who, schema(await json_body(request)))

    return run


def _post_group(schema: Schema, fn: Query) -> Any:
    """A JSON body with the path's ``{group}`` added."""
    body = schema.json_schema()
    body["properties"] = {k: v for k, v in body["properties"].items() if k != "group"}
    body["required"] = [k for k in body["required"] if k != "group"]

    @describe(_summary(fn), auth="bot", body=body, tag="stats", writes=True)
    @endpoint
    async def run(request: Request, who: Principal) -> Any:
        body = {**await json_body(request), "group": request.path_params["group"]}
        return await fn(services(request), who, schema(body))

    return run


def routes() -> list[Route]:
    return [
        Route("/boards", _get(stats.LIST, stats.boards_list)),
        Route("/boards/top", _get(stats.TOP, stats.board_top)),
        Route("/boards/rank", _get(stats.RANK, stats.board_rank)),
        Route("/boards/around", _get(stats.AROUND, stats.board_around)),
        Route("/boards/within", _get(stats.WITHIN, stats.board_within)),
        Route("/boards/ops", _post(stats.OP, stats.board_op), methods=["POST"]),
        Route("/activity", _get(stats.ACT_TOP, stats.activity_top)),
        Route("/activity/member", _get(stats.ACT_MEMBER, stats.activity_member)),
        Route("/activity/report", _post(stats.REPORT, stats.activity_report), methods=["POST"]),
        Route("/health", _get(stats.HEALTH, stats.group_health)),
        Route("/health/groups", _get(stats.HEALTH_GROUPS, stats.health_groups)),
        Route("/health/settings", _get(stats.HEALTH_SETTINGS, stats.health_settings_get)),
        Route("/health/settings", _post(stats.HEALTH_SETTINGS_SET, stats.health_settings_set), methods=["PUT"]),
        Route("/groups/{group}/members", _post_group(stats.GROUP_MEMBERS, stats.group_members), methods=["PUT"]),
    ]
