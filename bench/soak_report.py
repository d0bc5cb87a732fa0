"""What the soak holds the server to, and its result as a Markdown table with the
verdict: PASS, or FAIL with every limit that was broken."""

from __future__ import annotations

from typing import Any

#: memory may grow this much from the minute after the warm-up to the last minute,
#: beyond the state the server must keep
MEMORY_GROWTH_LIMIT = 0.10
#: a screen with no frame for this long is stalled (boards get 20 a second; a quiet
#: agent's topic a few a minute and a ping every 15 s)
STALL_SECONDS = 30.0
#: seconds the posts may lag behind their schedule at the end before the rest is dropped
LATE_LIMIT = 10.0


def failures(result: dict[str, Any]) -> list[str]:
    load, found = result["load"], []
    if not result["memory_growth_beyond_state"] < MEMORY_GROWTH_LIMIT:
        found.append(
            f"memory grew {result['memory_growth_beyond_state']:.1%} after the warm-up "
            "beyond the folded state"
        )
    if load["closes"] or result["server_dropped"]:
        found.append(f"screens closed {load['closes']}, {result['server_dropped']:g} dropped")
    if load["stalled"]:
        found.append(f"{load['stalled']} screens got no frame for {STALL_SECONDS:g} s")
    if result["error_lines"]:
        found.append(f"the server logged errors: {result['error_lines'][0]}")
    if load["acknowledged"] != load["sent"] or result["server_ingested"] != load["sent"]:
        found.append(
            f"{load['sent']} sent, {load['acknowledged']} acknowledged, "
            f"{result['server_ingested']:g} ingested"
        )
    if load["unsent"] or load["late_max_ms"] > LATE_LIMIT * 1000:
        found.append(
            f"posts fell behind: {load['unsent']} of {load['scheduled']} events unsent, the "
            f"latest {load['late_max_ms'] / 1000:.1f} s late (load process "
            f"{load['load_cpu_share']:.0%} of its core, server {result['server_cpu_share']:.0%})"
        )
    return found


def markdown(result: dict[str, Any], found: list[str]) -> str:
    load = result["load"]
    board = load["latency"].get("board", {})
    agent = load["latency"].get("agent", {})
    answer = load["answer"]
    slices = ", ".join(f"{s['p99_ms']}" for s in load["board_latency_by_slice"])
    rows = [
        f"Soak, {result['when']}: {result['minutes']:g} min, {result['clients']:,} screens, "
        f"{result['rate']:g} events/s, warm-up {result['warmup_minutes']:g} min",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| server RSS after warm-up, at the end (median) | {result['rss_mib_after_warmup']} MiB, "
        f"{result['rss_mib_last']} MiB |",
        f"| memory growth; beyond the {result['state_mib']} MiB of state folded meanwhile "
        f"(limit {MEMORY_GROWTH_LIMIT:.0%}) | {result['memory_growth']:.1%}; "
        f"{result['memory_growth_beyond_state']:.1%} |",
        f"| events sent, acknowledged, ingested | {load['sent']:,}, {load['acknowledged']:,}, "
        f"{result['server_ingested']:,.0f} ({load['per_s']}/s) |",
        f"| POST answered in (p50, p99, slowest) | {answer['p50_ms']} ms, {answer['p99_ms']} ms, "
        f"{answer['max_ms']} ms |",
        f"| screens closed, dropped (4408), stalled | {sum(load['closes'].values())}, "
        f"{result['server_dropped']:g}, {load['stalled']} (fewest connected: "
        f"{result['clients_min']:,.0f}) |",
        f"| server log lines at ERROR or with a traceback; at WARNING | "
        f"{result['errors_logged']}; {result['warnings_logged']} |",
        f"| push latency, board (p50, p99) | {board.get('p50_ms')} ms, {board.get('p99_ms')} ms |",
        f"| push latency, /me (p50, p99) | {agent.get('p50_ms')} ms, {agent.get('p99_ms')} ms |",
        f"| board p99 by tenth of the run | {slices} ms |",
        f"| frames per screen per second | {load['frames_per_screen_per_s']} |",
        f"| server CPU share; scorer lag, most | {result['server_cpu_share']:.0%}; "
        f"{result['scorer_lag_max']:g} events |",
        f"| load process CPU share; latest post | {load['load_cpu_share']:.0%} of its core; "
        f"{load['late_max_ms']} ms behind schedule |",
    ]
    verdict = "FAIL: " + "; ".join(found) if found else "PASS"
    return "\n".join([*rows, "", verdict]) + "\n"
