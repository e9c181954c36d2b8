"""A real HTTP endpoint for webhook tests: uvicorn in the test's event loop on a free port,
answering each POST with the next status of a script and recording what it received."""
from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.run import listening_socket


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    statuses: list[int] = field(default_factory=list)  # answered in order; 200 once they run out
    received: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sock = listening_socket("127.0.0.1", 0)
        self.port = self.sock.getsockname()[1]
        self.arrived = asyncio.Condition()
        app = Starlette(routes=[Route("/hook", self._hook, methods=["POST"])])
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self.server.config.setup_event_loop = lambda: None  # type: ignore[method-assign]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def _hook(self, request: Request) -> Response:
        body = await request.body()
        async with self.arrived:
            self.received.append(Received({k.lower(): v for k, v in request.headers.items()}, body))
            self.arrived.notify_all()
        status = self.statuses.pop(0) if self.statuses else 200
        return Response("ok" if status < 300 else "not now", status_code=status)

    async def wait_for(self, count: int) -> None:
        """Until ``count`` requests have arrived (signalled by the handler, never polled)."""
        async with self.arrived:
            await asyncio.wait_for(self.arrived.wait_for(lambda: len(self.received) >= count), 30)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator["Receiver"]:
        task = asyncio.create_task(self.server.serve(sockets=[self.sock]))
        while not self.server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.005)
        try:
            yield self
        finally:
            self.server.should_exit = True
            await task
            self.sock.close()
