"""Writing a project's data files safely: merged values, appended YAML entries, atomic renames."""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from analysis.errors import DataError, PeriodError
from analysis.loading import VALUE_COLUMNS, read_csv_text
from analysis.periods import parse_period

KEY = ["indicator_id", "area_code", "period", "vintage"]


def write_files(contents: Mapping[Path, str]) -> list[Path]:
    """Write several files so that none is left half-written.

    Every file is first written in full to a temporary file beside it; only
    when all are written are they renamed into place (a rename within a folder
    is atomic). If writing fails, the temporary files are removed and the
    project is unchanged.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in contents.items():
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
            os.chmod(temp, _mode(path))  # mkstemp makes files private: keep the usual mode
            staged.append((Path(temp), path))
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    for temp, path in staged:
        os.replace(temp, path)
    return [path for _, path in staged]


def _mode(path: Path) -> int:
    """Return the file's own permissions, or those a new file gets (0666 less the umask)."""
    if path.is_file():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def dump_yaml(data: object) -> str:
    """YAML as outturn writes it: keys in order, unicode kept, lines up to 100 characters."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _top_level_key(line: str) -> str | None:
    match = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
    return match.group(1) if match else None


def top_level_blocks(text: str) -> list[tuple[str | None, str]]:
    """Split YAML text into its top-level blocks, each with the comments and lines it holds.

    Returns (key, text) pairs in order; text before the first key has key None.
    Joining the texts gives the input back unchanged.
    """
    blocks: list[tuple[str | None, list[str]]] = [(None, [])]
    pending: list[str] = []  # comments and blank lines go with the block that follows
    for line in text.splitlines(keepends=True):
        key = _top_level_key(line)
        if key is not None:
            blocks.append((key, pending + [line]))
            pending = []
        elif line.strip() == "" or line.startswith("#"):
            pending.append(line)
        else:
            blocks[-1][1].extend(pending + [line])
            pending = []
    blocks[-1][1].extend(pending)
    return [(key, "".join(lines)) for key, lines in blocks if lines or key is not None]


def append_list_items(text: str, key: str, items: list[dict]) -> str:
    """Add entries at the end of a top-level YAML list, keeping every comment and line as it was.

    When ``key`` is absent it is added at the end. The result is checked: it
    must parse to the old list followed by ``items``.

    Raises
    ------
    DataError
        When the text cannot be edited that way (the list is written in flow
        style, for example).
    """
    if not items:
        return text
    before = yaml.safe_load(text) if text.strip() else None
    old = (before or {}).get(key) or [] if isinstance(before, dict) else []
    blocks = top_level_blocks(text)
    keys = [k for k, _ in blocks]
    if key not in keys:
        body = text if text.endswith("\n") or not text else text + "\n"
        new_text = body + dump_yaml({key: items})
    else:
        at = keys.index(key)
        block = blocks[at][1]
        indent = re.search(r"^( *)- ", block, re.M)
        pad = indent.group(1) if indent else "  "
        dumped = dump_yaml(items)
        added = "".join(pad + line if line.strip() else line for line in
                        dumped.splitlines(keepends=True))  # fmt: skip
        stripped = block.rstrip("\n")
        trailing = block[len(stripped) :]
        if re.search(rf"^{re.escape(key)}\s*:\s*(\[\s*\]|null|~)?\s*$", stripped, re.M) and not old:
            stripped = f"{key}:"
        block = stripped + "\n" + added + (trailing[1:] if trailing else "")
        new_text = "".join(b if i != at else block for i, (_, b) in enumerate(blocks))
    after = yaml.safe_load(new_text)
    if not isinstance(after, dict) or after.get(key) != [*old, *items]:
        raise DataError(
            f"could not add entries to '{key}:' without changing the file's meaning. "
            f"Fix: write '{key}:' as a block list (one '- ' item per entry)"
        )
    return new_text


def replace_blocks(text: str, replacements: Mapping[str, dict]) -> str:
    """Rewrite some top-level keys of a YAML text and keep every other block exactly as it was.

    Keys in ``replacements`` that are not in the text are added at the end.
    """
    done, out = set(), []
    for key, block in top_level_blocks(text):
        if key in replacements:
            leading = re.match(r"^((?:#.*\n|\s*\n)*)", block).group(1)
            out.append(leading + dump_yaml({key: replacements[key]}))
            done.add(key)
        else:
            out.append(block)
    missing = {k: v for k, v in replacements.items() if k not in done}
    if missing:
        if out and not out[-1].endswith("\n"):
            out.append("\n")
        out.append(dump_yaml(missing))
    return "".join(out)


# --- values: merge new rows into a values file ---------------------------------------------
def number_text(value: float) -> str:
    """Write a number as short as it reads: 12 not 12.0, 162.8 not 162.80000001."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(round(value, 10))


@lru_cache(maxsize=8192)
def _label(text: str) -> str:
    try:
        return parse_period(text).label
    except PeriodError:
        return text


def _figure(row: Mapping) -> tuple:
    """Return what a row says: value, count and status, compared as numbers."""

    def num(x: object) -> float | None:
        try:
            f = float(str(x).replace(",", "")) if str(x).strip() != "" else None
        except ValueError:
            return None
        return None if f is None or math.isnan(f) else round(f, 9)

    return (num(row.get("value")), num(row.get("count")), str(row.get("status") or "").strip())


def same_figure(old: tuple, new: tuple) -> bool:
    """Return True when two figures agree: no value in either, or equal values and counts.

    A count missing from the new row (LAIT publishes rates without the counts
    EES gives) is not a disagreement, nor are two different markers for a
    value neither source has.
    """
    (old_value, old_count, _), (new_value, new_count, _) = old, new
    if old_value is None and new_value is None:
        return True
    return old_value == new_value and (new_count is None or new_count == old_count)


@dataclass
class Merge:
    """What merging imported rows into a values file did."""

    rows: pd.DataFrame  # the file's rows after the merge, as text
    added: int = 0  # figures for an indicator, area and period not yet in the project
    revised: int = 0  # a different figure for a period already there, with its own vintage
    corrected: int = 0  # same indicator, area, period and vintage, different figure: replaced
    unchanged: int = 0  # the project already has this figure
    details: list[str] = field(default_factory=list)


def as_text(rows: pd.DataFrame) -> pd.DataFrame:
    """Values rows as the text a CSV holds (``VALUE_COLUMNS``, numbers written short)."""
    out = rows.reindex(columns=VALUE_COLUMNS).copy()
    for col in ("value", "count"):
        out[col] = [number_text(v) if not isinstance(v, str) else v for v in out[col]]
    return out.fillna("").astype(str)


def read_values_text(path: Path) -> pd.DataFrame:
    """Read a values file as text (empty, with the columns, when it does not exist)."""
    if not Path(path).is_file():
        return pd.DataFrame(columns=VALUE_COLUMNS)
    return read_csv_text(Path(path)).reindex(columns=VALUE_COLUMNS, fill_value="")


def _keyed(frame: pd.DataFrame) -> dict[tuple, int]:
    periods = frame["period"].map(_label)
    keys = zip(frame["indicator_id"], frame["area_code"], periods, frame["vintage"], strict=True)
    return {k: i for i, k in enumerate(keys)}


def _latest(frames: list[pd.DataFrame]) -> dict[tuple, tuple[str, tuple]]:
    latest: dict[tuple, tuple[str, tuple]] = {}
    for frame in frames:
        for row in frame.to_dict("records"):
            key = (row["indicator_id"], row["area_code"], _label(row["period"]))
            if key not in latest or row["vintage"] >= latest[key][0]:
                latest[key] = (row["vintage"], _figure(row))
    return latest


def merge_values(
    target: pd.DataFrame,
    new: pd.DataFrame,
    others: list[pd.DataFrame] | None = None,
    revision_vintage: str | None = None,
) -> Merge:
    """Merge imported rows into a values file by (indicator, area, period, vintage).

    Parameters
    ----------
    target : pandas.DataFrame
        The file's rows, as text (:func:`read_values_text`).
    new : pandas.DataFrame
        The imported rows (``VALUE_COLUMNS``; periods as canonical labels).
    others : list of pandas.DataFrame, optional
        The project's other values files, as text.
    revision_vintage : str, optional
        The date of the release being imported: a figure that differs from
        the one the file has for its period was published then, so it is
        dated so (when later than the row's own vintage).

    Returns
    -------
    Merge
        The merged rows (the file's rows first, in their order, then the new
        ones) and what happened to each imported row: a row whose key is in
        the file with the same figure, or whose figure is already the file's
        latest for that indicator, area and period, changes nothing
        (``unchanged``: a re-import is a no-op, whatever its vintage); the same
        key with another figure replaces it (``corrected``); a different figure
        with a new vintage is added beside the old one (``revised``), and a
        figure for a new period is ``added``.

    Raises
    ------
    DataError
        When the imported rows repeat a key, or when another values file holds
        the same key with a different figure (the project could not be read).
    """
    others = others or []
    new = as_text(new)
    dup = new.duplicated(KEY, keep=False)
    if dup.any():
        shown = "; ".join(", ".join(r) for r in new.loc[dup, KEY].head(3).itertuples(index=False))
        raise DataError(f"the file gives {int(dup.sum())} figures for the same indicator, area, "
                        f"period and vintage (e.g. {shown}); nothing was written. Fix: keep one "
                        "figure per indicator, area and period")  # fmt: skip
    rows = target.reindex(columns=VALUE_COLUMNS).fillna("").astype(str).copy()
    in_target, in_others = _keyed(rows), {}
    for frame in others:
        frame = frame.reindex(columns=VALUE_COLUMNS).fillna("")
        records = frame.to_dict("records")
        in_others.update({k: records[i] for k, i in _keyed(frame).items()})
    latest = _latest([rows])  # another file's figure is another source's: kept apart
    merge, added = Merge(rows), []
    for row in new.to_dict("records"):
        figure = _figure(row)
        before = latest.get((row["indicator_id"], row["area_code"], row["period"]))
        if before is not None and same_figure(before[1], figure):
            merge.unchanged += 1
            continue
        if before is not None and revision_vintage and revision_vintage > row["vintage"]:
            row["vintage"] = revision_vintage
        key = tuple(row[k] for k in KEY)
        if key in in_target:
            rows.iloc[in_target[key]] = [row[c] for c in VALUE_COLUMNS]
            merge.corrected += 1
            continue
        if key in in_others:
            if same_figure(_figure(in_others[key]), figure):
                merge.unchanged += 1
                continue
            raise DataError(f"{', '.join(key)} is already in another values file with another "
                            "figure; nothing was written. Fix: give the import its own "
                            "--published date, or remove the other row")  # fmt: skip
        merge.revised += before is not None
        merge.added += before is None
        added.append(row)
    merge.rows = pd.concat([rows, pd.DataFrame(added, columns=VALUE_COLUMNS)], ignore_index=True)
    return merge


def values_csv(rows: pd.DataFrame) -> str:
    """Write the text of a values CSV (``VALUE_COLUMNS``, quoted where needed)."""
    return rows.reindex(columns=VALUE_COLUMNS).to_csv(index=False, lineterminator="\n")
