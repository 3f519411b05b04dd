"""`carecal web` in a real browser: headless Chromium (Debian's) driven by Selenium and chromium-driver.

The test serves a one-post calendar on 127.0.0.1, loads the page, waits for the
month title in what the terminal in the page received, opens today's dialog
and approves the post with keys typed into that terminal, then reads the
calendar file to see the approval saved. The terminal draws on a canvas, so
the page text is read from the WebSocket frames the page got (a small hook
installed before the page's own script). Skips, saying why, without chromium,
chromium-driver or selenium (CI: apt-get install -y chromium chromium-driver).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from calendar_data.models import Status
from calendar_data.posts import list_posts
from calendar_data.storage.database import open_db
from tests.web.web_support import TITLE, TODAY, review_calendar

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="needs Debian's chromium and chromium-driver "
    "(apt-get install -y chromium chromium-driver)",
)
ROOT = Path(__file__).resolve().parents[2]
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1200,800",
)
HOOK = """
window.__carecal = [];
const Native = window.WebSocket;
function Hooked(url, protocols) {
  const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
  ws.addEventListener('message', (e) => {
    if (typeof e.data === 'string') { window.__carecal.push(e.data); }
    else if (e.data instanceof ArrayBuffer) { window.__carecal.push(new TextDecoder().decode(e.data)); }
    else if (e.data && e.data.text) { e.data.text().then((t) => window.__carecal.push(t)); }
  });
  return ws;
}
Hooked.prototype = Native.prototype;
Object.assign(Hooked, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
window.WebSocket = Hooked;
"""
ANSI = re.compile(
    r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(predicate, what: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def served(tmp_path):
    """`carecal web` on a free loopback port in its own process group (ended with its app processes)."""
    path = review_calendar(tmp_path / "review.db")
    port = _free_port()
    env = os.environ | {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui",
            "--db",
            str(path),
            "--today",
            TODAY.isoformat(),
            "web",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(lambda: _listening(port) or proc.poll() is not None, "carecal web to listen")
        assert proc.poll() is None, proc.stderr.read().decode()[-800:]
        yield path, f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (the test extra)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    driver = webdriver.Chrome(
        options=options, service=webdriver.ChromeService(executable_path=DRIVER)
    )
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
        yield driver
    finally:
        driver.quit()


def _screen_text(driver) -> str:
    """Everything the terminal in the page was sent, without the escape sequences."""
    return ANSI.sub("", "".join(driver.execute_script("return window.__carecal || [];")))


def _status(path: Path) -> Status:
    db = open_db(path, migrate=False)
    try:
        [post] = list_posts(db)
        return post.status
    finally:
        db.close()


def test_reviewer_approves_a_post_in_the_browser(served, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    path, url = served
    browser.get(url)
    _wait_for(lambda: "November 2026" in _screen_text(browser), "the month title in the page")
    terminal = browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
    terminal.send_keys(Keys.ENTER)  # today's dialog
    _wait_for(lambda: "Approve" in _screen_text(browser), "the day dialog with its Approve key")
    assert TITLE in _screen_text(browser)
    terminal.send_keys("A")
    _wait_for(
        lambda: _status(path) is Status.APPROVED, "the post to be approved in the calendar file"
    )
    _wait_for(lambda: "approved" in _screen_text(browser), "the Reviewed notification")
    browser.save_screenshot(str(tmp_path / "approved.png"))
    fetched = browser.execute_script(
        "return performance.getEntriesByType('resource').map((e) => e.name);"
    )
    assert fetched and all(
        name.startswith(url.replace("http", "ws", 1)) or name.startswith(url) for name in fetched
    ), fetched  # the page asked this server and no other site (no web font from Google)
