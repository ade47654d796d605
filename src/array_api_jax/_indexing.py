"""Indexing functions: take and take_along_axis (negative indices wrap; out-of-bounds raise eagerly)."""

import jax.numpy as jnp

from . import _validate
from ._array import Array
from ._dispatch import kernel

__all__ = ["take", "take_along_axis"]


def _indices(indices, x_value, func):
    idx = _validate.array_in(indices, "integer", func, "indices")
    _validate.devices_of([x_value, idx], func)
    return idx


@kernel(static=("axis",))
def _take(value, index, *, axis):
    # bounds are checked eagerly before the call; jax.numpy's default mode wraps negative indices
    if axis is None:
        return jnp.take(value.reshape(-1), index, axis=0)
    return jnp.take(value, index, axis=axis)


def take(x, indices, /, *, axis=None):
    """Elements of x at the 1-D integer ``indices`` along ``axis`` (optional only when x is 1-D)."""
    v = _validate.array(x, "take")._data()
    idx = _indices(indices, v, "take")
    if idx.ndim != 1:
        raise ValueError(f"take: indices must be one-dimensional, got shape {idx.shape}")
    if v.ndim == 0:
        raise ValueError("take: x must have at least one dimension")
    if axis is None:
        if v.ndim != 1:
            raise ValueError(f"take: axis is required when x has more than one dimension (x has {v.ndim})")
        n = v.shape[0]
    else:
        axis = _validate.axis(axis, v.ndim, "take")
        n = v.shape[axis]
    _validate.index_in_bounds(idx, n, 0 if axis is None else axis, "take")
    return Array._new(_take(v, idx, axis=axis))


@kernel(static=("axis",))
def _take_along_axis(value, index, *, axis):
    return jnp.take_along_axis(value, index, axis=axis, mode="clip")


def take_along_axis(x, indices, /, *, axis=-1):
    """Elements of x at ``indices`` along ``axis``; the other axes of x and indices broadcast."""
    v = _validate.array(x, "take_along_axis")._data()
    idx = _indices(indices, v, "take_along_axis")
    if idx.ndim != v.ndim:
        raise ValueError(f"take_along_axis: indices must have as many dimensions as x ({v.ndim}), got shape "
                         f"{idx.shape}")
    axis = _validate.axis(axis, v.ndim, "take_along_axis")
    drop = slice(None, axis), slice(axis + 1, None)
    _validate.broadcast_shapes(v.shape[drop[0]] + v.shape[drop[1]], idx.shape[drop[0]] + idx.shape[drop[1]],
                               func="take_along_axis")
    _validate.index_in_bounds(idx, v.shape[axis], axis, "take_along_axis")
    return Array._new(_take_along_axis(v, idx, axis=axis))
