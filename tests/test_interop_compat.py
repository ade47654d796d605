"""array-api-compat helpers, array-api-extra functions and hypothesis's array-API strategies on array_api_jax.

Each array-api-extra call runs on Arrays and is compared with the NumPy equivalent; outputs must be Arrays.
"""

import jax
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import array_api_jax as xp

compat = pytest.importorskip("array_api_compat")
xpx = pytest.importorskip("array_api_extra")


def _np(a):
    return np.asarray(a)


def _check(out, ref, rtol=1e-12, atol=1e-12):
    outs, refs = (out, ref) if isinstance(ref, tuple) else ((out,), (ref,))
    assert len(outs) == len(refs)
    for o, r in zip(outs, refs):
        assert isinstance(o, xp.Array), type(o)
        r = np.asarray(r)
        assert o.shape == r.shape
        np.testing.assert_allclose(_np(o), r, rtol=rtol, atol=atol)


# --- array-api-compat --------------------------------------------------------------------------------------------


def test_array_namespace_is_the_module_and_respects_api_version():
    x = xp.asarray([1.0, 2.0])
    assert compat.array_namespace(x) is xp
    assert compat.array_namespace(x, 1.0, None) is xp  # Python scalars and None are ignored
    assert compat.array_namespace(x, api_version="2025.12") is xp
    old = compat.array_namespace(x, api_version="2023.12")
    assert old.__array_api_version__ == "2023.12" and not hasattr(old, "broadcast_shapes")


def test_array_namespace_refuses_mixing_with_numpy():
    with pytest.raises(TypeError, match="Multiple namespaces"):
        compat.array_namespace(xp.asarray([1.0]), np.asarray([1.0]))


def test_device_and_to_device():
    x = xp.asarray([1.0, 2.0])
    assert compat.device(x) == x.device
    assert compat.to_device(x, compat.device(x)) is x
    target = list(xp.__array_namespace_info__().devices())[-1]
    y = compat.to_device(x, target)
    assert isinstance(y, xp.Array) and compat.device(y) == target
    np.testing.assert_array_equal(_np(y), [1.0, 2.0])


@pytest.mark.parametrize("shape", [(), (0,), (3,), (2, 3, 4)])
def test_size(shape):
    assert compat.size(xp.zeros(shape)) == int(np.prod(shape))


def test_classification_helpers():
    x = xp.asarray([1.0, 2.0])
    assert compat.is_array_api_obj(x)
    assert not compat.is_array_api_obj([1.0, 2.0])
    assert compat.is_writeable_array(x)  # mutable: libraries may update it in place
    assert not compat.is_lazy_array(x)
    assert not compat.is_numpy_array(x) and not compat.is_jax_array(x)  # a library of its own


def test_is_lazy_array_under_jit():
    seen = {}

    def f(a):
        seen["lazy"] = compat.is_lazy_array(a)
        return a

    jax.jit(f)(xp.asarray([1.0]))
    assert seen["lazy"] is True  # bool() of a traced Array raises: compat treats it as lazy


# --- array-api-extra -------------------------------------------------------------------------------------------

_RNG = np.random.default_rng(0)
M = _RNG.standard_normal((4, 3))
V = np.array([3.0, -1.0, 2.0, -1.0, 0.5])
INTS = np.array([3, 1, 2, 1, 5, 3])

EXTRA_CASES = {
    "cov": (lambda: xpx.cov(xp.asarray(M)), lambda: np.cov(M)),
    "cov-1d": (lambda: xpx.cov(xp.asarray(V)), lambda: np.cov(V)),
    "pad-constant": (lambda: xpx.pad(xp.asarray(M), 1), lambda: np.pad(M, 1)),
    "pad-widths": (lambda: xpx.pad(xp.asarray(INTS), ((1, 2),), constant_values=9),
                   lambda: np.pad(INTS, (1, 2), constant_values=9)),
    "nunique": (lambda: xpx.nunique(xp.asarray(INTS)), lambda: np.asarray(len(np.unique(INTS)))),
    "setdiff1d": (lambda: xpx.setdiff1d(xp.asarray(INTS), xp.asarray([1, 5])), lambda: np.setdiff1d(INTS, [1, 5])),
    "union1d": (lambda: xpx.union1d(xp.asarray(INTS), xp.asarray([7, 1])), lambda: np.union1d(INTS, [7, 1])),
    "isin": (lambda: xpx.isin(xp.asarray(INTS), xp.asarray([1, 5])), lambda: np.isin(INTS, [1, 5])),
    "isclose": (lambda: xpx.isclose(xp.asarray(V), xp.asarray(V + 1e-10)), lambda: np.isclose(V, V + 1e-10)),
    "isclose-nan": (lambda: xpx.isclose(xp.asarray([np.nan, 1.0]), xp.asarray([np.nan, 2.0]), equal_nan=True),
                    lambda: np.isclose([np.nan, 1.0], [np.nan, 2.0], equal_nan=True)),
    "one_hot": (lambda: xpx.one_hot(xp.asarray(INTS), 6), lambda: np.eye(6)[INTS]),
    "one_hot-int32-float32": (lambda: xpx.one_hot(xp.asarray(INTS, dtype=xp.int32), 6, dtype=xp.float32),
                              lambda: np.eye(6, dtype=np.float32)[INTS]),
    "atleast_nd": (lambda: xpx.atleast_nd(xp.asarray(V), ndim=3), lambda: V[None, None, :]),
    "create_diagonal": (lambda: xpx.create_diagonal(xp.asarray(V)), lambda: np.diag(V)),
    "kron": (lambda: xpx.kron(xp.asarray(M[:2, :2]), xp.asarray(M[2:, 1:])), lambda: np.kron(M[:2, :2], M[2:, 1:])),
    "nan_to_num": (lambda: xpx.nan_to_num(xp.asarray([np.nan, np.inf, 1.0])),
                   lambda: np.nan_to_num([np.nan, np.inf, 1.0])),
    "nansum": (lambda: xpx.nansum(xp.asarray([np.nan, 2.0, 3.0])), lambda: np.nansum([np.nan, 2.0, 3.0])),
    "nanmean": (lambda: xpx.nanmean(xp.asarray([np.nan, 2.0, 3.0])), lambda: np.nanmean([np.nan, 2.0, 3.0])),
    "sinc": (lambda: xpx.sinc(xp.asarray(V)), lambda: np.sinc(V)),
    "searchsorted": (lambda: xpx.searchsorted(xp.asarray(np.sort(V)), xp.asarray([0.0, 2.5])),
                     lambda: np.searchsorted(np.sort(V), [0.0, 2.5])),
    "partition": (lambda: xpx.partition(xp.asarray(V), 2)[2], lambda: np.partition(V, 2)[2]),
    "apply_where": (lambda: xpx.apply_where(xp.asarray(V) > 0, (xp.asarray(V),), xp.sqrt, fill_value=0.0),
                    lambda: np.where(V > 0, np.sqrt(np.abs(V)), 0.0)),
    "unravel_index": (lambda: xpx.unravel_index(xp.asarray([5, 1]), (2, 3)),
                      lambda: np.unravel_index([5, 1], (2, 3))),
    "lazy_apply": (lambda: xpx.lazy_apply(np.cumsum, xp.asarray(V), shape=V.shape, dtype=xp.float64),
                   lambda: np.cumsum(V)),
}


@pytest.mark.parametrize("name", sorted(EXTRA_CASES))
def test_array_api_extra_function(name):
    run, ref = EXTRA_CASES[name]
    func = name.split("-")[0]
    if not hasattr(xpx, func):
        pytest.skip(f"array-api-extra {xpx.__version__} has no {func}")
    _check(run(), ref())


AT_CASES = {
    "set": (lambda a, copy: xpx.at(a, (0, 1)).set(10.0, copy=copy), lambda r: r.__setitem__((0, 1), 10.0)),
    "add-slice": (lambda a, copy: xpx.at(a)[1:, :2].add(1.0, copy=copy), lambda r: r.__setitem__(
        (slice(1, None), slice(None, 2)), r[1:, :2] + 1.0)),
    "multiply-mask": (lambda a, copy: xpx.at(a, a > 0).multiply(3.0, copy=copy),
                      lambda r: r.__setitem__(r > 0, r[r > 0] * 3.0)),
    "min": (lambda a, copy: xpx.at(a)[0, :].min(0.0, copy=copy), lambda r: r.__setitem__(0, np.minimum(r[0], 0.0))),
    "max": (lambda a, copy: xpx.at(a)[:, 0].max(0.0, copy=copy),
            lambda r: r.__setitem__((slice(None), 0), np.maximum(r[:, 0], 0.0))),
    "power": (lambda a, copy: xpx.at(a)[2, :].power(2.0, copy=copy), lambda r: r.__setitem__(2, r[2] ** 2)),
}


@pytest.mark.parametrize("copy", [None, True])
@pytest.mark.parametrize("name", sorted(AT_CASES))
def test_array_api_extra_at(name, copy):
    run, update = AT_CASES[name]
    x = xp.asarray(M)
    out = run(x, copy)
    ref = M.copy()
    update(ref)
    _check(out, ref)
    if copy:
        np.testing.assert_array_equal(_np(x), M)  # copy=True leaves the input alone
    else:
        assert out is x  # a writeable array is updated in place (copy=None)


def test_array_api_extra_at_writes_through_views():
    x = xp.asarray(M)
    row = x[1, :]
    xpx.at(row)[0].set(100.0)  # in place on the view, so the parent sees it
    assert float(x[1, 0]) == 100.0


def test_lazy_apply_under_jit_names_the_conversion():
    # array-api-extra only uses jax.pure_callback for jax.numpy arrays; it calls func on the traced Array,
    # whose conversion to NumPy raises a clear TypeError (use jax.pure_callback yourself under jit).
    f = jax.jit(lambda a: xpx.lazy_apply(np.cumsum, a, shape=(3,), dtype=xp.float64))
    with pytest.raises(TypeError, match="__array__: an array traced"):
        f(xp.asarray([1.0, 2.0, 3.0]))


# --- hypothesis.extra.array_api -----------------------------------------------------------------------------------

hxa = pytest.importorskip("hypothesis.extra.array_api")
xps = hxa.make_strategies_namespace(xp)


def test_strategies_namespace_version():
    assert xps.api_version == xp.__array_api_version__


@settings(max_examples=40, deadline=None)
@given(xps.arrays(dtype=xps.scalar_dtypes(), shape=xps.array_shapes(min_dims=0, max_dims=3, max_side=4)))
def test_generated_arrays_are_namespace_arrays(x):
    assert isinstance(x, xp.Array)
    assert x.dtype in xp.__array_namespace_info__().dtypes().values()
    a = np.asarray(x)
    assert a.shape == x.shape
    y = xp.asarray(a)
    assert y.dtype == x.dtype
    np.testing.assert_array_equal(np.asarray(y), a)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_generated_indices_match_numpy(data):
    x = data.draw(xps.arrays(dtype=xps.numeric_dtypes(), shape=xps.array_shapes(min_dims=1, max_dims=3, max_side=4)))
    idx = data.draw(xps.indices(x.shape))
    out = x[idx]
    assert isinstance(out, xp.Array)
    np.testing.assert_array_equal(np.asarray(out), np.asarray(x)[idx])


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_generated_broadcastable_shapes_match_numpy(data):
    dtype = data.draw(xps.real_dtypes())
    shapes = data.draw(xps.mutually_broadcastable_shapes(num_shapes=2, max_side=3))
    a, b = (data.draw(xps.arrays(dtype, s)) for s in shapes.input_shapes)
    out = xp.maximum(a, b)
    assert isinstance(out, xp.Array) and out.shape == shapes.result_shape and out.dtype == dtype
    np.testing.assert_array_equal(np.asarray(out), np.maximum(np.asarray(a), np.asarray(b)))


@settings(max_examples=30, deadline=None)
@given(xps.arrays(dtype=xps.floating_dtypes(), shape=xps.array_shapes(max_dims=2, max_side=5),
                  elements={"allow_nan": False, "allow_infinity": False, "min_value": -1e3, "max_value": 1e3}))
def test_backend_agnostic_function_matches_numpy(x):
    def standardize(a):
        ns = compat.array_namespace(a)
        return (a - ns.mean(a)) / (ns.std(a) + 1.0)

    out = standardize(x)
    assert isinstance(out, xp.Array)
    a = np.asarray(x).astype(np.float64)
    # x - mean(x) cancels: its float error is a few ulps of the largest |x|, not of the result
    tol = (1e-5 if x.dtype == xp.float32 else 1e-12) * max(1.0, float(np.abs(a).max(initial=0.0)))
    np.testing.assert_allclose(np.asarray(out), (a - a.mean()) / (a.std() + 1.0), rtol=tol, atol=tol)
