"""Signing webhook deliveries: HMAC-SHA256 over ``<timestamp>.<body>``.

The header is ``Campfire-Signature: t=<unix seconds>,v1=<hex digest>``. Signing the timestamp
with the body lets a receiver refuse old replays (check ``t`` is recent) as well as forgeries.
docs/operators.md, "Webhooks", shows the receiver's side in a few lines.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

HEADER = "Campfire-Signature"
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, now: float, tolerance: float = 300.0) -> bool:
    """The receiver's check: the signature matches and the timestamp is within ``tolerance``."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
