"""The kernel form: one body ``impl(m, *values, **static)`` over an array module gives both sides of a kernel, and
each real difference between NumPy and jax.numpy is one method of the adapters, the same on both."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from array_api_jax import _dispatch
from array_api_jax._host import HostArray
from array_api_jax._special_cases import HOST, JAX


def _scaled(m, x, *, k):
    return m.concatenate([x, x * k])


def test_a_body_over_m_makes_both_sides():
    k = _dispatch.kernel(_scaled, static=("k",))
    assert isinstance(k, _dispatch.Twin)
    host = np.arange(3.0)
    out = k(host, k=2)
    assert type(out) is HostArray and out.tolist() == [0, 1, 2, 0, 2, 4]
    assert k.side(host) is k.host  # the NumPy body: no compile, no transfer
    dev = k(jnp.arange(3.0), k=2)
    assert isinstance(dev, jax.Array) and dev.tolist() == [0, 1, 2, 0, 2, 4]
    assert "concatenate" in str(k.trace(jnp.arange(3.0), k=2).jaxpr)  # the JAX body, traced


def test_a_body_of_raw_arrays_has_no_twin():
    k = _dispatch.kernel(lambda x: x + 1)
    assert not isinstance(k, _dispatch.Twin)
    assert isinstance(k(np.zeros(2)), jax.Array)  # JAX takes the NumPy array


def test_a_kernel_factory_over_m_makes_both_sides():
    factory = _dispatch.kernel_cache(lambda m, k: lambda x: m.concatenate([x, x * k]))
    assert isinstance(factory(2), _dispatch.Twin) and factory(2) is factory(2)
    assert type(factory(2)(np.arange(2.0))) is HostArray
    assert factory(2)(jnp.arange(2.0)).tolist() == [0, 1, 0, 2]
    assert not isinstance(_dispatch.kernel_cache(lambda k: lambda x: x * k)(2), _dispatch.Twin)


# a stack of three matrices: regular, with a NaN, exactly singular
_STACK = np.array([[[2.0, 1.0], [1.0, 3.0]], [[np.nan, 1.0], [1.0, 3.0]], [[1.0, 2.0], [2.0, 4.0]]])


@pytest.mark.parametrize("m", [JAX, HOST], ids=["jax", "host"])
def test_nan_if_not_finite(m):
    s = np.asarray(m.nan_if_not_finite(m.linalg.svd, m.asarray(_STACK), compute_uv=False))
    assert np.isnan(s[1]).all() and np.isfinite(s[[0, 2]]).all()
    assert np.allclose(s[[0, 2]], np.linalg.svd(_STACK[[0, 2]], compute_uv=False))


@pytest.mark.parametrize("m", [JAX, HOST], ids=["jax", "host"])
def test_linalg_failed(m):
    good, bad = m.asarray(_STACK[0]), m.asarray(-_STACK[0])  # -A is not positive definite
    out, failed = m.linalg_failed(lambda: m.linalg.cholesky(good), good)
    assert not failed and np.allclose(np.asarray(out), np.linalg.cholesky(_STACK[0]))
    _, failed = m.linalg_failed(lambda: m.linalg.cholesky(bad), bad)
    assert failed


@pytest.mark.parametrize("m", [JAX, HOST], ids=["jax", "host"])
def test_lu_solve(m):
    b = np.ones((3, 2, 1))
    out, singular = m.lu_solve(m.asarray(_STACK[[0, 0]]), m.asarray(b[:2]))
    assert not singular and np.allclose(np.asarray(out), np.linalg.solve(_STACK[[0, 0]], b[:2]))
    _, singular = m.lu_solve(m.asarray(_STACK[[0, 2]]), m.asarray(b[:2]))
    assert singular
    out, singular = m.inv_flagged(m.asarray(_STACK[[0, 0]]))
    assert not singular and np.allclose(np.asarray(out), np.linalg.inv(_STACK[[0, 0]]))
    _, singular = m.inv_flagged(m.asarray(_STACK[[0, 2]]))
    assert singular


@pytest.mark.parametrize("m", [JAX, HOST], ids=["jax", "host"])
def test_accumulate(m):
    x = np.array([[1, 2, 3], [4, 5, 6]], np.int32)
    out = np.asarray(m.accumulate("add", m.asarray(x), 1))
    assert out.dtype == np.int32 and out.tolist() == [[1, 3, 6], [4, 9, 15]]
    assert np.asarray(m.accumulate("multiply", m.asarray(x), 0)).tolist() == [[1, 2, 3], [4, 10, 18]]
    flags = m.asarray(np.array([False, True, False, True]))
    assert np.asarray(m.accumulate("logical_or", flags, 0)).tolist() == [False, True, True, True]
    assert np.asarray(m.accumulate("logical_xor", flags, 0)).tolist() == [False, True, True, False]
    assert np.asarray(m.accumulate("add", m.asarray(np.zeros((2, 0))), 1)).shape == (2, 0)
    # 2**17 float32 additions of 0.1, each partial sum within a few ULP of the exact one (NumPy's sequential
    # float32 sum ends 13,907 ULP off): rounded twice on the host, a pairwise order of additions on XLA
    tenths = np.full(2 ** 17, 0.1, np.float32)
    out = np.asarray(m.accumulate("add", m.asarray(tenths), 0))
    assert out.dtype == np.float32
    exact = np.cumsum(tenths, dtype=np.float64)
    assert np.all(np.abs(out - exact) <= 3 * np.spacing(exact.astype(np.float32)))


@pytest.mark.parametrize("m", [JAX, HOST], ids=["jax", "host"])
def test_set_at(m):
    x = m.asarray(np.arange(4.0))
    out = m.set_at(x, (np.array([3, 1]),), m.asarray(np.array([9.0, 8.0])))
    assert np.asarray(out).tolist() == [0, 8, 2, 9]
    assert np.asarray(x).tolist() == [0, 1, 2, 3]  # a new array: x itself is never written


@pytest.mark.parametrize("m", [JAX, HOST], ids=["jax", "host"])
def test_take_along_and_take_sorted(m):
    x = m.asarray(np.array([[10, 20, 30], [40, 50, 60]]))
    assert np.asarray(m.take_along(x, m.asarray(np.array([[2], [0]])), 1)).tolist() == [[30], [40]]
    assert np.asarray(m.take_sorted(x, m.asarray(np.array([0, 0, 2])), 1)).tolist() == [[10, 10, 30], [40, 40, 60]]


@pytest.mark.parametrize("m", [JAX, HOST], ids=["jax", "host"])
def test_reshaped(m):
    x = np.arange(6.0)
    out = m.reshaped(m.asarray(x), (2, 3))
    assert np.asarray(out).tolist() == x.reshape(2, 3).tolist()
    if m is HOST:
        assert out.flags.owndata  # NumPy's own reshape gives a view of x


@pytest.mark.parametrize("m", [JAX, HOST], ids=["jax", "host"])
def test_sharded_like(m):
    new, old = m.asarray(np.zeros(2)), m.asarray(np.ones(2))
    assert m.sharded_like(new, old) is new  # no Explicit axes (tests/test_explicit_sharding.py has them)
