"""Write output files safely: whole or not at all, spreadsheet cells that cannot run, fixed bytes.

Every CSV and XLSX outturn writes goes through :func:`write_csv` or
:func:`write_xlsx`. Both write a temporary file beside the target and rename it
over the target at the end, so an interrupted or failed write leaves the
previous file as it was. Text cells are neutralised against CSV injection (the
OWASP rule: a cell starting ``=``, ``+``, ``-``, ``@``, tab or carriage return
gets a leading ``'``), except genuine numbers (``-12.5``) and a lone ``-`` (a
publisher's marker, which no spreadsheet runs). In XLSX, text is always stored
as text, never as a formula, and the workbook's timestamps are fixed so the
same data gives the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import tempfile
import threading
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pandas as pd

from analysis.errors import OutputError

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, CSV injection)."""
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
"""The workbook's creation and modification time unless a caller gives one (e.g. a vintage)."""
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a ZIP entry can carry
_UMASK_LOCK = threading.Lock()


def neutralise(value: Any) -> Any:
    """Return a text cell that no spreadsheet will run as a formula; anything else unchanged.

    >>> neutralise("=1+2"), neutralise("-12.5"), neutralise("-"), neutralise("@SUM(A1)")
    ("'=1+2", '-12.5', '-', "'@SUM(A1)")
    """
    if not isinstance(value, str) or not value.startswith(DANGEROUS_STARTS):
        return value
    if value == "-" or _NUMBER.match(value.strip()):
        return value
    return "'" + value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with every text cell (and column name) passed through :func:`neutralise`."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out


def _umask() -> int:
    with _UMASK_LOCK:
        mask = os.umask(0)
        os.umask(mask)
    return mask


def check_output_file(path: Path, option: str = "--out") -> Path:
    """Refuse an output path whose folder is missing or that names a folder, before any work.

    Raises
    ------
    OutputError
        Naming the option and the path, and what to do.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError.at(
            path, f"is a folder ({option})", f"give a file name, e.g. {option} {path / 'out.csv'}"
        )
    folder = path.parent
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise OutputError.at(
            folder,
            f"the folder for {option} {path.name} {what}",
            f"create the folder first (mkdir -p {folder}) or give another {option}",
        )
    return path


@contextlib.contextmanager
def atomic_write(path: Path, mode: str = "w", **open_options: Any) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success rename it over ``path``.

    On any error (or interrupt) the temporary file is removed and ``path`` is
    left as it was. The file gets the usual permissions (0666 less the umask),
    not the private ones of a temporary file.

    Raises
    ------
    OutputError
        When the folder does not exist or names a file.
    """
    path = Path(path)
    check_output_file(path, "output")
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        with open(temp, mode, **open_options) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_write`)."""
    with atomic_write(path, "wb") as stream:
        stream.write(data)
    return Path(path)


def write_text(path: Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically (see :func:`atomic_write`)."""
    return write_bytes(path, text.encode("utf-8"))


def write_csv(frame: pd.DataFrame, path: Path, **to_csv: Any) -> Path:
    """Write ``frame`` (no index) as UTF-8 CSV, neutralised against injection, atomically.

    Extra keyword arguments go to :meth:`pandas.DataFrame.to_csv` (e.g.
    ``float_format``). Numbers stay numbers; text that a spreadsheet would run
    gets a leading ``'``.
    """
    to_csv.setdefault("index", False)
    text = neutralise_frame(frame).to_csv(lineterminator="\n", **to_csv)
    return write_text(path, text)


def xlsx_bytes(
    frame: pd.DataFrame, sheet: str = "Sheet1", when: dt.datetime | None = None
) -> bytes:
    """Build an XLSX workbook of ``frame`` (header row, no index) as deterministic bytes.

    Text cells are stored as text (never a formula; those a spreadsheet would
    run are also marked with Excel's own quote prefix, so editing the cell
    does not turn it into one). Creation and modification times are ``when``
    (default :data:`FIXED_TIME`), and the ZIP entries carry a fixed date.
    """
    from openpyxl import Workbook

    book = Workbook()
    book.properties.created = book.properties.modified = when or FIXED_TIME
    book.properties.creator = "outturn"
    sheet_ = book.active
    sheet_.title = sheet[:31]
    for column, name in enumerate(frame.columns, start=1):
        _text_cell(sheet_.cell(row=1, column=column), str(name))
    for row, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        for column, value in enumerate(values, start=1):
            _set_cell(sheet_.cell(row=row, column=column), value)
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue(), when or FIXED_TIME)


def _set_cell(cell: Any, value: Any) -> None:
    if value is None or (isinstance(value, float) and value != value):
        return  # NaN and None: an empty cell
    if isinstance(value, bool):
        cell.value = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value if abs(value) != float("inf") else str(value)
    elif hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        _set_cell(cell, value.item())
    elif isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        cell.value = value.isoformat()
    else:
        _text_cell(cell, str(value))


def _text_cell(cell: Any, text: str) -> None:
    cell.value = text
    cell.data_type = "s"  # openpyxl would store '=...' as a formula
    if text.startswith(DANGEROUS_STARTS):
        cell.quotePrefix = True


def _fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite an XLSX (a ZIP) with fixed entry times and the given document times."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dest:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp.encode() + rb"\g<3>",
                    body,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dest.writestr(entry, body)
    return out.getvalue()


def write_xlsx(
    frame: pd.DataFrame, path: Path, sheet: str = "Sheet1", when: dt.datetime | None = None
) -> Path:
    """Write ``frame`` to ``path`` as an XLSX workbook, atomically (see :func:`xlsx_bytes`)."""
    return write_bytes(path, xlsx_bytes(frame, sheet, when))


# --- executed notebooks: the same run, the same bytes ---------------------------------------

TIMING_KEYS = ("start_time", "end_time", "duration")
"""papermill's timestamps, in the notebook's and each cell's ``metadata.papermill``."""


def normalise_notebook(path: Path, replace: Mapping[str, str] | None = None) -> Path:
    """Strip execution timestamps from an executed notebook, so two runs give the same bytes.

    Removes papermill's ``start_time``, ``end_time`` and ``duration`` (the
    notebook's and every cell's) and each cell's ``metadata.execution``
    (Jupyter's timings); numbers the cell ids (papermill gives the injected
    parameters cell a random one); replaces, in the papermill metadata (paths and
    parameters) and in the injected-parameters cell, every key of ``replace``
    by its value (e.g. the staging folder by the final one, a temporary pack
    file by a fixed name). The notebook is rewritten atomically.
    """
    import nbformat

    notebook = nbformat.read(str(path), as_version=4)
    replace = dict(replace or {})
    papermill = notebook.metadata.get("papermill", {})
    for key in TIMING_KEYS:
        papermill.pop(key, None)
    for key in ("input_path", "output_path"):
        if isinstance(papermill.get(key), str):
            papermill[key] = _replaced(papermill[key], replace)
    if isinstance(papermill.get("parameters"), dict):
        papermill["parameters"] = {
            k: _replaced(v, replace) if isinstance(v, str) else v
            for k, v in papermill["parameters"].items()
        }
    for number, cell in enumerate(notebook.cells):
        if "id" in cell:
            cell.id = f"cell-{number}"  # papermill's injected cell has a random id
        cell.metadata.pop("execution", None)
        for key in TIMING_KEYS:
            cell.metadata.get("papermill", {}).pop(key, None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = _replaced(cell.source, replace)
    text = nbformat.writes(notebook)
    return write_text(path, text if text.endswith("\n") else text + "\n")


def _replaced(text: str, replace: Mapping[str, str]) -> str:
    for old, new in sorted(replace.items(), key=lambda kv: -len(kv[0])):
        if old:
            text = text.replace(old, new)
    return text
