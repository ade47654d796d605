"""The Array object: one raw value (a jax.Array, a tracer or a NumPy host value), mutable in place, with views.

State (four slots, and ``_write_lock``, ``_jax_twin`` and ``__weakref__``, see ``Array.__slots__``):
  ``_value``    the raw value (for a view: the value last read from its parent); unset while deferred
  ``_version``  for a root: bumped on every write; for a view: the root's version when ``_value`` was read
                (-1 for a view that keeps no value: one that only adds axes, re-read each time)
  ``_base``     None for a root; ``(root, parent, spec, ints)`` for a view: the basic plan (see ``_index_plan``)
                that selects it from ``parent``, which is the root unless the view's key did not compose with its
                parent's (``_index_plan.compose``); or a transform of ``_index_plan`` and None, made by ``_view``
  ``_pending``  None, or ``(func, values)`` for a deferred predicate: the result of ``func`` (a comparison or
                an is* test, see ``_elementwise``) on the raw ``values``, not computed yet. ``where`` and the
                reductions fold it into their own kernel; any other use of ``_value`` computes it (__getattr__).

A view re-reads its parent lazily when the root's version moved; a write through a view writes the updated
view value back into its parent at the view's index, up to the root (``_indexing``, which runs every write after
``__setitem__`` or ``_assign`` took the lock). A view of a view composes its index with its parent's, so both are
one indexing operation on the root at any depth (loops walk the rare chains that did not compose). Every write
holds the root's lock from reading the old value to storing the new one, so concurrent writes are never lost.
Everything is validated first, so a failed mutation changes nothing.

Operators are declared in the class body, one line per row of the operator table (``_operations.OPERATORS``),
whose raw-value layer (checked function, kernel, in-place kernel) they call; reflected and in-place forms are
derived, not pasted.
"""

from __future__ import annotations

import sys
import threading
import weakref
from collections.abc import Iterator
from types import ModuleType
from typing import Any, Self, TypeAlias, TypeVar

import numpy as np

import jax

from . import (_dispatch, _dtypes, _host, _index_plan, _indexing, _jax_private, _operations, _surface, _validate,
               _versions)
from ._dispatch import Tracer
from ._host import HostArray
from ._index_plan import Advanced, Basic, Permute, Reshape
from ._operations import COMBINING, combine, compare

_DEFAULT_DEVICE = _jax_private.DEFAULT_DEVICE  # jax.default_device's override (``.value``), read by ``_new``

# A raw value: a jax.Array, a tracer or a host NumPy array (docs/design.md). Any: the three share NumPy's array
# interface but no static type, and a union would need a narrowing at every read.
RawValue: TypeAlias = Any
_A = TypeVar("_A", bound="Array")  # the class asked of _index and _view

_JAX_VALUE_MSG = ("an array_api_jax Array was given to JAX where JAX needs one of its own values (e.g. returned from "
                  "a function differentiated by jax.grad, or passed to a jax.lax function), and JAX no longer "
                  "converts such objects there. Return or pass jnp.asarray(x) (the Array's jax value, no copy) "
                  "instead, or differentiate with array_api_jax.extras.grad, which takes and returns Arrays.")


_SCALARS = (bool, int, float, complex)

_SPEC_PAGE = "https://data-apis.org/array-api/2025.12/API_specification/generated/array_api.array.__{}__.html"


def _matmul_operand(other, func):
    """The other operand of ``@``: NotImplemented for an object that handles it; TypeError otherwise (a Python
    scalar included: ``@`` takes arrays only)."""
    if type(other) in _SCALARS or _validate.plain_scalar(other) is not other:
        raise TypeError(f"{func}: @ takes no Python scalars (use * for a scalar), got {type(other).__name__}")
    return _validate.operator_operand(other, func)


def _operators(stem):
    """The operators of one row of ``_operations.OPERATORS``: ``(__stem__, __rstem__, __istem__)`` for a binary
    operator, the one operator for a comparison or a unary operator.

    Every form calls the function's raw-value layer: an in-place form uses the function's in-place kernel, which
    refuses a result of another dtype (TypeError) or shape (ValueError) than the array's, the same rule for every
    operator. Deferred predicates (comparisons, and ``&``, ``|``, ``^``, ``~`` of them) stay deferred for strict
    Arrays, as the functions' results do.
    """
    name, forms = _operations.OPERATORS[stem]
    op = _operations.BY_NAME[name]
    raw = op.raw
    page = _SPEC_PAGE.format(stem)
    combining = name in COMBINING

    def named(f, dunder, doc):
        f.__name__ = dunder
        f.__qualname__ = f"Array.{dunder}"
        f.__doc__ = f"Array.{dunder}{doc}, see {page}"
        return f

    if forms == "unary":
        def unary(self, /):
            if combining and type(self) is Array and self._pending is not None:
                out = combine(Array, op, (self,))
                if out is not None:
                    return out
            return type(self)._new(raw(self))
        return named(unary, f"__{stem}__", f"(): xp.{name}(self)")

    # matmul takes no Python scalars: every operand that is not an Array goes to _matmul_operand
    scalars, operand = ((), _matmul_operand) if name == "matmul" else (_SCALARS, _validate.operator_operand)
    dunder, rdunder, idunder = f"__{stem}__", f"__r{stem}__", f"__i{stem}__"

    if forms == "comparison":
        def comparison(self, other, /):
            if not isinstance(other, Array) and type(other) not in scalars:
                other = operand(other, dunder)
                if other is NotImplemented:
                    return NotImplemented
            if type(self) is Array:
                return compare(Array, op, self, other)
            return type(self)._new(raw(self, other))
        return named(comparison, dunder, f"(other): xp.{name}(self, other)")

    into = _operations.INTO.get(name)  # (ufunc, operand rule): computed into the buffer where the array alone holds it
    temporary_references = _indexing.TEMPORARY_REFERENCES if into is not None else None

    def forward(self, other, /):
        if not isinstance(other, Array) and type(other) not in scalars:
            other = operand(other, dunder)
            if other is NotImplemented:
                return NotImplemented
        if (temporary_references is not None and sys.getrefcount(self) == temporary_references
                and type(self) is Array and _indexing.into_temporary(self, other, into, name)):
            return self  # a temporary (``a * b + 1``): its buffer holds the result, as NumPy's operators do
        if (combining and type(self) is Array and type(other) is Array
                and (self._pending is not None or other._pending is not None)):
            out = combine(Array, op, (self, other))
            if out is not None:
                return out
        return type(self)._new(raw(self, other))

    def reflected(self, other, /):
        if type(other) not in scalars and not isinstance(other, Array):
            other = operand(other, rdunder)
            if other is NotImplemented:
                return NotImplemented
        return type(self)._new(raw(other, self))

    in_place_kernel, in_place_host = op.in_place  # type: ignore[misc]  # set for every binary operator

    def in_place(self, other, /):
        if not isinstance(other, Array) and type(other) not in scalars:
            other = operand(other, idunder)
            if other is NotImplemented:
                return NotImplemented
        with self._lock():  # read, compute and store as one step for concurrent writers
            if into is None or not _indexing.compute_into(self, other, *into, name):
                self._assign(raw(self, other, in_place_kernel, in_place_host))
        return self

    return (named(forward, dunder, f"(other): xp.{name}(self, other)"),
            named(reflected, rdunder, f"(other): xp.{name}(other, self)"),
            named(in_place, idunder, f"(other): self = xp.{name}(self, other) in place; the result must keep "
                                     "self's dtype (TypeError) and shape (ValueError)"))


class Array(_validate.ArrayBase):
    """An array of the Array API standard over one raw value: a ``jax.Array``, a tracer or a host value."""

    __slots__ = ("_value", "_version", "_base", "_pending", "_write_lock", "_jax_twin", "__weakref__")
    _value: RawValue
    _version: int
    _base: tuple[Array, Array, Any, tuple[Any, ...] | None] | None  # (root, parent, spec, ints)
    _pending: tuple[Any, tuple[RawValue, ...]] | None  # (func, values)
    _write_lock: threading.RLock  # set on the first write
    _jax_twin: tuple[int, RawValue] | None  # (version, jax.Array) of a root host value passed to JAX

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Refused: arrays come from the creation functions (``xp.asarray``, ``xp.zeros``, ...)."""
        raise TypeError("Array objects cannot be created directly; use array_api_jax.asarray (or another "
                        "creation function)")

    @classmethod
    def _new(cls, value: RawValue) -> Self:
        if type(value) is HostArray and _DEFAULT_DEVICE.value is not None:  # see _host.under_override
            value = _host.under_override(value)
        obj = object.__new__(cls)
        obj._value = value
        obj._version = 0
        obj._base = None
        obj._pending = None
        obj._jax_twin = None
        return obj

    @classmethod
    def _borrowing(cls, memory: HostArray) -> Self:
        """A root array over NumPy ``memory`` that someone else may still write (see ``_host.borrow``)."""
        value = _host.borrow(memory)
        obj = cls._new(value)
        if obj._value is value:  # not moved to another device (see _new)
            value.base.root = weakref.ref(obj)
        return obj

    def _own_memory(self, value: HostArray) -> HostArray:
        """This root's value in memory of its own, for JAX or XLA to read: a copy (in aligned memory) of ``value``,
        its current value, when that is borrowed (``_host.borrow``), stored under the write lock with a new version
        (the views re-read it); otherwise its current value."""
        with self._lock():
            v = self._value
            if v is value and _host.foreign(v) and not type(self)._own_store:
                self._value = v = _host.aligned_copy(v)
                self._version += 1
            return v

    @classmethod
    def _deferred(cls, func: Any, values: tuple[RawValue, ...]) -> Self:
        """An array whose value is ``func._kernel(*values)``, computed on first use (``_value`` stays unset), or
        now under a default-device override (which names the device to compute on)."""
        if _DEFAULT_DEVICE.value is not None:
            return cls._new(func._kernel(*values))
        obj = object.__new__(cls)
        obj._version = 0
        obj._base = None
        obj._pending = (func, values)
        obj._jax_twin = None
        return obj

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Register each subclass (``extras.ndarray``, ...) as a JAX pytree, as ``Array`` is."""
        super().__init_subclass__(**kwargs)
        _register_pytree(cls)

    # --- state --------------------------------------------------------------------------------------------

    # A view's parent is the root, or, where indices did not compose, a chain up to the root; the walks up it
    # (_data below, _indexing.store for writes) are loops, so a chain of any depth works. A view whose
    # key selects everything shares its parent's buffer: with the empty spec (x[...], x[:], x[::1] on 1-D) it
    # holds the parent's value itself; with only new axes (x[None]) it keeps no value (version -1) and reshapes
    # the parent's on each read, since XLA would copy the buffer for a cached reshape.
    # Readers take no lock: the root's value is replaced whole (value first, then version), and a reader reads
    # the version first, so a view never caches an older value under a newer version.

    def _data(self) -> RawValue:
        base = self._base
        if base is None:
            return self._value
        root = base[0]
        version = root._version
        if self._version == version:
            return self._value
        stale = []  # (view, its base)
        node = self
        while node._base is not None and node._version != version:
            stale.append((node, node._base))
            node = node._base[1]
        value = node._value
        for view, (_, _, spec, ints) in reversed(stale):
            if spec:
                value = _indexing.read_view(value, spec, ints)
                if view._version == -1:  # new axes only: not kept
                    continue
            view._value = value
            view._version = version
        return value

    def _lock(self) -> threading.RLock:
        """The lock of this array's root: every write (setitem, in-place operator, a write through a view)
        holds it from reading the old value to storing the new one, so concurrent writes are never lost."""
        root = self if self._base is None else self._base[0]
        try:
            return root._write_lock
        except AttributeError:
            with _LOCKS_LOCK:
                try:
                    return root._write_lock
                except AttributeError:
                    root._write_lock = lock = threading.RLock()
                    return lock

    _own_store = False  # True for a root class whose _assign stores by its own rule (extras' Variable: a jax.Ref)

    def _assign(self, new: RawValue) -> None:
        """Replace the whole value (same shape and dtype) under the root's write lock; a view's write reaches its
        parents, up to the root (``_indexing.store``)."""
        with self._lock():
            _indexing.store(self, new)

    # --- attributes ---------------------------------------------------------------------------------------

    @property
    def dtype(self) -> _dtypes.DType:
        """Data type of the array elements (one of the standard's dtype objects, e.g. ``xp.float64``)."""
        return _dtypes.PUBLIC[self._data().dtype]

    @property
    def device(self) -> Any:
        """The device the array lives on: a jax Device, or the jax Sharding of a multi-device array."""
        v = self._data()
        if isinstance(v, Tracer):
            return _traced_device()
        return _dispatch.device_of(v)

    @property
    def shape(self) -> tuple[int, ...]:
        """Array dimensions, a tuple of ints."""
        return self._data().shape

    @property
    def ndim(self) -> int:
        """Number of array dimensions."""
        return self._data().ndim

    @property
    def size(self) -> int:
        """Number of elements."""
        return self._data().size

    @property
    def T(self) -> Self:
        """Transpose of a two-dimensional array: a view (writes through it reach x, as in NumPy)."""
        if self.ndim != 2:
            raise ValueError(f"T: x must be two-dimensional (use mT or permute_dims), got {self.ndim} dimensions")
        return self._view(_index_plan.matrix_transposition(2), type(self))

    @property
    def mT(self) -> Self:
        """Transpose of a matrix (or a stack of matrices): a view (writes through it reach x, as in NumPy)."""
        if self.ndim < 2:
            raise ValueError(f"mT: x must have at least two dimensions, got {self.ndim}")
        return self._view(_index_plan.matrix_transposition(self.ndim), type(self))

    def _view(self, spec: Permute | Reshape, cls: type[_A]) -> _A:
        """A ``cls`` view of this array by a checked transform ``spec`` (``_indexing`` reads and writes through it)."""
        base = self._base
        root = self if base is None else base[0]
        version = root._version  # read before the value, as in __getitem__
        obj = cls._new(_indexing.read_view(self._data(), spec, None))
        obj._version = version
        parent = self
        if base is not None and type(base[2]) is type(spec) is Reshape:  # trivial compositions: one link, not two
            parent = base[1]
        elif base is not None and type(base[2]) is type(spec) is Permute:
            parent, spec = base[1], Permute(tuple(base[2].axes[a] for a in spec.axes))
        obj._base = (root, parent, spec, None)
        return obj

    def block_until_ready(self) -> Self:
        """Wait until the array's value has been computed; return self (the JAX convention)."""
        v = self._value if self._base is None else self._data()
        try:
            v.block_until_ready()
        except AttributeError:  # a traced or host value has nothing to wait for
            pass
        return self

    # --- indexing -----------------------------------------------------------------------------------------

    def __getitem__(self, key: Any, /) -> Self:
        return self._index(key, type(self))

    def _index(self, key: Any, cls: type[_A], plan: Any = None) -> _A:
        """``self[key]`` as a ``cls`` (functions that return basic views: strict Arrays, and ``key``'s plan)."""
        base = self._base
        root = self if base is None else base[0]
        version = root._version  # read before the value: a concurrent write makes the view re-read, not go stale
        v = self._data()
        plan = plan or _indexing.parse_index(key, v.shape)  # plans are never-empty NamedTuples
        if type(plan) is Basic:  # a view, also under tracing (writes through it reach the parent there too)
            parent, (spec, ints) = self, plan
            if base is not None and type(base[2]) is tuple:  # a view of a view: one index on this view's parent,
                composed = _index_plan.compose(base[1].shape, base[2], base[3], spec, ints)
                if composed is not None:  # where they compose (a transform's view is never composed)
                    parent, (spec, ints) = base[1], composed
            if spec and all(e is None for e in spec):  # new axes only: shares the parent's buffer, kept by no value
                obj = cls._new(None)
                obj._version = -1
            else:  # an empty spec selects everything: the same value
                obj = cls._new(_indexing.read_view(v, plan.spec, plan.ints) if plan.spec else v)
                obj._version = version
            obj._base = (root, parent, spec, ints)
            return obj
        if type(plan) is Advanced:
            return cls._new(_indexing.getitem_advanced(v, plan.arrays, spec=plan.spec))
        return cls._new(_indexing.boolean_getitem(v, plan))

    def __setitem__(self, key: Any, value: Any, /) -> None:
        """``x[key] = value`` in place, under the root's write lock; views of ``x`` see the write. ``value``: an
        array whose dtype promotes to x's without changing it, or a Python scalar of a fitting kind."""
        with self._lock():
            _indexing.setitem(self, key, value)

    def __iter__(self) -> Iterator[Self]:
        """The elements of a 1-D array, as 0-D arrays (TypeError for other dimensions: use unstack)."""
        if self.ndim != 1:
            raise TypeError(f"__iter__: only 1-D arrays can be iterated over (got {self.ndim} dimensions); "
                            "index explicitly or use unstack")
        return (self[i] for i in range(self.shape[0]))

    # --- conversion ---------------------------------------------------------------------------------------

    def _scalar(self, func: str) -> Any:
        v = self._data()
        if v.ndim != 0:
            raise TypeError(f"{func}: only 0-dimensional arrays can be converted to Python scalars "
                            f"(got shape {v.shape})")
        if isinstance(v, Tracer):
            raise TypeError(f"{func}: an array traced by a JAX transformation (jax.jit, vmap, grad) has no "
                            "concrete value; use xp.where or lax.cond instead of Python control flow")
        return _dispatch.to_numpy(v, func)[()]

    def __bool__(self, /) -> bool:
        """``bool(x)`` of a 0-D array (TypeError for other shapes, and for a value traced by JAX)."""
        s = self._scalar("__bool__")
        return bool(s)

    def __int__(self, /) -> int:
        """``int(x)`` of a 0-D real array: NaN raises ValueError, an infinity OverflowError."""
        if self._data().dtype in _dtypes.COMPLEX_FLOATING:
            raise TypeError("__int__: cannot convert a complex array to int")
        s = self._scalar("__int__")
        try:
            return int(s)
        except (ValueError, OverflowError) as e:  # NaN: ValueError, infinities: OverflowError (the standard's)
            raise type(e)(f"__int__: x is {s}: {e}") from None

    def __float__(self, /) -> float:
        """``float(x)`` of a 0-D real array (TypeError for a complex one: use xp.real first)."""
        if self._data().dtype in _dtypes.COMPLEX_FLOATING:
            raise TypeError("__float__: cannot convert a complex array to float; use xp.real first")
        return float(self._scalar("__float__"))

    def __complex__(self, /) -> complex:
        """``complex(x)`` of a 0-D array."""
        return complex(self._scalar("__complex__"))

    def __index__(self, /) -> int:
        """``operator.index(x)`` of a 0-D integer array, so it can be a Python index."""
        if self._data().dtype not in _dtypes.INTEGER:
            raise TypeError(f"__index__: only integer arrays can be used as an index, got dtype {self.dtype}")
        return int(self._scalar("__index__"))

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """``numpy.asarray(x)``: a new, writeable NumPy array (``copy=False`` raises ValueError)."""
        if copy is False:
            raise ValueError("__array__: a writeable NumPy array of a JAX array always needs a copy; "
                             "pass copy=None or copy=True")
        v = self._data()
        if isinstance(v, Tracer):
            raise TypeError("__array__: an array traced by a JAX transformation cannot be converted to NumPy")
        return _dispatch.to_numpy(v, "__array__", dtype=dtype, copy=True)

    @property
    def __jax_array__(self) -> Any:
        """The wrapped jax value: ``jnp.asarray(x)`` unwraps without a copy, also under tracing."""
        if _jax_private.called_by_typeof(sys._getframe(1).f_code):
            # JAX asks for the type of an Array where it needs a JAX value (the output of a function under
            # jax.grad, an operand of a lax primitive) and no longer converts it; say what to do instead.
            raise ValueError(_JAX_VALUE_MSG)
        if type(self) is Array:  # jax_array + x: a TypeError, not a raw jax.Array
            _validate.not_jax_operator()
        return self._jax

    def _jax(self) -> RawValue:
        """The value as a jax.Array (or tracer), what ``__jax_array__`` gives (see ``_jax_value``)."""
        return _jax_value(self)

    def __dlpack__(self, /, *, stream: Any = None, max_version: tuple[int, int] | None = None,
                   dl_device: tuple[Any, int] | None = None, copy: bool | None = None) -> Any:
        """A DLPack capsule, for ``from_dlpack`` of another library (see the standard): of the host value itself,
        read-only, for a consumer of versioned DLPack (NumPy, array_api_strict, torch) on the CPU; else of the jax
        value (JAX imports only unversioned capsules, which cannot say read-only)."""
        v = self._data()
        if (type(v) is HostArray and stream is None and max_version is not None and tuple(max_version) >= (1, 0)
                and (dl_device is None or tuple(dl_device) == (1, 0))):
            # No jax.Array (whose first making compiles on a small value): the consumer reads the buffer in place,
            # cannot write it (the capsule says read-only), and holds it, so that a later write here copies first
            # (see _host.sole_owner) and the consumer never sees it.
            exported = v.view()
            exported.flags.writeable = False
            return exported.__dlpack__(max_version=max_version, dl_device=dl_device, copy=copy)
        v = _jax_value(self)
        if isinstance(v, Tracer):
            raise TypeError("__dlpack__: an array traced by a JAX transformation cannot be exported")
        _dispatch.check_readable(v, "__dlpack__", BufferError)
        kwargs = {"stream": stream}
        if max_version is not None:
            kwargs["max_version"] = max_version
        if dl_device is not None:
            kwargs["dl_device"] = dl_device
        if copy is not None:
            kwargs["copy"] = copy
        return v.__dlpack__(**kwargs)

    def __dlpack_device__(self, /) -> tuple[Any, int]:
        """The DLPack ``(device type, device id)`` of the jax value (a host value: the CPU's, without making one)."""
        if type(self._data()) is HostArray:
            return _host.cpu_dlpack_device()
        return _jax_value(self).__dlpack_device__()

    def to_device(self, device: Any, /, *, stream: Any = None) -> Self:
        """Copy the array to ``device`` (a jax Device or Sharding); the same device returns self."""
        if stream is not None:
            raise ValueError("to_device: stream is not supported by JAX; pass stream=None")
        device = _validate.device_arg(device, "to_device")
        v = self._data()
        if device is None or (not isinstance(v, Tracer) and _dispatch.device_of(v) == device):
            return self
        return type(self)._new(_dispatch.put(v, device))

    def __array_namespace__(self, /, *, api_version: str | None = None) -> ModuleType:
        """The namespace of ``api_version`` (default: the newest, ``array_api_jax`` itself)."""
        return _versions.namespace(api_version)

    def __format__(self, spec: str, /) -> str:
        """``format(x, spec)``: a 0-D array formats its Python value (``f"{x:.3f}"``, as NumPy's 0-D arrays do;
        SciPy formats 0-D tolerances in its messages); other arrays only with an empty spec."""
        if not spec:
            return str(self)
        return format(self._scalar("__format__").item(), spec)

    def __repr__(self) -> str:
        """``array_api_jax.Array([...], dtype=...)``; never raises (a traced or remote value is described)."""
        # the public dotted name (array_api_jax.Array, array_api_jax.extras.ndarray), so that neither reads as a
        # raw jax.Array: the private modules that define the classes are left out
        cls = type(self)
        name = ".".join([p for p in cls.__module__.split(".") if not p.startswith("_")] + [cls.__qualname__])
        v = self._data()
        if isinstance(v, Tracer):
            return f"{name}(traced {v.aval.str_short()})"
        if not _dispatch.readable(v):  # a repr never raises (tracebacks, debuggers call it): say what there is
            return f"{name}(<{v.aval.str_short()} {_dispatch.not_here(v)}>)"
        body = np.array2string(np.asarray(v), separator=", ", prefix=f"{name}(")
        return f"{name}({body}, dtype={v.dtype})"

    __str__ = __repr__

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as the NumPy array of the values; unpickling makes a new root array of the same class."""
        return (_rebuild, (type(self), _dispatch.to_numpy(self._data(), "__reduce__ (pickle)")))

    def __copy__(self) -> Self:
        """``copy.copy(x)``: a new root array with the same value (shared: a write to either copies first; borrowed
        memory, see ``_host.borrow``, is copied)."""
        return type(self)._new(_dispatch.kept(self._data()))

    def __deepcopy__(self, memo: Any) -> Self:
        """``copy.deepcopy(x)``: as ``copy.copy(x)``."""
        return type(self)._new(_dispatch.kept(self._data()))

    def __getattr__(self, name: str) -> Any:
        """Computes a deferred predicate's value on first use; for other missing names an AttributeError
        that names the namespace function to use instead of a NumPy method."""
        if name == "_value":  # only reached while the slot is unset: a deferred result, computed now
            with self._lock():  # not while another thread writes into it (its write would be undone)
                pending = self._pending
                if pending is None:  # computed (or written) by another thread meanwhile
                    return object.__getattribute__(self, "_value")
                func, values = pending
                value = self._value = func._kernel(*values)
                self._pending = None
                return value
        hint = _surface.NUMPY_ONLY.get(name)
        if hint is None:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}' (the strict Array API "
                             f"namespace has no NumPy-style methods): use {hint}, or array_api_jax.extras for "
                             "NumPy-style arrays")

    # --- operators: one line per row of _operations.OPERATORS -----------------------------------------------

    __add__, __radd__, __iadd__ = _operators("add")
    __sub__, __rsub__, __isub__ = _operators("sub")
    __mul__, __rmul__, __imul__ = _operators("mul")
    __truediv__, __rtruediv__, __itruediv__ = _operators("truediv")
    __floordiv__, __rfloordiv__, __ifloordiv__ = _operators("floordiv")
    __mod__, __rmod__, __imod__ = _operators("mod")
    __pow__, __rpow__, __ipow__ = _operators("pow")
    __matmul__, __rmatmul__, __imatmul__ = _operators("matmul")
    __and__, __rand__, __iand__ = _operators("and")
    __or__, __ror__, __ior__ = _operators("or")
    __xor__, __rxor__, __ixor__ = _operators("xor")
    __lshift__, __rlshift__, __ilshift__ = _operators("lshift")
    __rshift__, __rrshift__, __irshift__ = _operators("rshift")
    __eq__ = _operators("eq")
    __ne__ = _operators("ne")
    __lt__ = _operators("lt")
    __le__ = _operators("le")
    __gt__ = _operators("gt")
    __ge__ = _operators("ge")
    __abs__ = _operators("abs")
    __neg__ = _operators("neg")
    __pos__ = _operators("pos")
    __invert__ = _operators("invert")
    __hash__ = None  # type: ignore[assignment]  # mutable, and == is element-wise: Python's idiom


def _rebuild(cls, data):
    """Unpickle: rebuild an Array (or subclass) from a NumPy array only."""
    if not (isinstance(cls, type) and issubclass(cls, Array)):
        raise TypeError("cannot unpickle an Array as anything but an Array or one of its subclasses")
    if not isinstance(data, np.ndarray) or data.dtype not in _dtypes.DTYPES_SET:
        raise TypeError("cannot unpickle an Array from anything but a NumPy array of a standard dtype")
    return cls._new(_dispatch.from_host(data, data.dtype, None))


def _register_pytree(cls):
    """An Array is a pytree with one leaf, its jax value (so jax.jit, grad and vmap take and return Arrays).

    Plain functions rather than methods: JAX calls them for every Array passing a jit boundary.
    """
    new = cls._new

    def flatten(x):
        v = x._value if x._base is None else x._data()
        if type(v) is HostArray:
            v = _jax_value(x)
        return (v,), None

    def unflatten(aux, children):
        return new(children[0])

    jax.tree_util.register_pytree_node(cls, flatten, unflatten)


_register_pytree(Array)
_LOCKS_LOCK = threading.Lock()  # creates the per-root write locks


def _jax_value(x):
    """The value of ``x`` as a jax.Array (or tracer); a host value stays one, and JAX gets a jax.Array of it.

    A root keeps the jax.Array it gave JAX for its current version (``_jax_twin``; on a CPU it aliases the host
    buffer, so it costs no memory), so an array passed to jitted functions again and again is transferred once
    per write. The twin is made and stored under the root's write lock: a concurrent writer's write is never
    lost, and never seen by a twin made before it (the twin holds the buffer, so that write copies first). A root
    whose memory is borrowed (``_host.borrow``) first takes a copy of it as its value, so that the Array and JAX
    agree and neither changes with the memory's owner.
    """
    v = x._data()
    if type(v) is not HostArray:
        return v
    if x._base is not None:
        return _host.to_jax(v)
    with x._lock():
        v = x._value
        if type(v) is not HostArray:
            return v
        twin = x._jax_twin
        if twin is not None and twin[0] == x._version:
            return twin[1]
        v = x._own_memory(v)  # borrowed memory: the Array and JAX share a copy of it
        j = _host.to_jax(v)
        x._jax_twin = (x._version, j)
        return j


def _traced_device():
    return jax.devices()[0]  # the default device, as __array_namespace_info__().default_device() says
