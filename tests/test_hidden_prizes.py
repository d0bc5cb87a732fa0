"""A hidden prize rule: it awards, managers see it, nobody else does until it is
revealed, and then its awards are celebrated."""

from __future__ import annotations

from typing import Any

from scoring.snapshot import from_data, state_hash, to_data
from tests.helpers import running
from tests.scoring_helpers import Board, cancellation, prize, prize_rule, roster, sale
from tests.test_api_scoring import admin, setup, today_sale
from tests.test_push import connect, frames, subscribe

HIDDEN = {"rule": "big-sale", "kind": "instant", "prize": "voucher", "min_revenue": "250"}


def kinds(frame: dict[str, Any]) -> list[str]:
    return [event["kind"] for event in frame["events"]]


def test_a_hidden_rule_awards_for_managers_eyes_only_until_it_is_revealed() -> None:
    with running() as app:
        setup(app)
        stocked = admin("p-1", "prize", prize="voucher", name="Voucher", stock=3, value="50")
        hidden = admin("pr-1", "prize_rule", **HIDDEN, hidden=True)
        assert app.post([stocked, hidden], role="manager").status_code == 202
        app.settle()
        with connect(app, "display") as board:
            subscribe(board, "board")
            frames(board, 1)
            today_sale(app, "s-1", "a-2", "300.00")
            [update] = frames(board, 1)
            assert kinds(update) == ["sale"], "no celebration of a hidden prize"
            assert {item["kind"] for item in update["state"]["ticker"]} == {"sale"}

            manager = app.get("/api/prizes").json()
            assert [r["hidden"] for r in manager["rules"]] == [True]
            assert manager["awards"] == []
            [won] = manager["hidden_awards"]
            assert (won["agent"], won["name"]) == ("a-2", "Voucher")
            assert manager["prizes"][0]["left"] == 2, "it used the stock"
            public = app.get("/api/prizes", role="display").json()
            assert public["rules"] == [] and public["awards"] == []
            mine = app.get("/api/agents/a-2", role="agent:a-2").json()
            assert mine["awards"] == []

            # Revealed: posted again without hidden.
            again = admin("pr-2", "prize_rule", **HIDDEN)
            assert app.post(again, role="manager").status_code == 202
            [update] = frames(board, 1)
            [shown] = [e for e in update["events"] if e["kind"] == "prize"]
            assert shown["agent"] == "Benno" and shown["reason"].startswith("revealed: sale s-1")
            public = app.get("/api/prizes", role="display").json()
            assert [r["rule"] for r in public["rules"]] == ["big-sale"]
            assert [(a["agent"], a["name"]) for a in public["awards"]] == [("Benno", "Voucher")]
            assert app.get("/api/agents/a-2", role="agent:a-2").json()["awards"] != []
            assert app.get("/api/prizes").json()["hidden_awards"] == []


def test_a_hidden_award_counts_once_and_is_taken_back_like_any_other() -> None:
    start = "2026-11-02T08:00:00Z"
    board = Board(
        roster("a1", start, team="t1", site="ber"),
        prize("mug", start, stock=5),
        prize_rule("big", start, kind="instant", prize="mug", min_revenue="500", hidden=True),
        sale("s-1", "2026-11-02T09:00:00Z", revenue="600.00"),
        sale("s-2", "2026-11-02T09:30:00Z", revenue="700.00"),
    )
    book = board.scorer.prizes.book
    assert not book.awards and [a.sale for a in book.hidden_awards.values()] == [
        "crm:s-1",
        "crm:s-2",
    ]
    assert board.prizes()["prizes"][0]["left"] == 3
    board.scorer.drain_changes()
    board.feed(cancellation("x-1", "s-1", "2026-11-02T10:00:00Z"))
    assert [a.state for a in book.hidden_awards.values()] == ["revoked", "awarded"]
    assert board.prizes()["prizes"][0]["left"] == 4, "back in stock"
    assert "prize_revoked" not in [c["kind"] for c in board.scorer.drain_changes()]
    assert "hidden_awards" in to_data(board.scorer)
    restored = from_data(to_data(board.scorer))
    assert state_hash(restored) == state_hash(board.scorer)
    assert restored.prizes.book.hidden_awards.keys() == book.hidden_awards.keys()


def test_a_state_without_hidden_rules_stores_as_before_they_existed() -> None:
    board = Board(prize("mug", "2026-11-02T08:00:00Z", stock=5))
    data = to_data(board.scorer)
    assert "hidden_awards" not in data
    assert state_hash(from_data(data)) == state_hash(board.scorer)
