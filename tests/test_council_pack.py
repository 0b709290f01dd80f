"""Any council's pack from `outturn init` alone (Trafford: no papers, DfE data only)."""

import pandas as pd
import pytest
from shared_data import NEEDS_SHARED, SHARED
from typer.testing import CliRunner

from analysis.cli import app

pytestmark = NEEDS_SHARED


@pytest.mark.slow
def test_trafford_pack_runs_from_init_alone_latest_year(tmp_path):
    runner = CliRunner()
    init = runner.invoke(
        app,
        ["init", "--council", "E08000009", "--project", str(tmp_path), "--source-dir", str(SHARED)],
    )
    assert init.exit_code == 0, init.output
    run = runner.invoke(app, ["run", "--project", str(tmp_path), "--engine", "python"])
    assert run.exit_code == 0, run.output
    folder = tmp_path / "reports" / "2022-23-Q4"
    card = pd.read_csv(folder / "scorecard.csv")
    cin = card[(card["indicator_id"] == "cin") & (card["comparison"] == "previous_year_end")]
    # Trafford's children-in-need rate at 31 March 2023 and 2022, as DfE published them
    traf = pd.read_csv(SHARED / "dfe_lait_csc_indicators_2016_2023_long.csv")
    traf = traf[(traf["area_code"] == "E08000009") & (traf["indicator_code"] == "CIN")]
    by_year = traf.set_index("period")["value"]
    assert cin["value"].iloc[0] == pytest.approx(by_year[2023])
    assert cin["baseline_value"].iloc[0] == pytest.approx(by_year[2022])
    page = (folder / "index.html").read_text()
    assert "Trafford performance report, 2022-23 Q4" in page
    assert 'src="http' not in page
