"""Sorting functions: sort and argsort (stable by default; NaNs sort last in ascending order)."""

from . import _dtypes, _validate
from ._array import Array
from ._dispatch import call, is_bool, kernel_cache

__all__ = ["argsort", "sort"]


@kernel_cache  # (a) of kernel_cache: sort/argsort, five static arguments
def _sorter(m, func, axis, descending, stable, index_dtype):
    def checked(x):
        _validate.category(x.dtype, "real-valued", func)
        ax = _validate.axis(axis, x.ndim, func)
        if index_dtype is None:
            return m.sort_along(x, ax, descending, stable)
        return m.convert(m.sort_along(x, ax, descending, stable, indices=True), index_dtype)
    return checked


def _sorted(func, x, axis, descending, stable, index_dtype=None):
    if not isinstance(x, Array):
        _validate.array(x, func)
    if not (type(axis) is int and is_bool(descending) and is_bool(stable)):  # checked here: they key the cache
        axis = _validate.integer(axis, func)
        descending = _validate.boolean(descending, func, "descending")
        stable = _validate.boolean(stable, func, "stable")
    k = _sorter(func, axis, descending, stable, index_dtype)
    return Array._new(call(k, x._value if x._base is None else x._data()))


def sort(x, /, *, axis=-1, descending=False, stable=True):
    """A sorted copy of x along ``axis`` (ascending unless ``descending``)."""
    return _sorted("sort", x, axis, descending, stable)


def argsort(x, /, *, axis=-1, descending=False, stable=True):
    """Indices that sort x along ``axis``; a stable descending sort keeps equal elements in their order."""
    return _sorted("argsort", x, axis, descending, stable, _dtypes.DEFAULTS["indexing"])
