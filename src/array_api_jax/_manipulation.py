"""Manipulation functions: reshaping, joining, splitting, reordering and repeating arrays.

Where array_api_strict's result is a NumPy view of its input (``permute_dims``, ``moveaxis``, ``reshape`` where
NumPy reshapes without a copy, ``expand_dims``, ``squeeze``, ``flip``, ``unstack``, ``broadcast_to`` and
``broadcast_arrays`` read-only), the result here is a view too: basic indexing of x (``expand_dims``, ``squeeze``,
``flip``, ``unstack``) or a transform of ``_index_plan`` (see docs/mutation-and-views.md).
"""

import builtins
import functools
import math

import numpy as np

from . import _dispatch, _dtypes, _indexing, _validate
from ._array import Array
from ._index_plan import Broadcast, Permute, Reshape, reshaped_strides, strides
from ._dispatch import kernel

__all__ = ["broadcast_arrays", "broadcast_shapes", "broadcast_to", "concat", "expand_dims", "flip", "moveaxis",
           "permute_dims", "repeat", "reshape", "roll", "squeeze", "stack", "tile", "unstack"]


_ALL, _REVERSED = "all", "reversed"  # the slices of the keys _plan builds (slices are hashable only from 3.12)


def _int_tuple(value, func, arg):
    """An int or a tuple of ints (the integer policy of ``_validate``), as a tuple."""
    if isinstance(value, tuple):
        return tuple(_validate.integer(v, func, arg) for v in value)
    return (_validate.integer(value, func, arg),)


def _common_dtype(values, func):
    dt = values[0].dtype
    for v in values[1:]:
        if v.dtype != dt:
            dt = _dtypes.promote(dt, v.dtype, func)
    return dt


def _array_sequence(arrays, func):
    if not isinstance(arrays, (tuple, list)):
        raise TypeError(f"{func}: arrays must be a tuple or list of arrays, got {type(arrays).__name__}")
    if not arrays:
        raise ValueError(f"{func}: arrays must contain at least one array")
    values = [_validate.array(a, func, f"arrays[{i}]")._data() for i, a in enumerate(arrays)]
    _validate.devices_of(values, func)
    return values, _common_dtype(values, func)


# --- broadcasting ------------------------------------------------------------------------------------------


def broadcast_arrays(*arrays):
    """Broadcast the arrays against one another; returns a tuple of arrays of the common shape."""
    checked = [_validate.array(a, "broadcast_arrays", f"arrays[{i}]") for i, a in enumerate(arrays)]
    values = [a._data() for a in checked]
    _validate.devices_of(values, "broadcast_arrays")
    shape = _validate.broadcast_shapes(*(v.shape for v in values), func="broadcast_arrays")
    # as NumPy's: an array of the common shape is a view of its input, a broadcast one a read-only view
    return tuple(a._index(..., Array) if v.shape == shape else a._view(Broadcast(shape, "broadcast_arrays"), Array)
                 for a, v in zip(checked, values))


def broadcast_shapes(*shapes):
    """The shape that shapes broadcast to; ValueError if they are not broadcast-compatible."""
    checked = []
    for i, s in enumerate(shapes):
        if not isinstance(s, tuple):
            raise TypeError(f"broadcast_shapes: shapes[{i}] must be a tuple of ints, got {type(s).__name__}")
        checked.append(_validate.shape_arg(s, "broadcast_shapes", f"shapes[{i}]"))
    return _validate.broadcast_shapes(*checked, func="broadcast_shapes")


def broadcast_to(x, /, shape):
    """Broadcast x to ``shape``: a read-only view of x (as NumPy's; writing into it raises ValueError)."""
    x = _validate.array(x, "broadcast_to")
    v = x._data()
    shape = _validate.fits(_validate.shape_arg(shape, "broadcast_to"), v.dtype, "broadcast_to")
    off = len(shape) - v.ndim
    if off < 0 or builtins.any(n != 1 and n != shape[off + i] for i, n in enumerate(v.shape)):
        raise ValueError(f"broadcast_to: x of shape {v.shape} cannot be broadcast to shape {shape}")
    return x._view(Broadcast(shape, "broadcast_to"), Array)


# --- joining and splitting ---------------------------------------------------------------------------------


@kernel(static=("axis", "dtype"))
def _concat(m, values, *, axis, dtype):
    return m.concatenate(values, axis, dtype=dtype)


def concat(arrays, /, *, axis=0):
    """Join arrays along an existing axis (``axis=None`` flattens them first); dtypes promote."""
    values, dt = _array_sequence(arrays, "concat")
    if axis is not None:
        ndim = values[0].ndim
        if ndim == 0:
            raise ValueError("concat: zero-dimensional arrays cannot be concatenated (use stack, or axis=None)")
        axis = _validate.axis(axis, ndim, "concat")
        ref = values[0].shape
        for i, v in enumerate(values[1:], 1):
            if v.ndim != ndim or builtins.any(a != b for k, (a, b) in enumerate(zip(v.shape, ref)) if k != axis):
                raise ValueError(f"concat: arrays[{i}] has shape {v.shape}, incompatible with arrays[0]'s shape "
                                 f"{ref} (only axis {axis} may differ)")
    return Array._new(_concat(tuple(values), axis=axis, dtype=dt))


@kernel(static=("axis", "dtype"))
def _stack(m, values, *, axis, dtype):
    return m.stack(values, axis, dtype=dtype)


def stack(arrays, /, *, axis=0):
    """Join arrays of one shape along a new axis; dtypes promote."""
    values, dt = _array_sequence(arrays, "stack")
    ref = values[0].shape
    for i, v in enumerate(values[1:], 1):
        if v.shape != ref:
            raise ValueError(f"stack: arrays[{i}] has shape {v.shape}, but arrays[0] has shape {ref}")
    axis = _validate.axis(axis, len(ref) + 1, "stack")
    return Array._new(_stack(tuple(values), axis=axis, dtype=dt))


def unstack(x, /, *, axis=0):
    """Split x along ``axis`` into a tuple of views of x with that axis removed."""
    x = _validate.array(x, "unstack")
    v = x._data()
    axis = _validate.axis(axis, v.ndim, "unstack")
    whole = (_ALL,) * axis
    return tuple(_basic_view(x, v, whole + (i, ...)) for i in range(v.shape[axis]))


# --- shape changes -----------------------------------------------------------------------------------------


@kernel(static=("shape",))
def _reshape(m, value, *, shape):
    return m.reshaped(value, shape)


def _strides(x):
    """The strides, in elements, that NumPy would give the view ``x``: the layout its chain of specs gives its
    C-contiguous root (``_index_plan.strides``)."""
    chain = []
    while x._base is not None:
        _, x, spec, _ = x._base
        chain.append(spec)
    return strides(x.shape, chain[::-1])


def reshape(x, /, shape, *, copy=None):
    """Give x a new shape with the same elements (one dimension may be -1, inferred from the size): a view of x
    where NumPy's reshape is one (x is not a view, or its elements lie as the new shape needs), else a copy
    (``copy=False`` then raises ValueError); ``copy=True`` always copies."""
    x = _validate.array(x, "reshape")
    v = x._value if x._base is None else x._data()
    if copy not in (None, True, False):
        raise TypeError(f"reshape: copy must be None, True or False, got {copy!r}")
    if not isinstance(shape, tuple):
        if isinstance(shape, builtins.bool) or not hasattr(shape, "__index__"):
            raise TypeError(f"reshape: shape must be a tuple of ints, got {type(shape).__name__}")
        shape = (shape,)
    shape = _int_tuple(shape, "reshape", "shape")
    unknown = [i for i, s in enumerate(shape) if s == -1]
    if len(unknown) > 1 or builtins.any(s < -1 for s in shape):
        raise ValueError(f"reshape: shape={shape} is invalid (only one dimension may be -1; no other negatives)")
    if unknown:
        known = math.prod(s for s in shape if s != -1)
        if known == 0 or v.size % known:
            raise ValueError(f"reshape: cannot reshape an array of size {v.size} into shape {shape}")
        shape = shape[: unknown[0]] + (v.size // known,) + shape[unknown[0] + 1:]
    elif math.prod(shape) != v.size:
        raise ValueError(f"reshape: cannot reshape an array of size {v.size} into shape {shape}")
    if copy:
        return Array._new(_dispatch.kept(v if shape == v.shape else _reshape(v, shape=shape)))
    base = x._base  # x is laid out in C order when it is a root or a reshape of one: then NumPy never copies
    if (base is not None and not (type(base[2]) is Reshape and base[1]._base is None)
            and reshaped_strides(v.shape, _strides(x), shape) is None):
        if copy is False:
            raise ValueError(f"reshape: copy=False, but an array of shape {v.shape} laid out as this view of "
                             f"another array cannot be reshaped to {shape} without a copy (as in NumPy)")
        return Array._new(_reshape(v, shape=shape))
    return x._view(Reshape(shape), Array)


def expand_dims(x, /, axis):
    """Insert singleton axes at the positions ``axis`` (an int or a tuple) of the result: a view of x."""
    x = _validate.array(x, "expand_dims")
    v = x._data()
    n = v.ndim + (len(axis) if isinstance(axis, tuple) else 1)
    axes = _validate.axis_tuple(axis, n, "expand_dims", "axis")
    return _basic_view(x, v, tuple(None if a in axes else _ALL for a in range(n)))


def squeeze(x, /, axis):
    """Remove the singleton axes ``axis`` (an int or a tuple); ValueError if one of them is not size 1. A view of
    x."""
    x = _validate.array(x, "squeeze")
    v = x._data()
    if axis is None:
        raise TypeError("squeeze: axis must be an int or a tuple of ints (the standard has no axis=None)")
    axes = _validate.axis_tuple(axis, v.ndim, "squeeze", "axis")
    for a in axes:
        if v.shape[a] != 1:
            raise ValueError(f"squeeze: axis {a} has size {v.shape[a]}; only size-1 axes can be squeezed")
    return _basic_view(x, v, tuple(0 if a in axes else _ALL for a in range(v.ndim)))


# --- reordering --------------------------------------------------------------------------------------------


_SLICES = {_ALL: builtins.slice(None), _REVERSED: builtins.slice(None, None, -1)}


@functools.lru_cache(maxsize=256)
def _plan(shape, key):
    """The basic plan of ``key`` for an array of ``shape``, parsed once per pair: ``flip``, ``expand_dims``,
    ``squeeze`` and ``unstack`` are basic indexing with keys they build (integers, None, ..., and _ALL or _REVERSED
    for the slices)."""
    return _indexing.parse_index(tuple(_SLICES.get(k, k) if type(k) is str else k for k in key), shape)


def _basic_view(x, v, key):
    return x._index(key, Array, _plan(v.shape, key))


@functools.lru_cache(maxsize=256)
def _permutation(axes, ndim):
    """The checked permutation ``axes`` of ``ndim`` axes (cached: permute_dims is on hot paths)."""
    if len(axes) != ndim:
        raise ValueError(f"permute_dims: axes={axes} must have one entry per axis of x ({ndim})")
    return Permute(_validate.axis_tuple(axes, ndim, "permute_dims", "axes"))


def permute_dims(x, /, axes):
    """Permute the axes of x (``axes`` is a permutation of its axes; negative axes count from the end): a view of
    x."""
    v = _validate.array(x, "permute_dims")
    if type(axes) is not tuple or not builtins.all(type(a) is int for a in axes):  # checked here: they key the cache
        if not isinstance(axes, (tuple, list)):
            raise TypeError(f"permute_dims: axes must be a tuple of ints, got {type(axes).__name__}")
        axes = tuple(_validate.integer(a, "permute_dims", "axes") for a in axes)
    return v._view(_permutation(axes, (v._value if v._base is None else v._data()).ndim), Array)


def moveaxis(x, source, destination, /):
    """Move the axes ``source`` of x to the positions ``destination``, keeping the others in order: a view of x."""
    x = _validate.array(x, "moveaxis")
    v = x._data()
    src = _validate.axis_tuple(source, v.ndim, "moveaxis", "source")
    dst = _validate.axis_tuple(destination, v.ndim, "moveaxis", "destination")
    if len(src) != len(dst):
        raise ValueError(f"moveaxis: source={source} and destination={destination} must have the same length")
    perm = [a for a in range(v.ndim) if a not in src]
    for d, s in sorted(zip(dst, src)):
        perm.insert(d, s)
    return x._view(Permute(tuple(perm)), Array)


def flip(x, /, *, axis=None):
    """Reverse the order of elements along ``axis`` (all axes by default): a view of x."""
    x = _validate.array(x, "flip")
    v = x._data()
    axes = _validate.axes(axis, v.ndim, "flip")
    return _basic_view(x, v, tuple(_REVERSED if a in axes else _ALL for a in range(v.ndim)))


@kernel(static=("axes",))
def _roll(m, value, shifts, *, axes):
    if axes is None:
        return m.roll(value.reshape(-1), shifts[0]).reshape(value.shape)
    return m.roll(value, shifts, axes)


def roll(x, /, shift, *, axis=None):
    """Shift elements along ``axis`` cyclically (the flattened array when axis is None)."""
    v = _validate.array(x, "roll")._data()
    shifts = _int_tuple(shift, "roll", "shift")
    if axis is None:
        if isinstance(shift, tuple):
            raise TypeError("roll: shift must be an int when axis is None")
        axes = None
        sizes = (v.size,)
    else:
        axes = tuple(_validate.axis(a, v.ndim, "roll") for a in _int_tuple(axis, "roll", "axis"))
        if isinstance(shift, tuple) and len(shifts) != len(axes):
            raise ValueError(f"roll: shift={shift} and axis={axis} must have the same length")
        if len(shifts) == 1:
            shifts = shifts * len(axes)
        sizes = tuple(v.shape[a] for a in axes)
    shifts = np.asarray([s % n if n else 0 for s, n in zip(shifts, sizes)], np.int64)
    return Array._new(_roll(v, shifts, axes=axes))


# --- repeating ---------------------------------------------------------------------------------------------


@kernel(static=("repeats", "axis"))
def _repeat(m, value, index, *, repeats, axis):
    if axis is None:
        value, axis = value.reshape(-1), 0
    if index is None:
        return m.repeat(value, repeats, axis=axis)
    return m.take_sorted(value, index, axis)


def repeat(x, repeats, /, *, axis=None):
    """Repeat each element of x ``repeats`` times (an int, or an integer array of one count per element)."""
    v = _validate.array(x, "repeat")._data()
    if axis is not None:
        axis = _validate.axis(axis, v.ndim, "repeat")
    if isinstance(repeats, Array):
        r = _validate.array_in(repeats, "integer", "repeat", "repeats")
        _validate.data_dependent(r, "repeat", "the result of repeating by an array of counts")
        size = v.size if axis is None else v.shape[axis]
        if r.shape not in ((), (1,), (size,)):
            raise ValueError(f"repeat: repeats of shape {r.shape} must have shape (), (1,) or ({size},)")
        _validate.devices_of([v, r], "repeat")
        counts = _dispatch.to_host(r)
        if counts.size and counts.min() < 0:
            raise ValueError("repeat: repeats must be non-negative")
        if counts.size != 1:  # gather with indices built on the host: compiles per shape only
            index = np.repeat(np.arange(size, dtype=np.int64), counts)
            return Array._new(_repeat(v, index, repeats=None, axis=axis))
        repeats = int(counts.reshape(-1)[0])
    repeats = _validate.integer(repeats, "repeat", "repeats", minimum=0)
    _validate.fits((v.size * repeats,) if axis is None else
                   tuple(n * repeats if i == axis else n for i, n in enumerate(v.shape)), v.dtype, "repeat")
    return Array._new(_repeat(v, None, repeats=repeats, axis=axis))


@kernel(static=("reps",))
def _tile(m, value, *, reps):
    return m.tile(value, reps)


def tile(x, repetitions, /):
    """Tile x ``repetitions[i]`` times along each axis (missing leading entries or axes count as 1)."""
    v = _validate.array(x, "tile")._data()
    if not isinstance(repetitions, tuple):
        raise TypeError(f"tile: repetitions must be a tuple of ints, got {type(repetitions).__name__}")
    reps = _int_tuple(repetitions, "tile", "repetitions")
    if builtins.any(r < 0 for r in reps):
        raise ValueError(f"tile: repetitions={reps} must be non-negative")
    nd = builtins.max(len(reps), v.ndim)
    padded = (1,) * (nd - v.ndim) + tuple(v.shape), (1,) * (nd - len(reps)) + reps
    _validate.fits(tuple(n * r for n, r in zip(*padded)), v.dtype, "tile")
    return Array._new(_tile(v, reps=reps))

