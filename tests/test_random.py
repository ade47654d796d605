"""extras.random: state under transformations, key=, seeding, threads, devices, and goodness of fit.

Statistical tests draw with fixed keys, so they are deterministic (no flakes); scipy.stats is the oracle.
"""

import os
import subprocess
import sys
import textwrap
import threading

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import array_api_jax as xp
import array_api_jax.extras as bm
from array_api_jax.extras import random as rnd
from array_api_jax.extras import _random_state

try:
    import scipy.stats as stats
except ImportError:  # pragma: no cover
    stats = None

needs_scipy = pytest.mark.skipif(stats is None, reason="scipy is not installed")


@pytest.fixture(autouse=True)
def _x64_defaults():
    """These tests (goodness of fit, NumPy comparisons) were written for 64-bit draws: run them with extras'
    64-bit defaults (bm.enable_x64()); the 32-bit default draws are tested in test_extras_settings.py."""
    bm.enable_x64()


def raw(a):
    return a._data()


def host(a):
    return np.asarray(a)


# --- jit: fresh numbers every call, one compilation ---------------------------------------------------------------


def test_jit_advances_state_with_one_compilation():
    traces = []

    @jax.jit
    def f(x):
        traces.append(1)
        return x + raw(rnd.normal(size=3))

    outs = [host(f(jnp.zeros(3))) for _ in range(5)]
    assert len(traces) == 1
    assert len({o.tobytes() for o in outs}) == 5


def test_eager_and_jit_agree_after_the_same_seed():
    f = jax.jit(lambda: raw(rnd.normal(size=4)))
    f()  # compiled before the seed
    rnd.seed(123)
    eager = host(rnd.normal(size=4))
    rnd.seed(123)
    jitted = host(f())
    np.testing.assert_array_equal(eager, jitted)


def test_seed_reproducible_eager_and_under_jit():
    f = jax.jit(lambda: raw(rnd.uniform(size=3)))
    f()
    rnd.seed(7)
    a = [host(f()), host(rnd.normal(size=2)), host(f())]
    rnd.seed(7)
    b = [host(f()), host(rnd.normal(size=2)), host(f())]
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], a[2])
    rnd.seed(2**70 + 5)  # big seeds work (NumPy accepts them)
    with pytest.raises(ValueError):
        rnd.seed(-1)


def test_seed_inside_jit():
    @jax.jit
    def f(s):
        rnd.seed(s)
        return raw(rnd.normal(size=2))

    np.testing.assert_array_equal(host(f(3)), host(f(3)))
    assert not np.array_equal(host(f(3)), host(f(4)))


# --- key= -------------------------------------------------------------------------------------------------------


def test_key_is_reproducible_and_does_not_advance():
    before = rnd.get_state()
    a, b = rnd.normal(size=5, key=11), rnd.normal(size=5, key=11)
    c = rnd.normal(size=5, key=jax.random.key(11))
    d = jax.jit(lambda k: raw(rnd.normal(size=5, key=k)))(jax.random.key(11))
    np.testing.assert_array_equal(host(a), host(b))
    np.testing.assert_array_equal(host(a), host(c))
    np.testing.assert_array_equal(host(a), host(d))
    np.testing.assert_array_equal(host(rnd.poisson(3.0, size=4, key=jax.random.PRNGKey(2))),
                                  host(rnd.poisson(3.0, size=4, key=jax.random.PRNGKey(2))))
    after = rnd.get_state()
    np.testing.assert_array_equal(before["key"], after["key"])
    assert not np.array_equal(host(rnd.normal(size=5, key=12)), host(a))
    with pytest.raises(TypeError, match="key="):
        rnd.normal(key="x")


def test_results_are_ndarrays_with_default_dtypes_and_device():
    dev = jax.devices()[0]
    x = rnd.normal(size=(2, 3), device=dev)
    assert type(x) is bm.ndarray and x.shape == (2, 3) and x.dtype == xp.float64 and x.device == dev
    assert rnd.randint(0, 5, size=3).dtype == xp.int64
    assert rnd.bernoulli(0.5, size=3).dtype == xp.bool
    assert rnd.normal(size=2, dtype=xp.float32).dtype == xp.float32
    assert rnd.normal(size=2, dtype=xp.complex64).dtype == xp.complex64
    bm.disable_x64()  # extras' own defaults (BrainPy's), not the strict namespace's
    assert rnd.normal(size=2).dtype == xp.float32 and rnd.gamma(2.0, size=2).dtype == xp.float32
    assert rnd.poisson(size=2).dtype == xp.int32 and rnd.default_rng(0).integers(3, size=2).dtype == xp.int32
    with pytest.raises(TypeError, match="dtype"):
        rnd.gamma(2.0, dtype=xp.int64)
    assert rnd.normal(size=()).shape == () and rnd.normal(bm.zeros((2, 1)), size=(2, 4)).shape == (2, 4)
    assert rnd.normal(np.zeros(3), np.ones((2, 1))).shape == (2, 3)


# --- transformations --------------------------------------------------------------------------------------------


def test_grad_and_jvp():
    def f(x):
        return x * raw(rnd.normal())

    g = jax.grad(f)
    assert host(g(1.0)) != host(g(1.0))
    assert float(jax.grad(lambda x: raw(rnd.normal(loc=x)))(2.0)) == 1.0
    # the gradient equals the number drawn in the forward pass
    rnd.seed(5)
    noise = host(jax.jit(lambda: raw(rnd.normal()))())
    rnd.seed(5)
    np.testing.assert_allclose(host(jax.jit(g)(3.0)), noise)
    primal, tangent = jax.jvp(f, (1.0,), (1.0,))
    assert primal == tangent


def test_scan_fori_while_cond_advance_per_iteration():
    def scan_f():
        return jax.lax.scan(lambda c, _: (c, raw(rnd.uniform())), 0.0, None, length=4)[1]

    def fori_f():
        return jax.lax.fori_loop(0, 4, lambda i, a: a.at[i].set(raw(rnd.uniform())), jnp.zeros(4))

    def while_f():
        def body(c):
            i, a = c
            return i + 1, a.at[i].set(raw(rnd.uniform()))

        return jax.lax.while_loop(lambda c: c[0] < 4, body, (0, jnp.zeros(4)))[1]

    for f in (scan_f, fori_f, while_f):
        jf = jax.jit(f)
        a, b = host(jf()), host(jf())
        assert len(set(a)) == 4 and not np.array_equal(a, b), f
        assert len(set(host(f()))) == 4
    cond = jax.jit(lambda p: jax.lax.cond(p, lambda: raw(rnd.uniform()), lambda: 0.0))
    before = rnd.get_state()["key"]
    assert host(cond(False)) == 0.0
    np.testing.assert_array_equal(before, rnd.get_state()["key"])  # branch not taken: no advance
    assert host(cond(True)) != host(cond(True))


def test_plain_vmap_is_refused_with_the_fix_named():
    def f(x):
        return x + raw(rnd.normal())

    with pytest.raises(rnd.RandomStateError, match=r"random\.vmap"):
        jax.vmap(f)(jnp.zeros(3))
    jf = jax.jit(f)
    jf(0.0)  # traced before the vmap: the refusal comes from the guard primitive's batching rule
    with pytest.raises(rnd.RandomStateError, match=r"random\.vmap"):
        jax.vmap(jf)(jnp.zeros(3))
    # key= under plain vmap is fine (vmap over keys)
    keys = jax.random.split(jax.random.key(0), 3)
    out = jax.vmap(lambda k: raw(rnd.normal(key=k)))(keys)
    assert len(set(host(out))) == 3


def test_random_vmap_gives_independent_lanes_and_advances_once():
    traces = []

    def f(x):
        traces.append(1)
        return x + raw(rnd.normal(size=2))

    vf = rnd.vmap(f)
    a, b = host(vf(jnp.zeros(4))), host(vf(jnp.zeros(4)))
    assert len({row.tobytes() for row in a}) == 4 and not np.array_equal(a, b)
    jf = jax.jit(rnd.vmap(f))
    traces.clear()
    c, d = host(jf(jnp.zeros(4))), host(jf(jnp.zeros(4)))
    assert len({row.tobytes() for row in c}) == 4 and not np.array_equal(c, d)
    assert len(traces) <= 2  # one trace; a retry when the generator is first seen
    rnd.seed(9)
    e = host(jf(jnp.zeros(4)))
    rnd.seed(9)
    np.testing.assert_array_equal(e, host(jf(jnp.zeros(4))))
    # other generators, nesting, in_axes
    g = rnd.default_rng(1)
    out = rnd.vmap(lambda x, y: x + raw(g.normal()) + y, in_axes=(0, None))(jnp.zeros(5), 1.0)
    assert len(set(host(out))) == 5
    nested = rnd.vmap(rnd.vmap(lambda x: x + raw(rnd.uniform())))(jnp.zeros((3, 4)))
    assert len(set(host(nested).ravel())) == 12


def test_checkpoint_under_grad_is_refused_and_random_checkpoint_is_consistent():
    def f(x):
        return x * raw(rnd.normal())

    with pytest.raises(rnd.RandomStateError, match=r"random\.checkpoint"):
        jax.grad(jax.checkpoint(f))(1.0)
    jf = jax.jit(f)
    jf(1.0)
    with pytest.raises(rnd.RandomStateError, match="checkpoint"):
        jax.grad(jax.checkpoint(jf))(1.0)
    assert np.isfinite(host(jax.checkpoint(f)(1.0)))  # no differentiation, no replay: allowed

    def g(x):
        noise = raw(rnd.normal(size=3))
        return jnp.sum(x * noise), noise

    for cg in (rnd.checkpoint(g), jax.jit(rnd.checkpoint(g))):
        (value, noise), grad = jax.value_and_grad(cg, has_aux=True)(jnp.ones(3))
        np.testing.assert_allclose(host(grad), host(noise))
        np.testing.assert_allclose(host(value), host(jnp.sum(noise)))
    (_, n1), _ = jax.value_and_grad(rnd.checkpoint(g), has_aux=True)(jnp.ones(3))
    assert not np.array_equal(host(n1), host(noise))


def test_shard_map_closing_over_the_state_is_refused():
    mesh = jax.make_mesh((1,), ("i",))
    spec = jax.sharding.PartitionSpec("i")
    x = jax.device_put(jnp.zeros(4), jax.sharding.NamedSharding(mesh, spec))

    def body(x):
        return x + raw(rnd.normal(size=x.shape))

    with pytest.raises(rnd.RandomStateError, match="key="):
        jax.shard_map(body, mesh=mesh, in_specs=spec, out_specs=spec)(x)

    def keyed(x, k):
        k = jax.random.fold_in(k, jax.lax.axis_index("i"))
        return x + raw(rnd.normal(size=x.shape, key=k))

    out = jax.shard_map(keyed, mesh=mesh, in_specs=(spec, jax.sharding.PartitionSpec()), out_specs=spec)(
        x, jax.random.key(0))
    assert out.shape == (4,)


_MULTI_DEVICE = textwrap.dedent("""
    import jax, jax.numpy as jnp, numpy as np
    from jax.sharding import NamedSharding, PartitionSpec as P
    from array_api_jax.extras import random as rnd
    mesh = jax.make_mesh((4,), ("x",))
    x = jax.device_put(jnp.zeros(8), NamedSharding(mesh, P("x")))
    f = jax.jit(lambda x: x + rnd.normal(size=x.shape, device=NamedSharding(mesh, P("x")))._data())
    a, b = f(x), f(x)
    assert a.sharding.spec == P("x") and not np.array_equal(np.asarray(a), np.asarray(b))
    with jax.set_mesh(mesh):
        g = jax.jit(lambda x: x + rnd.uniform(size=x.shape)._data())
        assert not np.array_equal(np.asarray(g(x)), np.asarray(g(x)))
    e = rnd.normal(size=8, device=NamedSharding(mesh, P("x")))
    assert e.device.spec == P("x")
    d2 = jax.devices()[2]
    y = rnd.normal(size=3, device=d2)
    assert y.device == d2
    z = rnd.normal(jax.device_put(jnp.zeros(3), d2))  # committed parameters pick the placement
    assert z.device == d2
    st = rnd.get_state(); u = np.asarray(rnd.normal(size=3, device=d2)); rnd.set_state(st)
    assert np.array_equal(u, np.asarray(rnd.normal(size=3, device=d2)))
    for bad in (lambda: jax.shard_map(lambda v: v + rnd.normal(size=v.shape)._data(), mesh=mesh,
                                      in_specs=P("x"), out_specs=P("x"))(x),
                lambda: jax.pmap(lambda v: v + rnd.normal()._data())(jnp.zeros(4))):
        try:
            bad()
        except rnd.RandomStateError as e:
            assert "key=" in str(e)
        else:
            raise AssertionError("no error")
    print("OK")
""")


def test_multiple_devices_in_a_subprocess():
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=4", JAX_PLATFORMS="cpu")
    proc = subprocess.run([sys.executable, "-c", _MULTI_DEVICE], env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0 and "OK" in proc.stdout, proc.stderr[-3000:]


# --- threads, state, failures --------------------------------------------------------------------------------------


def test_threads_no_duplicates_no_errors():
    n_threads, n_draws = 8, 10_000
    results, errors = [], []
    gen = rnd.default_rng(3)

    def work():
        try:
            mine = [gen.integers(0, 2**62, key=None) for _ in range(n_draws)]
            results.append(np.array([int(v) for v in mine]))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    allv = np.concatenate(results)
    assert allv.size == n_threads * n_draws and np.unique(allv).size == allv.size


def test_get_state_set_state_round_trip():
    state = rnd.get_state()
    f = jax.jit(lambda: raw(rnd.normal(size=3)))
    a = [host(rnd.normal(size=3)), host(f())]
    rnd.set_state(state)
    b = [host(rnd.normal(size=3)), host(f())]
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    g = rnd.default_rng(0)
    s = g.get_state()
    u = host(g.random(4))
    g.set_state(s)
    np.testing.assert_array_equal(u, host(g.random(4)))
    with pytest.raises(TypeError):
        rnd.set_state(("MT19937", 1))


@pytest.mark.parametrize("call", [
    lambda: rnd.normal(0.0, -1.0),
    lambda: rnd.normal(bm.asarray([0.0, 1.0]), bm.asarray([1.0, -1.0])),
    lambda: rnd.normal(size=-1),
    lambda: rnd.normal(np.zeros(3), size=(2,)),
    lambda: rnd.binomial(5, 1.5),
    lambda: rnd.randint(5, 5),
    lambda: rnd.randint(0, 300, dtype=xp.int8),
    lambda: rnd.hypergeometric(2, 2, 5),
    lambda: rnd.zipf(1.0),
    lambda: rnd.choice(3, 5, replace=False),
    lambda: rnd.choice(3, p=[0.5, 0.4, 0.2]),
    lambda: rnd.multinomial(3, [0.7, 0.7, 0.1]),
    lambda: rnd.dirichlet([1.0, 0.0]),
    lambda: rnd.gamma(float("nan")),
])
def test_failed_draw_does_not_advance(call):
    before = rnd.get_state()["key"]
    with pytest.raises(ValueError):
        call()
    np.testing.assert_array_equal(before, rnd.get_state()["key"])


def test_fallback_path_matches_fast_path():
    rnd.seed(21)
    fast = host(rnd.normal(size=3))
    _random_state.FAST[0] = False
    try:
        rnd.seed(21)
        slow = host(rnd.normal(size=3))
    finally:
        _random_state.FAST[0] = True
    np.testing.assert_array_equal(fast, slow)


def test_api_surface():
    names = ("seed random rand randn random_sample uniform normal standard_normal randint random_integers choice "
             "permutation shuffle bernoulli binomial poisson exponential standard_exponential gamma standard_gamma "
             "beta chisquare dirichlet f geometric gumbel hypergeometric laplace logistic lognormal logseries "
             "multinomial multivariate_normal negative_binomial noncentral_chisquare pareto power rayleigh "
             "standard_cauchy standard_t t triangular truncated_normal vonmises wald weibull zipf categorical "
             "orthogonal get_state set_state default_rng").split()
    missing = [n for n in names if not hasattr(rnd, n)]
    assert not missing
    g = rnd.default_rng(0)
    for m in ("integers", "random", "normal", "uniform", "choice", "permutation", "permuted", "shuffle", "spawn",
              "multivariate_hypergeometric", "noncentral_f", "bytes"):
        assert callable(getattr(g, m)), m
    assert isinstance(rnd.NOT_PROVIDED, dict) and all(rnd.NOT_PROVIDED.values())
    for word in ("jax.jit", "jax.vmap", "checkpoint", "shard_map", "scan", "while_loop", "cond", "threads"):
        assert word in rnd.__doc__
    import inspect

    assert list(inspect.signature(rnd.normal).parameters) == ["loc", "scale", "size", "dtype", "device", "key",
                                                              "out"]
    assert rnd.default_rng(g) is g


def test_generator_methods():
    g = rnd.default_rng(0)
    x = bm.arange(10)
    g.shuffle(x)
    assert sorted(host(x).tolist()) == list(range(10))
    m = bm.arange(12).reshape(3, 4)
    p = g.permuted(m, axis=1)
    assert all(sorted(r) == list(range(4 * i, 4 * i + 4)) for i, r in enumerate(host(p).tolist()))
    g.permuted(m, axis=None, out=m)
    assert sorted(host(m).ravel().tolist()) == list(range(12))
    kids = g.spawn(3)
    draws = {host(k.random(2)).tobytes() for k in kids}
    assert len(draws) == 3
    v = g.integers(0, 3, size=1000, endpoint=True)
    assert set(host(v).tolist()) == {0, 1, 2, 3}
    out = bm.zeros(5)
    assert g.random(out=out) is out and np.all(host(out) > 0)
    assert len(g.bytes(7)) == 7
    ch = g.choice(bm.arange(20).reshape(10, 2), 4, replace=False, axis=0)
    assert ch.shape == (4, 2) and len({tuple(r) for r in host(ch).tolist()}) == 4
    q = g.orthogonal(4, size=2)
    np.testing.assert_allclose(host(q) @ np.swapaxes(host(q), -1, -2), np.broadcast_to(np.eye(4), (2, 4, 4)),
                               atol=1e-12)
    rs = rnd.RandomState(5)
    a = host(rs.randn(3))
    rs.seed(5)
    np.testing.assert_array_equal(a, host(rs.randn(3)))


# --- goodness of fit -------------------------------------------------------------------------------------------------

N = 4000
CONTINUOUS = [
    ("uniform", (-1.0, 3.0), lambda: stats.uniform(-1, 4)),
    ("normal", (1.0, 2.0), lambda: stats.norm(1, 2)),
    ("standard_normal", (), lambda: stats.norm()),
    ("exponential", (2.0,), lambda: stats.expon(scale=2)),
    ("standard_exponential", (), lambda: stats.expon()),
    ("gamma", (0.7, 2.0), lambda: stats.gamma(0.7, scale=2)),
    ("standard_gamma", (3.0,), lambda: stats.gamma(3.0)),
    ("beta", (0.5, 2.0), lambda: stats.beta(0.5, 2.0)),
    ("chisquare", (3.0,), lambda: stats.chi2(3)),
    ("noncentral_chisquare", (0.5, 2.0), lambda: stats.ncx2(0.5, 2.0)),
    ("noncentral_chisquare", (4.0, 0.0), lambda: stats.chi2(4)),
    ("f", (3.0, 7.0), lambda: stats.f(3, 7)),
    ("noncentral_f", (3.0, 7.0, 2.5), lambda: stats.ncf(3, 7, 2.5)),
    ("gumbel", (1.0, 2.0), lambda: stats.gumbel_r(1, 2)),
    ("laplace", (1.0, 2.0), lambda: stats.laplace(1, 2)),
    ("logistic", (1.0, 2.0), lambda: stats.logistic(1, 2)),
    ("lognormal", (0.5, 0.7), lambda: stats.lognorm(0.7, scale=np.exp(0.5))),
    ("pareto", (3.0,), lambda: stats.lomax(3.0)),
    ("power", (2.5,), lambda: stats.powerlaw(2.5)),
    ("rayleigh", (2.0,), lambda: stats.rayleigh(scale=2)),
    ("standard_cauchy", (), lambda: stats.cauchy()),
    ("standard_t", (3.0,), lambda: stats.t(3)),
    ("t", (0.8,), lambda: stats.t(0.8)),
    ("triangular", (1.0, 2.0, 5.0), lambda: stats.triang(0.25, loc=1, scale=4)),
    ("truncated_normal", (-0.5, 2.0), lambda: stats.truncnorm(-0.5, 2.0)),
    ("vonmises", (0.5, 3.0), lambda: stats.vonmises(3.0)),  # compared after centring on mu (see below)
    ("vonmises", (-2.5, 0.05), lambda: stats.vonmises(0.05)),
    ("vonmises", (1.0, 1e6), lambda: stats.norm(0.0, 1e-3)),
    ("wald", (1.5, 2.0), lambda: stats.invgauss(1.5 / 2.0, scale=2.0)),
    ("weibull", (1.7,), lambda: stats.weibull_min(1.7)),
]


@needs_scipy
@pytest.mark.parametrize("name,args,dist", CONTINUOUS, ids=[f"{c[0]}{c[1]}" for c in CONTINUOUS])
def test_continuous_goodness_of_fit(name, args, dist):
    sample = host(getattr(rnd, name)(*args, size=N, key=1234))
    assert sample.dtype == np.float64
    if name == "vonmises":  # results are angles in [-pi, pi): centre them on mu (scipy's support is mu +- pi)
        assert np.all((sample >= -np.pi) & (sample < np.pi))
        sample = np.mod(sample - args[0] + np.pi, 2 * np.pi) - np.pi
    assert stats.kstest(sample, dist().cdf).pvalue > 1e-3


DISCRETE = [
    ("binomial", (10, 0.3), lambda: stats.binom(10, 0.3)),
    ("binomial", (200, 0.6), lambda: stats.binom(200, 0.6)),
    ("poisson", (3.5,), lambda: stats.poisson(3.5)),
    ("poisson", (80.0,), lambda: stats.poisson(80.0)),
    ("geometric", (0.2,), lambda: stats.geom(0.2)),
    ("negative_binomial", (2.5, 0.4), lambda: stats.nbinom(2.5, 0.4)),
    ("logseries", (0.8,), lambda: stats.logser(0.8)),
    ("zipf", (2.2,), lambda: stats.zipf(2.2)),
    ("hypergeometric", (15, 25, 12), lambda: stats.hypergeom(40, 15, 12)),
    ("hypergeometric", (30, 10, 35), lambda: stats.hypergeom(40, 30, 35)),
    ("randint", (-3, 7), lambda: stats.randint(-3, 7)),
    ("random_integers", (2, 6), lambda: stats.randint(2, 7)),
    ("bernoulli", (0.3,), lambda: stats.bernoulli(0.3)),
]


def _chisquare(sample, pmf_dist):
    """Chi-square test over the values with expected count >= 5, the rest pooled into one cell."""
    values, counts = np.unique(sample, return_counts=True)
    support = np.arange(values.min(), values.max() + 1)
    expected = pmf_dist.pmf(support) * sample.size
    seen = dict(zip(values.tolist(), counts.tolist()))
    observed = np.array([seen.get(v, 0) for v in support.tolist()], float)
    keep = expected >= 5
    exp_cells = np.append(expected[keep], sample.size - expected[keep].sum())
    obs_cells = np.append(observed[keep], sample.size - observed[keep].sum())
    if exp_cells[-1] < 5:
        exp_cells, obs_cells = exp_cells[:-1], obs_cells[:-1]
        obs_cells = obs_cells * exp_cells.sum() / obs_cells.sum()
    return stats.chisquare(obs_cells, exp_cells).pvalue


@needs_scipy
@pytest.mark.parametrize("name,args,dist", DISCRETE, ids=[f"{c[0]}{c[1]}" for c in DISCRETE])
def test_discrete_goodness_of_fit(name, args, dist):
    sample = host(getattr(rnd, name)(*args, size=N, key=4321)).astype(np.int64)
    assert _chisquare(sample, dist()) > 1e-3


@needs_scipy
def test_multivariate_goodness_of_fit():
    alpha = np.array([0.5, 2.0, 3.5])
    d = host(rnd.dirichlet(alpha, size=N, key=5))
    np.testing.assert_allclose(d.sum(-1), 1.0)
    assert stats.kstest(d[:, 1], stats.beta(2.0, alpha.sum() - 2.0).cdf).pvalue > 1e-3
    m = host(rnd.multinomial(20, [0.1, 0.6, 0.3], size=N, key=6))
    assert np.all(m.sum(-1) == 20)
    assert _chisquare(m[:, 1], stats.binom(20, 0.6)) > 1e-3
    cov = np.array([[2.0, 0.6], [0.6, 1.0]])
    for method in ("svd", "eigh", "cholesky"):
        mv = host(rnd.multivariate_normal([1.0, -1.0], cov, size=N, method=method, key=7))
        w = np.array([0.3, -0.8])
        assert stats.kstest(mv @ w, stats.norm(w @ [1.0, -1.0], np.sqrt(w @ cov @ w)).cdf).pvalue > 1e-3
    mh = host(rnd.multivariate_hypergeometric([5, 10, 15], 12, size=N, key=8))
    assert np.all(mh.sum(-1) == 12)
    assert _chisquare(mh[:, 1], stats.hypergeom(30, 10, 12)) > 1e-3
    q = host(rnd.orthogonal(3, size=N, key=9))
    assert stats.kstest(q[:, 0, 0] ** 2, stats.beta(0.5, 1.0).cdf).pvalue > 1e-3
    logits = np.log(np.array([0.2, 0.5, 0.3]))
    c = host(rnd.categorical(logits, size=N, key=10))
    assert stats.chisquare(np.bincount(c, minlength=3), N * np.exp(logits)).pvalue > 1e-3
    ch = host(rnd.choice(4, size=N, p=[0.1, 0.2, 0.3, 0.4], key=11))
    assert stats.chisquare(np.bincount(ch, minlength=4), N * np.array([0.1, 0.2, 0.3, 0.4])).pvalue > 1e-3
    first = np.array([host(rnd.permutation(5, key=k))[0] for k in range(500)])
    assert stats.chisquare(np.bincount(first, minlength=5)).pvalue > 1e-3
    u = host(rnd.random(size=N, key=12))
    assert stats.kstest(u, "uniform").pvalue > 1e-3
