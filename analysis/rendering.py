"""Turn executed notebooks into pages: Quarto when installed, else nbconvert and Markdown in Python.

Both engines read the same executed notebooks, whose outputs are Markdown
(:mod:`analysis.display`): headings, paragraphs, raw HTML tables and chart
images. Quarto renders them as a website in the quarter's folder with one
shared copy of its libraries; the fallback converts them with nbconvert and
markdown-it into self-contained pages with the same headings, navigation,
table of contents and footer.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import nbformat

from analysis.errors import OutturnError
from analysis.site import Site, dump, quarto_project

QUARTO_CSS = "outturn.css"
"""The house stylesheet's name beside a quarter's notebooks (badges, arrows, tables)."""
_HIDDEN_TAGS = {"parameters", "injected-parameters"}
_H1 = re.compile(r"^# (.+?)(?:\s+\{[^}]*\})?\s*$", re.M)


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


def quarto_version() -> str | None:
    """Return the installed Quarto's version (``1.7.34``), or None."""
    if not quarto_available():
        return None
    found = subprocess.run(["quarto", "--version"], capture_output=True, text=True, check=False)
    return found.stdout.strip() or None if found.returncode == 0 else None


def stylesheet(name: str = "outturn.css") -> str:
    """Return a stylesheet shipped with outturn (``outturn.css``: tables, marks, figures)."""
    return resources.files("analysis").joinpath(f"static/{name}").read_text("utf-8")


# --- what both engines read ----------------------------------------------------------------


def visible_cells(nb: nbformat.NotebookNode) -> list:
    """Return the cells a page shows: all but the parameters (written and injected)."""
    return [c for c in nb.cells if not _HIDDEN_TAGS & set(c.metadata.get("tags", []))]


def output_markdown(output: dict) -> str:
    """One output as Markdown: its own Markdown, HTML kept as a raw block, or its text."""
    data = output.get("data", {})
    if "text/markdown" in data:
        return _joined(data["text/markdown"])
    if "text/html" in data:  # a cell that bypassed analysis.display: keep it, as raw HTML
        return "```{=html}\n" + _joined(data["text/html"]) + "\n```"
    text = output.get("text") or data.get("text/plain")
    if text and output.get("name") != "stderr":
        return "```\n" + _joined(text).rstrip() + "\n```"
    return ""


def _joined(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def page_title(nb: nbformat.NotebookNode) -> str:
    """Return the page's title: its first level-1 heading (the notebook writes it), else ''."""
    for cell in visible_cells(nb):
        texts = [cell.source] if cell.cell_type == "markdown" else []
        texts += [output_markdown(o) for o in cell.get("outputs", [])]
        for text in texts:
            found = _H1.search(text)
            if found:
                return _unescape(found.group(1))
    return ""


def _unescape(text: str) -> str:
    return re.sub(r"\\([^\w\s])", r"\1", text)


# --- Quarto --------------------------------------------------------------------------------


def body_class(page: str) -> str:
    """Return the class a page's ``<body>`` carries (``outturn-index``): the print style's hook."""
    return f"outturn-{re.sub(r'[^A-Za-z0-9_-]', '-', page)}"


def prepare_for_quarto(nb: nbformat.NotebookNode, page: str | None = None) -> nbformat.NotebookNode:
    """Give Quarto the page's title as front matter and only Markdown outputs.

    The title is the notebook's own level-1 heading, moved out of its output
    into a front-matter cell, so that Quarto shows it as the page title (and in
    ``<title>``) and promotes no other heading. An HTML output becomes a raw
    HTML Markdown block: any ``text/html`` output makes Quarto add scripts
    from a CDN to the page.
    """
    title = ""
    for cell in nb.cells:
        # run timings and ids are not the page's content (Quarto writes them as attributes)
        cell.metadata = {k: v for k, v in cell.metadata.items() if k == "tags" and v}
        if cell.cell_type == "code":
            cell.execution_count = None
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data or "application/javascript" in data:
                markdown = output_markdown(output)
                output["data"] = data = {"text/markdown": markdown, "text/plain": markdown}
            found = _H1.search(_joined(data["text/markdown"])) if "text/markdown" in data else None
            if found and not title:
                text = _joined(data["text/markdown"])
                title = _unescape(found.group(1))
                data["text/markdown"] = (text[: found.start()] + text[found.end() :]).strip()
    if title:
        matter = {"title": title, "pagetitle": title}
        if page:
            matter["body-classes"] = body_class(page)
        front = dump(matter)
        nb.cells.insert(0, nbformat.v4.new_raw_cell("---\n" + front + "---"))
    return nb


def page_title_text(text: str) -> str:
    """Return the first level-1 heading's text in ``text``."""
    found = _H1.search(text)
    return _unescape(found.group(1)) if found else ""


def render_quarto(folder: Path, site: Site, config: dict) -> list[Path]:
    """Render the quarter's executed notebooks with Quarto, as one website (execution off)."""
    for page in site.pages:
        path = folder / f"{page.name}.ipynb"
        nbformat.write(prepare_for_quarto(nbformat.read(path, as_version=4), page.name), path)
    (folder / "_quarto.yml").write_text(dump(quarto_project(site, config, QUARTO_CSS)), "utf-8")
    (folder / QUARTO_CSS).write_text(stylesheet(), encoding="utf-8")
    result = subprocess.run(
        ["quarto", "render", str(folder), "--no-execute", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        cwd=folder,
    )
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-8:])
        raise RenderError(
            f"quarto render failed for {folder}:\n{tail}\nFix the error above, "
            "or render with --engine python"
        )
    for leftover in (".quarto", "search.json", "sitemap.xml"):
        target = folder / leftover
        shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(True)
    pages = [folder / f"{p.name}.html" for p in site.pages]
    for page in pages:
        page.write_text(tidy_quarto_html(page.read_text("utf-8")), encoding="utf-8")
    return pages


def tidy_quarto_html(page: str) -> str:
    """Mend two things Quarto 1.7's navigation bar does that accessibility checks fail.

    The bar gets a name, so it is told apart from the contents (two unnamed
    navigation landmarks); its menu button loses ``role="menu"``, which a
    button may not have (it opens a list of links, not a menu).
    """
    page = re.sub(
        r'<nav class="(navbar[^"]*)"', r'<nav class="\1" aria-label="Report pages"', page, count=1
    )
    return re.sub(r'(<button class="navbar-toggler"[^>]*?) role="menu"', r"\1", page, count=1)


# --- the fallback: nbconvert and markdown-it -----------------------------------------------


def notebook_markdown(path: Path) -> str:
    """Return the page's Markdown, by nbconvert: Markdown cells and outputs in order, code hidden.

    The parameters cells and anything a cell wrote to stderr (warnings) are left out,
    as Quarto leaves them out (``warning: false``).
    """
    from nbconvert import MarkdownExporter
    from traitlets.config import Config

    nb = nbformat.read(path, as_version=4)
    nb.cells = visible_cells(nb)
    for cell in nb.cells:
        cell["outputs"] = [o for o in cell.get("outputs", []) if o.get("name") != "stderr"]
    config = Config()
    config.MarkdownExporter.exclude_input = True
    body, _ = MarkdownExporter(config=config).from_notebook_node(nb)
    return body


def render_python(folder: Path, site: Site) -> list[Path]:
    """Render every page's executed notebook to a self-contained page beside it."""
    from analysis.markup import markdown_to_html, nav_html, page_html, print_css, toc_html
    from analysis.outputs import write_text

    css = [stylesheet(), stylesheet("fallback.css"), print_css(site.title)]
    written = []
    for page in site.pages:
        text = notebook_markdown(folder / f"{page.name}.ipynb")
        body, headings = markdown_to_html(text)
        title = page_title_text(text) or f"{site.title}: {page.title}"
        html = page_html(
            body,
            title=title,
            nav=nav_html(site.links, f"{page.name}.html", site.title),
            toc=toc_html([(i, t) for level, i, t in headings if level == 2]),
            footer=site.footer,
            css=css,
            body_class=body_class(page.name),
        )
        written.append(write_text(folder / f"{page.name}.html", html))
    return written


def render_home(reports: Path, council: str) -> Path:
    """Write the home page listing every quarter produced, newest first."""
    from analysis.markup import home_html
    from analysis.periods import parse_period

    quarters = []
    for folder in reports.iterdir():
        produced = folder.is_dir() and (folder / "index.html").is_file()
        if produced and not folder.name.startswith((".", "_")):
            try:
                quarters.append((parse_period(folder.name.replace("-Q", " Q")), folder.name))
            except OutturnError:
                continue
    quarters.sort(reverse=True)
    links = [(f"{slug}/index.html", p.label) for p, slug in quarters]
    css = stylesheet() + stylesheet("fallback.css")
    from analysis.outputs import write_text

    return write_text(
        reports / "index.html", home_html(f"{council} performance reports", links, css)
    )
