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


# --- composed views: a view of a view is one index on the root ---------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6),
       depth=st.integers(2, 5))
def test_chains_of_views_read_and_write_like_numpy_views(data, shape, depth):
    """Random chains of basic indices (ints, slices with any step, None, ...): every view reads like NumPy's
    view after a write through any view of the chain or into the root, and writes reach the root like NumPy's."""
    a = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    x = xp.asarray(a)
    chain_a, chain_x = [a], [x]
    for _ in range(depth):
        if chain_a[-1].ndim == 0:
            break
        key = _complete(data.draw(hnp.basic_indices(chain_a[-1].shape, allow_newaxis=True,
                                                    allow_ellipsis=True)))
        chain_a.append(chain_a[-1][key])
        chain_x.append(chain_x[-1][key])
    for step in range(3):
        which = data.draw(st.integers(0, len(chain_a) - 1), label="written view")
        fill = float(-1 - step)
        chain_a[which][...] = fill
        chain_x[which][...] = fill
        for view_a, view_x in zip(chain_a, chain_x):
            np.testing.assert_array_equal(np.asarray(view_x), view_a)


def test_a_view_of_a_view_refers_to_its_root_with_one_composed_index():
    from array_api_jax._index_plan import INT, Strided

    x = xp.reshape(xp.arange(100.0), (10, 10), copy=True)  # a root (a plain reshape is a view of the arange)
    v = x[1:9, ::2][::-1, 1][None, 2:5]
    root, parent, spec, ints = v._base
    assert root is x and parent is x
    assert spec == (None, Strided(6, 3, -1), INT) and ints == (2,)  # rows 6, 5, 4 of column 2
    assert np.asarray(v).tolist() == np.asarray(x)[1:9, ::2][::-1, 1][None, 2:5].tolist()
    v[0, 0] = -1.0
    assert float(x[6, 2]) == -1.0


def test_a_view_that_does_not_compose_keeps_its_parent():
    x = xp.arange(3.0)
    empty = x[None, ...][0:0, ...]  # a slice of an added axis to length 0: no single index of x gives it
    assert empty._base[1] is not x and empty.shape == (0, 3)
    x[0] = 5.0
    assert empty.shape == (0, 3)


def test_index_plans_are_typed_and_basic_and_advanced_plans_are_hashable_kernel_keys():
    from array_api_jax._index_plan import INT, Advanced, Basic, Mask, PyBool, Strided, Window
    from array_api_jax._indexing import parse_index

    shape = (4, 5)
    plans = {
        Basic: parse_index((1, slice(0, 3)), shape),
        Advanced: parse_index((xp.asarray([0, 1]), slice(None, None, 2)), shape),
        Mask: parse_index(xp.ones(shape, dtype=xp.bool), shape),
        PyBool: parse_index(True, shape),
    }
    assert all(type(plan) is kind for kind, plan in plans.items())
    assert plans[Basic] == Basic((INT, Window(3)), (1, 0))
    assert parse_index((slice(None), slice(None, None, -2)), shape).spec == (Strided(0, 4, 1), Strided(4, None, -2))
    assert len({plans[Basic].spec, plans[Advanced].spec}) == 2  # both hash
