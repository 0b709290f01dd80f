"""The committee's appendix as Word and PDF: names, settings, and what the documents hold."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from rendered_quarter import REPO, copy_project, outturn_command

from analysis import report, tables
from analysis.config import parse_council, project_paths
from analysis.display import Figure
from analysis.documents import (
    DocumentError,
    check_formats,
    document_name,
    parse_formats,
    plan_documents,
    quarter_months,
    report_date,
    slug,
    template_path,
)
from analysis.periods import parse_period

NAME = "blackpool-2017-18-q3-performance-report"


# --- names, formats and settings (no Quarto needed) ----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Blackpool", "blackpool"),
        ("Bristol, City of", "bristol-city-of"),
        ("Kingston upon Hull, City of", "kingston-upon-hull-city-of"),
        ("St. Helens", "st-helens"),
        ("2017-18 Q3", "2017-18-q3"),
    ],
)
def test_slug_keeps_letters_digits_and_single_hyphens(text, expected):
    assert slug(text) == expected


def test_document_name_is_council_quarter_performance_report():
    assert document_name("Blackpool", parse_period("2017-18 Q3")) == NAME


@pytest.mark.parametrize(
    ("quarter", "months"),
    [("2017-18 Q3", "October to December 2017"), ("2017-18 Q4", "January to March 2018")],
)
def test_quarter_months(quarter, months):
    assert quarter_months(parse_period(quarter)) == months


def test_report_date_is_when_the_quarters_newest_figure_came_out(q3, pack_2015_q2):
    assert report_date(q3) == dt.date(2018, 2, 8)  # paper_2018-02, the December 2017 figures
    assert report_date(pack_2015_q2) == dt.date(2015, 12, 10)  # App B, the Q2 2015-16 paper


def test_title_block_names_council_committee_quarter_and_date(q3):
    text = " ".join(f"{p.strong} {p.text}" for p in report.title_block(q3))
    assert "Council: Blackpool" in text
    assert "Committee: Resilient Communities and Children's Scrutiny Committee" in text
    assert "Quarter: 2017-18 Q3 (October to December 2017)" in text
    assert "Date produced: 8 February 2018" in text


def council(report_keys: dict):
    raw = {"council": {"name": "Blackpool", "area_code": "E06000009"}, "report": report_keys}
    return parse_council(raw, "council.yml")


@pytest.mark.parametrize(
    ("asked", "default", "expected"),
    [
        (None, None, ("html",)),
        ("docx", None, ("html", "docx")),
        ("html,docx,pdf", None, ("html", "docx", "pdf")),
        (" PDF , html ", None, ("html", "pdf")),
        (None, ["pdf"], ("html", "pdf")),
        (None, "docx, pdf", ("html", "docx", "pdf")),
        ("html", ["docx", "pdf"], ("html",)),  # --format overrides the council's default
    ],
)
def test_formats_from_the_option_else_the_council_default(asked, default, expected):
    keys = {} if default is None else {"formats": default}
    assert parse_formats(asked, council(keys)) == expected


def test_unknown_format_is_refused_naming_the_choices():
    with pytest.raises(DocumentError, match=r"odt is not a format outturn makes; use html, docx"):
        parse_formats("html,odt")


def test_unknown_format_in_council_yml_is_a_problem_naming_the_key():
    from analysis.errors import ConfigError

    with pytest.raises(ConfigError, match=r"report.formats.*unknown format\(s\) word"):
        council({"formats": ["html", "word"]})


def test_documents_without_quarto_say_how_to_install_it_or_use_html(monkeypatch):
    monkeypatch.setattr("analysis.rendering.quarto_available", lambda: False)
    check_formats(("html",))  # the pages alone need nothing more
    with pytest.raises(DocumentError, match=r"need Quarto.*install Quarto.*--format html"):
        check_formats(("html", "docx", "pdf"))


def test_missing_word_template_names_the_key_and_the_file(tmp_path):
    (tmp_path / "data").mkdir()
    paths = project_paths(tmp_path)
    with pytest.raises(DocumentError, match=r"report.docx_template 'data/house.docx': no such"):
        template_path(paths, council({"docx_template": "data/house.docx"}))
    (tmp_path / "data" / "house.docx").write_bytes(b"PK")
    assert template_path(paths, council({"docx_template": "data/house.docx"})).name == "house.docx"


def test_run_asking_for_documents_without_quarto_stops_before_computing(tmp_path):
    project = copy_project(tmp_path / "project")
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": os.pathsep.join([bin_dir, "/usr/bin", "/bin"])}
    if shutil.which("quarto", path=env["PATH"]):
        pytest.skip("quarto is installed in /usr/bin; cannot hide it from the run")
    result = subprocess.run(
        [*outturn_command(), "run", "--project", str(project), "--format", "html,docx"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    out = result.stdout + result.stderr
    assert "docx document needs Quarto" in " ".join(out.split())
    assert "--format html" in out and "Traceback" not in out
    assert not (project / "reports").exists()  # nothing computed, nothing written


# --- the documents Quarto made ------------------------------------------------------------


def docx_text(path: Path) -> tuple[list, str]:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return document, " ".join(" ".join(parts).split())


def pdf_pages(path: Path) -> list:
    from pypdf import PdfReader

    return list(PdfReader(str(path)).pages)


def plain(text: str) -> str:
    """Text as both documents print it: curled quotes straight, spaces single."""
    return " ".join(text.translate(str.maketrans("‘’“”", "''\"\"")).split())


def commentary_start(r, words: int = 10) -> str:
    first = r.commentary.commentary.strip().split("\n")[0]
    return plain(" ".join(first.split()[:words]))


def charts_of(pack) -> int:
    return sum(isinstance(report.chart(pack, r), Figure) for r in pack.exception_results)


@pytest.fixture(scope="module")
def documents(quarto_q3):
    return quarto_q3 / f"{NAME}.docx", quarto_q3 / f"{NAME}.pdf"


@pytest.fixture(scope="module")
def word(documents):
    return docx_text(documents[0])


@pytest.mark.slow
@pytest.mark.quarto
def test_run_writes_one_word_and_one_pdf_named_by_the_slug_rule(quarto_q3):
    made = sorted(p.name for p in quarto_q3.iterdir() if p.suffix in (".docx", ".pdf"))
    assert made == [f"{NAME}.docx", f"{NAME}.pdf"]


@pytest.mark.slow
@pytest.mark.quarto
def test_word_holds_every_exception_title_figure_and_commentary(word, q3):
    document, text = word
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for r in q3.exception_results:
        assert r.indicator.short_title in headings  # a real Word heading
        assert tables.current_text(r) in text  # the current figure, in the history table
        assert commentary_start(r) in plain(text)
    for words in ("Council: Blackpool", "Quarter: 2017-18 Q3", "Date produced: 8 February 2018"):
        assert words in text


@pytest.mark.slow
@pytest.mark.quarto
def test_word_scorecard_is_a_real_table_with_every_column(word, q3):
    document, _ = word
    columns = list(tables.overview_table(q3).frame.columns)
    heads = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert columns in heads  # no column lost
    card = document.tables[heads.index(columns)]
    assert len(card.rows) == len(q3.reported) + 1
    key = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["↑ ↓ →", key[[k[0] for k in key].index("↑ ↓ →")][1]] in key  # the key is there


@pytest.mark.slow
@pytest.mark.quarto
def test_word_has_one_image_per_chart_each_with_its_text_alternative(documents, q3):
    with zipfile.ZipFile(documents[0]) as z:
        xml = z.read("word/document.xml").decode()
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    described = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)
    assert len(described) == len(media) == charts_of(q3)
    assert all(len(d) > 60 for d in described)


@pytest.mark.slow
@pytest.mark.quarto
def test_word_pages_carry_council_quarter_and_page_numbers(documents):
    import docx

    document = docx.Document(str(documents[0]))
    assert len(document.sections) >= 3  # portrait, the landscape scorecard, portrait
    orientations = [s.orientation for s in document.sections]
    assert docx.enum.section.WD_ORIENT.LANDSCAPE in orientations
    for section in document.sections:
        assert section.header.paragraphs[0].text == "Blackpool performance report, 2017-18 Q3"
        footer = section.footer._element.xml
        assert "PAGE" in footer and "NUMPAGES" in footer
        assert section.page_width in (docx.shared.Twips(11906), docx.shared.Twips(16838))  # A4


@pytest.mark.slow
@pytest.mark.quarto
def test_pdf_holds_every_exception_title_figure_and_commentary(documents, q3):
    pages = pdf_pages(documents[1])
    text = plain(" ".join(p.extract_text() for p in pages))
    for r in q3.exception_results:
        assert r.indicator.short_title in text
        assert tables.current_text(r) in text
        assert commentary_start(r) in text
    assert "Methods and sources" in text and "Open Government Licence" in text


@pytest.mark.slow
@pytest.mark.quarto
def test_pdf_pages_are_numbered_and_headed(documents):
    pages = pdf_pages(documents[1])
    for n, page in enumerate(pages, start=1):
        text = plain(page.extract_text())
        assert f"Page {n} of {len(pages)}" in text
        assert "Blackpool performance report, 2017-18 Q3" in text


@pytest.mark.slow
@pytest.mark.quarto
def test_pdf_scorecard_is_landscape_and_no_column_is_cut(documents, q3):
    pages = pdf_pages(documents[1])
    card = [p for p in pages if "Scorecard, 2017-18 Q3" in p.extract_text()]
    assert card, "no scorecard page"
    page = card[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    right = []
    page.extract_text(visitor_text=lambda t, cm, tm, *_: right.append(tm[4] + len(t) * 3))
    assert max(right) < float(page.mediabox.width)  # nothing runs off the page
    words = plain(" ".join(p.extract_text() for p in card))
    for column in tables.overview_table(q3).frame.columns:
        assert all(w in words for w in column.split())  # every heading, wrapped or not


@pytest.mark.slow
@pytest.mark.quarto
def test_pdf_has_one_image_per_chart(documents, q3):
    images = set()  # typst may list every picture in every page's resources: count each once
    for page in pdf_pages(documents[1]):
        found = page.get("/Resources", {}).get_object().get("/XObject", {})
        for ref in found.get_object().values() if found else []:
            if ref.get_object().get("/Subtype") == "/Image":
                images.add(ref.idnum)
    assert len(images) == charts_of(q3)


# --- breakdowns in the documents (2017-18 Q2, paper 001) ----------------------------------


@pytest.fixture(scope="module")
def documents_q2(tmp_path_factory, data):
    """The 2017-18 Q2 appendix alone: executed and rendered as a run does, without the pages."""
    from conftest import quarto_missing

    from analysis.documents import render_documents
    from analysis.pack import build_pack
    from analysis.pipeline import _share_pack, execute_all

    if quarto_missing():
        pytest.skip(quarto_missing())
    project = copy_project(tmp_path_factory.mktemp("q2-documents"))
    paths = project_paths(project)
    pack = build_pack(data, parse_period("2017-18 Q2"))
    plan = plan_documents(paths, data.council, "docx,pdf")
    out = project / "reports" / "2017-18-Q2"
    out.mkdir(parents=True)
    params = {"quarter": "2017-18 Q2", "project": str(project), "data_dir": str(paths.data),
              "council_config": str(paths.council_file), "output_dir": str(out), "as_of": "",
              "published": False, "pack_file": _share_pack(pack, out)}  # fmt: skip
    execute_all(plan.pages, out, params, lambda _: None)
    return render_documents(out, pack, plan.formats, plan.template)


AGE_ROWS = [["Under 1", "39"], ["1-4 yrs", "71"], ["5-9 yrs", "127"], ["10 – 15 yrs", "199"],
            ["16 and over", "89"], ["Total", "525"]]  # fmt: skip


@pytest.mark.slow
@pytest.mark.quarto
def test_age_bands_in_word_and_pdf_as_in_paper_001(documents_q2):
    import docx

    word, pdf = sorted(documents_q2, key=lambda p: p.suffix)
    document = docx.Document(str(word))
    found = [[[c.text for c in r.cells] for r in t.rows] for t in document.tables]
    assert [["Age", "2017-18 Q2"], *AGE_ROWS] in found
    text = plain(" ".join(p.extract_text() for p in pdf_pages(pdf)))
    assert "Children looked after by age at 30 September 2017" in text
    assert " ".join(" ".join(r) for r in AGE_ROWS) in text
    assert "add up to 525, 6 fewer than the headline figure of 531" in text


def test_appendix_notebook_is_not_a_page(data, monkeypatch):
    from analysis.site import read_pages

    monkeypatch.setattr("analysis.rendering.quarto_available", lambda: True)
    assert "_appendix" not in [p.name for p in read_pages(project_paths(REPO))]
    assert plan_documents(project_paths(REPO), data.council, "pdf").pages[0].name == "_appendix"


# --- finishing a Word document (python-docx makes the documents; no Quarto needed) -------


def word_with_breaks(path: Path, template_header: str = "") -> Path:
    """A document as pandoc would leave it: text, a landscape part between section markers."""
    import docx

    from analysis.display import WORD_SECTION_END

    document = docx.Document()
    if template_header:
        document.sections[0].header.paragraphs[0].text = template_header
    document.add_paragraph("Title page")
    document.add_paragraph("MARK-portrait")
    document.add_paragraph("Scorecard")
    document.add_paragraph("MARK-landscape")
    document.add_paragraph("Exception report")
    document.save(str(path))
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts["word/document.xml"].decode()
    for orient in ("portrait", "landscape"):
        xml = re.sub(rf"<w:p>(?:(?!<w:p>).)*?MARK-{orient}.*?</w:p>",
                     WORD_SECTION_END.format(orient), xml, count=1, flags=re.S)  # fmt: skip
    parts["word/document.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_finished_word_has_landscape_section_header_and_page_numbers_on_a4(tmp_path):
    import docx

    from analysis.documents import finish_docx

    path = finish_docx(word_with_breaks(tmp_path / "a.docx"), "Blackpool, 2017-18 Q3", epoch=0)
    document = docx.Document(str(path))
    assert [s.orientation for s in document.sections] == [0, 1, 0]  # portrait, landscape, portrait
    for section in document.sections:
        assert section.header.paragraphs[0].text == "Blackpool, 2017-18 Q3"
        assert "NUMPAGES" in section.footer._element.xml
        assert sorted((section.page_width, section.page_height)) == [11906 * 635, 16838 * 635]


def test_finished_word_keeps_a_templates_own_header(tmp_path):
    import docx

    from analysis.documents import finish_docx

    path = word_with_breaks(tmp_path / "t.docx", template_header="Blackpool Council")
    finish_docx(path, "Blackpool, 2017-18 Q3", a4=False, epoch=0)
    document = docx.Document(str(path))
    assert [s.header.paragraphs[0].text for s in document.sections] == ["Blackpool Council"] * 3
    assert document.sections[1].orientation == 1


def test_finishing_word_twice_from_the_same_input_gives_the_same_bytes(tmp_path):
    from analysis.documents import finish_docx

    one = finish_docx(word_with_breaks(tmp_path / "1.docx"), "x", epoch=1518048000)
    two = finish_docx(word_with_breaks(tmp_path / "2.docx"), "x", epoch=1518048000)
    assert one.read_bytes() == two.read_bytes()


def test_a_template_without_a_page_size_still_gets_its_landscape_section(tmp_path):
    import docx

    from analysis.documents import finish_docx

    path = word_with_breaks(tmp_path / "n.docx", template_header="Blackpool Council")
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["word/document.xml"] = re.sub(rb"<w:pgSz w:w=[^>]*/>", b"", parts["word/document.xml"])
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    finish_docx(path, "x", a4=False, epoch=0)
    sections = docx.Document(str(path)).sections
    assert [s.orientation for s in sections] == [0, 1, 0]
    assert (sections[1].page_width, sections[1].page_height) == (16838 * 635, 11906 * 635)
