"""The installed Campfire version (``campfire --version``, the OpenAPI document)."""
from __future__ import annotations

import importlib.metadata


def version() -> str:
    # The distribution is campfire-games; environments installed before the rename hold "campfire".
    for name in ("campfire-games", "campfire"):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "unknown"  # run from a checkout that was never installed
