"""Collecting commentary: requests per owner with a deadline, returned files, sign-off, status."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess

import pytest
from rendered_quarter import copy_project, outturn_command

from analysis.collection import (
    CommentaryError,
    build_requests,
    clear_commentary,
    commentary_record,
    import_returned,
    meeting_and_deadline,
    request_markdown,
    sent_requests,
    split_returned,
    status_rows,
    uncleared_exceptions,
    write_requests,
)
from analysis.config import project_paths
from analysis.loading import parse_commentary
from analysis.pack import build_pack
from analysis.periods import parse_period
from analysis.validation import load_project

Q3 = parse_period("2017-18 Q3")
SENT = dt.date(2018, 1, 15)
CS = "Director of Children's Services"
QUARTO = shutil.which("quarto")


@pytest.fixture
def project(tmp_path):
    """A copy of the bundled project, with its 2017-18 Q3 pack."""
    root = copy_project(tmp_path)
    return build_pack(load_project(project_paths(root)), Q3)


def fill(text: str, indicator_id: str, commentary: str, response: str) -> str:
    """Write an owner's answer into one indicator's empty sections of a request."""
    start = text.index(f"({indicator_id})\n")
    at = text.index("## Commentary\n", start)
    end = text.index("## Service response\n", at) + len("## Service response\n")
    answer = f"## Commentary\n\n{commentary}\n\n## Service response\n\n{response}\n"
    return text[:at] + answer + text[end:]


def test_the_deadline_is_seven_working_days_before_the_meeting(q3):
    assert meeting_and_deadline(q3.data.council, Q3) == (dt.date(2018, 2, 8), dt.date(2018, 1, 30))
    assert meeting_and_deadline(q3.data.council, parse_period("2017-18 Q2")) == (None, None)
    five = dataclasses.replace(q3.data.council, deadline_working_days=5)
    assert meeting_and_deadline(five, Q3, "2018-04-05")[1] == dt.date(2018, 3, 27)  # Easter


def test_one_request_per_owner_exceptions_first(q3):
    requests = build_requests(q3, SENT)
    owners = {r.owner: [x.id for x in r.results] for r in requests}
    assert set(owners) == {CS, "Cabinet Secretary (Resilient Communities)"}
    children = owners[CS]
    exceptions = [i for i in children if q3.result(i).exception]
    assert children[: len(exceptions)] == exceptions  # exceptions come first
    assert "cla" in exceptions and "contacts_12m" in children
    only = build_requests(q3, SENT, exceptions_only=True)
    assert all(r.exception for req in only for r in req.results)


def test_the_request_lists_figures_rag_draft_and_empty_sections(q3):
    request = next(r for r in build_requests(q3, SENT) if r.owner == CS)
    text = request_markdown(request, q3.council_name, 7)
    assert text.startswith("---\ntitle: 'Commentary request: Director of Children''s Services, ")
    assert "deadline: '2018-01-30'\nmeeting: '2018-02-08'\n" in text
    assert "Please return it by Tuesday 30 January 2018: the papers are published 7 working " \
        "days before the committee meets on Thursday 8 February 2018" in text  # fmt: skip
    cla = text[text.index("# Children looked after (cla)") :]
    cla = cla[: cla.index("\n# ")]
    assert "| Figure for 2017-18 Q3 | 537 (no rate published) (Dec 2017) |" in cla
    assert "| Target 2017-18 | 516 |" in cla
    assert "| vs target | ↑ ✗ up, worse |" in cla
    assert "| Exception report | Yes: off target;" in cla
    assert "RAG status" not in cla  # RAG is off in the bundled council.yml
    assert "**Draft commentary (generated):** The number rose from 531 to 537" in cla
    assert cla.rstrip().endswith("## Commentary\n\n## Service response")


def test_the_request_gives_the_rag_status_when_rag_is_on(data):
    from analysis.rag import parse_rag

    council = dataclasses.replace(data.council, rag=parse_rag({"tolerance": "10%"}))
    pack = build_pack(dataclasses.replace(data, council=council), Q3)
    request = next(r for r in build_requests(pack, SENT) if r.owner == CS)
    text = request_markdown(request, pack.council_name, 7)
    assert "| RAG status | Amber: missed by 21, within the tolerance of 51.6 |" in text


def test_a_returned_file_keeps_only_the_two_sections(q3):
    request = next(r for r in build_requests(q3, SENT) if r.owner == CS)
    answer = ("Numbers rose to 537.\n\nA second paragraph.", "Discharge plans are reviewed.")
    text = fill(request_markdown(request, q3.council_name, 7), "cla", *answer)
    meta, found = split_returned(text)
    assert meta["owner"] == CS and meta["quarter"] == "2017-18 Q3"
    assert found["cla"].commentary == "Numbers rose to 537.\n\nA second paragraph."
    assert found["cla"].service_response == "Discharge plans are reviewed."
    assert found["cp_plans"].is_empty  # not filled in: the draft and figures are not taken
    assert "Draft" not in found["cla"].commentary


def test_requests_are_written_and_kept_unless_forced(project):
    requests = build_requests(project, SENT)
    done = write_requests(project, requests)
    assert len(done.files) == (4 if QUARTO else 2)
    folder = project.data.paths.commentary_dir / "2017-18-Q3" / "requests"
    md = sorted(p.name for p in folder.glob("*.md"))
    assert md == ["cabinet-secretary-resilient-communities.md", "director-of-childrens-services.md"]
    assert (folder / "director-of-childrens-services.docx").is_file() is (QUARTO is not None)
    again = write_requests(project, requests)
    assert again.files == [] and len(again.kept) == 2
    assert sent_requests(folder)["cla"] == (CS, "2018-01-15")


def _returned(project, tmp_path, **answers) -> tuple:
    request = next(r for r in build_requests(project, SENT) if r.owner == CS)
    text = request_markdown(request, project.council_name, 7)
    for ind, (commentary, response) in answers.items():
        text = fill(text, ind, commentary, response)
    path = tmp_path / "returned.md"
    path.write_text(text, encoding="utf-8")
    return project.data.paths, project.data.catalogue, path


def test_import_files_each_answer_with_its_author_and_date(project, tmp_path):
    paths, catalogue, path = _returned(project, tmp_path, cla=("Rose to 537.", "Plans reviewed."))
    target = paths.commentary_dir / "2017-18-Q3" / "cla.md"
    target.unlink()  # the bundled file holds the paper's text
    done = import_returned(paths, catalogue, path, received=dt.date(2018, 1, 29))
    assert done.written == [target] and "cp_plans" in done.empty
    assert target.read_text(encoding="utf-8") == (
        "---\nauthor: Director of Children's Services\ndate: '2018-01-29'\nstatus: received\n"
        "---\n\n## Commentary\n\nRose to 537.\n\n## Service response\n\nPlans reviewed.\n"
    )
    again = import_returned(paths, catalogue, path, received=dt.date(2018, 1, 30))
    assert again.written == [] and again.unchanged == [target]


def test_import_refuses_to_overwrite_other_text_without_force(project, tmp_path):
    paths, catalogue, path = _returned(project, tmp_path, cla=("New text.", "New response."))
    before = (paths.commentary_dir / "2017-18-Q3" / "cla.md").read_text(encoding="utf-8")
    with pytest.raises(CommentaryError, match=r"already has other commentary for cla.md"):
        import_returned(paths, catalogue, path)
    assert (paths.commentary_dir / "2017-18-Q3" / "cla.md").read_text(encoding="utf-8") == before
    import_returned(paths, catalogue, path, force=True, author="A. N. Officer")
    meta = parse_commentary((paths.commentary_dir / "2017-18-Q3" / "cla.md").read_text(), "cla")
    assert meta.meta["author"] == "A. N. Officer" and meta.commentary == "New text."


def test_import_names_an_unknown_indicator(project, tmp_path):
    paths, catalogue, path = _returned(project, tmp_path)
    path.write_text(path.read_text().replace("(cla)", "(cla_typo)"), encoding="utf-8")
    with pytest.raises(CommentaryError, match=r"not in the catalogue: cla_typo"):
        import_returned(paths, catalogue, path)


@pytest.mark.skipif(QUARTO is None, reason="the quarto CLI is not on PATH")
def test_a_word_copy_filled_in_and_returned_is_read_back(project, tmp_path):
    paths, catalogue, path = _returned(project, tmp_path, cp_plans=("Down to 356.", "Steps down."))
    docx = tmp_path / "returned.docx"
    subprocess.run([QUARTO, "pandoc", str(path), "-o", str(docx)], check=True, timeout=120)
    (paths.commentary_dir / "2017-18-Q3" / "cp_plans.md").unlink()
    done = import_returned(paths, catalogue, docx, received=dt.date(2018, 1, 29))
    found = parse_commentary(done.written[0].read_text(encoding="utf-8"), "cp_plans")
    assert (found.commentary, found.service_response) == ("Down to 356.", "Steps down.")
    assert found.meta["author"] == CS  # read from the opening: Word drops the front matter


def test_clear_records_sign_off_and_keeps_the_text(project):
    paths = project.data.paths
    path = paths.commentary_dir / "2017-18-Q3" / "cla.md"
    body = path.read_text(encoding="utf-8")
    clear_commentary(paths, "cla", Q3, "Diane  Booth", dt.date(2018, 1, 31))
    text = path.read_text(encoding="utf-8")
    assert text == (
        "---\nstatus: cleared\ncleared_by: Diane Booth\ncleared_on: '2018-01-31'\n---\n\n" + body
    )
    assert parse_commentary(text, "cla").cleared
    with pytest.raises(CommentaryError, match="no commentary for cla in 2016-17 Q2"):
        clear_commentary(paths, "cla", parse_period("2016-17 Q2"), "X", dt.date(2018, 1, 31))
    with pytest.raises(CommentaryError, match=r"\[--by\]|--by: is empty"):
        clear_commentary(paths, "cla", Q3, "  ", dt.date(2018, 1, 31))


def test_status_and_the_manifest_read_the_front_matter(project, tmp_path):
    paths, catalogue, path = _returned(project, tmp_path, cla=("Rose.", "Reviewed."))
    write_requests(project, build_requests(project, SENT))
    import_returned(paths, catalogue, path, force=True, received=dt.date(2018, 1, 29))
    clear_commentary(paths, "cla", Q3, "Diane Booth", dt.date(2018, 1, 31))
    pack = build_pack(load_project(paths), Q3)
    rows = {r["indicator"]: r for r in status_rows(pack, sent_requests(
        paths.commentary_dir / "2017-18-Q3" / "requests"))}  # fmt: skip
    assert rows["cla"] == {
        "indicator": "cla", "owner": CS, "requested": "2018-01-15", "received": "2018-01-29",
        "cleared by": "Diane Booth", "date": "2018-01-31", "missing": "",
    }  # fmt: skip
    assert rows["contacts"]["missing"] == "service response, clearance"  # the paper's text only
    assert rows["contacts_12m"]["missing"] == ""  # not an exception: commentary optional
    assert "cla (" not in " ".join(uncleared_exceptions(pack))
    assert "contacts (not cleared)" in uncleared_exceptions(pack)
    record = commentary_record(paths.commentary_dir / "2017-18-Q3")
    assert record["cla"] == {"author": CS, "date": "2018-01-29", "status": "cleared",
                             "cleared_by": "Diane Booth", "cleared_on": "2018-01-31"}  # fmt: skip
    assert record["contacts"]["cleared_by"] == ""


def test_a_published_run_warns_or_stops_while_an_exception_is_not_cleared(q3):
    from analysis.errors import OutturnError
    from analysis.pipeline import check_clearance

    said: list[str] = []
    check_clearance(q3, said.append)
    assert said[0].startswith("warning: 9 exception report(s) not cleared: cla (not cleared)")
    strict = dataclasses.replace(q3.data, council=dataclasses.replace(
        q3.data.council, require_clearance=True))  # fmt: skip
    with pytest.raises(OutturnError, match=r"report.require_clearance is true"):
        check_clearance(dataclasses.replace(q3, data=strict), said.append)


def test_bad_front_matter_is_a_validation_problem(tmp_path):
    from analysis.loading import read_commentary

    folder = tmp_path / "2017-18-Q3"
    folder.mkdir()
    (folder / "cla.md").write_text("---\nstatus: done\ncleared_on: soon\n---\n## Commentary\nx\n")
    (folder / "cin.md").write_text("---\nauthor: [unclosed\n---\n## Commentary\nx\n")
    found, problems = read_commentary(folder)
    messages = sorted(p.one_line() for p in problems)
    assert any("[status] status 'done' is not one of draft, received, cleared" in m
               for m in messages)  # fmt: skip
    assert any("[cleared_on] cleared_on 'soon' is not a date" in m for m in messages)
    assert any("cin.md:1: [front matter] the front matter is not valid YAML" in m
               for m in messages)  # fmt: skip
    assert found["cla"].commentary == "x"  # the page still shows what was written


# --- the commands, through the real CLI with output to a pipe ---------------------------------


def outturn(root, *args):
    return subprocess.run([*outturn_command(), *args, "--project", str(root)],
                          capture_output=True, text=True, check=False, timeout=300)  # fmt: skip


def test_the_quarter_through_the_commands(tmp_path):
    root = copy_project(tmp_path)
    done = outturn(root, "new-quarter", "2017-18 Q3", "--date", "2018-01-15")
    assert done.returncode == 0, done.stderr
    assert "wrote data/commentary/2017-18-Q3/requests/director-of-childrens-services.md" in \
        done.stderr  # fmt: skip
    assert done.stderr.strip().endswith("done: 2 request(s) for 2017-18 Q3; due 2018-01-30")
    request = root / "data/commentary/2017-18-Q3/requests/director-of-childrens-services.md"
    returned = tmp_path / "back.md"
    returned.write_text(fill(request.read_text(), "cp_plans", "Down.", "Stepping down."))
    clash = outturn(root, "import", "commentary", str(returned))
    assert clash.returncode == 1 and "already has other commentary for cp_plans.md" in clash.stderr
    filed = outturn(root, "import", "commentary", str(returned), "--force", "--date", "2018-01-29")
    assert filed.returncode == 0, filed.stderr
    assert "wrote data/commentary/2017-18-Q3/cp_plans.md" in filed.stderr
    cleared = outturn(root, "clear", "cp_plans", "--quarter", "2017-18 Q3", "--by", "Diane Booth",
                      "--date", "2018-01-31")  # fmt: skip
    assert cleared.returncode == 0, cleared.stderr
    status = outturn(root, "status", "--quarter", "2017-18 Q3")
    assert status.returncode == 0, status.stderr
    assert (
        "indicator: cp_plans; owner: Director of Children's Services; requested: 2018-01-15; "
        "received: 2018-01-29; cleared by: Diane Booth; date: 2018-01-31; missing: -"
    ) in status.stdout.splitlines()
    assert "2017-18 Q3: 25 indicator(s), 1 cleared" in status.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("new-quarter", "2017-18"), 2, "QUARTER '2017-18' is a year, not a quarter"),
        (("new-quarter", "2017-18 Q3", "--meeting", "8/2/18"), 2,
         "--meeting '8/2/18' is not a date"),
        (("clear", "cla_typo", "-q", "2017-18 Q3", "--by", "X"), 1,
         "indicator 'cla_typo' is not in"),
        (("clear", "cla", "-q", "2016-17 Q2", "--by", "X"), 1,
         "data/commentary/2016-17-Q2/cla.md: no commentary for cla in 2016-17 Q2. Fix: import"),
        (("import", "commentary", "missing.md"), 1, "missing.md: file not found"),
        (("run", "--portfolio", "Nowhere"), 1, "--portfolio 'Nowhere' is no portfolio"),
        (("run", "--committee", "Cabinet"), 1, "--committee 'Cabinet': no such pack"),
        (("run", "--portfolio", "x", "--committee", "y"), 2, "give one of --portfolio"),
    ],
)  # fmt: skip
def test_bad_arguments_say_what_to_write(tmp_path, args, code, message):
    root = copy_project(tmp_path)
    done = subprocess.run([*outturn_command(), *args, "--project", str(root)], cwd=root,
                          capture_output=True, text=True, check=False, timeout=300)  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == code, output
    assert message in output and "Traceback" not in output
    assert not (root / "reports").exists() or not any((root / "reports").iterdir())


def test_the_manifest_records_each_commentarys_sign_off(tmp_path):
    from analysis.publishing import commentary_signoff

    root = copy_project(tmp_path)
    paths = project_paths(root)
    clear_commentary(paths, "cla", Q3, "Diane Booth", dt.date(2018, 1, 31))
    record = commentary_signoff(paths, "2017-18 Q3")
    assert record["cla"]["cleared_by"] == "Diane Booth" and record["cla"]["status"] == "cleared"
    assert set(record) == {p.stem for p in (paths.commentary_dir / "2017-18-Q3").glob("*.md")}


def test_a_folder_of_returned_files_is_read_whole(tmp_path):
    from analysis.collection import returned_files

    (tmp_path / "a.md").write_text("x")
    (tmp_path / "b.docx").write_bytes(b"x")
    (tmp_path / "~$b.docx").write_bytes(b"lock")  # Word's lock file while it is open
    (tmp_path / "notes.txt").write_text("x")
    assert [p.name for p in returned_files(tmp_path)] == ["a.md", "b.docx"]
    with pytest.raises(CommentaryError, match="holds no .md or .docx files"):
        returned_files(_empty(tmp_path))


def _empty(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder
