"""Sorting functions: sort and argsort (stable by default; NaNs sort last in ascending order)."""

import jax.numpy as jnp

from . import _dtypes, _validate
from ._array import Array
from ._dispatch import is_bool, kernel_cache, without_jax_note

__all__ = ["argsort", "sort"]


@kernel_cache
def _sorter(func, axis, descending, stable, index_dtype):
    def checked(x):
        _validate.category(x.dtype, "real-valued", func)
        ax = _validate.axis(axis, x.ndim, func)
        if index_dtype is None:
            return jnp.sort(x, axis=ax, descending=descending, stable=stable)
        return jnp.argsort(x, axis=ax, descending=descending, stable=stable).astype(index_dtype)
    return checked


def _sorted(func, x, axis, descending, stable, index_dtype=None):
    if not isinstance(x, Array):
        _validate.array(x, func)
    if not (type(axis) is int and is_bool(descending) and is_bool(stable)):  # checked here: they key the cache
        axis = _validate.integer(axis, func)
        descending = _validate.boolean(descending, func, "descending")
        stable = _validate.boolean(stable, func, "stable")
    k = _sorter(func, axis, descending, stable, index_dtype)
    try:
        return Array._new(k(x._value if x._base is None else x._data()))
    except Exception as e:
        without_jax_note(e)
        raise


def sort(x, /, *, axis=-1, descending=False, stable=True):
    """A sorted copy of x along ``axis`` (ascending unless ``descending``)."""
    return _sorted("sort", x, axis, descending, stable)


def argsort(x, /, *, axis=-1, descending=False, stable=True):
    """Indices that sort x along ``axis``; a stable descending sort keeps equal elements in their order."""
    return _sorted("argsort", x, axis, descending, stable, _dtypes.DEFAULTS["indexing"])
