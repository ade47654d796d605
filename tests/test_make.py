"""The Makefile's contracts: `make test` runs every part (both paths of the upstream suite, the unit tests, lint)
and fails when one fails; CI runs it; `make demo` installs what the examples import, and no more."""

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAKEFILE = (ROOT / "Makefile").read_text()


def test_make_test_runs_every_part_and_fails_when_one_fails():
    recipe = MAKEFILE[MAKEFILE.index("\ntest:"):MAKEFILE.index("\ntimed-%:")]
    assert "--keep-going" in recipe and "exit 1" in recipe
    assert set(re.findall(r"\btimed-([a-z-]+)", recipe)) == {"unit", "lint", "array-api-tests", "array-api-tests-xla"}
    xla = MAKEFILE[MAKEFILE.index("\narray-api-tests-xla:"):]
    assert "ARRAY_API_JAX_XLA_ONLY=1" in xla.split("\n\n")[0]
    unit = MAKEFILE[MAKEFILE.index("\nunit:"):].split("\n\n")[0]
    assert "-m pytest tests -q" in unit and " -k " not in unit and "--deselect" not in unit
    ci = (ROOT / ".ci" / "run").read_text()
    assert "set -euo pipefail" in ci and ci.rstrip().endswith("make test")


def test_a_failing_part_fails_make_test_after_the_others_ran(tmp_path):
    # the same recipe shape on stand-in parts: one fails, the other still runs, the whole fails
    makefile = tmp_path / "Makefile"
    makefile.write_text("all:\n\t@if $(MAKE) --no-print-directory --keep-going -j2 --output-sync=target timed-bad "
                        "timed-good; then echo passed; else echo FAILED; exit 1; fi\n"
                        + MAKEFILE[MAKEFILE.index("timed-%:"):].split("\n\n")[0] + "\n"
                        "bad:\n\t@exit 3\ngood:\n\t@echo good ran\n")
    proc = subprocess.run(["make", "-s", "-f", str(makefile)], capture_output=True, text=True, cwd=tmp_path,
                          timeout=60)
    assert proc.returncode != 0
    assert "== bad: FAILED in" in proc.stdout and "good ran" in proc.stdout and "== good: passed in" in proc.stdout


def test_make_demo_installs_what_the_examples_import():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["examples"]
    dists = {re.split(r"[<>=\[ ]", req)[0] for req in extras}
    imported = set()
    for path in (ROOT / "examples").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"array_api_jax", "jax", "numpy"}
    module_of = {"array-api-strict": "array_api_strict", "scikit-learn": "sklearn", "matplotlib": "matplotlib"}
    assert {module_of[d] for d in dists} == third_party
    demo = MAKEFILE[MAKEFILE.index("\ndemo:"):].split("\n\n")[0]
    assert "$(DEMO_STAMP)" in demo and '-e ".[examples]"' in MAKEFILE
