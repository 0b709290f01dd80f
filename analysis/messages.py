"""How problems print: one line each (``FILE:LINE: [key] problem. Fix: ...``), or a table.

Outside a terminal (CI logs, a pipe, a file) every problem is one unwrapped
line in the style of compilers and linters, with the file named whole, so it
can be searched and clicked. In a terminal the same problems may show as a
table. Either way knock-on problems are folded under their cause ("and 60
more caused by this"), each kind of problem shows a first page with how many
more there are, and the count printed is the true count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from analysis.errors import Problem

PAGE = 10
"""Problems of one kind shown by default; ``outturn validate --all`` shows every one."""


@dataclass(frozen=True)
class Shown:
    """A problem as printed: its file as shown, and how many knock-ons it stands for."""

    problem: Problem
    file: str
    knock_ons: int = 0

    def line(self) -> str:
        """Return the problem in the one-line form, with its knock-ons counted."""
        problem = self.problem
        if self.knock_ons:
            more = f" (and {self.knock_ons} more caused by this)"
            problem = replace(problem, message=problem.message.rstrip(".") + more)
        return problem.one_line(self.file)


def shown_path(file: str, root: Path | None = None) -> str:
    """Show the file relative to the project (or the current folder) when inside it."""
    path = Path(file)
    for base in (root, Path.cwd()):
        if base is None or not path.is_absolute():
            continue
        try:
            return path.relative_to(Path(base).resolve()).as_posix()
        except ValueError:
            continue
    return str(file)


def fold(problems: Iterable[Problem]) -> list[tuple[Problem, int]]:
    """List each problem that is not a knock-on of another, with how many knock-ons it has.

    A problem whose ``cause`` names the ``tag`` of a problem in the list is
    counted under the first problem with that tag; one whose cause is not in
    the list stands on its own.
    """
    problems = list(problems)
    roots = {p.tag: i for i, p in reversed(list(enumerate(problems))) if p.tag}
    counts = [0] * len(problems)
    folded = [False] * len(problems)
    for i, p in enumerate(problems):
        root = roots.get(p.cause) if p.cause else None
        if root is not None and root != i:
            counts[root] += 1
            folded[i] = True
    return [(p, counts[i]) for i, p in enumerate(problems) if not folded[i]]


def paged(
    problems: Iterable[Problem], root: Path | None = None, show_all: bool = False, page: int = PAGE
) -> tuple[list[Shown], dict[str, int]]:
    """Choose the problems to print (errors first, by kind) and count those left out per kind."""
    shown, hidden, per_kind = [], {}, {}
    folded = fold(problems)
    ordered = [x for x in folded if x[0].is_error] + [x for x in folded if not x[0].is_error]
    kinds = list(dict.fromkeys(p.group for p, _ in ordered))
    for kind in kinds:
        for problem, knock_ons in (x for x in ordered if x[0].group == kind):
            per_kind[kind] = per_kind.get(kind, 0) + 1
            if show_all or per_kind[kind] <= page:
                shown.append(Shown(problem, shown_path(problem.file, root), knock_ons))
            else:
                hidden[kind] = hidden.get(kind, 0) + 1
    return shown, hidden


def summary(problems: list[Problem], where: str = "") -> str:
    """Count the problems, knock-ons included.

    E.g. ``61 problem(s) in data/: 1 error(s), 0 warning(s), and 60 caused by those``.
    """
    total = len(problems)
    knock_ons = total - len(fold(problems))
    errors = sum(1 for p, _ in fold(problems) if p.is_error)
    warnings = sum(1 for p, _ in fold(problems) if not p.is_error)
    text = f"{total} problem(s){f' in {where}' if where else ''}: {errors} error(s)"
    text += f", {warnings} warning(s)"
    if knock_ons:
        text += f", and {knock_ons} caused by those"
    return text


def problem_lines(
    problems: list[Problem], root: Path | None = None, show_all: bool = False, hint: str = ""
) -> list[str]:
    """Every problem to print as one line, with a line per kind that has more than a page.

    ``hint`` says how to see them all (e.g. ``outturn validate --all``).
    """
    shown, hidden = paged(problems, root, show_all)
    lines = []
    for i, item in enumerate(shown):
        lines.append(item.line())
        kind = item.problem.group
        last_of_kind = i + 1 == len(shown) or shown[i + 1].problem.group != kind
        if last_of_kind and hidden.get(kind):
            see = f"; {hint} shows every one" if hint else ""
            lines.append(f"  ... and {hidden[kind]} more like the line above{see}")
    return lines


def problem_table(
    problems: list[Problem], root: Path | None = None, show_all: bool = False, title: str = ""
):
    """Build the same problems as a rich table (for a terminal), folded and paged alike."""
    from rich.markup import escape
    from rich.table import Table

    shown, hidden = paged(problems, root, show_all)
    table = Table(title=title, show_lines=True)
    table.add_column("file", no_wrap=True)  # a file name is never split across lines
    for column in ("where", "problem", "fix"):
        table.add_column(column, overflow="fold")
    for item in shown:
        p = item.problem
        file = item.file + (f":{p.line_number}" if p.line_number is not None else "")
        message = p.message + (
            f" (and {item.knock_ons} more caused by this)" if item.knock_ons else ""
        )
        if not p.is_error:
            message = "warning: " + message
        table.add_row(*(escape(x) for x in (file, p.where, message, p.fix)))
    for kind, count in hidden.items():
        table.add_row("", "", escape(f"... and {count} more of: {kind}"), "")
    return table
