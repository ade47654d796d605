"""The extras ``ndarray`` and the conversions between NumPy-style values and raw jax values.

``ndarray`` is a strict ``Array`` (same state, mutation, views, pytree, devices) whose operators follow
NumPy/JAX promotion (``int + float`` gives ``float``; Python scalars are weak, as in jax.numpy) and which has
NumPy's methods. Results never leave the 13 standard dtypes.

The conversion helpers are shared with the namespace table (``_namespace``):
  ``to_raw``     an array-like argument (Array, jax/NumPy array, Python scalar, nested list) -> a jax.numpy input
  ``unwrap``     any argument: Arrays inside lists/tuples become raw values, nothing else changes
  ``dtype_arg``  a NumPy-style dtype argument -> one of the 13 dtypes (TypeError otherwise)
  ``wrap``       a jax.numpy result -> ndarrays (also inside tuples, lists and named tuples)
"""

import builtins
import functools
import sys
import types

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtypes, _host, _jax_private, _sharding
from .._array import _JAX_VALUE_MSG, Array
from .._dispatch import Tracer
from . import _host_twins

_PY_SCALARS = (builtins.bool, int, float, complex)
_BUFFERS = (jax.Array, np.ndarray, np.generic)
_CONCRETE_ARRAY = type(jnp.zeros(()))
# extras' default dtypes (BrainPy's: float32, int32, complex64; changed by extras.set_float, enable_x64, ...).
# The strict namespace keeps its own (array_api_jax.set_default_dtypes).
BRAINPY_DEFAULTS = {"real floating": _dtypes.float32, "complex floating": _dtypes.complex64,
                    "integral": _dtypes.int32, "indexing": _dtypes.int32}
DEFAULTS = dict(BRAINPY_DEFAULTS)
# dtypes NumPy infers for Python values -> the extras default that replaces them
_DEFAULT_KIND = {_dtypes.int64: "integral", _dtypes.float64: "real floating", _dtypes.complex128: "complex floating"}
_PY_TYPE_KIND = {int: "integral", float: "real floating", complex: "complex floating"}
# BrainPy runs JAX in 32-bit mode, so a 64-bit NumPy or jax value reaching it becomes its 32-bit counterpart;
# extras does the same where BrainPy code relies on it (foreign data in asarray/Variable, writes into Variables)
# while extras' default of that kind is 32-bit (not after enable_x64(), as in BrainPy)
_NARROW = {_dtypes.float64: (_dtypes.float32, "real floating"), _dtypes.complex128: (_dtypes.complex64,
           "complex floating"), _dtypes.int64: (_dtypes.int32, "integral"), _dtypes.uint64: (_dtypes.uint32,
           "integral")}


# --- conversions -----------------------------------------------------------------------------------------------


def check_dtype(dtype, func):
    """``dtype`` if it is one of the 13 standard dtypes; TypeError otherwise."""
    if dtype not in _dtypes.DTYPES_SET:
        raise TypeError(f"{func}: dtype {dtype} is not one of the 13 array API dtypes (bool, int8..int64, "
                        "uint8..uint64, float32, float64, complex64, complex128)")
    return dtype


def with_defaults(dtype):
    """The extras default replacing a dtype NumPy infers from Python values (int64, float64, complex128)."""
    kind = _DEFAULT_KIND.get(dtype)
    return dtype if kind is None else DEFAULTS[kind]


def narrowed(dtype):
    """The 32-bit dtype BrainPy's 32-bit mode gives a value of the 64-bit ``dtype`` (None: no such narrowing)."""
    target = _NARROW.get(dtype)
    if target is None or DEFAULTS[target[1]] in _NARROW:  # the kind's default is 64-bit
        return None
    return target[0]


def foreign_narrowed(x):
    """A NumPy or jax array (not an extras array) of a 64-bit dtype as its 32-bit counterpart (``narrowed``)."""
    if isinstance(x, _BUFFERS):
        target = narrowed(x.dtype)
        if target is not None:
            return x.astype(target) if isinstance(x, (np.ndarray, np.generic)) else lax.convert_element_type(x, target)
    return x


def dtype_arg(dtype, func="dtype"):
    """A NumPy-style dtype argument (a dtype, a name, a type such as float or jnp.float32, or an array)."""
    if dtype is None:
        return None
    if isinstance(dtype, type) and dtype in _PY_TYPE_KIND:
        return DEFAULTS[_PY_TYPE_KIND[dtype]]
    if isinstance(dtype, (Array, *_BUFFERS)):
        dtype = dtype.dtype
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{func}: {dtype!r} is not a dtype") from None
    if dt.itemsize == 8 or dt == _dtypes.complex128:
        check_x64(func)
    return check_dtype(dt, func)


def check_x64(func):
    """RuntimeError when JAX's 64-bit mode was switched off (JAX would then silently return 32-bit values)."""
    if not jax.config.jax_enable_x64:  # type: ignore[attr-defined]  # JAX makes its options attributes at run time
        raise RuntimeError(f"{func}: JAX's 64-bit mode (jax_enable_x64) was switched off after array_api_jax was "
                           "imported (brainpy.math.disable_x64() does that, for one), so 64-bit dtypes "
                           "would silently become 32-bit. Switch it back on with "
                           "jax.config.update('jax_enable_x64', True) or array_api_jax.extras.enable_x64(), or "
                           "use 32-bit dtypes")


def host_array(obj, func="array"):
    """Nested lists/tuples and Python scalars -> an array with NumPy's inference and the project defaults."""
    if _holds_arrays(obj):
        return jnp.asarray(unwrap(obj))
    a = np.asarray(obj)
    if a.dtype not in _dtypes.DTYPES_SET:
        raise TypeError(f"{func}: cannot convert {type(obj).__name__} to an array of a standard dtype (NumPy "
                        f"infers {a.dtype})")
    target = with_defaults(a.dtype)
    return a if target == a.dtype else a.astype(target)


def _holds_arrays(obj):
    if isinstance(obj, (Array, jax.Array)):
        return True
    return type(obj) in (list, tuple) and builtins.any(_holds_arrays(o) for o in obj)


def to_raw(x, func="argument"):
    """An array-like argument -> a raw jax value, a NumPy array or a (weak) Python scalar."""
    if isinstance(x, Array):
        return x._data()
    if type(x) in _PY_SCALARS:
        return x
    if isinstance(x, _BUFFERS):
        check_dtype(x.dtype, func)
        # NumPy's memory, which its owner may still write: a result sharing it (``asarray``, ``reshape``) is a
        # borrowed host value, which JAX and explicit copies never share (see _host.borrow)
        return _host.borrow(x) if type(x) is np.ndarray else x
    if type(x) in (list, tuple):
        return host_array(x, func)
    return x  # anything else is jax.numpy's to judge


def to_raw_each(x, func="argument"):
    """A sequence of array-likes (``concatenate([a, b])``) or a single array-like."""
    if type(x) in (list, tuple):
        return type(x)(to_raw(e, func) for e in x)
    return to_raw(x, func)


def unwrap(x, func=None):
    """Arrays -> raw values, recursively inside lists and tuples; everything else unchanged."""
    if isinstance(x, Array):
        return x._data()
    if type(x) in (list, tuple):
        return type(x)(unwrap(e) for e in x)
    return x


def to_callback(f, func=None):
    """A user function given to jax.numpy: it receives ndarrays and its ndarray results are unwrapped."""
    if type(f) is list:
        return [to_callback(g) for g in f]
    if not callable(f) or isinstance(f, type):
        return f

    @functools.wraps(f)
    def call(*args, **kwargs):
        return unwrap(f(*wrap(args), **kwargs))

    return call


def strong(value):
    """Drop jax's weak type (jax.numpy marks results of Python scalars weak; NumPy has no such thing). A result
    made from Python scalars only takes extras' default dtype (``bm.where(c, 1.5, 0.)`` is float32 by default)."""
    if getattr(value, "weak_type", False):
        return lax.convert_element_type(value, with_defaults(value.dtype))
    return value


def wrap(out, func="result"):
    """A jax.numpy result -> ndarrays, also inside tuples, lists and named tuples; functions are wrapped too."""
    if type(out) is np.ndarray:  # a host value (see _host_twins): its dtype is already jax.numpy's
        return ndarray._new(out)
    if type(out) is _CONCRETE_ARRAY or isinstance(out, jax.Array):  # the first test is the fast path
        if out.dtype not in _dtypes.DTYPES_SET:
            check_dtype(out.dtype, func)
        return ndarray._new(strong(out))
    if isinstance(out, tuple):
        items = [wrap(o, func) for o in out]
        return type(out)(*items) if hasattr(out, "_fields") else tuple(items)
    if type(out) is list:
        return [wrap(o, func) for o in out]
    if isinstance(out, np.dtype):
        return check_dtype(out, func)
    if isinstance(out, types.FunctionType):  # e.g. what vectorize returns
        return _wrapped_function(out)
    return out


def _wrapped_function(f):
    @functools.wraps(f)
    def call(*args, **kwargs):
        return wrap(f(*[to_raw(a) for a in args], **{k: to_raw(v) for k, v in kwargs.items()}))

    return call


def _concrete(v, func):
    if isinstance(v, Tracer):
        raise TypeError(f"{func}: an array traced by a JAX transformation (jax.jit, vmap, grad) has no concrete "
                        "value")
    return np.asarray(v)


# --- operators -----------------------------------------------------------------------------------------------


_OPERAND_TYPES = (Array, *_BUFFERS)
_OPERAND_VALUES = (*_PY_SCALARS, list, tuple)


def _operand(other):
    """The raw value of an operator's other operand, or NotImplemented for types NumPy would not accept."""
    if type(other) is ndarray:  # the common case first
        return other._data()
    if isinstance(other, _OPERAND_TYPES) or type(other) in _OPERAND_VALUES:
        return to_raw(other, "operator")
    return NotImplemented


def _result(value, func):
    if type(value) is np.ndarray:  # a twin's result: one of the 13 dtypes, never weak (see _host_twins._cast)
        return ndarray._new(value)
    check_dtype(value.dtype, func)
    return ndarray._new(strong(value))  # int32 * 0.5 is float32 by default, as bm.multiply(a, 0.5)


# Mixed operands: an operator between an ndarray and a strict Array (not an ndarray) follows the strict rules
# (the standard's promotion and errors: the strict Array asked for them), and its result is an ndarray, the more
# specific type; an ndarray += strict Array stays an ndarray. A raw jax.Array meeting an ndarray gives an ndarray
# too (``__jax_array__`` below). Functions follow their own namespace whatever their arguments.


def _strict(other):
    return isinstance(other, Array) and not isinstance(other, ndarray)


def _binary_operators(stem, jfunc):
    strict_forward, strict_reflected, strict_in_place = (getattr(Array, f"__{form}{stem}__") for form in ("", "r", "i"))
    rule = _sharding.matmul if stem == "matmul" else None

    def on_jax(a, b):  # on a mesh with Explicit axes, with the core's rule for the result's sharding
        return _sharding.call(jfunc, a, b, rule=rule)

    def op(a, b):  # NumPy's twin on host values (see _host_twins), else jax.numpy's function
        return _host_twins.binary(jfunc, a, b, with_defaults, on_jax)

    def forward(self, other, /):
        if type(other) is not ndarray and _strict(other):
            return strict_forward(self, other)
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented
        return _result(op(self._data(), o), f"__{stem}__")

    def reflected(self, other, /):
        if type(other) is not ndarray and _strict(other):
            return strict_reflected(self, other)
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented
        return _result(op(o, self._data()), f"__r{stem}__")

    def in_place(self, other, /):
        if _strict(other):
            return strict_in_place(self, other)
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented
        with self._lock():  # read, compute and store as one step for concurrent writers
            _in_place(self, o)
        return self

    def _in_place(self, o):
        old = self._data()
        new = op(old, o)
        if type(new) is not np.ndarray:  # a host value has no sharding to keep
            new = _sharding.like(new, old)
        if new.dtype != old.dtype:
            if not np.can_cast(new.dtype, old.dtype, "same_kind"):
                raise TypeError(f"__i{stem}__: cannot cast the result from {new.dtype} to the array's dtype "
                                f"{old.dtype} with casting rule 'same_kind' (as NumPy); use the out-of-place "
                                "operator")
            new = new.astype(old.dtype) if type(new) is np.ndarray else lax.convert_element_type(new, old.dtype)
        if new.shape != old.shape:
            raise ValueError(f"__i{stem}__: the result shape {new.shape} differs from the array's shape "
                             f"{old.shape} (the other operand must broadcast to the array)")
        self._assign(new)
        return self

    rule_note = "with NumPy's promotion (a strict Array operand: the strict rules)"
    forward.__doc__ = f"``jnp.{jfunc.__name__}(self, other)`` {rule_note}."
    reflected.__doc__ = f"``jnp.{jfunc.__name__}(other, self)`` {rule_note}."
    in_place.__doc__ = (f"``self = jnp.{jfunc.__name__}(self, other)`` in place, {rule_note}; the result is cast "
                        "back to self's dtype where NumPy's 'same_kind' rule allows (else TypeError) and must keep "
                        "self's shape (else ValueError).")
    return {f"__{stem}__": forward, f"__r{stem}__": reflected, f"__i{stem}__": in_place}


def _comparison(stem, jfunc):
    strict_compare = getattr(Array, f"__{stem}__")

    def compare(self, other, /):
        if type(other) is not ndarray and _strict(other):
            return strict_compare(self, other)
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented
        return ndarray._new(_host_twins.binary(jfunc, self._data(), o, with_defaults))

    compare.__doc__ = (f"``jnp.{jfunc.__name__}(self, other)``: a boolean ndarray (a strict Array operand: the strict "
                       "rules).")
    return {f"__{stem}__": compare}


def _unary(stem, jfunc):
    def op(self, /):
        return _result(_host_twins.unary(jfunc, self._data(), with_defaults), f"__{stem}__")

    op.__doc__ = f"``jnp.{jfunc.__name__}(self)``."
    return {f"__{stem}__": op}


# dunder stem -> jax.numpy function (NumPy/JAX promotion); reflected and in-place forms are derived
_OPERATORS = {
    "add": jnp.add, "sub": jnp.subtract, "mul": jnp.multiply, "truediv": jnp.true_divide,
    "floordiv": jnp.floor_divide, "mod": jnp.remainder, "pow": jnp.power, "matmul": jnp.matmul,
    "and": jnp.bitwise_and, "or": jnp.bitwise_or, "xor": jnp.bitwise_xor, "lshift": jnp.left_shift,
    "rshift": jnp.right_shift,
}
_COMPARISONS = {"eq": jnp.equal, "ne": jnp.not_equal, "lt": jnp.less, "le": jnp.less_equal, "gt": jnp.greater,
                "ge": jnp.greater_equal}
_UNARY = {"neg": jnp.negative, "pos": jnp.positive, "abs": jnp.abs, "invert": jnp.invert}


# --- indexing ------------------------------------------------------------------------------------------------


def _key_part(k):
    """Lists and jax/NumPy arrays in an index become ndarrays (NumPy accepts them; the strict core does not)."""
    if type(k) is list or isinstance(k, (jax.Array, np.ndarray)):
        return ndarray._new(jnp.asarray(to_raw(k, "__getitem__")))
    return k


def _numpy_key(key):
    """A NumPy index -> one the strict core understands: a boolean array combined with other components
    becomes the integer arrays of its nonzero positions (NumPy's definition), and a key without an ellipsis
    gets a trailing one (NumPy's implicit trailing ``:``; the strict core wants one index per dimension)."""
    parts = [_key_part(k) for k in key] if type(key) is tuple else [_key_part(key)]
    if len(parts) > 1 and builtins.any(isinstance(p, Array) and p.dtype == _dtypes.bool for p in parts):
        expanded = []
        for p in parts:
            if isinstance(p, Array) and p.dtype == _dtypes.bool:
                expanded.extend(ndarray._new(i) for i in jnp.nonzero(_concrete(p._data(), "__getitem__")))
            else:
                expanded.append(p)
        parts = expanded
    if not builtins.any(p is Ellipsis or isinstance(p, builtins.bool) or
                        (isinstance(p, Array) and p.dtype == _dtypes.bool) for p in parts):
        parts.append(Ellipsis)
    return parts[0] if len(parts) == 1 else tuple(parts)


def _setitem_value(value, dtype):
    """The right-hand side of ``x[key] = value`` cast to ``dtype`` as NumPy does (float -> int truncates, an
    out-of-range Python int raises OverflowError); complex values into a real array raise TypeError."""
    raw = to_raw(value, "__setitem__")
    if type(raw) in _PY_SCALARS:
        complex_value = type(raw) is complex
    elif isinstance(raw, _BUFFERS):
        complex_value = raw.dtype.kind == "c"
    else:
        raise TypeError(f"__setitem__: cannot assign a {type(value).__name__} into an array of dtype {dtype}")
    if complex_value and dtype.kind != "c":
        raise TypeError(f"__setitem__: cannot assign complex values into an array of dtype {dtype}")
    if isinstance(raw, jax.Array):
        return raw if raw.dtype == dtype else lax.convert_element_type(raw, dtype)
    return np.asarray(raw, dtype)


def _no_jax_operand():
    return NotImplemented


# --- the class -----------------------------------------------------------------------------------------------


class ndarray(Array):  # noqa: N801 - NumPy's name
    """A NumPy-style array over JAX: the strict Array plus NumPy/JAX promotion and NumPy's methods.

    Everything the strict Array does still holds (in-place mutation, views from basic indexing, pytree,
    devices); ``__array_namespace__()`` returns the strict namespace. Methods that NumPy defines as views
    (``reshape``, ``ravel``, ``T``, ``real``) return new arrays here; basic indexing gives views.
    """

    __slots__ = ()

    def __init__(self, *args, **kwargs):
        """Refused: ndarrays come from the extras creation functions (``extras.array``, ``extras.zeros``, ...)."""
        raise TypeError("ndarray objects cannot be created directly; use array_api_jax.extras.array (or another "
                        "creation function)")

    @property
    def dtype(self):
        """The NumPy dtype of the elements (NumPy-style: ``.kind``, ``.itemsize``; equal to ``xp.float64`` etc.)."""
        return self._data().dtype

    @property
    def __jax_array__(self):
        """The wrapped jax value (``jnp.asarray(x)``), but not for a jax.Array's operator: given a function
        whose value is no JAX operand, the operator returns NotImplemented, so that Python asks the ndarray's
        reflected operator and ``jnp.ones(3) + extras.ones(3)`` is an ndarray, not a raw jax.Array."""
        code = sys._getframe(1).f_code
        if _jax_private.called_by_jax_operator(code):
            return _no_jax_operand
        if _jax_private.called_by_typeof(code):
            raise ValueError(_JAX_VALUE_MSG)
        return self._jax

    # --- indexing ------------------------------------------------------------------------------------------

    def __getitem__(self, key, /):
        """``a[key]`` with NumPy's indices too: lists and NumPy/jax arrays as index arrays, a boolean array
        among other components, fewer components than dimensions. Basic indexing gives a view."""
        return Array.__getitem__(self, _numpy_key(key))

    def __setitem__(self, key, value, /):
        """``a[key] = value`` in place with NumPy's indices (see ``__getitem__``), ``value`` cast to the array's
        dtype as NumPy casts it (complex into a real array: TypeError)."""
        # the cast value rides in a transient ndarray so that the core's checks see the array's own dtype
        Array.__setitem__(self, _numpy_key(key), ndarray._new(_setitem_value(value, self.dtype)))

    def __len__(self):
        """The length of the first dimension (TypeError for a 0-D array)."""
        if self.ndim == 0:
            raise TypeError("len() of unsized object (a 0-dimensional ndarray)")
        return self.shape[0]

    def __iter__(self):
        """The subarrays along the first dimension (TypeError for a 0-D array)."""
        if self.ndim == 0:
            raise TypeError("iteration over a 0-dimensional ndarray")
        return (self[i] for i in range(self.shape[0]))

    def __contains__(self, value):
        """``value in a``: whether any element equals ``value``."""
        return builtins.bool(jnp.any(self._data() == to_raw(value, "__contains__")))

    def __divmod__(self, other, /):
        """``divmod(a, other)``: ``(a // other, a % other)`` with NumPy's promotion."""
        o = _operand(other)
        return NotImplemented if o is NotImplemented else wrap(jnp.divmod(self._data(), o), "__divmod__")

    def __rdivmod__(self, other, /):
        """``divmod(other, a)``: ``(other // a, other % a)`` with NumPy's promotion."""
        o = _operand(other)
        return NotImplemented if o is NotImplemented else wrap(jnp.divmod(o, self._data()), "__rdivmod__")

    # --- attributes ------------------------------------------------------------------------------------------

    @property
    def T(self):
        """The array with its axes reversed (any number of dimensions, as in NumPy)."""
        raw = self._data()
        if type(raw) is np.ndarray and _host_twins.host_args((raw,), None):  # NumPy's transpose: the same dtype
            return ndarray._new(raw.T)
        return ndarray._new(_host_twins.unary(jnp.transpose, raw, with_defaults))

    @property
    def real(self):
        """The real part."""
        return ndarray._new(_host_twins.unary(jnp.real, self._data(), with_defaults))

    @property
    def imag(self):
        """The imaginary part (zeros for a real array)."""
        return ndarray._new(_host_twins.unary(jnp.imag, self._data(), with_defaults))

    @property
    def itemsize(self):
        """Bytes per element."""
        return self.dtype.itemsize

    @property
    def nbytes(self):
        """Bytes of all elements."""
        return self.size * self.dtype.itemsize

    # --- methods written out (the rest come from the table in _namespace) ----------------------------------------

    def reshape(self, *shape, order="C", copy=None):
        """The array in a new shape: ``a.reshape(2, 3)`` or ``a.reshape((2, 3))``; -1 infers one dimension."""
        if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
            shape = shape[0]
        return wrap(jnp.reshape(self._data(), shape, order=order, copy=copy), "reshape")

    def transpose(self, *axes):
        """The array with its axes permuted: ``a.transpose()``, ``a.transpose(1, 0)`` or ``a.transpose((1, 0))``."""
        one = len(axes) == 1 and (axes[0] is None or not isinstance(axes[0], (int, np.integer)))
        return ndarray._new(jnp.transpose(self._data(), (axes[0] if one else axes) or None))

    def astype(self, dtype, copy=True):
        """The array cast to ``dtype`` (one of the 13 standard dtypes; float16 and friends raise TypeError)."""
        dt = dtype_arg(dtype, "astype")
        v = self._data()
        if v.dtype == dt and not copy:
            return self
        return ndarray._new(lax.convert_element_type(v, dt))

    def copy(self, order="C"):
        """A new array (not a view) with the same values."""
        return ndarray._new(self._data())

    def fill(self, value):
        """Set every element to ``value``, in place."""
        self[...] = value

    def item(self, *args):
        """One element as a Python scalar: ``a.item()`` for a one-element array, ``a.item(i)`` or ``a.item(i, j)``."""
        return _concrete(self._data(), "item").item(*args)

    def tolist(self):
        """The values as nested Python lists of Python scalars."""
        return _concrete(self._data(), "tolist").tolist()


for _table, _make in ((_OPERATORS, _binary_operators), (_COMPARISONS, _comparison), (_UNARY, _unary)):
    for _stem, _jfunc in _table.items():
        for _name, _method in _make(_stem, _jfunc).items():
            _method.__name__ = _name
            _method.__qualname__ = f"ndarray.{_name}"
            setattr(ndarray, _name, _method)
