"""The raw-value side of ``x[key]`` and ``x[key] = value``: reads and writes of views (basic indexing and the
transforms of ``_index_plan``) on host values, JAX arrays and tracers, the right-hand side's checks, and boolean
masks. Below ``_array`` (it never imports it)."""

import jax.numpy as jnp
import numpy as np
from jax import lax

from . import _dispatch, _dtypes, _flags, _host, _validate
from ._dispatch import Tracer
from ._host import HostArray
from ._index_plan import Broadcast, Part, Permute, PyBool, Reshape, read_only_func

# --- transforms: read = the transform of the parent's value; write = the parent's new value from the view's ------


def _read_host(value, *, t):
    k = type(t)
    if k is Permute:
        return value.transpose(t.axes)
    if k is Reshape:
        return value.reshape(t.shape)
    if k is Part:
        return value.imag if t.imag else value.real
    if k is Broadcast:
        return np.broadcast_to(value, t.shape)
    return np.diagonal(value, t.offset, -2, -1)  # Diagonal


# NamedTuples are tuples: Part(True) == Diagonal(1) == (True,), so each cache is keyed by the type as well
@_dispatch.kernel_cache  # (a) of kernel_cache: a view's read is on the hot path; one lookup by its transform
def _reader(k, t):
    if k is Permute:
        return lambda value: lax.transpose(value, t.axes)
    if k is Reshape:
        return lambda value: lax.reshape(value, t.shape)
    if k is Part:
        return lax.imag if t.imag else lax.real
    if k is Broadcast:
        return lambda value: jnp.broadcast_to(value, t.shape)
    return lambda value: jnp.diagonal(value, t.offset, -2, -1)  # Diagonal


def _inverse(axes):
    return tuple(int(a) for a in np.argsort(axes))


def _write_host(parent, update, *, t, in_place=False):
    out = parent if in_place else np.empty_like(parent)
    k = type(t)
    if k is Permute:
        out[...] = update.transpose(_inverse(t.axes))
    elif k is Reshape:
        out[...] = update.reshape(parent.shape)
    else:  # Part
        if not in_place:
            out[...] = parent
        if t.imag:
            out.imag = update
        else:
            out.real = update
    return out


@_dispatch.kernel_cache  # (a) of kernel_cache, as _reader
def _writer(k, t):
    if k is Permute:
        inverse = _inverse(t.axes)
        return lambda parent, update: lax.transpose(update, inverse)
    if k is Reshape:
        return lambda parent, update: lax.reshape(update, parent.shape)
    if t.imag:  # Part
        return lambda parent, update: lax.complex(lax.real(parent), update)
    return lambda parent, update: lax.complex(update, lax.imag(parent))


def read_only_error(func):
    return ValueError(f"__setitem__/in-place operator: cannot write into the result of {func}: it is a read-only "
                      "view of its input (as in NumPy and array_api_strict); write into a copy "
                      "(xp.asarray(result, copy=True)) instead")


def read_view(value, spec, ints):
    if type(spec) is not tuple:  # a transform: NumPy's view of a host value (no twin call: nothing can warn)
        return _read_host(value, t=spec) if type(value) is HostArray else _reader(type(spec), spec)(value)
    if type(value) is HostArray:
        return value[_dispatch.host_index(spec, ints)]
    if isinstance(value, Tracer):
        return _dispatch.getitem_basic_traced(value, spec, ints)
    return _dispatch.getitem_basic(value, np.asarray(ints, np.int64), spec=spec)


def write_view(value, spec, ints, update, in_place=False):
    """``value`` with ``update`` written at a basic spec (or, for a transform, ``value``'s new value when its view
    is ``update``): in place where ``in_place`` (a host value that its root array alone holds, see
    ``_array._owns``), else a new value. A read-only transform raises, before anything changes."""
    if type(spec) is not tuple:
        func = read_only_func(spec)
        if func is not None:
            raise read_only_error(func)
        if in_place and not isinstance(update, Tracer):
            return _write_host(value, np.asarray(update), t=spec, in_place=True)
        if type(value) is HostArray and type(update) is HostArray:
            return _write_host(value, update, t=spec)
        # JAX takes a host value; a traced update into a host value: the caller refuses it (a leak) or is traced too
        return _writer(type(spec), spec)(value, update)
    if type(value) is HostArray:
        if not isinstance(update, Tracer):
            return _host.written(value, _dispatch.host_index(spec, ints), update, in_place)
        value = _host.to_jax(value)  # a traced update: the caller refuses it (a leak) or is traced itself
    if isinstance(value, Tracer):
        return _dispatch.setitem_basic_traced(value, spec, ints, update)
    return _dispatch.setitem_basic(value, np.asarray(ints, np.int64), update, spec=spec)


def setitem_value(value, dtype, target_shape):
    """Validate the right-hand side of ``x[key] = value`` and return a raw value of ``dtype``."""
    if isinstance(value, _validate.ArrayBase):
        u = value._data()
        if u.dtype != dtype:
            promoted = _dtypes.PROMOTION.get((dtype, u.dtype))
            if promoted is None or promoted != dtype:  # not `!=` alone: np.dtype(None) is float64
                raise TypeError(f"__setitem__: cannot assign a value of dtype {u.dtype} into an array of dtype "
                                f"{dtype} without changing its dtype")
            u = _dispatch.astype(u, dtype=dtype)
    else:
        sd = _validate.scalar_dtype(value, dtype, "__setitem__", "value")
        if sd != dtype:
            raise TypeError(f"__setitem__: cannot assign a Python {type(value).__name__} into an array of dtype "
                            f"{dtype}")
        u = _validate.scalar_array(value, dtype)  # a float beyond the dtype's range: inf, quietly
    if target_shape is not None and u.shape != target_shape:
        if (len(u.shape) > len(target_shape)
                or _validate.broadcast_shapes(u.shape, target_shape, func="__setitem__") != target_shape):
            raise ValueError(f"__setitem__: a value of shape {u.shape} cannot be broadcast to the indexed "
                             f"shape {target_shape}")
    return u


def boolean_getitem(v, plan):
    if type(plan) is PyBool:
        v = v[None]
        return v if plan.value else v[:0]
    check_boolean_allowed("__getitem__")
    m = plan.mask._data()
    _validate.not_traced(m, "__getitem__", "boolean-mask indexing (its result shape depends on the mask)")
    _validate.not_traced(v, "__getitem__", "boolean-mask indexing (its result shape depends on the mask)")
    return _dispatch.boolean_getitem(v, m)


def host_indices(arrays):
    """Whether the index arrays of an advanced plan are all host values or Python ints (NumPy can write them)."""
    return all(type(a) is HostArray or type(a) is int for a in arrays)


def write_advanced_in_place(value, arrays, update, *, spec):
    """An advanced-index write into a host value that its root alone holds (NumPy checks every index and the
    value's shape before it writes anything)."""
    value[_dispatch.advanced_index(spec, arrays)] = update
    return value


def boolean_setitem(v, mask, update, in_place=False):
    check_boolean_allowed("__setitem__")
    m = mask._data()
    if m.size == 0:  # a mask with a 0 dimension selects nothing
        check_value_shape(update.shape, (0,) + tuple(v.shape[m.ndim:]), "the boolean mask selects")
        return v
    if in_place and type(m) is HostArray and type(update) is HostArray:
        if update.ndim == 0:
            np.copyto(v, update, where=m.reshape(m.shape + (1,) * (v.ndim - m.ndim)))
            return v
        check_value_shape(update.shape, (int(np.count_nonzero(m)),) + tuple(v.shape[m.ndim:]),
                          "the boolean mask selects")
        return _host.written(v, m, update, True)
    if update.ndim == 0:
        return _dispatch.where_update(v, m, update)
    _validate.not_traced(m, "__setitem__", "boolean-mask assignment of a non-scalar value")
    check_value_shape(update.shape, (int(np.count_nonzero(np.asarray(m))),) + tuple(v.shape[m.ndim:]),
                       "the boolean mask selects")
    return shape_checked(_dispatch.boolean_setitem, v, m, update)


def check_value_shape(shape, target, what):
    """ValueError unless a value of ``shape`` broadcasts to the ``target`` shape the index selects."""
    if shape != target and (len(shape) > len(target) or
                            _validate.broadcast_shapes(shape, target, func="__setitem__") != target):
        raise ValueError(f"__setitem__: a value of shape {shape} cannot be broadcast to the shape {target} {what}")


def shape_checked(write, value, index, update, **kwargs):
    """An index update whose value shape JAX checks: its shape error names __setitem__ (nothing changed yet)."""
    try:
        return write(value, index, update, **kwargs)
    except ValueError as e:
        raise ValueError(f"__setitem__: a value of shape {update.shape} cannot be broadcast to the indexed shape "
                         f"({str(e).splitlines()[0]})") from None


def check_boolean_allowed(func):
    f = _flags.FLAGS
    if not (f["boolean_indexing"] and f["data_dependent_shapes"]):
        raise RuntimeError(f"{func}: boolean-mask indexing is disabled by array_api_jax.set_flags "
                           "(jit-readiness check); use xp.where instead")
