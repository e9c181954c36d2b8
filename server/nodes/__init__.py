"""Node membership and room leases: which node owns which live room.

On SQLite there is one node and it owns every room (``SingleNode``). On Redis every node
holds a lease per room it owns, under a fencing epoch (``server/nodes/leases.py``).
"""
from __future__ import annotations

from typing import Any

from server.nodes.base import LostFn, Nodes, SingleNode, new_node_id

__all__ = ["LostFn", "Nodes", "SingleNode", "new_node_id", "nodes_for"]


def nodes_for(store: Any, lease_seconds: float) -> Nodes:
    """The node layer that fits the store: leases in Redis, or the single embedded node."""
    from server.store.redis_store import RedisStore

    if isinstance(store, RedisStore):
        from server.nodes.leases import RedisNodes

        return RedisNodes(store.db, store.p, lease_seconds)
    return SingleNode()
