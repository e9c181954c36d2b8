"""Running the app on uvicorn, as a process (``campfire serve``) or inside a running event
loop (tests, ``campfire play --demo``)."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sys
from typing import Any, AsyncIterator, Callable

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from server.app import create_app
from server.clock import Clock
from server.config import Settings
from server.logs import setup_logging
from server.store import Store, is_redis_url, sqlite_path
from server.store.filelock import StoreInUse, hold_serving_lock


class OneLineForBadInput(logging.Filter):
    """A client's invalid UTF-8 text frame is bad input, not a server fault: uvicorn already
    closes that connection with 1007 as RFC 6455 asks, but logs a full traceback each time.
    Keep the one line and drop the traceback (docs/PROTOCOL.md, "Close codes")."""

    MESSAGES = frozenset({"Invalid UTF-8 sequence received from client."})

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg in self.MESSAGES:
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


_BAD_INPUT_FILTER = OneLineForBadInput()


def _uvicorn_config(app: Callable[..., Any], settings: Settings, log_level: str,
                    log_config: dict[str, Any] | None | str = LOGGING_CONFIG) -> uvicorn.Config:
    logging.getLogger("uvicorn.error").addFilter(_BAD_INPUT_FILTER)  # idempotent: one instance
    return uvicorn.Config(
        app, host=settings.host, port=settings.port, log_level=log_level, lifespan="on", log_config=log_config,
        ws="websockets-sansio" if _has_sansio() else "websockets",
        # The protocol's own limit answers oversized frames with an error and keeps the
        # connection; uvicorn's hard cap (16×) only guards memory and closes with 1009.
        ws_max_size=settings.max_frame_bytes * 16,
        # Off by default: frames are small MessagePack maps, compression costs CPU and a zlib
        # context per connection, and without it one framed event serves every member.
        ws_per_message_deflate=settings.ws_compression,
        ws_ping_interval=20.0, ws_ping_timeout=20.0,
    )


def _has_sansio() -> bool:
    try:
        import uvicorn.protocols.websockets.websockets_sansio_impl  # noqa: F401
    except ImportError:
        return False
    return True


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound TCP socket with Nagle off. Accepted connections inherit TCP_NODELAY on Linux;
    without it a reply written right after an event frame waits ~40 ms for the peer's
    delayed ACK, which every join, move and start would pay."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    return sock


def serve(settings: Settings, log_level: str = "info") -> int:
    setup_logging(log_level, settings.log_format)
    lock = None
    if not is_redis_url(settings.store):
        try:  # the embedded store is one process: refuse a second on the same file
            lock = hold_serving_lock(sqlite_path(settings.store))
        except StoreInUse as exc:
            print(f"campfire: {exc}", file=sys.stderr, flush=True)
            return 1
    # uvicorn's own lines go through our handler too (text or JSON): no log config of its own.
    server = uvicorn.Server(_uvicorn_config(create_app(settings), settings, log_level, log_config=None))
    try:
        sock = listening_socket(settings.host, settings.port)
    except OSError as exc:
        print(f"campfire: cannot listen on {settings.host}:{settings.port}: {exc.strerror}", flush=True)
        return 1
    sock.listen(2048)  # connections made after the line below wait in the backlog, never refused
    print(startup_line(settings, sock.getsockname()[1]), flush=True)
    try:
        server.run(sockets=[sock])
    finally:
        if lock is not None:
            lock.close()
    return 0


def describe_store(url: str) -> str:
    """The store for a log line: Redis without its password, SQLite as an absolute path."""
    from urllib.parse import urlsplit, urlunsplit

    if url.startswith(("redis://", "rediss://", "unix://")):
        parts = urlsplit(url)
        if parts.password:
            netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
            url = urlunsplit(parts._replace(netloc=netloc))
        return f"Redis at {url}"
    path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else url
    import os

    return f"SQLite at {os.path.abspath(path)}"


def startup_line(settings: Settings, port: int) -> str:
    base = f"http://{settings.host if ':' not in settings.host else '[' + settings.host + ']'}:{port}"
    return (f"campfire: listening on {base} (websocket {base.replace('http', 'ws', 1)}/ws, REST {base}/v1, "
            f"console {base}/console); store: {describe_store(settings.store)}")


class EmbeddedServer:
    """A real uvicorn server on a free loopback port, in the current event loop."""

    def __init__(self, settings: Settings, *, clock: Clock | None = None, store: Store | None = None,
                 seeds: Callable[[], int] | None = None, log_level: str = "warning") -> None:
        self.sock = listening_socket(settings.host, settings.port)  # port 0: any free port
        self.port = self.sock.getsockname()[1]
        self.settings = settings
        self.app = create_app(settings, clock=clock, store=store, seeds=seeds)
        config = _uvicorn_config(self.app, settings, log_level)
        self.server = uvicorn.Server(config)
        self.server.config.setup_event_loop = lambda: None  # type: ignore[method-assign]
        self._task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def services(self):  # type: ignore[no-untyped-def]
        return self.app.state.services

    async def start(self) -> None:
        self._task = asyncio.create_task(self.server.serve(sockets=[self.sock]))
        while not self.server.started:
            if self._task.done():
                self._task.result()  # raises the start-up error
            await asyncio.sleep(0.005)

    async def stop(self) -> None:
        self.server.should_exit = True
        if self._task is not None:
            await self._task
        self.sock.close()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator["EmbeddedServer"]:
        await self.start()
        try:
            yield self
        finally:
            await self.stop()
