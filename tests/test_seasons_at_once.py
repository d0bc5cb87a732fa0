"""Several seasons run at once: every board shows the running seasons, or the one
it is pinned to, and a season's goals celebrate only over its own table."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from tests.helpers import Running, running, sale
from tests.test_api_scoring import admin, roster
from tests.test_push import connect, frames, subscribe


def window() -> list[str]:
    """One matchday window around now, so that the matches are live."""
    now = datetime.now(UTC).replace(microsecond=0)
    return [(now - timedelta(hours=1)).isoformat(), (now + timedelta(hours=2)).isoformat()]


def launch(event_id: str, season: str, name: str, clubs: dict[str, str]) -> dict[str, Any]:
    return admin(
        event_id,
        "league_season",
        season=season,
        name=name,
        windows=[window()],
        double=False,
        goal_every=10,
        clubs=[{"club": club, "name": club_name, "heads": 1} for club, club_name in clubs.items()],
    )


def two_seasons() -> list[dict[str, Any]]:
    """Berlin plays in both; Leipzig in the autumn league only, Hamburg in the cup only."""
    return [
        *roster(),
        admin("site-ham", "site", site="ham", name="Hamburg"),
        admin("team-3", "team", team="t3", name="Alster", site="ham"),
        admin("ag-4", "agent", agent="a-4", name="Hanna Kurz", team="t3", site="ham"),
        launch("launch-autumn", "autumn", "Autumn League", {"ber": "Berlin", "lei": "Leipzig"}),
        launch("launch-cup", "cup", "Winter Cup", {"ber": "Berlin", "ham": "Hamburg"}),
    ]


@contextmanager
def league_of_two() -> Iterator[Running]:
    with running() as app:
        assert app.post(two_seasons(), role="manager").status_code == 202
        app.settle()
        yield app


def snapshots(app: Running, *topics: str) -> dict[str, Any]:
    """Each topic's first state, by topic."""
    with connect(app, "display") as socket:
        subscribe(socket, *topics)
        return {frame["topic"]: frame["state"] for frame in frames(socket, len(topics))}


def shown(state: dict[str, Any]) -> list[str]:
    return [league["season"] for league in state["leagues"]]


def test_each_board_shows_the_seasons_its_setting_says() -> None:
    with league_of_two() as app:
        states = snapshots(
            app, "board", "board@cup", "board@autumn", "board:ham", "board:lei", "board@cup:ber"
        )
        # Every running season, in the order they were launched: the board takes turns.
        assert shown(states["board"]) == ["autumn", "cup"]
        assert states["board"]["season"] is None
        # Pinned: that season only.
        assert shown(states["board@cup"]) == ["cup"] and states["board@cup"]["season"] == "cup"
        assert shown(states["board@autumn"]) == ["autumn"]
        # A site's board: the seasons its site plays in.
        assert shown(states["board:ham"]) == ["cup"]
        assert shown(states["board:lei"]) == ["autumn"]
        # A site's board pinned: that season, that site's matches.
        [cup] = states["board@cup:ber"]["leagues"]
        assert cup["name"] == "Winter Cup" and [m["home"] for m in cup["live"]] == ["ber"]
        assert [row["name"] for row in cup["table"]] == ["Berlin", "Hamburg"]


def test_a_board_pinned_to_a_season_the_league_lacks_is_refused_by_name() -> None:
    with league_of_two() as app, connect(app, "display") as socket:
        subscribe(socket, "board@spring", "board@cup:nowhere")
        errors = [frame["error"] for frame in frames(socket, 2)]
        assert errors == [
            "no topic 'board@spring': the league has no such season",
            "no topic 'board@cup:nowhere': the roster names no such site",
        ]


def test_an_old_seasons_goal_does_not_celebrate_over_another_seasons_table() -> None:
    with league_of_two() as app, connect(app, "display") as socket:
        subscribe(socket, "board@cup", "board@autumn", "board")
        frames(socket, 3)
        # Leipzig plays in the autumn league only: Benno's sale (10 points) is a goal there.
        now = datetime.now(UTC).isoformat()
        assert app.post(sale("s-1", agent="a-2", revenue="0.00", ts=now)).status_code == 202
        updates: dict[str, dict[str, Any]] = {}
        while len(updates) < 3:
            [frame] = frames(socket, 1)
            updates.setdefault(frame["topic"], frame)
        goals = {
            topic: [e for e in frame["events"] if e["kind"] == "goal"]
            for topic, frame in updates.items()
        }
        assert goals["board@cup"] == []
        [goal] = goals["board@autumn"]
        assert goal["season"] == "autumn" and goal["agent"] == "Benno"
        # The board that takes turns hears of it with its season, and celebrates
        # it only while that season is on screen (board.js).
        [goal] = goals["board"]
        assert goal["season"] == "autumn"
        [cup] = updates["board@cup"]["state"]["leagues"]
        assert [(m["home_goals"], m["away_goals"]) for m in cup["live"]] == [(0, 0)]
        [autumn] = updates["board@autumn"]["state"]["leagues"]
        assert [(m["home_goals"], m["away_goals"]) for m in autumn["live"]] == [(0, 1)]


def test_an_ended_season_leaves_the_rotation_but_a_board_pinned_to_it_keeps_it() -> None:
    with league_of_two() as app:
        assert app.post(admin("end-autumn", "league_end", season="autumn"), role="manager")
        app.settle()
        states = snapshots(app, "board", "board@autumn")
        assert shown(states["board"]) == ["cup"]
        [autumn] = states["board@autumn"]["leagues"]
        assert autumn["ended"] is True


def test_an_agents_page_shows_their_sites_match_in_every_season() -> None:
    with league_of_two() as app, connect(app, "agent:a-1") as socket:
        subscribe(socket, "agent:a-1")
        [snapshot] = frames(socket, 1)
        matches = snapshot["state"]["matches"]
        assert [(m["season_name"], m["away_name"]) for m in matches] == [
            ("Autumn League", "Leipzig"),
            ("Winter Cup", "Hamburg"),
        ]


def test_the_board_page_pins_its_season_by_its_setting() -> None:
    with league_of_two() as app:
        token = app.tokens["display"]
        page = app.client.get(f"/board/ber?token={token}&season=cup&rotate=30")
        assert page.status_code == 200
        # The token went into a cookie; the settings stay in the address.
        assert page.url.query == b"season=cup&rotate=30"
        [attribute] = re.findall(r'data-config="([^"]*)"', page.text)
        config = orjson.loads(html.unescape(attribute))
        assert (config["topic"], config["season"]) == ("board@cup:ber", "cup")
        missing = app.client.get("/board?season=spring", headers={"Accept": "text/html"})
        assert missing.status_code == 404
        assert "no season &#x27;spring&#x27;" in missing.text
