"""A headless Chromium that this process starts, owns by PID and stops: for tests and benchmarks.

Playwright's own launcher hides the browser's PID, and headless Chromium leaves child
processes behind; so the browser is started here as a subprocess in its own process
group (Debian's /usr/bin/chromium, never a downloaded one), playwright connects to it
over the DevTools protocol, and ``stop()`` ends exactly that process group.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0"]


class BrowserError(RuntimeError):
    """Chromium is missing or did not start."""


class Chromium:
    """``with Chromium() as browser:`` gives a playwright Browser; the process is ended on exit."""

    def __init__(self, executable: str = CHROMIUM, timeout: float = 30.0):
        self.executable, self.timeout = executable, timeout
        self.proc = None
        self._profile = None
        self._pw = None
        self.browser = None

    def start(self):
        if not Path(self.executable).exists():
            raise BrowserError(f"{self.executable} not found; install Debian's chromium "
                               "(./scripts/install-test-tools.sh does)")
        from playwright.sync_api import sync_playwright
        self._profile = tempfile.mkdtemp(prefix="tttt-kg-chromium-")
        self.proc = subprocess.Popen([self.executable, *ARGS, f"--user-data-dir={self._profile}", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        endpoint = self._wait_for_endpoint()
        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.connect_over_cdp(endpoint)
        return self.browser

    def _wait_for_endpoint(self) -> str:
        deadline = time.monotonic() + self.timeout
        seen = []
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline().decode("utf-8", "replace")
            if not line and self.proc.poll() is not None:
                break
            seen.append(line)
            match = re.search(r"DevTools listening on (ws://\S+)", line)
            if match:
                return match.group(1)
        self.stop()
        raise BrowserError("chromium did not start: " + "".join(seen[-5:]).strip())

    def stop(self) -> None:
        # Browser.close lets chromium end and reap its own children (a SIGTERM to the group
        # leaves zombies where PID 1 does not reap); the process group is ended after it anyway.
        def close_browser():
            if self.browser is not None:
                self.browser.new_browser_cdp_session().send("Browser.close")
                self.proc.wait(timeout=10)

        for closer in (close_browser, lambda: self._pw and self._pw.stop()):
            try:
                closer()
            except Exception:   # the browser may already be gone; the process group is ended below
                pass
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        if self.proc is not None:
            if self.proc.stderr:
                self.proc.stderr.close()
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)   # children left in the group, if any
            except (ProcessLookupError, PermissionError):
                pass
            self.proc.wait()
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
        self.proc = self.browser = self._pw = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False


def open_page(browser, url: str, timeout_ms: int = 30000):
    """Open ``url`` in a fresh page; returns (page, record) where record lists console errors,
    page errors, dialogs and every request that left file://."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    record = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: record["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: record["errors"].append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "about:")) else record["requests"].append(r.url))
    page.on("dialog", lambda d: (record["dialogs"].append(d.message), d.dismiss()))
    page.goto(url, timeout=timeout_ms)
    return page, record


def wait_ready(page, timeout_s: float = 30.0) -> None:
    """Wait until the view has drawn once (``data-ready`` set by the page after its first frame)."""
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=timeout_s * 1000)
