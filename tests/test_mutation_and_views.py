"""Mutation, aliasing, views and failed-mutation atomicity (semantics the upstream suite does not cover)."""

import numpy as np
import pytest

import array_api_jax as xp


def values(x):
    return np.asarray(x).tolist()


def test_setitem_mutates_in_place_and_keeps_identity_dtype_shape():
    x = xp.zeros((2, 3), dtype=xp.float32)
    before = id(x)
    x[0, 1] = 5.0
    x[1, :] = xp.asarray([1.0, 2.0, 3.0], dtype=xp.float32)
    assert id(x) == before and x.dtype == xp.float32 and x.shape == (2, 3)
    assert values(x) == [[0, 5, 0], [1, 2, 3]]


def test_inplace_operator_keeps_identity():
    x = xp.asarray([1, 2, 3])
    alias = x
    x += 10
    x *= xp.asarray([1, 2, 3])
    assert alias is x and values(x) == [11, 24, 39] and x.dtype == xp.int64


def test_inplace_operator_that_would_change_dtype_raises_and_changes_nothing():
    x = xp.asarray([1, 2, 3], dtype=xp.int32)
    with pytest.raises(TypeError, match="dtype"):
        x += xp.asarray([1, 1, 1], dtype=xp.int64)
    assert x.dtype == xp.int32 and values(x) == [1, 2, 3]


def test_inplace_operator_that_would_change_shape_raises():
    x = xp.asarray([1.0, 2.0])
    with pytest.raises(ValueError, match="shape"):
        x += xp.ones((3, 2))
    assert x.shape == (2,)


def test_asarray_aliases_and_copy_true_does_not():
    x = xp.asarray([1.0, 2.0])
    assert xp.asarray(x) is x
    assert xp.asarray(x, copy=False) is x
    y = xp.asarray(x, copy=True)
    y[0] = 100.0
    assert values(x) == [1.0, 2.0] and values(y) == [100.0, 2.0]


def test_write_through_view_reaches_parent():
    x = xp.zeros((3, 4))
    row = x[1, :]
    row[2] = 7.0
    assert values(x)[1][2] == 7.0


def test_parent_write_is_seen_by_view():
    x = xp.arange(6)
    tail = x[3:]
    x[4] = -1
    assert values(tail) == [3, -1, 5]


def test_views_of_views_write_to_root():
    x = xp.zeros((2, 3, 4))
    block = x[1, ...]
    col = block[:, 2]
    col[...] = 9.0
    assert np.all(np.asarray(x)[1, :, 2] == 9.0)
    assert np.count_nonzero(np.asarray(x)) == 3


def test_strided_and_negative_step_views():
    x = xp.arange(10)
    v = x[8:1:-3]
    assert values(v) == [8, 5, 2]
    v[1] = 50
    assert values(x)[5] == 50


def test_gaussian_mixture_pattern_block_assignment_through_index():
    cov = xp.zeros((2, 3, 3))
    for k in range(2):
        cov[k, :, :] = xp.eye(3) * (k + 1.0)
    np.testing.assert_array_equal(np.asarray(cov), np.stack([np.eye(3), 2 * np.eye(3)]))


def test_advanced_indexing_returns_copy():
    x = xp.arange(5)
    picked = x[xp.asarray([0, 2])]
    picked[0] = 100
    assert values(x) == [0, 1, 2, 3, 4]


def test_out_of_bounds_integer_index_raises():
    x = xp.arange(5)
    with pytest.raises(IndexError, match="out of bounds"):
        x[5]
    with pytest.raises(IndexError, match="out of bounds"):
        x[-6]
    with pytest.raises(IndexError, match="out of bounds"):
        x[xp.asarray([0, 7])]


@pytest.mark.parametrize("key, value, error", [
    (1, "a", TypeError),                                   # not a scalar
    (1, 1.5, TypeError),                                   # float into int
    (slice(0, 2), xp.asarray([1, 2, 3]), ValueError),      # shape mismatch
    (9, 1, IndexError),                                    # out of bounds
    ((xp.asarray([0, 9]),), 1, IndexError),                # out-of-bounds index array
    (0, xp.asarray(1.0), TypeError),                       # float array into int array
])
def test_failed_setitem_changes_nothing_in_array_or_views(key, value, error):
    x = xp.arange(4)
    view = x[1:]
    with pytest.raises(error):
        x[key] = value
    assert values(x) == [0, 1, 2, 3] and x.dtype == xp.int64 and x.shape == (4,)
    assert values(view) == [1, 2, 3]


def test_failed_write_through_view_changes_nothing():
    x = xp.arange(4)
    view = x[1:]
    with pytest.raises(ValueError):
        view[:] = xp.asarray([1, 2])
    assert values(x) == [0, 1, 2, 3]


def test_boolean_mask_get_and_set():
    x = xp.asarray([1.0, -2.0, 3.0, -4.0])
    assert values(x[x < 0]) == [-2.0, -4.0]
    x[x < 0] = 0.0
    assert values(x) == [1.0, 0.0, 3.0, 0.0]


# --- deep chains and views that select everything ---------------------------------------------------------------

def test_a_100000_deep_view_chain_reads_and_writes():
    root = xp.zeros(5)
    v = root
    for _ in range(100_000):
        v = v[...]
    assert v._base[1] is root  # one composed index on the root, not a chain
    v[1] = 3.0
    assert values(root) == [0, 3, 0, 0, 0]
    root[2] = 4.0
    assert values(v) == [0, 3, 4, 0, 0]
    v += 1.0
    assert values(root) == [1, 4, 5, 1, 1]


def test_a_deep_chain_of_slicing_views_reads_and_writes():
    root = xp.zeros((3, 3))
    v = root
    for _ in range(5000):
        v = v[0:3, 0:3]
    assert v._base[1] is root
    v[0, 0] = 1.0
    assert values(root)[0][0] == 1.0
    root[2, 2] = 2.0
    assert values(v)[2][2] == 2.0


def test_views_selecting_everything_share_the_parents_buffer():
    x = xp.zeros(1000)
    full = [x[...], x[:], x[::1]]
    assert all(v._value is x._value for v in full)  # the same jax array: no copy
    new_axis = x[None, ...]
    assert new_axis._value is None  # keeps no value: reshaped from x on each read
    assert new_axis.shape == (1, 1000)
    x[3] = 1.0
    assert all(float(v[3]) == 1.0 for v in full) and float(new_axis[0, 3]) == 1.0
    new_axis[0, 4] = 2.0
    full[1][5] = 3.0
    assert values(x)[3:6] == [1.0, 2.0, 3.0]
    assert all(v._data() is x._data() for v in full)


def _per_call(f, n=200):
    import timeit

    f()
    return min(timeit.repeat(f, number=n, repeat=5)) / n


def test_reading_and_writing_a_view_costs_the_same_at_any_depth():
    """Views compose their index with their parent's, so a view 10,000 levels deep is one index on the root."""
    timings = {}
    for depth in (1, 10_000):
        root = xp.zeros((4, 50))
        v = root[1:, 2:]
        for i in range(depth - 1):
            v = v[...] if i % 2 else v[::-1, ...]
        assert v._base[1] is root and len(v._base[2]) == 2
        read = _per_call(lambda root=root, v=v: (root.__setitem__((1, 2), 1.0), v._data()))
        write = _per_call(lambda v=v: v.__setitem__((0, 0), 2.0))
        timings[depth] = (read, write)
    (r1, w1), (r2, w2) = timings[1], timings[10_000]
    assert r2 < 5 * r1 and w2 < 5 * w1, timings  # loose: equal in principle, noisy on a busy machine
