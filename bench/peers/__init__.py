"""The servers Campfire is measured against: the bare broadcast ceiling and two peers."""
