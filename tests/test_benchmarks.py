"""benchmarks/sizes.py: how the sizes tier combines its fresh processes, and what the large tier records."""

import importlib.util
import json
import subprocess
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _sizes():
    spec = importlib.util.spec_from_file_location("benchmark_sizes", ROOT / "benchmarks" / "sizes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sizes_tier_reports_each_calls_median_over_its_rounds(monkeypatch):
    sizes = _sizes()
    monkeypatch.setattr(sizes, "SIZES", [(10, 2)])
    monkeypatch.setattr(sizes, "_available", lambda: ["array_api_jax", "array_api_strict"])
    seconds = iter([0.3, 0.1, 0.2, 0.1, 0.1, 0.2])  # rounds of (jax, strict), then (strict, jax), then (jax, strict)
    order = []

    def child(args, **kwargs):
        namespace = args[3]
        order.append(namespace)
        s = next(seconds)
        rows = [{"tier": "sizes", "workload": "w", "library": namespace, "shape": [10, 2], "phase": phase,
                 "seconds": s, "compiles": 2 if s == 0.3 else 0} for phase in ("new", "repeated")]
        return subprocess.CompletedProcess(args, 0, stdout=json.dumps(rows) + "\n")

    monkeypatch.setattr(sizes.subprocess, "run", child)
    rows = sizes.sizes_tier(echo=lambda *a: None, rounds=3)
    assert order == ["array_api_jax", "array_api_strict", "array_api_strict", "array_api_jax"] + [
        "array_api_jax", "array_api_strict"]  # the namespaces take turns, round by round
    got = {(r["library"], r["phase"]): r for r in rows}
    assert len(rows) == 4
    jax_new = got["array_api_jax", "new"]
    assert jax_new["rounds_seconds"] == [0.3, 0.1, 0.1] and jax_new["seconds"] == 0.1 and jax_new["compiles"] == 2
    assert got["array_api_strict", "repeated"]["rounds_seconds"] == [0.1, 0.2, 0.2]
    assert got["array_api_strict", "repeated"]["seconds"] == 0.2


def test_interleaved_windows_run_in_every_order_and_pool_their_calls():
    sizes = _sizes()
    order = []

    def library(name):
        def call():
            order.append(name)
            return np.zeros(1)
        return call

    calls = {name: (library(name), (), {"warm": 1, "warm_seconds": 0.0}) for name in ("a", "b", "c")}
    got = sizes._interleaved(calls, runs=1, run_seconds=0.0, pause=0.0)
    assert order[:3] == ["a", "b", "c"]  # the warm-ups
    rounds = ["".join(order[k:k + 3]) for k in range(3, len(order), 3)]
    assert sorted(rounds) == ["abc", "acb", "bac", "bca", "cab", "cba"]  # each library after each other as often
    assert set(got) == {"a", "b", "c"} and all(best <= median for median, best in got.values())


def test_interleaved_gives_each_librarys_median_and_best_call():
    sizes = _sizes()
    times = iter([0.0] * 20 + [0.04, 0.01, 0.03, 0.02, 0.05])

    def call():
        import time

        time.sleep(next(times))
        return np.zeros(1)

    calls = {"a": (call, (), {"warm": 20, "warm_seconds": 0.0})}
    [(median, best)] = sizes._interleaved(calls, runs=5, run_seconds=0.0, pause=0.0).values()
    assert 0.03 <= median < 0.04 and 0.01 <= best < 0.02


def test_rows_of_long_calls_pause_long_enough_for_the_last_librarys_threads_to_stop(monkeypatch):
    """A row of calls of ``LONG_CALL`` seconds or more pauses ``LONG_PAUSE`` before each window (OpenBLAS's threads
    spin on after a factorization); a row of shorter calls pauses ``SHORT_PAUSE`` (XLA's threads fall asleep)."""
    sizes = _sizes()
    assert sizes.LONG_PAUSE >= 0.2 > sizes.SHORT_PAUSE
    assert sizes._pause(sizes.LONG_CALL) == sizes._pause(0.5) == sizes.LONG_PAUSE
    assert sizes._pause(sizes.LONG_CALL / 2) == sizes._pause(1e-4) == sizes.SHORT_PAUSE
    slept = []
    calls = {"a": (lambda: np.zeros(1), (), {"warm": 1, "warm_seconds": 0.0})}
    monkeypatch.setattr(sizes.time, "sleep", slept.append)
    sizes._interleaved(calls, runs=1, run_seconds=0.0)
    assert slept == [sizes.SHORT_PAUSE]
