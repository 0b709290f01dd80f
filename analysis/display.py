"""Show report blocks in a notebook as Markdown: the structure Quarto and the fallback both read.

Every output is ``text/markdown`` (never ``text/html``: Quarto adds jQuery and
require.js from a CDN to any page with an HTML output). Headings are real
Markdown headings, so they reach the table of contents; tables travel as raw
HTML blocks (``{=html}``) so their captions and header scopes survive; charts
are written once as SVG files beside the notebook and shown as images with
their text alternative.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.tables import Table

CHART_DIR = "charts"
"""Where charts are written, beside the executed notebook."""
MEDIA = ("page", "document")
"""What blocks are shown for: web pages, or the Word and PDF documents (see :func:`use_medium`)."""
_MEDIUM = {"now": "page"}
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+\-!|~^$@&=:])")
"""Markdown and Pandoc syntax characters; quotes stay plain so both engines curl them alike."""


def escape_markdown(text: object, collapse: bool = True) -> str:
    """Make text literal in Markdown (Pandoc's and CommonMark's): no markup, no raw HTML.

    ``collapse`` joins lines and runs of spaces into single spaces.
    """
    flat = " ".join(str(text).split()) if collapse else str(text).replace("\n", " ")
    escaped = _SPECIAL.sub(r"\\\1", flat)
    return re.sub(r"^(\s*\d+)([.)])", r"\1\\\2", escaped)


@dataclass(frozen=True)
class Heading:
    """A document heading (``level`` 2 for a section, 3 for a part of one).

    ``classes`` mark what the heading starts (``indicator``: an exception
    report, which a printed page starts on a new sheet).
    """

    text: str
    level: int = 2
    anchor: str | None = None
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    """Plain text shown as one paragraph (escaped: never read as markup)."""

    text: str
    strong: str = ""


@dataclass(frozen=True)
class Bullets:
    """Plain-text items shown as a bulleted list."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Markdown:
    """Markdown that is already safe (written by the analyst, or sanitised commentary)."""

    text: str


@dataclass(frozen=True)
class Figure:
    """A chart with an optional caption; its text alternative is the chart's description."""

    chart: object  # an altair chart
    caption: str = ""


@dataclass(frozen=True)
class PageBreak:
    """A new page in the Word and PDF documents; nothing on a web page (its print CSS decides)."""


@dataclass(frozen=True)
class Orientation:
    """From here on, pages are landscape (``landscape=True``) or portrait, in the documents."""

    landscape: bool


Block = (
    Heading | Paragraph | Bullets | Markdown | Figure | Table | PageBreak | Orientation
    | pd.DataFrame | str
)  # fmt: skip


def use_medium(medium: str) -> None:
    """Show blocks for web pages (``page``, the default) or the documents (``document``).

    For the documents, charts are PNG images with their description printed
    under them, tables carry column widths and a caption typst keeps, symbols in
    a wide table stand alone (the key gives their words), and page breaks and
    landscape pages become Word and typst markup.
    """
    if medium not in MEDIA:
        raise ValueError(f"unknown medium {medium!r}; use one of {', '.join(MEDIA)}")
    _MEDIUM["now"] = medium


def medium() -> str:
    """Return what blocks are shown for now: ``page`` or ``document``."""
    return _MEDIUM["now"]


def raw_block(fmt: str, text: str) -> str:
    """Return a Pandoc raw block for one output format (others leave it out)."""
    return f"```{{={fmt}}}\n{text}\n```"


def typst_string(text: str) -> str:
    """Return text as a typst string literal (quoted, backslashes and quotes escaped)."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


WORD_PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
WORD_SECTION_END = '<w:p><w:pPr><w:sectPr><w:pgSz w:orient="{}"/></w:sectPr></w:pPr></w:p>'
"""Ends a Word section; :func:`analysis.documents.finish_docx` completes it (size, margins)."""


def page_break_markdown(_: PageBreak) -> str:
    """Return a page break for Word and typst (nothing on a web page)."""
    if medium() != "document":
        return ""
    return (
        raw_block("openxml", WORD_PAGE_BREAK)
        + "\n\n"
        + raw_block("typst", "#pagebreak(weak: true)")
    )


def orientation_markdown(o: Orientation) -> str:
    """Return the switch to landscape (or back) for Word and typst (nothing on a web page).

    In Word a section ends at a paragraph holding its settings, so the section
    that ends here has the other orientation.
    """
    if medium() != "document":
        return ""
    ending = "portrait" if o.landscape else "landscape"
    flipped = "true" if o.landscape else "false"
    return (
        raw_block("openxml", WORD_SECTION_END.format(ending))
        + "\n\n"
        + raw_block("typst", f"#set page(flipped: {flipped})")
    )


def heading_markdown(h: Heading) -> str:
    """``## Children looked after {#cla .indicator}``."""
    parts = ([f"#{h.anchor}"] if h.anchor else []) + [f".{c}" for c in h.classes]
    attrs = f" {{{' '.join(parts)}}}" if parts else ""
    return f"{'#' * h.level} {escape_markdown(h.text)}{attrs}"


def table_markdown(table: Table) -> str:
    """Return a table as a raw HTML block: Quarto passes it through; the fallback does the same.

    For the documents, Quarto turns the HTML table into a real Word or typst
    table; its caption reaches Word, and is given to typst (which Quarto would
    leave without it) as a heading line of its own just before the table.
    """
    from analysis.markup import table_html

    if table.empty:
        return ""
    document = medium() == "document"
    block = "```{=html}\n" + table_html(table, document=document) + "\n```"
    if document and table.caption:
        caption = (
            "#block(above: 1.2em, below: 0.5em, sticky: true, "
            f'text(weight: "bold", {typst_string(table.caption)}))'
        )
        block = raw_block("typst", caption) + "\n\n" + block
    return block


def chart_name(spec: dict) -> str:
    """Return a stable file name for a chart: its own ``name``, else a hash of its spec."""
    import json

    name = spec.get("name")
    if name and re.fullmatch(r"[A-Za-z0-9_.-]+", str(name)):
        return str(name)
    digest = hashlib.sha1(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    return f"chart-{digest[:12]}"


def chart_title_text(spec: dict) -> str:
    """Return a chart's title as one line of text."""
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    joined = " ".join(text) if isinstance(text, list) else str(text)
    return " ".join(joined.split())


def document_figure_markdown(fig: Figure, folder: Path | None = None) -> str:
    """Write the chart as a PNG under ``charts/``; return the image, its caption and description.

    Word cannot show SVG without a converter, and a reader of paper cannot read
    alternative text: the description is printed under the chart as well.
    """
    from analysis.charts import chart_png

    spec = fig.chart.to_dict()
    name = chart_name(spec)
    out = (folder or Path.cwd()) / CHART_DIR / f"{name}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(chart_png(fig.chart))
    described = " ".join(str(spec.get("description", "")).split())
    alt = described.replace('"', "'")
    caption = escape_markdown(fig.caption) if fig.caption else ""
    image = f'![{caption}]({CHART_DIR}/{name}.png){{fig-alt="{alt}" width="100%"}}'
    if not described:
        return image
    return image + "\n\n" + paragraph_markdown(Paragraph(described, strong="Chart description:"))


def figure_markdown(fig: Figure, folder: Path | None = None) -> str:
    """Write the chart's SVG under ``charts/`` and return the Markdown image with its alt text."""
    from analysis.charts import chart_data, chart_svg

    if medium() == "document":
        return document_figure_markdown(fig, folder)
    spec = fig.chart.to_dict()
    name = chart_name(spec)
    out = (folder or Path.cwd()) / CHART_DIR / f"{name}.svg"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(chart_svg(fig.chart, spec), encoding="utf-8")
    alt = " ".join(str(spec.get("description", "")).split()).replace('"', "'")
    caption = escape_markdown(fig.caption) if fig.caption else ""
    image = f'![{caption}]({CHART_DIR}/{name}.svg){{fig-alt="{alt}"}}'
    data = chart_data(spec)
    if data.empty:
        return image
    data.to_csv(out.with_suffix(".csv"), index=False)
    link = escape_markdown(f"Data behind the chart: {chart_title_text(spec)} (CSV)")
    return f"{image}\n\n[{link}]({CHART_DIR}/{name}.csv){{.chart-data}}"


def paragraph_markdown(p: Paragraph) -> str:
    """Return a paragraph of escaped text, with an optional bold lead."""
    lead = f"**{escape_markdown(p.strong)}** " if p.strong else ""
    return lead + escape_markdown(p.text) if p.text else ""


def bullets_markdown(b: Bullets) -> str:
    """Return a bulleted list of escaped items."""
    return "\n".join(f"- {escape_markdown(i)}" for i in b.items if i)


_CONVERTERS = {
    Heading: heading_markdown,
    Paragraph: paragraph_markdown,
    Bullets: bullets_markdown,
    Markdown: lambda m: m.text.strip(),
    Table: table_markdown,
    pd.DataFrame: lambda f: table_markdown(Table(f.astype(str), "")),
    Figure: figure_markdown,
    PageBreak: page_break_markdown,
    Orientation: orientation_markdown,
}


def to_markdown(block: Block | Iterable | None) -> str:
    """Turn one block (or a list of blocks) into Markdown; '' for nothing."""
    if block is None:
        return ""
    if isinstance(block, str):
        return block.strip()
    for kind, convert in _CONVERTERS.items():
        if isinstance(block, kind):
            return convert(block)
    if _is_chart(block):
        return figure_markdown(Figure(block))
    return "\n\n".join(m for b in block if (m := to_markdown(b)))


def _is_chart(obj: object) -> bool:
    return type(obj).__module__.startswith("altair") and hasattr(obj, "to_dict")


def show(*blocks: Block | Iterable | None) -> None:
    """Display blocks in the notebook as one Markdown output (nothing for empty blocks)."""
    from IPython.display import display

    text = to_markdown(list(blocks))
    if text:  # blank lines around: Quarto joins a cell's outputs as they are
        display({"text/markdown": f"\n{text}\n\n", "text/plain": text}, raw=True)


def install() -> None:
    """Make a bare table, data frame or chart at the end of a cell show as Markdown too."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return
    shell = get_ipython()
    if shell is None:
        return
    pd.set_option("display.notebook_repr_html", False)
    formatter = shell.display_formatter.formatters["text/markdown"]
    for kind in (Table, pd.DataFrame, Heading, Paragraph, Bullets, Markdown, Figure):
        formatter.for_type(kind, to_markdown)
    formatter.for_type_by_name("altair.vegalite.v5.api", "Chart", to_markdown)
    formatter.for_type_by_name("altair.vegalite.v5.api", "LayerChart", to_markdown)
    html = shell.display_formatter.formatters["text/html"]
    html.enabled = False  # no text/html output: Quarto would fetch jQuery from a CDN for it
