"""The browser's files under hashed names, cached and gzipped; gzipped pages and JSON;
the vendored plotly.js."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
from websockets.sync.client import connect

from tests.helpers import Running, running, serving
from wallboard.app import create_app
from wallboard.assets import IMMUTABLE, REVALIDATE, STATIC, assets
from wallboard.settings import Settings
from wallboard.store import TokenRecord, open_store
from wallboard.tokens import new_token

GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}


@pytest.fixture
def app() -> Iterator[Running]:
    with running() as started:
        yield started


def page_files(app: Running) -> list[str]:
    page = app.client.get("/board", params={"token": app.tokens["display"]})
    assert page.status_code == 200
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)


def test_pages_name_files_by_their_contents_hash(app: Running) -> None:
    names = page_files(app)
    # favicon, board.css, celebrations.css, live.js, plotly.js, fit.js, celebrations.js,
    # board-charts.js, board-contests.js, board.js
    assert len(names) == 10, names
    for name in names:
        plain = re.sub(r"\.[0-9a-f]{8}(\.\w+)$", r"\1", name.removeprefix("/static/"))
        assert name == assets().url(plain)
        response = app.client.get(name, headers=IDENTITY)
        assert response.status_code == 200, name
        assert (
            response.headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"
        )
        assert response.content == (STATIC / plain).read_bytes()


def test_the_agents_widget_links_its_own_styles_and_not_the_boards_scripts(app: Running) -> None:
    page = app.client.get("/me", params={"token": app.tokens["agent"]})
    assert page.status_code == 200
    names = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)
    plain = [re.sub(r"\.[0-9a-f]{8}(\.\w+)$", r"\1", n.removeprefix("/static/")) for n in names]
    assert plain == ["favicon.svg", "wallboard.css", "me.css", "live.js", "me.js"]
    assert names == [assets().url(name) for name in plain]
    assert "me.css" not in "".join(page_files(app))


def test_plain_and_stale_names_answer_with_the_current_file_revalidated(app: Running) -> None:
    current = (STATIC / "board.js").read_bytes()
    for name in ("/static/board.js", "/static/board.00000000.js"):
        response = app.client.get(name, headers=IDENTITY)
        assert response.status_code == 200, name
        assert response.headers["cache-control"] == REVALIDATE == "no-cache"
        assert response.content == current
        assert response.headers["content-type"] == "text/javascript; charset=utf-8"


@pytest.mark.parametrize(
    "name", ["/static/nope.js", "/static/nope.00000000.js", "/static/", "/static/../app.py"]
)
def test_anything_else_is_not_found(app: Running, name: str) -> None:
    assert app.client.get(name).status_code == 404


def test_files_are_only_read(app: Running) -> None:
    response = app.client.post("/static/board.js", headers={"Origin": "http://testserver"})
    assert response.status_code == 405
    assert app.client.head("/static/board.js").status_code == 200


def test_files_go_gzipped_to_a_browser_that_takes_it(app: Running) -> None:
    name = assets().url("vendor/plotly-basic.min.js")
    content = (STATIC / "vendor" / "plotly-basic.min.js").read_bytes()
    raw = app.client.get(name, headers=GZIP)
    assert raw.headers["content-encoding"] == "gzip"
    assert raw.headers["vary"] == "Accept-Encoding"
    assert raw.content == content  # httpx decoded it
    assert int(raw.headers["content-length"]) < len(content) / 2
    plain = app.client.get(name, headers=IDENTITY)
    assert "content-encoding" not in plain.headers
    assert int(plain.headers["content-length"]) == len(content)
    assert plain.headers["etag"] != raw.headers["etag"]
    small = app.client.get(assets().url("favicon.svg"), headers=GZIP)
    assert "content-encoding" not in small.headers  # too small to gain anything


def test_a_browser_that_has_the_file_is_told_so(app: Running) -> None:
    for headers in (GZIP, IDENTITY):
        first = app.client.get("/static/live.js", headers=headers)
        again = app.client.get(
            "/static/live.js", headers={**headers, "If-None-Match": first.headers["etag"]}
        )
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["cache-control"] == REVALIDATE


def test_pages_and_json_go_gzipped_when_large_and_plain_when_small(app: Running) -> None:
    for path in ("/openapi.json", f"/board?token={app.tokens['display']}"):
        response = app.client.get(path, headers=GZIP)
        assert response.headers["content-encoding"] == "gzip", path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
    small = app.client.get("/healthz", headers=GZIP)
    assert "content-encoding" not in small.headers
    assert small.json()["status"] == "alive"


def test_the_static_files_are_read_once(app: Running) -> None:
    assert assets() is assets()
    assert (
        gzip.decompress(assets().files["board.js"].gzipped or b"")
        == (STATIC / "board.js").read_bytes()
    )


async def add_token(url: str, record: TokenRecord) -> None:
    async with open_store(url) as store:
        await store.add_token(record)


def test_on_a_real_server_frames_still_go_straight_to_the_connection(tmp_path: Path) -> None:
    """Compression wraps HTTP answers only: a websocket still reaches the server's
    own ``send``, so frames are written to the transport (``wallboard.wire``)."""
    url = f"sqlite:///{tmp_path / 'log.db'}"
    token, record = new_token("display", label="test")
    asyncio.run(add_token(url, record))
    app = create_app(Settings(store=url))
    with serving(app) as host, connect(f"ws://{host}/ws?token={token}") as socket:
        socket.send('{"type": "subscribe", "topics": ["board"]}')
        assert orjson.loads(socket.recv(timeout=10))["type"] == "snapshot"
        (client,) = app.state.services.publisher.clients
        assert client.wire is not None
        response = httpx.get(f"http://{host}/openapi.json", headers=GZIP)
        assert response.headers["content-encoding"] == "gzip"


def test_the_vendored_plotly_is_the_one_its_readme_records() -> None:
    record = (STATIC / "vendor" / "README.md").read_text()
    content = (STATIC / "vendor" / "plotly-basic.min.js").read_bytes()
    version = re.search(r"\| version \| ([\d.]+) \|", record)
    assert version, "the vendor README names the version"
    assert f"plotly.js (basic - minified) v{version.group(1)}\n" in content[:200].decode()
    assert f"`{hashlib.sha256(content).hexdigest()}`" in record


def test_the_board_draws_only_traces_the_basic_bundle_has() -> None:
    board = (STATIC / "board.js").read_text() + (STATIC / "board-charts.js").read_text()
    types = set(re.findall(r"""\btype:\s*["'](\w+)["']""", board))
    assert types <= {"scatter", "bar", "pie"}, types
