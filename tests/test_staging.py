"""Tests for analysis.staging: signals clean up, stale folders of dead runs go, live ones stay."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.errors import OutputError
from analysis.staging import (
    LOCK_NAME,
    check_report_folder,
    is_locked,
    remove_stale_staging,
    staging_folder,
    swap_in,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="signals and flock are POSIX")

# a run that builds in a staging folder, says where, then waits to be stopped
HOLDER = """
import sys, time
from pathlib import Path
from analysis.staging import staging_folder
with staging_folder(Path(sys.argv[1]), "2017-18-Q2") as folder:
    (folder / "index.html").write_text("half")
    print(folder, flush=True)
    time.sleep(60)
"""


def start_holder(reports: Path) -> tuple[subprocess.Popen, Path]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(reports)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    folder = Path(process.stdout.readline().strip())
    assert folder.is_dir(), process.stderr.read()
    return process, folder


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


@posix_only
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_removes_the_staging_folder(tmp_path, sig):
    process, folder = start_holder(tmp_path / "reports")
    process.send_signal(sig)
    stderr = process.communicate(timeout=30)[1]
    assert process.returncode != 0
    assert not folder.exists()
    assert list((tmp_path / "reports").iterdir()) == []
    assert ("Terminated" if sig == signal.SIGTERM else "KeyboardInterrupt") in stderr


@posix_only
def test_stale_folder_of_a_killed_run_is_removed_but_a_live_one_is_kept(tmp_path):
    reports = tmp_path / "reports"
    dead, dead_folder = start_holder(reports)
    dead.kill()  # SIGKILL: no clean-up runs, as in a power cut
    dead.wait(timeout=30)
    live, live_folder = start_holder(reports)
    try:
        for folder in (dead_folder, live_folder):
            age(folder, 3600)
        assert dead_folder.is_dir() and is_locked(live_folder) and not is_locked(dead_folder)
        assert remove_stale_staging(reports) == [dead_folder]
        assert live_folder.is_dir() and (live_folder / "index.html").is_file()
    finally:
        live.terminate()
        live.communicate(timeout=30)


def test_a_fresh_unlocked_folder_is_kept(tmp_path):
    folder = tmp_path / ".staging-2017-18-Q2-abc"
    folder.mkdir()  # created a moment ago, not locked yet
    assert remove_stale_staging(tmp_path) == []
    age(folder, 3600)
    assert remove_stale_staging(tmp_path) == [folder]


def test_error_inside_removes_the_folder_and_keeps_the_previous_report(tmp_path):
    final = tmp_path / "2017-18-Q2"
    final.mkdir()
    (final / "index.html").write_text("previous")
    with pytest.raises(RuntimeError), staging_folder(tmp_path, "2017-18-Q2") as folder:
        (folder / "index.html").write_text("half")
        raise RuntimeError("a notebook failed")
    assert [p.name for p in tmp_path.iterdir()] == ["2017-18-Q2"]
    assert (final / "index.html").read_text() == "previous"


def test_swap_in_replaces_the_quarter_without_the_lock_file(tmp_path):
    final = tmp_path / "2017-18-Q2"
    final.mkdir()
    (final / "old.html").write_text("previous")
    with staging_folder(tmp_path, "2017-18-Q2") as folder:
        assert (folder / LOCK_NAME).is_file()
        (folder / "index.html").write_text("new")
        swap_in(folder, final)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2017-18-Q2"]
    assert sorted(p.name for p in final.iterdir()) == ["index.html"]


def test_a_swap_killed_halfway_is_put_back(tmp_path):
    old = tmp_path / ".old-2017-18-Q2"
    old.mkdir()
    (old / "index.html").write_text("previous")
    age(old, 3600)
    remove_stale_staging(tmp_path)
    assert (tmp_path / "2017-18-Q2" / "index.html").read_text() == "previous"


@pytest.mark.parametrize("which", ["reports", "reports/2017-18-Q2"])
def test_report_folder_that_is_a_file_is_refused(tmp_path, which):
    path = tmp_path / which
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x")
    with pytest.raises(OutputError, match="is a file, where the report needs a folder"):
        check_report_folder(tmp_path / "reports", "2017-18-Q2")
