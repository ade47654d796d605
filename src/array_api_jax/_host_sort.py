"""Sorting on the host path: NumPy's sorts, as stable as jax.numpy's.

NumPy's default sort (SIMD; 4-12x faster than its stable one on large arrays) runs where stability cannot show: no
-0.0 among sorted zeros, no ties (equal values, or two NaNs) among argsorted values. Its stable sort of 1-byte
integers, and argsort of 1- and 2-byte ones, is a radix sort, faster than its default: it runs alone. Descending is
the reversed ascending sort of the reversed array (what jax.numpy's ``descending=True`` gives).
"""

import numpy as np

# The dtypes whose NumPy stable sort (a radix sort) beat its default sort on 2**20 elements: values 1.5 ms
# against 20-40; indices 3-15 ms against 15-85, where ties are near certain (256 or 65,536 possible values). The
# default sort of int16 values is the faster one (SIMD).
_RADIX_SORTED = frozenset(map(np.dtype, (np.int8, np.uint8)))
_RADIX_ARGSORTED = frozenset(map(np.dtype, (np.int8, np.uint8, np.int16, np.uint16)))
# Values gathered at a time to look for ties in an argsort's order: a buffer that stays in the cache, where
# gathering all of them into a new array of the input's size costs about twice as much (its pages are fresh)
_CHUNK = 1 << 16


def sort_along(x, ax, descending, stable, indices=False):
    """The sorted values (the sorting indices with ``indices``) of x along ``ax``."""
    if x.dtype in (_RADIX_ARGSORTED if indices else _RADIX_SORTED):
        pass  # straight to the stable (radix) sort below
    elif not indices:
        # one comparison finds that no zero is there (the common case); only zeros need their signs checked
        if x.dtype.kind != "f" or not (x == 0).any() or not (np.signbit(x) & (x == 0)).any():
            out = np.sort(x, axis=ax)
            return np.flip(out, ax) if descending else out
    elif not stable:
        order = np.argsort(x, axis=ax)
        return np.flip(order, ax) if descending else order
    elif x.dtype.kind == "f":
        # floating-point data seldom ties: the default argsort, then its values gathered in its order show
        # whether any do (the gather costs half NumPy's SIMD sort of the values)
        order = np.argsort(x, axis=ax)
        ties = _gathered_ties(x, order) if x.ndim == 1 else _ties(np.take_along_axis(x, order, ax), ax)
        if not ties:
            return np.flip(order, ax) if descending else order
    # integers often tie (labels, counts): the ties show in NumPy's SIMD sort of the values, and where they are
    # found the default argsort is not run at all
    elif not _ties(np.sort(x, axis=ax), ax):
        order = np.argsort(x, axis=ax)
        return np.flip(order, ax) if descending else order
    if not descending:
        return np.argsort(x, axis=ax, kind="stable") if indices else np.sort(x, axis=ax, kind="stable")
    flipped = np.flip(x, ax)
    if indices:
        return x.shape[ax] - 1 - np.flip(np.argsort(flipped, axis=ax, kind="stable"), ax)
    return np.flip(np.sort(flipped, axis=ax, kind="stable"), ax)


def _ties(ordered, ax):
    """Whether sorted values have neighbours that tie along ``ax``: equal, or both NaN."""
    a = np.moveaxis(ordered, ax, -1)
    if (a[..., :-1] == a[..., 1:]).any():
        return True
    # NaNs sort last: two of them tie where the last but one value is NaN
    return a.dtype.kind == "f" and a.shape[-1] > 1 and bool(np.isnan(a[..., -2]).any())


def _gathered_ties(x, order):
    """``_ties(x[order], 0)`` for a 1-D x, gathered ``_CHUNK`` values at a time."""
    n = order.shape[0]
    buffer = np.empty(min(n, _CHUNK) + 1, x.dtype)
    equal = np.empty(min(n, _CHUNK), bool)
    last = None
    for start in range(0, n, _CHUNK):
        stop = min(start + _CHUNK, n)
        head = 0 if last is None else 1  # a chunk after the first starts with the last value of the one before
        chunk = buffer[:head + stop - start]
        if head:
            chunk[0] = last
        np.take(x, order[start:stop], out=chunk[head:])
        if np.equal(chunk[1:], chunk[:-1], out=equal[:len(chunk) - 1]).any():
            return True
        last = chunk[-1]
    # NaNs sort last: two of them tie where the last but one value is NaN
    return x.dtype.kind == "f" and n > 1 and bool(np.isnan(x[order[-2]]))
