# cxreports — every target sets itself up: a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.cxreports-installed

.DEFAULT_GOAL := help
.PHONY: help venv generate check-generated spec lint typecheck test demo bench soak clean record check-wire

help:
	@echo "make demo             run the quickstart against the local CxReports server"
	@echo "make test             lint, type-check, check generated/ and run the test suite"
	@echo "make generate         regenerate generated/cxreports_api from openapi/cxreports-v1.json"
	@echo "make check-generated  fail (with a diff) if generated/ is not a fresh generation"
	@echo "make spec URL=https://your-cxreports TOKEN=...  fetch your server's Swagger into openapi/ and diff the API"
	@echo "make record           re-record tests/cassettes/ (local server, or CXREPORTS_URL/CXREPORTS_TOKEN)"
	@echo "make check-wire       show the cassettes fail for mutated specs and pass for the pinned one"
	@echo "make bench            six side-by-side benchmarks, as ratios to same-run baselines (BENCH_ARGS=--quick)"
	@echo "make soak             the fault soak with 10,000 operations per client (make test runs 1,000)"

# (Re)install when the project metadata changes. A failed install leaves no stamp.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "cxreports needs Python 3.11+, found " + sys.version.split()[0]'
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
# Exit 3 = breaking changes for the hand-written layer (the spec is still written).
spec: export CXREPORTS_TOKEN := $(or $(TOKEN),$(CXREPORTS_TOKEN))
spec: $(STAMP)
	@test -n "$(or $(URL),$(CXREPORTS_URL))" || { echo "make spec: URL is empty; run make spec URL=https://your-cxreports TOKEN=..." >&2; exit 1; }
	$(BIN)/python scripts/fetch_spec.py --url "$(or $(URL),$(CXREPORTS_URL))" $(SPEC_ARGS)

# Cassettes: the scenarios are tests/test_cassettes.py, recorded with CXREPORTS_RECORD=1.
# With CXREPORTS_URL and CXREPORTS_TOKEN set they are recorded against that instance
# (CXREPORTS_WORKSPACE, CXREPORTS_REPORT, CXREPORTS_PAGED_WORKSPACE, CXREPORTS_JOB, CXREPORTS_THEME).
record: $(STAMP)
	$(BIN)/python scripts/record_cassettes.py

check-wire: $(STAMP)
	$(BIN)/python scripts/check_wire.py

lint: $(STAMP)
	$(BIN)/ruff check cxreports tests scripts examples benchmarks
	$(BIN)/ruff format --check cxreports tests scripts examples benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy --strict cxreports examples benchmarks

test: lint typecheck check-generated
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .bench-cache
