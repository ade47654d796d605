"""Sorting functions: sort and argsort (stable by default; NaNs sort last in ascending order)."""

import jax.numpy as jnp

from . import _dtypes, _validate
from ._array import Array
from ._dispatch import kernel

__all__ = ["argsort", "sort"]


def _sort_args(x, axis, descending, stable, func):
    v = _validate.array_in(x, "real-valued", func)
    axis = _validate.axis(axis, v.ndim, func)
    return v, axis, _validate.boolean(descending, func, "descending"), _validate.boolean(stable, func, "stable")


@kernel(static=("axis", "descending", "stable"))
def _sort(x, *, axis, descending, stable):
    return jnp.sort(x, axis=axis, descending=descending, stable=stable)


@kernel(static=("axis", "descending", "stable", "dtype"))
def _argsort(x, *, axis, descending, stable, dtype):
    return jnp.argsort(x, axis=axis, descending=descending, stable=stable).astype(dtype)


def sort(x, /, *, axis=-1, descending=False, stable=True):
    """A sorted copy of x along ``axis`` (ascending unless ``descending``)."""
    v, axis, descending, stable = _sort_args(x, axis, descending, stable, "sort")
    return Array._new(_sort(v, axis=axis, descending=descending, stable=stable))


def argsort(x, /, *, axis=-1, descending=False, stable=True):
    """Indices that sort x along ``axis``; a stable descending sort keeps equal elements in their order."""
    v, axis, descending, stable = _sort_args(x, axis, descending, stable, "argsort")
    dt = _dtypes.DEFAULTS["indexing"]
    return Array._new(_argsort(v, axis=axis, descending=descending, stable=stable, dtype=dt))
