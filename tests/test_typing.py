"""Types: the package ships py.typed and stubs for its generated names, so a type checker sees the namespace.

mypy must accept tests/typing/user_script.py and report exactly one error, the misspelled ``xp.multiplyy``, in
tests/typing/user_script_errors.py (`make lint` runs mypy on the package and on the accepted script too).
"""

import subprocess
import sys
from pathlib import Path

import pytest

import array_api_jax as xp

ROOT = Path(__file__).resolve().parents[1]
PKG = Path(xp.__file__).parent
pytest.importorskip("mypy")


def _mypy(*args, tmp_path):
    return subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)


def test_package_is_typed():
    assert (PKG / "py.typed").exists()
    for stub in ("__init__", "_array", "linalg", "fft", "extras/__init__", "extras/random"):
        assert (PKG / f"{stub}.pyi").exists(), stub


def test_user_script_type_checks_and_a_misspelled_function_is_reported(tmp_path):
    ok = _mypy("tests/typing/user_script.py", tmp_path=tmp_path)
    assert ok.returncode == 0, ok.stdout
    bad = _mypy("tests/typing/user_script_errors.py", tmp_path=tmp_path)
    errors = [line for line in bad.stdout.splitlines() if ": error:" in line]
    assert bad.returncode == 1 and len(errors) == 1, bad.stdout
    assert errors[0].startswith("tests/typing/user_script_errors.py:7: error: Module has no attribute \"multiplyy\"")
