"""Which game checks which kind of item.

The pack code never re-states a game's item rules: each game module exposes
``validate_item`` and declares the kind it draws from in ``meta.content_kind``, so a rule
changed in the game is the rule packs are checked against, with nothing to keep in sync.
"""
from __future__ import annotations

import importlib
import re
from typing import Any, Callable, Mapping, Sequence

Validator = Callable[[Mapping[str, Any]], "list[tuple[str, str]]"]
# Pack-wide checks a game may add (items that spoil each other): (item index, field, reason).
Reviewer = Callable[[Sequence[Mapping[str, Any]]], "list[tuple[int, str, str]]"]

_KIND = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def _from_registry() -> dict[str, Validator]:
    from games import registry

    found: dict[str, Validator] = {}
    for name in registry.names():
        try:
            game: Any = registry.get_game(name)
        except ImportError:
            continue
        kind = getattr(getattr(game, "meta", None), "content_kind", None)
        check = getattr(game, "validate_item", None)
        if kind and callable(check):
            found.setdefault(kind, check)
    return found


def validator_for(kind: str) -> Validator | None:
    """The game's ``validate_item`` for ``kind``, from the registry or else ``games.<kind>``."""
    found = _from_registry().get(kind)
    if found is not None or not _KIND.match(kind):
        return found
    try:
        module: Any = importlib.import_module(f"games.{kind}")
    except ImportError:
        return None
    if getattr(getattr(module, "meta", None), "content_kind", None) != kind:
        return None
    check = getattr(module, "validate_item", None)
    return check if callable(check) else None


def known_kinds() -> list[str]:
    """Kinds some game can check, for messages that list the choices."""
    kinds = set(_from_registry())
    for kind in ("quiz", "spy", "song"):
        if validator_for(kind) is not None:
            kinds.add(kind)
    return sorted(kinds)


def reviewer_for(kind: str) -> Reviewer | None:
    """The game's ``review_pack`` for ``kind``, when it has pack-wide checks."""
    check = validator_for(kind)
    module: Any = importlib.import_module(check.__module__) if check is not None else None
    review = getattr(module, "review_pack", None)
    return review if callable(review) else None
