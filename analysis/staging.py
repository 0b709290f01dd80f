"""Staging folders: build a quarter aside, swap it in whole, and leave no junk when killed.

A run builds ``reports/.staging-<slug>-<random>/`` and renames it to
``reports/<slug>/`` only at the end. While it works it holds an exclusive lock
on ``.outturn-lock`` inside the folder (the kernel drops it when the process
dies, however it dies), so a later run can tell a dead run's folder from a
live one's and remove only the former. SIGTERM, SIGINT and SIGHUP remove the
run's own staging folder before the process exits.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from analysis.errors import OutputError

STAGING_PREFIX = ".staging-"
OLD_PREFIX = ".old-"
LOCK_NAME = ".outturn-lock"

try:  # POSIX: an advisory lock the kernel releases when its holder dies
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock: fall back on age alone
    fcntl = None

STALE_AFTER = 60.0 if fcntl is not None else 86_400.0
"""Seconds a staging folder must have been left untouched, unlocked, before it is removed
(covers the moment between creating a folder and locking it; without locks, a day)."""


class Terminated(BaseException):  # noqa: N818 - a signal, like KeyboardInterrupt
    """Raised in the main thread when the process receives SIGTERM or SIGHUP."""

    def __init__(self, signum: int):
        super().__init__(f"terminated by signal {signal.Signals(signum).name}")
        self.signum = signum


def check_report_folder(reports: Path, slug: str) -> None:
    """Refuse, before any work, a reports folder or quarter folder that cannot be written.

    Raises
    ------
    OutputError
        When ``reports`` or ``reports/<slug>`` is a file, or ``reports`` (or the
        folder it would be made in) cannot be written.
    """
    for path in (reports, reports / slug):
        if path.exists() and not path.is_dir():
            raise OutputError.at(
                path,
                "is a file, where the report needs a folder",
                "move or rename that file, then run again",
            )
    folder = reports if reports.exists() else reports.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError.at(
            folder,
            "cannot be written (permission denied or read-only)",
            "make it writable, or copy the project to a folder you can write",
        )


def _lock(folder: Path) -> int:
    """Open and lock ``folder/.outturn-lock``; return the file descriptor (keep it open)."""
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def _unlock(fd: int, folder: Path) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)  # closing drops the lock
    with contextlib.suppress(OSError):
        (folder / LOCK_NAME).unlink()


def is_locked(folder: Path) -> bool:
    """Tell whether a live process holds the folder's lock (its run is still going)."""
    lock = folder / LOCK_NAME
    if fcntl is None or not lock.is_file():
        return False
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # also releases the lock just taken
    return False


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """SIGTERM and SIGHUP raise :class:`Terminated` (SIGINT already raises KeyboardInterrupt)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: object) -> None:
        raise Terminated(signum)

    wanted = [s for s in ("SIGTERM", "SIGHUP") if hasattr(signal, s)]
    previous = {name: signal.signal(getattr(signal, name), handler) for name in wanted}
    sigint = signal.getsignal(signal.SIGINT)
    if sigint in (signal.SIG_IGN, signal.SIG_DFL, None):
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        for name, old in previous.items():
            signal.signal(getattr(signal, name), old)
        signal.signal(signal.SIGINT, sigint if sigint is not None else signal.SIG_DFL)


def raising_signals() -> contextlib.AbstractContextManager[None]:
    """Make SIGTERM and SIGHUP raise :class:`Terminated` (in the main thread) within the block."""
    return _signals_raise()


@contextlib.contextmanager
def staging_folder(reports: Path, slug: str) -> Iterator[Path]:
    """Create a locked staging folder for one run; remove it on any error, interrupt or signal.

    Use :func:`swap_in` inside the block to put the finished folder in place;
    whatever is left when the block ends (an exception, Ctrl-C, SIGTERM) is
    removed. Stale folders of dead runs are removed first (see
    :func:`remove_stale_staging`).

    Yields
    ------
    Path
        ``reports/.staging-<slug>-<random>``.
    """
    reports.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(reports)
    with _signals_raise():
        folder = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{slug}-", dir=reports))
        fd = None
        try:
            fd = _lock(folder)
            yield folder
        finally:
            if fd is not None:
                _unlock(fd, folder)
            shutil.rmtree(folder, ignore_errors=True)


def swap_in(staging: Path, final: Path) -> None:
    """Replace ``final`` by the finished ``staging`` folder (its lock file removed first).

    The previous ``final`` is renamed aside and removed only once the new one
    is in place, so at every moment one whole version exists on disk.
    """
    with contextlib.suppress(FileNotFoundError):
        (staging / LOCK_NAME).unlink()
    old = final.with_name(f"{OLD_PREFIX}{final.name}")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    try:
        staging.rename(final)
    except BaseException:
        if old.exists() and not final.exists():
            old.rename(final)  # put the previous version back
        raise
    shutil.rmtree(old, ignore_errors=True)


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def remove_stale_staging(reports: Path, older_than: float = STALE_AFTER) -> list[Path]:
    """Remove the staging folders of runs that died (killed, power cut); return what was removed.

    A staging folder is removed when no live process holds its lock and it
    has not changed for ``older_than`` seconds; a concurrent run's folder is
    locked and kept. A ``.old-<slug>`` folder left by a run killed during its
    swap is put back when ``<slug>`` is missing, else removed.
    """
    removed: list[Path] = []
    if not reports.is_dir():
        return removed
    for folder in sorted(reports.glob(f"{STAGING_PREFIX}*")):
        if folder.is_dir() and _age(folder) >= older_than and not is_locked(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    for old in sorted(reports.glob(f"{OLD_PREFIX}*")):
        if not old.is_dir() or _age(old) < older_than:
            continue
        final = old.with_name(old.name.removeprefix(OLD_PREFIX))
        if final.exists():
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old)
        else:
            old.rename(final)
    return removed
