# array_api_jax: every target creates (or reuses) the local virtual environment $(VENV). `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.installed-examples
CONSTRAINTS := ci/constraints.txt

CACHE_DIR ?= $(HOME)/.cache/array-api-jax
ARRAY_API_TESTS_DIR ?= $(CACHE_DIR)/array-api-tests-2026.02.26
ARRAY_API_TESTS_REPO ?= https://github.com/data-apis/array-api-tests
ARRAY_API_TESTS_COMMIT := 41379d15d26d67a1e66c840e775d41a8a7fb1516
ARRAY_API_SPEC_COMMIT := 5f847a3858875c682ae901aa22b0413bf24be9da
ARRAY_API_TESTS_VERSION ?= 2025.12
MAX_EXAMPLES ?= 20
TEST_JOBS ?= 2
FUZZ_PROGRAMS ?= 2000
BENCH_OUT ?= benchmarks/results/latest.json

# JAX's persistent compilation cache: kernels compiled by one run are reused by the next. Bounded: before each
# run that compiles, tools/prune_cache.py deletes the least recently used entries beyond XLA_CACHE_MAX_BYTES.
# JAX's own eviction stays off (-1): it reads every entry's timestamp on every write (0.4 to 0.8 s per compiled
# kernel at 6,000 entries) and fails every write once one timestamp is missing. `make clean-cache` empties it.
XLA_CACHE_MAX_BYTES ?= 1000000000
export JAX_COMPILATION_CACHE_DIR ?= $(CACHE_DIR)/xla-cache
export JAX_COMPILATION_CACHE_MAX_SIZE ?= -1
export JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS ?= 0
export JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES ?= 0

.PHONY: all help venv prune-cache test lint unit test-distributed array-api-tests array-api-tests-xla array-api-tests-all bench \
        bench-quick bench-docs demo docs fuzz clean clean-cache peer-tests peer-sklearn peer-scipy peer-xpx

all: test

## help: list the targets
help:
	@awk '/^## [a-z-]+:/ { sub(/^## /, ""); n = index($$0, ":"); printf "  %-22s%s\n", substr($$0, 1, n - 1), substr($$0, n + 2); next } \
	      /^## / { sub(/^## /, ""); printf "  %-22s%s\n", "", $$0 }' $(MAKEFILE_LIST)

# keeps the compilation cache under XLA_CACHE_MAX_BYTES (a prerequisite of the targets that compile)
# (once per `make test`: its parts run with CACHE_PRUNED=1)
prune-cache:
	@[ -n "$(CACHE_PRUNED)" ] || $(PYTHON) tools/prune_cache.py $(JAX_COMPILATION_CACHE_DIR) $(XLA_CACHE_MAX_BYTES)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	@echo "== Setting up $(VENV): the project and its test, interop and docs dependencies (versions from"
	@echo "   $(CONSTRAINTS)); about 70 packages, several minutes; needs the Python package index"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -c $(CONSTRAINTS) -e ".[test,interop,docs]"
	$(PY) -m pip check
	touch $(STAMP) $(DEMO_STAMP)

# `make demo` installs only what the examples need (the project, array-api-strict, scikit-learn, matplotlib);
# the full set above includes it
$(DEMO_STAMP): pyproject.toml $(CONSTRAINTS)
	@echo "== Setting up $(VENV) for the examples: the project, array-api-strict, scikit-learn and matplotlib"
	@echo "   (versions from $(CONSTRAINTS)); needs the Python package index"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c $(CONSTRAINTS) -e ".[examples]"
	touch $(DEMO_STAMP)

## venv: create .venv and install the project with its test, interop and docs dependencies
venv: $(STAMP)

## test: lint, the project's tests, and the upstream array-api-tests suite at 2025.12 on both paths (the
## default host path and ARRAY_API_JAX_XLA_ONLY=1), two parts at a time (TEST_JOBS=1: one after the other);
## each part's output appears when it ends; a failing part does not stop the others. CONTRIBUTING.md: durations
test: $(STAMP) $(ARRAY_API_TESTS_DIR)/array_api_tests prune-cache
	@echo "== make test: lint, unit, array-api-tests and array-api-tests-xla, $(TEST_JOBS) at a time; each part's"
	@echo "   output appears when it ends (the longest, unit and array-api-tests-xla, take a few minutes)"
	@t0=$$(date +%s); if $(MAKE) --no-print-directory --keep-going -j$(TEST_JOBS) --output-sync=target CACHE_PRUNED=1 \
	  timed-unit timed-lint timed-array-api-tests timed-array-api-tests-xla; \
	  then echo "== make test: every part passed in $$(( $$(date +%s) - t0 )) s"; \
	  else echo "== make test: FAILED (the parts marked FAILED above) after $$(( $$(date +%s) - t0 )) s"; exit 1; fi

# timed-PART: make PART, then one line with its outcome and wall time (read by tools/time_test.py)
timed-%:
	@t0=$$(date +%s); if $(MAKE) --no-print-directory $*; then outcome=passed; else outcome=FAILED; fi; \
	  echo "== $*: $$outcome in $$(( $$(date +%s) - t0 )) s"; [ $$outcome = passed ]

## lint: ruff on the sources, tests, benchmarks, examples and tools; mypy on the package (its generated stubs
## included), then on the bodies of the modules that have stubs (extras.random's aside: mypy cannot see the methods
## its table makes); the generated files are up to date (tools/stubs.py --check). (mypy on a user's script,
## tests/typing, is a unit test.)
STUBBED = $(addprefix src/array_api_jax/,__init__.py _array.py linalg.py fft.py extras/__init__.py extras/linalg.py extras/fft.py)
lint: $(STAMP)
	$(PY) -m ruff check src tests benchmarks examples tools
	$(PY) -m mypy -p array_api_jax
	$(PY) -m mypy $(STUBBED)
	$(PY) tools/stubs.py --check

## unit: the project's own tests, with fixed hypothesis examples
unit: $(STAMP) prune-cache
	$(PY) -m pytest tests -q

## test-distributed: xp code on a jax.distributed cluster of 2 and 4 local processes (the unit run has the 2)
test-distributed: $(STAMP) prune-cache
	ARRAY_API_JAX_TEST_4_PROCESSES=1 $(PY) -m pytest tests/test_distributed.py -q

$(ARRAY_API_TESTS_DIR)/array_api_tests:
	@echo "== array-api-tests is not in $(ARRAY_API_TESTS_DIR): cloning $(ARRAY_API_TESTS_REPO)"
	@echo "   at $(ARRAY_API_TESTS_COMMIT) (needs access to GitHub; about 30 MB)"
	git clone $(ARRAY_API_TESTS_REPO) $(ARRAY_API_TESTS_DIR) || { \
	  echo "ERROR: could not clone array-api-tests; set ARRAY_API_TESTS_DIR to a checkout of" \
	       "data-apis/array-api-tests at $(ARRAY_API_TESTS_COMMIT)"; exit 1; }
	git -C $(ARRAY_API_TESTS_DIR) checkout -q $(ARRAY_API_TESTS_COMMIT)
	git -C $(ARRAY_API_TESTS_DIR) submodule update --init
	git -C $(ARRAY_API_TESTS_DIR)/array-api checkout -q $(ARRAY_API_SPEC_COMMIT)

# the upstream suite against the namespace of ARRAY_API_TESTS_VERSION; $(1): environment settings, $(2): report file
define RUN_ARRAY_API_TESTS
cd $(ARRAY_API_TESTS_DIR) && $(1) \
  ARRAY_API_TESTS_MODULE="exec('import array_api_jax; xp = array_api_jax.asarray(0).__array_namespace__(api_version=\"$(ARRAY_API_TESTS_VERSION)\")')" \
  ARRAY_API_TESTS_VERSION=$(ARRAY_API_TESTS_VERSION) \
  PYTHONPATH=$(CURDIR)/tools:$$PYTHONPATH \
  $(abspath $(PY)) -m pytest array_api_tests -q -p no:cacheprovider -p array_api_tests_untimed \
  --max-examples $(MAX_EXAMPLES) --derandomize --disable-deadline \
  --xfails-file $(CURDIR)/array_api_tests_config/xfails.txt \
  --skips-file $(CURDIR)/array_api_tests_config/skips.txt \
  -o xfail_strict=true --json-report --json-report-file=$(CURDIR)/$(2) $(ARRAY_API_TESTS_ARGS)
endef

## array-api-tests: the upstream suite against the 2025.12 namespace (ARRAY_API_TESTS_VERSION=...; xfails, skips in
## array_api_tests_config/, strict xfails, fixed examples, no time limits); its report: .report.json
array-api-tests: $(STAMP) $(ARRAY_API_TESTS_DIR)/array_api_tests prune-cache
	$(call RUN_ARRAY_API_TESTS,,.report.json)

## array-api-tests-xla: the same suite with every array on XLA (ARRAY_API_JAX_XLA_ONLY=1); .report-xla.json
array-api-tests-xla: $(STAMP) $(ARRAY_API_TESTS_DIR)/array_api_tests prune-cache
	$(call RUN_ARRAY_API_TESTS,ARRAY_API_JAX_XLA_ONLY=1,.report-xla.json)

## array-api-tests-all: the upstream suite at 2023.12, 2024.12 and 2025.12
array-api-tests-all:
	$(MAKE) array-api-tests ARRAY_API_TESTS_VERSION=2023.12
	$(MAKE) array-api-tests ARRAY_API_TESTS_VERSION=2024.12
	$(MAKE) array-api-tests ARRAY_API_TESTS_VERSION=2025.12

# --- peer suites: scikit-learn's, SciPy's and array-api-extra's own array-API tests ---------------------------
PEER_DIR ?= $(HOME)/.cache/array-api-jax/peer
PEER_REPORTS ?= $(CURDIR)/.peer
PEER_NAMESPACES ?= array_api_jax array_api_strict
PEER_SCIPY_MODULES ?= special stats signal fft integrate optimize spatial cluster differentiate
PEER_ARGS ?=
PEER_PYTEST = PYTHONPATH=$(CURDIR)/tools:$$PYTHONPATH $(abspath $(PY)) -m pytest -q -p no:cacheprovider \
	-p peer_plugin --json-report --json-report-indent=0 $(PEER_ARGS)
# the installed suites (scikit-learn's, SciPy's) run under a configuration of their own, not the project's, with
# test ids from site-packages (sklearn/..., scipy/stats/...)
PEER_PYTEST_INSTALLED = $(PEER_PYTEST) -c $(CURDIR)/tools/peer_pytest.ini \
	--rootdir=$$($(abspath $(PY)) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')

## peer-tests: the array-API tests of scikit-learn, SciPy and array-api-extra on array_api_jax and, for comparison,
## array_api_strict; array_api_jax's failures that array_api_strict passes must be in tools/peer_expectations.txt
peer-tests: peer-sklearn peer-scipy peer-xpx
	$(PY) tools/peer_report.py $(PEER_REPORTS) --json benchmarks/results-peer.json

# scikit-learn's wheel ships its tests; its array-API tests are those parametrized by yield_namespaces() or
# yield_namespace_device_dtype_combinations(), and the estimator checks that run check_array_api_input
peer-sklearn: $(STAMP)
	mkdir -p $(PEER_REPORTS)
	files=$$(grep -rlE 'yield_namespace|parametrize_with_checks|check_array_api_input' --include='test_*.py' \
	  $$($(PY) -c 'import os, sklearn; print(os.path.dirname(sklearn.__file__))')); \
	for ns in $(PEER_NAMESPACES); do \
	  PEER_NAMESPACE=$$ns SCIPY_ARRAY_API=1 $(PEER_PYTEST_INSTALLED) $$files -k $$ns \
	    --json-report-file=$(PEER_REPORTS)/sklearn-$$ns.json || true; \
	done

# SciPy's wheel ships its tests; -m array_api_backends selects those that take the xp fixture. --pyargs makes
# pytest look for conftest.py files under the working directory's test* folders: run outside the repository root.
# One run per module and namespace, the namespaces taking turns, so each module's wall time compares fairly
peer-scipy: $(STAMP)
	mkdir -p $(PEER_REPORTS)
	rm -f $(PEER_REPORTS)/scipy-*.json $(PEER_REPORTS)/scipy.*.json
	for module in $(PEER_SCIPY_MODULES); do for ns in $(PEER_NAMESPACES); do \
	  (cd $(PEER_REPORTS) && PEER_NAMESPACE=$$ns SCIPY_ARRAY_API='["array_api_strict"]' $(PEER_PYTEST_INSTALLED) \
	    --pyargs scipy.$$module -m array_api_backends \
	    --json-report-file=$(PEER_REPORTS)/scipy.$$module-$$ns.json) || true; \
	done; done

# array-api-extra's tests are in its sdist (of the installed version), not its wheel; array_api_jax is a backend of
# its own there (test id array_api_jax), array_api_strict's run (not its "strictest" variant) the comparison
peer-xpx: $(STAMP)
	mkdir -p $(PEER_REPORTS) $(PEER_DIR)
	version=$$($(PY) -c 'import array_api_extra; print(array_api_extra.__version__)'); \
	src=$(PEER_DIR)/array_api_extra-$$version; \
	if [ ! -d $$src/tests ]; then \
	  $(PY) -m pip download -q --no-deps --no-binary array-api-extra -d $(PEER_DIR) array-api-extra==$$version && \
	  tar xzf $(PEER_DIR)/array_api_extra-$$version.tar.gz -C $(PEER_DIR); \
	fi; \
	for ns in $(PEER_NAMESPACES); do \
	  (cd $$src && PEER_NAMESPACE=$$ns $(PEER_PYTEST) tests/main -k "$$ns and not strictest" \
	    --json-report-file=$(PEER_REPORTS)/xpx-$$ns.json) || true; \
	done

## bench: time array_api_jax against jax.numpy, NumPy and array_api_strict, row by row (several minutes);
## writes benchmarks/results/latest.json (BENCH_OUT=...), which git ignores
bench: $(STAMP) prune-cache
	$(PY) benchmarks/run.py --json $(BENCH_OUT) $(BENCH_ARGS)

## bench-quick: the same rows with fewer repetitions (noisier)
bench-quick:
	$(MAKE) bench BENCH_ARGS=--quick

## bench-docs: a full benchmark run into benchmarks/results.json, then docs/performance.md and the README's
## figures from it (tools/figures.py)
bench-docs:
	$(MAKE) bench BENCH_OUT=benchmarks/results.json
	$(PY) tools/figures.py

## demo: run examples/ end to end (installs only what they need: the project, array-api-strict, scikit-learn,
## matplotlib)
demo: $(DEMO_STAMP) prune-cache
	$(PY) examples/run_all.py

## docs: build the Sphinx site into docs/_build/html (warnings are errors; plots drawn from the committed results)
docs: $(STAMP)
	$(PY) -m sphinx -W --keep-going -q -b html docs docs/_build/html
	@echo "== the docs are in docs/_build/html (open docs/_build/html/index.html)"

## fuzz: 2000 new random programs against array_api_strict (hypothesis's randomized "fuzz" profile), and the
## parity test (tests/test_parity.py) with new random values in its pools (PARITY_SEED, printed)
fuzz: $(STAMP) prune-cache
	HYPOTHESIS_PROFILE=fuzz FUZZ_PROGRAMS=$(FUZZ_PROGRAMS) $(PY) -m pytest tests/test_fuzz.py -q
	seed=$${PARITY_SEED:-$$(date +%s)}; echo "PARITY_SEED=$$seed"; \
	  PARITY_SEED=$$seed $(PY) -m pytest tests/test_parity.py -q -p no:randomly

## clean: remove .venv, the docs build and the reports (not the caches in ~/.cache/array-api-jax)
clean:
	rm -rf $(VENV) docs/_build docs/_generated .report.json .report-xla.json benchmarks/results .peer

## clean-cache: empty JAX's compilation cache ~/.cache/array-api-jax/xla-cache (the next run compiles again)
clean-cache:
	rm -rf $(JAX_COMPILATION_CACHE_DIR)
