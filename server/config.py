"""Server settings: every limit in one place, each with a default and a documented meaning.

Settings come from (lowest to highest): defaults, a TOML file (``--config``), environment
variables ``CAMPFIRE_<NAME>``, then command-line flags. A bad value anywhere is a
ConfigFileError naming the setting and the reason; the server refuses to start on it.
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass
from typing import Any, Mapping


class ConfigFileError(ValueError):
    """A setting is unknown or has a bad value. The message names it."""


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8765
    store: str = "data/campfire.db"  # SQLite path, or redis://…
    data_dir: str = "data"  # rendered media and other files
    demo: bool = False
    # Wire limits (docs/PROTOCOL.md "Limits").
    max_frame_bytes: int = 64 * 1024
    frames_per_second: float = 40.0
    frame_burst: int = 80
    max_connections: int = 10_000
    send_queue_frames: int = 1_000  # a member this far behind is disconnected (resume later)
    hello_timeout: float = 10.0
    ws_compression: bool = False  # permessage-deflate; see docs/PROTOCOL.md "Limits"
    # Rooms and tokens.
    player_token_ttl: int = 3600
    max_player_token_ttl: int = 7 * 24 * 3600
    snapshot_every: int = 50  # persist a full snapshot every N inputs (inputs in between)
    one_game_per_group: bool = True
    create_key_ttl: float = 86_400.0  # how long a room.create idempotency key returns its room (s)
    lobby_ttl: float = 1800.0  # a lobby not started this long after its creation closes (s); 0: never
    log_retention_days: float = 30.0  # finished/closed rooms' event logs are pruned after this; 0: forever
    default_timezone: str = "Asia/Shanghai"
    default_lang: str = "zh"
    # Nodes sharing a Redis store (docs/operators.md "Running several nodes").
    lease_seconds: float = 3.0  # a dead node's rooms are taken over within about this long
    relay_timeout: float = 5.0  # a request relayed to a room's owner fails `unavailable` after this
    game_seed: int = 0  # 0: game seeds from the OS; otherwise a fixed sequence (tests, reproducible runs)
    # The server's public HTTP base, e.g. https://play.example.com behind a TLS proxy: links members
    # open from a chat (song clips, the play page, docs/play.md) point there. Empty: song clip links
    # are server-relative paths and play links use the address each request came to.
    public_url: str = ""
    clip_ttl: int = 3600  # seconds a song clip link stays valid
    play_link_ttl: int = 900  # seconds a launch link stays valid (the session it opens lasts longer)
    telegram_max_age: int = 86400  # oldest Telegram Web App initData (auth_date) accepted, seconds
    # Operations.
    log_format: str = "text"  # "text" or "json" (one JSON object per line; docs/operators.md, "Logs")

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in dataclasses.fields(cls)]

    def with_values(self, values: Mapping[str, Any], source: str) -> "Settings":
        """A copy with ``values`` applied, each type-checked; ``source`` names where they came from."""
        fields = {f.name: f for f in dataclasses.fields(self)}
        changes: dict[str, Any] = {}
        for name, raw in values.items():
            if name not in fields:
                raise ConfigFileError(f"{source}: unknown setting '{name}'")
            default = getattr(self, name)
            changes[name] = _coerce(name, raw, type(default), source)
        merged = dataclasses.replace(self, **changes)
        merged.check()
        return merged

    def check(self) -> None:
        for name in ("max_frame_bytes", "frame_burst", "max_connections", "send_queue_frames",
                     "player_token_ttl", "snapshot_every", "clip_ttl", "play_link_ttl", "telegram_max_age"):
            if getattr(self, name) <= 0:
                raise ConfigFileError(f"'{name}' must be positive")
        for name in ("lease_seconds", "relay_timeout", "create_key_ttl"):
            if getattr(self, name) <= 0:
                raise ConfigFileError(f"'{name}' must be positive")
        if self.frames_per_second <= 0:
            raise ConfigFileError("'frames_per_second' must be positive")
        if self.lobby_ttl < 0:
            raise ConfigFileError("'lobby_ttl' must be 0 (never) or positive")
        if self.public_url and not _is_base_url(self.public_url):
            raise ConfigFileError("'public_url' must be an http:// or https:// address with no path, "
                                  "e.g. https://play.example.com")
        if self.log_format not in ("text", "json"):
            raise ConfigFileError("'log_format' must be 'text' or 'json'")
        if self.log_retention_days < 0:
            raise ConfigFileError("'log_retention_days' must be 0 (keep forever) or positive")
        if not (0 <= self.port < 65536):
            raise ConfigFileError("'port' must be between 0 (any free port) and 65535")


def _is_base_url(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and parts.path in ("", "/") \
        and not parts.query and not parts.fragment


def _coerce(name: str, raw: Any, kind: type, source: str) -> Any:
    if isinstance(raw, kind) and not (kind is not bool and isinstance(raw, bool)):
        return raw
    if isinstance(raw, str):
        try:
            if kind is bool:
                lowered = raw.strip().lower()
                if lowered in ("1", "true", "yes", "on"):
                    return True
                if lowered in ("0", "false", "no", "off"):
                    return False
                raise ValueError(raw)
            if kind in (int, float):
                return kind(raw)
        except ValueError:
            pass
    if kind is float and isinstance(raw, int) and not isinstance(raw, bool):
        return float(raw)
    raise ConfigFileError(f"{source}: '{name}' must be {kind.__name__}, got {raw!r}")


def load_settings(path: str | None = None, env: Mapping[str, str] | None = None,
                  overrides: Mapping[str, Any] | None = None) -> Settings:
    settings = Settings()
    if path:
        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except FileNotFoundError:
            raise ConfigFileError(f"{path}: no such file") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigFileError(f"{path}: not valid TOML ({exc})") from None
        settings = settings.with_values(data.get("campfire", data), path)
    env = os.environ if env is None else env
    from_env = {k[len("CAMPFIRE_"):].lower(): v for k, v in env.items() if k.startswith("CAMPFIRE_")}
    from_env = {k: v for k, v in from_env.items() if k in Settings.names()}
    if from_env:
        settings = settings.with_values(from_env, "environment")
    if overrides:
        settings = settings.with_values({k: v for k, v in overrides.items() if v is not None}, "command line")
    return settings


