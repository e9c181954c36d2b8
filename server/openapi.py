"""``/v1/openapi.json``: the REST contract, generated from the routes and the very schemas the
handlers validate with, so the document cannot drift from the code.

Each REST endpoint carries an ``Operation`` (attached by ``describe`` or by the helpers that
build endpoints from a schema); this module walks the mounted routes and writes OpenAPI 3.1.
An endpoint without one is still listed (with a generic description) and a test fails on it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from starlette.routing import BaseRoute, Mount, Route

from server.rest import STATUS
from server.validate import Schema

OPENAPI_ATTR = "__openapi__"
PATH_PARAM = re.compile(r"{([^}:]+)(?::[^}]+)?}")

# Who may call: "bot" (an app key), "member" (an app key or a player token), "operator" (an
# app key, including a read-only operator key), "none".
AUTH = ("bot", "member", "operator", "none")


@dataclass(frozen=True)
class Operation:
    summary: str
    auth: str = "bot"
    query: Schema | None = None
    body: Schema | dict[str, Any] | None = None  # for the non-GET methods of the route
    response: dict[str, Any] = field(default_factory=lambda: {"type": "object"})
    status: int = 200
    tag: str = "general"
    description: str = ""
    writes: bool = False


def describe(summary: str, **kw: Any) -> Callable[[Any], Any]:
    """Attach an Operation to an endpoint (place it above ``@endpoint``)."""
    def mark(fn: Any) -> Any:
        setattr(fn, OPENAPI_ATTR, Operation(summary, **kw))
        return fn

    return mark


def operation_of(endpoint: Any) -> Operation | None:
    op = getattr(endpoint, OPENAPI_ATTR, None)
    return op if isinstance(op, Operation) else None


ERROR = {
    "type": "object", "required": ["error"], "additionalProperties": False,
    "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {
            "code": {"type": "string", "description": "a stable error code (docs/PROTOCOL.md, Errors)"},
            "message": {"type": "string"},
            "field": {"type": "string", "description": "the payload field at fault, when one is"},
            "id": {"type": "string"},
        },
        "additionalProperties": True,
    }},
}

STATUS_TEXT = {400: "Bad input: the message names the field", 401: "Missing, unknown or revoked credential",
               403: "The credential may not do this", 404: "No such thing in this app",
               409: "Conflicts with the current state", 413: "Body too large", 429: "Too many requests",
               500: "Server error"}


def _errors(op: Operation) -> dict[str, Any]:
    codes = {400, 413, 429, 409, 404}
    if op.auth != "none":
        codes |= {401, 403}
    statuses = sorted(c for c in codes if c in set(STATUS.values()))
    out: dict[str, Any] = {}
    for status in statuses:
        names = sorted(k for k, v in STATUS.items() if v == status)
        out[str(status)] = {"description": f"{STATUS_TEXT.get(status, 'Error')} ({', '.join(names)})",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return out


def _security(op: Operation, reads: bool) -> list[dict[str, list[str]]]:
    if op.auth == "none":
        return []
    schemes: list[dict[str, list[str]]] = [{"appKey": []}]
    if op.auth == "member" and reads:
        schemes.append({"playerToken": []})
    if reads and op.auth in ("member", "operator"):
        schemes.append({"operatorKey": []})
    return schemes


def _query_parameters(schema: Schema) -> list[dict[str, Any]]:
    params = []
    for name, f in schema.fields.items():
        js = f.json_schema(name)
        param: dict[str, Any] = {"name": name, "in": "query", "required": f.required, "schema": js}
        if js.get("type") == "array":
            param.update(style="form", explode=False)  # members=a,b,c
        params.append(param)
    return params


def _operation(path: str, method: str, op: Operation, operation_id: str) -> dict[str, Any]:
    path_params = PATH_PARAM.findall(path)
    out: dict[str, Any] = {"operationId": operation_id, "summary": op.summary, "tags": [op.tag]}
    if op.description:
        out["description"] = op.description
    params: list[dict[str, Any]] = [{"name": p, "in": "path", "required": True,
                                     "schema": {"type": "string", "minLength": 1, "maxLength": 128}}
                                    for p in path_params]
    if op.query is not None:
        params += _query_parameters(op.query)
    if params:
        out["parameters"] = params
    reads = method in ("GET", "HEAD")
    if op.body is not None and not reads:
        body = op.body.json_schema() if isinstance(op.body, Schema) else op.body
        out["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    out["responses"] = {str(op.status): {"description": "OK", "content": {"application/json": {"schema": op.response}}},
                        **_errors(op)}
    out["security"] = _security(op, reads)
    return out


def _walk(routes: Iterable[BaseRoute], prefix: str = "") -> Iterable[tuple[str, Route]]:
    for route in routes:
        if isinstance(route, Mount):
            yield from _walk(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            yield prefix + route.path, route


def document(routes: Iterable[BaseRoute], version: str, prefix: str = "/v1") -> dict[str, Any]:
    """The OpenAPI document for every HTTP route under ``prefix``."""
    paths: dict[str, dict[str, Any]] = {}
    for path, route in _walk(routes):
        if not path.startswith(prefix):
            continue
        op = operation_of(route.endpoint) or Operation(summary=f"(undocumented) {path}")
        for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
            name = re.sub(r"[^A-Za-z0-9]+", "_", f"{method.lower()}{path}").strip("_")
            paths.setdefault(path, {})[method.lower()] = _operation(path, method, op, name)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Campfire REST API", "version": version,
                 "description": "The REST twin of the websocket protocol (docs/PROTOCOL.md). Errors use the "
                                "same codes as the websocket; each code maps to one HTTP status."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": {"Error": ERROR},
            "securitySchemes": {
                "appKey": {"type": "http", "scheme": "bearer", "bearerFormat": "cf_…",
                           "description": "An app's API key (`campfire apps create`): full access to its app."},
                "operatorKey": {"type": "http", "scheme": "bearer", "bearerFormat": "cf_…",
                                "description": "A read-only operator key (`campfire apps keys create --read-only`): "
                                               "reads everything of its app, changes nothing."},
                "playerToken": {"type": "http", "scheme": "bearer", "bearerFormat": "cfp_…",
                                "description": "A member's short-lived token (POST /v1/tokens): their own group only."},
            },
        },
    }


def undocumented(routes: Iterable[BaseRoute], prefix: str = "/v1") -> list[str]:
    return [path for path, route in _walk(routes) if path.startswith(prefix) and operation_of(route.endpoint) is None]
