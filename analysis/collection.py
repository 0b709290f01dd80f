"""Collecting commentary each quarter: requests to owners, returned files, sign-off and status.

``outturn new-quarter`` writes one request per indicator owner into
``data/commentary/<quarter>/requests/`` (Markdown, and Word when Quarto is
installed); the owner fills in the Commentary and Service response sections and
sends it back; ``outturn import commentary`` files each indicator's text as
``data/commentary/<quarter>/<indicator_id>.md`` with front matter saying who
wrote it and when; ``outturn clear`` records the manager's sign-off in that
front matter; ``outturn status`` shows where each request stands.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis.committees import slugify
from analysis.config import CouncilConfig, ProjectPaths
from analysis.errors import OutturnError
from analysis.loading import (
    META_KEYS,
    Commentary,
    parse_commentary,
    read_commentary,
    split_front_matter,
)
from analysis.outputs import write_bytes, write_text
from analysis.periods import Period, parse_period
from analysis.results import IndicatorResult
from analysis.workdays import working_days_before

REQUESTS = "requests"
"""The sub-folder of a quarter's commentary folder that holds the requests sent out."""
NO_OWNER = "No owner set"
_ID_IN_HEADING = re.compile(r"^#\s+(?P<title>.*?)\s*\((?P<id>[A-Za-z0-9_\\]+)\)\s*(\{[^}]*\})?\s*$")


class CommentaryError(OutturnError):
    """Raised when a request, a returned file or a sign-off cannot be done as asked."""


# --- the deadline ---------------------------------------------------------------------------


def meeting_and_deadline(
    council: CouncilConfig, quarter: Period, meeting: str | None = None
) -> tuple[dt.date | None, dt.date | None]:
    """Return the committee's date for ``quarter`` and the commentary deadline before it.

    The deadline is ``report.deadline_working_days`` (default 7) working days
    before the meeting, skipping weekends and English bank holidays. ``meeting``
    (``--meeting``) overrides ``report.meeting_date``.
    """
    found = meeting or council.meeting_date(quarter.label)
    if not found:
        return None, None
    day = dt.date.fromisoformat(found)
    return day, working_days_before(day, council.deadline_working_days)


# --- requests -------------------------------------------------------------------------------


def owner_of(result: IndicatorResult) -> str:
    """Return who is asked for the indicator's commentary (``No owner set`` without one)."""
    return result.indicator.owner or NO_OWNER


def requested_results(
    results: Mapping[str, IndicatorResult], exceptions_only: bool = False
) -> dict[str, list[IndicatorResult]]:
    """Group the indicators by owner: exceptions first, then the rest, in catalogue order."""
    chosen = [r for r in results.values() if r.exception or not exceptions_only]
    ordered = [r for r in chosen if r.exception] + [r for r in chosen if not r.exception]
    out: dict[str, list[IndicatorResult]] = {}
    for r in ordered:
        out.setdefault(owner_of(r), []).append(r)
    return out


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|") or "-"


def _latest(result: IndicatorResult) -> str:
    from analysis.formatting import format_observation

    found = [(p, o) for p, o in result.history if o is not None and not o.missing]
    return (
        f"{format_observation(found[-1][1], result.indicator)} ({found[-1][0].label})"
        if found
        else ""
    )


def figures_table(result: IndicatorResult) -> str:
    """Return the figures as a Markdown table: the figure, target, RAG and every comparison."""
    from analysis.formatting import COMPARISON_LABELS, dot_text
    from analysis.sentences.requests import exception_line, figure_line
    from analysis.tables import RAG_MARKS, current_text, target_text

    period = result.current.period.label if result.reported else ""
    rows = [
        (f"Figure for {result.quarter.label}",
         figure_line(current_text(result), period, result.reported, _latest(result))),
        (f"Target {result.quarter.year().label}", target_text(result)),
    ]  # fmt: skip
    if result.rag_on and result.reported:
        word = RAG_MARKS.get(result.rag or "", RAG_MARKS[""])[0]
        rows.append(("RAG status", f"{word}: {result.rag_reason}" if result.rag_reason else word))
    for row in result.comparisons:
        name = COMPARISON_LABELS[row["comparison"]]
        label = f"vs {name if name == 'England' else name.lower()}"
        rows.append((label, dot_text(row["direction"], row["judgement"])))
    rows.append(("Exception report", exception_line(result.exception_reason)))
    if result.stale:
        rows.append(("Up to date?", f"No: {result.stale}"))
    lines = ["| | |", "|---|---|"] + [f"| {_cell(a)} | {_cell(b)} |" for a, b in rows]
    return "\n".join(lines)


def indicator_section(result: IndicatorResult) -> str:
    """One indicator's part of a request: heading with its id, figures, draft, empty sections."""
    from analysis.sentences.indicator import draft_commentary

    ind = result.indicator
    draft = draft_commentary(result)
    parts = [f"# {ind.short_title} ({ind.id})", ind.title, figures_table(result)]
    if draft:
        parts.append(f"**Draft commentary (generated):** {draft}")
    parts.append("## Commentary\n\n## Service response")
    return "\n\n".join(parts) + "\n"


@dataclass(frozen=True)
class Request:
    """One owner's request for a quarter: who, which indicators, when asked and by when."""

    owner: str
    quarter: Period
    results: tuple[IndicatorResult, ...]
    requested: dt.date
    meeting: dt.date | None = None
    deadline: dt.date | None = None

    @property
    def slug(self) -> str:
        """The request's file name without its suffix (the owner, as a file name)."""
        return slugify(self.owner)


def request_markdown(request: Request, council: str, working_days: int) -> str:
    """Write the request file: front matter, what is asked and by when, then each indicator."""
    from analysis.sentences.requests import HOW_TO_FILL, deadline_sentence, request_opening

    meta = {
        "title": f"Commentary request: {request.owner}, {request.quarter.label}",
        "quarter": request.quarter.label,
        "owner": request.owner,
        "requested": request.requested.isoformat(),
        "deadline": request.deadline.isoformat() if request.deadline else "",
        "meeting": request.meeting.isoformat() if request.meeting else "",
        "indicators": [r.id for r in request.results],
    }
    head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    opening = [
        request_opening(council, request.quarter.label, request.owner, len(request.results)),
        f"Quarter: {request.quarter.label}. Owner: {request.owner}.",
        deadline_sentence(request.deadline, request.meeting, working_days),
        HOW_TO_FILL,
    ]
    sections = [indicator_section(r) for r in request.results]
    return f"---\n{head}---\n\n" + "\n\n".join(opening) + "\n\n" + "\n".join(sections)


def word_copy(markdown: Path, docx: Path, requested: dt.date) -> Path | None:
    """Write a Word copy of a request with Quarto's pandoc (None when Quarto is not on PATH).

    The copy is dated by the request, not the clock, so the same request gives the
    same file.

    Raises
    ------
    CommentaryError
        When pandoc fails (its message is given).
    """
    quarto = shutil.which("quarto")
    if quarto is None:
        return None
    epoch = int(dt.datetime.combine(requested, dt.time(12), dt.UTC).timestamp())
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / docx.name
        done = subprocess.run(
            [quarto, "pandoc", str(markdown), "--from", "markdown", "--to", "docx", "-o", str(out)],
            capture_output=True, text=True, check=False, env=env, timeout=120,
        )  # fmt: skip
        if done.returncode != 0 or not out.is_file():
            raise CommentaryError.at(
                markdown, f"Word copy failed: {(done.stderr or done.stdout).strip()[:200]}",
                "send the Markdown file instead, or check the Quarto installation",
            )  # fmt: skip
        write_bytes(docx, out.read_bytes())
    return docx


@dataclass
class Written:
    """What ``outturn new-quarter`` wrote (and what it left alone, and why)."""

    files: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def write_requests(
    pack,  # noqa: ANN001 - an analysis.pack.Pack
    requests: Sequence[Request],
    force: bool = False,
) -> Written:
    """Write each request (and its Word copy) into the quarter's ``requests/`` folder.

    A request already there is kept unless ``force``: the owner may have it open.
    """
    folder = pack.data.paths.commentary_dir / pack.quarter.slug / REQUESTS
    folder.mkdir(parents=True, exist_ok=True)
    done = Written()
    council = pack.data.council
    for request in requests:
        path = folder / f"{request.slug}.md"
        if path.exists() and not force:
            done.kept.append(path)
            continue
        text = request_markdown(request, pack.council_name, council.deadline_working_days)
        done.files.append(write_text(path, text))
        docx = word_copy(path, path.with_suffix(".docx"), request.requested)
        if docx is not None:
            done.files.append(docx)
    if requests and shutil.which("quarto") is None:
        done.notes.append("Word copies not made: Quarto is not on PATH (send the .md files)")
    return done


def build_requests(
    pack,  # noqa: ANN001 - an analysis.pack.Pack
    today: dt.date,
    meeting: str | None = None,
    exceptions_only: bool = False,
) -> list[Request]:
    """One request per owner for the pack's quarter, with its deadline."""
    day, deadline = meeting_and_deadline(pack.data.council, pack.quarter, meeting)
    grouped = requested_results(pack.results, exceptions_only)
    return [
        Request(owner, pack.quarter, tuple(results), today, day, deadline)
        for owner, results in grouped.items()
    ]


# --- returned files -------------------------------------------------------------------------


def read_returned(path: Path) -> str:
    """Read a returned request as Markdown text (a Word file through Quarto's pandoc).

    Raises
    ------
    CommentaryError
        For a Word file when Quarto is not on PATH, or when pandoc cannot read it.
    """
    from analysis.inputs import read_text

    if path.suffix.lower() != ".docx":
        return read_text(path, what="commentary file")
    quarto = shutil.which("quarto")
    if quarto is None:
        raise CommentaryError.at(path, "is a Word file and Quarto is not on PATH to read it",
                                 "save it as Markdown, or put Quarto on PATH")  # fmt: skip
    done = subprocess.run(
        [quarto, "pandoc", str(path), "--from", "docx", "--to", "markdown-smart", "--wrap=none"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    if done.returncode != 0:
        raise CommentaryError.at(path, f"cannot be read as Word: {done.stderr.strip()[:200]}",
                                 "open it in Word, save it again as .docx, and retry")  # fmt: skip
    return done.stdout


def split_returned(text: str) -> tuple[dict[str, str], dict[str, Commentary]]:
    """Split a filled request into its front matter and each indicator's two sections.

    Each indicator starts at a level-1 heading ending in its id in brackets
    (``# Children looked after (cla)``); only its 'Commentary' and 'Service
    response' sections are kept (the figures and the draft above them are not).
    """
    try:
        meta, body = split_front_matter(text)
    except ValueError:
        meta, body = {}, text
    found: dict[str, Commentary] = {}
    current, lines = None, []
    for line in [*body.splitlines(), "# end (\\end)"]:
        heading = _ID_IN_HEADING.match(line)
        if heading is None:
            lines.append(line)
            continue
        if current is not None:
            found[current] = _sections(current, "\n".join(lines))
        current, lines = heading.group("id").replace("\\", ""), []
    return meta, found


def _sections(indicator_id: str, chunk: str) -> Commentary:
    """Keep a returned indicator's Commentary and Service response, dropping what precedes them."""
    start = re.search(r"^##\s+(commentary|service response)", chunk, flags=re.I | re.M)
    kept = chunk[start.start() :] if start else ""
    return parse_commentary(kept, indicator_id)


def commentary_file(meta: Mapping[str, str], found: Commentary) -> str:
    """Write a commentary file: front matter (in :data:`META_KEYS` order), then both sections."""
    ordered = {k: meta[k] for k in META_KEYS if meta.get(k)}
    ordered |= {k: v for k, v in meta.items() if k not in META_KEYS and v}
    head = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=1000)
    body = ""
    if found.commentary.strip():
        body += f"## Commentary\n\n{found.commentary.strip()}\n\n"
    if found.service_response.strip():
        body += f"## Service response\n\n{found.service_response.strip()}\n"
    return f"---\n{head}---\n\n{body}".rstrip() + "\n"


@dataclass
class Imported:
    """What ``outturn import commentary`` filed, left alone, and found empty."""

    quarter: str = ""
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)


def _quarter_of(meta: Mapping[str, str], text: str, given: str | None, path: Path) -> Period:
    found = given or meta.get("quarter") or ""
    if not found:
        line = re.search(r"Quarter:\s*(\d{4}-\d{2}\s+Q[1-4])", text)
        found = line.group(1) if line else ""
    if not found:
        raise CommentaryError.at(path, "does not say which quarter it is for",
                                 'give --quarter "2017-18 Q3"')  # fmt: skip
    period = parse_period(found)
    if period.freq != "quarter":
        raise CommentaryError.at(path, f"{found!r} is not a quarter", 'write e.g. "2017-18 Q3"')
    return period


def _check_ids(found: Mapping[str, Commentary], catalogue, path: Path) -> None:  # noqa: ANN001
    unknown = [i for i in found if i not in catalogue]
    if unknown:
        raise CommentaryError.at(
            path, f"names indicator(s) not in the catalogue: {', '.join(unknown)}",
            "keep each heading as the request wrote it: its title and (indicator_id)",
        )  # fmt: skip


def import_returned(
    paths: ProjectPaths,
    catalogue,  # noqa: ANN001 - an analysis.catalogue.Catalogue
    path: Path,
    quarter: str | None = None,
    author: str | None = None,
    received: dt.date | None = None,
    force: bool = False,
) -> Imported:
    """File each indicator's filled sections from one returned request (Markdown or Word).

    Each goes to ``data/commentary/<quarter>/<indicator_id>.md`` with front matter
    ``author`` (the request's owner, or ``author``), ``date`` (``received``, default
    today) and ``status: received``. A file already there with other text (or a
    sign-off) is kept unless ``force``.

    Raises
    ------
    CommentaryError
        When the quarter cannot be told, an indicator is unknown, or a file would
        be overwritten without ``force`` (nothing is written then).
    """
    text = read_returned(path)
    meta, found = split_returned(text)
    period = _quarter_of(meta, text, quarter, path)
    if not meta.get("owner"):  # a Word copy loses the front matter; the opening says it too
        said = re.search(r"^Quarter:.*?\bOwner:\s*(.+?)\.?\s*$", text, flags=re.M)
        meta["owner"] = said.group(1).replace("\u2019", "'") if said else ""
    if meta.get("owner") == NO_OWNER:
        meta["owner"] = ""
    _check_ids(found, catalogue, path)
    folder = paths.commentary_dir / period.slug
    done = Imported(period.label)
    plans = []
    for ind_id, sections in found.items():
        if sections.is_empty:
            done.empty.append(ind_id)
            continue
        out = folder / f"{ind_id}.md"
        new_meta = {"author": author or meta.get("owner", ""), "status": "received",
                    "date": (received or dt.date.today()).isoformat()}  # fmt: skip
        plans.append((out, sections, new_meta))
    _refuse_overwrites(plans, force)
    folder.mkdir(parents=True, exist_ok=True)
    for out, sections, new_meta in plans:
        if out.exists() and _same_text(out, sections):
            done.unchanged.append(out)
            continue
        done.written.append(write_text(out, commentary_file(new_meta, sections)))
    return done


def _same_text(path: Path, sections: Commentary) -> bool:
    old = parse_commentary(path.read_text(encoding="utf-8"), sections.indicator_id)
    return (old.commentary.strip(), old.service_response.strip()) == (
        sections.commentary.strip(), sections.service_response.strip(),
    )  # fmt: skip


def _refuse_overwrites(plans: list, force: bool) -> None:
    clash = [out for out, sections, _ in plans if out.exists() and not _same_text(out, sections)]
    if clash and not force:
        names = ", ".join(p.name for p in clash)
        raise CommentaryError.at(
            clash[0].parent, f"already has other commentary for {names}",
            "check whether the service sent a second version; --force replaces the files "
            "(and any sign-off recorded in them)",
        )  # fmt: skip


def returned_files(path: Path) -> list[Path]:
    """List the returned requests at ``path``: the file, or a folder's .md and .docx files."""
    if path.is_dir():
        found = sorted(
            p for p in path.iterdir()
            if p.suffix.lower() in (".md", ".docx") and not p.name.startswith((".", "~"))
        )  # fmt: skip
        if not found:
            raise CommentaryError.at(
                path, "holds no .md or .docx files", "give the returned files, or their folder"
            )
        return found
    if not path.is_file():
        raise CommentaryError.at(path, "file not found", "check the path and the file name")
    return [path]


# --- sign-off -------------------------------------------------------------------------------


def clear_commentary(
    paths: ProjectPaths, indicator_id: str, quarter: Period, by: str, on: dt.date
) -> Path:
    """Record sign-off in the commentary file's front matter (written whole, or not at all).

    Raises
    ------
    CommentaryError
        When there is no commentary file for the indicator and quarter, or it is empty,
        or ``by`` is blank.
    """
    path = paths.commentary_dir / quarter.slug / f"{indicator_id}.md"
    if not by.strip():
        raise CommentaryError.at("--by", "is empty", "give the name of the person signing it off")
    if not path.is_file():
        raise CommentaryError.at(
            path, f"no commentary for {indicator_id} in {quarter.label}",
            "import the returned request (outturn import commentary) or write the file first",
        )  # fmt: skip
    text = path.read_text(encoding="utf-8")
    try:
        meta, body = split_front_matter(text)
    except ValueError as exc:
        raise CommentaryError.at(
            path, str(exc), "correct the front matter, then clear it"
        ) from None
    if parse_commentary(body, indicator_id).is_empty:
        raise CommentaryError.at(path, "has no commentary to clear", "write or import it first")
    meta |= {"status": "cleared", "cleared_by": " ".join(by.split()),
             "cleared_on": on.isoformat()}  # fmt: skip
    ordered = {k: meta[k] for k in META_KEYS if meta.get(k)}
    ordered |= {k: v for k, v in meta.items() if k not in META_KEYS and v}
    head = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=1000)
    return write_text(path, f"---\n{head}---\n\n{body.lstrip(chr(10))}")


# --- where each request stands --------------------------------------------------------------


def sent_requests(folder: Path) -> dict[str, tuple[str, str]]:
    """Each requested indicator's owner and request date, from the requests folder."""
    out: dict[str, tuple[str, str]] = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.md")):
        try:
            meta = yaml.safe_load(split_front_matter_raw(path.read_text(encoding="utf-8"))) or {}
        except (yaml.YAMLError, OSError):
            continue
        for ind in meta.get("indicators") or []:
            out[str(ind)] = (str(meta.get("owner", "")), str(meta.get("requested", "")))
    return out


def split_front_matter_raw(text: str) -> str:
    """Return the YAML text of a file's front matter ('' when it has none)."""
    from analysis.loading import FRONT_MATTER

    found = FRONT_MATTER.match(text)
    return found.group(1) if found else ""


def missing_parts(result: IndicatorResult) -> list[str]:
    """List what is still needed for an indicator: commentary, a service response, sign-off."""
    found = result.commentary
    if found is None or not found.commentary.strip():
        return ["commentary"] if result.exception or found is not None else []
    missing = []
    if result.exception and not found.service_response.strip():
        missing.append("service response")
    if not found.cleared:
        missing.append("clearance")
    return missing


def status_rows(pack, requested: Mapping[str, tuple[str, str]]) -> list[dict[str, str]]:  # noqa: ANN001
    """One row per indicator that was asked for, is an exception or has commentary."""
    rows = []
    for r in pack.results.values():
        asked = requested.get(r.id)
        if asked is None and not r.exception and r.commentary is None:
            continue
        meta = r.commentary.meta if r.commentary is not None else {}
        cleared = r.commentary is not None and r.commentary.cleared
        rows.append({
            "indicator": r.id,
            "owner": (asked[0] if asked else "") or owner_of(r),
            "requested": asked[1] if asked else "",
            "received": meta.get("date", "") or ("yes" if r.commentary is not None else ""),
            "cleared by": meta.get("cleared_by", "") if cleared else "",
            "date": meta.get("cleared_on", "") if cleared else "",
            "missing": ", ".join(missing_parts(r)),
        })  # fmt: skip
    return rows


def uncleared_exceptions(pack) -> list[str]:  # noqa: ANN001
    """``cla (no commentary)``: each exception whose commentary is not signed off, and why."""
    out = []
    for r in pack.exception_results:
        if r.commentary is None or r.commentary.is_empty:
            out.append(f"{r.id} (no commentary)")
        elif not r.commentary.cleared:
            status = r.commentary.meta.get("status", "")
            out.append(f"{r.id} ({status + ', ' if status else ''}not cleared)")
    return out


def commentary_record(folder: Path) -> dict[str, dict[str, str]]:
    """Per indicator, who wrote the quarter's commentary and who cleared it, for the manifest."""
    found, _ = read_commentary(folder)
    return {ind: {k: c.meta.get(k, "") for k in META_KEYS} for ind, c in sorted(found.items())}
