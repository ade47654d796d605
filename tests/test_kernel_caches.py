"""Eager dispatch caches: what selects a compiled kernel must never let an invalid call through.

Kernels are chosen by hashable arguments (axis, keepdims, dtype, Python scalar operands) and check dtypes and
shapes when JAX traces them. Values that compare equal but follow different rules (True / 1 / 1.0, 0.0 / -0.0,
axis=True / axis=1) must not share a cache entry, and a failed check must keep failing on later calls.
"""

import math

import numpy as np
import pytest

import array_api_jax as xp


def _note_free(info):
    return not any("JAX_TRACEBACK_FILTERING" in n for n in getattr(info.value, "__notes__", []))


def test_signed_zero_scalars_are_distinct_constants():
    ones = xp.ones(3)
    assert np.all(np.asarray(xp.copysign(ones, 0.0)) == 1.0)
    assert np.all(np.asarray(xp.copysign(ones, -0.0)) == -1.0)
    assert np.all(np.asarray(xp.copysign(ones, 0.0)) == 1.0)


def test_nan_and_complex_scalars_are_used_as_given():
    x = xp.asarray([1.0, 2.0])
    assert np.all(np.isnan(np.asarray(x * math.nan)))
    z = xp.asarray([complex(-0.0, -0.0)])
    plus = np.asarray(xp.add(z, 0j))[0]  # -0 + 0 is +0
    minus = np.asarray(xp.add(z, complex(-0.0, -0.0)))[0]  # -0 + -0 is -0
    assert math.copysign(1, plus.real) == 1 and math.copysign(1, plus.imag) == 1
    assert math.copysign(1, minus.real) == -1 and math.copysign(1, minus.imag) == -1


def test_bool_scalar_is_not_served_from_the_int_entry():
    ints = xp.asarray([1, 2, 3])
    assert np.array_equal(np.asarray(xp.add(ints, 1)), [2, 3, 4])
    with pytest.raises(TypeError, match="add"):
        xp.add(ints, True)
    floats = xp.asarray([1.0])
    assert np.asarray(floats + 1)[0] == 2.0
    with pytest.raises(TypeError, match="bool"):
        floats + True


def test_scalar_bounds_are_checked_for_every_dtype():
    small = xp.asarray([1], dtype=xp.int8)
    big = xp.asarray([1], dtype=xp.int64)
    assert np.asarray(big + 300)[0] == 301
    with pytest.raises(OverflowError, match="300"):
        small + 300


def test_a_failed_dtype_check_keeps_failing_and_carries_no_jax_note():
    x = xp.asarray([1, 2])
    for _ in range(2):
        with pytest.raises(TypeError, match="sin: x has dtype int64") as info:
            xp.sin(x)
        assert _note_free(info)
    with pytest.raises(ValueError, match=r"add: shapes \(2,\), \(3,\)") as info:
        xp.add(xp.ones(2), xp.ones(3))
    assert _note_free(info)


@pytest.mark.parametrize("call, exc", [
    (lambda x: xp.sum(x, keepdims=1), TypeError),
    (lambda x: xp.sum(x, axis=True), TypeError),
    (lambda x: xp.sum(x, axis=(True,)), TypeError),
    (lambda x: xp.max(x, axis=(0, 0)), ValueError),
    (lambda x: xp.mean(x, axis=2), IndexError),
    (lambda x: xp.sum(x, dtype="float64"), TypeError),
    (lambda x: xp.sort(x, descending=1), TypeError),
    (lambda x: xp.sort(x, axis=True), TypeError),
    (lambda x: xp.cumulative_sum(x, include_initial=0), TypeError),
    (lambda x: xp.permute_dims(x, (True, 0)), TypeError),
    (lambda x: xp.take(x, xp.asarray([0]), axis=False), TypeError),
    (lambda x: xp.var(x, correction=True), TypeError),
    (lambda x: xp.argmax(x, axis=True), TypeError),
    (lambda x: xp.argmin(x, keepdims=0), TypeError),
])
def test_arguments_equal_to_valid_ones_are_still_refused(call, exc):
    x = xp.reshape(xp.arange(6.0), (2, 3))
    # the valid look-alikes first, so that their kernels are cached
    xp.sum(x, keepdims=True), xp.sum(x, axis=1), xp.sum(x, axis=(1,)), xp.max(x, axis=(0, 1)), xp.mean(x, axis=1)
    xp.sum(x, dtype=xp.float64), xp.sort(x, descending=True), xp.sort(x, axis=1)
    xp.cumulative_sum(x, axis=1, include_initial=False), xp.permute_dims(x, (1, 0)), xp.take(x, xp.asarray([0]), axis=0)
    xp.var(x, correction=1), xp.argmax(x, axis=1), xp.argmin(x, keepdims=False)
    with pytest.raises(exc):
        call(x)


def test_accumulation_follows_the_current_default_integer():
    x = xp.asarray([1, 2], dtype=xp.int8)
    assert xp.sum(x).dtype == xp.int64
    try:
        xp.set_default_dtypes(integral=xp.int32)
        assert xp.sum(x).dtype == xp.int32
        assert xp.cumulative_sum(x).dtype == xp.int32
    finally:
        xp.set_default_dtypes()
    assert xp.sum(x).dtype == xp.int64


@pytest.mark.parametrize("shape, axis", [((7,), 0), ((0,), 0), ((1,), 0), ((3, 5), 0), ((3, 5), 1), ((2, 3, 4), -1),
                                         ((4, 0), 1), ((130,), None)])
@pytest.mark.parametrize("dtype", ["int16", "uint8", "float32", "float64", "complex64"])
@pytest.mark.parametrize("include_initial", [False, True])
def test_cumulative_sum_and_prod_match_numpy(shape, axis, dtype, include_initial):
    rng = np.random.default_rng(sum(shape) + len(dtype))
    a = (rng.integers(0, 4, shape) + (1j * rng.integers(0, 3, shape) if dtype.startswith("complex") else 0))
    a = a.astype(dtype)
    x = xp.asarray(a)
    ax = 0 if axis is None else axis
    for func, np_func, initial in ((xp.cumulative_sum, np.cumsum, 0), (xp.cumulative_prod, np.cumprod, 1)):
        out = func(x, axis=axis, include_initial=include_initial)
        wide = np.dtype(out.dtype.name)
        expected = np_func(a.astype(wide), axis=ax, dtype=wide)
        if include_initial:
            pad_shape = list(a.shape)
            pad_shape[ax] = 1
            expected = np.concatenate([np.full(pad_shape, initial, wide), expected], axis=ax)
        if wide.kind in "iu":
            np.testing.assert_array_equal(np.asarray(out), expected)
        else:
            np.testing.assert_allclose(np.asarray(out), expected, rtol=1e-5)


def test_count_nonzero_follows_the_default_index_dtype():
    x = xp.asarray([0.0, 1.0, 2.0])
    assert xp.count_nonzero(x).dtype == xp.int64
    xp.set_default_dtypes(indexing=xp.int32)
    out = xp.count_nonzero(x)
    assert out.dtype == xp.int32 and int(out) == 2
    assert xp.count_nonzero(x > 0.5).dtype == xp.int32
    xp.set_default_dtypes()
    assert xp.count_nonzero(x).dtype == xp.int64


@pytest.mark.parametrize("host_path", [True, False])
def test_a_reductions_kept_checks_never_let_a_later_call_through(host_path):
    """A reduction's (and a cumulative sum's) host twin keeps its checks' outcome per input dtype and rank: the size
    check still runs on every call (an empty max after a non-empty one of the same rank), and a new dtype or rank is
    checked anew."""
    saved = xp.get_host_path()
    xp.set_host_path(host_path)
    try:
        assert float(xp.max(xp.asarray([1.0, 3.0]))) == 3.0
        for _ in range(2):
            with pytest.raises(ValueError, match="max: cannot reduce over zero elements") as info:
                xp.max(xp.asarray([], dtype=xp.float64))
            assert _note_free(info)
        assert float(xp.sum(xp.ones((2, 3)), axis=1)[0]) == 3.0
        for _ in range(2):
            with pytest.raises(IndexError, match="sum: axis=1 is out of range"):
                xp.sum(xp.ones(3), axis=1)
            with pytest.raises(TypeError, match="mean: x has dtype int64"):
                xp.mean(xp.asarray([1, 2]))
        assert float(xp.mean(xp.asarray([1.0, 2.0]))) == 1.5
        assert float(xp.cumulative_sum(xp.asarray([1.0, 2.0]))[1]) == 3.0
        for _ in range(2):
            with pytest.raises(ValueError, match="cumulative_sum: x must have at least one dimension"):
                xp.cumulative_sum(xp.asarray(1.0))
            with pytest.raises(ValueError, match="cumulative_sum: axis must be given"):
                xp.cumulative_sum(xp.ones((2, 2)))
            with pytest.raises(TypeError, match="cumulative_sum: x has dtype bool"):
                xp.cumulative_sum(xp.asarray([True]))
    finally:
        xp.set_host_path(saved)
