"""The Campfire service: Starlette app, websocket sessions, rooms, auth, storage, scores."""
