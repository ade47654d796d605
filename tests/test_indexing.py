"""Indexing and index assignment against NumPy (hypothesis), including views of views."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import array_api_jax as xp

shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes)
def test_basic_indexing_reads_and_writes_like_numpy(data, shape):
    a = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)
    key = data.draw(hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True))
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
    k1 = data.draw(hnp.basic_indices(shape, allow_ellipsis=True))
    view_a = a[k1]
    view_x = x[k1]
    if view_a.ndim == 0:
        return
    k2 = data.draw(hnp.basic_indices(view_a.shape, allow_ellipsis=True))
    view_a[k2] = 3.0
    view_x[k2] = 3.0
    np.testing.assert_array_equal(np.asarray(x), a)
    np.testing.assert_array_equal(np.asarray(view_x), view_a)
