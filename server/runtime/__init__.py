"""The room runtime: a room's life on this node and the way to reach rooms on others.

  rooms.py   ``Rooms``: what handlers and REST call, by room id (routes to the owner)
  local.py   ``LocalRooms``: the rooms this node owns (apply, commit, fan out, timers)
  room.py    ``Room``: one owned room in memory
  watch.py   ``WatchTable``: this node's watchers per room, fed in sequence order
  frames.py  ``EventFrame``: an event encoded once for every watcher

Depends on the store, the node layer (server/nodes) and the relay (server/relay); sessions
and handlers depend on it, never the reverse (a watcher is a small protocol, not a Session).
"""
from server.runtime.frames import EventFrame
from server.runtime.room import Room
from server.runtime.rooms import Rooms
from server.runtime.watch import Watcher, WatchTable

__all__ = ["EventFrame", "Room", "Rooms", "Watcher", "WatchTable"]
