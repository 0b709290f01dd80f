"""Open rendered pages in headless Chromium with networking off: charts drawn, no console errors."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from rendered_quarter import SLUG, render_project

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        BROWSER is None,
        reason="chromium (or chromium-browser) is not on PATH; "
        "install Debian's chromium to run the browser tests",
    ),
]
OFFLINE = ["--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", *OFFLINE]  # fmt: skip


def chromium(page: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run headless Chromium on a local page with networking disabled."""
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={profile}", *extra,
                               page.as_uri()], capture_output=True, text=True, timeout=120,
                              check=False)  # fmt: skip


def console_problems(stderr: str) -> list[str]:
    """Console messages and failed loads from Chromium's log."""
    return [
        line
        for line in stderr.splitlines()
        if "CONSOLE" in line or "net::ERR_" in line or "Uncaught" in line
    ]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return render_project(tmp_path_factory.getbasetemp()) / "reports" / SLUG


def test_console_check_detects_an_error(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><body><script>console.error("boom")</script></body></html>'
    )
    assert any("boom" in line for line in console_problems(chromium(page, "--dump-dom").stderr))


@pytest.mark.parametrize(("name", "min_svgs"), [("index", 0), ("exceptions", 5)])
def test_page_renders_charts_without_console_errors(folder, name, min_svgs):
    result = chromium(folder / f"{name}.html", "--dump-dom")
    dom = result.stdout
    assert "<h1>" in dom and "</main>" in dom
    found = re.findall(r"<svg\b([^>]*)>(.*?)</svg>", dom, flags=re.S)
    # charts, not the overview's decorative SPC icons (hidden from assistive technology)
    svgs = [body for attrs, body in found if 'aria-hidden="true"' not in attrs]
    assert len(svgs) >= min_svgs
    assert all(len(body) > 1000 and "<path" in body for body in svgs)  # drawn, not empty
    assert console_problems(result.stderr) == []


@pytest.mark.parametrize("name", ["index", "exceptions"])
def test_screenshot_is_written(folder, tmp_path, name):
    shot = tmp_path / f"{name}.png"
    chromium(folder / f"{name}.html", "--window-size=1280,2400", f"--screenshot={shot}")
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a blank page compresses to a few kB
