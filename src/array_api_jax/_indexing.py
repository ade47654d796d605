"""Indexing, in one module: a key is parsed into a plan, the plan selects a kernel, and ``x[key] = value`` and
the writes through views run here from the checks of the value to the store into the root.

- **parse** (``parse_index``): a key and a shape -> a plan of ``_index_plan`` (``Basic``, ``Advanced``, ``Mask``,
  ``PyBool``), every component checked, IndexError for bad keys;
- **kernels**: a basic plan's spec is the static key of ``getitem_basic``/``setitem_basic`` (its ints the dynamic
  argument), ``host_index`` the same index for NumPy on host values, lax under a trace; the transforms of
  ``_index_plan`` (the views that are not basic indexing) are read and written by ``read_view``/``write_view``;
  advanced and boolean plans use the kernels of ``_dispatch``;
- **writes** (``setitem``, and ``store``, which ``Array._assign`` calls): the value is checked (``setitem_value``)
  before anything is written, a view's write goes up its parents to the root, a host value its root alone holds
  is written in place (``_owns``), and a write during a JAX trace into an array made outside it raises
  (``_leak_error``). The caller holds the root's write lock (``Array._lock``).

Below ``_array`` (it never imports it): it reads and sets an Array's slots (``_value``, ``_version``, ``_base``,
``_pending``) and calls back into ``_array`` only for what is not on the hot path (a stale view's ``_data``, a
deferred value, the ``_assign`` of a root class that stores by its own rule).
"""

import builtins
import dis
import operator
import sys
import weakref
from typing import Any

import jax.numpy as jnp
import numpy as np
from jax import lax

from . import _dispatch, _dtypes, _flags, _host, _jax_private, _sharding, _validate
from ._dispatch import Tracer, kernel
from ._host import HostArray
from ._index_plan import (ARRAY, INT, Advanced, Basic, Broadcast, Entry, Mask, Part, Permute, PyBool, Reshape,
                          Strided, Window, read_only_func, walk)

_is_top_level = _jax_private.is_top_level  # JAX's own method: the check costs no call into the package


# --- parse: an index key -> a plan ---------------------------------------------------------------------------


def _index_int(k):
    if type(k) is int:
        return k
    if isinstance(k, builtins.bool):
        return None
    if isinstance(k, np.integer):
        return int(k)
    return None


def _slice_part(v, func):
    if v is None or type(v) is int:
        return v
    if isinstance(v, builtins.bool) or not hasattr(v, "__index__"):
        raise IndexError(f"{func}: slice bounds must be ints or None, got {type(v).__name__}")
    return operator.index(v)  # 0-D integer Arrays are accepted through __index__, as in array-api-strict


def parse_index(key, shape, func="__getitem__"):
    """The plan (see ``_index_plan``) of an indexing key for an array of ``shape``.

    Raises IndexError for out-of-bounds integers and index arrays and for malformed keys; nothing else checks.
    """
    if not isinstance(key, tuple):
        key = (key,)
    cls = _validate.ArrayBase
    ndim = len(shape)
    n_ellipsis = 0
    n_consumed = 0
    has_array = False
    bool_mask: _validate.ArrayBase | builtins.bool | None = None
    for k in key:
        if k is Ellipsis:
            n_ellipsis += 1
        elif k is None:
            pass
        elif isinstance(k, cls):
            d = k.dtype
            if d == _dtypes.bool:
                bool_mask = k
                n_consumed += k.ndim
            elif d in _dtypes.INTEGER:
                has_array = True
                n_consumed += 1
            else:
                raise IndexError(f"{func}: index arrays must have an integer or boolean dtype, got {d}")
        elif isinstance(k, builtins.bool):
            bool_mask = k
        elif isinstance(k, (slice, int, np.integer)):
            n_consumed += 1
        else:
            raise IndexError(f"{func}: invalid index component of type {type(k).__name__}; expected an int, "
                             "slice, ellipsis, None or an integer or boolean array")
    if n_ellipsis > 1:
        raise IndexError(f"{func}: an index can only have a single ellipsis ('...')")
    if n_consumed > ndim:
        raise IndexError(f"{func}: too many indices for an array of {ndim} dimensions ({n_consumed} given)")
    if n_consumed < ndim and not n_ellipsis and bool_mask is None:
        raise IndexError(f"{func}: {n_consumed} indices for an array of {ndim} dimensions; the standard needs one "
                         "per dimension unless the key has an ellipsis: add a trailing ... (x[i, ...]), which "
                         "expands into as many : as needed (NumPy's implicit behaviour)")
    if bool_mask is not None:
        if len(key) != 1 or has_array:
            raise IndexError(f"{func}: a boolean index must be the only index component (the standard "
                             "does not define combining boolean masks with other components)")
        if isinstance(bool_mask, builtins.bool):
            return PyBool(bool_mask)
        if not all(m in (n, 0) for m, n in zip(bool_mask.shape, shape)):  # a 0 dimension selects nothing
            raise IndexError(f"{func}: boolean index of shape {bool_mask.shape} does not match the indexed "
                             f"array's shape {tuple(shape)}")
        return Mask(bool_mask)
    # one entry per axis: (start, stop, step) for a slice, an int, an Array, or None for a new axis
    entries: list[Any] = []
    strided = False
    axis = 0
    for k in key:
        if k is Ellipsis:
            for _ in range(ndim - n_consumed):
                entries.append((0, shape[axis], 1))
                axis += 1
        elif k is None:
            entries.append(None)
        elif isinstance(k, slice):
            n = shape[axis]
            start, stop, step = (_slice_part(k.start, func), _slice_part(k.stop, func), _slice_part(k.step, func))
            if step == 0:
                raise IndexError(f"{func}: slice step cannot be zero")
            start, stop, step = slice(start, stop, step).indices(n)
            if step < 0 and stop < 0:
                stop = None
            strided = strided or step != 1
            entries.append((start, stop, step))
            axis += 1
        elif isinstance(k, cls):
            entries.append(k)
            axis += 1
        else:
            i = _index_int(k)
            n = shape[axis]
            if not -n <= i < n:
                raise IndexError(f"{func}: index {i} is out of bounds for axis {axis} with size {n}")
            entries.append(i + n if i < 0 else i)
            axis += 1
    if has_array:
        return _advanced(entries, shape, func)
    # drop trailing whole-axis slices, then make integers and (unless a slice is strided) slice starts dynamic
    n_axes = sum(1 for e in entries if e is not None)
    while entries and type(entries[-1]) is tuple and entries[-1] == (0, shape[n_axes - 1], 1):
        entries.pop()
        n_axes -= 1
    spec: list[Entry] = []
    ints = []
    for e in entries:
        if e is None:
            spec.append(None)
        elif type(e) is int:
            spec.append(INT)
            ints.append(e)
        elif strided:
            spec.append(Strided(*e))
        else:
            spec.append(Window(max(0, e[1] - e[0])))
            ints.append(e[0])
    return Basic(tuple(spec), tuple(ints))


def _advanced(entries, shape, func):
    """The plan of a key with index arrays: integers become index values (Python ints), arrays are
    bounds-checked eagerly."""
    spec: list[Entry] = []
    values = []
    axis = 0
    for e in entries:
        if e is None:
            spec.append(None)
            continue
        if type(e) is tuple:
            spec.append(Strided(*e))
        else:
            spec.append(ARRAY)
            if type(e) is not int:
                e = e._data()
                _validate.index_in_bounds(e, shape[axis], axis, func, "index array")
            values.append(e)
        axis += 1
    return Advanced(tuple(spec), tuple(values))


# --- the kernels of basic plans: the spec (INT, Window, Strided, None entries) is the static key, the ints the
# dynamic argument; on host values NumPy's own view (``host_index``) ---------------------------------------


def basic_shape(shape, spec):
    """The shape basic indexing with ``spec`` gives for an array of ``shape``."""
    w = walk(spec)
    return w.lengths + tuple(shape[w.reads:])


def build_index(spec, values):
    """The NumPy-style index of a basic spec with its ints (for NumPy, and for the traced path, where JAX sees
    them as static), or of an advanced spec with its index values."""
    out = []
    for fixed, k, n in walk(spec).template:  # a loop, not a comprehension: this is the host path's x[i] (3.11)
        out.append(fixed if k is None else values[k] if n is None else slice(values[k], values[k] + n))
    return tuple(out)


def host_index(spec, ints):
    """The NumPy index for a basic spec (for host values). The trailing ellipsis makes an index of integers
    give a 0-D array (a view) rather than a NumPy scalar."""
    return build_index(spec, ints) + (Ellipsis,)


def _basic_lax(value, spec, ints):
    """Basic indexing with lax primitives: dynamic slices for integers and step-1 slices, static strides."""
    out = value
    squeeze = []
    for axis, s in enumerate(walk(spec).steps):  # axis: the input's axis s reads, where the earlier steps left it
        if s.axis is None:
            out = lax.expand_dims(out, (axis,))
        elif s.k is not None:
            out = lax.dynamic_slice_in_dim(out, ints[s.k], s.n, axis)
        else:
            start, step = s.start, s.step
            if step < 0:
                out = lax.rev(out, (axis,))
                start, step = out.shape[axis] - 1 - start, -step
            out = lax.slice_in_dim(out, start, start + (s.n - 1) * step + 1 if s.n else start, step, axis)
        if not s.kept:
            squeeze.append(axis)
    if squeeze:
        out = lax.squeeze(out, squeeze)
    return out


def _basic_update(value, spec, ints, update):
    """Write ``update`` into the region a dynamic-start spec selects, with one dynamic_update_slice."""
    w = walk(spec)
    starts = list(ints) + [0] * (value.ndim - w.reads)
    sizes = [s.n for s in w.steps if s.axis is not None] + list(value.shape[w.reads:])
    block = jnp.broadcast_to(update, basic_shape(value.shape, spec)).reshape(sizes)
    return lax.dynamic_update_slice(value, block, starts)


def _dynamic(spec):
    """Whether every axis ``spec`` reads starts at a dynamic int (no Strided entry)."""
    return all(s.k is not None or s.axis is None for s in walk(spec).steps)


@kernel(static=("spec",), sharding=_sharding.basic_index)
def getitem_basic(value, ints, *, spec):
    return _basic_lax(value, spec, ints)


@kernel(static=("spec",), sharding=_sharding.own)
def setitem_basic(value, ints, update, *, spec):
    if _dynamic(spec):
        return _basic_update(value, spec, ints, update)
    return value.at[build_index(spec, list(ints))].set(update)


@kernel(static=("spec",), sharding=_sharding.advanced_index)
def getitem_advanced(m, value, arrays, *, spec):
    return value[build_index(spec, arrays)]


@kernel(static=("spec",), sharding=_sharding.own)
def setitem_advanced(m, value, arrays, update, *, spec):
    return m.set_at(value, build_index(spec, arrays), update)


def getitem_basic_traced(value, spec, ints):
    return _sharding.call(lambda v: v[build_index(spec, ints)], value,
                          rule=lambda args, kwargs, out: _sharding.basic_index(args, {"spec": spec}, out))


def setitem_basic_traced(value, spec, ints, update):
    if _dynamic(spec):
        # one dynamic_update_slice (static starts), as the kernel, not jax.numpy's scatter: XLA's SPMD partitioner
        # (jax 0.10.2) gives wrong values for chained scatters into an array sharded over a 2-D mesh
        return _sharding.call(lambda v, u: _basic_update(v, spec, ints, u), value, update, rule=_sharding.own)
    return _sharding.call(lambda v, u: v.at[build_index(spec, ints)].set(u), value, update, rule=_sharding.own)



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
        return value[host_index(spec, ints)]
    if isinstance(value, Tracer):
        return getitem_basic_traced(value, spec, ints)
    return getitem_basic(value, np.asarray(ints, np.int64), spec=spec)


def write_view(value, spec, ints, update, in_place=False):
    """``value`` with ``update`` written at a basic spec (or, for a transform, ``value``'s new value when its view
    is ``update``): in place where ``in_place`` (a host value that its root array alone holds, see
    ``_owns``), else a new value. A read-only transform raises, before anything changes."""
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
            out = value if in_place else value.copy()  # _host.written, inline: the hot path of x[i] = v
            out[host_index(spec, ints)] = update if type(update) is HostArray else np.asarray(update)
            return out
        value = _host.to_jax(value)  # a traced update: the caller refuses it (a leak) or is traced itself
    if isinstance(value, Tracer):
        return setitem_basic_traced(value, spec, ints, update)
    return setitem_basic(value, np.asarray(ints, np.int64), update, spec=spec)


def setitem_value(value, dtype, target_shape):
    """Validate the right-hand side of ``x[key] = value`` and return a raw value of ``dtype``."""
    if isinstance(value, _validate.ArrayBase):
        u = value._value if value._base is None else value._data()
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
    value[build_index(spec, arrays)] = update
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


# --- x[key] = value, and the writes through views (the caller holds the root's write lock) -------------------


def setitem(x, key, value):
    """``x[key] = value``: the key and the value are checked before anything is written, so a failed write
    changes nothing; then the new value is stored (``store``)."""
    base = x._base
    # a root's or a fresh view's value read here (a stale view re-reads its parent: Array._data)
    v = x._value if base is None or x._version == base[0]._version else x._data()
    plan = parse_index(key, v.shape, "__setitem__")
    kind = type(plan)
    if kind is Basic:
        spec, ints = plan
        update = setitem_value(value, v.dtype, basic_shape(v.shape, spec))
        if base is not None and type(v) is HostArray and base[1] is base[0] and type(base[2]) is tuple:
            del v  # held once more, _owns would refuse
            if _write_through(x, base[0], spec, ints, update):
                return
            v = x._value if x._version == base[0]._version else x._data()
        owned = base is None and _owns(x, v)  # a statement of its own: see _owns
        new = write_view(v, spec, ints, update, owned)
    elif kind is Advanced:
        spec, arrays = plan
        update = setitem_value(value, v.dtype, None)
        if v.size == 0 or any(getattr(i, "size", 1) == 0 for i in arrays):  # JAX skips its check: nothing
            selected = getitem_advanced.eval_shape(v, arrays, spec=spec).shape
            check_value_shape(update.shape, selected, "the index arrays select")
        owned = base is None and _owns(x, v) and host_indices(arrays)
        if owned:
            new = shape_checked(write_advanced_in_place, v, arrays, update, spec=spec)
        else:
            new = shape_checked(setitem_advanced, v, arrays, update, spec=spec)
    elif kind is PyBool:
        update = setitem_value(value, v.dtype, (1,) + v.shape)
        new = _dispatch.fill(v, update) if plan.value else v
    else:
        update = setitem_value(value, v.dtype, None)
        owned = base is None and _owns(x, v)
        new = boolean_setitem(v, plan.mask, update, owned)
    del v  # a view's cached NumPy view of its root: held only by the view while _owns counts it
    store(x, new)


def store(x, new):
    """Store ``new`` as the whole value of ``x`` (same shape and dtype; the caller holds the root's write lock,
    ``Array._assign`` is this under it): for a view, write it into its parent at the view's index and so on up to
    the root (the loop walks the rare chains that did not compose); then the root's new value and version (a root
    class that stores by its own rule, ``_own_store``: an extras Variable writes into its jax.Ref, stores through
    its ``_assign``), and the views written through keep their new values."""
    updated = []  # (view, its new value), from x up to the root's child
    node, value = x, new
    while node._base is not None:
        _, parent, spec, ints = node._base
        parent_value = parent._value if parent._base is None else parent._data()
        if isinstance(value, Tracer) and not isinstance(parent_value, Tracer):
            raise _leak_error()
        updated.append((node, value))
        if spec:
            owned = parent._base is None and _owns(parent, parent_value, updated)
            value = write_view(parent_value, spec, ints, value, owned)
        node = parent
    if type(node)._own_store:
        node._assign(value)
    else:
        old = node._value
        if isinstance(value, Tracer) and not isinstance(old, Tracer) or type(old) is HostArray and _tracing():
            raise _leak_error()
        del old
        node._value = value
        node._version += 1
        node._pending = None
    for view, value in updated:
        if view._version != -1:
            view._value = value
            view._version = node._version


def _write_through(view, root, spec, ints, update):
    """Write ``update`` at a basic plan of a view of the root into the view's fresh NumPy view of the root's buffer,
    so into the buffer itself, where the root alone holds it (``_owns``, the view's value counted): O(1) whatever
    the view's size. False, nothing written, otherwise (the caller writes the view's new value into its root)."""
    if type(root)._own_store:
        return False
    value = root._value
    cached = view._value
    direct = view._version == root._version and type(cached) is HostArray and (
        cached is value or cached.base is _buffer_owner(value))
    del cached  # held once more, _owns would refuse
    if not (direct and _owns(root, value, ((view, None),))):
        return False
    view._value[host_index(spec, ints)] = update if type(update) is HostArray else np.asarray(update)
    root._version += 1
    view._version = root._version
    return True


def _buffer_owner(value):
    """The array NumPy views of a host value hold as their ``base``: the value, or the buffer of an aligned value
    (``_host.aligned``; NumPy's views point at the array that owns the memory)."""
    return value if value.base is None else value.base


def compute_into(root, other, ufunc, operand, name):
    """``root op= other`` as ``ufunc(value, operand, out=value)`` into the root's own host buffer, as NumPy's
    in-place operators compute: where the root alone holds the buffer (``_owns``) and ``operand(root, value,
    other, name)`` gives the operand with which ``ufunc`` computes exactly the operator's result in the root's
    dtype and shape (None where it does not, see ``_operations.INTO``). A new buffer of the array's size per
    operator would be fresh memory from the system at a new large shape. False, nothing written, otherwise (the
    caller computes a new value, with the checks and errors of every path). The caller holds the root's write
    lock."""
    if root._base is not None or root._pending is not None or type(root)._own_store:
        return False
    value = root._value
    if type(value) is not HostArray:
        return False
    v2 = operand(root, value, other, name)
    if v2 is None:
        return False
    if not _owns(root, value):  # a statement of its own: see _owns
        return False
    _ufunc_into(root, value, ufunc, v2)
    return True


def _ufunc_into(root, value, ufunc, *operands):
    """``ufunc(value, *operands, out=value)``, NumPy's warnings off, as a new version of ``root``, whose host
    ``value`` the caller found it may write (``_owns``)."""
    token = _host.quiet_on()
    try:
        ufunc(value, *operands, out=value)
    finally:
        _host.quiet_off(token)
    root._version += 1


# --- temporaries: ``f(x) + 1`` computes into f(x)'s buffer, as NumPy's operators do ---------------------------


def _temporary_references():
    """What sys.getrefcount(self) gives in an operator method that the interpreter's binary operation calls on a
    temporary (``(a * b) + 1``): the evaluation stack's reference, the method's parameter and getrefcount's
    argument (3 on CPython 3.11-3.13). None where an operand held by a variable has no more (CPython 3.14 lends a
    variable's reference to the stack), or where the caller's instructions do not show: a temporary cannot be told
    apart."""
    class Probe:
        def __mul__(self, other):
            return Probe()

        def __add__(self, other):
            return sys.getrefcount(self), _left_operand_is_an_operations_result(1)

    try:
        variable = Probe()
        (temporary, by_operation), (named, _) = (Probe() * 1) + 1, variable + 1
    except (AttributeError, ValueError):  # pragma: no cover - a Python without getrefcount or frames
        return None
    return temporary if by_operation and temporary < named else None


def _left_operand_is_an_operations_result(depth):
    """Whether the frame ``depth`` levels above the caller is running the interpreter's binary operation on a left
    operand that the binary operation just before made (``(a * b) + c``, ``(x - m) / s.scale``): the instructions
    between them only load the right operand. Not a call (``x.__add__(1)``, ``operator.add``); not an operand that
    a variable, an attribute or an item held, or that C code holds alone (a Cython type's ``self.arr + 1`` inside
    ``obj + 1``: then the operand of the binary operation is ``obj``, loaded from a variable)."""
    frame = sys._getframe(depth + 1)
    key = (frame.f_code, frame.f_lasti)
    known = _ORIGINS.get(key)
    if known is None:
        if len(_ORIGINS) >= 4096:
            _ORIGINS.clear()
        known = _ORIGINS[key] = _made_by_the_operation_before(*key)
    return known


def _made_by_the_operation_before(code, offset):
    instructions = list(dis.get_instructions(code))
    at = next((k for k, instruction in enumerate(instructions) if instruction.offset == offset), None)
    # walking back over the right operand's loads to the instruction that made the left operand; a jump landing
    # anywhere after it (a conditional expression's other branch) may have given the left operand instead
    if at is None or instructions[at].opcode != _BINARY_OP or getattr(instructions[at], "is_jump_target", True):
        return False
    pushed = 0
    for instruction in reversed(instructions[:at]):
        if pushed == 1:
            return instruction.opcode == _BINARY_OP
        if instruction.opcode not in _LOADS or getattr(instruction, "is_jump_target", True):
            return False
        pushed += dis.stack_effect(instruction.opcode, instruction.arg)
    return False


_BINARY_OP = dis.opmap.get("BINARY_OP", -1)
# the instructions that may load a right operand: none can reach the left one, which only the stack holds
_LOADS = {dis.opmap[name] for name in ("LOAD_CONST", "LOAD_FAST", "LOAD_FAST_CHECK", "LOAD_FAST_BORROW", "LOAD_NAME",
                                        "LOAD_GLOBAL", "LOAD_DEREF", "LOAD_ATTR", "LOAD_SMALL_INT")
          if name in dis.opmap}
_ORIGINS: dict = {}  # (code, offset of a binary operation) -> whether its left operand is the operation before's
TEMPORARY_REFERENCES = _temporary_references()
# NumPy's threshold for the same (NPY_MIN_ELIDE_BYTES): below it a new buffer is cheap
TEMPORARY_MIN_BYTES = 1 << 18


def into_temporary(array, other, into, name):
    """``array op other`` into the buffer of ``array``, an operand that only the interpreter's binary operation
    holds (the caller, the operator method, has checked its reference count against ``TEMPORARY_REFERENCES``;
    ``into``: ``_operations.INTO``'s entry):
    ``compute_into`` where the host value is large, nothing else holds it (no weak reference either) and the
    result keeps its dtype and shape. No lock: nothing else can reach the array."""
    # no local holds the value: compute_into counts its holders; a deferred result (a predicate folded into its
    # consumer's kernel) or a view is never one to write
    return (array._pending is None and array._base is None and type(array._value) is HostArray
            and array._value.nbytes >= TEMPORARY_MIN_BYTES and not weakref.getweakrefcount(array)
            and _left_operand_is_an_operations_result(2) and compute_into(array, other, into[0], into[1], name))


def _argument_temporary_references():
    """What sys.getrefcount(x) gives in a function that Python code calls on a temporary (``f(a - b)``): the
    function's parameter and getrefcount's argument (2 on CPython 3.11-3.13, whose call moves the evaluation
    stack's reference into the callee's frame). None unless that is fewer than for an argument that a variable
    holds (``f(a)``) and for one that C code passes (``map(f, ...)``, NumPy's object loops: C keeps a reference of
    its own while it calls), so that the count alone tells a temporary apart."""
    class Probe:
        def __mul__(self, other):
            return Probe()

    def count(x):
        return sys.getrefcount(x)

    try:
        variable = Probe()
        temporary, named = count(Probe() * 1), count(variable)
        through_c = next(map(count, (Probe() * 1 for _ in range(1))))
    except (AttributeError, ValueError):  # pragma: no cover - a Python without getrefcount
        return None
    return temporary if temporary < min(named, through_c) else None


ARGUMENT_TEMPORARY_REFERENCES = _argument_temporary_references()
_REAL_FLOATING = frozenset(map(np.dtype, ("float32", "float64")))


def unary_into_temporary(array, cls, ufunc, engine=None):
    """``ufunc(array)`` into the buffer of ``array``, an argument that only the call of an element-wise function
    holds (the caller, the public function, has checked its reference count against
    ``ARGUMENT_TEMPORARY_REFERENCES``: ``xp.exp(x - m)``), as NumPy's operators reuse a temporary: where it is a
    large real floating host value of ``cls`` that nothing else holds (``_owns``; no weak reference, view, deferred
    computation or default-device override) and ``ufunc`` (``_operations.UNARY_INTO``) computes exactly the
    function's result in its dtype. A new buffer would be fresh memory from the system at a new large shape.
    ``engine``: ``(name, kernel)`` of an operation that ``_host.engine`` may move to XLA; a call of
    ``HOT_MIN_SIZE`` elements or more then goes through it, with NumPy's computation into the buffer (XLA's result
    is a new value). The result array (``array`` itself where the buffer took it), or None, nothing written."""
    if type(array) is not cls:
        return None
    value = array._value  # a small value first: the common case, at the cost of two checks
    if (type(value) is not HostArray or value.nbytes < TEMPORARY_MIN_BYTES or value.dtype not in _REAL_FLOATING
            or cls._own_store or array._pending is not None or array._base is not None
            or _host._DEFAULT_DEVICE.value is not None or weakref.getweakrefcount(array)
            or not _owns(array, value)):
        return None
    if engine is not None and value.size >= _host.HOT_MIN_SIZE:
        def into(v):
            _ufunc_into(array, v, ufunc)
            return v

        out = _host.engine(engine[0], engine[1], into, value)
        return array if out is value else cls._new(out)
    _ufunc_into(array, value, ufunc)
    return array


def _owns(root, value, views=()):
    """Whether the root array's host ``value`` may be written in place (``_host.sole_owner``).

    The caller holds ``value`` in exactly one local and calls this in a statement of its own (an argument list
    being built would hold it once more); the ``views`` being written through hold NumPy views of it in their
    caches. The jax.Array twin of the current version is dropped first: JAX's value of the array before the write
    must not see it, and while a computation still uses that value it holds the buffer, so the write copies.
    Never inside a JAX trace: that write is refused (``store``), and must change nothing."""
    if type(value) is not HostArray or _tracing():
        return False
    root._jax_twin = None
    ours = 2
    for view, _ in views:
        cached = view._value if view._version != -1 else None
        if type(cached) is HostArray and (cached is value or cached.base is _buffer_owner(value)):
            # a NumPy view of the buffer counts once, unless another Array shares that very object (asarray(view,
            # copy=True)): its reference would be missed. Expected: the view's slot, this local, the argument.
            if cached is not value and sys.getrefcount(cached) > 3:
                return False
            ours += 1
        del cached
    return _host.sole_owner(value, ours)


def _tracing():
    """Whether a JAX transformation is tracing: a write into a host value then would happen once, at trace time,
    and never again (the same write on a jax.Array gives a traced value, which the write refuses)."""
    return not _is_top_level()


def _leak_error():
    return TypeError("__setitem__/in-place operator: cannot write a value traced by a JAX transformation "
                     "(jax.jit, grad, vmap) into an array created outside it; pass the array in as an argument "
                     "and return the updated array instead")
