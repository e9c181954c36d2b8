"""Built-in content packs (demo questions, word pairs, songs), all written for Campfire
and released under CC0. Files are named ``<kind>_<name>.json`` in the pack format that
docs/packs.md describes."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


@cache
def builtin_items(kind: str) -> tuple[dict[str, Any], ...]:
    """Every item of every built-in pack of ``kind``, in file order."""
    items: list[dict[str, Any]] = []
    for path in sorted(HERE.glob(f"{kind}_*.json")):
        items.extend(json.loads(path.read_text(encoding="utf-8"))["items"])
    return tuple(items)
