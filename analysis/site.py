"""The report's pages and their order, read from one place: the project's ``_quarto.yml``.

``website.navbar.left`` lists the pages in order, each a notebook in
``notebooks/`` with the text its navigation link shows. A notebook dropped
into ``notebooks/`` that the list does not name is added after the listed
pages (in name order, titled from its file name); a name starting with ``_``
keeps a notebook out of the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis.config import ProjectPaths
from analysis.errors import ConfigError, OutturnError

DEFAULT_PAGES = (
    ("index", "Overview"),
    ("exceptions", "Exception reports"),
    ("methods", "Methods"),
    ("data", "Data checks"),
)
"""The four pages of the bundled report, when ``_quarto.yml`` lists none."""
HOME = ("../index.html", "All quarters")
"""The last navigation link: the list of every quarter produced."""


@dataclass(frozen=True)
class Page:
    """One report page: the notebook it comes from and its navigation text."""

    name: str
    title: str
    source: Path


@dataclass(frozen=True)
class Site:
    """What every page of one quarter shares: its pages, its title and its footer."""

    title: str
    pages: tuple[Page, ...]
    footer: tuple[str, ...]

    @property
    def links(self) -> list[tuple[str, str]]:
        """Navigation links (href, text): every page, then all quarters."""
        return [(f"{p.name}.html", p.title) for p in self.pages] + [HOME]


def read_config(paths: ProjectPaths) -> dict:
    """Return the project's ``_quarto.yml`` (or outturn's own), parsed."""
    from analysis.config import read_yaml

    raw = read_yaml(paths.quarto_config)
    if not isinstance(raw, dict):
        raise ConfigError(f"{paths.quarto_config}: expected a mapping (project:, format: ...)")
    return raw


def _listed(config: dict, folder: Path, file: Path) -> list[tuple[str, str]]:
    """(name, title) of each notebook page ``website.navbar.left`` lists, in order."""
    items = ((config.get("website") or {}).get("navbar") or {}).get("left") or []
    found = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not item.get("href"):
            raise ConfigError(
                f"{file}: website.navbar.left item {n} needs 'href' (a notebook such as "
                "notebooks/index.ipynb) and 'text'"
            )
        href = Path(str(item["href"]))
        if href.suffix not in (".ipynb", ".py") or href.parent.name != folder.name:
            continue  # a link elsewhere (e.g. "All quarters") is not a page
        found.append((href.stem, str(item.get("text") or href.stem)))
    return found or list(DEFAULT_PAGES)


def notebook_source(folder: Path, name: str) -> Path | None:
    """Return the template of a page: ``name.ipynb``, else its ``py:percent`` twin, else None."""
    for suffix in (".ipynb", ".py"):
        path = folder / f"{name}{suffix}"
        if path.is_file():
            return path
    return None


def read_pages(paths: ProjectPaths) -> tuple[Page, ...]:
    """Return the report's pages in order: those ``_quarto.yml`` lists, then any other notebook."""
    folder = paths.notebooks
    listed = _listed(read_config(paths), folder, paths.quarto_config)
    names = {name for name, _ in listed}
    extra = sorted({p.stem for p in folder.glob("*.ipynb")} | {p.stem for p in folder.glob("*.py")})
    listed += [
        (name, name.replace("_", " ").replace("-", " ").capitalize())
        for name in extra
        if name not in names and not name.startswith(("_", "."))
    ]
    pages = []
    for name, title in listed:
        source = notebook_source(folder, name)
        if source is None:
            raise OutturnError(
                f"{paths.quarto_config} lists the page {name!r} but {folder} has no "
                f"{name}.ipynb or {name}.py; add the notebook or remove it from "
                "website.navbar.left"
            )
        pages.append(Page(name, title, source))
    return tuple(pages)


def check_twins(pages: tuple[Page, ...]) -> None:
    """Stop when a notebook and its ``.py`` twin say different things, naming the newer one."""
    import jupytext

    for page in pages:
        ipynb, twin = page.source.with_suffix(".ipynb"), page.source.with_suffix(".py")
        if not (ipynb.is_file() and twin.is_file()):
            continue
        ours, theirs = jupytext.read(ipynb), jupytext.read(twin)
        same = [(c.cell_type, c.source.strip()) for c in ours.cells] == [
            (c.cell_type, c.source.strip()) for c in theirs.cells
        ]
        if not same:
            newer, older = (
                (twin, ipynb) if twin.stat().st_mtime >= ipynb.stat().st_mtime else (ipynb, twin)
            )
            raise OutturnError(
                f"{newer} and {older.name} differ, and {newer.name} is the newer. Bring them "
                f"into step with: jupytext --sync {newer} (it keeps the newer one's cells), "
                f"or delete the twin you did not mean to edit"
            )


def footer_lines(sources: dict) -> tuple[str, ...]:
    """Return the footer: the licence line, and the publishers the figures come from."""
    from analysis.markup import OGL

    publishers = sorted({str(s.get("publisher")) for s in sources.values() if s.get("publisher")})
    lines = [OGL]
    if publishers:
        lines.append("Sources: " + "; ".join(publishers) + ".")
    return tuple(lines)


def quarto_project(site: Site, config: dict, css: str) -> dict:
    """Return the quarter's Quarto project: a website rendered in place from executed notebooks.

    It takes the format options of the project's ``_quarto.yml`` and adds what
    a quarter needs: its pages, their navigation, the footer, the house
    stylesheet, the print style (the report's name and page numbers on every
    printed page), and the options that keep every page offline and every
    heading read as itself (no anchor links inside headings).
    """
    from analysis.markup import print_style_html

    formats = dict(config.get("format") or {"html": {}})
    html = dict(formats.get("html") or {})
    html.update(css=css, **{"html-table-processing": "none", "html-math-method": "plain"})
    # anchor links would be read as part of each heading ("Children looked after Anchor");
    # the contents link to every section instead
    html["anchor-sections"] = False
    included = html.get("include-in-header") or []
    included = included if isinstance(included, list) else [included]
    html["include-in-header"] = [*included, {"text": print_style_html(site.title)}]
    formats["html"] = html
    nav = [{"text": p.title, "href": f"{p.name}.ipynb"} for p in site.pages]
    nav.append({"text": HOME[1], "href": HOME[0]})
    return {
        "project": {
            "type": "website",
            "output-dir": ".",
            "render": [f"{p.name}.ipynb" for p in site.pages],
        },
        "execute": {"enabled": False, "echo": False, "output": "asis", "warning": False},
        "website": {
            "search": False,  # the page's own title is the whole <title>: no site prefix
            "navbar": {"title": site.title, "left": nav},
            "page-footer": {"left": " ".join(site.footer)},
        },
        "format": formats,
    }


def dump(config: dict) -> str:
    """YAML text of a configuration, keys in the order given."""
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
