"""Deferred predicates: comparisons and is* tests whose result ``where`` and the reductions fold into one kernel.

A deferred result must be indistinguishable from a computed one: same values, dtype and shape, errors raised at
the predicate's own call, unaffected by later writes to its operands, and correct after writes to itself.
"""

import copy
import math
import operator
import os
import pickle
import subprocess
import sys

import jax
import numpy as np
import pytest

import array_api_jax as xp
from array_api_jax import extras

# Deferral is a property of the XLA path (host values are computed at once, see test_host_path.py)
pytestmark = pytest.mark.usefixtures("xla_path")

RNG = np.random.default_rng(7)
A = RNG.normal(size=(4, 5))
A[0, 0], A[1, 1], A[2, 2] = np.nan, np.inf, -0.0
B = RNG.normal(size=(4, 5))
B[3, 4] = A[3, 4]

COMPARISONS = {"equal": np.equal, "not_equal": np.not_equal, "less": np.less, "less_equal": np.less_equal,
               "greater": np.greater, "greater_equal": np.greater_equal}
TESTS = {"isnan": np.isnan, "isinf": np.isinf, "isfinite": np.isfinite}


def _is_deferred(x):
    return x._pending is not None


def _computed(x):
    """The same predicate result, computed at once."""
    x.block_until_ready()
    assert not _is_deferred(x)
    return x


@pytest.mark.parametrize("name", COMPARISONS)
@pytest.mark.parametrize("operands", ["arrays", "broadcast", "scalar right", "scalar left"])
def test_comparisons_defer_and_give_numpy_values(name, operands):
    a, b = {"arrays": (A, B), "broadcast": (A, B[:1]), "scalar right": (A, 0.5), "scalar left": (0.5, A)}[operands]
    wrap = lambda v: xp.asarray(v) if isinstance(v, np.ndarray) else v  # noqa: E731
    out = getattr(xp, name)(wrap(a), wrap(b))
    assert _is_deferred(out)
    assert out.dtype == xp.bool and out.shape == np.broadcast_shapes(np.shape(a), np.shape(b))
    assert np.array_equal(np.asarray(out), COMPARISONS[name](a, b))
    assert not _is_deferred(out)


@pytest.mark.parametrize("name", TESTS)
def test_is_tests_defer_and_give_numpy_values(name):
    out = getattr(xp, name)(xp.asarray(A))
    assert _is_deferred(out)
    assert np.array_equal(np.asarray(out), TESTS[name](A))


@pytest.mark.parametrize("op, ref", [(operator.lt, np.less), (operator.le, np.less_equal), (operator.eq, np.equal),
                                     (operator.ne, np.not_equal), (operator.gt, np.greater),
                                     (operator.ge, np.greater_equal)])
def test_comparison_operators_defer(op, ref):
    x = xp.asarray(A)
    for other, ref_other in ((xp.asarray(B), B), (0.25, 0.25)):
        out = op(x, other)
        assert _is_deferred(out)
        assert np.array_equal(np.asarray(out), ref(A, ref_other))
    assert np.array_equal(np.asarray(op(0.25, x)), ref(0.25, A))  # reflected: Python swaps the comparison


def _predicates():
    x, y = xp.asarray(A), xp.asarray(B)
    computed = _computed(y > 0.0)
    return {"x > 0": lambda: x > 0.0, "x == y": lambda: xp.equal(x, y), "isnan(x)": lambda: xp.isnan(x),
            "isfinite(x)": lambda: xp.isfinite(x), "column < y": lambda: xp.less(x[:, :1], y),
            "(x > -1) & (x < 1)": lambda: (x > -1.0) & (x < 1.0), "~isnan(x)": lambda: ~xp.isnan(x),
            "isnan(x) | computed": lambda: xp.isnan(x) | computed,
            "logical_xor(x > 0, not y < 0)": lambda: xp.logical_xor(x > 0.0, xp.logical_not(y < 0.0)),
            "((x > 0) & (x < 1)) | isinf(x)": lambda: ((x > 0.0) & (x < 1.0)) | xp.isinf(x)}


CONSUMERS = {
    "where arrays": lambda m: xp.where(m, xp.asarray(A), xp.asarray(B)),
    "where array and scalar": lambda m: xp.where(m, xp.asarray(1.0), -1.0),
    "where int and array": lambda m: xp.where(m, 3, xp.asarray(B)),
    "any": lambda m: xp.any(m),
    "all": lambda m: xp.all(m),
    "any axis 0": lambda m: xp.any(m, axis=0),
    "all axis -1 keepdims": lambda m: xp.all(m, axis=-1, keepdims=True),
    "any axes (0, 1)": lambda m: xp.any(m, axis=(0, 1)),
    "count_nonzero": lambda m: xp.count_nonzero(m),
    "count_nonzero axis 1 keepdims": lambda m: xp.count_nonzero(m, axis=1, keepdims=True),
}


@pytest.mark.parametrize("consumer", CONSUMERS)
@pytest.mark.parametrize("predicate", _predicates())
def test_fused_consumers_match_computed_predicates(predicate, consumer):
    make, use = _predicates()[predicate], CONSUMERS[consumer]
    deferred = make()
    fused = use(deferred)
    assert _is_deferred(deferred)  # folded into the consumer's kernel, never computed on its own
    plain = use(_computed(make()))
    assert fused.dtype == plain.dtype and fused.shape == plain.shape
    np.testing.assert_array_equal(np.asarray(fused), np.asarray(plain))


def test_errors_are_raised_by_the_predicate_call():
    z = xp.asarray([1j, 2j])
    with pytest.raises(TypeError, match="less: x1 has dtype complex128"):
        xp.less(z, z)
    with pytest.raises(TypeError, match="greater"):
        _ = xp.asarray(A) > z[:1]
    with pytest.raises(ValueError, match="equal"):
        xp.equal(xp.asarray(A), xp.asarray(B[:, :2]))
    with pytest.raises(TypeError, match="isnan: x must be an array"):
        xp.isnan(A)
    with pytest.raises(TypeError, match="isfinite"):
        xp.isfinite(xp.asarray([True]))
    with pytest.raises(OverflowError, match="equal"):
        xp.equal(xp.asarray([1], dtype=xp.int8), 1000)


def test_fused_consumer_errors_name_the_consumer():
    m = xp.asarray(A) > 0.0
    with pytest.raises(ValueError, match="where"):
        xp.where(m, xp.asarray(B[:, :2]), 0.0)
    with pytest.raises(TypeError, match="where"):
        xp.where(m, xp.asarray([True]), 1.5)
    with pytest.raises(TypeError, match="max: x has dtype bool"):
        xp.max(xp.asarray(A) > 0.0)
    with pytest.raises(IndexError, match="any"):
        xp.any(m, axis=2)
    assert _is_deferred(m)
    assert np.array_equal(np.asarray(m), A > 0.0)


def test_later_writes_to_the_operands_do_not_change_the_result():
    x = xp.asarray(A)
    view = x[1:3, ...]
    m, mv = x > 0.0, view > 0.0
    x[...] = -1.0
    x += 5.0
    assert np.array_equal(np.asarray(m), A > 0.0)
    assert np.array_equal(np.asarray(xp.any(mv, axis=1)), np.any(A[1:3] > 0.0, axis=1))


def test_writes_to_a_deferred_result_are_seen_by_fused_consumers():
    x = xp.asarray(np.arange(6.0))
    m = x > 2.0
    m[4] = False
    assert np.array_equal(np.asarray(xp.where(m, x, 0.0)), [0, 0, 0, 3, 0, 5])
    m2 = x > 2.0
    m2 &= x < 5.0
    assert np.array_equal(np.asarray(xp.where(m2, x, 0.0)), [0, 0, 0, 3, 4, 0])
    m3 = x > 10.0
    extras.place(m3, xp.asarray([True, False] * 3), [True])  # an extras in-place function replaces the value
    assert np.array_equal(np.asarray(xp.where(m3, x, -1.0)), [0, -1, 2, -1, 4, -1])


def test_a_view_of_a_deferred_result():
    m = xp.asarray(A) > 0.0
    row = m[2, ...]
    assert np.array_equal(np.asarray(row), A[2] > 0.0)
    row[0] = True
    assert bool(m[2, 0]) is True


def test_traced_predicates_are_computed_at_once():
    seen = []

    @jax.jit
    def f(x):
        m = x > 0.0
        seen.append(_is_deferred(m))
        return xp.where(m, x, 0.0)

    out = f(xp.asarray(A))
    assert seen == [False]
    np.testing.assert_array_equal(np.asarray(out), np.where(A > 0.0, A, 0.0))


def test_a_deferred_result_crosses_a_jit_boundary():
    m = xp.asarray(A) > 0.0
    out = jax.jit(lambda c: xp.where(c, xp.asarray(1), 0))(m)
    assert np.array_equal(np.asarray(out), np.where(A > 0.0, 1, 0))


def test_large_operands_are_computed_at_once():
    big = xp.zeros((300, 300))
    assert not _is_deferred(big > 0.0)
    assert _is_deferred(big[:10, :] > 0.0)


def test_deferred_results_copy_and_pickle():
    m = xp.asarray(A) > 0.0
    for other in (copy.copy(m), copy.deepcopy(xp.asarray(A) > 0.0), pickle.loads(pickle.dumps(xp.asarray(A) > 0.0))):
        assert type(other) is xp.Array
        assert np.array_equal(np.asarray(other), A > 0.0)
    assert m.device == xp.asarray(A).device


def test_extras_arrays_compare_to_their_own_type():
    a = extras.array(A)
    assert type(a > 0.0) is extras.ndarray
    assert np.array_equal(np.asarray(a > 0.0), A > 0.0)


def test_a_value_assigned_to_a_deferred_result_replaces_it():
    m = xp.asarray(A) > 0.0
    m._assign(xp.ones(A.shape, dtype=xp.bool)._value)  # the primitive every write ends in
    assert bool(xp.all(m))
    assert np.array_equal(np.asarray(xp.where(m, 1.0, xp.asarray(B))), np.ones(A.shape))


@pytest.mark.skipif(os.environ.get("XLA_FLAGS", "").endswith("device_count=1"), reason="already on one device")
def test_this_module_on_a_single_device():
    """The unit tests run with eight simulated devices; on one device the operators take their fast paths."""
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=1", JAX_PLATFORMS="cpu")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__],
                          capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert " passed" in proc.stdout and "skipped" in proc.stdout  # this test itself is skipped there


@pytest.mark.parametrize("make, ref", [
    (lambda x, y: (x > -1.0) & (x < 1.0), lambda a, b: (a > -1.0) & (a < 1.0)),
    (lambda x, y: ~xp.isfinite(x) ^ (y >= x), lambda a, b: ~np.isfinite(a) ^ (b >= a)),
    (lambda x, y: xp.logical_or(xp.isnan(x), xp.equal(x, y)), lambda a, b: np.isnan(a) | (a == b)),
    (lambda x, y: xp.bitwise_invert(x != y), lambda a, b: ~(a != b)),
])
def test_combined_predicates_stay_deferred_and_give_numpy_values(make, ref):
    out = make(xp.asarray(A), xp.asarray(B))
    assert _is_deferred(out)
    assert np.array_equal(np.asarray(out), ref(A, B))


def test_a_long_chain_of_predicates_is_computed_in_parts():
    x = xp.asarray(A)
    chain, expected = x > -5.0, A > -5.0
    computed_steps = 0
    for t in np.linspace(-3.0, 0.5, 12).tolist():
        chain, expected = chain & (x > t), expected & (A > t)
        if _is_deferred(chain):
            assert len(chain._pending[1]) <= 8
        else:
            computed_steps += 1
    assert 1 <= computed_steps < 12
    assert np.array_equal(np.asarray(xp.where(chain, 1.0, xp.zeros(A.shape))), np.where(expected, 1.0, 0.0))


def test_combining_errors_are_raised_by_the_operator():
    m = xp.asarray(A) > 0.0
    with pytest.raises(TypeError, match="bitwise_and"):
        _ = m & xp.asarray([1.5])
    with pytest.raises(ValueError, match="logical_or"):
        xp.logical_or(m, xp.isnan(xp.asarray(B[:, :2])))
    with pytest.raises(TypeError, match="logical_not"):
        xp.logical_not(xp.asarray(A) + 1.0)
    assert np.array_equal(np.asarray(m & True), A > 0.0)  # a Python scalar operand: computed, not combined


def test_nan_and_complex_scalar_operands():
    x = xp.asarray(A)
    assert np.array_equal(np.asarray(x > math.nan), np.zeros(A.shape, bool))
    assert np.array_equal(np.asarray(math.nan != x), np.ones(A.shape, bool))
    z = xp.asarray([1j, 2.0, 0j])
    assert np.array_equal(np.asarray(xp.equal(z, 1j)), [True, False, False])
    assert np.array_equal(np.asarray(xp.where(xp.not_equal(z, 0j), z, 5j)), [1j, 2.0, 5j])


def test_a_thread_that_finds_the_result_computed_by_another():
    """Thread B finds ``_value`` unset and enters ``__getattr__``; thread A finishes computing before B reads
    ``_pending``. B must then return A's value: the state is that of a computed array seen from ``__getattr__``."""
    m = xp.asarray(A) > 0.0
    value = m._value  # thread A
    assert m._pending is None
    assert xp.Array.__getattr__(m, "_value") is value  # thread B
