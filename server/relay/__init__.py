"""Moving requests and events between nodes through Redis Streams.

  inbox.py   ``Inbox``: a request for a room owned elsewhere goes to the owner's inbox
             stream; the reply comes back through the caller's, matched by request id
  follow.py  ``Follower``: events of rooms watched here but owned elsewhere, read from each
             room's event stream in sequence order

Streams, not pub/sub: an entry written while a reader's connection blips is still there
when it reads again. Knows nothing of rooms beyond ids: the runtime hands it callbacks.
"""
from server.relay.follow import Follower
from server.relay.inbox import Inbox, Moved, RelayTimeout

__all__ = ["Follower", "Inbox", "Moved", "RelayTimeout"]
