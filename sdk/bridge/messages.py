"""What goes in and out of a chat bridge: plain messages, independent of any chat platform.

A bot framework adapter turns its own message object into an ``IncomingMessage`` and sends
each ``OutgoingMessage`` with its own API; nothing here knows about QQ, Telegram or Discord.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """One message a member wrote in a group. ``mentions`` are the member ids it @-mentions."""

    group: str
    member: str
    name: str
    text: str
    mentions: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """A message ready to send: to the group, or (``private``) to one member as a DM.

    A private message keeps ``group`` so the adapter knows which group it is about (some
    platforms, like QQ, send group-temporary DMs through the group)."""

    group: str
    text: str
    member: str | None = None
    private: bool = False
    attachment: str | None = None  # a media URL to send along (a song clip); never merged away
    attachment_type: str | None = None  # its audio format ("ogg", "mp3", "wav", "silk"), None if unknown

    @property
    def destination(self) -> str:
        """The key pacing and merging work by: one queue per group chat and per DM."""
        return f"dm:{self.member}" if self.private else f"group:{self.group}"
