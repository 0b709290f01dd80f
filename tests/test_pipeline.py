"""End-to-end: `outturn run` on a copy of the bundled project builds pages and tables."""

import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from pages import main_text, section, text_of
from rendered_quarter import REPO, render_project

from analysis import cli
from analysis.comparison import SCORECARD_COLUMNS
from analysis.config import project_paths
from analysis.pipeline import run_quarter

pytestmark = pytest.mark.slow
SLUG = "2017-18-Q2"
PAGES = ("index", "exceptions", "methods", "data")
# exception indicators of 2017-18 Q2: (id, short title, figure as printed, a commentary sentence)
EXCEPTIONS = [
    ("cla", "Children looked after", "531 (185.6)",
     "However, the rate at Q2 of 2017/18 has decreased slightly compared to Q1."),
    ("early_help_assessments", "Early help assessments", "514",
     "The trend is for the number of assessments being undertaken to have dropped over the "
     "last 12 months."),
    ("cin", "Children in need", "1,932 (675.4)",
     "If the trend were to continue at this rate, the Blackpool figure would be down to the "
     "average of our statistical neighbours by Q3 of 2018/19"),
    ("contacts", "Contacts (monthly)", "999", None),
    ("contacts_12m", "Contacts (12 months)", "12,499", None),
]  # fmt: skip


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of data/ with 2017-18 Q2 rendered once (about 12 s) by `outturn run`.

    Its own copy (not the shared one): the tests below delete and rebuild the quarter.
    """
    return render_project(tmp_path_factory.mktemp("pipeline"))


@pytest.fixture(scope="module")
def folder(project) -> Path:
    return project / "reports" / SLUG


@pytest.fixture(scope="module")
def pages(folder) -> dict[str, str]:
    return {name: (folder / f"{name}.html").read_text(encoding="utf-8") for name in PAGES}


def test_run_writes_every_page_and_table(folder):
    for name in PAGES:
        assert (folder / f"{name}.html").is_file()
        assert (folder / f"{name}.ipynb").is_file()
    assert (folder / "scorecard.csv").is_file()
    assert (folder / "scorecard.xlsx").stat().st_size > 0


def test_exception_titles_figures_and_commentary_are_shown(pages, project):
    from analysis.catalogue import load_catalogue

    catalogue = load_catalogue(project / "data" / "indicators.yml")
    exceptions = text_of(pages["exceptions"])
    overview = text_of(pages["index"])
    for ind_id, short_title, figure, sentence in EXCEPTIONS:
        ind = catalogue[ind_id]
        assert ind.short_title == short_title
        assert short_title in overview and short_title in exceptions
        assert ind.title in exceptions, ind.title
        assert figure in overview, f"{ind_id}: {figure} not in the overview"
        assert figure in exceptions, f"{ind_id}: {figure} not in the exception report"
        if sentence:
            assert sentence in exceptions, sentence


def test_exception_without_commentary_says_so(pages):
    assert "No commentary supplied" in section(pages["exceptions"], "contacts")
    assert "No commentary supplied" not in section(pages["exceptions"], "cla")


@pytest.mark.parametrize("name", PAGES)
def test_pages_load_nothing_from_the_internet(pages, name):
    page = pages[name]
    assert '<script src="http' not in page
    assert not re.search(r"""\bsrc\s*=\s*["']?(https?:)?//""", page, re.I)
    for tag in re.findall(r"<link\b[^>]*>", page, flags=re.I):  # stylesheets, fonts
        assert not re.search(r"""href\s*=\s*["']?(https?:)?//""", tag, re.I), tag
    assert "@import" not in page and "fonts.googleapis" not in page


def test_scorecard_csv_has_exactly_the_agreed_columns(folder):
    card = pd.read_csv(folder / "scorecard.csv", dtype=str, keep_default_na=False)
    agreed = [
        "indicator_id", "indicator", "period", "value", "comparison", "baseline_period",
        "baseline_value", "change", "direction", "judgement", "exception",
    ]  # fmt: skip
    assert SCORECARD_COLUMNS == agreed
    # the agreed columns come first, in order; the SPC signal columns were added after them
    # (pipeline.SIGNAL_COLUMNS) and are the only extras
    assert list(card.columns[: len(agreed)]) == agreed
    assert list(card.columns[len(agreed) :]) == [
        "signal",
        "signal_rule",
        "assurance",
        "exception_reason",
    ]
    assert set(card["exception"]) == {"true"}  # every indicator reported this quarter is one
    flagged = card.loc[card["exception"] == "true", "indicator_id"].unique().tolist()
    assert flagged == [e[0] for e in EXCEPTIONS]
    cla_target = card[(card.indicator_id == "cla") & (card.comparison == "target")].iloc[0]
    assert (cla_target["baseline_value"], cla_target["change"]) == ("516.0", "15.0")


def test_scorecard_xlsx_matches_the_csv(folder):
    csv = pd.read_csv(folder / "scorecard.csv", dtype=str, keep_default_na=False)
    xlsx = pd.read_excel(folder / "scorecard.xlsx", sheet_name="scorecard", dtype=str)
    assert list(xlsx.columns) == list(csv.columns)
    assert len(xlsx) == len(csv)
    assert xlsx["indicator_id"].tolist() == csv["indicator_id"].tolist()


def test_home_page_lists_the_quarter(project):
    home = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert f'href="{SLUG}/index.html"' in home
    assert ">2017-18 Q2<" in home


def test_no_staging_folder_is_left_behind(project):
    leftovers = [p.name for p in (project / "reports").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_deleting_the_quarter_and_rerunning_rebuilds_the_same_report(project, folder):
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*")
              if p.is_file() and p.suffix in (".csv", ".svg", ".html")}  # fmt: skip
    texts = {n: main_text((folder / f"{n}.html").read_text(encoding="utf-8")) for n in PAGES}
    shutil.rmtree(folder)
    result = run_quarter(project_paths(project), "2017-18 Q2", engine="python")
    assert result.folder == folder
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*")
             if p.is_file() and p.suffix in (".csv", ".svg", ".html")}  # fmt: skip
    assert sorted(after) == sorted(before)
    for name in PAGES:  # the pages of two runs of the same quarter have the same text
        assert main_text((folder / f"{name}.html").read_text(encoding="utf-8")) == texts[name]
    assert after == before
    assert result.exceptions == [e[0] for e in EXCEPTIONS]


def test_run_without_quarter_produces_the_latest(project, capsys):
    saved = sys.argv
    sys.argv = ["outturn", "run", "--project", str(project), "--engine", "python"]
    try:
        with pytest.raises(SystemExit) as exit_info:
            cli.main()
    finally:
        sys.argv = saved
    assert exit_info.value.code in (0, None)
    out = capsys.readouterr()
    assert "2017-18 Q3" in out.out + out.err
    latest = project / "reports" / "2017-18-Q3"
    assert (latest / "index.html").is_file()
    card = pd.read_csv(latest / "scorecard.csv", dtype=str, keep_default_na=False)
    assert "Dec 2017" in set(card["period"])
    assert set(card["exception"]) == {"true", "false"}
    flagged = card.loc[card["exception"] == "true", "indicator_id"].unique().tolist()
    # off target: cla (count 516), assessments in 15 days, cp_plans; the rest because the
    # service wrote about them in the December 2017 update (has_commentary in council.yml)
    assert flagged == [
        "cla", "cin", "contacts", "referral_to_assessment", "assessments_15_days",
        "assessments_45_days", "cafa_rate", "s47_rate", "cp_plans"]  # fmt: skip
    reasons = card.drop_duplicates("indicator_id").set_index("indicator_id")["exception_reason"]
    assert reasons["assessments_15_days"].startswith("off target; chosen for report")
    assert (
        reasons["s47_rate"] == "chosen for report by the service (commentary written this quarter)"
    )
    assert reasons["contacts_12m"] == ""
    home = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert home.index("2017-18-Q3/index.html") < home.index(f"{SLUG}/index.html")


def test_notebooks_reuse_the_pack_the_run_computed(tmp_path):
    import pickle

    from analysis.report import open_pack

    pack = open_pack(REPO, "2017-18 Q2")
    pack.extras["marker"] = "from the run"  # the notebooks read the run's own pack
    shared = tmp_path / "pack.pickle"
    shared.write_bytes(pickle.dumps(pack))
    reused = open_pack(REPO, "2017-18 Q2", pack_file=str(shared))
    assert reused.extras["marker"] == "from the run"
    # another quarter, or the published build, is computed afresh rather than reused
    assert "marker" not in open_pack(REPO, "2017-18 Q3", pack_file=str(shared)).extras
    published = open_pack(REPO, "2017-18 Q2", published=True, pack_file=str(shared))
    assert "marker" not in published.extras
    assert "marker" not in open_pack(REPO, "2017-18 Q2", pack_file=str(tmp_path / "no")).extras
