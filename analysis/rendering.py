"""Turn executed notebooks into HTML pages: Quarto when installed, else nbconvert with our shell."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path

from analysis.errors import OutturnError

PAGES = (
    ("index", "Overview"),
    ("exceptions", "Exception reports"),
    ("methods", "Methods"),
    ("data", "Data checks"),
)


class RenderError(OutturnError):
    """Raised when the HTML cannot be rendered from the executed notebooks."""


def quarto_available() -> bool:
    """Return True when the ``quarto`` command is on PATH."""
    return shutil.which("quarto") is not None


def choose_engine(engine: str = "auto") -> str:
    """``quarto`` or ``python``: the engine asked for, or Quarto if it is installed."""
    if engine not in ("auto", "quarto", "python"):
        raise RenderError(f"--engine {engine!r} is not known; use auto, quarto or python")
    if engine == "quarto" and not quarto_available():
        raise RenderError(
            "--engine quarto was asked for but 'quarto' is not on PATH; install "
            "Quarto (https://quarto.org) or use --engine python"
        )
    if engine == "auto":
        return "quarto" if quarto_available() else "python"
    return engine


def page_css() -> str:
    """Return the stylesheet shared by every page (inlined in fallback pages: no network)."""
    return resources.files("analysis").joinpath("static/outturn.css").read_text("utf-8")


def _nav(current: str, quarter: str) -> str:
    links = []
    for name, title in PAGES:
        here = ' aria-current="page"' if name == current else ""
        links.append(f'<li><a href="{name}.html"{here}>{html.escape(title)}</a></li>')
    links.append('<li><a href="../index.html">All quarters</a></li>')
    return (
        f'<nav aria-label="Report pages"><p class="quarter">{html.escape(quarter)}</p>'
        f"<ul>{''.join(links)}</ul></nav>"
    )


def notebook_body(notebook: Path) -> str:
    """Convert an executed notebook's outputs and Markdown to HTML, code cells hidden."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    nb = nbformat.read(str(notebook), as_version=4)
    nb.cells = [
        c
        for c in nb.cells
        if "parameters" not in c.metadata.get("tags", [])
        and "injected-parameters" not in c.metadata.get("tags", [])
    ]
    body, _ = exporter.from_notebook_node(nb)
    return re.sub(r"<script\b[^>]*>.*?</script>", "", body, flags=re.S)


def wrap_page(body: str, *, title: str, current: str, quarter: str, engine_note: str) -> str:
    """Wrap a notebook body in a complete, self-contained HTML page."""
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{page_css()}</style>\n</head>\n<body>\n"
        '<a class="skip-link" href="#main">Skip to content</a>\n'
        f"<header>{_nav(current, quarter)}</header>\n"
        f'<main id="main">\n{body}\n</main>\n'
        f"<footer><p>{html.escape(engine_note)}</p></footer>\n</body>\n</html>\n"
    )


def render_python(folder: Path, quarter: str, council: str) -> list[Path]:
    """Render every executed notebook in ``folder`` to a page beside it (the fallback engine)."""
    written = []
    for name, title in PAGES:
        notebook = folder / f"{name}.ipynb"
        if not notebook.is_file():
            continue
        page = wrap_page(
            notebook_body(notebook),
            title=f"{council} {quarter}: {title}",
            current=name,
            quarter=f"{council}, {quarter}",
            engine_note="Rendered by outturn from the executed notebooks. "
            "Contains public sector information licensed under the Open "
            "Government Licence v3.0.",
        )
        out = folder / f"{name}.html"
        out.write_text(page, encoding="utf-8")
        written.append(out)
    return written


QUARTO_CSS = "outturn.css"
"""The house stylesheet's name beside a quarter's notebooks (badges, arrows, tables)."""


def quarto_project_yaml(template: Path) -> str:
    """Derive the per-quarter Quarto project file from the root ``_quarto.yml``.

    The root file describes the whole site; a quarter is rendered on its own as
    a default project in place, with the same format options.
    """
    import yaml

    root = yaml.safe_load(template.read_text(encoding="utf-8")) or {}
    formats = dict(root.get("format") or {"html": {}})
    html_options = dict(formats.get("html") or {})
    html_options["css"] = QUARTO_CSS  # copied beside the notebooks by render_quarto
    formats["html"] = html_options
    config = {
        "project": {"type": "default", "render": [f"{n}.ipynb" for n, _ in PAGES]},
        "execute": {"enabled": False},
        "format": formats,
    }
    return yaml.safe_dump(config, sort_keys=False)


def render_quarto(folder: Path, template: Path) -> list[Path]:
    """Render the quarter's executed notebooks with Quarto (execution off)."""
    (folder / "_quarto.yml").write_text(quarto_project_yaml(template), encoding="utf-8")
    (folder / QUARTO_CSS).write_text(page_css(), encoding="utf-8")
    result = subprocess.run(
        ["quarto", "render", str(folder), "--no-execute"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-8:])
        raise RenderError(
            f"quarto render failed for {folder}:\n{tail}\nFix the error above, "
            "or render with --engine python"
        )
    return sorted(folder.glob("*.html"))


def render_home(reports: Path, council: str) -> Path:
    """Write the home page listing every quarter produced, newest first."""
    from analysis.periods import parse_period

    quarters = []
    for folder in reports.iterdir():
        produced = folder.is_dir() and (folder / "index.html").is_file()
        if produced and not folder.name.startswith("."):
            try:
                quarters.append((parse_period(folder.name.replace("-Q", " Q")), folder.name))
            except OutturnError:
                continue
    quarters.sort(reverse=True)
    items = "".join(
        f'<li><a href="{slug}/index.html">{html.escape(p.label)}</a></li>' for p, slug in quarters
    )
    body = (
        f"<h1>{html.escape(council)} performance reports</h1>"
        f"<p>{len(quarters)} quarter(s) produced.</p><ul class='quarters'>{items}</ul>"
    )
    page = (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(council)} performance reports</title>\n"
        f'<style>{page_css()}</style>\n</head>\n<body>\n<main id="main">{body}</main>\n'
        "</body>\n</html>\n"
    )
    out = reports / "index.html"
    out.write_text(page, encoding="utf-8")
    return out
