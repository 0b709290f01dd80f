"""The command line's own text: each command's help reads as paragraphs at any width."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from analysis.cli import app

COMMANDS = [command.name or command.callback.__name__ for command in app.registered_commands]


@pytest.mark.parametrize(
    ("command", "paragraph"),
    [
        (
            "national",
            "Each council's folder is a project set up as 'outturn init' does and built as "
            "'outturn run' does. A council whose inputs and code are unchanged since its pack "
            "was built is skipped",
        ),
        (
            "import",
            "tidy and pibook add the council's own figures to data/values/<source>.csv (merged "
            "by indicator, area, period and vintage)",
        ),
    ],
)
def test_help_paragraph_is_one_line_on_a_wide_terminal(command, paragraph):
    result = CliRunner().invoke(
        app, [command, "--help"], env={"COLUMNS": "240"}, terminal_width=240
    )
    assert result.exit_code == 0
    assert any(paragraph in line for line in result.output.splitlines()), result.output


def test_no_help_line_is_broken_where_the_source_file_broke_it():
    """On a wide terminal, a short line is only ever a paragraph's last (or only) line."""
    for command in COMMANDS:
        text = (
            CliRunner()
            .invoke(app, [command, "--help"], env={"COLUMNS": "1000"}, terminal_width=1000)
            .output
        )
        description = text.split("╭")[0].splitlines()[3:]
        for line, following in zip(description, description[1:] + [""], strict=True):
            if line.strip() and following.strip():
                pytest.fail(f"outturn {command} --help: a paragraph spans lines: {line!r}")
