"""The extras host path (``extras._host_twins``): NumPy twins of jax.numpy functions on host values, with
jax.numpy's result dtypes, and keyless draws of BrainPy's exact stream at padded sizes; no compilation per shape."""

import importlib.util
import pathlib

import jax.monitoring
import jax.numpy as jnp
import numpy as np
import pytest

import array_api_jax.extras as bm
from array_api_jax import _host
from array_api_jax.extras import _host_twins
from array_api_jax.extras import _random_dists as dists
from array_api_jax.extras import random as bm_random

_SPEC = importlib.util.spec_from_file_location(
    "extras_program", pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "extras_program.py")
_BENCHMARK = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_BENCHMARK)
_COMPILES = [0]


def _listener(event, duration, **kwargs):
    if event == "/jax/core/compile/backend_compile_duration":
        _COMPILES[0] += 1


jax.monitoring.register_event_duration_secs_listener(_listener)


def _both_paths(make):
    """``make()`` on the host path and with every array on XLA (the reference: jax.numpy's own functions)."""
    host = make()
    _host.set_host_path(False)
    try:
        xla = make()
    finally:
        _host.set_host_path(True)
    return host, xla


def _values():
    rng = np.random.default_rng(1)
    return rng.uniform(-2.0, 2.0, (5, 4)).astype(np.float32), rng.integers(-5, 5, (5, 4)).astype(np.int32)


CALLS = {
    "exp": lambda f, i: bm.exp(f), "sin": lambda f, i: bm.sin(f), "add": lambda f, i: f + f,
    "int * python float": lambda f, i: i * 0.5, "int / int": lambda f, i: i / (i + 10),
    "int + python int": lambda f, i: i + 3, "float ** 2": lambda f, i: f ** 2, "neg": lambda f, i: -f,
    "compare": lambda f, i: f > 0.5, "where": lambda f, i: bm.where(f > 0, f, 0.0),
    "mean axis": lambda f, i: bm.mean(f, axis=0), "std": lambda f, i: bm.std(f), "int sum": lambda f, i: bm.sum(i),
    "bool sum": lambda f, i: bm.sum(f > 0), "argmax": lambda f, i: bm.argmax(f, axis=1),
    "argsort ties": lambda f, i: bm.argsort(i, axis=0), "sort": lambda f, i: bm.sort(f),
    "cumsum": lambda f, i: bm.cumsum(i), "concatenate": lambda f, i: bm.concatenate([f, f], axis=1),
    "stack": lambda f, i: bm.stack([f, f]), "dot": lambda f, i: bm.dot(f.T, f), "matmul": lambda f, i: f @ f.T,
    "reshape": lambda f, i: bm.reshape(f, (4, 5)), "transpose": lambda f, i: f.T,
    "clip": lambda f, i: bm.clip(f, -1, 1), "round": lambda f, i: bm.round(f, 1),
    "method sum": lambda f, i: f.sum(axis=1), "method mean": lambda f, i: i.mean(),
    "zeros": lambda f, i: bm.zeros((3, 2)), "arange": lambda f, i: bm.arange(7),
    "linspace": lambda f, i: bm.linspace(0, 1, 5),
    "ones_like": lambda f, i: bm.ones_like(i), "array of list": lambda f, i: bm.array([[1.5, 2], [3, 4]]),
    "nonzero": lambda f, i: bm.nonzero(i > 0), "in-place float into int": lambda f, i: i.__iadd__(2),
    "einsum": lambda f, i: bm.einsum("ij,kj->ik", f, f), "tensordot": lambda f, i: bm.tensordot(f, f.T, axes=1),
    "take": lambda f, i: bm.take(f, bm.asarray([0, 3, -1])), "take axis": lambda f, i: bm.take(i, 1, axis=1),
    "pad": lambda f, i: bm.pad(f, ((1, 0), (0, 2))), "rot90": lambda f, i: bm.rot90(i),
    "append": lambda f, i: bm.append(f, i), "insert": lambda f, i: bm.insert(f, 2, 7.0, axis=0),
    "unique": lambda f, i: bm.unique(i),
    "unique counts": lambda f, i: bm.unique(i, return_counts=True), "isin": lambda f, i: bm.isin(i, [1, 2, -3]),
    "digitize": lambda f, i: bm.digitize(f, bm.asarray([-1.0, 0.0, 1.0])),
    "histogram": lambda f, i: bm.histogram(f, bins=4), "interp": lambda f, i: bm.interp(f, [-2.0, 2.0], [0.0, 1.0]),
    "convolve": lambda f, i: bm.convolve(f[0], f[1]), "correlate": lambda f, i: bm.correlate(f[0], f[1], "same"),
    "unravel_index": lambda f, i: bm.unravel_index(bm.asarray([3, 7]), (4, 5)),
    "lexsort": lambda f, i: bm.lexsort((i[:, 0], i[:, 1])), "polyval": lambda f, i: bm.polyval(f[0], f[1]),
    "trapezoid": lambda f, i: bm.trapezoid(f, axis=0), "percentile": lambda f, i: bm.percentile(f, 30.0, axis=0),
    "quantile": lambda f, i: bm.quantile(f, 0.25), "nanmedian": lambda f, i: bm.nanmedian(f, axis=1),
    "cov": lambda f, i: bm.cov(f), "corrcoef": lambda f, i: bm.corrcoef(f.T),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_a_twin_gives_the_dtype_and_values_of_jax_numpy(call):
    f, i = _values()

    def run():
        return call(bm.asarray(f), bm.asarray(i))

    host, xla = _both_paths(run)
    for h, x in zip(host if isinstance(host, tuple) else (host,), xla if isinstance(xla, tuple) else (xla,)):
        assert type(h) is type(x) is bm.ndarray
        assert type(h._value) is np.ndarray, "the host path computed with jax.numpy"
        assert h.dtype == x.dtype and h.shape == x.shape
        np.testing.assert_allclose(np.asarray(h), np.asarray(x), rtol=2e-6, atol=1e-6)


def test_what_numpy_refuses_runs_jax_numpy():
    f, _ = _values()
    x = bm.asarray(f)
    out = bm.take(x, bm.asarray([0, 100]), mode="fill", fill_value=-1.0)  # a mode NumPy does not have
    np.testing.assert_array_equal(np.asarray(out)[1], -1.0)


def _params(dist):
    values = {"shape": 2.0, "a": 2.0, "b": 3.0, "df": 3.0, "dfnum": 3.0, "dfden": 4.0, "left": 0.0, "mode": 0.5,
              "right": 1.0, "lower": -1.0, "upper": 1.0, "mean": 1.0, "scale": 1.5, "c": 2.0, "n": 10, "p": 0.3,
              "lam": 3.0, "loc": 0.5, "sigma": 0.7, "low": -1.0, "high": 2.0}
    return {name: values[name] for name, _ in dist.params}


PADDED = [d for d in dists.TABLE if d.sample.__name__ in _host_twins.PADDED_SAMPLERS]


def test_the_padded_samplers_exist():
    names = {d.sample.__name__ for d in dists.TABLE} | {bm_random._uniform01.__name__, dists._randint.__name__}
    assert _host_twins.PADDED_SAMPLERS <= names
    assert len(PADDED) >= 20


@pytest.mark.parametrize("dist", PADDED, ids=[d.name for d in PADDED])
def test_keyless_draws_on_the_host_are_brainpys_stream(dist):
    draw = getattr(bm.random, dist.name)

    def run():
        bm.random.seed(7)
        return draw(**_params(dist), size=(7, 3)), draw(**_params(dist), size=2), draw(**_params(dist), size=1)

    host, xla = _both_paths(run)
    for h, x in zip(host, xla):
        assert (type(h._value) is np.ndarray or h.size == 1) and type(x._value) is not np.ndarray
        assert h.dtype == x.dtype and h.shape == x.shape
        np.testing.assert_array_equal(np.asarray(h), np.asarray(x))


def test_host_draws_are_jax_randoms_stream():
    """The keyless stream is jax.random's: seed(s) is key(s); each draw splits the key, keeps the first half and
    samples with the second, at the draw's own shape (the host path's padded draws keep exactly those values)."""
    bm.random.seed(5)
    draws = [bm.random.rand(211, 8), bm.random.randn(3, 333), bm.random.uniform(-1.0, 2.0, size=(517, 8))]
    key = jax.random.key(5)
    expected = []
    for sample in (lambda k: jax.random.uniform(k, (211, 8), jnp.float32),
                   lambda k: jax.random.normal(k, (3, 333), jnp.float32),
                   lambda k: -1.0 + 3.0 * jax.random.uniform(k, (517, 8), jnp.float32)):
        key, sub = jax.random.split(key)
        expected.append(jax.jit(sample)(sub))  # compiled, as a draw is (XLA fuses low + (high - low) * u)
    for got, want in zip(draws, expected):
        assert type(got._value) is np.ndarray and got.dtype == bm.float32
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


def test_draws_ahead_keep_jax_randoms_stream():
    """A draw of the family drawn just before computes the next draw ahead (at the largest bucket so far): the
    next draw takes its values only while the state still holds the key it was drawn from. Seeding, a draw under
    jit, a draw of another family (other parameters) or a larger size all draw as before."""
    state = bm_random._DEFAULT._state

    def sample(key, shape, low=None):
        u = jax.random.uniform(key, shape, jnp.float32)
        return u if low is None else low + (1.0 - low) * u

    def draws():
        bm.random.seed(11)
        out = [bm.random.rand(30, 8), bm.random.rand(100, 8)]  # the second draws the third ahead
        assert state.ahead is not None
        out += [bm.random.rand(3, 8), bm.random.rand(200, 8)]  # taken; then a larger bucket than drawn ahead
        out.append(bm.random.uniform(0.5, 1.0, size=(5,)))
        out.append(bm.random.uniform(0.25, 1.0, size=(5,)))
        out += [bm.random.rand(30, 8), bm.random.rand(30, 8)]
        assert state.ahead is not None
        bm.random.seed(11)  # the state changes under the values drawn ahead
        out += [bm.random.rand(30, 8), bm.random.rand(30, 8)]
        assert state.ahead is not None
        out.append(jax.jit(lambda: bm.random.rand(4))())  # the state moves inside a compiled function
        out.append(bm.random.rand(30, 8))
        return out

    got = draws()
    key, want = jax.random.key(11), []
    shapes = [(30, 8), (100, 8), (3, 8), (200, 8), (5,), (5,), (30, 8), (30, 8), "seed", (30, 8), (30, 8), (4,),
              (30, 8)]
    lows = [None] * 4 + [0.5, 0.25] + [None] * 7
    for shape, low in zip(shapes, lows):
        if shape == "seed":
            key = jax.random.key(11)
            continue
        key, sub = jax.random.split(key)
        want.append(jax.jit(sample, static_argnums=(1, 2))(sub, shape, low))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(np.asarray(g), np.asarray(w))


@pytest.mark.parametrize("n", [1, 255, 256, 257, 16_384, 16_385, 1 << 20])
def test_padded_sizes(n):
    size = _host_twins.padded_size(n)
    assert size >= n and (size <= 16_384 or size < 2 * n)


def _program(n):
    """The program benchmarks/extras_program.py times (issue 27's BrainPy-style program), on extras."""
    return _BENCHMARK.program(bm, n)


def test_an_eager_program_compiles_nothing_on_new_shapes():
    _program(60)  # the namespace's first use: its draw kernel
    before = _COMPILES[0]
    results = [_program(n) for n in _BENCHMARK.SHAPES]
    assert _COMPILES[0] == before
    assert all(type(r._value) is np.ndarray and r.dtype == bm.float32 for r in results)


def _analysis(n):  # the statistics and shape functions of the twins table, on host data of a new shape each time
    x = bm.asarray(np.linspace(-1.0, 1.0, n * 3, dtype=np.float32).reshape(n, 3))
    h, edges = bm.histogram(x, bins=5)
    q = bm.percentile(x, 75.0, axis=0) + bm.quantile(x, 0.5) + bm.nanmedian(x)
    c = bm.cov(x.T) + bm.einsum("ij,ik->jk", x, x)
    t = bm.take(bm.pad(x, ((1, 1), (0, 0))), bm.asarray([0, 2]), axis=0)
    return bm.sum(c) + bm.sum(q) + bm.sum(t) + bm.sum(bm.interp(x, edges, bm.arange(6.0))) + bm.sum(bm.isin(h, [1]))


def test_an_analysis_program_compiles_nothing_on_new_shapes():
    _analysis(7)
    before = _COMPILES[0]
    results = [_analysis(n) for n in (11, 23, 40)]
    assert _COMPILES[0] == before
    assert all(type(r._value) is np.ndarray for r in results)


def test_the_value_member_is_a_jax_array_of_a_host_value():
    x = bm.asarray(np.arange(3.0))
    assert type(x._value) is np.ndarray
    v = x.value
    assert isinstance(v, jax.Array) and x.value is v  # kept until the next write
    x[0] = 5.0
    assert float(v[0]) == 0.0 and float(x.value[0]) == 5.0


def test_keyless_host_draws_keep_the_stream_with_jaxs_older_threefry():
    """With ``jax_threefry_partitionable`` off (JAX's older threefry), a draw of n values is no prefix of a larger
    draw: the host path then draws at the draw's own shape, and the stream stays the XLA path's."""
    jax.config.update("jax_threefry_partitionable", False)
    try:
        host, xla = _both_paths(lambda: (bm.random.seed(3), bm.random.rand(100), bm.random.randn(7, 3))[1:])
    finally:
        jax.config.update("jax_threefry_partitionable", True)
    for h, x in zip(host, xla):
        np.testing.assert_array_equal(np.asarray(h), np.asarray(x))


def test_numpy_memory_shared_by_extras_never_reaches_jax():
    """``bm.asarray`` and the functions' NumPy twins share a NumPy argument's memory (``bm.asarray(a)``,
    ``bm.reshape(a, ...)``); JAX's arrays made of the results never change with it (JAX's CPU client would read
    an aligned buffer in place)."""
    buf = np.zeros(2 * _host._DEVICE_PUT_MIN_SIZE + 16, np.float32)
    start = (-buf.ctypes.data % _host.ALIGNMENT) // 4
    a = buf[start:start + 2 * _host._DEVICE_PUT_MIN_SIZE]
    x, r = bm.asarray(a), bm.reshape(a, (2, -1))
    assert np.shares_memory(x._value, a) and np.shares_memory(r._value, a)
    j, jr = jnp.asarray(x), jnp.asarray(r)
    a[0] = 5.0
    assert float(j[0]) == 0.0 and float(jr[0, 0]) == 0.0
    x[1] = 2.0
    assert a[1] == 0.0
