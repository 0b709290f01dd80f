"""The only HTML outturn writes: accessible tables and marks, and the fallback page shell."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import pandas as pd

from analysis.tables import Mark, Table

OGL = "Contains public sector information licensed under the Open Government Licence v3.0."


def esc(text: object) -> str:
    """Escape text for HTML (quotes too)."""
    return html.escape(str(text), quote=True)


def icon_svg(letter: str) -> str:
    """Return a Making Data Count style round icon; decorative, the badge's words say the same."""
    if not letter:
        return ""
    return (
        '<svg class="mdc-icon" aria-hidden="true" focusable="false" viewBox="0 0 20 20" '
        'width="18" height="18"><circle cx="10" cy="10" r="9.5" fill="currentColor"/>'
        '<text x="10" y="14.5" text-anchor="middle" font-size="13" font-weight="bold" '
        f'font-family="Arial, sans-serif" fill="#fff">{esc(letter)}</text></svg>'
    )


def mark_html(mark: Mark) -> str:
    """Return a mark as HTML: symbols hidden from screen readers, words always present."""
    title = f' title="{esc(mark.title)}"' if mark.title else ""
    if mark.kind == "rag":
        return (
            f'<span class="rag rag-{esc(mark.tone)}"{title}>'
            f'<span class="rag-shape" aria-hidden="true">{esc(mark.symbol)}</span> '
            f"{esc(mark.words)}</span>"
        )
    if mark.kind == "badge":
        return (
            f'<span class="signal signal-{esc(mark.tone)}"{title}>'
            f"{icon_svg(mark.icon)}{esc(mark.words)}</span>"
        )
    if not mark.symbol:
        return f'<span class="dot dot-na">{esc(mark.words)}</span>'
    return (
        f'<span class="dot dot-{esc(mark.tone)}"{title}>'
        f'<span aria-hidden="true">{esc(mark.symbol)}</span>'
        f'<span class="visually-hidden"> {esc(mark.words)}</span></span>'
    )


def mark_text(mark: Mark, compact: bool = False) -> str:
    """Return a mark for the documents, as plain text: symbols and words, or symbols alone.

    ``compact`` (a wide table, whose key gives the words) keeps an arrow and tick
    alone; a badge is always its words (its round icon letter is for the screen).
    """
    if mark.kind == "badge" or not mark.symbol:
        return esc(mark.words)
    return esc(mark.symbol if compact else f"{mark.symbol} {mark.words}")


def cell_html(value: object, document: bool = False, compact: bool = False) -> str:
    """One cell's content: a mark, or escaped text (``document``: marks as plain text)."""
    if isinstance(value, Mark):
        return mark_text(value, compact) if document else mark_html(value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return esc(value)


COMPACT_COLUMNS = 9
"""A document table with this many columns or more shows arrows and ticks without words."""
_WIDEST_CELL = 28
"""Characters a column is given room for at most: longer text wraps."""
PAGE_CHARACTERS = {False: 100, True: 150}
"""About how many characters of table text fit across a page: portrait, and landscape (the
wide tables, which the appendix puts on landscape pages)."""


def _plain(value: object, compact: bool) -> str:
    if isinstance(value, Mark):
        return html.unescape(mark_text(value, compact))
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def column_widths(table: Table) -> list[float]:
    """Return each column's share of the page width (percent), from its text.

    Every column first gets room for its longest word (a bold heading's words
    count a little wider), so no word is cut; what the page has left is shared
    out in proportion to the room each column would like for its longest cell
    (up to ``_WIDEST_CELL`` characters; longer text wraps).
    """
    frame = table.frame
    compact = len(frame.columns) >= COMPACT_COLUMNS
    least, like = [], []
    for col in frame.columns:
        cells = [_plain(v, compact) for v in frame[col]]
        words = [len(w) * 1.15 for w in str(col).split()] + [
            len(w) for v in cells for w in v.split()
        ]
        least.append(max(words, default=1) + 1.5)
        like.append(max([len(v) for v in cells] + [least[-1]]) + 1.5)
    like = [min(w, _WIDEST_CELL) for w in like]
    room = PAGE_CHARACTERS[compact]
    spare = room - sum(least)
    wanted = [max(w - m, 0) for w, m in zip(like, least, strict=True)]
    if spare > 0 and sum(wanted) > 0:
        share = min(1.0, spare / sum(wanted))
        least = [m + share * w for m, w in zip(least, wanted, strict=True)]
    total = sum(least)
    return [round(100 * n / total, 1) for n in least]


def _colgroup(table: Table) -> str:
    cols = "".join(f'<col style="width: {w}%">' for w in column_widths(table))
    return f"<colgroup>{cols}</colgroup>"


def _short(value: object) -> bool:
    """Return True for an arrow-and-tick mark, or a short word (``Yes``, ``No``, ``n/a``)."""
    if isinstance(value, Mark):
        return value.kind == "dot"
    return str(value) in ("Yes", "No", "n/a", "")


def symbol_columns(table: Table) -> set[str]:
    """Return a wide table's narrow columns: arrows or short words under a long heading.

    Their headings are turned upright on a screen, so the column is as narrow as
    its cells.
    """
    frame = table.frame
    if len(frame.columns) < COMPACT_COLUMNS or frame.empty:
        return set()
    return {
        c
        for c in frame.columns
        if len(str(c)) > 6
        and c != table.row_header
        and c not in table.numeric
        and all(_short(v) for v in frame[c])
    }


def _classes(column: str, table: Table, symbols: set[str], document: bool) -> str:
    names = (["num"] if column in table.numeric else []) + (["sym"] if column in symbols else [])
    if not names:
        return ""
    style = ' style="text-align: right"' if document and "num" in names else ""
    return f' class="{" ".join(names)}"{style}'


def table_html(table: Table, document: bool = False) -> str:
    """Return an accessible table: caption, ``th`` with scopes, row headers, numbers right.

    On a page the table sits in a region of its own that scrolls sideways when
    the screen is too narrow (focusable, named by the caption, so a keyboard can
    scroll it); a wide table (``COMPACT_COLUMNS`` or more) is marked ``wide`` for
    its compact layout, and columns of arrows ``sym`` (their headings turn
    upright). ``document``: for the Word and PDF documents (Quarto reads the HTML
    into a real table): column widths from the content, marks as plain text.
    """
    frame = table.frame
    wide = len(frame.columns) >= COMPACT_COLUMNS
    compact = document and wide
    symbols = set() if document else symbol_columns(table)
    head = "".join(
        f'<th scope="col"{_classes(c, table, symbols, document)}>{_heading(c, c in symbols)}</th>'
        for c in frame.columns
    )
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for col, value in zip(frame.columns, row, strict=True):
            content = cell_html(value, document, compact)
            if col == table.row_header:
                cells.append(f'<th scope="row">{content}</th>')
            else:
                cells.append(f"<td{_classes(col, table, symbols, document)}>{content}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    caption = f"<caption>{esc(table.caption)}</caption>" if table.caption else ""
    widths = _colgroup(table) if document else ""
    kind = "outturn-table wide" if wide else "outturn-table"
    html_table = (
        f'<table class="{kind}">{caption}{widths}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
    if document:
        return html_table
    label = esc(table.caption or "Table")
    scroll = "table-scroll wide" if wide else "table-scroll"
    region = f'class="{scroll}" role="region" aria-label="{label}" tabindex="0"'
    hint = f'<p class="scroll-hint" aria-hidden="true">{SCROLL_HINT}</p>' if wide else ""
    return f"{hint}<div {region}>{html_table}</div>"


SCROLL_HINT = "Scroll the table sideways to see every column."
"""Shown over a wide table on a narrow screen (a phone shows no scroll bar until touched)."""


def _heading(column: str, upright: bool) -> str:
    """Return a column heading (over a column of arrows, turned upright by the stylesheet)."""
    return f'<span class="upright">{esc(column)}</span>' if upright else esc(column)


# --- printing: the running line and page numbers ------------------------------------------


def css_string(text: str) -> str:
    """Return text as a CSS string (quoted; quotes, backslashes and ``<`` escaped)."""
    escaped = str(text).replace("\\", "\\5c ").replace('"', "\\22 ").replace("<", "\\3c ")
    return f'"{" ".join(escaped.split())}"'


def print_css(running: str) -> str:
    """Return the print style naming the report on every page, and numbering the pages.

    Page margin boxes: Chromium and Edge (version 131 on) print them; other
    browsers leave them out and print the pages without.
    """
    margin = (
        f"@top-right {{ content: {css_string(running)}; font: 8pt Arial, sans-serif; "
        "color: #505a5f; }\n"
        '  @bottom-right { content: "Page " counter(page) " of " counter(pages); '
        "font: 8pt Arial, sans-serif; color: #505a5f; }"
    )
    return f"@page {{\n  {margin}\n}}\n@page wide {{\n  {margin}\n}}\n"


NO_ICON = '<link rel="icon" href="data:,">'
"""The page has no icon: without it a browser asks the intranet server for /favicon.ico (404)."""


def print_style_html(running: str) -> str:
    """Return :func:`print_css` as a ``<style>`` element for a page's head (and no icon)."""
    return f'{NO_ICON}\n<style media="print">\n{print_css(running)}</style>'


# --- the fallback engine's page shell -----------------------------------------------------


def nav_html(links: Sequence[tuple[str, str]], current: str, label: str) -> str:
    """Return the report's navigation: (href, text) pairs, the current page marked."""
    items = []
    for href, text in links:
        here = ' aria-current="page"' if href == current else ""
        items.append(f'<li><a href="{esc(href)}"{here}>{esc(text)}</a></li>')
    return (
        f'<nav class="site-nav" aria-label="Report pages"><p class="site-title">{esc(label)}</p>'
        f"<ul>{''.join(items)}</ul></nav>"
    )


def toc_html(entries: Sequence[tuple[str, str]]) -> str:
    """Return the page's table of contents (its level-2 headings), open without any script."""
    if not entries:
        return ""
    items = "".join(f'<li><a href="#{esc(i)}">{esc(t)}</a></li>' for i, t in entries)
    return (
        '<nav id="TOC" class="toc" aria-labelledby="toc-title">'
        f'<h2 id="toc-title">On this page</h2><ul>{items}</ul></nav>'
    )


def page_html(
    body: str,
    *,
    title: str,
    nav: str,
    toc: str,
    footer: Sequence[str],
    css: Sequence[str],
    body_class: str = "",
) -> str:
    """Return a complete, self-contained HTML page (no scripts; stylesheets inlined)."""
    styles = "".join(f"<style>{c}</style>\n" for c in css)
    foot = "".join(f"<p>{esc(line)}</p>" for line in footer)
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{NO_ICON}\n<title>{esc(title)}</title>\n{styles}</head>\n"
        + (f'<body class="{esc(body_class)}">\n' if body_class else "<body>\n")
        + '<a class="skip-link" href="#main">Skip to content</a>\n'
        f"<header>{nav}</header>\n"
        f'<div class="page"><main id="main">\n{body}\n</main>{toc}</div>\n'
        f'<footer class="site-footer">{foot}</footer>\n</body>\n</html>\n'
    )


def home_html(title: str, quarters: Sequence[tuple[str, str]], css: str) -> str:
    """Return the list of every quarter produced: (href, label), newest first."""
    items = "".join(f'<li><a href="{esc(h)}">{esc(label)}</a></li>' for h, label in quarters)
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{NO_ICON}\n<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        f'<main id="main"><h1>{esc(title)}</h1><p>{len(quarters)} quarter(s) produced.</p>'
        f'<ul class="quarters">{items}</ul></main>\n'
        f'<footer class="site-footer"><p>{esc(OGL)}</p></footer>\n</body>\n</html>\n'
    )


# --- Markdown to HTML for the fallback engine ----------------------------------------------

_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")


def pandoc_identifier(text: str, seen: set[str]) -> str:
    """Return an id for a heading, made as Pandoc makes it (so both engines link alike)."""
    ident = re.sub(r"[^\w\s.-]", "", text.lower(), flags=re.UNICODE)
    ident = re.sub(r"\s+", "-", ident.strip())
    ident = re.sub(r"^[^a-z]+", "", ident) or "section"
    base, n = ident, 0
    while ident in seen:
        n += 1
        ident = f"{base}-{n}"
    seen.add(ident)
    return ident


def _heading_ids(state) -> None:  # noqa: ANN001 - a markdown-it StateCore
    """Take ``{#id .class}`` off the end of headings as Pandoc does; give every heading an id."""
    seen: set[str] = set()
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[i + 1]
        found = _ATTRS.search(inline.content)
        wanted, classes = None, []
        if found and found.group(1).strip().startswith(("#", ".")):
            parts = found.group(1).split()
            ids = [p[1:] for p in parts if p.startswith("#")]
            wanted = ids[0] if ids else None
            classes = [p[1:] for p in parts if p.startswith(".")]
            inline.content = inline.content[: found.start()]
            last = inline.children[-1] if inline.children else None
            if last is not None and last.type == "text":
                last.content = _ATTRS.sub("", last.content)
        text = "".join(
            c.content for c in inline.children or [] if c.type in ("text", "code_inline")
        )
        ident = wanted or pandoc_identifier(text, seen)
        seen.add(ident)
        token.attrSet("id", ident)
        if classes:
            token.attrSet("class", " ".join(classes))
        state.env.setdefault("headings", []).append((int(token.tag[1]), ident, text.strip()))


def _fence(self, tokens, idx, options, env) -> str:  # noqa: ANN001
    """Return a ``{=html}`` fence as raw HTML and drop other formats' (as Pandoc does).

    Any other fence is code.
    """
    token = tokens[idx]
    info = token.info.strip()
    if info == "{=html}":
        return token.content
    if re.fullmatch(r"\{=[\w-]+\}", info):
        return ""  # raw Word or typst markup: for the documents, not a page
    return f"<pre><code>{esc(token.content)}</code></pre>\n"


def _image(self, tokens, idx, options, env) -> str:  # noqa: ANN001
    """Return an image with ``{fig-alt=...}``: a figure whose caption is the bracketed text."""
    token = tokens[idx]
    caption = self.renderInline(token.children or [], options, env)
    alt = token.attrGet("fig-alt") or token.content
    img = f'<img src="{esc(token.attrGet("src"))}" alt="{esc(alt)}">'
    cap = f"<figcaption>{caption}</figcaption>" if caption.strip() else ""
    return f'<figure class="chart">{img}{cap}</figure>'


def markdown_to_html(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """Render a page's Markdown to HTML, and list its headings as (level, id, text).

    Pandoc's habits that the report relies on are kept: ``{#id}`` after a
    heading, ``{=html}`` raw blocks, ``{fig-alt="..."}`` on images, smart quotes.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_plugin

    md = (
        MarkdownIt("commonmark", {"html": True, "typographer": True})
        .enable(["table", "replacements", "smartquotes"])
        .use(attrs_plugin)
    )
    md.core.ruler.push("heading_ids", _heading_ids)
    md.add_render_rule("fence", _fence)
    md.add_render_rule("image", _image)
    env: dict = {}
    body = md.render(text, env)
    body = re.sub(r"<p>\s*(<figure\b.*?</figure>)\s*</p>", r"\1", body, flags=re.S)
    return body, env.get("headings", [])
