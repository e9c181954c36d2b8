"""The ``campfire`` command: serve, manage apps, and the operators' tools.

Each command group lives in its own module with a ``register(subparsers)`` function;
this file only assembles them, so adding a command never means editing a long file.
"""
from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import signal
import sys
from typing import Any, Sequence

from server.cli_common import CliError, add_store_option, unreachable
from server.version import version

__all__ = ["add_store_option", "build_parser", "main", "run_async"]

# Command modules beyond serve/apps; each exposes register(subparsers).
COMMAND_MODULES: list[str] = [
    "server.cli_apps",
    "server.cli_packs",
    "server.cli_play",
    "server.cli_ops",
    "server.cli_rooms",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="campfire", description="Campfire: games and activity for chat groups")
    parser.add_argument("--version", action="version", version=f"campfire {version()}",
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = sub.add_parser("serve", help="run the server")
    serve.add_argument("--host", default=None, help="interface to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8765)")
    serve.add_argument("--demo", action="store_true", help="create a demo app with demo content on first start")
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"],
                       help="how much the server logs (default info)")
    serve.add_argument("--log-format", default=None, choices=["text", "json"],
                       help="log lines as text (default) or one JSON object per line")
    add_store_option(serve)
    serve.set_defaults(func=_serve)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _serve(args: argparse.Namespace) -> int:
    from server.config import ConfigFileError, load_settings
    from server.run import serve

    try:
        settings = load_settings(args.config, overrides={
            "host": args.host, "port": args.port, "store": args.store, "demo": args.demo or None,
            "log_format": args.log_format})
    except ConfigFileError as exc:
        print(f"campfire: {exc}", file=sys.stderr)
        return 2
    return serve(settings, log_level=args.log_level)


def run_async(coro: Any) -> Any:
    return asyncio.run(coro)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Failures a user can fix end as one ``campfire: …`` line and a non-zero
    exit, never a traceback: a closed pipe (``| head``), Ctrl-C, an unreachable store."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        code = int(args.func(args) or 0)
        sys.stdout.flush()
        return code
    except CliError as exc:
        print(f"campfire: {exc.message}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("campfire: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT
    except BrokenPipeError:
        # The reader went away (``campfire board show | head``): say nothing more, and keep
        # Python's exit-time flush from raising again on the dead pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE
    except Exception as exc:
        if unreachable(exc):
            print(f"campfire: the store stopped answering: {exc}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
