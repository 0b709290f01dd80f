"""One Jupyter kernel kept for many notebooks, each executed as if in a kernel of its own.

``outturn run`` starts a fresh kernel per notebook (papermill's default), which
costs a process start and every import (pandas, altair, scipy...) four times
per council. ``outturn national`` executes hundreds of notebooks, so each
worker keeps one kernel and papermill executes every notebook in it through
the ``outturn-kept`` engine registered here. Before each notebook the kernel
is put back to a fresh kernel's state, silently (nothing is recorded in the
notebook): the namespace and output history emptied (``%reset -f``), a new
history session with the execution counter back to 1, the working directory
the notebook's folder (as papermill's ``cwd``), and every "warn once" record
forgotten, so a warning shows in each notebook as it would in a fresh kernel. Modules stay imported:
that is the time saved. The executed notebook is papermill's, cell for cell.

The kernel is restarted after :data:`NOTEBOOKS_PER_KERNEL` notebooks (to bound
its memory) and whenever it has died.
"""

from __future__ import annotations

import atexit
import contextlib
import os
from pathlib import Path

from analysis.errors import OutturnError

ENGINE = "outturn-kept"
"""papermill's name for the engine that executes in a kept kernel."""
NOTEBOOKS_PER_KERNEL = 400
"""Notebooks one kernel executes before it is restarted (a hundred councils' pages)."""
RESET = (
    "get_ipython().reset(new_session=True)\n"  # %reset -f, a new history session, counter 1
    "__import__('os').chdir({cwd!r})\n"
    "__import__('warnings')._filters_mutated()\n"  # forget every 'shown once' record
)
"""Run silently before each notebook: a fresh kernel's namespace, counter, folder, warnings."""


_REGISTERED: list[str] = []


class KernelError(OutturnError):
    """Raised when the kept kernel cannot be started or put back to a fresh state."""


def _engine() -> type:
    """Return papermill's nbclient engine, executing in the kernel manager it is given (``km``)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    class FreshStateClient(PapermillNotebookClient):
        """Resets the kept kernel to a fresh kernel's state before the first cell."""

        def papermill_execute_cells(self) -> None:
            reply = self.wait_for_reply(
                self.kc.execute(RESET.format(cwd=os.getcwd()), silent=True, store_history=False)
            )
            if not reply or reply["content"].get("status") != "ok":
                raise KernelError("the kept kernel could not be reset before a notebook")
            super().papermill_execute_cells()

    class KeptKernelEngine(NBClientEngine):
        """papermill's nbclient engine with a kernel kept alive between notebooks."""

        @classmethod
        def execute_managed_notebook(  # noqa: D102 - papermill's own signature and meaning
            cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,  # noqa: ANN001
            start_timeout=60, execution_timeout=None, km=None, kc=None, **kwargs,  # noqa: ANN001
        ):  # fmt: skip
            timeout = execution_timeout or kwargs.get("timeout")
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            options = merge_kwargs(
                kwargs, timeout=timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log=logger, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file,
            )  # fmt: skip
            client = FreshStateClient(nb_man, km=km, **options)
            client.kc = kc  # the kept kernel's client: its channels stay open, as the kernel
            if kc is not None:
                kc.allow_stdin = False
            return client.execute()

    return KeptKernelEngine


def register_engine() -> None:
    """Register the ``outturn-kept`` engine with papermill (once per process)."""
    from papermill.engines import papermill_engines

    if not _REGISTERED:
        papermill_engines.register(ENGINE, _engine())
        _REGISTERED.append(ENGINE)


class KeptKernel:
    """A kernel started once and reused for many notebooks (see the module's docstring)."""

    def __init__(self, notebooks_per_kernel: int = NOTEBOOKS_PER_KERNEL) -> None:
        self.manager = self.client = None
        self.executed = 0
        self.limit = notebooks_per_kernel

    def _ready(self) -> None:
        """Start the kernel and its client unless they are running and not due a restart."""
        from jupyter_client.manager import KernelManager

        from analysis.pipeline import KERNEL_ARGUMENTS, KERNEL_NAME, KERNEL_STARTS

        alive = self.manager is not None and self.manager.is_alive()
        if alive and self.executed < self.limit:
            return
        for attempt in range(1, KERNEL_STARTS + 1):  # a start can lose its ports to a race
            self.shutdown()
            self.manager = KernelManager(kernel_name=KERNEL_NAME)
            try:
                self.manager.start_kernel(extra_arguments=KERNEL_ARGUMENTS)
                self.client = self.manager.client()
                self.client.start_channels()
                self.client.wait_for_ready(timeout=60)
                break
            except Exception as exc:
                self.shutdown()
                if attempt == KERNEL_STARTS:
                    raise KernelError(f"could not start a Jupyter kernel: {exc}") from None
        self.executed = 0

    def execute(self, source: Path, out: Path, parameters: dict, cwd: Path) -> Path:
        """Execute one notebook here, as :func:`analysis.pipeline.execute_notebook` does."""
        from analysis.pipeline import execute_notebook

        register_engine()
        self._ready()
        self.executed += 1
        try:
            return execute_notebook(source, out, parameters, cwd, engine_name=ENGINE,
                                    km=self.manager, kc=self.client)  # fmt: skip
        except BaseException:
            if self.manager is None or not self.manager.is_alive():
                self.shutdown()
            raise

    def shutdown(self) -> None:
        """Stop the kernel and its client (if started)."""
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.stop_channels()
            self.client = None
        if self.manager is not None:
            with contextlib.suppress(Exception):
                self.manager.shutdown_kernel(now=True)
            self.manager = None


_KEPT: dict[int, KeptKernel] = {}


def kept_kernel() -> KeptKernel:
    """Return this process's kept kernel (stopped when the process exits)."""
    pid = os.getpid()
    if pid not in _KEPT:
        _KEPT[pid] = KeptKernel()
        atexit.register(_KEPT[pid].shutdown)
    return _KEPT[pid]


def execute_kept(
    pages: tuple, folder: Path, parameters: dict, progress, replace: dict[str, str] | None = None,  # noqa: ANN001
) -> list[Path]:  # fmt: skip
    """Execute the pages' notebooks one after another in this process's kept kernel.

    A drop-in for :func:`analysis.pipeline.execute_all` (same arguments, same
    executed notebooks, normalised the same way).
    """
    import tempfile

    from analysis.outputs import normalise_notebook
    from analysis.pipeline import _as_ipynb

    kernel = kept_kernel()
    done = []
    with tempfile.TemporaryDirectory() as scratch:
        replace = {scratch: str(pages[0].source.parent), **(replace or {})} if pages else {}
        for page in pages:
            source = _as_ipynb(page.source, Path(scratch))
            out = kernel.execute(source, folder / f"{page.name}.ipynb", parameters, folder)
            done.append(normalise_notebook(out, replace))
            progress(f"executed {page.name}.ipynb")
    return done
