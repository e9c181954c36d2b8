"""Payload validation at the edge: each frame type and REST body declares its fields once.

A failed check raises ProtocolError('invalid_payload') naming the field and the reason,
so a bot developer reading the error knows exactly what to fix.

Bounds every field has, beyond its own (docs/PROTOCOL.md, "Limits"): numbers are finite and
within ±(2^53 - 1), the integers every JSON reader keeps exactly (so nothing stored can
overflow to infinity or lose digits on its way to a browser); free-form maps (a room's
config, an action, an announcement, group settings) are at most ``MAX_DEPTH`` levels deep and
hold at most ``MAX_VALUES`` values, with string keys, Unicode strings and bounded numbers only.
Strings are valid Unicode already: the decoder refuses lone surrogates (server/protocol.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

from server.protocol import ProtocolError

_MISSING = object()

MAX_SAFE_INT = 2**53 - 1
MAX_DEPTH = 16
MAX_VALUES = 10_000  # a full activity.report (1,000 events of up to 6 values each) fits


def _invalid(name: str, reason: str) -> ProtocolError:
    return ProtocolError("invalid_payload", f"'{name}' {reason}", field=name)


def check_number(name: str, value: int | float) -> None:
    """Finite and within ±MAX_SAFE_INT; ``name`` is the field the error names."""
    if isinstance(value, float) and not math.isfinite(value):
        raise _invalid(name, "must be a finite number")
    if not -MAX_SAFE_INT <= value <= MAX_SAFE_INT:
        raise _invalid(name, f"must be within ±{MAX_SAFE_INT}")


def check_free_form(name: str, value: Any) -> None:
    """A free-form value: maps with string keys, lists, Unicode strings, bounded numbers,
    booleans and null; at most MAX_DEPTH levels deep and MAX_VALUES values in all. Walked
    with an explicit stack, so no input can exhaust the interpreter's recursion."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    count = 0
    while stack:
        item, depth = stack.pop()
        count += 1
        if count > MAX_VALUES:
            raise _invalid(name, f"holds more than {MAX_VALUES} values")
        if isinstance(item, dict):
            if depth > MAX_DEPTH:
                raise _invalid(name, f"is nested more than {MAX_DEPTH} levels deep")
            for key, sub in item.items():
                if not isinstance(key, str):
                    raise _invalid(name, "must have string keys only")
                stack.append((sub, depth + 1))
        elif isinstance(item, list):
            if depth > MAX_DEPTH:
                raise _invalid(name, f"is nested more than {MAX_DEPTH} levels deep")
            stack.extend((sub, depth + 1) for sub in item)
        elif isinstance(item, bool) or item is None or isinstance(item, str):
            continue
        elif isinstance(item, (int, float)):
            check_number(name, item)
        else:  # bytes and MessagePack extension types have no JSON form for text clients
            raise _invalid(name, f"may hold maps, lists, strings, numbers, booleans and null, not {type(item).__name__}")


@dataclass(frozen=True, slots=True)
class Field:
    kind: type | tuple[type, ...]
    required: bool = True
    default: Any = None
    max_len: int | None = None
    min: float | None = None
    max: float | None = None
    nullable: bool = False

    def check(self, name: str, value: Any) -> Any:
        if value is None and self.nullable:
            return None
        kinds = self.kind if isinstance(self.kind, tuple) else (self.kind,)
        ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
        if float in kinds and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if not ok:
            names = "/".join(k.__name__ for k in kinds)
            raise ProtocolError("invalid_payload", f"'{name}' must be {names}", field=name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            check_number(name, value)
        elif isinstance(value, (dict, list)):
            check_free_form(name, value)
        if self.max_len is not None and isinstance(value, (str, list, dict)) and len(value) > self.max_len:
            raise ProtocolError("invalid_payload", f"'{name}' is longer than {self.max_len}", field=name)
        if self.min is not None and isinstance(value, (int, float)) and value < self.min:
            raise ProtocolError("invalid_payload", f"'{name}' must be at least {self.min}", field=name)
        if self.max is not None and isinstance(value, (int, float)) and value > self.max:
            raise ProtocolError("invalid_payload", f"'{name}' must be at most {self.max}", field=name)
        if isinstance(value, str) and name in ID_FIELDS and not value.strip():
            raise ProtocolError("invalid_payload", f"'{name}' must not be empty", field=name)
        return value


    def json_schema(self, name: str = "") -> dict[str, Any]:
        """This field as JSON Schema, with the bounds ``check`` applies (for /v1/openapi.json,
        server/openapi.py): one declaration serves validation and documentation."""
        kinds = self.kind if isinstance(self.kind, tuple) else (self.kind,)
        types = [JSON_TYPES[k] for k in kinds if k in JSON_TYPES]
        if "number" in types and "integer" in types:
            types.remove("integer")  # a JSON Schema number includes the integers
        if self.nullable:
            types.append("null")
        out: dict[str, Any] = {"type": types[0] if len(types) == 1 else types}
        if self.max_len is not None:
            for kind, keyword in ((str, "maxLength"), (list, "maxItems"), (dict, "maxProperties")):
                if kind in kinds:
                    out[keyword] = self.max_len
        if self.min is not None:
            out["minimum"] = self.min
        if self.max is not None:
            out["maximum"] = self.max
        if name in ID_FIELDS and str in kinds:
            out["pattern"] = r"\S"  # not empty or only spaces
        if self.default is not None:
            out["default"] = self.default
        return out


JSON_TYPES: dict[type, str] = {str: "string", int: "integer", float: "number", bool: "boolean", dict: "object",
                               list: "array"}

# Ids that must be non-empty strings wherever they appear.
ID_FIELDS = frozenset({"room", "group", "player", "game", "name"})


def Id(required: bool = True) -> Field:
    return Field(str, required=required, max_len=128)


def Text(max_len: int = 2000, required: bool = True) -> Field:
    return Field(str, required=required, max_len=max_len)


def Int(required: bool = True, default: int | None = None, min: int | None = None, max: int | None = None) -> Field:
    return Field(int, required=required, default=default, min=min, max=max)


def Map(required: bool = True) -> Field:
    return Field(dict, required=required, default=None)


class Schema:
    """``Schema(room=Id(), after=Int(required=False, default=0))`` → ``schema(data)`` returns a
    dict with exactly the declared fields (defaults filled), or raises invalid_payload.
    Unknown fields are refused: a typo should not be silently ignored."""

    def __init__(self, **fields: Field) -> None:
        self.fields = fields

    def json_schema(self) -> dict[str, Any]:
        """The schema as a JSON Schema object: unknown fields refused, as ``__call__`` does."""
        return {"type": "object", "additionalProperties": False,
                "properties": {name: f.json_schema(name) for name, f in self.fields.items()},
                "required": [name for name, f in self.fields.items() if f.required]}

    def __call__(self, data: Mapping[str, Any]) -> dict[str, Any]:
        unknown = [k for k in data if k not in self.fields]
        if unknown:
            raise ProtocolError("invalid_payload", f"unknown field '{unknown[0]}'", field=unknown[0])
        out: dict[str, Any] = {}
        for name, f in self.fields.items():
            value = data.get(name, _MISSING)
            if value is _MISSING:
                if f.required:
                    raise ProtocolError("invalid_payload", f"'{name}' is required", field=name)
                out[name] = f.default
                continue
            out[name] = f.check(name, value)
        return out
