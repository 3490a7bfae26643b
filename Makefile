# cxreports — every target sets itself up: a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.cxreports-installed

.DEFAULT_GOAL := help
.PHONY: help venv generate check-generated spec dist lint typecheck test test-matrix test-airflow demo bench soak clean record check-wire docs docs-serve mutate

help:
	@echo "make demo             run the quickstart against the local CxReports server"
	@echo "make test             lint, type-check, check generated/ and run the test suite"
	@echo "make test-matrix      the quick suite under every CPython >= 3.11 on this machine (nox)"
	@echo "make test-airflow     the Airflow provider on a real Airflow 3, in its own venv (.venv-airflow)"
	@echo "make generate         regenerate generated/cxreports_api from openapi/cxreports-v1.json"
	@echo "make check-generated  fail (with a diff) if generated/ is not a fresh generation"
	@echo "make spec URL=https://your-cxreports TOKEN=...  fetch your server's Swagger into openapi/ and diff the API"
	@echo "make dist             sdist and wheel versioned with the server version (0.1.0+cx.24.3) in dist/"
	@echo "make record           re-record tests/cassettes/ (local server, or CXREPORTS_URL/CXREPORTS_TOKEN)"
	@echo "make check-wire       show the cassettes fail for mutated specs and pass for the pinned one"
	@echo "make bench            six side-by-side benchmarks, as ratios to same-run baselines (BENCH_ARGS=--quick)"
	@echo "make docs             build the documentation site into site/ (--strict: a broken link fails)"
	@echo "make docs-serve       serve the documentation on http://127.0.0.1:8000, rebuilt on every edit"
	@echo "make mutate           mutation testing of the core of cxreports/, scored per module (MODULE=cxreports/_files.py for one)"
	@echo "make soak             the fault soak with 10,000 operations per client (make test runs 1,000)"

# (Re)install when the project metadata changes. A failed install leaves no stamp.
$(STAMP): pyproject.toml
	@$(PYTHON) scripts/check_python.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

venv: $(STAMP)

generate: $(STAMP)
	$(BIN)/python scripts/generate.py

check-generated: $(STAMP)
	$(BIN)/python scripts/generate.py --check

# The token reaches fetch_spec.py through the environment (CXREPORTS_TOKEN), never its command
# line, so it is neither echoed by make nor visible in `ps`. URL/TOKEN fall back to
# CXREPORTS_URL/CXREPORTS_TOKEN; SPEC_ARGS passes more options (--dry-run, --path ...).
# URL may also be a URL ending in .json or a file path. The script exits 3 on breaking
# changes for the hand-written layer (the spec is still written), 1 on errors. GNU make
# itself only ever exits 0, 1 or 2, so a failed recipe reaches the shell as 2 whatever its
# status: the last line says which it was. CI that branches on 3 runs the script directly
# (docs/guides/upgrading.md).
spec: export CXREPORTS_TOKEN := $(or $(TOKEN),$(CXREPORTS_TOKEN))
spec: $(STAMP)
	@test -n "$(or $(URL),$(CXREPORTS_URL))" || { echo "make spec: URL is empty; run make spec URL=https://your-cxreports TOKEN=..." >&2; exit 1; }
	@$(BIN)/python scripts/fetch_spec.py --url "$(or $(URL),$(CXREPORTS_URL))" $(SPEC_ARGS); status=$$?; \
	if [ $$status -eq 3 ]; then echo "make spec: exit 3: BREAKING changes for cxreports (see the -> lines above)" >&2; \
	elif [ $$status -ne 0 ]; then echo "make spec: exit $$status: nothing was written" >&2; fi; exit $$status

# An sdist and a wheel whose version carries the server version as a PEP 440 local segment.
dist: $(STAMP)
	$(BIN)/python scripts/dist.py

# Cassettes: the scenarios are tests/test_cassettes.py, recorded with CXREPORTS_RECORD=1.
# With CXREPORTS_URL and CXREPORTS_TOKEN set they are recorded against that instance
# (CXREPORTS_WORKSPACE, CXREPORTS_REPORT, CXREPORTS_PAGED_WORKSPACE, CXREPORTS_JOB, CXREPORTS_THEME).
record: $(STAMP)
	$(BIN)/python scripts/record_cassettes.py

check-wire: $(STAMP)
	$(BIN)/python scripts/check_wire.py

lint: $(STAMP)
	$(BIN)/ruff check cxreports tests scripts examples benchmarks noxfile.py
	$(BIN)/ruff format --check cxreports tests scripts examples benchmarks noxfile.py

typecheck: $(STAMP)
	$(BIN)/mypy --strict cxreports examples benchmarks

test: lint typecheck check-generated
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The quick suite (no soak, no wire mutations) under each CPython >= 3.11 found on PATH or
# under pyenv, one venv each in .nox/, run side by side (noxfile.py, scripts/test_matrix.py).
# MATRIX_SKIP=3.11 leaves out versions; NOX_ARGS passes more options to nox.
test-matrix: $(STAMP)
	MATRIX_SKIP="$(MATRIX_SKIP)" $(BIN)/python scripts/test_matrix.py $(NOX_ARGS)

# The Airflow provider (cxreports.airflow) on a real Airflow: dag.test() runs the example DAG
# against the local server. Airflow pins its own versions of libraries .venv also pins, so it
# gets a venv of its own; AIRFLOW_VERSION is the release tested. Skipped, saying why, only
# where Airflow cannot be installed at all (a Python it does not support).
AIRFLOW_VERSION ?= 3.3.2
AIRFLOW_VENV    ?= .venv-airflow
AIRFLOW_STAMP   := $(AIRFLOW_VENV)/.cxreports-airflow-$(AIRFLOW_VERSION)
AIRFLOW_PYTHONS := 3.10 3.11 3.12 3.13 3.14

$(AIRFLOW_STAMP): pyproject.toml
	rm -rf $(AIRFLOW_VENV)
	$(PYTHON) -m venv $(AIRFLOW_VENV)
	$(AIRFLOW_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(AIRFLOW_VENV)/bin/python -m pip install --quiet -e '.[airflow,testing]' \
		'apache-airflow==$(AIRFLOW_VERSION)' pytest pytest-asyncio pypdf mypy==2.4.1 types-python-dateutil
	@touch $@

test-airflow:
	@py=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	if ! echo " $(AIRFLOW_PYTHONS) " | grep -q " $$py "; then \
		echo "make test-airflow: SKIPPED: Airflow $(AIRFLOW_VERSION) does not support Python $$py ($(AIRFLOW_PYTHONS) only)"; \
		exit 0; \
	fi; \
	$(MAKE) --no-print-directory $(AIRFLOW_STAMP) && \
	$(AIRFLOW_VENV)/bin/mypy --strict --cache-dir .mypy_cache/airflow $(wildcard cxreports/airflow/*.py examples/airflow/*.py) && \
	$(AIRFLOW_VENV)/bin/python -m pytest -p no:cacheprovider tests/airflow_provider $(PYTEST_ARGS)

# Without CXREPORTS_URL the quickstart starts the local server itself; files land in out/.
demo: $(STAMP)
	$(BIN)/python examples/quickstart.py

# Speed and memory targets live here, never as timed assertions in the tests. One table of six
# side-by-side comparisons (benchmarks/README.md); BENCH_ARGS=--quick takes a few minutes.
# The official client is installed into a throwaway venv under .bench-cache/, never into .venv.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

# The reliability suite's fault soak at ten times the size make test runs; prints its figures.
SOAK_OPS ?= 10000
soak: $(STAMP)
	CXREPORTS_SOAK_OPS=$(SOAK_OPS) $(BIN)/python -m pytest -q tests/reliability/test_fault_soak.py $(PYTEST_ARGS)

# The documentation site (mkdocs.yml). --strict turns every warning into a failure: a broken
# link, a ::: reference to a name that does not exist, a docstring mkdocstrings cannot read.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

docs-serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

# Mutation testing (scripts/mutate.py, tests/MUTATION.md): mutmut mutates cxreports/ (not the
# local server) and runs the tests that cover each mutant; the score per module counts the
# equivalent mutants listed in tests/mutation_equivalents.txt. Not part of make test: a run of
# the nine core modules takes about 21 minutes on 2 cores. MODULE=cxreports/_files.py runs one
# module; MUTATE_ARGS passes more options (--all for every module, --check fails below 95 % on
# a core module, --open lists the survivors, --recheck runs only what a new test may change).
MUTMUT_VERSION ?= 3.8.1
MUTMUT_STAMP   := $(VENV)/.mutmut-$(MUTMUT_VERSION)

$(MUTMUT_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet 'mutmut==$(MUTMUT_VERSION)'
	@touch $@

mutate: $(MUTMUT_STAMP)
	$(BIN)/python scripts/mutate.py $(if $(MODULE),--module $(MODULE)) $(MUTATE_ARGS)

clean:
	rm -rf $(VENV) $(AIRFLOW_VENV) site build dist .pytest_cache .mypy_cache .ruff_cache .bench-cache .nox mutants
