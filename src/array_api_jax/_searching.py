"""Searching functions: argmax, argmin, count_nonzero, nonzero, searchsorted, where."""


import numpy as np

from . import _dispatch, _dtypes, _sharding, _validate
from ._array import Array
from ._dispatch import call, is_bool, kernel, kernel_cache
from ._special_cases import JAX
from ._statistical import _reducer

__all__ = ["argmax", "argmin", "count_nonzero", "nonzero", "searchsorted", "where"]


def _arg_reduction(name, impl):
    @kernel_cache  # (a) of kernel_cache: argmax/argmin, reductions
    def kernels(m, axis, keepdims, dtype):
        def checked(x):
            _validate.category(x.dtype, "real-valued", name)
            ax = None if axis is None else _validate.axis(axis, x.ndim, name)
            if x.size == 0 and (ax is None or x.shape[ax] == 0):
                raise ValueError(f"{name}: x is empty (shape {x.shape}); {name} of an empty array is undefined")
            return getattr(m, impl)(x, axis=ax, keepdims=keepdims).astype(dtype)
        return checked

    def func(x, /, *, axis=None, keepdims=False):
        v = _validate.array(x, name)
        if not ((axis is None or type(axis) is int) and is_bool(keepdims)):  # checked here: they key the cache
            axis = None if axis is None else _validate.integer(axis, name)
            keepdims = _validate.boolean(keepdims, name, "keepdims")
        k = kernels(axis, keepdims, _dtypes.DEFAULTS["indexing"])
        return Array._new(call(k, v._value if v._base is None else v._data()))

    func.__name__ = func.__qualname__ = name
    func.__doc__ = (f"Indices of the first {name[3:]}imum values of x along ``axis`` (of the flattened array by "
                    "default), as the default index dtype.")
    return func


argmax = _arg_reduction("argmax", "argmax")
argmin = _arg_reduction("argmin", "argmin")


_count_nonzero = _reducer("count_nonzero", "all", lambda m, x, axes, keepdims, dt, index_dtype: m.sum(
    x != 0, axis=axes, keepdims=keepdims, dtype=index_dtype))


def count_nonzero(x, /, *, axis=None, keepdims=False):
    """Number of non-zero (for bool: True) elements of x along ``axis`` (all axes by default)."""
    return _count_nonzero(x, axis, keepdims, extra=(_dtypes.DEFAULTS["indexing"],))


def nonzero(x, /):
    """Indices of the non-zero elements of x, one index array per axis, in row-major order (eager only)."""
    v = _validate.array(x, "nonzero")._data()
    if v.ndim == 0:
        raise ValueError("nonzero: x must have at least one dimension (the standard forbids 0-D input)")
    _validate.data_dependent(v, "nonzero", "the result (the indices of the non-zero elements)")
    dt = _dtypes.DEFAULTS["indexing"]
    found = np.nonzero(_dispatch.to_host(v))
    return tuple(Array._new(o) for o in _dispatch.from_host_like(tuple(i.astype(dt, copy=False) for i in found), v))


@kernel(static=("side", "dtype", "index_dtype"), sharding=_sharding.operand(1))
def _searchsorted(m, sorted_values, values, sorter, *, side, dtype, index_dtype):
    a = m.convert(sorted_values, dtype)
    if sorter is not None:
        a = m.take(a, sorter, mode="clip")
    return m.searchsorted(a, m.convert(values, dtype), side=side).astype(index_dtype)


def searchsorted(x1, x2, /, *, side="left", sorter=None):
    """Insertion indices of x2's values into the ascending 1-D x1 (or x1 sorted by ``sorter``)."""
    v1 = _validate.array_in(x1, "real-valued", "searchsorted", "x1")
    if v1.ndim != 1:
        raise ValueError(f"searchsorted: x1 must be one-dimensional, got shape {v1.shape}")
    if isinstance(x2, Array):
        v2 = _validate.array_in(x2, "real-valued", "searchsorted", "x2")
        dt = v1.dtype if v2.dtype == v1.dtype else _dtypes.promote(v1.dtype, v2.dtype, "searchsorted")
    else:
        x2 = _validate.plain_scalar(x2)
        if type(x2) not in (int, float):
            raise TypeError(f"searchsorted: x2 must be an array or a Python int or float, got {type(x2).__name__}")
        d2 = _validate.scalar_dtype(x2, v1.dtype, "searchsorted", "x2")
        dt = _dtypes.promote(v1.dtype, d2, "searchsorted")
        v2 = np.asarray(x2, d2)
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}")
    s = None
    if sorter is not None:
        s = _validate.array_in(sorter, "integer", "searchsorted", "sorter")
        if s.shape != v1.shape:
            raise ValueError(f"searchsorted: sorter must have x1's shape {v1.shape}, got {s.shape}")
    _validate.devices_of([v for v in (v1, v2, s) if isinstance(v, _dispatch.JaxArray)], "searchsorted")
    return Array._new(_searchsorted(v1, v2, s, side=side, dtype=dt, index_dtype=_dtypes.DEFAULTS["indexing"]))


def _where_checked(m, condition, a, b):
    if condition.dtype != np.bool_:
        raise TypeError(f"where: condition has dtype {condition.dtype}, but where accepts only bool dtypes")
    d1, d2 = a.dtype, b.dtype
    dt = d1 if d1 == d2 else _dtypes.promote(d1, d2, "where")
    if not condition.shape == a.shape == b.shape:
        _validate.broadcast_shapes(condition.shape, a.shape, b.shape, func="where")
    return m.where(condition, m.convert(a, dt), m.convert(b, dt))


_where = kernel(_where_checked)


@kernel_cache  # (b) of kernel_cache: keyed by the deferred predicate
def _where_fused(predicate):
    """where with a deferred predicate (``Array._pending``) computed inside the same kernel."""
    return lambda *values: _where_checked(JAX, predicate._checked(*values[:-2]), values[-2], values[-1])


def where(condition, x1, x2, /):
    """Elements of x1 where ``condition`` is True and of x2 elsewhere (broadcast; x1/x2 may be Python scalars)."""
    if not isinstance(condition, Array):
        raise TypeError(f"where: condition must be an array, got {type(condition).__name__}")
    if condition._pending is not None:
        predicate, values = condition._pending
        v1, v2 = _validate.operand_values(x1, x2, "where")
        if _validate._MULTI_DEVICE[0]:
            _validate.devices_of((*values, v1, v2), "where")
        return Array._new(call(_where_fused(predicate), *values, v1, v2))
    c = condition._value if condition._base is None else condition._data()
    v1, v2 = _validate.operand_values(x1, x2, "where")
    if _validate._MULTI_DEVICE[0]:
        _validate.devices_of((c, v1, v2), "where")
    return Array._new(call(_where, c, v1, v2))
