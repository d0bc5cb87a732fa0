"""The wheel, installed as a user installs it, serves every page and every file.

The wheel is built from a copy of the checkout and installed (not editable) into
a fresh virtual environment; ``wallboard serve`` then runs from an empty
directory, so only what the wheel carries can answer. The runtime dependencies
come from the test environment (a ``.pth`` line names its site-packages); its
editable install of the checkout is never imported (``.pth`` files of a
directory named that way are not read). The build backend comes from the test
environment too when it has the one pyproject.toml asks for; otherwise pip
fetches it, as for any install of the checkout.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import httpx
import pytest
from packaging.requirements import Requirement

from tests.conftest import free_port, wait_until_up

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "wallboard" / "static"
#: what the copy of the checkout leaves out: environments, caches, earlier builds
NOT_SOURCES = shutil.ignore_patterns(
    ".venv",
    ".git",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "screenshots",
    "results",
    "*.db",
    "*.db-*",
)
MEDIA_TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".md": "text/markdown",
    ".wav": "audio/x-wav",
}


class Links(HTMLParser):
    """The files a page loads: script sources and link targets."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "link": "href"}.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.found.append(value)


def can_build_offline() -> bool:
    """Whether this environment holds the build backend the project asks for, one
    that makes wheels itself (setuptools 70.1 on) or with the wheel package."""
    build_system = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]
    for line in build_system["requires"]:
        requirement = Requirement(line)
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            return False
        if not requirement.specifier.contains(installed, prereleases=True):
            return False
    return any(
        importlib.util.find_spec(module) for module in ("setuptools.command.bdist_wheel", "wheel")
    )


def build_wheel(into: Path) -> Path:
    source = into / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    # Without the backend at hand, pip fetches it the way an install of the
    # checkout does.
    isolation = ["--no-build-isolation"] if can_build_offline() else []
    dist = into / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", *isolation, "-w", dist, "."],
        cwd=source,
        check=True,
        timeout=240,
    )
    (wheel,) = dist.glob("wallboard-*.whl")
    return wheel


def fresh_environment(directory: Path, wheel: Path) -> Path:
    """A new virtual environment with the wheel installed; its ``bin`` directory."""
    venv.create(directory, with_pip=True)
    python = directory / "bin" / "python"
    site_packages = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel],
        check=True,
        timeout=120,
    )
    # Written after the install: pip would take the editable install for this one.
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(site_packages) / "test-dependencies.pth").write_text("".join(f"{p}\n" for p in ours))
    return directory / "bin"


@dataclass(frozen=True)
class Installed:
    base: str
    #: the fresh environment's scripts
    bin: Path
    #: the empty directory the server runs in, and its environment
    cwd: Path
    env: dict[str, str]

    def token(self, *args: str) -> str:
        result = subprocess.run(
            [self.bin / "wallboard", "token", "create", *args],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return result.stdout.strip()


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """``wallboard serve`` of the installed wheel, from an empty directory."""
    tmp = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(tmp)
    names = zipfile.ZipFile(wheel).namelist()
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            assert path.relative_to(ROOT).as_posix() in names, f"the wheel lacks {path.name}"
    bin_dir = fresh_environment(tmp / "env", wheel)
    empty = tmp / "empty"
    empty.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    }
    env["WALLBOARD_STORE"] = f"sqlite:///{tmp / 'store.db'}"
    where = subprocess.run(
        [bin_dir / "python", "-c", "import wallboard, scoring; print(wallboard.__file__)"],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(tmp / "env"), f"imported {where}, not the installed wheel"
    port = free_port()
    log = tmp / "server.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [bin_dir / "wallboard", "serve", "--port", str(port)],
            cwd=empty,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, log)
        yield Installed(base, bin_dir, empty, env)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(20)
        assert "Traceback" not in log.read_text(), log.read_text()


def check_file(client: httpx.Client, address: str) -> httpx.Response:
    response = client.get(address)
    assert response.status_code == 200, address
    suffix = Path(address).suffix
    assert response.headers["content-type"].partition(";")[0] == MEDIA_TYPES[suffix], address
    return response


def test_the_installed_wheel_serves_every_page_and_every_file(installed: Installed) -> None:
    display = installed.token("--role", "display")
    agent = installed.token("--role", "agent", "--agent", "a-1")
    loaded: set[str] = set()
    with httpx.Client(base_url=installed.base, follow_redirects=True, timeout=30) as client:
        for path, params in (
            ("/board", {"token": display}),
            ("/me", {"token": agent}),
            ("/manage", {}),  # no session: the sign-in page
        ):
            page = client.get(path, params=params)
            assert page.status_code == 200, path
            assert page.headers["content-type"].startswith("text/html"), path
            links = Links()
            links.feed(page.text)
            assert links.found, f"{path} names no scripts or styles"
            loaded |= set(links.found)
        assert page.url.path == "/manage/login"
        assert any("plotly" in address for address in loaded)
        for address in sorted(loaded):
            response = check_file(client, address)
            assert response.headers["cache-control"].endswith("immutable"), address
        for path in sorted(STATIC.rglob("*")):
            if path.is_file():
                response = check_file(client, f"/static/{path.relative_to(STATIC).as_posix()}")
                assert response.content == path.read_bytes(), path.name
