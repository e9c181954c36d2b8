"""When a chat platform refuses a send: wait and retry, or give up, and how fast to send at all.

Nothing here imports a chat framework. A failed send is judged by what its exception
carries, the way each framework documents it:

- aiogram 3: ``TelegramRetryAfter.retry_after`` (seconds Telegram asked us to wait);
  ``TelegramBadRequest`` / ``TelegramForbiddenError`` / ``TelegramNotFound`` /
  ``TelegramUnauthorizedError`` will fail the same way again (the bot was removed, the
  member blocked it, the text is invalid).
- discord.py 2: ``RateLimited.retry_after``; ``HTTPException.status`` (429 with the
  ``Retry-After`` header of ``HTTPException.response``, 5xx worth retrying, other 4xx
  permanent: ``Forbidden`` when a member blocks DMs).
- NoneBot's OneBot v11 adapter: ``ActionFailed.info["retcode"]``. The OneBot v11 spec and
  go-cqhttp/NapCat use 100 (bad parameters), 102 (invalid data), 104 (bad credentials) and
  HTTP-style 1400/1401/1403/1404 for requests that will never succeed; anything else (103
  "operation failed", QQ's risk control, 201 "worker busy") may pass a little later.
  ``NetworkError`` and ``ApiNotAvailable`` mean the connection to the OneBot side is down:
  retry.
- Anything else: connection errors and unknown exceptions are retried with backoff; the
  pacer gives up after a bounded time and says so with a ``DeliveryFailed``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from sdk.bridge.messages import OutgoingMessage

__all__ = ["Advice", "DeliveryFailed", "PLATFORM_PACE", "advise"]

# Exception class names (anywhere in the MRO) that mean "this exact send will never pass".
_PERMANENT_NAMES = frozenset({
    "TelegramBadRequest", "TelegramForbiddenError", "TelegramNotFound", "TelegramUnauthorizedError",
    "TelegramConflictError", "TelegramEntityTooLarge", "TelegramMigrateToChat",
})
_ONEBOT_PERMANENT_RETCODES = frozenset({100, 102, 104, 1400, 1401, 1403, 1404})


@dataclass(frozen=True, slots=True)
class Advice:
    """What to do about one failed send: ``retry`` it (after ``delay`` seconds when the
    platform named a delay, else after the pacer's own backoff), or give up now."""

    retry: bool
    delay: float | None = None


@dataclass(frozen=True, slots=True)
class DeliveryFailed:
    """A message the bridge could not deliver, handed to ``on_delivery_failed``: the bot
    may log it, tell an operator, or post a shorter notice. ``kind`` is ``delivery_failed``."""

    message: OutgoingMessage
    error: BaseException
    attempts: int
    kind: str = "delivery_failed"


# Default pace per platform: (rate per second, burst). A token bucket lets through at most
# burst + rate * T messages in any T seconds, so each pair is chosen from the documented limit:
# - telegram: "your bot will not be able to send more than 20 messages per minute to the same
#   group" (core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
#   3 + 17/60 * 60 = 20 a minute.
# - discord: limits are per route and announced in X-RateLimit-* headers, which discord.py
#   obeys by itself (discord.com/developers/docs/topics/rate-limits); a channel's message
#   bucket is 5 per 5 seconds, so 1 + 0.8 * 5 = 5.
# - onebot (QQ through NapCat, Lagrange, go-cqhttp): OneBot documents no limit and QQ's risk
#   control mutes accounts that post fast; one message every 2 seconds with a burst of 2 is
#   the common advice of those projects' docs.
PLATFORM_PACE: Mapping[str, tuple[float, int]] = {
    "telegram": (17 / 60, 3),
    "discord": (0.8, 1),
    "onebot": (0.5, 2),
}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return max(0.0, float(value))
    if isinstance(value, str):
        try:
            return max(0.0, float(value))
        except ValueError:
            return None
    return None


def advise(exc: BaseException) -> Advice:
    """Retry or give up, and the platform's advised delay if it gave one."""
    delay = _number(getattr(exc, "retry_after", None))
    if delay is not None:  # aiogram TelegramRetryAfter, discord.RateLimited
        return Advice(True, delay)
    names = {cls.__name__ for cls in type(exc).__mro__}
    if names & _PERMANENT_NAMES:
        return Advice(False)
    status = getattr(exc, "status", None)
    if isinstance(status, int) and not isinstance(status, bool) and 400 <= status < 600:
        if status == 429:  # discord.HTTPException: the header says how long
            headers = getattr(getattr(exc, "response", None), "headers", None) or {}
            try:
                advised = _number(headers.get("Retry-After"))
            except Exception:
                advised = None
            return Advice(True, advised)
        return Advice(status >= 500)
    info = getattr(exc, "info", None)
    if isinstance(info, Mapping) and "retcode" in info:  # OneBot ActionFailed
        retcode = info.get("retcode")
        return Advice(not (isinstance(retcode, int) and retcode in _ONEBOT_PERMANENT_RETCODES))
    if isinstance(exc, (TypeError, ValueError, AttributeError, KeyError)):
        return Advice(False)  # a bug in the bot's send function: retrying repeats it
    return Advice(True)
