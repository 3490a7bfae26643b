"""Mutation testing of the hand-written package (``make mutate``), scored per module.

mutmut (configured in pyproject.toml, ``[tool.mutmut]``) mutates ``cxreports/`` minus the
local server (``testing/``, test infrastructure) and the Airflow provider (its tests run in
their own venv, ``make test-airflow``), runs the tests that cover each mutated function, and
keeps each mutant's verdict in ``mutants/``. This script runs it and scores each module:

    killed-or-justified = (killed + timed out + rejected by the type checker
                           + listed as equivalent) / all mutants

A mutant that survives is either a missing test or an *equivalent* mutant: a change no
caller can observe. Equivalents are listed, one per line with a reason, in
tests/mutation_equivalents.txt::

    cxreports._files.xǁPartFileǁ__init____mutmut_4   # mode 0o600 vs 0o601: both refused by umask

A listed mutant that is killed or no longer exists is reported as stale, so the list never
hides a test that went missing. ``--check`` exits 1 when a core module is below its target.

    python scripts/mutate.py                       # the nine core modules
    python scripts/mutate.py --all                 # every module (the CLI, the spec tooling)
    python scripts/mutate.py --module cxreports/_files.py
    python scripts/mutate.py --report              # score what mutants/ holds, run nothing
    python scripts/mutate.py --recheck             # after adding tests: run only the mutants
                                                   # that survived or were never checked
    python scripts/mutate.py --show NAME           # the diff of one mutant
    python scripts/mutate.py --try NAME -- tests/test_files.py -k restart
                                                   # does this test kill that mutant?
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents.txt"
TARGET = 0.95
CORE = (
    "cxreports/_base_client.py",
    "cxreports/_client.py",
    "cxreports/_options.py",
    "cxreports/_polling.py",
    "cxreports/_files.py",
    "cxreports/models.py",
    "cxreports/errors.py",
    "cxreports/exports.py",
    "cxreports/compat.py",
)

# mutmut's exit codes (mutmut.stats.status_by_exit_code), as verdicts we score.
DETECTED = {1: "killed", 3: "killed", 36: "timeout", 24: "timeout", -24: "timeout",
            152: "timeout", 255: "timeout", 37: "type check", -11: "crashed", -9: "crashed"}  # fmt: skip
UNDETECTED = {0: "survived", 5: "no tests", 33: "no tests"}


def module_name(path: str) -> str:
    """``cxreports/_files.py`` -> ``cxreports._files`` (the prefix of its mutant names)."""
    dotted = path.removesuffix(".py").replace("/", ".")
    return dotted.removesuffix(".__init__")


def read_equivalents(path: Path | None = None) -> dict[str, str]:
    """Mutant name -> reason. Every entry must give a reason."""
    path = path or EQUIVALENTS
    found: dict[str, str] = {}
    if not path.exists():
        return found
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, reason = line.partition("#")
        if not sep or not reason.strip():
            raise SystemExit(f"{path}:{number}: an equivalent mutant needs '# reason': {raw!r}")
        found[name.strip()] = reason.strip()
    return found


def read_verdicts(mutants: Path | None = None) -> dict[str, dict[str, int | None]]:
    """Source path -> {mutant name: exit code}, from mutmut's ``.meta`` files."""
    mutants = mutants or MUTANTS
    verdicts = {}
    for meta in sorted(mutants.glob("cxreports/**/*.py.meta")):
        source = meta.relative_to(mutants).as_posix().removesuffix(".meta")
        verdicts[source] = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
    return verdicts


def score(
    codes: dict[str, int | None], equivalents: dict[str, str]
) -> tuple[Counter[str], list[str]]:
    """Counts per verdict for one module, and its unexplained survivors."""
    counts: Counter[str] = Counter()
    open_ = []
    for name, code in sorted(codes.items()):
        if code in DETECTED:
            counts["detected"] += 1
        elif code is None:
            counts["not checked"] += 1
        elif name in equivalents:
            counts["equivalent"] += 1
        else:
            counts[UNDETECTED.get(code, "suspicious")] += 1
            open_.append(name)
    counts["total"] = len(codes)
    return counts, open_


def rate(counts: Counter[str]) -> float | None:
    """Killed-or-justified share of the mutants checked; None when none was checked."""
    total = counts["total"] - counts["not checked"]
    return None if total == 0 else (counts["detected"] + counts["equivalent"]) / total


def report(modules: list[str] | None, check: bool, list_open: bool) -> int:
    equivalents = read_equivalents()
    verdicts = read_verdicts()
    if not verdicts:
        print("mutants/ is empty: run `make mutate` first", file=sys.stderr)
        return 1
    all_names = {name for codes in verdicts.values() for name in codes}
    stale = sorted(n for n in equivalents if n not in all_names)
    rows, failing = [], []
    print("| module | mutants | killed | equivalent | survived | no tests | score |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for source, codes in verdicts.items():
        if modules and source not in modules:
            continue
        counts, open_ = score(codes, equivalents)
        if not counts["total"]:
            continue
        r = rate(counts)
        core = source in CORE
        if core and (r is None or r < TARGET or counts["not checked"]):
            failing.append(source)  # a score with mutants left unchecked is not yet a score
        for name in codes:
            if name in equivalents and codes[name] in DETECTED:
                stale.append(name)  # listed as equivalent, but a test kills it now
        print(
            f"| {'**' if core else ''}{source}{'**' if core else ''} | {counts['total']}"
            f" | {counts['detected']} | {counts['equivalent']} | {counts['survived']}"
            f" | {counts['no tests']} | {'-' if r is None else f'{r:.1%}'} |"
            + (f" ({counts['not checked']} not checked)" if counts["not checked"] else "")
        )
        rows.append((source, open_))
    if list_open:
        for source, open_ in rows:
            for name in open_:
                print(f"open  {source}  {name}")
            # mutmut's time limit is wall-clock: a run starved by other load, or paused, can
            # time out without looping. Each timeout is listed to be looked at.
            for name, code in sorted(verdicts[source].items()):
                if code is not None and DETECTED.get(code) == "timeout":
                    print(f"timeout  {source}  {name}")
    for name in sorted(set(stale)):
        print(f"stale equivalent (killed or gone; remove it from {EQUIVALENTS.name}): {name}")
    if check and (failing or stale):
        print(
            f"below {TARGET:.0%} killed-or-justified, or not all checked: "
            f"{', '.join(failing) or 'none'}"
        )
        return 1
    return 0


# mutmut's first step alone (mutmut.__main__._run, version 3.8.1): copy the sources and mutate
# the files that changed, recording the new mutants as unchecked.
GENERATE = """
import os
os.environ["MUTANT_UNDER_TEST"] = "mutant_generation"
from mutmut import __main__ as m
os.makedirs("mutants", exist_ok=True)
m.copy_src_dir(); m.copy_also_copy_files(); m.setup_source_paths()
m.store_lines_covered_by_tests(); m.create_mutants(2)
"""


# Test files that core modules' mutants are not run against: they test what is built on the
# core (the command line, the spec tooling), and a core mutant they would catch is caught by
# the library's own tests first (see tests/MUTATION.md).
NOT_FOR_CORE = ("tests/test_cli.py", "tests/test_spec_tooling.py")
CORE_PREFIXES = tuple(f"{module_name(c)}." for c in CORE)

# Each core module's own tests (path prefixes): a mutant runs these first, then the other tests
# that cover its function, quickest first within each group. The quickest tests of a function
# that every test calls are often ones that pass through it on their way to something else.
CLIENT_TESTS = (
    "tests/test_client_send.py",
    "tests/test_client_unit.py",
    "tests/test_client_wire.py",
    "tests/test_cookies.py",
)
OWN_TESTS = {
    "cxreports._base_client.": (
        *CLIENT_TESTS,
        "tests/reliability/test_bad_input.py",
        "tests/reliability/test_transport_security.py",
        "tests/test_error_mapping.py",
        "tests/test_retry_policy.py",
        "tests/test_request_options.py",
        "tests/test_answers.py",
        "tests/test_export_args.py",
        "tests/test_public_copies.py",
    ),
    "cxreports._client.": (
        *CLIENT_TESTS,
        "tests/test_client.py",
        "tests/test_handles.py",
        "tests/test_async_transports.py",
    ),
    "cxreports._options.": (
        "tests/test_export_args.py",
        "tests/test_request_options.py",
        "tests/reliability/test_bad_input.py",
    ),
    "cxreports._polling.": ("tests/test_polling.py",),
    "cxreports._files.": ("tests/test_files.py",),
    "cxreports.models.": ("tests/test_models.py",),
    "cxreports.errors.": ("tests/test_errors.py", "tests/test_error_mapping.py"),
    "cxreports.exports.": ("tests/test_handles.py", "tests/test_client.py"),
    "cxreports.compat.": ("tests/test_compat_unit.py", "tests/test_compat.py"),
}

# A mutant runs the tests that cover its function (mutmut's coverage), its module's own tests
# first (OWN_TESTS), quickest first within each group, and stops at the first that fails: a
# killed mutant costs well under a second. A survivor runs them all. For a function every
# test calls (the client's constructor, request building) that is some 1,400 tests and a
# minute and a half, and the core's equivalent mutants, run like that, took hours.
#
# So a mutant listed as equivalent runs only its module's own tests that cover it, and the
# quickest others within BUDGET seconds: enough to show a listing went stale when a test of
# the module now kills it, at a few seconds a mutant. ``--budget inf`` runs them whole.
BUDGET = 1.0
DURATIONS = MUTANTS / "test-durations.json"


def read_durations(path: Path | None = None) -> dict[str, float]:
    """Each test's whole time in seconds, as measured in mutmut's last statistics run."""
    path = path or DURATIONS
    found: dict[str, float] = json.loads(path.read_text("utf-8")) if path.exists() else {}
    return found


class Timing:
    """pytest plugin for mutmut's statistics run: each test's setup, call and teardown time
    (mutmut measures only the call, which misses a local server started by a fixture)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def pytest_runtest_logreport(self, report: Any) -> None:
        name = report.nodeid.removeprefix("mutants/")
        self.seconds[name] = self.seconds.get(name, 0.0) + report.duration

    def save(self, path: Path | None = None) -> None:
        """Merge into what earlier runs measured (an incremental run times new tests only)."""
        path = path or DURATIONS
        path.write_text(json.dumps({**read_durations(path), **self.seconds}, indent=0), "utf-8")


def fastest_first(
    tests: Iterable[str], seconds: Mapping[str, float], own: tuple[str, ...] = ()
) -> list[str]:
    """Tests in the order to run them: ``own`` tests first, then the rest, each group quickest
    first. pytest stops at the first failure (``-x``), so a killed mutant costs its quickest
    failing test, not the slowest of a random order."""
    return sorted(
        tests,
        key=lambda test: (bool(own) and not test.startswith(own), seconds.get(test, 0.0), test),
    )


def own_tests(function: str) -> tuple[str, ...]:
    """The test files of the module ``function`` (a mangled mutmut name) belongs to."""
    return next((files for prefix, files in OWN_TESTS.items() if function.startswith(prefix)), ())


def select(
    tests: Iterable[str], seconds: Mapping[str, float], budget: float, own: tuple[str, ...] = ()
) -> list[str]:
    """A mutant's tests, in the order to run them: every one of its module's ``own`` tests,
    then the quickest of the others whose times add up to at most ``budget`` (at least one
    test in all)."""
    tests = list(tests)
    chosen = fastest_first([t for t in tests if own and t.startswith(own)], seconds)
    spent = 0.0
    for test in fastest_first([t for t in tests if not (own and t.startswith(own))], seconds):
        cost = seconds.get(test, 0.0)
        if chosen and spent + cost > budget:
            break
        chosen.append(test)
        spent += cost
    return chosen


class Selection(dict[str, set[str]]):
    """mutmut's map from a function to the tests that run it, narrowed on reading for core
    modules' functions (without ``NOT_FOR_CORE``), with each test's whole time (``seconds``)
    to order them by. Only ``get`` narrows (what mutmut's run loop reads), so the statistics
    mutmut saves keep every test."""

    def __init__(
        self, tests_by_function: Mapping[str, set[str]], seconds: Mapping[str, float] | None = None
    ) -> None:
        super().__init__(tests_by_function)
        self.seconds = dict(seconds or {})

    def get(self, key: str, default: set[str] | None = None) -> set[str] | None:  # type: ignore[override]
        tests = super().get(key, default)
        if tests and key.startswith(CORE_PREFIXES):
            return {t for t in tests if not t.startswith(NOT_FOR_CORE)}
        return tests


def tests_for(
    mutant: str,
    function: str,
    tests: Iterable[str],
    seconds: Mapping[str, float],
    equivalents: Mapping[str, str],
    budget: float,
) -> list[str]:
    """The tests to run against ``mutant`` of ``function``, in order: all of them for a
    mutant not listed as equivalent, the narrower ``select`` for a listed one."""
    own = own_tests(function)
    if mutant in equivalents:
        return select(tests, seconds, budget, own)
    return fastest_first(tests, seconds, own)


def capped_limits(cpu_limit: int, estimate: float, whole: float) -> tuple[int, float]:
    """mutmut's CPU limit for one mutant and the estimate its wall-clock watchdog counts from,
    capped at 3 times the measured whole time of the mutant's tests + 30 s.

    A mutant that loops for ever (a retry counter that never grows) runs until the limit.
    mutmut's is 20 times the call time of every covering test plus 20 s: for a function that
    every test calls, half an hour of CPU per such mutant, which was most of a full run's
    tail. A survivor that runs all its tests takes about their whole time, so the cap leaves
    it three times that."""
    limit = min(cpu_limit, math.ceil(3 * whole + 30))
    return limit, min(estimate, limit / 5)


# How many of a mutant's tests pytest gets first: most mutants fail one of them, and a pytest
# session collects everything it is given before it runs the first test. In a warm process,
# collecting the 1,410 tests of the client's constructor took 0.9 s of CPU, 25 of them 0.4 s,
# for a mutant that its first test kills.
FIRST_STAGE = 25


def limit_for_test(seconds: float) -> float:
    """Wall-clock seconds one test of a mutant (setup, call and teardown) may take before the
    mutant counts as timed out, from the test's measured whole time: 3 times that, plus
    10 s for a busy machine.

    A mutant that loops for ever (a retry counter that never grows) hangs in the first test
    that reaches the loop. Bounded per test, it is stopped within seconds, not at mutmut's
    limit for the whole mutant: that was 2 to 6 minutes each for the retry loops of
    ``_send``, the largest part of a full run's tail."""
    return 3 * seconds + 10


def _end_as_timeout(signum: int, frame: object) -> None:
    # As mutmut's own CPU limit ends a mutant (SIGXCPU), so that it is recorded as a timeout.
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGXCPU)


def limit_wall_clock(seconds: float) -> None:
    """End this process as a timed-out mutant once ``seconds`` have passed; 0 lifts it."""
    signal.signal(signal.SIGALRM, _end_as_timeout)
    signal.setitimer(signal.ITIMER_REAL, seconds)


class PerTestLimit:
    """pytest plugin for a mutant's run: each test under its ``limit_for_test``."""

    def __init__(self, seconds: Mapping[str, float]) -> None:
        self.seconds = seconds

    def pytest_runtest_logstart(self, nodeid: str, location: object) -> None:
        limit_wall_clock(limit_for_test(self.seconds.get(nodeid.removeprefix("mutants/"), 0.0)))

    def pytest_runtest_logfinish(self, nodeid: str, location: object) -> None:
        limit_wall_clock(0)


def stages(tests: list[str]) -> list[list[str]]:
    """A mutant's tests in the pytest sessions to run them in, in order: the first
    ``FIRST_STAGE``, then the rest (a session only if the one before passed)."""
    return [part for part in (tests[:FIRST_STAGE], tests[FIRST_STAGE:]) if part]


# ``mutmut run`` with the changes above: each statistics run also times every test whole
# (``Timing``), core mutants skip ``NOT_FOR_CORE`` (``Selection``), and each mutant's tests go
# in the order, and for a listed equivalent the number, that ``tests_for`` gives, in
# ``stages``, each test ended as a timeout past its ``limit_for_test``. mutmut's fork runner
# sorts a mutant's tests by its own call times just before running them, so the order is set
# again there. All of it wraps mutmut 3.8.1's own functions; the first argument is the
# budget, the rest are mutmut's.
RUN = """
import fnmatch, os, sys
sys.path.insert(0, "scripts")
import mutate
from mutmut import __main__ as m
from mutmut.runners.harness import PytestRunner

budget = float(sys.argv.pop(1))

execute = PytestRunner.execute_pytest
def execute_timed(self, params, **kwargs):
    if "__mutmut_" in os.environ.get("MUTANT_UNDER_TEST", ""):  # a mutant's tests
        limits = mutate.PerTestLimit(m.state().tests_by_mangled_function_name.seconds)
        kwargs["plugins"] = [*kwargs.get("plugins", []), limits]
        return execute(self, params, **kwargs)
    if os.environ.get("MUTANT_UNDER_TEST") != "stats":
        return execute(self, params, **kwargs)
    timing = mutate.Timing()
    kwargs["plugins"] = [*kwargs.get("plugins", []), timing]
    code = execute(self, params, **kwargs)
    timing.save()
    return code
PytestRunner.execute_pytest = execute_timed

collect = m.collect_or_load_stats
def collect_and_narrow(*args, **kwargs):
    collect(*args, **kwargs)
    seconds = {**m.state().duration_by_test, **mutate.read_durations()}
    m.state().tests_by_mangled_function_name = mutate.Selection(
        m.state().tests_by_mangled_function_name, seconds
    )
m.collect_or_load_stats = collect_and_narrow

def selected_tests(mutant_names):
    by_function = m.state().tests_by_mangled_function_name
    tests = set()
    for name in mutant_names:
        if "*" in name:
            functions = [f for f in by_function if fnmatch.fnmatch(f, name)]
        else:
            functions = [m.mangled_name_from_mutant_name(name)]
        for function in functions:
            tests |= by_function.get(function) or set()
    return tests
m.tests_for_mutant_names = selected_tests

make_runner = m.get_mutant_runner
def runner_fastest_first(*args, **kwargs):
    runner = make_runner(*args, **kwargs)
    submit = runner.submit
    equivalents = mutate.read_equivalents()
    def submit_sorted(name, tests, cpu_limit, estimate):
        seconds = m.state().tests_by_mangled_function_name.seconds
        function = m.mangled_name_from_mutant_name(name)
        tests = mutate.tests_for(name, function, tests, seconds, equivalents, budget)
        whole = sum(seconds.get(test, 0.0) for test in tests)
        submit(name, tests, *mutate.capped_limits(cpu_limit, estimate, whole))
    runner.submit = submit_sorted
    clean_run = runner.run_clean_tests
    runner.run_clean_tests = lambda tests: 0 if any(full_stats) else clean_run(tests)
    return runner
m.get_mutant_runner = runner_fastest_first

run_tests = PytestRunner.run_tests
def run_tests_in_stages(self, *, mutant_name, tests):
    if not mutant_name:  # the clean run
        return run_tests(self, mutant_name=mutant_name, tests=tests)
    seconds = m.state().tests_by_mangled_function_name.seconds
    own = mutate.own_tests(m.mangled_name_from_mutant_name(mutant_name))
    for stage in mutate.stages(mutate.fastest_first(tests, seconds, own)):
        code = run_tests(self, mutant_name=mutant_name, tests=stage)
        if code not in (0, 5):  # 5: pytest ran none of them (deselected)
            return code
    return 0
PytestRunner.run_tests = run_tests_in_stages

# A statistics run of every test fails the run if any test fails, which is what mutmut's
# clean run checks next; after one, the clean run (3 to 4 minutes) is skipped.
full_stats = []
collect_stats = m.run_stats_collection
def run_stats_collection(runner, tests=None):
    collect_stats(runner, tests)
    full_stats.append(not tests)
m.run_stats_collection = run_stats_collection

sys.argv = ["mutmut", "run", *sys.argv[1:]]
m.cli()
"""


def recheck_names(modules: list[str] | None) -> list[str]:
    """The mutants of ``modules`` that are not detected and not yet justified: survivors
    not listed as equivalent, and every mutant never checked (a listed one included, so
    that its listing is confirmed, or reported stale, by a verdict)."""
    equivalents = read_equivalents()
    names = []
    for source, codes in read_verdicts().items():
        if modules and source not in modules:
            continue
        names += [
            n
            for n, code in codes.items()
            if code is None or (code not in DETECTED and n not in equivalents)
        ]
    return sorted(names)


def deselected() -> list[str]:
    """The ``--deselect`` options of ``[tool.mutmut]``: tests that fail under mutmut's
    trampolines whatever the mutant, and would make every mutant look killed."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    return [a for a in config["pytest_add_cli_args_test_selection"] if a.startswith("--deselect")]


def try_mutant(name: str, pytest_args: list[str]) -> int:
    """Run the given tests against one mutant, with the tests as they are now.

    mutants/ holds every mutant behind a switch (mutmut's trampolines); the current tests/ is
    copied in and pytest runs there with that mutant switched on. Exit 0 means it is killed."""
    if not (MUTANTS / "cxreports").is_dir():
        print("mutants/ is empty: run `make mutate` (or MODULE=...) first", file=sys.stderr)
        return 2
    shutil.copytree(ROOT / "tests", MUTANTS / "tests", dirs_exist_ok=True)
    env = {**os.environ, "MUTANT_UNDER_TEST": name}
    run = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
    run += [*deselected(), *pytest_args]
    code = subprocess.call(run, cwd=MUTANTS, env=env)
    verdict = "KILLED" if code == 1 else "SURVIVED" if code == 0 else f"pytest exit {code}"
    print(f"{name}: {verdict}")
    return 0 if code == 1 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--module", action="append", help="a source path, e.g. cxreports/_files.py")
    parser.add_argument("--report", action="store_true", help="score mutants/ without running")
    parser.add_argument("--check", action="store_true", help="exit 1 if a core module is short")
    parser.add_argument("--open", action="store_true", help="list the unexplained survivors")
    parser.add_argument("--max-children", default="2", help="mutmut's parallel workers")
    parser.add_argument(
        "--all", action="store_true", help="every module, not only the nine core ones"
    )
    parser.add_argument(
        "--budget", type=float, default=BUDGET, metavar="SECONDS",
        help=f"other modules' tests per listed equivalent, in s (default {BUDGET:g}; inf: all)",
    )  # fmt: skip
    parser.add_argument(
        "--recheck", action="store_true", help="run only survivors and unchecked mutants"
    )
    parser.add_argument("--show", metavar="NAME", help="print one mutant's diff")
    parser.add_argument("--try", dest="try_", metavar="NAME", help="run tests against a mutant")
    parser.add_argument("pytest_args", nargs="*", help="with --try: the tests to run")
    args = parser.parse_args(argv)
    mutmut = Path(sys.executable).with_name("mutmut")
    if args.show:
        return subprocess.call([str(mutmut), "show", args.show], cwd=ROOT)
    if args.try_:
        return try_mutant(args.try_, args.pytest_args or ["tests/"])
    modules = [m.strip() for m in args.module or [] if m.strip()]
    for module in modules:
        if not (ROOT / module).is_file() or not module.startswith("cxreports/"):
            parser.error(f"--module {module!r} is not a file under cxreports/")
    if not modules and not args.all:
        modules = list(CORE)  # what the target is set for; --all adds the CLI and spec tooling
    if not args.report:
        patterns = [f"{module_name(m)}.*" for m in modules]
        if args.recheck:
            # mutmut re-runs every mutant it is given by name, and only those: the ones a
            # new test may now kill, and those of functions whose code changed (mutated
            # again first, so that their new mutants have names to give).
            subprocess.check_call([sys.executable, "-c", GENERATE], cwd=ROOT)
            patterns = recheck_names(modules or None)
            if not patterns:
                print("nothing to re-check: every mutant is killed or justified")
                return report(modules or None, args.check, args.open)
        run = [sys.executable, "-c", RUN, str(args.budget)]
        run += ["--max-children", args.max_children, *patterns]
        code = subprocess.call(run, cwd=ROOT)
        if code not in (0, 1):  # mutmut exits 1 when mutants survive
            return code
    return report(modules or None, args.check, args.open)


if __name__ == "__main__":
    sys.exit(main())
