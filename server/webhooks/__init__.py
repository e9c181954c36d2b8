"""Webhooks: an app's HTTPS endpoints told about finished games, check-ins, cooling groups and
expired rooms, each delivery signed, retried and deduplicated (docs/operators.md, "Webhooks")."""
from server.webhooks.dispatch import EVENTS, Dispatcher
from server.webhooks.signing import HEADER, signature, verify
from server.webhooks.store import WebhookStore, webhook_store

__all__ = ["EVENTS", "HEADER", "Dispatcher", "WebhookStore", "signature", "verify", "webhook_store"]
