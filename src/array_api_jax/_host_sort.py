"""Sorting on the host path: NumPy's sorts, as stable as jax.numpy's.

NumPy's default sort (SIMD; 4-12x faster than its stable one on large arrays) runs where stability cannot show: no
-0.0 among sorted zeros, no ties (equal values, or two NaNs) among argsorted values. Its stable sort of 1-byte
integers, and argsort of 1- and 2-byte ones, is a radix sort, faster than its default: it runs alone. Descending is
the reversed ascending sort of the reversed array (what jax.numpy's ``descending=True`` gives).
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

# The dtypes whose NumPy stable sort (a radix sort) beat its default sort on 2**20 elements: values 1.5 ms
# against 20-40; indices 3-15 ms against 15-85, where ties are near certain (256 or 65,536 possible values). The
# default sort of int16 values is the faster one (SIMD).
_RADIX_SORTED = frozenset(map(np.dtype, (np.int8, np.uint8)))
_RADIX_ARGSORTED = frozenset(map(np.dtype, (np.int8, np.uint8, np.int16, np.uint16)))
# From this many elements, a floating-point argsort looks for ties in NumPy's sort of the values, made on another
# thread while the argsort runs (NumPy releases the GIL in both), instead of in its values gathered in its order
# after it: 2**20 float64 values, argsort 27-29 ms, sort 6-7, the gather 5-6; with the sort beside it on a second
# core, the stable argsort costs what NumPy's default one does (on one core, what the gather did)
_BESIDE_MIN = 1 << 16
_SORTER: list = []  # [the one thread that sorts values beside an argsort], made on first use
_SORTER_LOCK = threading.Lock()
if hasattr(os, "register_at_fork"):  # a forked child has no copy of the thread: it makes its own
    os.register_at_fork(after_in_child=_SORTER.clear)


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
        # floating-point data seldom ties: the default argsort, then the sorted values show whether any do:
        # for a large x sorted on another thread meanwhile, else gathered in the argsort's order
        if x.size >= _BESIDE_MIN:
            values = _sorter().submit(np.sort, x, axis=ax)
            order = np.argsort(x, axis=ax)
            ties = _ties(values.result(), ax)
        else:
            order = np.argsort(x, axis=ax)
            ties = _ties(np.take_along_axis(x, order, ax), ax)
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


def _sorter():
    """The executor of the one thread that sorts values beside an argsort (``_BESIDE_MIN``)."""
    if not _SORTER:
        with _SORTER_LOCK:
            if not _SORTER:
                _SORTER.append(ThreadPoolExecutor(1, thread_name_prefix="array_api_jax-sort"))
    return _SORTER[0]


def _ties(ordered, ax):
    """Whether sorted values have neighbours that tie along ``ax``: equal, or both NaN."""
    a = np.moveaxis(ordered, ax, -1)
    if (a[..., :-1] == a[..., 1:]).any():
        return True
    # NaNs sort last: two of them tie where the last but one value is NaN
    return a.dtype.kind == "f" and a.shape[-1] > 1 and bool(np.isnan(a[..., -2]).any())
