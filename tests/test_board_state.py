"""What the board's state and page carry: one colour per site, the tombolas of each
cadence, the company's brand, and the rotation taken from the settings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring.model import Tombola
from tests.helpers import Running, running
from tests.scoring_helpers import Board
from wallboard import screens
from wallboard.branding import Brand, readable_on
from wallboard.settings import Settings

HOUR, WEEK = 3600.0, 7 * 86400.0


def drum(name: str, opens: float, length: float, state: str) -> Tombola:
    return Tombola(
        name, name, ["cinema"], opens, opens + length, 1, True, False, "hash", state=state
    )


def test_a_weekly_tombola_stays_on_the_board_however_many_hourly_ones_are_drawn() -> None:
    week = drum("week-49", 0.0, WEEK, "open")
    last_week = drum("week-48", -WEEK, WEEK, "drawn")
    hours = [drum(f"hour-{n}", n * HOUR, HOUR, "drawn") for n in range(30)]
    current = drum("hour-30", 30 * HOUR, HOUR, "open")
    waiting = drum("hour-29b", 29.5 * HOUR, HOUR, "closed")  # closed, its draw to come
    shown = screens.board_tombolas([last_week, week, *hours, waiting, current])
    assert [t.id for t in shown] == ["week-48", "hour-29", "hour-29b", "hour-30", "week-49"]


def test_each_site_keeps_one_colour_given_or_chosen_and_apart_from_the_others() -> None:
    roster = [
        {"id": "s1", "type": "site", "ts": "2026-01-01T00:00:00Z", "site": "ber"}
        | {"name": "Berlin", "colour": "#1F77B4"},
        {"id": "s2", "type": "site", "ts": "2026-01-01T00:00:00Z", "site": "ham"}
        | {"name": "Hamburg"},
        {"id": "s3", "type": "site", "ts": "2026-01-01T00:00:00Z", "site": "lei"}
        | {"name": "Leipzig"},
    ]
    scorer = Board(*roster).scorer
    seasons = screens.shown_seasons(scorer, None, None)
    colours = screens.site_colours(scorer, seasons)
    assert colours["ber"] == "#1f77b4"  # the roster's, as given
    assert set(colours) == {"ber", "ham", "lei"}
    assert len(set(colours.values())) == 3
    assert all(re.fullmatch(r"#[0-9a-f]{6}", colour) for colour in colours.values())
    assert screens.site_colours(scorer, seasons) == colours  # the same every frame


def test_the_first_chosen_colours_are_far_apart() -> None:
    chosen = [screens.spread_colour(n) for n in range(12)]
    assert min(screens._distance(a, b) for i, a in enumerate(chosen) for b in chosen[i + 1 :]) > 55


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("accent", "green", "WALLBOARD_ACCENT: expected a colour as #rrggbb"),
        ("theme", "pink", "WALLBOARD_THEME: expected dark or light"),
        ("logo", "http://example.com/logo.png", "WALLBOARD_LOGO: expected an https://"),
        ("logo", "/nowhere/logo.png", "WALLBOARD_LOGO: expected an image file that exists"),
        ("logo", "/etc/hostname", "WALLBOARD_LOGO: expected an image file (.jpeg"),
        ("board_scenes", "league,news", "WALLBOARD_BOARD_SCENES: expected scenes from"),
        ("board_rotate", "3", "WALLBOARD_BOARD_ROTATE: expected at least 5 seconds"),
    ],
)
def test_a_bad_brand_or_rotation_setting_is_refused_at_start(
    setting: str, value: str, message: str
) -> None:
    env = {field[0]: field for field in Settings.documentation()}
    name = next(env_name for env_name in env if env_name.lower().endswith(setting))
    with pytest.raises(ValueError, match=re.escape(message)):
        Settings.from_env({name: value})


def test_text_on_the_accent_is_black_or_white_whichever_reads() -> None:
    assert readable_on("#ffd33d") == "#000000"
    assert readable_on("#0b3d91") == "#ffffff"


def test_a_logo_larger_than_a_megabyte_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "logo.png"
    big.write_bytes(b"\0" * (1 << 20 | 1))
    with pytest.raises(ValueError, match="WALLBOARD_LOGO: expected an image of at most"):
        Brand.of(Settings(logo=str(big)))


@pytest.fixture
def branded(tmp_path: Path) -> Iterator[Running]:
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    settings = Settings(
        store="memory://",
        company="Nordlicht Telecom",
        logo=str(tmp_path / "logo.svg"),
        accent="#0B5CAD",
        theme="light",
        board_scenes=("leaders", "charts"),
        board_rotate=30,
    )
    with running(settings=settings) as started:
        yield started


def test_the_board_is_titled_and_coloured_as_the_company(branded: Running) -> None:
    page = branded.client.get("/board", params={"token": branded.tokens["display"]})
    assert page.status_code == 200
    assert "<title>Nordlicht Telecom</title>" in page.text
    assert 'class="board theme-light"' in page.text
    assert "--accent: #0b5cad; --on-accent: #ffffff" in page.text
    logo = re.search(r'<img class="logo" src="(/brand/logo\.[0-9a-f]{8}\.svg)"', page.text)
    assert logo, page.text
    served = branded.client.get(logo.group(1))
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/svg+xml"
    assert branded.client.get("/brand/logo.00000000.svg").status_code == 404
    assert re.findall(r"/static/(\w+)\.[0-9a-f]{8}\.css", page.text) == ["board", "celebrations"]


def test_the_rotation_comes_from_the_settings_unless_the_address_says(branded: Running) -> None:
    def config(query: str) -> str:
        page = branded.client.get(f"/board?{query}")
        assert page.status_code == 200, page.text
        return page.text

    branded.client.get("/board", params={"token": branded.tokens["display"]})
    assert "&#34;scenes&#34;: [&#34;leaders&#34;, &#34;charts&#34;]".replace(" ", "") in config(
        ""
    ).replace(" ", "")
    assert "&#34;rotate&#34;:30" in config("")
    assert "&#34;rotate&#34;:7" in config("rotate=7")
    assert "&#34;scenes&#34;:[&#34;league&#34;]" in config("scenes=league")
    bad = branded.client.get("/board?rotate=soon")
    assert bad.status_code == 422
    assert "rotate" in bad.text
