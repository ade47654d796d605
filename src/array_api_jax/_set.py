"""Set functions: isin and the unique_* family.

The unique_* results have data-dependent shapes, so they are computed eagerly with one host round trip
(``np.unique`` with ``equal_nan=False``: every NaN is its own unique value with a count of one; signed zeros
are one value) and put back where x lives. They raise under a JAX transformation, and when
``set_flags(data_dependent_shapes=False)`` is in force.
"""

from typing import NamedTuple

import numpy as np

from . import _dispatch, _dtypes, _validate
from ._array import Array
from ._dispatch import kernel

__all__ = ["isin", "unique_all", "unique_counts", "unique_inverse", "unique_values"]


class UniqueAllResult(NamedTuple):
    """The result of ``unique_all``."""

    values: Array
    indices: Array
    inverse_indices: Array
    counts: Array


class UniqueCountsResult(NamedTuple):
    """The result of ``unique_counts``."""

    values: Array
    counts: Array


class UniqueInverseResult(NamedTuple):
    """The result of ``unique_inverse``."""

    values: Array
    inverse_indices: Array


def _unique(x, func, index=False, inverse=False, counts=False):
    """Host ``np.unique`` of the flattened x; returns the raw results in np.unique's order."""
    v = _validate.array(x, func)._data()
    _validate.data_dependent(v, func, "the result (the unique values of x)")
    host = _dispatch.to_host(v).reshape(-1)
    out = np.unique(host, return_index=index, return_inverse=inverse, return_counts=counts, equal_nan=False)
    if not isinstance(out, tuple):
        out = (out,)
    dt = _dtypes.DEFAULTS["indexing"]
    out = out[:1] + tuple(o.astype(dt, copy=False) for o in out[1:])
    if inverse:
        pos = 2 if index else 1
        out = out[:pos] + (out[pos].reshape(v.shape),) + out[pos + 1:]
    return tuple(Array._new(o) for o in _dispatch.from_host_like(out, v))


def unique_all(x, /):
    """Unique values of x with first-occurrence indices, inverse indices (shaped like x) and counts."""
    return UniqueAllResult(*_unique(x, "unique_all", index=True, inverse=True, counts=True))


def unique_counts(x, /):
    """Unique values of x and how often each occurs."""
    return UniqueCountsResult(*_unique(x, "unique_counts", counts=True))


def unique_inverse(x, /):
    """Unique values of x and the indices into them that rebuild x (shaped like x)."""
    return UniqueInverseResult(*_unique(x, "unique_inverse", inverse=True))


def unique_values(x, /):
    """The unique values of x, as a 1-D array (each NaN is distinct)."""
    return _unique(x, "unique_values")[0]


@kernel(static=("dtype", "invert"))
def _isin(m, a, b, *, dtype, invert):
    return m.isin(m.convert(a, dtype), m.convert(b, dtype), invert=invert)


def isin(x1, x2, /, *, invert=False):
    """Whether each element of x1 is in x2 (integer dtypes; either may be a Python int); shaped like x1."""
    if not isinstance(x1, Array) and not isinstance(x2, Array):
        raise TypeError("isin: at least one of x1 and x2 must be an array")
    given = (("x1", x1), ("x2", x2))
    arrays = {arg: _validate.array_in(a, "integer", "isin", arg) for arg, a in given if isinstance(a, Array)}
    ref = next(iter(arrays.values())).dtype
    v1, v2 = (arrays[arg] if arg in arrays else _int_operand(a, ref, arg) for arg, a in given)
    _validate.devices_of(list(arrays.values()), "isin")
    dt = v1.dtype if v1.dtype == v2.dtype else _dtypes.promote(v1.dtype, v2.dtype, "isin")
    return Array._new(_isin(v1, v2, dtype=dt, invert=_validate.boolean(invert, "isin", "invert")))


def _int_operand(value, array_dtype, arg):
    if type(value) is not int:
        raise TypeError(f"isin: {arg} must be an integer array or a Python int, got {type(value).__name__}")
    return np.asarray(value, _validate.scalar_dtype(value, array_dtype, "isin", arg))
