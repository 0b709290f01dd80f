"""Drive headless Chromium over the DevTools protocol on a pipe: open a page, run script, print.

No extra package is needed: Chromium reads NUL-terminated JSON commands on file
descriptor 3 and answers on 4 (``--remote-debugging-pipe``). Networking is off
(a dead proxy), so a page that tries to load anything from outside fails loudly;
localhost bypasses the proxy (Chromium's default), so a page served on it loads.
"""

from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--proxy-server=127.0.0.1:9",
         "--hide-scrollbars", "--remote-debugging-pipe"]  # fmt: skip
NEEDS_BROWSER = pytest.mark.skipif(
    BROWSER is None,
    reason="chromium (or chromium-browser) is not on PATH; "
    "install Debian's chromium to run the browser tests",
)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder``'s parent on localhost, as an intranet web server would; yield its URL.

    Quarto's scripts run there as they would for a reader (some do not run from ``file://``).
    """
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=folder.parent)
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/{folder.name}"
    finally:
        server.shutdown()


def _onto_3_and_4(reading: int, writing: int) -> None:
    """In the child: put the command pipe on fd 3 and the reply pipe on fd 4."""
    high_r, high_w = os.dup(reading), os.dup(writing)  # out of the way of 3 and 4 first
    os.dup2(high_r, 3)
    os.dup2(high_w, 4)


class Browser:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(self) -> None:
        self._profile = tempfile.TemporaryDirectory()
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()
        # the child reads commands on fd 3 and writes replies on fd 4
        self._proc = subprocess.Popen(  # noqa: PLW1509 - preexec only moves two descriptors
            [BROWSER, *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=lambda: _onto_3_and_4(to_child, from_child),
        )  # fmt: skip
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._next = 0
        self.events: list[dict] = []
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self._proc.kill()
        self._proc.wait(timeout=30)
        os.close(self._write)
        os.close(self._read)
        shutil.rmtree(self._profile.name, ignore_errors=True)  # Chromium may still be writing

    def _send(self, message: dict) -> None:
        os.write(self._write, json.dumps(message).encode() + b"\0")

    def _receive(self, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next += 1
        message = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._send(message)
        while True:
            reply = self._receive()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def call(self, method: str, params: dict | None = None) -> dict:
        """Send a command to the page."""
        return self._call(method, params, self._session)

    def open(self, page: Path, width: int = 1280, height: int = 900) -> None:
        """Load a local page (from disk) at a window size and wait until it has loaded."""
        self.open_url(page.resolve().as_uri(), width, height)

    def open_url(self, url: str, width: int = 1280, height: int = 900) -> None:
        """Load a page at a window size and wait until it has loaded."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )
        self.events.clear()
        self.call("Page.navigate", {"url": url})
        deadline = time.monotonic() + 60
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not finish loading")
            self.events.append(self._receive())

    def evaluate(self, expression: str) -> object:
        """Run JavaScript in the page and return its (JSON) value."""
        found = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in found:
            raise RuntimeError(f"script failed: {found['exceptionDetails']}")
        return found["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors and failed loads seen since the page was opened."""
        out = []
        for e in self.events:
            params = e.get("params", {})
            if e.get("method") == "Log.entryAdded" and params["entry"]["level"] == "error":
                out.append(params["entry"].get("text", ""))
            if e.get("method") == "Runtime.consoleAPICalled" and params.get("type") == "error":
                out.append(" ".join(str(a.get("value", "")) for a in params.get("args", [])))
            if e.get("method") == "Runtime.exceptionThrown":
                out.append(str(params.get("exceptionDetails", {}).get("text")))
        return out

    def media(self, kind: str = "") -> None:
        """Lay the page out for ``print`` (or ``screen``; '' for the browser's own choice)."""
        self.call("Emulation.setEmulatedMedia", {"media": kind})

    def pdf(self, landscape: bool = False, paper: tuple[float, float] = (8.27, 11.69)) -> bytes:
        """Print the page to PDF (A4 by default), as a person printing it would."""
        found = self.call(
            "Page.printToPDF",
            {"landscape": landscape, "paperWidth": paper[0], "paperHeight": paper[1],
             "printBackground": True, "preferCSSPageSize": True},
        )  # fmt: skip
        return base64.b64decode(found["data"])

    def screenshot(self, top: int = 0, height: int | None = None) -> bytes:
        """A PNG of the page (all of it, or ``height`` pixels from ``top``)."""
        size = self.evaluate("[document.documentElement.scrollWidth, document.body.scrollHeight]")
        clip = {"x": 0, "y": top, "width": size[0], "height": height or size[1] - top, "scale": 1}
        found = self.call(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True, "clip": clip},
        )
        return base64.b64decode(found["data"])
