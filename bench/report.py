"""Tables: each cell is the median of the interleaved repeats, its spread, and its ratio to the
ceiling from the same run; the last columns compare Campfire with each peer."""
from __future__ import annotations

from typing import Any

from bench.stats import summarize

PEERS = ("socketio", "colyseus")


def _fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "ms":
        return f"{v:.1f}" if v < 100 else f"{v:.0f}"
    if unit == "s":
        return f"{v:.2f}"
    if unit == "pct":
        return f"{100 * v:.0f}%"
    if unit == "kib":
        return f"{v:.1f}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.2f}" if isinstance(v, float) else str(v)


def _cell(s: dict[str, Any], ceiling: float | None, unit: str, show_ratio: bool) -> str:
    mid = s["median"]
    if mid is None:
        return "—"
    text = _fmt(mid, unit)
    if s["runs"] > 1 and s["spread"] is not None:
        text += f" ±{s['spread'] * 50:.0f}%"  # half the min–max range, as a ± around the median
    if show_ratio and ceiling:
        if unit != "pct":
            text += f" ({mid / ceiling:.2f}×)"
    return text


def metric_table(title: str, runs: dict[str, list[dict[str, Any] | None]],
                 rows: list[tuple[str, Any, str]], note: str = "") -> str:
    """``rows``: (label, getter(run) -> value, unit). Ratios are to the ceiling (in the cells)
    and Campfire ÷ each peer (last columns); for latency and memory, lower is better."""
    servers = list(runs)
    has_ceiling = "ceiling" in servers
    peers = [p for p in PEERS if p in servers and "campfire" in servers]
    head = ["", *servers, *[f"campfire÷{p}" for p in peers]]
    body: list[list[str]] = []
    for label, get, unit in rows:
        stats = {}
        for s in servers:
            vals = []
            for run in runs[s]:
                try:
                    vals.append(get(run) if run is not None else None)
                except (KeyError, TypeError):
                    vals.append(None)
            stats[s] = summarize(vals)
        ceiling = stats["ceiling"]["median"] if has_ceiling else None
        line = [label] + [_cell(stats[s], ceiling, unit, has_ceiling and s != "ceiling") for s in servers]
        for p in peers:
            a, b = stats["campfire"]["median"], stats[p]["median"]
            line.append(f"{a / b:.2f}×" if a is not None and b and unit != "pct" else "—")
        body.append(line)
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    out = [f"### {title}", ""]
    out.append("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |")
    out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in body:
        out.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
    if note:
        out += ["", note]
    return "\n".join(out)


def fanout_table(result: dict[str, Any]) -> str:
    p = result["params"]
    rows: list[tuple[str, Any, str]] = []
    for size in p["sizes"]:
        k = str(size)
        rows += [
            (f"room {size}: deliveries/s (max)", lambda r, k=k: r[k]["deliveries_per_s"], ""),
            (f"room {size}: deliveries per server CPU-s", lambda r, k=k: r[k]["per_cpu_s"], ""),
            (f"room {size}: server core busy (max run)", lambda r, k=k: r[k]["busy"], "pct"),
            (f"room {size}: latency p50 ms @{p['paced_rate']:,}/s", lambda r, k=k: r[k]["p50_ms"], "ms"),
            (f"room {size}: latency p99 ms @{p['paced_rate']:,}/s", lambda r, k=k: r[k]["p99_ms"], "ms"),
        ]
    return metric_table("Room fan-out", result["runs"], rows,
                        "Deliveries/s and per CPU-s: the publisher sends as fast as a window of 50 undelivered "
                        f"messages allows. Latency: at {p['paced_rate']:,} deliveries/s offered. "
                        "Cells: median ±half the range of the repeats (ratio to the ceiling).")


def inbound_table(result: dict[str, Any]) -> str:
    p = result["params"]
    rows = [("answers/s", lambda r: r["actions_per_s"], ""),
            ("answers per server CPU-s", lambda r: r["per_cpu_s"], ""),
            ("server core busy", lambda r: r["busy"], "pct"),
            ("latency p50 ms", lambda r: r["p50_ms"], "ms"),
            ("latency p99 ms", lambda r: r["p99_ms"], "ms")]
    return metric_table(f"Inbound actions ({p['rooms'] * p['room_size']:,} members in {p['rooms']} rooms, "
                        f"{p['questions']} questions)", result["runs"], rows,
                        "Campfire runs real quizzes (decode, validate, rule, log, reply, and the room's events "
                        "fanned out); the peers only decode and acknowledge, so they bound what is possible.")


def connections_table(result: dict[str, Any]) -> str:
    p = result["params"]
    rows: list[tuple[str, Any, str]] = []
    for level in p["levels"]:
        rows.append((f"KiB per idle connection @{level:,}", lambda r, lv=level: r[f"kib_per_conn_{lv}"], "kib"))
        rows.append((f"connections opened/s (to {level:,})", lambda r, lv=level: r[f"opened_per_s_{lv}"], ""))
    rows.append((f"held after {p['hold_seconds']:.0f}s with keepalive", lambda r: r["held"], ""))
    rows.append(("server CPU while idle (cores)", lambda r: r["idle_cpu_per_s"], ""))
    return metric_table("Connections", result["runs"], rows,
                        "Memory: server RSS growth divided by the connections open (Campfire's are "
                        "authenticated with a player token).")


def resume_table(result: dict[str, Any]) -> str:
    rows = [("members", lambda r: r["members"], ""),
            ("all back (s)", lambda r: r["all_back_s"], "s"),
            ("all caught up (s)", lambda r: r["caught_up_s"], "s"),
            ("missed events", lambda r: r["missed"], ""),
            ("duplicated events", lambda r: r["duplicated"], ""),
            ("members not caught up", lambda r: r["not_caught_up"], ""),
            ("members dropped again after resuming", lambda r: r["dropped_again"], "")]
    return metric_table("Resume storm", result["runs"], rows,
                        f"All {result['params']['members']:,} members drop at once and reconnect with "
                        "room.watch(after=last seq) while the bot keeps announcing "
                        f"({result['params']['rate']} events/s); missed and duplicated are summed over all members.")
