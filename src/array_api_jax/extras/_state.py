"""Variables: ``extras.ndarray``s whose value lives in a ``jax.Ref`` (BrainPy's ``Variable``).

A Variable is state. Its value is the buffer of a ``jax.Ref``, so a function that reads ``v`` and writes
``v.value = ...``, ``v[...] = ...`` or ``v += ...`` updates it on every call, also when that function runs under
plain ``jax.jit``, ``lax.scan``, ``fori_loop``, ``while_loop``, ``cond`` or ``jax.grad`` (JAX threads the Ref's
value through the compiled code and writes it back). Shape and dtype are fixed (except the batch axis's length,
eagerly, as in BrainPy): a write that would change them raises ``MathError`` and changes nothing. A 64-bit value
is written as its 32-bit counterpart into a Variable of that dtype while extras' defaults are 32-bit
(``_ndarray.narrowed``: BrainPy's 32-bit JAX does that to every value before it reaches the Variable).

* eager reads take the Ref's buffer (no JAX call); eager writes copy the new value into a buffer of the
  Variable's own (the Ref donates its buffer to compiled code that writes it, so it must never share one with
  another array), under the Variable's lock.
* frames: ``extras.jit`` and the grad family push a *frame* (Variable -> a Ref created inside their trace from
  the value passed in). A Variable read or written inside reads that Ref instead of its own, so the compiled
  function is a pure function of the state values (JAX's fast C++ dispatch; see ``_transforms``). A frame that
  must know every Variable used (``extras.jit``) raises ``MissingState`` for one it has not seen: the caller adds
  it and traces again.
* guards: the written value passes through ``_write_guard_p``, an identity primitive whose rules refuse what
  would be silently wrong: a per-lane value written under ``jax.vmap`` and a write inside a differentiated
  ``jax.checkpoint`` (its replay would write twice). Writes inside ``shard_map`` are refused in Python.
"""

import itertools
import threading

import jax
import numpy as np
from jax.extend.core import Primitive
from jax.interpreters import ad, batching, mlir
from jax.interpreters import partial_eval as pe

from .. import _jax_private
from .._array import Array
from ._namespace import NAMESPACE
from ._ndarray import Tracer, check_dtype, dtype_arg, foreign_narrowed, host_array, narrowed, ndarray, to_raw
from . import _ref_calls
from ._random_state import MissingState, RandomStateError, _top_level


class MathError(ValueError, TypeError):
    """A write that would change a Variable's shape or dtype (BrainPy's ``MathError``); nothing was changed."""


VMAP_MSG = ("a value that differs between jax.vmap lanes cannot be written into a Variable (the Variable is one "
            "value shared by all lanes). Return the per-lane values from the vmapped function and write them "
            "afterwards, or make the Variable batched (one row per lane) and write v[i] from the loop of "
            "extras.for_loop instead of jax.vmap.")
CHECKPOINT_MSG = ("a Variable written inside a differentiated jax.checkpoint/jax.remat would be written twice "
                  "(the backward pass replays the checkpointed function), so it is refused. Return the new value "
                  "from the checkpointed function and write it outside.")
SHARD_MSG = ("a Variable cannot be written inside shard_map/pmap: it is one value that every shard would write. "
             "Return the per-shard values and write them outside, or use jax.jit with sharded inputs (Variables "
             "holding sharded values work there).")


# --- the write guard -------------------------------------------------------------------------------------------

_write_guard_p = Primitive("array_api_jax_variable_write")
_write_guard_p.def_impl(lambda value: value)
_write_guard_p.def_abstract_eval(lambda aval: aval)
mlir.register_lowering(_write_guard_p, mlir.lower_fun(lambda value: value, multiple_results=False))


def _guard_batch(axis_data, vals, dims):
    if dims[0] is not None:
        raise RandomStateError(VMAP_MSG)
    return _write_guard_p.bind(vals[0]), None


def _guard_partial_eval(saveable, unks_in, inst_in, eqn):
    raise RandomStateError(CHECKPOINT_MSG)  # only reached when a checkpointed function is differentiated


batching.fancy_primitive_batchers[_write_guard_p] = _guard_batch
ad.primitive_jvps[_write_guard_p] = lambda primals, tangents: (_write_guard_p.bind(primals[0]), tangents[0])
pe.partial_eval_jaxpr_custom_rules[_write_guard_p] = _guard_partial_eval


# --- frames ----------------------------------------------------------------------------------------------------

_FRAMES = threading.local()


def frames():
    stack = getattr(_FRAMES, "stack", None)
    if stack is None:
        stack = _FRAMES.stack = []
    return stack


def _copier(sharding):
    """A compiled identity: a new buffer with ``sharding`` (jit outputs never alias their inputs)."""
    fn = _COPIERS.get(sharding)
    if fn is None:
        fn = _COPIERS[sharding] = jax.jit(lambda x: x, out_shardings=sharding)
    return fn


_COPIERS = {}
_ref_calls.install(lambda buf: _copier(buf.sharding)(buf))
_VERSIONS = itertools.count(1)
_SCALAR_KINDS = {bool: "b", int: "biuf", float: "fc", complex: "c"}


# --- Variable --------------------------------------------------------------------------------------------------


class Variable(ndarray):
    """An ndarray whose value is state kept in a ``jax.Ref`` (BrainPy's ``bm.Variable``).

    ``Variable(value)`` or ``Variable(shape_or_size, dtype)`` (zeros). ``v.value`` is the current value (a jax
    array); ``v.value = new``, ``v.update(new)``, ``v[...] = new`` and in-place operators write it. Writes must
    keep the shape and dtype (``MathError`` otherwise). Writes inside ``jax.jit``, ``extras.jit``, loops and
    ``cond`` persist across calls. Operations on a Variable return plain ndarrays; basic indexing gives views
    that write through. ``batch_axis`` and ``axis_names`` are recorded (``batch_size``) as in BrainPy.
    """

    __slots__ = ("_ref", "_state_lock", "_local", "_batch_axis", "axis_names")  # Array has __weakref__
    __hash__ = object.__hash__  # identity: Variables are keys of frames (== stays element-wise)

    def __init__(self, value_or_size, dtype=None, batch_axis=None, *, axis_names=None):
        func = type(self).__name__
        if isinstance(value_or_size, (int, np.integer)) and not isinstance(value_or_size, bool):
            value_or_size = (int(value_or_size),)
        if type(value_or_size) in (tuple, list) and all(isinstance(s, (int, np.integer)) for s in value_or_size):
            raw = NAMESPACE["zeros"](tuple(value_or_size), dtype=dtype)._data()  # the extras default dtype
        else:
            raw = to_raw(value_or_size if dtype is not None else foreign_narrowed(value_or_size), func)
            if type(raw) in (bool, int, float, complex):
                raw = host_array(raw, func)
            if dtype is not None:
                raw = jax.numpy.asarray(raw, dtype_arg(dtype, func))
        check_dtype(np.dtype(raw.dtype), func)
        if batch_axis is not None and not -np.ndim(raw) <= batch_axis < max(np.ndim(raw), 1):
            raise MathError(f"{func}: the value has {np.ndim(raw)} dimensions, so batch_axis={batch_axis} is out "
                            "of range")
        self._base = None
        self._pending = None
        self._state_lock = _ref_calls.new_lock()
        self._batch_axis = batch_axis
        self.axis_names = None if axis_names is None else tuple(axis_names)
        self._local = isinstance(raw, Tracer) or not _top_level()
        if self._local:  # created inside a transformation: the Ref lives in that trace only
            self._ref = jax.new_ref(jax.numpy.asarray(raw))
        else:
            raw = jax.numpy.asarray(raw)
            self._ref = _ref_calls.register(jax.new_ref(_copier(raw.sharding)(raw)), self._state_lock)

    @classmethod
    def _new(cls, value):
        return ndarray._new(value)  # results of operations (and pytree round trips) are plain ndarrays

    # --- the state ---------------------------------------------------------------------------------------

    def _ref_now(self):
        stack = getattr(_FRAMES, "stack", None)
        if stack and not self._local:
            for refs, complete in reversed(stack):
                ref = refs.get(self)
                if ref is not None:
                    return ref
                if complete:
                    raise MissingState(self)
        return self._ref

    @property
    def _value(self):
        ref = self._ref_now()
        if ref is self._ref and not self._local and _top_level():
            with self._state_lock:  # not while a compiled call is writing it (see _ref_calls)
                return _jax_private.ref_buffer(ref)
        return ref[...]

    @_value.setter
    def _value(self, new):
        raise AttributeError("Variable: write through v.value = ... (the state lives in a jax.Ref)")

    @property
    def _version(self):
        return next(_VERSIONS)  # the value may change without Python seeing it (compiled code): views re-read

    @_version.setter
    def _version(self, v):
        pass

    _own_store = True  # every write, a view's included, ends in _assign (_indexing.store)

    def _assign(self, new):
        self._write(new, "__setitem__")

    def _write(self, new, func):
        ref = self._ref_now()
        new = self._checked(new, func)
        eager = ref is self._ref and not self._local and _top_level()
        if self._batch_axis is not None and np.shape(new) != self._ref.aval.inner_aval.shape:  # a new batch size
            if not eager:
                raise MathError(f"{func}: the batch size of a Variable (batch_axis={self._batch_axis}) can change "
                                f"only outside compiled code and transformations; got shape {np.shape(new)} for "
                                f"{self._ref.aval.inner_aval.shape}. Change it before calling the compiled function")
            self._rebatch(new, func)
            return
        if eager:
            if isinstance(new, Tracer):
                raise TypeError(f"{func}: cannot write a value traced by a JAX transformation into a Variable from "
                                "outside that transformation (the tracer leaked out of jax.jit/grad/vmap)")
            with self._state_lock:
                buf = _jax_private.ref_buffer(ref)
                if new is not buf:
                    _jax_private.set_ref_buffer(ref, _copier(buf.sharding)(new))
            return
        if jax.sharding.get_abstract_mesh().manual_axes:
            raise RandomStateError(f"{func}: {SHARD_MSG}")
        ref[...] = _write_guard_p.bind(jax.numpy.asarray(new))

    def _checked(self, new, func):
        """``new`` as a raw value of the Variable's dtype and shape (the batch axis's length may differ);
        MathError (nothing written) otherwise."""
        aval = self._ref.aval.inner_aval
        if isinstance(new, Array):
            new = new._data()
        if type(new) in _SCALAR_KINDS:
            if aval.dtype.kind not in _SCALAR_KINDS[type(new)] or aval.shape != ():
                raise MathError(f"{func}: cannot write the Python {type(new).__name__} {new!r} into a Variable "
                                f"of shape {aval.shape} and dtype {aval.dtype}")
            return np.asarray(new, aval.dtype)
        if type(new) in (list, tuple):
            new = host_array(new, func)
        shape, dtype = np.shape(new), getattr(new, "dtype", None)
        if shape != aval.shape and self._without_batch(shape) != self._without_batch(aval.shape):
            batch = "" if self._batch_axis is None else f" but the length of batch_axis={self._batch_axis}"
            raise MathError(f"{func}: the Variable's shape is {aval.shape}, got a value of shape {shape} (a "
                            f"Variable's shape is fixed{batch}; create a new Variable for another shape)")
        if dtype != aval.dtype:
            if dtype is None or narrowed(dtype) != aval.dtype:
                raise MathError(f"{func}: the Variable's dtype is {aval.dtype}, got a value of dtype {dtype} (a "
                                "Variable's dtype is fixed; cast the value with .astype(v.dtype))")
            new = (new.astype(aval.dtype) if isinstance(new, (np.ndarray, np.generic))
                   else jax.lax.convert_element_type(new, aval.dtype))
        return new

    def _without_batch(self, shape):
        if self._batch_axis is None or len(shape) != len(self._ref.aval.inner_aval.shape):
            return shape
        axis = self._batch_axis % len(shape)
        return shape[:axis] + shape[axis + 1:]

    def _rebatch(self, new, func):
        """Eagerly give the Variable a value with another batch size: a new Ref (a Ref's shape is fixed). The old
        Ref's buffer is deleted, so a plain ``jax.jit`` function traced before (it holds the old Ref) raises
        instead of silently updating the old state; ``extras.jit`` functions retrace for the new shape."""
        if isinstance(new, Tracer):
            raise TypeError(f"{func}: cannot write a value traced by a JAX transformation into a Variable from "
                            "outside that transformation (the tracer leaked out of jax.jit/grad/vmap)")
        new = jax.numpy.asarray(new)
        with self._state_lock:
            old = self._ref
            self._ref = _ref_calls.register(jax.new_ref(_copier(new.sharding)(new)), self._state_lock)
            dead = _copier(new.sharding)(_jax_private.ref_buffer(old))
            _jax_private.set_ref_buffer(old, dead)
            dead.delete()

    # --- BrainPy's interface ------------------------------------------------------------------------------

    @property
    def value(self):
        """The current value (a jax array; a tracer inside a transformation)."""
        return self._data()

    @value.setter
    def value(self, new):
        self._write(new, "value")

    def update(self, value):
        """Write ``value`` (same shape and dtype): ``v.update(x)`` is ``v.value = x``."""
        self._write(value, "update")

    @property
    def batch_axis(self):
        """The batch axis given at creation (None: not batched)."""
        return self._batch_axis

    @property
    def batch_size(self):
        """The length of the batch axis (None when there is none)."""
        return None if self._batch_axis is None else self.shape[self._batch_axis]

    @property
    def size_without_batch(self):
        """The shape without the batch axis (BrainPy's name; also ``varshape``)."""
        return self._without_batch(self.shape)

    varshape = size_without_batch

    def __repr__(self):
        v = self._data()
        name = type(self).__name__
        if isinstance(v, Tracer):
            return f"{name}(traced {v.aval.str_short()})"
        body = np.array2string(np.asarray(v), separator=", ", prefix=f"{name}(")
        return f"{name}({body}, dtype={v.dtype})"

    def __copy__(self):
        return type(self)(self._data(), batch_axis=self._batch_axis, axis_names=self.axis_names)

    def __deepcopy__(self, memo):
        return self.__copy__()

    def __reduce__(self):
        return (_rebuild_variable, (type(self), np.asarray(self._data()), self._batch_axis, self.axis_names))


def _rebuild_variable(cls, data, batch_axis, axis_names):
    if not (isinstance(cls, type) and issubclass(cls, Variable)) or not isinstance(data, np.ndarray):
        raise TypeError("cannot unpickle a Variable from anything but a Variable class and a NumPy array")
    return cls(data, batch_axis=batch_axis, axis_names=axis_names)


class TrainVar(Variable):
    """A trainable Variable (BrainPy's ``bm.TrainVar``): what ``grad(..., grad_vars=...)`` differentiates."""

    __slots__ = ()


class Parameter(Variable):
    """A Variable holding a parameter (BrainPy's ``bm.Parameter``; not trained unless given in ``grad_vars``)."""

    __slots__ = ()


def VariableView(value, index):  # noqa: N802 - BrainPy's class name
    """``value[index]`` for a basic index: a view of the Variable that reads and writes through to it (BrainPy's
    ``bm.VariableView``; here a view ndarray, not a Variable subclass). Other indices raise TypeError: write with
    ``v[index] = ...`` instead."""
    if not isinstance(value, Variable):
        raise ValueError(f"VariableView: value must be a Variable, got {type(value).__name__}")
    view = value[index]
    if view._base is None:
        raise TypeError(f"VariableView: the index {index!r} selects a copy (advanced indexing), not a view; write "
                        "through it with v[index] = ... instead")
    return view


class VarList(list):
    """A list of Variables (BrainPy's ``bm.VarList``): ``l[i] = value`` writes into the Variable at ``i``."""

    def __init__(self, seq=()):
        super().__init__()
        self.extend(seq)

    def append(self, element):
        if not isinstance(element, Variable):
            raise TypeError(f"VarList.append: elements must be Variables, got {type(element).__name__}")
        super().append(element)
        return self

    def extend(self, iterable):
        for element in iterable:
            self.append(element)
        return self

    def __setitem__(self, key, value):
        if isinstance(key, (int, np.integer)):
            self[key].value = value
        else:
            values = list(value)
            if not all(isinstance(v, Variable) for v in values):
                raise TypeError("VarList.__setitem__: a slice can only be replaced by Variables")
            super().__setitem__(key, values)


class VarDict(dict):
    """A dict of Variables (BrainPy's ``bm.VarDict``): ``d[k] = value`` writes into an existing Variable."""

    def __init__(self, *args, **kwargs):
        super().__init__()
        self.update(*args, **kwargs)

    def update(self, *args, **kwargs):
        for arg in args:
            items = arg.items() if isinstance(arg, dict) else [arg] if isinstance(arg, tuple) else arg
            for k, v in items:
                self[k] = v
        for k, v in kwargs.items():
            self[k] = v
        return self

    def __setitem__(self, key, value):
        if key in self:
            self[key].value = value
        elif isinstance(value, Variable):
            super().__setitem__(key, value)
        else:
            raise TypeError(f"VarDict: values must be Variables, got {type(value).__name__} for key {key!r}")


# A VarList/VarDict is a pytree of its Variables' values; it unflattens into a plain list/dict (the leaves are
# values then, not Variables).
# (jax's annotation wants the class back: the ignores say a plain list/dict is meant)
jax.tree_util.register_pytree_node(VarList, lambda x: (tuple(x), None),
                                   lambda aux, ch: list(ch))  # type: ignore[arg-type, return-value]
jax.tree_util.register_pytree_node(VarDict, lambda x: (tuple(x.values()), tuple(x.keys())),
                                   lambda keys, ch: dict(zip(keys, ch)))  # type: ignore[arg-type, return-value]

var_list, var_dict = VarList, VarDict
__all__ = ["Variable", "TrainVar", "Parameter", "VariableView", "VarList", "VarDict", "var_list", "var_dict",
           "MathError"]
