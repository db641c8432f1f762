"""Open pages in Debian's chromium with the network blocked, and fail on any surprise.

Used by the browser tests: a shared map must work offline, must not log errors
and must never run text from a record as script (an ``alert`` dialog fails the
test). Skips, with the reason, where /usr/bin/chromium is not installed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def is_local(url: str) -> bool:
    """Whether a request may go ahead: files, data: URIs and this machine only."""
    parts = urlsplit(url)
    return parts.scheme in ("file", "data", "blob", "about") or parts.hostname in LOCAL_HOSTS


@dataclass
class PageProblems:
    """What went wrong in the page: console errors, uncaught errors, dialogs, blocked requests."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        """Fail on any error or dialog; blocked requests alone are expected offline."""
        assert not self.dialogs, f"a dialog opened: {self.dialogs}"
        assert not self.page_errors, f"uncaught errors: {self.page_errors}"
        assert not self.console_errors, f"console errors: {self.console_errors}"


@contextmanager
def offline_page(viewport=(1280, 800)):
    """Yield ``(page, problems)``: a chromium page whose non-local requests are aborted.

    A console error caused by a blocked request (e.g. a map tile) is recorded in
    ``problems.blocked`` only, since a failed download is what offline means.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed: browser tests need Debian's chromium")
    from playwright.sync_api import sync_playwright

    problems = PageProblems()

    def route(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            problems.blocked.append(route.request.url)
            route.abort()

    def on_console(message):
        if message.type != "error":
            return
        source = message.location.get("url", "") if message.location else ""
        if source and not is_local(source):
            return  # the failed load of a blocked request, already in problems.blocked
        problems.console_errors.append(message.text)

    def on_dialog(dialog):
        problems.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(
                viewport={"width": viewport[0], "height": viewport[1]}, service_workers="block"
            )
            context.route("**/*", route)
            page = context.new_page()
            page.on("console", on_console)
            page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
            page.on("dialog", on_dialog)
            yield page, problems
        finally:
            browser.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(records: Path | None = None):
    """Start the app as a user does (``ct-arrest-map app``) on a free port; yield its URL.

    Waits until Streamlit's health endpoint answers, and stops the app afterwards.
    """
    port = free_port()
    cmd = [sys.executable, "-m", "mapapp", "app", "--port", str(port), "--host", "127.0.0.1"]
    if records is not None:
        cmd += ["--records", str(records)]
    proc = subprocess.Popen(cmd, env=os.environ.copy(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"the app did not start: {proc.stdout.read().decode()[-2000:]}")
            time.sleep(0.5)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
