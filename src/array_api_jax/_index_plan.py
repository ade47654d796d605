"""Indexing plans: what an indexing key means for an array of a given shape, as typed, hashable values.

``_indexing.parse_index(key, shape)`` turns a key into a plan (checking everything, raising for bad keys); the
plan then selects the kernel: ``Basic`` plans make views (``_indexing.getitem_basic``/``setitem_basic``, or
NumPy for host values), ``Advanced`` plans gather and scatter, ``Mask`` and ``PyBool`` plans select by a boolean.
The ``spec`` of a plan is the static key of its kernel; the integers that vary from call to call (integer
components and the starts of step-1 slices) are passed as dynamic arguments, so ``x[i]`` or ``x[i:i + n]`` in a
loop compiles once.

A basic spec has one entry per key component after the ellipsis is expanded (trailing whole-axis slices
dropped): ``INT`` (an integer), ``Window(n)`` (a step-1 slice of n elements), ``Strided(start, stop, step)`` (any
slice, when the key has a slice whose step is not 1) or ``None`` (a new axis). ``compose`` turns a view of a
view into one basic plan on the first view's parent, so a chain of views reads and writes its root with one
indexing operation whatever its depth.

A view's spec is a basic spec (a plain tuple) or a *transform* (the NamedTuples ``Permute``, ``Reshape``, ``Part``,
``Broadcast``, ``Diagonal``): the results that array_api_strict (NumPy) gives as views of their input.
``_indexing`` reads a transform (the transform of the parent's value) and writes it (the parent's new value from
the view's new value; ``Broadcast`` and ``Diagonal`` are read-only, as NumPy's views are). Transforms do not
compose: a chain through one is walked link by link. ``strides`` follows a view's memory layout as NumPy would
have it, so ``reshape`` is a view exactly where NumPy's is.

Every reader of a spec (shapes, ``compose``, ``strides``, the NumPy index, the lax kernel, the sharding rules)
walks it through ``walk``: one typed ``Step`` per entry (the axis it reads, where its start comes from, its
length, whether the result keeps the axis), so the switch over the kinds of entries is written once.

This module is a leaf (no JAX, no Array): ``_indexing`` builds the plans and runs them, ``_sharding`` reads them.
"""

import enum
import functools
from typing import NamedTuple


class Component(enum.Enum):
    INT = "int"  # basic: an integer; its value is the plan's next dynamic int
    ARRAY = "array"  # advanced: the plan's next index value (an integer index array or an int)

    # the identity's hash, in C (Enum's own hashes the name in Python): specs are cache keys on the hot path, and
    # the members are singletons
    __hash__ = object.__hash__


INT = Component.INT
ARRAY = Component.ARRAY


class Window(NamedTuple):
    """A step-1 slice of ``n`` elements; its start is the plan's next dynamic int."""

    n: int


class Strided(NamedTuple):
    """A slice normalised for the axis length; ``stop`` None means past the start (a negative step to 0)."""

    start: int
    stop: int | None
    step: int


Entry = Component | Window | Strided | None  # one component of a spec (None: a new axis)


class Basic(NamedTuple):
    spec: tuple  # INT, Window, Strided or None per component: the kernel's static key
    ints: tuple  # the dynamic ints: integer components and Window starts, in order


class Advanced(NamedTuple):
    spec: tuple  # ARRAY, Strided or None per component
    arrays: tuple  # raw index arrays (bounds-checked) and ints, one per ARRAY


class Mask(NamedTuple):
    mask: object  # the boolean Array


class PyBool(NamedTuple):
    value: bool


def strided_length(entry):
    start, stop, step = entry
    stop = -1 if stop is None else stop
    return max(0, -(-(stop - start) // step))


class Step(NamedTuple):
    """One component of a basic or advanced spec, as every reader of specs walks it (``walk``): the switch over
    the entries (None, INT, Window, Strided, ARRAY) is written once, there."""

    axis: int | None  # the input axis it reads; None for a new axis
    k: int | None  # its position among the plan's dynamic values (an INT, a Window's start, an ARRAY); else None
    start: int  # its static start (Strided; 0 otherwise)
    step: int  # 1 except for Strided
    n: int | None  # the elements it selects: 1 for an INT and a new axis, None for an ARRAY (the index's shape)
    kept: bool  # whether the result has an axis for it (not for an INT or an ARRAY)
    fixed: slice | None  # its index component when it has no dynamic value: None (a new axis) or a slice (Strided)


class Walk(NamedTuple):
    """A spec's steps, and what its hot readers take from them ready-made (``walk``)."""

    steps: tuple  # one Step per component
    reads: int  # the number of input axes the spec reads (the rest are left whole)
    lengths: tuple  # the lengths of the result's axes that the steps make (the rest are the unread input axes)
    template: tuple  # (fixed, k, n) per step: its NumPy index component is fixed, values[k], or n from values[k]


@functools.lru_cache(maxsize=256)
def walk(spec):
    """The ``Walk`` of a basic or advanced ``spec``."""
    out = []
    axis = k = 0
    for e in spec:
        if e is None:
            out.append(Step(None, None, 0, 1, 1, True, None))
            continue
        if type(e) is Strided:
            out.append(Step(axis, None, e.start, e.step, strided_length(e), True, slice(*e)))
        else:
            out.append(Step(axis, k, 0, 1, e.n if type(e) is Window else 1 if e is INT else None, e is not INT
                            and e is not ARRAY, None))
            k += 1
        axis += 1
    return Walk(tuple(out), axis, tuple(s.n for s in out if s.kept),
                tuple((s.fixed, s.k, s.n if s.kept else None) for s in out))


# --- composition -------------------------------------------------------------------------------------------
# A view's axes, described against its parent: None for an axis a None added, or an ``Axis``. compose() applies
# both plans to the parent's whole axes, in turn, and writes the result back as one spec on the parent.


class Axis(NamedTuple):
    """An axis of a view: ``n`` elements of its parent's axis ``axis``, from ``start`` by ``step``."""

    axis: int
    start: int
    step: int
    n: int


def compose(shape, spec, ints, spec2, ints2):
    """The basic plan on a parent of ``shape`` equal to ``(spec2, ints2)`` applied to the view ``(spec, ints)``.

    Returns ``(spec, ints)``, or None when the result is not one basic index of the parent: a slice of an axis
    that a None added, to length 0.
    """
    fixed: dict[int, int] = {}  # the parent's axes that integers fix: {axis: index}
    axes = _select(_whole(shape), spec, ints, fixed)  # never None: the parent has no added axes
    axes = _select(axes, spec2, ints2, fixed)
    return None if axes is None else _spec_of(shape, axes, fixed)


@functools.lru_cache(maxsize=256)
def _whole(shape):
    """The axes of a parent of ``shape``, each whole (made once per shape: a NamedTuple is slow to make)."""
    return tuple(Axis(a, 0, 1, n) for a, n in enumerate(shape))


def _select(axes, spec, ints, fixed):
    """The axes of the view that the basic plan ``(spec, ints)`` makes of a view of ``axes`` (adding to ``fixed``
    the parent's axes its integers fix), or None when that is not one basic index of the parent."""
    w = walk(spec)
    out: list[Axis | None] = []
    for s in w.steps:
        if s.axis is None:
            out.append(None)
            continue
        d = axes[s.axis]
        start = s.start if s.k is None else ints[s.k]
        if not s.kept:
            if d is not None:  # an integer on an added axis removes it
                fixed[d.axis] = d.start + start * d.step
        elif d is None:
            if s.n != 1:
                return None
            out.append(d)
        else:
            out.append(Axis(d.axis, d.start + start * d.step, d.step * s.step, s.n) if s.n else Axis(d.axis, 0, 1, 0))
    out.extend(axes[w.reads:])
    return out


def _spec_of(shape, axes, fixed):
    """The basic spec (and its ints) that gives the view ``axes`` with the parent's axes ``fixed``."""
    strided = any(d is not None and d.step != 1 for d in axes)
    # drop the trailing whole axes, which the spec leaves implicit
    ndim = len(shape)
    end = len(axes)
    while end and (d := axes[end - 1]) is not None and d.axis == ndim - 1 and d[1:] == (0, 1, shape[ndim - 1]):
        end -= 1
        ndim -= 1
    spec: list[Entry] = []
    ints = []
    axis = 0
    for d in axes[:end]:
        if d is None:
            spec.append(None)
            continue
        a, start, step, n = d
        while axis < a:  # the parent's axes before this one are fixed by integers
            spec.append(INT)
            ints.append(fixed[axis])
            axis += 1
        if strided:
            stop = start + n * step
            spec.append(Strided(start, None if stop < 0 else stop, step))
        else:
            spec.append(Window(n))
            ints.append(start)
        axis += 1
    while axis in fixed:
        spec.append(INT)
        ints.append(fixed[axis])
        axis += 1
    return tuple(spec), tuple(ints)


# --- transforms: the views that are not basic indexing (each has at least one field, so a spec is never falsy) --


class Permute(NamedTuple):
    """``permute_dims(parent, axes)`` (also ``.T``, ``.mT``, ``matrix_transpose``, ``moveaxis``)."""

    axes: tuple


class Reshape(NamedTuple):
    """``reshape(parent, shape)`` where NumPy reshapes without a copy."""

    shape: tuple


class Part(NamedTuple):
    """The real (``imag=False``) or imaginary part of a complex parent."""

    imag: bool


class Broadcast(NamedTuple):
    """A read-only ``broadcast_to(parent, shape)`` (``func``: the function that made it, for the error)."""

    shape: tuple
    func: str


class Diagonal(NamedTuple):
    """The read-only ``linalg.diagonal(parent, offset=offset)``."""

    offset: int


@functools.lru_cache(maxsize=64)
def matrix_transposition(ndim):
    """The transform that swaps the last two of ``ndim`` axes (``mT``, ``matrix_transpose``)."""
    return Permute(tuple(range(ndim - 2)) + (ndim - 1, ndim - 2))


def read_only_func(spec):
    """The function that made a read-only view of ``spec``, or None for a writeable one."""
    t = type(spec)
    return spec.func if t is Broadcast else "linalg.diagonal" if t is Diagonal else None


def strides(shape, chain):
    """The strides, in elements, that NumPy gives a view made from a C-contiguous array of ``shape`` by the specs
    ``chain`` (root first); None where NumPy would have copied."""
    st = [0] * len(shape)
    step = 1
    for i in range(len(shape) - 1, -1, -1):
        st[i] = step
        step *= max(shape[i], 1)
    shape = tuple(shape)
    for spec in chain:
        t = type(spec)
        if t is tuple:
            w = walk(spec)
            st = [0 if s.axis is None else st[s.axis] * s.step for s in w.steps if s.kept] + st[w.reads:]
            shape = w.lengths + shape[w.reads:]
        elif t is Permute:
            shape, st = tuple(shape[a] for a in spec.axes), [st[a] for a in spec.axes]
        elif t is Reshape:
            st = reshaped_strides(shape, st, spec.shape)
            if st is None:
                return None
            shape = spec.shape
        elif t is Part:
            st = [2 * s for s in st]
        elif t is Broadcast:
            off = len(spec.shape) - len(shape)
            st = [0] * off + [0 if n == 1 and m != 1 else s for s, n, m in zip(st, shape, spec.shape[off:])]
            shape = spec.shape
        else:  # Diagonal: the last two axes become one, stepping along both
            k, (r, c) = spec.offset, shape[-2:]
            n = max(0, min(r, c - k) if k >= 0 else min(r + k, c))
            shape, st = shape[:-2] + (n,), st[:-2] + [st[-2] + st[-1]]
    return st


def reshaped_strides(shape, st, new_shape):
    """The strides of a view of ``new_shape`` on an array of ``shape`` and strides ``st``, or None where NumPy's
    reshape must copy: NumPy's own rule (``_attempt_nocopy_reshape``: the old axes merged into each group of new
    axes must be contiguous with one another), in Python."""
    if 0 in shape:
        return [0] * len(new_shape)
    old = [(n, s) for n, s in zip(shape, st) if n != 1]  # NumPy drops the size-1 axes first
    dims, strides_ = [n for n, _ in old], [s for _, s in old]
    out = [0] * len(new_shape)
    oi, oj, ni, nj = 0, 1, 0, 1
    while ni < len(new_shape) and oi < len(dims):
        np_, op = new_shape[ni], dims[oi]
        while np_ != op:
            if np_ < op:
                np_ *= new_shape[nj]
                nj += 1
            else:
                op *= dims[oj]
                oj += 1
        for ok in range(oi, oj - 1):
            if strides_[ok] != dims[ok + 1] * strides_[ok + 1]:
                return None
        out[nj - 1] = strides_[oj - 1]
        for nk in range(nj - 1, ni, -1):
            out[nk - 1] = out[nk] * new_shape[nk]
        ni, nj, oi, oj = nj, nj + 1, oj, oj + 1
    last = out[ni - 1] if ni >= 1 else 1
    for nk in range(ni, len(new_shape)):
        out[nk] = last
    return out
