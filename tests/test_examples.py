"""Every example in examples/ runs on its own, in a fresh interpreter, and prints what it promises."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def needs(module):
    return pytest.mark.skipif(importlib.util.find_spec(module) is None, reason=f"{module} is not installed")


def run(name, *args, env=None):
    full_env = dict(os.environ, JAX_PLATFORMS="cpu")
    full_env.pop("XLA_FLAGS", None)  # each example decides its devices (conftest sets 8 for the test process)
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, str(EXAMPLES / name), *map(str, args)], capture_output=True, text=True,
                          timeout=300, env=full_env, cwd=ROOT)
    assert proc.returncode == 0, f"{name} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    return proc.stdout


def test_seed_tutorial():
    out = run("seed_tutorial.py")
    assert "[4, 5, 6]], dtype=int32)" in out
    assert "array_api_jax.extras.ndarray([10., 10.,  0.], dtype=float32)" in out
    assert "[ 6., 14., 15.]], dtype=float32)" in out
    assert "uniform(key=1) == uniform(key=1)\n    array_api_jax.extras.ndarray(True, dtype=bool)" in out


@needs("array_api_strict")
def test_backend_agnostic():
    out = run("backend_agnostic.py")
    assert "array_api_strict" in out and "array_api_jax + jax.jit" in out
    assert "all 4 results agree with NumPy" in out


@needs("sklearn")
def test_sklearn_on_jax():
    out = run("sklearn_on_jax.py", env={"SCIPY_ARRAY_API": "1"})
    assert "transform(X): array_api_jax.Array of shape (300, 2)" in out
    assert "agree with scikit-learn on NumPy" in out


@needs("matplotlib")
def test_lif_network_saves_a_raster(tmp_path):
    out = run("lif_network.py", tmp_path)
    spikes = int(re.search(r"spikes\s+(\d+)", out).group(1))
    assert spikes > 100
    assert "gives different spikes: True" in out and "identical: True" in out
    png = tmp_path / "lif_raster.png"
    assert f"raster plot: {png}" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_sharding_on_eight_simulated_devices_matches_the_docs():
    out = run("sharding.py", env={"XLA_FLAGS": "--xla_force_host_platform_device_count=8"})
    assert "devices: 8 x cpu" in out
    assert "single-device, sharded eager and sharded jit results agree" in out
    assert "2-D mesh: x @ w has sharding P('data', 'model')" in out
    # docs/devices.md shows this output: keep the two in step
    page = (ROOT / "docs" / "devices.md").read_text()
    shown = re.search(r"Its output:\n\n```text\n(.*?)```", page, re.S).group(1)
    assert shown == out, f"docs/devices.md shows an older output of examples/sharding.py; paste this:\n{out}"


def test_distributed_prints_the_same_numbers_on_one_and_two_processes():
    one = run("distributed.py", "--processes", 1)
    two = run("distributed.py", "--processes", 2)
    assert "cluster: 2 processes x 4 CPU devices = 8 devices" in two
    assert "np.asarray(p) on process 0 of 2: ValueError: __array__:" in two and "process_allgather" in two

    def numbers(out):  # every line but those that name the process count
        return [line for line in out.splitlines() if "process" not in line]

    assert numbers(one) == numbers(two) and len(numbers(two)) == 6
    assert "eager and jit agree: True" in two and "P('rows', None) (jit)" in two
    # docs/devices.md shows this output: keep the two in step
    page = (ROOT / "docs" / "devices.md").read_text()
    shown = re.search(r"prints:\n\n```text\n(.*?)```", page, re.S).group(1)
    assert shown == two, f"docs/devices.md shows an older output of examples/distributed.py; paste this:\n{two}"


def test_run_all_lists_every_example():
    spec = importlib.util.spec_from_file_location("run_all", EXAMPLES / "run_all.py")
    run_all = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_all)
    listed = {entry[0] for entry in run_all.EXAMPLES}
    assert listed == {p.name for p in EXAMPLES.glob("*.py")} - {"run_all.py"}


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.py")))
def test_examples_import_without_running(name, monkeypatch):
    for var in ("SCIPY_ARRAY_API", "XLA_FLAGS"):  # examples set these with setdefault at import
        monkeypatch.setenv(var, os.environ.get(var, ""))
    spec = importlib.util.spec_from_file_location(f"example_{name[:-3]}", EXAMPLES / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert callable(module.main) and module.__doc__
