"""Request and reply between nodes: one inbox stream per node.

  P inbox:NODE  stream  entries {k: "q" (request) | "r" (reply), id, from, b: JSON body}

A caller XADDs a request to the owner's inbox and waits for the reply with the same id in
its own inbox. Each node reads its inbox with one XREAD BLOCK loop, serves requests
concurrently (one room's inputs are still applied one at a time, under its lock) and
deletes what it has read. An inbox not written to for an hour expires, so the inboxes of
dead nodes do not pile up.
"""
from __future__ import annotations

import asyncio
import json
import logging
import secrets
from typing import Any, Awaitable, Callable

import redis.asyncio as aioredis

log = logging.getLogger("campfire.relay")

Handler = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
INBOX_TTL = 3600
ALIVE_CHECK = 0.5  # seconds without a reply before asking whether the node is still alive


class Moved(Exception):
    """The node asked does not own the room (any more): look the owner up again."""


class RelayTimeout(Exception):
    """No reply in time: the owner may have died, and the request may or may not have been applied."""


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _s(v: Any) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


class Inbox:
    def __init__(self, db: aioredis.Redis, prefix: str, node_id: str, handler: Handler) -> None:
        self.db = db
        self.p = prefix
        self.node_id = node_id
        self.handler = handler
        self.key = f"{prefix}inbox:{node_id}"
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._task: asyncio.Task[None] | None = None
        self._serving: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._read_loop())

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        for task in list(self._serving):
            task.cancel()
        try:
            await self.db.delete(self.key)
        except Exception:
            pass

    async def call(self, node: str, body: dict[str, Any], timeout: float,
                   alive: Callable[[str], Awaitable[bool]] | None = None) -> dict[str, Any]:
        """Send ``body`` to ``node`` and return its reply. Raises Moved, or RelayTimeout after
        ``timeout`` (sooner if ``alive(node)`` says the node has died meanwhile)."""
        rid = secrets.token_hex(8)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[dict[str, Any]] = loop.create_future()
        self._pending[rid] = future
        deadline = loop.time() + timeout
        try:
            await self._send(node, {"k": "q", "id": rid, "from": self.node_id, "b": _dumps(body)})
            while True:
                left = deadline - loop.time()
                if left <= 0:
                    raise RelayTimeout(node)
                try:
                    reply = await asyncio.wait_for(asyncio.shield(future), min(left, ALIVE_CHECK))
                    break
                except TimeoutError:
                    if alive is not None and not await alive(node):
                        raise RelayTimeout(node) from None
        finally:
            self._pending.pop(rid, None)
        if reply.get("moved"):
            raise Moved(node)
        return reply

    async def _send(self, node: str, fields: dict[str, str]) -> None:
        key = f"{self.p}inbox:{node}"
        async with self.db.pipeline(transaction=False) as pipe:
            pipe.xadd(key, fields, maxlen=100_000, approximate=True)  # type: ignore[arg-type]
            pipe.expire(key, INBOX_TTL)
            await pipe.execute()

    async def _read_loop(self) -> None:
        last = "0-0"
        while True:
            try:
                found = await self.db.xread({self.key: last}, count=200, block=1000)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("could not read this node's inbox; retrying", exc_info=True)
                await asyncio.sleep(0.2)
                continue
            if not found:
                continue
            for _, entries in found:
                for entry_id, fields in entries:
                    last = _s(entry_id)
                    self._dispatch({_s(k): _s(v) for k, v in fields.items()})
            try:
                await self.db.xtrim(self.key, minid=_next_id(last))
            except Exception:
                pass

    def _dispatch(self, fields: dict[str, str]) -> None:
        try:
            body = json.loads(fields["b"])
        except (KeyError, ValueError):
            log.warning("dropping a malformed inbox entry")
            return
        if fields.get("k") == "r":
            future = self._pending.get(fields.get("id", ""))
            if future is not None and not future.done():
                future.set_result(body)
            return
        task = asyncio.get_running_loop().create_task(self._serve(fields.get("from", ""), fields.get("id", ""), body))
        self._serving.add(task)
        task.add_done_callback(self._serving.discard)

    async def _serve(self, caller: str, rid: str, body: dict[str, Any]) -> None:
        try:
            reply = await self.handler(body)
        except Exception:
            log.exception("relayed request failed")
            reply = {"err": {"code": "internal", "message": "the server failed on this frame", "data": {}}}
        try:
            await self._send(caller, {"k": "r", "id": rid, "b": _dumps(reply)})
        except Exception:
            log.warning("could not reply to node %s", caller, exc_info=True)


def _next_id(entry_id: str) -> str:
    ms, _, n = entry_id.partition("-")
    return f"{ms}-{int(n or 0) + 1}"
