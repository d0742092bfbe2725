"""Headless Chromium (Debian's /usr/bin/chromium, driven by Playwright's Python API) against a live ecokg
server on 127.0.0.1.

`make test` runs scripts/ensure-chromium first, which installs chromium when it is missing and it may (as
root); without it these tests skip, saying how to install it. Playwright never downloads a browser here.
Screenshots are kept in var/test-artefacts/ (git-ignored) for a person to look at after the run.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import uvicorn
from browser_support import Live, Traffic

from api.app import create_app
from graph.config import Settings
from graph.sources import Sources
from graph.startup import ensure_system
from graph.store import EmbeddedStore
from loaders.run import load

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTEFACTS = Path(__file__).parents[2] / "var" / "test-artefacts"
ANALYTICS = Path(__file__).parents[1] / "data" / "analytics"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/ensure-chromium as root, "
                    "or apt-get install --no-install-recommends chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright comes with the dev extra (.[dev])")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page (its own context: no localStorage left by another test), 1280x900."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def traffic(page: Page, live: Live) -> Traffic:
    seen = Traffic(live.url)
    page.on("request", lambda request: seen.urls.append(request.url))
    page.on("console", lambda message: seen.errors.append(f"{message.text} ({message.location.get('url')})")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    return seen


@pytest.fixture(scope="session")
def artefacts() -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS


@pytest.fixture(scope="session")
def live() -> Iterator[Live]:
    """ecokg serving the hand-made ecosystem of tests/data/analytics (its README tells it), pole lists made
    public so that an anonymous browser sees memberships and projects, on a free port of 127.0.0.1."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    sources = Sources(EmbeddedStore.in_memory(), url + "/")
    ensure_system(sources)
    for kind, paths, pole in [("members", [ANALYTICS / "members.csv"], None), ("labs", [ANALYTICS / "labs.csv"], None),
                              ("poles", sorted(ANALYTICS.glob("wagralim-*.csv")), "wagralim"),
                              ("poles", sorted(ANALYTICS.glob("biowin-*.csv")), "biowin")]:
        load(sources, kind, paths, pole=pole, access="public")
    server = uvicorn.Server(uvicorn.Config(create_app(sources, url=url, settings=Settings()), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield Live(url, sources)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
