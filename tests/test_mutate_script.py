"""scripts/mutate.py: how ``make mutate`` scores modules from mutmut's verdicts.

The score decides whether a core module meets its 95 % target, so a miscount (an equivalent
entry that hides a killed mutant, a module with nothing checked reported as perfect) would
let a gap in the tests through unnoticed.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import mutate


def write_meta(root: Path, source: str, codes: dict[str, int | None]) -> None:
    meta = root / f"{source}.meta"
    meta.parent.mkdir(parents=True, exist_ok=True)
    meta.write_text(json.dumps({"exit_code_by_key": codes}), "utf-8")


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(mutate, "MUTANTS", tmp_path / "mutants")
    monkeypatch.setattr(mutate, "EQUIVALENTS", tmp_path / "equivalents.txt")
    return tmp_path


def test_module_names_are_the_prefix_of_their_mutants() -> None:
    assert mutate.module_name("cxreports/_files.py") == "cxreports._files"
    assert mutate.module_name("cxreports/cli/__init__.py") == "cxreports.cli"


def test_an_equivalent_needs_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "eq.txt"
    path.write_text("# header\n\ncxreports.a.x_f__mutmut_1   # same output\n", "utf-8")
    assert mutate.read_equivalents(path) == {"cxreports.a.x_f__mutmut_1": "same output"}
    path.write_text("cxreports.a.x_f__mutmut_2\n", "utf-8")
    with pytest.raises(SystemExit, match=r"eq.txt:1: an equivalent mutant needs '# reason'"):
        mutate.read_equivalents(path)
    path.write_text("cxreports.a.x_f__mutmut_2   #   \n", "utf-8")
    with pytest.raises(SystemExit, match="needs '# reason'"):
        mutate.read_equivalents(path)


def test_score_counts_each_verdict_once() -> None:
    codes: dict[str, int | None] = {
        "m.k1": 1,  # killed
        "m.k2": 3,  # pytest internal error counts as killed
        "m.t": 36,  # timeout: detected
        "m.y": 37,  # caught by the type checker: detected
        "m.s1": 0,  # survived, explained below
        "m.s2": 0,  # survived, open
        "m.n": 33,  # no tests, open
        "m.x": None,  # not checked
    }
    counts, open_ = mutate.score(codes, {"m.s1": "reason"})
    assert counts["detected"] == 4
    assert counts["equivalent"] == 1
    assert counts["survived"] == 1
    assert counts["no tests"] == 1
    assert counts["not checked"] == 1
    assert counts["total"] == 8
    assert open_ == ["m.n", "m.s2"]
    # 4 detected + 1 equivalent of the 7 checked
    assert mutate.rate(counts) == pytest.approx(5 / 7)


def test_a_module_with_nothing_checked_has_no_score() -> None:
    counts, _ = mutate.score({"m.a": None, "m.b": None}, {})
    assert mutate.rate(counts) is None


def test_report_fails_a_core_module_below_target(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mutants = workspace / "mutants"
    # 19 of 20 killed: exactly 95 %, on target.
    write_meta(mutants, "cxreports/_files.py", {f"f{i}": 1 for i in range(19)} | {"f19": 0})
    assert mutate.report(None, check=True, list_open=True) == 0
    out = capsys.readouterr().out
    assert "| **cxreports/_files.py** | 20 | 19 | 0 | 1 | 0 | 95.0% |" in out
    assert "open  cxreports/_files.py  f19" in out
    # 18 of 20 is short of it; a module outside the core list is reported but never fails.
    write_meta(mutants, "cxreports/_files.py", {f"f{i}": 1 for i in range(18)} | {"a": 0, "b": 0})
    write_meta(mutants, "cxreports/cli/_app.py", {"c": 0})
    assert mutate.report(None, check=True, list_open=False) == 1
    out = capsys.readouterr().out
    assert "below 95% killed-or-justified, or not all checked: cxreports/_files.py" in out
    assert "| cxreports/cli/_app.py | 1 | 0 | 0 | 1 | 0 | 0.0% |" in out
    assert mutate.report(["cxreports/cli/_app.py"], check=True, list_open=False) == 0


def test_equivalents_count_and_stale_ones_fail_the_check(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_meta(workspace / "mutants", "cxreports/errors.py", {"e.a": 1, "e.b": 0})
    (workspace / "equivalents.txt").write_text("e.b  # unobservable\n", "utf-8")
    assert mutate.report(None, check=True, list_open=False) == 0
    assert "| **cxreports/errors.py** | 2 | 1 | 1 | 0 | 0 | 100.0% |" in capsys.readouterr().out
    # An entry for a mutant that a test now kills, or that no longer exists, is stale: the
    # list must not keep claiming a mutant cannot be caught.
    (workspace / "equivalents.txt").write_text("e.a  # claims\ne.b  # ok\ne.gone  # old\n")
    assert mutate.report(None, check=True, list_open=False) == 1
    out = capsys.readouterr().out
    assert "stale equivalent (killed or gone; remove it from equivalents.txt): e.a" in out
    assert "stale equivalent (killed or gone; remove it from equivalents.txt): e.gone" in out


def test_report_without_a_run_says_what_to_do(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert mutate.report(None, check=False, list_open=False) == 1
    assert "run `make mutate` first" in capsys.readouterr().err


def test_the_checked_in_equivalents_file_parses() -> None:
    entries = mutate.read_equivalents()
    assert all(name.startswith("cxreports.") for name in entries)
    assert all(reason for reason in entries.values())


def test_try_leaves_out_the_tests_the_config_deselects() -> None:
    # Those tests fail under mutmut's trampolines whatever the mutant: run by --try, they
    # would make every mutant look killed.
    options = mutate.deselected()
    assert "--deselect=tests/test_compat.py::test_reportid_keyword_is_deprecated_but_works" in (
        options
    )
    assert all(option.startswith("--deselect=tests/") for option in options)


def test_core_mutants_skip_the_tests_of_what_is_built_on_the_core() -> None:
    tests = {"tests/test_files.py::test_a", "tests/test_cli.py::test_b",
             "tests/test_spec_tooling.py::test_c"}  # fmt: skip
    by_function = mutate.Selection(
        {
            "cxreports._files.xǁPartFileǁcommit": set(tests),
            "cxreports.cli._commands.x_go": set(tests),
        }
    )
    assert by_function.get("cxreports._files.xǁPartFileǁcommit") == {"tests/test_files.py::test_a"}
    assert by_function.get("cxreports.cli._commands.x_go") == tests  # not a core module
    assert by_function.get("cxreports._files.x_unknown") is None
    # What mutmut saves is the whole map: only reading through get() narrows.
    assert by_function["cxreports._files.xǁPartFileǁcommit"] == tests
    assert json.loads(json.dumps({k: sorted(v) for k, v in by_function.items()})) == {
        "cxreports._files.xǁPartFileǁcommit": sorted(tests),
        "cxreports.cli._commands.x_go": sorted(tests),
    }


def test_a_mutants_tests_run_fastest_first() -> None:
    durations = {"t::slow": 9.0, "t::fast": 0.1, "t::mid": 1.0}
    assert mutate.fastest_first(["t::slow", "t::new", "t::mid", "t::fast"], durations) == [
        "t::new", "t::fast", "t::mid", "t::slow"
    ]  # fmt: skip


def test_the_budget_keeps_the_quickest_tests_that_fit() -> None:
    seconds = {"t::a": 0.5, "t::b": 1.0, "t::c": 1.5, "t::d": 0.2}
    assert mutate.select(seconds, seconds, 1.7) == ["t::d", "t::a", "t::b"]  # 1.7 exactly
    assert mutate.select(seconds, seconds, 1.69) == ["t::d", "t::a"]
    assert mutate.select(seconds, seconds, float("inf")) == ["t::d", "t::a", "t::b", "t::c"]
    # A function whose every test is over budget still runs its quickest one.
    assert mutate.select(["t::c", "t::b"], seconds, 0.1) == ["t::b"]
    # A test with no measured time (new since the statistics) costs nothing and comes first.
    assert mutate.select(["t::new", "t::b"], seconds, 0.5) == ["t::new"]


def test_a_modules_own_tests_all_run_first_and_the_budget_is_for_the_rest() -> None:
    seconds = {"tests/test_files.py::slow": 5.0, "tests/test_files.py::quick": 0.5,
               "tests/test_other.py::a": 0.1, "tests/test_other.py::b": 0.3,
               "tests/test_other.py::c": 2.0}  # fmt: skip
    own = ("tests/test_files.py",)
    assert mutate.select(seconds, seconds, 0.5, own) == [
        "tests/test_files.py::quick", "tests/test_files.py::slow",
        "tests/test_other.py::a", "tests/test_other.py::b",
    ]  # fmt: skip
    assert mutate.select(seconds, seconds, 0.0, own) == [
        "tests/test_files.py::quick", "tests/test_files.py::slow"
    ]  # fmt: skip
    assert mutate.own_tests("cxreports._files.xǁPartFileǁcommit") == own
    assert mutate.own_tests("cxreports._files_extra.x_f") == ()  # a module, not a prefix of one
    assert mutate.own_tests("cxreports.cli._commands.x_go") == ()
    assert mutate.fastest_first(seconds, seconds, own)[:2] == [
        "tests/test_files.py::quick", "tests/test_files.py::slow"
    ]  # fmt: skip


def test_a_listed_equivalent_runs_its_own_tests_and_the_budget_and_others_run_all() -> None:
    seconds = {"tests/test_files.py::slow": 5.0, "tests/test_files.py::quick": 0.5,
               "tests/test_other.py::a": 0.1, "tests/test_other.py::b": 9.0}  # fmt: skip
    function = "cxreports._files.xǁPartFileǁcommit"
    listed = {f"{function}__mutmut_1": "a reason"}
    assert mutate.tests_for(f"{function}__mutmut_2", function, seconds, seconds, listed, 1.0) == [
        "tests/test_files.py::quick", "tests/test_files.py::slow",
        "tests/test_other.py::a", "tests/test_other.py::b",
    ]  # fmt: skip
    assert mutate.tests_for(f"{function}__mutmut_1", function, seconds, seconds, listed, 1.0) == [
        "tests/test_files.py::quick", "tests/test_files.py::slow", "tests/test_other.py::a"
    ]  # fmt: skip
    by_function = mutate.Selection({function: set(seconds)}, seconds)
    assert by_function.get(function) == set(seconds) and by_function.seconds == seconds


def test_a_mutants_tests_go_to_pytest_in_two_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mutate, "FIRST_STAGE", 2)
    assert mutate.stages(["a", "b", "c", "d", "e"]) == [["a", "b"], ["c", "d", "e"]]
    assert mutate.stages(["a", "b"]) == [["a", "b"]]
    assert mutate.stages(["a"]) == [["a"]]
    assert mutate.stages([]) == []


def test_a_mutant_that_loops_is_stopped_at_three_times_its_tests_time() -> None:
    # A function every test calls: mutmut allows 1,820 s of CPU; its tests take 95 s whole.
    assert mutate.capped_limits(1820, 90.0, 95.0) == (315, 63.0)
    # A small function keeps mutmut's own, lower limit.
    assert mutate.capped_limits(22, 0.1, 0.5) == (22, 0.1)


def test_each_test_of_a_mutant_may_take_three_times_its_time_and_ten_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert mutate.limit_for_test(0.5) == 11.5 and mutate.limit_for_test(30.0) == 100.0
    limits: list[float] = []
    monkeypatch.setattr(mutate, "limit_wall_clock", limits.append)
    plugin = mutate.PerTestLimit({"tests/t.py::a": 2.0})
    plugin.pytest_runtest_logstart("mutants/tests/t.py::a", None)
    plugin.pytest_runtest_logfinish("mutants/tests/t.py::a", None)
    plugin.pytest_runtest_logstart("tests/t.py::new", None)  # not timed yet: counts 0
    assert limits == [16.0, 0, 10.0]


@pytest.mark.parametrize("body", ["while True: pass", "import time; time.sleep(60)"])
def test_a_test_past_its_limit_ends_as_mutmuts_timeout(body: str) -> None:
    # Spinning or sleeping, the process ends as mutmut's CPU limit would end it (SIGXCPU),
    # which mutmut records as a timeout; a limit lifted in time lets it finish.
    scripts = str(Path(mutate.__file__).parent)
    limited = f"import sys; sys.path.insert(0, {scripts!r}); import mutate\n"
    looping = subprocess.run(
        [sys.executable, "-c", f"{limited}mutate.limit_wall_clock(0.2)\n{body}"], timeout=30
    )
    assert looping.returncode == -signal.SIGXCPU
    assert mutate.DETECTED[looping.returncode] == "timeout"
    lifted = f"{limited}mutate.limit_wall_clock(0.2); mutate.limit_wall_clock(0)\n"
    lifted += "import time; time.sleep(0.4)"
    assert subprocess.run([sys.executable, "-c", lifted], timeout=30).returncode == 0


def test_timing_adds_up_each_phase_and_keeps_earlier_measurements(tmp_path: Path) -> None:
    path = tmp_path / "durations.json"
    path.write_text(json.dumps({"tests/t.py::old": 4.0, "tests/t.py::a": 9.0}), "utf-8")
    timing = mutate.Timing()
    for nodeid, seconds in [("mutants/tests/t.py::a", 0.25), ("tests/t.py::a", 0.5),
                            ("tests/t.py::b", 0.125)]:  # fmt: skip
        timing.pytest_runtest_logreport(type("Report", (), {"nodeid": nodeid, "duration": seconds}))
    timing.save(path)
    assert mutate.read_durations(path) == {
        "tests/t.py::old": 4.0, "tests/t.py::a": 0.75, "tests/t.py::b": 0.125
    }  # fmt: skip
    assert mutate.read_durations(tmp_path / "missing.json") == {}


def test_a_core_module_with_unchecked_mutants_fails_the_check_and_timeouts_are_listed(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_meta(workspace / "mutants", "cxreports/errors.py", {"e.a": 1, "e.b": -24, "e.c": None})
    assert mutate.report(None, check=True, list_open=True) == 1  # 100 % of those checked
    out = capsys.readouterr().out
    assert "| **cxreports/errors.py** | 3 | 2 | 0 | 0 | 0 | 100.0% | (1 not checked)" in out
    assert "not all checked: cxreports/errors.py" in out
    assert (
        "timeout  cxreports/errors.py  e.b" in out
        and "timeout  cxreports/errors.py  e.a" not in out
    )
    write_meta(workspace / "mutants", "cxreports/errors.py", {"e.a": 1, "e.b": -24})
    assert mutate.report(None, check=True, list_open=False) == 0


def test_a_recheck_runs_survivors_and_everything_never_checked(workspace: Path) -> None:
    codes = {"e.killed": 1, "e.survivor": 0, "e.listed": 0, "e.new": None, "e.listed_new": None}
    write_meta(workspace / "mutants", "cxreports/errors.py", codes)
    write_meta(workspace / "mutants", "cxreports/_files.py", {"f.survivor": 0})
    (workspace / "equivalents.txt").write_text("e.listed  # x\ne.listed_new  # y\n", "utf-8")
    assert mutate.recheck_names(["cxreports/errors.py"]) == [
        "e.listed_new", "e.new", "e.survivor"
    ]  # fmt: skip
    assert "f.survivor" in mutate.recheck_names(None)
