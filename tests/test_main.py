"""``python -m array_api_jax``: the installation report."""

import os
import subprocess
import sys

import jax

import array_api_jax as xp
from array_api_jax.__main__ import OPTIONAL, installed_version


def _run(env=None):
    proc = subprocess.run([sys.executable, "-m", "array_api_jax"], capture_output=True, text=True, timeout=120,
                          env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_report_has_the_key_lines():
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=2", JAX_PLATFORMS="cpu")
    out = _run(env)
    lines = out.splitlines()
    assert lines[0] == f"array_api_jax {xp.__version__}"
    assert f"Array API standard: {xp.__array_api_version__}" in out
    assert f"JAX: {jax.__version__}" in out
    assert "backend: cpu" in out
    assert "devices: 2 x cpu" in out
    assert "x64 (jax_enable_x64): enabled" in out
    assert "default dtypes: real floating=float64, complex floating=complex128, integral=int64, indexing=int64" in out
    assert "capabilities: boolean indexing=True, data-dependent shapes=True, max dimensions=64" in out
    from array_api_jax._malloc import KEPT

    assert f"freed memory: {KEPT[1]}" in out  # what malloc was told (the same in the child, of the same environment)
    assert "optional libraries:" in out
    for dist in OPTIONAL:
        line = next(x for x in lines if x.strip().startswith(dist + " "))
        assert line.split(None, 1)[1].strip() == (installed_version(dist, OPTIONAL[dist]) or "not installed")


def test_optional_libraries_are_looked_up_not_imported():
    code = ("import sys, array_api_jax.__main__ as m; m.report(); "
            "print(sorted(n for n in ('sklearn', 'torch', 'matplotlib', 'scipy') if n in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().splitlines()[-1] == "[]"
    assert installed_version("no-such-dist", "no_such_module_array_api_jax") is None


def test_the_version_is_written_once_in_pyproject():
    import importlib.metadata
    import re
    from pathlib import Path

    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
    assert xp.__version__ == importlib.metadata.version("array-api-jax")
    assert re.search(r'^version = "([^"]+)"', pyproject, re.M).group(1) == xp.__version__
    source = (Path(xp.__file__).parent / "__init__.py").read_text()
    assert xp.__version__ not in source


def test_help_says_what_the_report_is_and_prints_no_report():
    proc = subprocess.run([sys.executable, "-m", "array_api_jax", "--help"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0 and proc.stdout.startswith("usage: python -m array_api_jax [-h]")
    assert "installation" in proc.stdout and "backend: " not in proc.stdout
    bad = subprocess.run([sys.executable, "-m", "array_api_jax", "--bogus"], capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 2 and "unrecognized arguments: --bogus" in bad.stderr
