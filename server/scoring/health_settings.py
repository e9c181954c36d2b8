"""Health settings: their defaults, their validation, and which value applies to a group.

Every setting can be set per app and per group; a group's value wins over its app's, and
the app's over the default. Health figures are recomputed from the activity log at read
time, so a change applies to every figure at once, history included (the live activity
board, ``activity.top``, keeps the weights the app had when each act was applied).

Where they are kept: for an app, ``activity_weights`` and ``activity_half_life_days`` stay
top-level app settings (the result path reads them there) and the rest live in the app
setting ``health``; for a group, all of them live in the group setting ``health``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Mapping

from server.scoring.activity import DEFAULT_HALF_LIFE_DAYS, DEFAULT_WEIGHTS

TOP_LEVEL = ("activity_weights", "activity_half_life_days")  # app settings outside ``health``


@dataclass(frozen=True, slots=True)
class HealthSettings:
    activity_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    activity_half_life_days: float = DEFAULT_HALF_LIFE_DAYS
    message_cap: int = 20          # relayed messages counted per member per local day
    cooling_share: float = 0.8     # cooling below this share of the baseline ...
    recover_share: float = 0.9     # ... and cooling until back at this share
    dormant_days: int = 14         # no activity for this many complete days: dormant
    risk_gaps: float = 2.0         # at risk when silent for more than this many usual gaps ...
    risk_min_days: int = 7         # ... and for more than this many days
    connected_min: int = 3         # current co-players that make a member "connected"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


DEFAULTS = HealthSettings()
KEYS = tuple(DEFAULTS.to_dict())


def _number(key: str, value: Any, low: float, high: float, whole: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (whole and not isinstance(value, int)):
        raise ValueError(key, f"'{key}' must be a {'whole ' if whole else ''}number")
    if not low <= value <= high:
        raise ValueError(key, f"'{key}' must be between {low:g} and {high:g}")
    return value


def validate(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A checked copy of ``raw`` (some or all settings); ``None`` as a value means "back to
    the inherited value". Raises ``ValueError(field, message)`` on the first bad entry."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in KEYS:
            raise ValueError(key, f"unknown health setting '{key}' (known: {', '.join(KEYS)})")
        if value is None:
            out[key] = None
        elif key == "activity_weights":
            if not isinstance(value, Mapping):
                raise ValueError(key, "'activity_weights' must be a map of act kind to weight")
            for kind, w in value.items():
                if kind not in DEFAULT_WEIGHTS:
                    raise ValueError(key, f"unknown act kind '{kind}' (known: {', '.join(DEFAULT_WEIGHTS)})")
                _number(f"activity_weights.{kind}", w, 0, 1000)
            out[key] = {k: float(v) for k, v in value.items()}
        elif key == "activity_half_life_days":
            out[key] = float(_number(key, value, 0.5, 365))
        elif key in ("cooling_share", "recover_share"):
            out[key] = float(_number(key, value, 0.05, 1.0))
        elif key == "risk_gaps":
            out[key] = float(_number(key, value, 1, 10))
        elif key == "message_cap":
            out[key] = int(_number(key, value, 0, 10_000, whole=True))
        else:  # dormant_days, risk_min_days, connected_min
            out[key] = int(_number(key, value, 1, 365, whole=True))
    return out


def merge(base: Mapping[str, Any], change: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``change`` applied: None removes a key, weights merge kind by kind."""
    out = dict(base)
    for key, value in change.items():
        if value is None:
            out.pop(key, None)
        elif key == "activity_weights":
            out[key] = {**(out.get(key) or {}), **value}
        else:
            out[key] = value
    return out


def app_level(app_settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """The settings an app has set explicitly (top-level weights and half-life, and ``health``)."""
    s = app_settings or {}
    out = {k: s[k] for k in TOP_LEVEL if k in s}
    raw = s.get("health")
    if isinstance(raw, Mapping):
        out.update({k: v for k, v in raw.items() if k in KEYS})
    return _sane(out)


def group_level(group_settings: Mapping[str, Any] | None) -> dict[str, Any]:
    raw = (group_settings or {}).get("health")
    return _sane({k: v for k, v in raw.items() if k in KEYS}) if isinstance(raw, Mapping) else {}


def _sane(values: dict[str, Any]) -> dict[str, Any]:
    """Values written before validation existed are dropped one by one, not trusted."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        try:
            out.update(validate({key: value}))
        except ValueError:
            continue
    return {k: v for k, v in out.items() if v is not None}


def effective(app_settings: Mapping[str, Any] | None, group_settings: Mapping[str, Any] | None) -> HealthSettings:
    values = merge(merge(DEFAULTS.to_dict(), app_level(app_settings)), group_level(group_settings))
    return HealthSettings(**values)


def split_for_app(app_settings: Mapping[str, Any], change: Mapping[str, Any]) -> dict[str, Any]:
    """The app's settings after ``change`` (validated): weights and half-life top-level, the
    rest under ``health``."""
    out = dict(app_settings)
    health = dict(out.get("health") or {}) if isinstance(out.get("health"), Mapping) else {}
    for key, value in change.items():
        if key in TOP_LEVEL:
            merged = merge({key: out[key]} if key in out else {}, {key: value})
            if key in merged:
                out[key] = merged[key]
            else:
                out.pop(key, None)
        else:
            health = merge(health, {key: value})
    if health:
        out["health"] = health
    else:
        out.pop("health", None)
    return out
