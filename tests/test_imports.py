"""`outturn import` into a project: kinds checked, merging, stubs, sources, DfE refresh, init."""

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from shared_data import NEEDS_SHARED, SHARED
from typer.testing import CliRunner

from analysis.cli import app
from analysis.config import project_paths
from analysis.councils import init_project
from analysis.errors import ConfigError, DataError
from analysis.imports import import_file
from analysis.validation import inspect_project

pytestmark = NEEDS_SHARED
LAIT = SHARED / "dfe_lait_csc_indicators_2016_2023_long.csv"
EES = SHARED / "dfe_ees_csc_counts_rates_2013_2023_long.csv"
TRAFFORD, STOCKPORT, WIGAN = "E08000009", "E08000007", "E08000010"
HEADER = "area_code,area_name,period,indicator,value\n"
GROUP = "comparators:\n  cipfa:\n    name: CIPFA nearest neighbours\n    areas: [E08000007]\n"


@pytest.fixture(scope="module")
def initialised(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("init") / "trafford"
    init_project(root, "E08000009", source_dir=SHARED)
    return root


@pytest.fixture
def project(initialised, tmp_path) -> Path:
    root = tmp_path / "trafford"
    shutil.copytree(initialised, root)
    council = root / "data" / "council.yml"
    council.write_text(council.read_text() + GROUP)
    return root


def tidy(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def own_values(root: Path, source: str = "planning") -> pd.DataFrame:
    return pd.read_csv(root / "data" / "values" / f"{source}.csv")


PLANNING = "% of non-major planning applications decided on time"
Q1 = [f"{TRAFFORD},Trafford,Q1 2023/24,{PLANNING},91.5",
      f"{STOCKPORT},Stockport,Q1 2023/24,{PLANNING},88.0",
      f"{WIGAN},Wigan,Q1 2023/24,{PLANNING},70.0",
      f"E92000001,England,Q1 2023/24,{PLANNING},87.0"]  # fmt: skip
Q2 = [f"{TRAFFORD},Trafford,2023/24 Q2,{PLANNING},93.0",
      f"{STOCKPORT},Stockport,2023-24 Q2,{PLANNING},89.0"]  # fmt: skip


def test_two_imports_add_up_and_a_rerun_changes_nothing(project, tmp_path):
    first = import_file("tidy", tidy(tmp_path, "q1.csv", Q1), project, source="planning",
                        published="2023-08-10")  # fmt: skip
    assert (first.merge.added, first.dropped, first.dropped_areas) == (3, 1, ["Wigan"])
    second = import_file("tidy", tidy(tmp_path, "q2.csv", Q2), project, source="planning",
                         published="2023-11-09")  # fmt: skip
    assert (second.merge.added, second.stubs) == (2, [])  # same indicator: no second stub
    values = own_values(project)
    assert len(values) == 5
    assert set(values["period"]) == {"2023-24 Q1", "2023-24 Q2"}
    assert set(values["vintage"]) == {"2023-08-10", "2023-11-09"}
    path = project / "data" / "values" / "planning.csv"
    before, stamp = path.read_bytes(), path.stat().st_mtime_ns
    again = import_file("tidy", tmp_path / "q2.csv", project, source="planning",
                        published="2023-12-01")  # fmt: skip
    assert (again.merge.added, again.merge.revised, again.merge.unchanged) == (0, 0, 2)
    assert again.written == [] and again.stubs == []
    assert path.read_bytes() == before and path.stat().st_mtime_ns == stamp


def test_changed_figure_is_a_revision_or_a_correction(project, tmp_path):
    import_file("tidy", tidy(tmp_path, "a.csv", Q2), project, source="planning",
                published="2023-11-09")  # fmt: skip
    revised = [Q2[0].replace("93.0", "92.6")]
    later = import_file("tidy", tidy(tmp_path, "b.csv", revised), project, source="planning",
                        published="2024-02-01")  # fmt: skip
    assert (later.merge.revised, later.merge.added) == (1, 0)
    rows = own_values(project).query("area_code == @TRAFFORD").sort_values("vintage")
    assert rows[["value", "vintage"]].values.tolist() == [[93.0, "2023-11-09"],
                                                        [92.6, "2024-02-01"]]  # fmt: skip
    fixed = import_file("tidy", tidy(tmp_path, "c.csv", [Q2[0].replace("93.0", "93.2")]),
                        project, source="planning", published="2023-11-09")  # fmt: skip
    assert fixed.merge.corrected == 1
    rows = own_values(project).query("area_code == @TRAFFORD").sort_values("vintage")
    assert rows["value"].tolist() == [93.2, 92.6]


def test_new_indicator_gets_a_stub_validate_flags_and_a_source(project, tmp_path):
    result = import_file("tidy", tidy(tmp_path, "q1.csv", Q1), project, source="planning",
                         published="2023-08-10")  # fmt: skip
    assert result.stubs == ["pct_non_major_planning_applications"]
    assert result.source_created == "planning"
    catalogue = yaml.safe_load((project / "data" / "indicators.yml").read_text())
    stub = catalogue["indicators"][-1]
    assert (stub["title"], stub["unit"], stub["frequency"]) == (PLANNING, "percent", "quarterly")
    assert stub["comparator"] == "cipfa"  # the group whose councils are in the file
    assert set(stub["to_check"]) == {"better", "unit", "frequency", "measure", "comparator"}
    sources = yaml.safe_load((project / "data" / "sources.yml").read_text())["sources"]
    assert {"id": "planning", "title": "q1.csv", "published": "2023-08-10"}.items() <= sources[
        -1
    ].items()
    _, problems = inspect_project(project_paths(project))
    assert [p.location for p in problems] == [
        f"indicator 'pct_non_major_planning_applications', {k}"
        for k in ("better", "unit", "frequency", "measure", "comparator")
    ]
    assert "set 'better'" in problems[0].fix and "to_check" in problems[0].fix
    assert "# written by outturn init" in (project / "data" / "indicators.yml").read_text()


def test_ids_are_short_and_id_option_names_them(project, tmp_path):
    long_name = ("Percentage of household waste sent for reuse, recycling or composting, "
                 "including green waste collected at the kerbside")  # fmt: skip
    rows = [f'{TRAFFORD},Trafford,Apr 2023,"{long_name}",45.1',
            f"{TRAFFORD},Trafford,Apr 2023,{PLANNING},91.0"]  # fmt: skip
    result = import_file("tidy", tidy(tmp_path, "w.csv", rows), project, source="own",
                         published="2023-06-01", ids=[f"{PLANNING}=non_major_on_time"])  # fmt: skip
    assert result.stubs == ["pct_household_waste_sent_reuse_recycling", "non_major_on_time"]
    assert all(len(i) <= 40 for i in result.stubs)
    with pytest.raises(DataError, match=r"is not a short snake_case id"):
        import_file("tidy", tmp_path / "w.csv", project, ids=[f"{PLANNING}=Not An Id"])


def test_without_published_the_file_date_is_used_and_said_loudly(project, tmp_path):
    path = tidy(tmp_path, "q1.csv", Q1)
    os.utime(path, (1_700_000_000, 1_700_000_000))  # 14 November 2023
    result = import_file("tidy", path, project, source="planning")
    assert "no --published date given" in result.warnings[0]
    assert "2023-11-14" in result.warnings[0]
    assert set(own_values(project)["vintage"]) == {"2023-11-14"}
    out = CliRunner().invoke(app, ["import", "tidy", str(path), "--project", str(project),
                                   "--source", "other"])  # fmt: skip
    assert out.exit_code == 0 and "WARNING:" in out.output


@pytest.mark.parametrize(
    ("kind", "file", "match"),
    [
        ("population", LAIT, r"looks like a DfE LAIT long file.*outturn import lait"),
        ("tidy", LAIT, r"looks like a DfE LAIT long file"),
        ("lait", EES, r"looks like a DfE Explore Education Statistics"),
        ("ees", SHARED / "trafford_children_vs_stat_neighbours_to_2022-23.csv", r"tidy CSV"),
    ],
)
def test_a_file_of_another_kind_is_refused_before_anything_is_written(project, kind, file, match):
    before = {p: p.read_bytes() for p in (project / "data").rglob("*") if p.is_file()}
    with pytest.raises(DataError, match=match):
        import_file(kind, file, project)
    after = {p: p.read_bytes() for p in (project / "data").rglob("*") if p.is_file()}
    assert after == before


def test_source_file_is_never_modified_and_no_temporary_file_left(project, tmp_path):
    path = tidy(tmp_path, "q1.csv", Q1)
    text, stamp = path.read_bytes(), path.stat().st_mtime_ns
    import_file("tidy", path, project, source="planning", published="2023-08-10")
    assert path.read_bytes() == text and path.stat().st_mtime_ns == stamp
    assert not [p for p in (project / "data").rglob("*.tmp")]


# --- DfE refresh ----------------------------------------------------------------------------
def newer_lait(tmp_path: Path) -> Path:
    """The LAIT file with a made-up 2024 added (2023's figures plus one)."""
    raw = pd.read_csv(LAIT, dtype=str, keep_default_na=False)
    latest = raw[raw["period"] == "2023"].copy()
    latest["period"] = "2024"
    value = pd.to_numeric(latest["value"], errors="coerce")
    latest["value"] = (value + 1).map(lambda v: "" if pd.isna(v) else f"{v:.1f}")
    path = tmp_path / "lait_download_renamed.csv"
    pd.concat([raw[raw["period"] != "2016"], latest]).to_csv(path, index=False)
    return path


def test_init_dates_each_year_by_its_release(initialised):
    values = pd.read_csv(initialised / "data" / "values" / "dfe.csv")
    cin = values[(values["indicator_id"] == "cin") & (values["area_code"] == TRAFFORD)]
    by_year = dict(zip(cin["period"], cin["vintage"], strict=True))
    assert by_year["2022-23"] == "2023-11-16"
    assert by_year["2015-16"] == "2016-11-16"
    assert by_year["2012-13"] == "2013-11-16"
    assert len(set(values["vintage"])) > 5


def test_lait_refresh_adds_the_new_year_with_inits_ids(project, tmp_path):
    before = pd.read_csv(project / "data" / "values" / "dfe.csv")
    result = import_file("lait", newer_lait(tmp_path), project, published="2024-11-14")
    after = pd.read_csv(project / "data" / "values" / "dfe.csv")
    assert "CIN" not in set(after["indicator_id"])
    new = after[after["period"] == "2023-24"]
    assert len(new) == result.merge.added > 0
    assert set(new["vintage"]) == {"2024-11-14"}
    assert set(new["source"]) == {"dfe_lait_2024"}
    assert set(new["indicator_id"]) <= set(before["indicator_id"])
    cin = new[(new["indicator_id"] == "careleavereet") & (new["area_code"] == TRAFFORD)]
    assert len(cin) == 1
    assert result.merge.revised == 0 and len(after) == len(before) + result.merge.added
    sources = yaml.safe_load((project / "data" / "sources.yml").read_text())["sources"]
    assert "dfe_lait_2024" in {s["id"] for s in sources}
    again = import_file("lait", tmp_path / "lait_download_renamed.csv", project,
                        published="2024-11-14")  # fmt: skip
    assert again.merge.added == 0 and again.written == []


def test_ees_refresh_of_the_same_release_changes_nothing(project):
    result = import_file("ees", EES, project)
    assert (result.merge.added, result.merge.revised) == (0, 0)
    assert result.merge.unchanged > 1000


def test_init_finds_renamed_files_by_their_columns(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    for n, path in enumerate(sorted(SHARED.glob("dfe_*.csv"))):
        os.symlink(path, folder / f"download ({n}).csv")
    init_project(tmp_path / "p", "Blackpool", source_dir=folder)
    assert inspect_project(project_paths(tmp_path / "p"))[1] == []
    sources = yaml.safe_load((tmp_path / "p" / "data" / "sources.yml").read_text())["sources"]
    assert {Path(s["file"]).name for s in sources if s["id"].startswith("dfe_lait")} == {
        "download (3).csv"
    }


def test_init_with_a_folder_missing_a_file_names_it(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    os.symlink(LAIT, folder / "a.csv")
    with pytest.raises(DataError, match=r"no file found for a DfE LAIT indicator metadata"):
        init_project(tmp_path / "p", "Blackpool", source_dir=folder)


def test_init_force_keeps_added_indicators_sources_and_groups(project, tmp_path):
    import_file("tidy", tidy(tmp_path, "q1.csv", Q1), project, source="planning",
                published="2023-08-10")  # fmt: skip
    with pytest.raises(ConfigError, match=r"already exists.*--force"):
        init_project(project, "E08000009", source_dir=SHARED)
    init_project(project, "E08000009", source_dir=SHARED, force=True)
    catalogue = yaml.safe_load((project / "data" / "indicators.yml").read_text())
    ids = [e["id"] for e in catalogue["indicators"]]
    assert "pct_non_major_planning_applications" in ids and "cin" in ids
    assert len(ids) == len(set(ids)) == 30
    council = yaml.safe_load((project / "data" / "council.yml").read_text())
    assert council["comparators"]["cipfa"]["areas"] == [STOCKPORT]
    sources = yaml.safe_load((project / "data" / "sources.yml").read_text())["sources"]
    assert "planning" in {s["id"] for s in sources}
    assert len(own_values(project)) == 3


def test_init_writes_both_neighbour_models_with_their_years(initialised):
    council = yaml.safe_load((initialised / "data" / "council.yml").read_text())
    models = council["neighbours"]["models"]
    assert [(m["model"], m["years"]) for m in models] == [
        ("DfE CSC SN model April 2021", {"to": "2024-25"}),
        ("DfE CSC SN model May 2025", {"from": "2025-26"}),
    ]
    assert models[1]["areas"][0]["name"] == "Hertfordshire"
    assert council["neighbours"]["areas"] == models[0]["areas"]  # the old block still works


def test_a_revised_dfe_figure_is_dated_by_the_release_that_revised_it(project, tmp_path):
    path = newer_lait(tmp_path)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = (raw["area_code"] == TRAFFORD) & (raw["indicator_code"] == "CareLeaverEET") & (
        raw["period"] == "2022")  # fmt: skip
    raw.loc[row, "value"] = "12.3"
    raw.to_csv(path, index=False)
    result = import_file("lait", path, project, published="2024-11-14")
    assert result.merge.revised == 1
    values = pd.read_csv(project / "data" / "values" / "dfe.csv")
    eet = values[(values["indicator_id"] == "careleavereet") & (values["area_code"] == TRAFFORD)
                 & (values["period"] == "2021-22")].sort_values("vintage")  # fmt: skip
    assert eet["vintage"].tolist() == ["2022-11-16", "2024-11-14"]
    assert eet["value"].iloc[-1] == 12.3


def test_an_option_the_kind_does_not_take_is_refused(project, tmp_path):
    with pytest.raises(DataError, match=r"outturn import tidy does not take --sheet"):
        import_file("tidy", tidy(tmp_path, "q1.csv", Q1), project, sheet="Data")
