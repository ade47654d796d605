# array_api_jax — every target creates/uses the local virtual environment $(VENV).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

ARRAY_API_TESTS_DIR ?= $(HOME)/.cache/array-api-jax/array-api-tests-2026.02.26
ARRAY_API_TESTS_REPO ?= https://github.com/data-apis/array-api-tests
ARRAY_API_TESTS_COMMIT := 41379d15d26d67a1e66c840e775d41a8a7fb1516
ARRAY_API_SPEC_COMMIT := 5f847a3858875c682ae901aa22b0413bf24be9da
ARRAY_API_TESTS_VERSION ?= 2025.12
MAX_EXAMPLES ?= 20
FUZZ_PROGRAMS ?= 2000

# JAX's persistent compilation cache: kernels compiled by one test run are reused by the next.
export JAX_COMPILATION_CACHE_DIR ?= $(HOME)/.cache/array-api-jax/xla-cache
export JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS ?= 0
export JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES ?= 0

.PHONY: all venv test lint unit array-api-tests array-api-tests-all bench demo docs fuzz clean peer-tests \
	peer-sklearn peer-scipy peer-xpx

all: test

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test,interop,docs]"
	touch $(STAMP)

venv: $(STAMP)

## test: lint, the project's own tests, and the upstream array-api-tests suite at $(ARRAY_API_TESTS_VERSION)
test: lint unit array-api-tests

lint: $(STAMP)
	$(PY) -m ruff check src tests benchmarks examples tools

unit: $(STAMP)
	$(PY) -m pytest tests -q

$(ARRAY_API_TESTS_DIR)/array_api_tests:
	@echo "array-api-tests not found at $(ARRAY_API_TESTS_DIR); cloning $(ARRAY_API_TESTS_REPO)"
	git clone -q $(ARRAY_API_TESTS_REPO) $(ARRAY_API_TESTS_DIR) || { \
	  echo "ERROR: could not clone array-api-tests; set ARRAY_API_TESTS_DIR to a checkout of" \
	       "data-apis/array-api-tests at $(ARRAY_API_TESTS_COMMIT)"; exit 1; }
	git -C $(ARRAY_API_TESTS_DIR) checkout -q $(ARRAY_API_TESTS_COMMIT)
	git -C $(ARRAY_API_TESTS_DIR) submodule update -q --init
	git -C $(ARRAY_API_TESTS_DIR)/array-api checkout -q $(ARRAY_API_SPEC_COMMIT)

## array-api-tests: the upstream suite against the namespace of $(ARRAY_API_TESTS_VERSION) (xfails/skips from
## array_api_tests_config/, strict xfails)
array-api-tests: $(STAMP) $(ARRAY_API_TESTS_DIR)/array_api_tests
	cd $(ARRAY_API_TESTS_DIR) && \
	  ARRAY_API_TESTS_MODULE="exec('import array_api_jax; xp = array_api_jax.asarray(0).__array_namespace__(api_version=\"$(ARRAY_API_TESTS_VERSION)\")')" \
	  ARRAY_API_TESTS_VERSION=$(ARRAY_API_TESTS_VERSION) \
	  $(abspath $(PY)) -m pytest array_api_tests -q -p no:cacheprovider \
	  --max-examples $(MAX_EXAMPLES) --derandomize \
	  --xfails-file $(CURDIR)/array_api_tests_config/xfails.txt \
	  --skips-file $(CURDIR)/array_api_tests_config/skips.txt \
	  -o xfail_strict=true --json-report --json-report-file=$(CURDIR)/.report.json $(ARRAY_API_TESTS_ARGS)

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

## peer-tests: the array-API tests of scikit-learn, SciPy and array-api-extra on array_api_jax and, for comparison,
## array_api_strict; array_api_jax's failures that array_api_strict passes must be in tools/peer_expectations.txt
peer-tests: peer-sklearn peer-scipy peer-xpx
	$(PY) tools/peer_report.py $(PEER_REPORTS)

# scikit-learn's wheel ships its tests; those parametrized by yield_namespaces() are its array-API tests
peer-sklearn: $(STAMP)
	mkdir -p $(PEER_REPORTS)
	files=$$(grep -rl yield_namespace --include='test_*.py' \
	  $$($(PY) -c 'import os, sklearn; print(os.path.dirname(sklearn.__file__))')); \
	for ns in $(PEER_NAMESPACES); do \
	  PEER_NAMESPACE=$$ns SCIPY_ARRAY_API=1 $(PEER_PYTEST) $$files -k $$ns \
	    --json-report-file=$(PEER_REPORTS)/sklearn-$$ns.json || true; \
	done

# SciPy's wheel ships its tests; -m array_api_backends selects those that take the xp fixture
peer-scipy: $(STAMP)
	mkdir -p $(PEER_REPORTS)
	for ns in $(PEER_NAMESPACES); do \
	  PEER_NAMESPACE=$$ns SCIPY_ARRAY_API='["array_api_strict"]' $(PEER_PYTEST) \
	    --pyargs $(addprefix scipy.,$(PEER_SCIPY_MODULES)) -m array_api_backends \
	    --json-report-file=$(PEER_REPORTS)/scipy-$$ns.json || true; \
	done

# array-api-extra's tests are in its sdist (of the installed version), not its wheel
peer-xpx: $(STAMP)
	mkdir -p $(PEER_REPORTS) $(PEER_DIR)
	version=$$($(PY) -c 'import array_api_extra; print(array_api_extra.__version__)'); \
	src=$(PEER_DIR)/array_api_extra-$$version; \
	if [ ! -d $$src/tests ]; then \
	  $(PY) -m pip download -q --no-deps --no-binary array-api-extra -d $(PEER_DIR) array-api-extra==$$version && \
	  tar xzf $(PEER_DIR)/array_api_extra-$$version.tar.gz -C $(PEER_DIR); \
	fi; \
	for ns in $(PEER_NAMESPACES); do \
	  (cd $$src && PEER_NAMESPACE=$$ns $(PEER_PYTEST) tests/main -k "array_api_strict and not strictest" \
	    --json-report-file=$(PEER_REPORTS)/xpx-$$ns.json) || true; \
	done

bench: $(STAMP)
	$(PY) benchmarks/run.py

demo: $(STAMP)
	$(PY) examples/run_all.py

docs: $(STAMP)
	$(PY) -m sphinx -W --keep-going -b html docs docs/_build/html

fuzz: $(STAMP)
	FUZZ_PROGRAMS=$(FUZZ_PROGRAMS) $(PY) -m pytest tests/test_fuzz.py -q

clean:
	rm -rf .peer
	rm -rf $(VENV) docs/_build .report.json
