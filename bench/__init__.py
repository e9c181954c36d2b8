"""Campfire benchmarks: `python -m bench all|fanout|inbound|connections|boards|resume` (see docs/PERFORMANCE.md)."""
