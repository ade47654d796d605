"""The engine for large host values (``_host.engine``): NumPy first; an operation of the measured XLA-faster table
runs as an XLA kernel once NumPy has spent ``COMPILE_BUDGET`` seconds on the same call, and keeps running there only
if its timed trials are faster than NumPy's calls; nothing compiles before."""

import jax.monitoring
import numpy as np
import pytest

import array_api_jax as xp
from array_api_jax import _host

_COMPILES = [0]


def _listener(event, duration, **kwargs):
    if event == "/jax/core/compile/backend_compile_duration":
        _COMPILES[0] += 1


jax.monitoring.register_event_duration_secs_listener(_listener)


@pytest.fixture
def budget(monkeypatch):
    """A tiny compile budget, so the switch happens after a few calls; the engine's record starts empty."""
    monkeypatch.setattr(_host, "COMPILE_BUDGET", 1e-9)
    monkeypatch.setattr(_host, "_SPENT", {})


N = _host.HOT_MIN_SIZE + 7  # a shape no other test uses

CALLS = {
    "sin": lambda x, m: xp.sin(x), "cos": lambda x, m: xp.cos(x), "tanh": lambda x, m: xp.tanh(x),
    "sqrt": lambda x, m: xp.sqrt(xp.abs(x)), "reciprocal": lambda x, m: xp.reciprocal(x),
    "floor_divide": lambda x, m: x // 0.7, "sum": lambda x, m: xp.sum(x), "max": lambda x, m: xp.max(x),
    "min": lambda x, m: xp.min(x, axis=0),
    "hypot": lambda x, m: xp.hypot(x, x),
    "remainder": lambda x, m: x % 3.5,
    "prod": lambda x, m: xp.prod(x * 1e-7 + 1.0),
    "std": lambda x, m: xp.std(x),
    "var": lambda x, m: xp.var(x, correction=1),
    "matmul": lambda x, m: m @ m,
    "cholesky": lambda x, m: xp.linalg.cholesky(m @ m.mT + 300 * xp.eye(300)),
    "det": lambda x, m: xp.linalg.det(m),
}
NUMPY = {
    "sin": lambda x, m: np.sin(x), "cos": lambda x, m: np.cos(x), "tanh": lambda x, m: np.tanh(x),
    "sqrt": lambda x, m: np.sqrt(np.abs(x)), "reciprocal": lambda x, m: 1 / x, "floor_divide": lambda x, m: x // 0.7,
    "sum": lambda x, m: np.sum(x), "max": lambda x, m: np.max(x), "min": lambda x, m: np.min(x, axis=0),
    "hypot": lambda x, m: np.hypot(x, x), "remainder": lambda x, m: x % 3.5,
    "prod": lambda x, m: np.prod(x * 1e-7 + 1.0), "std": lambda x, m: np.std(x),
    "var": lambda x, m: np.var(x, ddof=1), "matmul": lambda x, m: m @ m,
    "cholesky": lambda x, m: np.linalg.cholesky(m @ m.T + 300 * np.eye(300)), "det": lambda x, m: np.linalg.det(m),
}


def _data():
    rng = np.random.default_rng(0)
    return rng.uniform(-3.0, 3.0, N), rng.uniform(-0.05, 0.05, (300, 300))


def test_every_table_entry_has_a_case():
    assert set(CALLS) == set(NUMPY) == _host.XLA_FASTER


@pytest.mark.parametrize("name", CALLS)
def test_a_hot_call_switches_to_xla_with_the_same_values(name, budget):
    a, b = _data()
    x, m = xp.asarray(a), xp.asarray(b)
    before = _COMPILES[0]
    first = CALLS[name](x, m)  # NumPy; its time is recorded
    assert _COMPILES[0] == before and type(first._value) is np.ndarray
    assert any(key[0] == name for key in _host._SPENT)
    hot = CALLS[name](x, m)  # over the budget: the XLA kernel
    assert type(hot._value) is np.ndarray and not hot._value.flags.writeable  # read-only: a write copies
    np.testing.assert_allclose(np.asarray(hot), np.asarray(first), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(np.asarray(hot), NUMPY[name](a, b), rtol=1e-9, atol=1e-12)
    hot[...] = 0.0
    assert float(xp.max(xp.abs(hot))) == 0.0


def test_nothing_compiles_on_new_large_shapes_with_the_default_budget():
    before = _COMPILES[0]
    for n in (_host.HOT_MIN_SIZE + 11, 300_001, 1 << 20):
        x = xp.linspace(0.0, 1.0, n)
        xp.sin(x), xp.exp(x), xp.sort(x), xp.std(x), x[x > 0.5], xp.cumulative_sum(x), xp.hypot(x, x)
        xp.reshape(x[: (n // 4) * 4], (-1, 4)).mT @ xp.reshape(x[: (n // 4) * 4], (-1, 4))
    assert _COMPILES[0] == before


def test_operations_outside_the_table_never_switch(budget):
    x = xp.asarray(_data()[0])
    before = _COMPILES[0]
    for _ in range(3):
        xp.exp(x), xp.sort(x), xp.mean(x), x + x
    assert _COMPILES[0] == before and not _host._SPENT


def test_small_calls_never_switch(budget):
    x = xp.linspace(0.0, 1.0, _host.HOT_MIN_SIZE - 1)
    for _ in range(3):
        xp.sin(x)
    assert not _host._SPENT


def test_an_xla_kernel_measured_slower_goes_back_to_numpy(budget, monkeypatch):
    real = _host.on_xla

    def slow(*args, **kwargs):
        import time

        time.sleep(0.05)  # slower than NumPy's sin of 2**16 values
        return real(*args, **kwargs)

    monkeypatch.setattr(_host, "on_xla", slow)
    x = xp.asarray(_data()[0])
    outs = [xp.sin(x) for _ in range(2 + _host.XLA_TRIALS + 1)]  # NumPy, compiling call, trials, then decided
    key = next(k for k in _host._SPENT if k[0] == "sin")
    assert _host.verdict(key) == "numpy"
    assert outs[-1]._value.flags.writeable and not outs[1]._value.flags.writeable
    np.testing.assert_array_equal(np.asarray(outs[-1]), np.asarray(outs[0]))


def test_a_verdict_is_reached_after_the_trials(budget):
    x = xp.asarray(_data()[0])
    for _ in range(2 + _host.XLA_TRIALS):
        xp.tanh(x)
    key = next(k for k in _host._SPENT if k[0] == "tanh")
    assert _host.verdict(key) in ("xla", "numpy")
