"""Atomicity: a failed in-place operator or ``__setitem__`` changes nothing.

For every kind of failure (a dtype the array cannot keep, a shape that does not fit, an out-of-bounds index or
index array, a boolean mask of the wrong shape or a value that does not fit what the mask selects, a scalar of the
wrong kind or out of range, arrays on different devices, a traced value) and for every member of a family of
aliased arrays (the root, a row, a column, a strided block, a view of a view, a reversed view, a 0-D view), the
failing call must leave the values, dtype, shape and identity of every member unchanged, and the family must
still be linked afterwards (a later valid write through a view reaches the root and the other views).

tests/test_mutation_and_views.py covers the basic one-dimensional cases; this file crosses failures with views.
"""

import operator

import jax
import numpy as np
import pytest

import array_api_jax as xp


def family(dtype):
    """A root array and views of it, keyed by name."""
    root = xp.reshape(xp.arange(12, dtype=dtype), (3, 4))
    members = {"root": root}
    members["row"] = root[1, ...]
    members["col"] = root[:, 2]
    members["block"] = root[1:, ::2]
    members["view of view"] = members["block"][0, ...]
    members["reversed"] = root[::-1, ::-1]
    members["0-D"] = root[2, 3]
    return members


def snapshot(members):
    return {k: (id(v), v.dtype, v.shape, np.asarray(v).copy()) for k, v in members.items()}


def assert_unchanged(members, before):
    for k, v in members.items():
        ident, dtype, shape, values = before[k]
        assert id(v) == ident, k
        assert v.dtype == dtype, k
        assert v.shape == shape, k
        np.testing.assert_array_equal(np.asarray(v), values, err_msg=k)


def _other_kind(t):
    return xp.ones(t.shape, dtype=xp.int64 if t.dtype == xp.float64 else xp.float64)


def _oob(t):
    return (t.shape[0],) + (0,) * (t.ndim - 1) if t.ndim else (0,)


def _mask(t, extra):
    """A mask over the first axis (a 0-D mask for a 0-D array), ``extra`` elements too long."""
    if t.ndim == 0 and not extra:
        return xp.asarray(True)
    return xp.ones(tuple(n + extra for n in t.shape[:1]) or (1,), dtype=xp.bool)


def _set(t, key, value):
    t[key] = value


# name -> (mutation of a target t, exception). Each must fail on every member of both families.
FAILURES = {
    "setitem: value of another kind": (lambda t: _set(t, ..., _other_kind(t)), TypeError),
    "setitem: complex scalar": (lambda t: _set(t, ..., 1j), TypeError),
    "setitem: Python int out of range": (lambda t: _set(t, ..., 10**400), OverflowError),
    "setitem: wider dtype": (lambda t: _set(t, ..., xp.ones(t.shape, dtype=xp.complex128)), TypeError),
    "setitem: value of another shape": (lambda t: _set(t, ..., xp.zeros(t.shape + (2,), dtype=t.dtype)),
                                        ValueError),
    "setitem: value that does not broadcast": (lambda t: _set(t, ..., xp.zeros((7,), dtype=t.dtype)), ValueError),
    "setitem: out-of-bounds integer": (lambda t: _set(t, _oob(t), 0), IndexError),
    "setitem: out-of-bounds negative integer": (lambda t: _set(t, (-t.shape[0] - 1,) if t.ndim else (0,), 0),
                                                IndexError),
    "setitem: too many indices": (lambda t: _set(t, (0,) * (t.ndim + 1), 0), IndexError),
    "setitem: out-of-bounds index array": (lambda t: _set(t, xp.asarray([0, t.shape[0] if t.ndim else 1]), 0),
                                           IndexError),
    "setitem: float index array": (lambda t: _set(t, xp.asarray([0.0]), 0), IndexError),
    "setitem: mask of the wrong shape": (lambda t: _set(t, _mask(t, 1), 0), IndexError),
    "setitem: value that does not fit the mask": (lambda t: _set(t, _mask(t, 0), xp.zeros((9,), dtype=t.dtype)),
                                                  ValueError),
    "setitem: two ellipses": (lambda t: _set(t, (..., ...), 0), IndexError),
    "in-place: result of a wider dtype": (lambda t: operator.iadd(t, xp.ones(t.shape, dtype=xp.complex128)),
                                          TypeError),
    "in-place: no promotion": (lambda t: operator.imul(t, _other_kind(t)), TypeError),
    "in-place: result of a larger shape": (lambda t: operator.isub(t, xp.ones((2,) + t.shape, dtype=t.dtype)),
                                           ValueError),
    "in-place: shapes that do not broadcast": (lambda t: operator.iadd(t, xp.ones((7,), dtype=t.dtype)),
                                               ValueError),
    "in-place: scalar of the wrong kind": (lambda t: operator.ifloordiv(t, 1j), TypeError),
    "in-place: Python int out of range": (lambda t: operator.iadd(t, 10**400), OverflowError),
    "in-place: operator outside the dtype's category": (lambda t: operator.ixor(t, t) if t.dtype == xp.float64
                                                        else operator.itruediv(t, t), TypeError),
    "in-place: matmul that changes the shape": (lambda t: operator.imatmul(t, xp.ones((t.shape[-1] if t.ndim else 1,
                                                                                       5), dtype=t.dtype)),
                                                ValueError),
}


@pytest.mark.parametrize("dtype", [xp.float64, xp.int32], ids=["float64", "int32"])
@pytest.mark.parametrize("target", ["root", "row", "col", "block", "view of view", "reversed", "0-D"])
@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failed_mutation_changes_nothing_in_the_array_or_its_views(failure, target, dtype):
    mutate, exc = FAILURES[failure]
    members = family(dtype)
    before = snapshot(members)
    with pytest.raises(exc):
        mutate(members[target])
    assert_unchanged(members, before)


@pytest.mark.parametrize("target", ["root", "row", "col", "block", "view of view", "reversed"])
def test_views_are_still_linked_after_a_failed_mutation(target):
    members = family(xp.float64)
    t = members[target]
    with pytest.raises(ValueError):
        t[...] = xp.zeros(t.shape + (2,))
    with pytest.raises(TypeError):
        t += xp.ones(t.shape, dtype=xp.complex128)
    t[...] = -1.0  # a valid write after the failures reaches every alias
    expected = np.arange(12.0).reshape(3, 4)
    key = {"root": (...,), "row": (1, ...), "col": (slice(None), 2), "block": (slice(1, None), slice(None, None, 2)),
           "view of view": (1, slice(None, None, 2)), "reversed": (...,)}[target]
    expected[key] = -1.0
    np.testing.assert_array_equal(np.asarray(members["root"]), expected)
    np.testing.assert_array_equal(np.asarray(members["row"]), expected[1])
    np.testing.assert_array_equal(np.asarray(members["col"]), expected[:, 2])
    np.testing.assert_array_equal(np.asarray(members["reversed"]), expected[::-1, ::-1])
    assert float(members["0-D"]) == expected[2, 3]


def test_a_failure_in_a_sequence_of_writes_keeps_the_earlier_ones():
    x = xp.zeros((4,))
    view = x[1:]
    for i in range(4):
        x[i] = float(i + 1)
        if i == 2:
            with pytest.raises(IndexError):
                x[xp.asarray([0, 9])] = 0.0
            with pytest.raises(TypeError):
                view += 1j
    np.testing.assert_array_equal(np.asarray(x), [1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(np.asarray(view), [2.0, 3.0, 4.0])


@pytest.mark.skipif(jax.device_count() < 2, reason="needs two devices (conftest.py asks for 8 CPU devices)")
def test_a_failed_mutation_across_devices_changes_nothing():
    d0, d1 = jax.devices()[:2]
    x = xp.asarray([1.0, 2.0], device=d0)
    view = x[1:]
    y = xp.asarray([5.0, 5.0], device=d1)
    with pytest.raises(ValueError, match="different devices"):
        x += y
    np.testing.assert_array_equal(np.asarray(x), [1.0, 2.0])
    np.testing.assert_array_equal(np.asarray(view), [2.0])
    assert x.device == d0


def test_writing_a_traced_value_into_an_outside_array_changes_nothing():
    x = xp.asarray([1.0, 2.0, 3.0])
    view = x[::2]

    def leak(t):
        x[0] = t
        return t

    with pytest.raises(TypeError, match="traced"):
        jax.jit(leak)(xp.asarray(9.0))
    with pytest.raises(TypeError, match="traced"):
        jax.jit(lambda t: view.__setitem__(0, t))(xp.asarray(9.0))
    np.testing.assert_array_equal(np.asarray(x), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(np.asarray(view), [1.0, 3.0])


def test_a_failed_boolean_mask_assignment_through_a_view_changes_nothing():
    x = xp.reshape(xp.arange(6.0), (2, 3))
    row = x[0, ...]
    mask = row > 0.0  # selects two elements
    with pytest.raises(ValueError):
        row[mask] = xp.asarray([1.0, 2.0, 3.0])
    with pytest.raises(ValueError):
        row[xp.zeros((3,), dtype=xp.bool)] = xp.asarray([1.0, 2.0])  # selects nothing; the value still must fit
    np.testing.assert_array_equal(np.asarray(x), np.arange(6.0).reshape(2, 3))
    row[mask] = xp.asarray([10.0, 20.0])
    np.testing.assert_array_equal(np.asarray(x)[0], [0.0, 10.0, 20.0])
