"""Commentary made safe: what the service wrote, re-written as plain Markdown with no raw markup.

Commentary files are written by people and reach every page and paper. They
are parsed as CommonMark with raw HTML off, then written back out with every
piece of text escaped, so nothing in them can become HTML, a script, a Quarto
shortcode or a Pandoc raw block, and headings sit below the page's own.
Links keep only http, https and mailto addresses; images are dropped (the
report must not load anything from the internet), their alt text kept.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from analysis.display import escape_markdown

NO_COMMENTARY = "No commentary supplied."
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_SCHEMES = ("http://", "https://", "mailto:")
HEADING_SHIFT = 2
"""Commentary headings are pushed down two levels (# becomes a level-3 heading)."""


def _longest_run(text: str, char: str) -> int:
    longest = current = 0
    for ch in text:
        current = current + 1 if ch == char else 0
        longest = max(longest, current)
    return longest


def _code(text: str) -> str:
    ticks = "`" * (_longest_run(text, "`") + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _inline(node: SyntaxTreeNode) -> str:
    parts = []
    for child in node.children:
        kind = child.type
        if kind == "text":
            parts.append(escape_markdown(child.content, collapse=False))
        elif kind == "softbreak":
            parts.append("\n")
        elif kind == "hardbreak":
            parts.append("\\\n")
        elif kind == "code_inline":
            parts.append(_code(child.content))
        elif kind in ("em", "strong"):
            mark = "*" if kind == "em" else "**"
            parts.append(f"{mark}{_inline(child)}{mark}")
        elif kind == "link":
            parts.append(_link(child))
        elif kind == "image":
            parts.append(escape_markdown(child.children and _plain(child) or ""))
        else:
            parts.append(_inline(child) if child.children else escape_markdown(child.content))
    return "".join(parts)


def _plain(node: SyntaxTreeNode) -> str:
    return "".join(c.content if c.type == "text" else _plain(c) for c in node.children)


def _link(node: SyntaxTreeNode) -> str:
    href = str(node.attrs.get("href", ""))
    text = _inline(node)
    if not href.lower().startswith(_SCHEMES) or any(c in href for c in " <>\"'`()"):
        return text
    return f"[{text}]({href})"


def _table(node: SyntaxTreeNode) -> str:
    rows = []
    for section in node.children:
        for tr in section.children:
            cells = [_inline(td.children[0]).replace("|", "\\|") if td.children else ""
                     for td in tr.children]  # fmt: skip
            rows.append("| " + " | ".join(cells) + " |")
            if section.type == "thead":
                rows.append("|" + "|".join("---" for _ in cells) + "|")
    return "\n".join(rows)


def _fence(text: str) -> str:
    fence = "~" * max(3, _longest_run(text, "~") + 1)
    return f"{fence}\n{text.rstrip()}\n{fence}"


def _block(node: SyntaxTreeNode, shift: int) -> str:
    kind = node.type
    if kind == "paragraph":
        return _inline(node.children[0]) if node.children else ""
    if kind == "heading":
        level = min(int(node.tag[1]) + shift, 6)
        return f"{'#' * level} {_inline(node.children[0])}"
    if kind in ("bullet_list", "ordered_list"):
        return _list(node, shift)
    if kind == "blockquote":
        inner = _blocks(node.children, shift)
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
    if kind in ("fence", "code_block"):
        return _fence(node.content)
    if kind == "table":
        return _table(node)
    if kind == "hr":
        return "* * *"
    return ""


def _list(node: SyntaxTreeNode, shift: int) -> str:
    items = []
    start = int(node.attrs.get("start", 1) or 1)
    for n, item in enumerate(node.children, start=start):
        marker = f"{n}." if node.type == "ordered_list" else "-"
        body = _blocks(item.children, shift)
        pad = " " * (len(marker) + 1)
        lines = body.split("\n")
        items.append(
            f"{marker} {lines[0]}" + "".join(f"\n{pad}{x}" if x else "\n" for x in lines[1:])
        )
    return "\n".join(items)


def _blocks(nodes: list[SyntaxTreeNode], shift: int) -> str:
    return "\n\n".join(text for n in nodes if (text := _block(n, shift)))


def safe_markdown(text: str, shift: int = HEADING_SHIFT) -> str:
    """Re-write commentary as Markdown in which every piece of text is literal.

    Parameters
    ----------
    text : str
        Markdown as written in a commentary file.
    shift : int
        Levels to push headings down (``# Title`` becomes a level-3 heading).

    Returns
    -------
    str
        Paragraphs, lists, emphasis, code, tables, quotes and http(s)/mailto
        links survive; raw HTML shows as text; images keep only their alt text.
    """
    tree = SyntaxTreeNode(_MD.parse(text or ""))
    return _blocks(tree.children, shift)
