"""The committee's documents: the appendix as Word (docx) and PDF, from the same run as the pages.

``outturn run --format html,docx,pdf`` executes ``notebooks/_appendix.ipynb``
with the pages (papermill, the same pack) and renders it with Quarto: to Word
through pandoc, with the council's reference document when
``report.docx_template`` names one, and to PDF through typst. The documents are
named ``<council>-<quarter>-performance-report.docx`` / ``.pdf`` (see
:func:`document_name`) and written beside the pages in ``reports/<quarter>/``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.config import REPORT_FORMATS, CouncilConfig, ProjectPaths
from analysis.errors import DocumentError
from analysis.periods import Period

DOCUMENT_FORMATS = ("docx", "pdf")
"""The formats that need Quarto: the Word and PDF documents."""
APPENDIX = "_appendix"
"""The notebook the documents come from (its name starts with ``_``: it is not a page)."""
QUARTO_HELP = (
    "install Quarto 1.4 or later (https://quarto.org/docs/get-started/; it brings pandoc and "
    "typst, which make the Word and PDF documents) and put 'quarto' on PATH, or make the web "
    "pages only with --format html"
)


# --- which formats, and can they be made --------------------------------------------------


def parse_formats(
    text: str | Sequence[str] | None, council: CouncilConfig | None = None
) -> tuple[str, ...]:
    """Return the formats to make: ``--format`` (comma-separated), else ``report.formats``.

    The web pages are always made (they are the quarter's folder); ``docx`` and
    ``pdf`` add the documents.

    Raises
    ------
    DocumentError
        When a format is not one of html, docx, pdf.
    """
    if text is not None and not isinstance(text, str):
        text = ",".join(text)
    if text is None or not text.strip():
        return tuple(council.formats) if council is not None else ("html",)
    asked = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in asked if f not in REPORT_FORMATS]
    if unknown:
        raise DocumentError(
            f"--format {text!r}: {', '.join(unknown)} is not a format outturn makes; use "
            "html, docx and pdf, separated by commas (e.g. --format html,docx,pdf)"
        )
    return tuple(dict.fromkeys(["html", *asked]))


def wants_documents(formats: Sequence[str]) -> bool:
    """Return True when a Word or PDF document is asked for."""
    return any(f in DOCUMENT_FORMATS for f in formats)


def check_formats(formats: Sequence[str]) -> None:
    """Stop before anything is computed when a document is asked for and Quarto is missing.

    Raises
    ------
    DocumentError
        Saying how to install Quarto, or to ask for the web pages only.
    """
    from analysis.rendering import quarto_available

    wanted = [f for f in formats if f in DOCUMENT_FORMATS]
    if wanted and not quarto_available():
        raise DocumentError(
            f"the {' and '.join(wanted)} document{'s' if len(wanted) > 1 else ''} "
            f"need{'' if len(wanted) > 1 else 's'} Quarto, and 'quarto' is not on PATH; "
            + QUARTO_HELP
        )


def template_path(paths: ProjectPaths, council: CouncilConfig) -> Path | None:
    """Return the council's Word reference document (``report.docx_template``), checked.

    Raises
    ------
    DocumentError
        When the file named is missing or is not a .docx.
    """
    if not council.docx_template:
        return None
    path = Path(council.docx_template)
    path = path if path.is_absolute() else paths.root / path
    if path.suffix.lower() != ".docx" or not path.is_file():
        raise DocumentError(
            f"{paths.council_file}: report.docx_template {council.docx_template!r}: "
            f"{'no such file' if not path.is_file() else 'not a .docx file'} ({path}). Fix: "
            "give the path of the council's Word template (a .docx), relative to the project "
            "folder, or delete the key to use outturn's plain styles"
        )
    return path


@dataclass(frozen=True)
class DocumentPlan:
    """What a run makes besides the pages: the formats, the Word template, the appendix notebook."""

    formats: tuple[str, ...] = ("html",)
    template: Path | None = None
    source: Path | None = None

    @property
    def pages(self) -> tuple:
        """The appendix as a notebook to execute with the pages (none when no document is asked)."""
        from analysis.site import Page

        return (Page(APPENDIX, "Appendix", self.source),) if self.source is not None else ()


def plan_documents(
    paths: ProjectPaths, council: CouncilConfig, formats: str | Sequence[str] | None = None
) -> DocumentPlan:
    """Decide the formats (``--format``, else ``report.formats``) and check all a document needs.

    Raises
    ------
    DocumentError
        When a format is unknown, Quarto is missing for a document, the Word
        template is missing, or there is no appendix notebook.
    """
    chosen = parse_formats(formats, council)
    check_formats(chosen)
    if not wants_documents(chosen):
        return DocumentPlan(chosen)
    return DocumentPlan(chosen, template_path(paths, council), appendix_source(paths))


def appendix_source(paths: ProjectPaths) -> Path:
    """Return the appendix notebook: the project's own ``notebooks/_appendix``, else outturn's."""
    from analysis.config import REPO_ROOT
    from analysis.site import notebook_source

    found = notebook_source(paths.notebooks, APPENDIX) or notebook_source(
        REPO_ROOT / "notebooks", APPENDIX
    )
    if found is None:
        raise DocumentError(
            f"{paths.notebooks} has no {APPENDIX}.ipynb or {APPENDIX}.py, which the Word and "
            "PDF documents come from; copy outturn's notebooks/_appendix.py there"
        )
    return found


# --- names, dates and the running header --------------------------------------------------


def slug(text: str) -> str:
    """Return text as a file-name part: lower case, letters and digits, single hyphens.

    ``Blackpool`` -> ``blackpool``; ``Bristol, City of`` -> ``bristol-city-of``;
    ``2017-18 Q3`` -> ``2017-18-q3``.
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "council"


def document_name(council_name: str, quarter: Period) -> str:
    """Return the documents' name, no extension: ``blackpool-2017-18-q3-performance-report``."""
    return f"{slug(council_name)}-{slug(quarter.label)}-performance-report"


def report_date(pack) -> dt.date | None:  # noqa: ANN001 - an analysis.pack.Pack
    """Return the date the documents give as produced: when the quarter's newest figure came out.

    It is the latest publication date (``vintage``) among the council's figures
    for the periods the report calls current: the report cannot have been
    produced before it, and a rebuild of the same data gives the same date (and
    the same bytes). With ``--as-of`` it is on or before that date.
    """
    current = {(r.id, r.current.period.label) for r in pack.results.values() if r.reported}
    own = pack.values[pack.values["area_code"] == pack.council_code]
    keys = zip(own["indicator_id"], own["period"], strict=True)
    dates = pd.to_datetime(own.loc[[k in current for k in keys], "vintage"], errors="coerce")
    dates = dates.dropna()
    return None if dates.empty else dates.max().date()


def long_date(day: dt.date) -> str:
    """``8 February 2018``."""
    return f"{day.day} {day:%B %Y}"


def quarter_months(quarter: Period) -> str:
    """``October to December 2017``: the months a quarter covers."""
    start, end = quarter.start_date, quarter.end_date
    first = f"{start:%B}" if start.year == end.year else f"{start:%B %Y}"
    return f"{first} to {end:%B %Y}"


def running_header(council_name: str, quarter: Period) -> str:
    """Return the line at the top of every page: council and quarter."""
    return f"{council_name} performance report, {quarter.label}"


# --- Quarto: the documents' settings and the render ---------------------------------------

TYPST_BODY = """\
#set text(font: ("Arial", "Liberation Sans", "Helvetica", "DejaVu Sans"), size: 10pt)
#set par(justify: false)
#show heading: set text(fill: rgb("#12436d"))
#set table(inset: 4pt, stroke: (x, y) => (bottom: if y == 0 { 0.8pt } else { 0.4pt + luma(190) }))
#show table: it => { set text(size: if it.columns.len() >= 9 { 7pt } else { 8.5pt }); it }
#show table.cell.where(y: 0): set text(weight: "bold")
#show figure.caption: set text(size: 9pt)
"""
"""Typst settings for the PDF's body: a sans-serif house style, ruled tables."""


TYPST_ARTICLE = """\
#let quarto-article = article
#let article(..args) = quarto-article(
  font: ("Arial", "Liberation Sans", "Helvetica", "DejaVu Sans"),
  heading-family: ("Arial", "Liberation Sans", "Helvetica", "DejaVu Sans"),
  fontsize: 10pt, ..args)
"""
"""Quarto's typst template with outturn's fonts for the title too (it would use a serif)."""


def typst_page(header: str, day: dt.date | None = None) -> str:
    """Return the typst page set-up: A4, the running header, and page N of M in the footer.

    ``day`` dates the PDF (typst would date it now) and the title identifies it (typst
    would make up an identifier), so a rebuild gives the same bytes.
    """
    from analysis.display import typst_string

    when = day or dt.date(2000, 1, 1)
    dated = (
        f"#set document(date: datetime(year: {when.year}, month: {when.month}, day: {when.day}))\n"
    )
    return (
        TYPST_ARTICLE
        + dated
        + (
            '#set page(paper: "a4", margin: (x: 2cm, top: 2.4cm, bottom: 2.2cm),\n'
            f"  header: align(right, text(size: 8pt, fill: luma(80), {typst_string(header)})),\n"
            "  footer: context align(center, text(size: 8pt, fill: luma(80))[Page "
            "#counter(page).display() of #counter(page).final().first()]))\n"
        )
    )


def quarto_settings(header: str, template: Path | None, day: dt.date | None = None) -> dict:
    """Return the Quarto project file for rendering the appendix to Word and typst."""
    docx: dict = {"toc": False, "fig-align": "left"}
    if template is not None:
        docx["reference-doc"] = str(template)
    return {
        "execute": {"enabled": False, "echo": False, "output": "asis", "warning": False},
        "lang": "en-GB",
        "format": {
            "docx": docx,
            "typst": {
                "papersize": "a4",
                "toc": False,
                "fig-align": "left",
                "include-in-header": [{"text": typst_page(header, day)}],
                "include-before-body": [{"text": TYPST_BODY}],
            },
        },
    }


def _epoch(day: dt.date | None) -> str:
    when = dt.datetime.combine(day or dt.date(2000, 1, 1), dt.time(), tzinfo=dt.UTC)
    return str(int(when.timestamp()))


def quarto_render(folder: Path, notebook: str, to: str, epoch: str) -> Path:
    """Render one notebook in ``folder`` to ``docx`` or ``typst`` (PDF); return the file.

    Raises
    ------
    DocumentError
        With the end of Quarto's message when the render fails.
    """
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}  # dates inside the files: the data's
    out = folder / f"{Path(notebook).stem}.{'pdf' if to == 'typst' else to}"
    for _attempt in range(2):  # once more if Quarto gave up without a word (a busy machine)
        result = subprocess.run(
            ["quarto", "render", notebook, "--to", to, "--no-execute"],
            capture_output=True,
            text=True,
            check=False,
            cwd=folder,
            env=env,
        )
        said = (result.stderr or "").strip()
        if (result.returncode == 0 and out.is_file()) or "ERROR" in said:
            break
    if result.returncode != 0 or not out.is_file():
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-8:])
        raise DocumentError(
            f"quarto render --to {to} failed for the appendix:\n{tail}\nFix the error above "
            "(notebooks/_appendix), or make the web pages only with --format html"
        )
    return out


def render_documents(
    folder: Path,
    pack,  # noqa: ANN001 - an analysis.pack.Pack
    formats: Sequence[str],
    template: Path | None = None,
) -> list[Path]:
    """Render the executed appendix in ``folder`` to the documents asked for; return them.

    The render happens in a private folder (outside the quarter's Quarto
    website), from a copy of the notebook and its PNG charts; the documents are
    then moved into ``folder`` under their names (:func:`document_name`).
    """
    import nbformat

    from analysis.rendering import prepare_for_quarto
    from analysis.site import dump

    wanted = [f for f in DOCUMENT_FORMATS if f in formats]
    if not wanted:
        return []
    name = document_name(pack.council_name, pack.quarter)
    header = running_header(pack.council_name, pack.quarter)
    day = report_date(pack)
    epoch = _epoch(day)
    written = []
    with tempfile.TemporaryDirectory(prefix="outturn-documents-") as scratch:
        work = Path(scratch)
        nb = prepare_for_quarto(nbformat.read(folder / f"{APPENDIX}.ipynb", as_version=4))
        nbformat.write(nb, work / "appendix.ipynb")
        charts = folder / "charts"
        if charts.is_dir():
            (work / "charts").mkdir()
            for png in charts.glob("*.png"):
                shutil.copy2(png, work / "charts" / png.name)
        (work / "_quarto.yml").write_text(dump(quarto_settings(header, template, day)), "utf-8")
        for fmt in wanted:
            made = quarto_render(work, "appendix.ipynb", "typst" if fmt == "pdf" else fmt, epoch)
            if fmt == "docx":
                alts = figure_alts(work / "appendix.ipynb")
                finish_docx(made, header, a4=template is None, epoch=int(epoch), alts=alts)
            else:
                steady_pdf_id(made)
            target = folder / f"{name}.{fmt}"
            shutil.move(str(made), target)
            target.chmod(0o644)
            written.append(target)
    return written


_PDF_ID = re.compile(rb"<xmpMM:DocumentID>([A-Za-z0-9+/=]{24})</xmpMM:DocumentID>")


def steady_pdf_id(path: Path) -> Path:
    """Give the PDF an identifier made from its content (typst makes one from the folder's path).

    The identifier is replaced in place, same length, so nothing else in the
    file moves: the same data gives the same bytes wherever it is rendered.
    """
    import base64
    import hashlib

    data = path.read_bytes()
    found = _PDF_ID.search(data)
    if found is None:
        return path
    old = found.group(1)
    digest = hashlib.sha256(data.replace(old, b"=" * len(old))).digest()[:16]
    path.write_bytes(data.replace(old, base64.b64encode(digest)))
    return path


# --- Word: the running header, page numbers and landscape sections ------------------------

_FIG_ALT = re.compile(r'!\[[^\]]*\]\([^)]+\)\{[^}]*fig-alt="([^"]*)"')


def figure_alts(notebook: Path) -> list[str]:
    """Return the text alternative of every chart in the notebook's outputs, in order."""
    import nbformat

    from analysis.rendering import output_markdown

    nb = nbformat.read(notebook, as_version=4)
    text = "\n".join(output_markdown(o) for c in nb.cells for o in c.get("outputs", []))
    return _FIG_ALT.findall(text)


def _described(doc: str, alts: Sequence[str]) -> str:
    """Give each picture its chart's text alternative (pandoc gives Word the caption instead)."""
    found = list(re.finditer(r'(<wp:docPr\b[^>]*\bdescr=")([^"]*)(")', doc))
    if len(found) != len(alts):
        return doc  # not the pictures the notebook drew: leave them as pandoc wrote them
    for match, alt in zip(reversed(found), reversed(alts), strict=True):
        doc = doc[: match.start(2)] + _esc(alt).replace('"', "&quot;") + doc[match.end(2) :]
    return doc


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PART = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{{tag}} xmlns:w="{_W}" '
    f'xmlns:r="{_R}">{{body}}</w:{{tag}}>'
)
A4_TWIPS = (11906, 16838)
"""A4 in twentieths of a point, portrait."""
A4_MARGINS = '<w:pgMar w:top="1361" w:right="1134" w:bottom="1247" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/>'  # noqa: E501
"""2 cm at the sides, 2.4 cm top and 2.2 cm bottom (as the PDF), header and footer 1 cm in."""
_SMALL = '<w:rPr><w:sz w:val="16"/><w:color w:val="505A5F"/></w:rPr>'


def _esc(text: str) -> str:
    from html import escape

    return escape(text, quote=False)


def header_xml(text: str) -> str:
    """Return a Word header part: the running line, right-aligned, small."""
    body = (
        f'<w:p><w:pPr><w:jc w:val="right"/></w:pPr><w:r>{_SMALL}'
        f'<w:t xml:space="preserve">{_esc(text)}</w:t></w:r></w:p>'
    )
    return _PART.format(tag="hdr", body=body)


def footer_xml() -> str:
    """Return a Word footer part: ``Page N of M`` with live PAGE and NUMPAGES fields."""

    def field(code: str) -> str:
        return (
            f'<w:fldSimple w:instr=" {code} \\* MERGEFORMAT "><w:r>{_SMALL}<w:t>1</w:t></w:r>'
            "</w:fldSimple>"
        )

    body = (
        f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r>{_SMALL}<w:t xml:space="preserve">'
        f'Page </w:t></w:r>{field("PAGE")}<w:r>{_SMALL}<w:t xml:space="preserve"> of </w:t>'
        f"</w:r>{field('NUMPAGES')}</w:p>"
    )
    return _PART.format(tag="ftr", body=body)


_FINAL_SECT = re.compile(r"<w:sectPr\b[^>]*>(?:(?!<w:sectPr\b).)*?</w:sectPr>\s*</w:body>", re.S)
_MARKER = re.compile(
    r'<w:p><w:pPr><w:sectPr><w:pgSz w:orient="(portrait|landscape)"/></w:sectPr></w:pPr></w:p>'
)


def _with_references(sect: str, refs: str) -> str:
    """Put header and footer references first in a ``w:sectPr`` (the schema's order)."""
    return re.sub(r"(<w:sectPr\b[^>]*>)", lambda m: m.group(1) + refs, sect, count=1)


_AFTER_SIZE = ("pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt",
               "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid",
               "printerSettings", "sectPrChange")  # fmt: skip
"""What follows the page size in a ``w:sectPr`` (the schema's order, which Word enforces)."""


def _insert_before(sect: str, xml: str, names: Sequence[str]) -> str:
    """Insert ``xml`` before the first child named in ``names``, else at the end."""
    found = re.search(r"<w:(" + "|".join(names) + r")\b", sect)
    at = found.start() if found else sect.rindex("</w:sectPr>")
    return sect[:at] + xml + sect[at:]


def _a4(sect: str) -> str:
    """Give a ``w:sectPr`` A4 portrait pages with outturn's margins."""
    sect = re.sub(r"<w:pgSz\b[^>]*/>|<w:pgMar\b[^>]*/>", "", sect)
    size = f'<w:pgSz w:w="{A4_TWIPS[0]}" w:h="{A4_TWIPS[1]}"/>'
    return _insert_before(sect, size + A4_MARGINS, _AFTER_SIZE)


def _oriented(sect: str, orient: str) -> str:
    """Return a copy of a ``w:sectPr`` for a section of the given orientation.

    A template that gives no page size gets A4 for the section turned.
    """
    found = re.search(r'<w:pgSz\b[^>]*w:w="(\d+)"[^>]*w:h="(\d+)"[^>]*/>', sect)
    if found is None:
        if orient != "landscape":
            return sect
        return _insert_before(sect, _page_size(*A4_TWIPS, orient), _AFTER_SIZE)
    w, h = sorted((int(found.group(1)), int(found.group(2))))
    return sect.replace(found.group(0), _page_size(w, h, orient))


def _page_size(short: int, long: int, orient: str) -> str:
    w, h = (long, short) if orient == "landscape" else (short, long)
    return f'<w:pgSz w:w="{w}" w:h="{h}"' + (' w:orient="landscape"/>' if w > h else "/>")


def finish_docx(
    path: Path,
    header: str,
    a4: bool = True,
    epoch: int | None = None,
    alts: Sequence[str] = (),
) -> Path:
    """Complete a Word document pandoc wrote: running header, page numbers, landscape sections.

    A header and a footer (``Page N of M``) are added unless the reference
    document brought its own; ``a4`` gives outturn's page size and margins
    (without a council template); each section break the appendix asked for
    (:class:`analysis.display.Orientation`) becomes a full section with the
    document's size, margins, header and footer, turned for landscape; each
    picture gets its text alternative from ``alts`` (one per picture, in order). The zip
    is written again with fixed dates, so the same data gives the same bytes.
    """
    with zipfile.ZipFile(path) as z:
        parts = {info.filename: z.read(info) for info in z.infolist()}
    doc = parts["word/document.xml"].decode("utf-8")
    final = _FINAL_SECT.search(doc)
    if final is None:
        raise DocumentError(f"{path}: no section settings in word/document.xml")
    sect = final.group(0)[: final.group(0).rindex("</w:sectPr>") + len("</w:sectPr>")]
    refs = ""
    if "<w:headerReference" not in sect:
        parts["word/outturn-header.xml"] = header_xml(header).encode("utf-8")
        refs += '<w:headerReference w:type="default" r:id="rIdOutturnHeader"/>'
    if "<w:footerReference" not in sect:
        parts["word/outturn-footer.xml"] = footer_xml().encode("utf-8")
        refs += '<w:footerReference w:type="default" r:id="rIdOutturnFooter"/>'
    new = _with_references(sect, refs) if refs else sect
    new = _a4(new) if a4 else new
    doc = doc.replace(sect, new)
    doc = _MARKER.sub(lambda m: f"<w:p><w:pPr>{_oriented(new, m.group(1))}</w:pPr></w:p>", doc)
    doc = _BREAK_AFTER_SECTION.sub(r"\1", doc)  # a new section starts a page already
    doc = _TABLE.sub(lambda m: _table_text_size(m.group(0)), doc)
    doc = _described(doc, alts)
    if a4:
        parts["word/styles.xml"] = _plain_styles(parts["word/styles.xml"].decode("utf-8")).encode()
    if 'xmlns:r="' not in doc[:2000]:
        doc = doc.replace("<w:document ", f'<w:document xmlns:r="{_R}" ', 1)
    parts["word/document.xml"] = doc.encode("utf-8")
    if refs:
        _register_parts(parts)
    _write_zip(path, parts, epoch)
    return path


_TABLE = re.compile(r"<w:tbl>.*?</w:tbl>", re.S)
_BREAK_AFTER_SECTION = re.compile(
    r"(</w:sectPr></w:pPr></w:p>\s*)" + re.escape('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
)
WIDE_TABLE_POINTS = 7
"""Text size of a wide table (the scorecard: nine columns or more)."""
TABLE_POINTS = 8.5
"""Text size of other tables. Set whatever the template says: the column widths are made
for text of this size (a template's 11 or 12 pt would break words inside narrow columns)."""


def _table_text_size(table: str) -> str:
    """Set the text size of a table's runs: small for a wide table, smaller than the body."""
    wide = table.count("<w:gridCol ") >= 9
    half_points = round(2 * (WIDE_TABLE_POINTS if wide else TABLE_POINTS))
    size = f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
    table = re.sub(r"<w:r>(?!<w:rPr>)", f"<w:r><w:rPr>{size}</w:rPr>", table)
    return re.sub(r"<w:r><w:rPr>(?!<w:sz )", f"<w:r><w:rPr>{size}", table)


def _plain_styles(styles: str) -> str:
    """Return outturn's plain Word styles (no council template): Arial 10 pt, as the PDF."""
    fonts = '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial" />'
    start = styles.find("<w:rPrDefault>")
    end = styles.find("</w:rPrDefault>", start)
    if start < 0 or end < 0:
        return styles
    default = re.sub(r"<w:rFonts\b[^>]*/>", fonts, styles[start:end], count=1)
    default = re.sub(r'<w:sz(Cs)? w:val="\d+" ?/>', r'<w:sz\1 w:val="20" />', default)
    return styles[:start] + default + styles[end:]


def _register_parts(parts: dict[str, bytes]) -> None:
    """Add the header and footer parts to the package's content types and relationships."""
    kinds = {"outturn-header.xml": "header", "outturn-footer.xml": "footer"}
    types = parts["[Content_Types].xml"].decode("utf-8")
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    for target, kind in kinds.items():
        if f"word/{target}" not in parts:
            continue
        ctype = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
        types = types.replace(
            "</Types>", f'<Override PartName="/word/{target}" ContentType="{ctype}"/></Types>'
        )
        rid = "rIdOutturn" + kind.capitalize()
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="{rid}" Type="{_R}/{kind}" Target="{target}"/></Relationships>',
        )
    parts["[Content_Types].xml"] = types.encode("utf-8")
    parts["word/_rels/document.xml.rels"] = rels.encode("utf-8")


def _write_zip(path: Path, parts: dict[str, bytes], epoch: int | None) -> None:
    """Write the package again (content types first), every entry dated ``epoch``."""
    when = dt.datetime.fromtimestamp(epoch or 315532800, dt.UTC).timetuple()[:6]
    when = max(when, (1980, 1, 1, 0, 0, 0))
    tmp = path.with_suffix(".tmp")
    order = ["[Content_Types].xml"] + [n for n in parts if n != "[Content_Types].xml"]
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, parts[name])
    tmp.replace(path)
