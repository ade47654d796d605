"""Indexing and index assignment against NumPy (hypothesis), including views of views."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import array_api_jax as xp
from array_api_jax import extras as bm

shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5)


def _complete(key):
    """NumPy's key with its implicit trailing ellipsis made explicit (the standard wants one index per axis)."""
    key = key if isinstance(key, tuple) else (key,)
    return key if any(k is Ellipsis for k in key) else (*key, Ellipsis)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes)
def test_basic_indexing_reads_and_writes_like_numpy(data, shape):
    a = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)
    key = _complete(data.draw(hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True)))
    x = xp.asarray(a)
    np.testing.assert_array_equal(np.asarray(x[key]), a[key])
    expected = a.copy()
    expected[key] = -7
    x[key] = -7
    np.testing.assert_array_equal(np.asarray(x), expected)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
def test_view_of_view_writes_reach_the_root_like_numpy(data, shape):
    a = np.zeros(shape, dtype=np.float64)
    x = xp.asarray(a)
    k1 = _complete(data.draw(hnp.basic_indices(shape, allow_ellipsis=True)))
    view_a = a[k1]
    view_x = x[k1]
    if view_a.ndim == 0:
        return
    k2 = _complete(data.draw(hnp.basic_indices(view_a.shape, allow_ellipsis=True)))
    view_a[k2] = 3.0
    view_x[k2] = 3.0
    np.testing.assert_array_equal(np.asarray(x), a)
    np.testing.assert_array_equal(np.asarray(view_x), view_a)


# --- one index per dimension (the standard: "should raise IndexError" for fewer; array_api_strict raises) -----

def test_fewer_indices_than_dimensions_raise_index_error():
    m = xp.reshape(xp.arange(6), (2, 3))
    for key in (0, (0,), (), slice(None), (None, 0), xp.asarray([0, 1])):
        with pytest.raises(IndexError, match="indices for an array of 2 dimensions.*ellipsis"):
            m[key]
        with pytest.raises(IndexError, match="ellipsis"):
            m[key] = 1
    assert xp.all(m == xp.reshape(xp.arange(6), (2, 3)))  # the failed writes changed nothing


def test_keys_with_an_ellipsis_or_one_index_per_dimension_are_fine():
    m = xp.reshape(xp.arange(6), (2, 3))
    assert m[0, ...].shape == (3,)
    assert m[..., 0].shape == (2,)
    assert m[...].shape == (2, 3)
    assert m[0, :].shape == (3,)
    assert m[None, 0, 1].shape == (1,)
    assert m[xp.asarray([[True, False, True], [False, False, True]])].shape == (3,)
    assert m[xp.asarray([True, False])].shape == (1, 3)  # a boolean mask may cover leading axes only
    assert xp.asarray(2.0)[()].shape == ()
    m[1, ...] = 7
    assert xp.all(m[1, ...] == 7)


def test_extras_keeps_numpy_partial_indexing():
    a = bm.reshape(bm.arange(24), (2, 3, 4))
    assert a[0].shape == (3, 4)
    assert a[0, 1].shape == (4,)
    assert a[[0, 1]].shape == (2, 3, 4)
    assert a[bm.asarray([True, False]), 1].shape == (1, 4)
    a[1] = 0
    assert int(a.sum()) == sum(range(12))
