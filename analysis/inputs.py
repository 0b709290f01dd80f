"""Read input files within bounds: a size limit, UTF-8 only (with a diagnosis), YAML safely."""

from __future__ import annotations

import csv
import io
import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis.errors import ConfigError, DataError, Problem

MAX_YAML_BYTES = 5_000_000
"""A catalogue for every DfE indicator is about 200 kB; 5 MB is far beyond any real file."""
MAX_YAML_NODES = 500_000
"""Values a YAML file may expand to, aliases counted each time they are used (a text
counts one per 100 characters, so an aliased long text cannot multiply either)."""
MAX_CSV_BYTES = 200_000_000
"""LAIT's whole long table is under 5 MB; a file forty times that is not a values table."""
MAX_CELL_CHARS = 10_000
"""A note or title longer than this is pasted-in junk, not a cell."""
MAX_TEXT_BYTES = 1_000_000
"""A commentary file (a few paragraphs) over 1 MB is not commentary."""

SAVE_AS_UTF8 = (
    "save it as UTF-8: in Excel 'Save As' > 'CSV UTF-8 (Comma delimited)'; in a text "
    "editor 'Save with encoding' > 'UTF-8'"
)
SAVE_TEXT_AS_UTF8 = (
    "open it in a text editor and save it with the encoding 'UTF-8' (in Notepad: "
    "'Save As' > Encoding 'UTF-8')"
)
_ZIP = b"PK\x03\x04"


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:,.1f} MB"


def check_size(path: Path, limit: int, what: str = "file") -> int:
    """Return the file's size in bytes, refusing a missing file or one over ``limit``.

    Raises
    ------
    DataError
        When the file does not exist, is a folder, or is larger than ``limit``
        (the file is not read).
    """
    if not path.exists():
        raise DataError.at(path, "file not found", "check the path and the file name")
    if not path.is_file():
        raise DataError.at(path, f"is a folder, not a {what}", "give the path of the file")
    size = path.stat().st_size
    if size > limit:
        raise DataError.at(
            path,
            f"{_megabytes(size)}, more than the {_megabytes(limit)} a {what} may be (not read)",
            "check it is the file you meant; keep only the rows outturn needs",
            key="size",
        )
    return size


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def likely_encoding(data: bytes) -> str:
    """Name the encoding a file that is not UTF-8 was most probably saved in.

    UTF-16 (with or without a byte-order mark) shows as every other byte zero;
    anything else that decodes as Windows-1252 is taken to be that (Excel's
    'CSV (Comma delimited)' on Windows), otherwise Latin-1.
    """
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 (with a byte-order mark: Excel's 'Unicode Text')"
    if len(head) >= 2:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > len(odd) * 0.3:
            return "UTF-16 little-endian (no byte-order mark)"
        if even.count(0) > len(even) * 0.3:
            return "UTF-16 big-endian (no byte-order mark)"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "Latin-1 or another single-byte encoding"
    return "Windows-1252 (Excel's 'CSV (Comma delimited)' on Windows)"


def _named(data: bytes, path: Path) -> str:
    name = likely_encoding(data)
    return name if path.suffix.lower() == ".csv" else name.split(" (Excel")[0]


def _how_to_save(path: Path) -> str:
    return SAVE_AS_UTF8 if path.suffix.lower() == ".csv" else SAVE_TEXT_AS_UTF8


def decode_utf8(data: bytes, path: Path) -> str:
    """Decode bytes as UTF-8 (a byte-order mark is allowed), or say what the file is.

    Raises
    ------
    DataError
        Naming the file, the line of the first byte that is not UTF-8, the
        encoding the file was probably saved in and how to save it as UTF-8.
    """
    if data.startswith(_ZIP):
        raise DataError.at(
            path,
            "is a ZIP archive (an Excel workbook?), not a text file",
            f"open it and {_how_to_save(path)}",
            key="encoding",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError.at(
            path,
            f"is not UTF-8 (byte 0x{data[exc.start]:02X}); it looks like {_named(data, path)}",
            _how_to_save(path),
            line=_line_of(data, exc.start),
            key="encoding",
        ) from None
    if "\x00" in text:
        encoding = likely_encoding(data)
        what = "binary, or" if not encoding.startswith("UTF-16") else ""
        raise DataError.at(
            path,
            f"is not UTF-8 text: it holds NUL bytes, so it is {what} {encoding}".replace("  ", " "),
            _how_to_save(path),
            line=text.count("\n", 0, text.index("\x00")) + 1,
            key="encoding",
        )
    return text


def read_text(path: Path, limit: int = MAX_TEXT_BYTES, what: str = "text file") -> str:
    """Read a UTF-8 text file no larger than ``limit`` bytes.

    Raises
    ------
    DataError
        When it is missing, too large, or not UTF-8 (see :func:`decode_utf8`).
    """
    path = Path(path)
    check_size(path, limit, what)
    return decode_utf8(path.read_bytes(), path)


def read_csv_text(path: Path, limit: int = MAX_CSV_BYTES, **options: Any):
    """Read a CSV as text (no type guessing) after checking its size, encoding and cells.

    Every column is a string column; empty cells are ``""``. Extra keyword
    arguments go to :func:`pandas.read_csv`.

    Raises
    ------
    DataError
        When the file is missing, too large, not UTF-8, not parseable as CSV
        (naming the line), or holds a cell longer than :data:`MAX_CELL_CHARS`.
    """
    import pandas as pd

    path = Path(path)
    check_size(path, limit, "CSV file")
    text = decode_utf8(path.read_bytes(), path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text), dtype=str, keep_default_na=False, index_col=False, **options
            )
    except pd.errors.EmptyDataError:
        raise DataError.at(
            path,
            "is empty",
            "it needs a header line naming the columns (see docs/data-model.md), or delete it",
        ) from None
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        raise _unreadable(path, text, exc) from None
    frame = frame.fillna("")  # a short row: its missing cells are empty, as written
    _check_cells(frame, path)
    return frame


def _open_quote_line(text: str) -> int | None:
    """Find the line of a double quote that is never closed, if any."""
    opened, inside = 0, False
    for offset, char in enumerate(text):
        if char == '"':
            inside = not inside
            opened = offset if inside else opened
    return text.count("\n", 0, opened) + 1 if inside else None


def _unreadable(path: Path, text: str, exc: Exception) -> DataError:
    """Say why pandas could not read the CSV, at the line where it went wrong."""
    quote = _open_quote_line(text)
    if quote is not None:
        return DataError.at(
            path,
            "a double quote opened on this line is never closed",
            'close the quote, or double a quote inside quoted text ("")',
            line=quote,
            key="CSV",
        )
    rows = csv.reader(io.StringIO(text))
    width = len(next(rows, []))
    for row in rows:
        if len(row) > width:
            return DataError.at(
                path,
                f"has {len(row)} fields on this line and {width} in the header",
                "remove the extra commas, or put text holding a comma in double quotes",
                line=rows.line_num,
                key="CSV",
            )
    first = str(exc).splitlines()[0]
    found = re.search(r"line (\d+)", first)
    return DataError.at(
        path,
        f"not a readable CSV ({first})",
        "fix the quoting or the number of fields on that line, and save as UTF-8",
        line=int(found.group(1)) if found else None,
        key="CSV",
    )


def _check_cells(frame, path: Path) -> None:
    for number, column in enumerate(frame.columns):
        if len(str(column)) > MAX_CELL_CHARS:
            raise DataError.at(
                path,
                f"header {number + 1} is over {MAX_CELL_CHARS:,} characters",
                "the header names the columns, one short name each",
                line=1,
            )
        lengths = frame[column].str.len()
        if len(lengths) and lengths.max() > MAX_CELL_CHARS:
            raise DataError.at(
                path,
                f"a cell of {int(lengths.max()):,} characters, more than the "
                f"{MAX_CELL_CHARS:,} a cell may hold",
                "shorten it (a long note belongs in data/README.md) or check the quotes "
                "on that line",
                line=int(lengths.idxmax()) + 2,
                key=str(column),
            )


# --- YAML ---------------------------------------------------------------------------


@dataclass
class YamlDocument:
    """A parsed YAML file and the line of every key and list item in it.

    ``lines`` maps a key path such as ``("indicators", 3, "unit")`` to the
    1-based line where that key (or list item) starts.
    """

    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)

    def line(self, *path: Any) -> int | None:
        """Return the line of the deepest known key along ``path``, if any."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return None


def _expanded_size(node: yaml.Node, sizes: dict[int, int], open_: set[int]) -> int:
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in open_:
        raise ValueError("an alias refers to a node that contains it (a loop)")
    open_.add(key)
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    else:
        children = []
    total = 1 + len(str(node.value)) // 100 if isinstance(node, yaml.ScalarNode) else 1
    for child in children:
        total += _expanded_size(child, sizes, open_)
        if total > MAX_YAML_NODES:
            raise ValueError(
                f"it expands to more than {MAX_YAML_NODES:,} values (nested aliases: "
                "'&anchor' and '*alias' multiplying content, or far more than a "
                "configuration file holds)"
            )
    open_.discard(key)
    sizes[key] = total
    return total


def _record_lines(
    node: yaml.Node, path: tuple, lines: dict[tuple, int], loader: yaml.SafeLoader, seen: set[int]
) -> None:
    if id(node) in seen:  # an alias: its lines are where the anchor was written
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = loader.construct_object(key_node)
            lines.setdefault((*path, key), key_node.start_mark.line + 1)
            _record_lines(value_node, (*path, key), lines, loader, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.setdefault((*path, index), item.start_mark.line + 1)
            _record_lines(item, (*path, index), lines, loader, seen)


def _refused(path: Path, message: str, fix: str, line: int | None = None) -> ConfigError:
    return ConfigError.at(path, message, fix, line=line, key="YAML")


def _syntax_error(path: Path, exc: yaml.YAMLError) -> ConfigError:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return _refused(
        path,
        f"YAML syntax error at {where}: {problem}",
        "correct the YAML there (check indentation, a missing colon, or an unquoted value "
        "containing ': ')",
        mark.line + 1 if mark else None,
    )


def _compose(text: str, path: Path) -> yaml.Node | None:
    loader = yaml.SafeLoader(text)
    try:
        return loader.get_single_node()
    except yaml.YAMLError as exc:
        raise _syntax_error(path, exc) from None
    except RecursionError:
        raise _refused(
            path, "is nested too deeply to be a configuration file", "flatten the structure"
        ) from None
    finally:
        loader.dispose()


def _construct(node: yaml.Node, path: Path) -> YamlDocument:
    loader = yaml.SafeLoader("")
    try:
        data = loader.construct_document(node)
        lines: dict[tuple, int] = {}
        _record_lines(node, (), lines, loader, set())
    except yaml.YAMLError as exc:
        raise _syntax_error(path, exc) from None
    finally:
        loader.dispose()
    return YamlDocument(data, lines)


def load_yaml(path: Path) -> YamlDocument:
    """Read a YAML file safely: size limit, UTF-8, no Python tags, bounded aliases.

    Raises
    ------
    ConfigError
        When the file is missing, too large, not UTF-8, not valid YAML, or
        expands (through nested aliases) past :data:`MAX_YAML_NODES` values;
        the error's ``problems`` name the file and, where known, the line.
    """
    path = Path(path)
    if not path.is_file():
        raise _refused(path, "file not found", "create it (see docs/data-model.md)")
    try:
        text = read_text(path, MAX_YAML_BYTES, "YAML file")
    except DataError as exc:
        raise ConfigError(str(exc), exc.problems) from None
    node = _compose(text, path)
    if node is None:
        return YamlDocument(None)
    try:
        _expanded_size(node, {}, set())
    except ValueError as exc:
        raise _refused(
            path, f"refused: {exc}", "write the values out in full, without nested aliases"
        ) from None
    except RecursionError:
        raise _refused(path, "is nested too deeply", "flatten the structure") from None
    return _construct(node, path)


# --- typed keys -----------------------------------------------------------------------

_KINDS = {
    "mapping": "a mapping (indented 'key: value' lines)",
    "list": "a list ('- item' lines or [a, b])",
    "text": "a text",
    "whole": "a whole number",
    "number": "a number",
    "bool": "true or false",
}


def is_kind(value: Any, kind: str) -> bool:
    """Tell whether a parsed YAML value is of ``kind`` (see ``_KINDS``); ``None`` never is."""
    checks = {
        "mapping": lambda v: isinstance(v, dict),
        "list": lambda v: isinstance(v, list),
        "text": lambda v: isinstance(v, (str, int, float)) and not isinstance(v, bool),
        "whole": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: (
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
        ),
        "bool": lambda v: isinstance(v, bool),
    }
    return value is not None and checks[kind](value)


def key_label(path: tuple) -> str:
    """``("neighbours", "areas", 2, "rank")`` -> ``neighbours.areas[2].rank``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class KeyReader:
    """Read keys of a parsed YAML file by path, collecting a problem for each bad value.

    Every problem names the file, the key (``report.suppress_below``), its line
    when the file's :class:`YamlDocument` is given, what was found and what is
    expected.
    """

    file: str
    doc: YamlDocument | None = None
    problems: list[Problem] = field(default_factory=list)
    label: Callable[[tuple], str] = key_label

    def problem(self, path: tuple, message: str, fix: str) -> None:
        """Record a problem at the key ``path``."""
        line = self.doc.line(*path) if self.doc is not None else None
        self.problems.append(Problem(self.file, "", message, fix, line=line, key=self.label(path)))

    def get(self, raw: Any, path: tuple, kind: str, default: Any = None, fix: str = "") -> Any:
        """Return ``raw[path[-1]]`` when it is of ``kind``; else record a problem, return default.

        A missing key or ``null`` gives ``default`` without a problem.
        """
        value = raw.get(path[-1]) if isinstance(raw, dict) else None
        if value is None:
            return default
        if not is_kind(value, kind):
            self.problem(
                path,
                f"is {_shown(value)}, expected {_KINDS[kind]}",
                fix or f"write {key_label(path)} as {_KINDS[kind]}, or leave it out",
            )
            return default
        return value

    def choice(self, raw: Any, path: tuple, allowed: tuple, default: Any) -> Any:
        """Return the value when it is one of ``allowed`` (or absent: ``default``)."""
        value = raw.get(path[-1], default) if isinstance(raw, dict) else default
        if not isinstance(value, (str, type(None))) or value not in allowed:
            self.problem(path, f"is {_shown(value)}", f"use one of {', '.join(map(str, allowed))}")
            return default
        return value


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    kind = {"dict": "a mapping", "list": "a list"}.get(text)
    if kind:
        return kind
    return text if len(text) <= 60 else text[:57] + "..."
