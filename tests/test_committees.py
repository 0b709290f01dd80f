"""Committee and portfolio packs: which indicators each holds, and the pack as rendered."""

from __future__ import annotations

import subprocess

import pandas as pd
import pytest
from rendered_quarter import copy_project, outturn_command

from analysis.committees import (
    Committee,
    find_committee,
    parse_committees,
    portfolio_pack,
    resolve_subset,
    slugify,
)
from analysis.errors import ConfigError
from analysis.pack import apply_subset, subset_pack

RC = "Cabinet Secretary (Resilient Communities)"
RCC = "Cabinet Secretary (Resilient Communities and Children's)"


def test_slugs_are_folder_names():
    assert slugify("Resilient Communities and Children's") == "resilient-communities-and-childrens"
    assert slugify("Cabinet Secretary (Resilient Communities & Children)") == (
        "cabinet-secretary-resilient-communities-and-children"
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([{"portfolios": ["x"]}], r"report.committees\[0\] has no name"),
        ([{"name": "A"}], r"report.committees\[0\] \(A\) selects no indicators"),
        ([{"name": "A", "services": "Public Health", "wards": ["x"]}], "unknown key"),
        ([{"name": "A", "services": [{"x": 1}]}], "must be a list of names"),
        ([{"name": "A", "services": ["x"]}, {"name": "a", "services": ["y"]}], "used by another"),
        ({"name": "A"}, "must be a list"),
    ],
)
def test_bad_committees_name_the_key_and_the_fix(raw, message):
    with pytest.raises(ConfigError, match=message):
        parse_committees(raw, "council.yml")


def test_a_committee_selects_by_portfolio_service_priority_or_id(data):
    both = parse_committees(
        [{"name": "Public health and looked after", "services": ["public health"],
          "indicators": ["cla"]}], "council.yml",
    )[0]  # fmt: skip
    chosen = [i for i, ind in data.catalogue.items() if both.selects(ind)]
    assert chosen == ["opiate_completions", "non_opiate_completions", "alcohol_completions", "cla"]


def test_a_portfolio_by_its_full_name_or_a_unique_part(data):
    indicators = list(data.catalogue.values())
    assert portfolio_pack(indicators, RC.upper()).portfolios == (RC,)
    assert portfolio_pack(indicators, "children's").portfolios == (RCC,)
    with pytest.raises(ConfigError, match="matches several portfolios"):
        portfolio_pack(indicators, "Resilient Communities")
    with pytest.raises(ConfigError, match="is no portfolio in indicators.yml"):
        portfolio_pack(indicators, "Highways")


def test_the_bundled_packs_are_the_two_portfolios_the_papers_print(data):
    names = [c.name for c in data.council.committees]
    assert names == ["Resilient Communities", "Resilient Communities and Children's"]
    pack = find_committee(data.council.committees, "resilient-communities-and-childrens")
    assert [i for i, ind in data.catalogue.items() if pack.selects(ind)] == [
        "cla", "early_help_assessments", "cin",  # as paper_2017-18_Q2 prints them
    ]  # fmt: skip


def test_a_subset_pack_keeps_the_whole_reports_results(q2):
    committee = resolve_subset(f"portfolio:{RCC}", (), q2.data.catalogue.values())
    pack = subset_pack(q2, committee)
    assert list(pack.results) == ["cla", "early_help_assessments", "cin"]
    assert all(pack.results[i] is q2.results[i] for i in pack.results)
    assert set(pack.scorecard["indicator_id"]) == set(pack.reported)
    assert pack.title == (
        "Blackpool performance report, 2017-18 Q2 (Cabinet Secretary (Resilient Communities "
        "and Children's))"
    )
    assert apply_subset(q2, "") is q2
    with pytest.raises(ConfigError, match="selects no indicator"):
        subset_pack(q2, Committee("Empty", "empty", services=("Highways",)))


def test_a_notebook_takes_the_pack_made_for_its_subset_only(q2, tmp_path):
    import pickle

    from analysis.report import _cached_pack

    pack = apply_subset(q2, "committee:Resilient Communities")
    path = tmp_path / "pack.pickle"
    path.write_bytes(pickle.dumps(pack))
    assert _cached_pack(str(path), "2017-18 Q2", False, "committee:Resilient Communities")
    assert _cached_pack(str(path), "2017-18 Q2", False, "") is None  # the whole report's asked
    assert _cached_pack(str(path), "2017-18 Q2", False, None) is not None  # an older notebook


# --- the packs as `outturn run --all-committees` makes them, with RAG on -----------------------


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """2015-16 Q2 with RAG on, the report and both portfolio packs made in one go."""
    root = copy_project(tmp_path_factory.mktemp("committees"))
    council = root / "data" / "council.yml"
    text = council.read_text(encoding="utf-8")
    council.write_text(text.replace('  # rag: {tolerance: "10%", amber_if_improving: false}',
                                    '  rag: {tolerance: "10%"}'), encoding="utf-8")  # fmt: skip
    done = subprocess.run(
        [*outturn_command(), "run", "-q", "2015-16 Q2", "--all-committees", "--engine", "python",
         "--project", str(root)], capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return root, root / "reports" / "2015-16-Q2", done.stderr


@pytest.mark.slow
def test_every_pack_is_made_in_its_own_folder(made):
    root, quarter, said = made
    assert "done: 2015-16 Q2 -> reports/2015-16-Q2/resilient-communities/index.html" in said
    children = quarter / "resilient-communities-and-childrens"
    card = pd.read_csv(children / "scorecard.csv", dtype=str, keep_default_na=False)
    assert set(card.indicator_id) == {"cla"}  # the only one of its indicators with a figure
    assert list(card.columns[-2:]) == ["exception_reason", "rag"]
    whole = pd.read_csv(quarter / "scorecard.csv", dtype=str, keep_default_na=False)
    same = whole[whole.indicator_id == "cla"].reset_index(drop=True)
    assert card.equals(same)  # the pack reads the whole report's figures
    from pages import text_of

    page = text_of((children / "index.html").read_text(encoding="utf-8"))
    assert "Blackpool performance report, 2015-16 Q2 (Resilient Communities and Children's): " \
        "overview" in page  # fmt: skip
    home = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert "2015-16-Q2/index.html" in home and "resilient-communities/index.html" not in home


@pytest.mark.slow
def test_the_overview_has_counts_groups_subtotals_a_rag_column_and_the_key(made):
    from pages import main_text, table, tables

    _, quarter, _ = made
    page = (quarter / "index.html").read_text(encoding="utf-8")
    text = main_text(page)
    assert "2015-16 Q2: 8 indicators; 8 rated: 1 green, 1 amber, 6 red; 17 more with no " \
        "figure this quarter." in text  # fmt: skip
    captions = [t["caption"] for t in tables(page)]
    priority = "Communities: Creating stronger communities and increasing resilience"
    assert f"Scorecard, 2015-16 Q2: {priority}" in captions
    assert "Scorecard, 2015-16 Q2: Other indicators" in captions
    grouped = table(page, f"Scorecard, 2015-16 Q2: {priority}")
    assert [r["Indicator"] for r in grouped] == [
        "Pupils in good or outstanding schools", "GCSE 5 A*-C including English and maths",
        "Children looked after", "Repeat child protection plans",
    ]  # fmt: skip
    assert [r["RAG"] for r in grouped] == ["Red", "Red", "Amber", "Red"]  # words, not colour
    assert "Subtotal: 4 indicators; 4 rated: 0 green, 1 amber, 3 red." in text
    key = table(page, "Key: RAG status against target")
    assert [r["Status"] for r in key] == ["Green", "Amber", "Red", "Not rated"]
    assert key[1]["Meaning"] == "Missed the target: missed by no more than 10% of the target"
    assert '<span class="rag-shape" aria-hidden="true">\u25b2</span> Amber' in page


@pytest.mark.slow
def test_the_exception_page_shows_rag_and_the_indicator_metadata(made):
    from pages import section, table, text_of

    _, quarter, _ = made
    page = (quarter / "exceptions.html").read_text(encoding="utf-8")
    cla = text_of(section(page, "cla"))
    assert "RAG status: Amber: missed by 11.5, within the tolerance of 14.47." in cla
    about = {r["About"]: r["Detail"] for r in table(page, "Children looked after: about this "
                                                         "indicator")}  # fmt: skip
    assert about["Owner"] == "Director of Children's Services"
    assert about["Accountable officer"] == "Diane Booth, Director of Children's Services"
    assert about["Portfolio"] == RCC
    methods = (quarter / "methods.html").read_text(encoding="utf-8")
    definitions = {r["Indicator"]: r for r in table(methods, "Indicator definitions")}
    assert definitions["Children looked after"]["Definition"].startswith(
        "Children looked after by the council at the end of the period"
    )
    assert "Provisional: there is no robust system" in \
        definitions["Early help assessments"]["Data quality"]  # fmt: skip


@pytest.mark.slow
def test_publishing_copies_the_packs_and_records_the_commentary(made):
    import json

    root, _, _ = made
    site = root / "site"
    done = subprocess.run(
        [*outturn_command(), "publish", "--quarter", "2015-16 Q2", "--to", str(site),
         "--project", str(root)], capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    published = site / "2015-16-Q2"
    assert (published / "resilient-communities-and-childrens" / "index.html").is_file()
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["commentary"]["cla"] == {
        "author": "",
        "date": "",
        "status": "",
        "cleared_by": "",
        "cleared_on": "",
    }  # the paper's own text: no record of who wrote or cleared it
    assert "resilient-communities/index.html" in manifest["files"]


@pytest.mark.slow
def test_running_the_whole_report_again_says_the_packs_went_with_it(made):
    root, quarter, _ = made
    done = subprocess.run(
        [*outturn_command(), "run", "-q", "2015-16 Q2", "--engine", "python", "--project",
         str(root)], capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "note: the packs made earlier in 2015-16-Q2/ (resilient-communities, " \
        "resilient-communities-and-childrens) went with the old report" in done.stderr  # fmt: skip
    assert not (quarter / "resilient-communities").exists()
