"""The scorer behind the API: agents, leaderboards, prizes, tombolas, replay."""

from __future__ import annotations

import asyncio
import hashlib
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from scoring.snapshot import state_hash
from tests.helpers import Running, running, sale
from tests.scoring_helpers import whole_rules
from wallboard.engine import SNAPSHOT_KEY, fold
from wallboard.store import open_store

RULES = whole_rules(
    cancellation_window_days=14,
    sale={"products": {"*": {"base": 10, "per_euro": 0.1}}},
    commission={"*": {"percent": 10}},
)


def admin(event_id: str, event_type: str, **fields: Any) -> dict[str, Any]:
    return {"id": event_id, "type": event_type, "ts": "2026-11-01T00:00:00Z", **fields}


def roster() -> list[dict[str, Any]]:
    return [
        admin("rules-1", "rules", rules=RULES),
        admin("site-ber", "site", site="ber", name="Berlin"),
        admin("site-lei", "site", site="lei", name="Leipzig"),
        admin("team-1", "team", team="t1", name="Spree", site="ber"),
        admin("team-2", "team", team="t2", name="Pleisse", site="lei"),
        admin("ag-1", "agent", agent="a-1", name="Anna Berg", team="t1", site="ber"),
        admin(
            "ag-2", "agent", agent="a-2", name="Ben Ohl", team="t2", site="lei", public_name="Benno"
        ),
        admin("ag-3", "agent", agent="a-3", name="Cem Demir", team="t2", site="lei", opt_out=True),
    ]


def setup(app: Running) -> None:
    assert app.post(roster(), role="manager").status_code == 202


def today_sale(app: Running, event_id: str, agent: str, revenue: str) -> Any:
    """A sale made now: the scorer's clock follows the server's arrival stamps."""
    return app.post(sale(event_id, agent=agent, revenue=revenue, ts=_now_iso()))


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


def test_an_agent_sees_pending_points_and_commission_with_their_reasons() -> None:
    with running() as app:
        setup(app)
        today_sale(app, "s-1", "a-1", "100.00")
        app.settle()
        view = app.get("/api/agents/a-1", role="agent").json()
        today = view["periods"]["day"]
        assert today["points"] == {"pending": 20.0, "confirmed": 0.0, "total": 20.0}
        assert today["commission"] == {"pending": 10.0, "confirmed": 0.0}
        [row] = view["recent"]
        assert row["why"] == (
            "mobile-upgrade: 10 × 1 + 0.1/€ × 100.00 € = 20 points; "
            "commission 10.00 € (10 % of revenue) (rules rules-1)"
        )
        assert view["offset"] == app.call(app.store.last_offset)


def test_an_agent_token_reads_only_its_own_agent() -> None:
    with running() as app:
        setup(app)
        today_sale(app, "s-1", "a-1", "100.00")
        app.settle()
        refused = app.get("/api/agents/a-1", role="agent:a-2")
        assert refused.status_code == 403
        assert "a-1" not in refused.text and "100" not in refused.text
        assert app.get("/api/agents/a-1", role="display").status_code == 403
        assert app.get("/api/agents/a-1", role="manager").status_code == 200
        assert app.client.get("/api/agents/a-1").status_code == 401


def test_an_agent_whose_crm_id_holds_a_slash_is_read_at_its_own_address() -> None:
    with running() as app:
        setup(app)
        today_sale(app, "s-1", "emea/anna", "100.00")
        app.settle()
        view = app.get("/api/agents/emea%2Fanna").json()
        assert view["periods"]["day"]["points"]["total"] == 20.0
        assert app.get("/api/agents/emea").json()["periods"]["day"]["points"]["total"] == 0


def test_leaderboards_rank_agents_teams_and_sites_and_keep_privacy() -> None:
    with running() as app:
        setup(app)
        today_sale(app, "s-1", "a-1", "100.00")  # 20 points
        today_sale(app, "s-2", "a-2", "300.00")  # 40 points
        today_sale(app, "s-3", "a-3", "500.00")  # 60 points, opted out
        today_sale(app, "s-4", "a-9", "900.00")  # not on the roster yet
        app.settle()
        public = app.get("/api/leaderboard?period=day&by=agent", role="display").json()
        assert [(r["name"], r["points"]) for r in public["rows"]] == [
            ("Benno", 40.0),
            ("A.B.", 20.0),
        ]
        full = app.get("/api/leaderboard?period=day&by=agent").json()
        assert [r["name"] for r in full["rows"]] == ["Cem Demir", "Ben Ohl", "Anna Berg"]
        sites = app.get("/api/leaderboard?period=week&by=site", role="display").json()
        assert [(r["name"], r["points"]) for r in sites["rows"]] == [
            ("Leipzig", 100.0),
            ("Berlin", 20.0),
        ]
        app.post(
            admin("ag-9", "agent", agent="a-9", name="Dana Vogt", team="t1", site="ber"),
            role="manager",
        )
        app.settle()
        teams = app.get("/api/leaderboard?period=day&by=team", role="display").json()
        assert [(r["name"], r["points"]) for r in teams["rows"]] == [
            ("Spree", 120.0),
            ("Pleisse", 100.0),
        ]
        bad = app.get("/api/leaderboard?period=year", role="display")
        assert bad.status_code == 422
        assert "expected period to be one of day, week, month, season" in bad.json()["error"]


def test_prizes_are_listed_with_stock_and_awards() -> None:
    with running() as app:
        setup(app)
        app.post(
            [
                admin("p-1", "prize", prize="champagne", name="Champagne", stock=1, value=80),
                admin(
                    "pr-1",
                    "prize_rule",
                    rule="big-sale",
                    kind="instant",
                    prize="champagne",
                    min_revenue="250",
                ),
            ],
            role="manager",
        )
        today_sale(app, "s-1", "a-1", "300.00")
        today_sale(app, "s-2", "a-2", "400.00")
        app.settle()
        body = app.get("/api/prizes").json()
        assert body["prizes"][0]["left"] == 0
        assert body["prizes"][0]["value"] == 80
        assert [a["agent"] for a in body["awards"]] == ["a-1"]
        assert body["rules"][0]["status"] == "out of stock: no awards until restocked"
        # A display token reads the winner as the board names them, and no award id
        # (it holds the agent's).
        shown = app.get("/api/prizes", role="display").json()
        assert [a["agent"] for a in shown["awards"]] == ["A.B."]
        # What a prize costs is the company's figure, not the board's.
        assert shown["prizes"] == [
            {k: v for k, v in p.items() if k != "value"} for p in body["prizes"]
        ]
        assert "a-1" not in orjson.dumps(shown).decode()


def open_tombola(app: Running, prizes: list[str], every: int) -> str:
    """The manager opens tombola "nov", closing in 2030; returns its seed hash."""
    opened = app.client.post(
        "/api/tombolas",
        headers={"Authorization": f"Bearer {app.tokens['manager']}"},
        json={
            "tombola": "nov",
            "name": "November",
            "prizes": prizes,
            "closes": "2030-01-01T00:00:00Z",
            "every": every,
        },
    )
    assert opened.status_code == 201
    return str(opened.json()["seed_hash"])


def open_and_draw(app: Running, tmp: Path | None = None) -> dict[str, Any]:
    setup(app)
    published = open_tombola(app, ["cinema", "shirt"], every=2)
    for n in range(6):
        today_sale(app, f"s-a-{n}", "a-1", "10.00")
    for n in range(2):
        today_sale(app, f"s-b-{n}", "a-2", "10.00")
    app.settle()
    before = app.get("/api/tombolas/nov").json()
    assert before["state"] == "open" and before["seed"] is None
    assert before["tickets"] == {"a-1": 3, "a-2": 1}
    # An agent or a display token sees the drum as the board does: no ledger by id.
    public = app.get("/api/tombolas/nov", role="agent").json()
    assert (public["tickets"], public["entrants"]) == (4, ["A.B.", "Benno"])
    app.tick("tick-1", "2030-01-01T00:00:01Z")
    app.settle()
    after = app.get("/api/tombolas/nov").json()
    assert after["seed_hash"] == published
    return after


def test_a_tombola_is_drawn_at_closing_time_and_verifies() -> None:
    with running() as app:
        result = open_and_draw(app)
        assert result["state"] == "drawn"
        assert sorted(result["winners"]) == ["a-1", "a-2"]
        assert result["verified"] is True and result["problems"] == []
        # a manager verifies by ids, and reads names beside them
        assert result["names"]["agents"] == {"a-1": "Anna Berg", "a-2": "Ben Ohl"}
        assert set(result["names"]["prizes"]) == {"cinema", "shirt"}
        assert hashlib.sha256(bytes.fromhex(result["seed"])).hexdigest() == result["seed_hash"]
        shown = app.get("/api/tombolas/nov", role="display").json()
        assert sorted(shown["winners"]) == ["A.B.", "Benno"] and shown["verified"] is True
        assert "a-1" not in orjson.dumps(shown).decode()


def cli(store: str, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    from tests.test_cli_and_server import cli as run_cli

    return run_cli(store, *args, stdin=stdin)


def test_tombola_verify_confirms_a_real_draw_and_reports_tampering(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'log.db'}"
    with running(url) as app:
        open_and_draw(app)
    verified = cli(url, "tombola", "verify", "nov")
    assert verified.returncode == 0, verified.stderr
    assert orjson.loads(verified.stdout)["verified"] is True

    exported = cli(url, "log", "export").stdout.decode().splitlines()

    def tampered(change: Any) -> str:
        target = f"sqlite:///{tmp_path / f'tampered-{len(list(tmp_path.iterdir()))}.db'}"
        lines = [orjson.dumps(change(orjson.loads(line))).decode() for line in exported]
        assert cli(target, "log", "import", stdin="\n".join(lines).encode()).returncode == 0
        return target

    def more_tickets_for_b(event: dict[str, Any]) -> dict[str, Any]:
        if event["type"] == "sale" and event["agent"] == "a-1":
            event["agent"] = "a-2"
        return event

    ledger = cli(tampered(more_tickets_for_b), "tombola", "verify", "nov")
    assert ledger.returncode == 1
    assert b"the ledger differs from the one drawn" in ledger.stderr

    def other_seed(event: dict[str, Any]) -> dict[str, Any]:
        if event["type"] == "tombola_draw":
            event["seed"] = "00" * 32
        return event

    seed = cli(tampered(other_seed), "tombola", "verify", "nov")
    assert seed.returncode == 1
    assert b"the revealed seed does not match the published hash" in seed.stderr


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_replay_equals_live_and_a_restart_resumes_from_the_snapshot(
    backend: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'log.db'}"
        if backend == "sqlite"
        else request.getfixturevalue("redis_url")
    )
    with running(url) as app:
        setup(app)
        for n in range(40):
            today_sale(app, f"s-{n}", f"a-{n % 3 + 1}", f"{10 + n}.50")
        app.post(
            [
                {"id": f"x-{n}", "type": "cancellation", "ts": _now_iso(), "sale": f"s-{n}"}
                for n in range(0, 40, 7)
            ]
        )
        app.settle()
        live = state_hash(app.engine.scorer)
        replayed = app.call(fold, app.store)
        assert state_hash(replayed) == live
        offset = app.engine.scorer.offset
    with running(url) as app:
        assert app.engine.scorer.offset == offset, "restored from the snapshot, not the log"
        app.settle()
        assert state_hash(app.engine.scorer) == live


def test_a_snapshot_from_other_scoring_code_is_discarded(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'log.db'}"
    with running(url) as app:
        setup(app)
        today_sale(app, "s-1", "a-1", "100.00")
        app.settle()
        live = state_hash(app.engine.scorer)
        stale = {"code": "older-code", "state": {"format": 1, "offset": 999}}

    async def plant() -> None:
        async with open_store(url) as store:
            await store.put_meta(SNAPSHOT_KEY, orjson.dumps(stale))

    asyncio.run(plant())
    with running(url) as app:
        app.settle()
        assert state_hash(app.engine.scorer) == live
