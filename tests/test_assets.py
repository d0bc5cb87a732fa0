"""The browser's files under hashed names, cached and gzipped; the vendored plotly.js."""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Iterator

import pytest

from tests.helpers import Running, running
from wallboard.assets import IMMUTABLE, REVALIDATE, STATIC, assets

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
    assert len(names) == 5, names  # favicon, styles, live.js, plotly.js, board.js
    for name in names:
        plain = re.sub(r"\.[0-9a-f]{8}(\.\w+)$", r"\1", name.removeprefix("/static/"))
        assert name == assets().url(plain)
        response = app.client.get(name, headers=IDENTITY)
        assert response.status_code == 200, name
        assert (
            response.headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"
        )
        assert response.content == (STATIC / plain).read_bytes()


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


def test_the_static_files_are_read_once(app: Running) -> None:
    assert assets() is assets()
    assert (
        gzip.decompress(assets().files["board.js"].gzipped or b"")
        == (STATIC / "board.js").read_bytes()
    )


def test_the_vendored_plotly_is_the_one_its_readme_records() -> None:
    record = (STATIC / "vendor" / "README.md").read_text()
    content = (STATIC / "vendor" / "plotly-basic.min.js").read_bytes()
    version = re.search(r"\| version \| ([\d.]+) \|", record)
    assert version, "the vendor README names the version"
    assert f"plotly.js (basic - minified) v{version.group(1)}\n" in content[:200].decode()
    assert f"`{hashlib.sha256(content).hexdigest()}`" in record


def test_the_board_draws_only_traces_the_basic_bundle_has() -> None:
    board = (STATIC / "board.js").read_text()
    types = set(re.findall(r"""\btype:\s*["'](\w+)["']""", board))
    assert types <= {"scatter", "bar", "pie"}, types
