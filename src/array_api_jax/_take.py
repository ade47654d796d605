"""The standard's indexing functions: take and take_along_axis (negative indices wrap; out-of-bounds raise eagerly)."""

from . import _sharding, _validate
from ._array import Array
from ._dispatch import call, kernel, kernel_cache

__all__ = ["take", "take_along_axis"]


def _indices(indices, x_value, func):
    idx = _validate.array_in(indices, "integer", func, "indices")
    if _validate._MULTI_DEVICE[0]:
        _validate.devices_of([x_value, idx], func)
    return idx


@kernel_cache(sharding=_sharding.take)  # (a) of kernel_cache: take in loops
def _take(m, axis):
    def checked(value, index):
        _validate.category(index.dtype, "integer", "take", "indices")
        if index.ndim != 1:
            raise ValueError(f"take: indices must be one-dimensional, got shape {index.shape}")
        if value.ndim == 0:
            raise ValueError("take: x must have at least one dimension")
        if axis is None:
            if value.ndim != 1:
                raise ValueError(f"take: axis is required when x has more than one dimension (x has {value.ndim})")
            return m.take(value, index, axis=0)
        # bounds are checked eagerly before the call; jax.numpy's default mode wraps negative indices
        return m.take(value, index, axis=_validate.axis(axis, value.ndim, "take"))
    return checked


def take(x, indices, /, *, axis=None):
    """Elements of x at the 1-D integer ``indices`` along ``axis`` (optional only when x is 1-D)."""
    if not isinstance(x, Array):
        _validate.array(x, "take")
    if not isinstance(indices, Array):
        _validate.array(indices, "take", "indices")
    v = x._value if x._base is None else x._data()
    idx = indices._value if indices._base is None else indices._data()
    if _validate._MULTI_DEVICE[0]:
        _validate.devices_of([v, idx], "take")
    if axis is not None and type(axis) is not int:  # checked here: it keys the cache
        axis = _validate.integer(axis, "take")
    k = _take(axis)
    shape = v.shape
    if axis is None:
        if len(shape) == 1:
            _validate.index_in_bounds(idx, shape[0], 0, "take")
    elif -len(shape) <= axis < len(shape):
        _validate.index_in_bounds(idx, shape[axis], axis % len(shape), "take")
    return Array._new(call(k, v, idx))


@kernel(static=("axis",))
def _take_along_axis(m, value, index, *, axis):
    return m.take_along(value, index, axis)


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
