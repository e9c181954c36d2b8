"""The chat bridge: turn group chat into Campfire calls and Campfire events into chat.

See docs/sdk.md ("Chat bridge") for the command table and the templates."""
from sdk.bridge.commands import COMMANDS, Command, Intent, markdown_table, parse
from sdk.bridge.core import Bridge
from sdk.bridge.delivery import PLATFORM_PACE, Advice, DeliveryFailed, advise
from sdk.bridge.media import AUDIO_FORMAT, clip_link, fetch_media, pick_format
from sdk.bridge.messages import IncomingMessage, OutgoingMessage
from sdk.bridge.pacer import Pacer
from sdk.bridge.templates import DEFAULTS, Templates

__all__ = ["AUDIO_FORMAT", "clip_link", "fetch_media", "pick_format", "Advice", "Bridge", "COMMANDS", "Command", "DEFAULTS", "DeliveryFailed", "IncomingMessage", "Intent",
           "OutgoingMessage", "PLATFORM_PACE", "Pacer", "Templates", "advise", "markdown_table", "parse"]
