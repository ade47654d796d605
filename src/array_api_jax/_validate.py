"""The checks the core raises from: one normaliser per kind of argument (integer, axis, shape, flag, Python
scalar), operands (type, dtype category, Python scalars, devices), broadcasting, and the bounds of index arrays
(``_indexing`` parses index keys). Arguments are checked eagerly, before a kernel runs; the dtype and shape checks
are also called by the checked functions (at trace time for a kernel, per call for a NumPy twin). ``ArrayBase``, the
base class of ``Array``, lives here so that the modules below ``_array`` can check operands.

Every check costs table lookups and attribute reads, except the bounds of index arrays, which read their values.
Every message names the function and the argument.
"""

import builtins
import functools
import math
import operator
import sys
import weakref
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.exceptions import AxisError
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from . import _dtypes, _jax_private
from ._dispatch import JaxArray, Tracer, device_of, device_put
from ._host import HostArray, quiet

_SCALAR_TYPES = (builtins.bool, int, float, complex)
_IINFO = {d: np.iinfo(d) for d in _dtypes.INTEGER}


class ArrayBase:
    """The base class of ``_array.Array``: validation (and the raw-value layer, ``_operations``) checks operands
    with isinstance against it, below ``_array`` in the import graph."""

    __slots__ = ()
    __array_priority__ = 1000  # NumPy defers to Array's reflected operators

    if TYPE_CHECKING:  # what the checks read of an Array (``_array.Array`` defines them)
        _value: Any
        _base: tuple[Any, ...] | None

        def _data(self) -> Any: ...

        @property
        def dtype(self) -> Any: ...

        @property
        def shape(self) -> tuple[int, ...]: ...

        @property
        def ndim(self) -> int: ...


def array(x, func, arg="x"):
    if not isinstance(x, ArrayBase):
        raise TypeError(f"{func}: {arg} must be an array, got {type(x).__name__}")
    return x


def category(dtype, cat, func, arg="x"):
    if dtype not in _dtypes.CATEGORIES[cat]:
        raise TypeError(f"{func}: {arg} has dtype {dtype}, but {func} accepts only {cat} dtypes")


def array_in(x, cat, func, arg="x"):
    """Check that ``x`` is an array of category ``cat``; return its raw value."""
    if not isinstance(x, ArrayBase):
        raise TypeError(f"{func}: {arg} must be an array, got {type(x).__name__}")
    v = x._data()
    if v.dtype not in _dtypes.CATEGORIES[cat]:
        raise TypeError(f"{func}: {arg} has dtype {v.dtype}, but {func} accepts only {cat} dtypes")
    return v


def dtype(dt, func, arg="dtype", allow_none=True):
    """Validate a ``dtype=`` argument: one of the 13 standard dtypes."""
    if dt is None and allow_none:
        return None
    if isinstance(dt, _dtypes.DType):
        return dt.dtype
    if isinstance(dt, np.dtype) and dt in _dtypes.DTYPES_SET:
        return dt
    raise TypeError(f"{func}: {arg} must be one of the array API dtypes (e.g. xp.float64), got {dt!r}")


# --- Python scalars and foreign operands ------------------------------------------------------------------
#
# The standard combines arrays with Python scalars only. NumPy's float64 and complex128 subclass float and
# complex, so they *are* Python scalars and become the plain float/complex at the boundary (cache keys and the
# scalar rules then see a float, never a NumPy type). NumPy's other scalars (int64, bool_, float32, ...) subclass
# nothing of Python's and carry a dtype whose NumPy promotion differs from the standard's scalar rules; they are
# refused, like NumPy and jax arrays, strings and other libraries' arrays, with a TypeError naming the fix.


def plain_scalar(value):
    """A Python scalar as its plain Python type (``np.float64(2)`` -> ``2.0``); anything else unchanged."""
    if type(value) in _SCALAR_TYPES:
        return value
    if isinstance(value, float):
        return float(value)
    if isinstance(value, complex):
        return complex(value)
    if isinstance(value, int):  # an int subclass (IntEnum); bool cannot be subclassed
        return int(value)
    return value


def python_scalar(value, func, arg):
    """``value`` as a plain Python scalar (see ``plain_scalar``); TypeError for anything else."""
    plain = plain_scalar(value)
    if type(plain) not in _SCALAR_TYPES:
        raise foreign_error(value, func, arg)
    return plain


def foreign_error(value, func, arg):
    """The TypeError for an operand that is neither an array of this namespace nor a Python scalar."""
    t = type(value)
    name = ("jax.Array" if isinstance(value, JaxArray)
            else t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}")
    if isinstance(value, np.generic):
        kind = {"b": "bool", "i": "int", "u": "int"}.get(value.dtype.kind, "float or complex")
        return TypeError(f"{func}: {arg} is a NumPy scalar ({name}), which the standard does not combine with "
                         f"arrays: use {kind}({arg}) for a Python scalar or xp.asarray({arg}) for an array "
                         "(only numpy.float64 and numpy.complex128, which subclass float and complex, are "
                         "accepted as Python scalars)")
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        return TypeError(f"{func}: {arg} is a {name}, not an array of this namespace; convert it with "
                         f"xp.asarray({arg}) first")
    return TypeError(f"{func}: {arg} must be an array or a Python scalar (bool, int, float, complex), got {name}")


def operator_operand(other, func):
    """The other operand of an Array operator that is not an Array or a plain Python scalar.

    A Python scalar subclass becomes the plain scalar; an object that asks to handle the operation itself
    (NumPy's conventions: ``__array_ufunc__ = None`` or a higher ``__array_priority__``) gets NotImplemented;
    anything else raises TypeError, so that NumPy's or JAX's reflected operators never take over.
    """
    plain = plain_scalar(other)
    if plain is not other:
        return plain
    priority = getattr(other, "__array_priority__", 0)
    if (getattr(other, "__array_ufunc__", False) is None
            or (isinstance(priority, (int, float)) and priority > ArrayBase.__array_priority__)):
        return NotImplemented
    raise foreign_error(other, func, "other")


def not_jax_operator():
    """TypeError when ``__jax_array__`` was called by a jax.Array operator (``jax_array + x``).

    jax.Array's operators unwrap any object with ``__jax_array__`` and return a raw jax.Array, before Python can
    ask our reflected operator; the caller's frame is the only place that tells this apart from
    ``jnp.asarray(x)``.
    """
    frame = sys._getframe(2)
    if _jax_private.called_by_jax_operator(frame.f_code):
        raise TypeError(f"{frame.f_code.co_name.replace('_operator_', '__')}__: a jax.Array cannot be combined "
                        "with an array of this namespace by an operator (JAX would return a raw jax.Array); "
                        "convert it with xp.asarray(...) first")


def scalar_dtype(value, array_dtype, func, arg):
    """The dtype a Python scalar takes when combined with an array of ``array_dtype`` (the standard's rules)."""
    t = type(value)
    if t is builtins.bool:
        if array_dtype == _dtypes.bool:
            return array_dtype
    elif t is int:
        if array_dtype in _dtypes.INTEGER:
            info = _IINFO[array_dtype]
            if not info.min <= value <= info.max:
                raise OverflowError(f"{func}: Python int {arg}={value} is out of bounds for {array_dtype}")
            return array_dtype
        if array_dtype in _dtypes.FLOATING:
            return array_dtype
    elif t is float:
        if array_dtype in _dtypes.FLOATING:
            return array_dtype
    elif t is complex:
        if array_dtype in _dtypes.FLOATING:
            return _dtypes.complex_of(array_dtype)
    else:
        plain = plain_scalar(value)
        if plain is not value:
            return scalar_dtype(plain, array_dtype, func, arg)
        raise foreign_error(value, func, arg)
    raise TypeError(f"{func}: a Python {t.__name__} {arg} cannot be combined with an array of dtype {array_dtype}")


def scalar_array(value, dtype):
    """``np.asarray(value, dtype)`` for a Python scalar: a float beyond the dtype's range becomes inf, as in XLA,
    without NumPy's overflow warning (a FloatingPointError under ``np.seterr(all="raise")``)."""
    return quiet(np.asarray, value, dtype)


def scalar_operand(value, v, func, arg):
    """A Python scalar combined with the raw array value ``v``, as a value of the standard's dtype for it.

    Eagerly that is a device array from a bounded LRU cache: passing a device array to a kernel costs about
    2 µs less than a Python or NumPy scalar (which is transferred on every call), and constants repeat
    (``x * 2.5``, ``x > 0``). The cache key holds the scalar's type (True, 1 and 1.0 are equal but follow
    different rules) and tells -0.0 from 0.0. NaN (never equal to itself) and complex scalars (zeros of either
    sign compare equal) are not cached. Under tracing the scalar becomes a NumPy scalar (a literal in the jaxpr).
    """
    kind = type(value)
    if kind not in _SCALAR_TYPES:
        raise TypeError(f"{func}: {arg} must be an array or a Python scalar, got {kind.__name__}")
    if type(v) is HostArray:  # a NumPy 0-D array: the host path computes with NumPy
        return scalar_array(value, scalar_dtype(value, v.dtype, func, arg))
    if kind is complex or value != value or isinstance(v, Tracer):
        return scalar_array(value, scalar_dtype(value, v.dtype, func, arg))
    negative_zero = value == 0 and math.copysign(1, value) < 0
    return _scalar_constant(kind, value, v.dtype, func, arg, negative_zero)  # type: ignore[arg-type]  # a type hashes


@functools.lru_cache(maxsize=1024)
def _scalar_constant(kind, value, dtype, func, arg, negative_zero):
    return device_put(scalar_array(value, scalar_dtype(value, dtype, func, arg)))


def operand_values(x1, x2, func):
    """The raw values of two operands of which one may be a Python scalar (see ``scalar_operand``).

    Dtype categories, promotion and broadcasting depend only on dtypes and shapes; kernels check them when JAX
    traces them.
    """
    cls = ArrayBase
    if isinstance(x1, cls):
        v1 = x1._value if x1._base is None else x1._data()
        if isinstance(x2, cls):
            v2 = x2._value if x2._base is None else x2._data()
            if _MULTI_DEVICE[0]:
                same_device(v1, v2, func)
            return v1, v2
        if type(x2) not in _SCALAR_TYPES:
            x2 = python_scalar(x2, func, "x2")
        return v1, scalar_operand(x2, v1, func, "x2")
    if isinstance(x2, cls):
        v2 = x2._value if x2._base is None else x2._data()
        if type(x1) not in _SCALAR_TYPES:
            x1 = python_scalar(x1, func, "x1")
        return scalar_operand(x1, v2, func, "x1"), v2
    raise TypeError(f"{func}: at least one of x1 and x2 must be an array, got {type(x1).__name__} and "
                    f"{type(x2).__name__}")


# Whether JAX has several devices (only then are device checks needed). Starts True and is settled by the first
# check, so that importing the package does not initialise JAX's backend.
_MULTI_DEVICE = [True]


def same_device(v1, v2, func):
    """Arrays committed to different devices cannot be combined (the standard says: raise)."""
    if _MULTI_DEVICE[0] is True:
        import jax

        _MULTI_DEVICE[0] = jax.device_count() > 1
    if isinstance(v1, Tracer) or isinstance(v2, Tracer):
        return
    if getattr(v1, "committed", False) and getattr(v2, "committed", False):
        if v1.sharding.device_set != v2.sharding.device_set:
            raise ValueError(f"{func}: the arrays are on different devices ({device_of(v1)} and "
                             f"{device_of(v2)}); move one with to_device first")


def devices_of(values, func):
    """Check that raw values (host values are ignored) share a device; only matters with several devices."""
    if _MULTI_DEVICE[0]:
        arrays = [v for v in values if isinstance(v, JaxArray)]
        for v in arrays[1:]:
            same_device(arrays[0], v, func)


# --- arguments: one policy per kind ---------------------------------------------------------------------------
#
# integer          a Python int; any other object with ``__index__`` becomes its int: NumPy integers and 0-D
#                  integer Arrays (array_api_strict and NumPy accept those wherever they take an int); bool and
#                  everything else: TypeError. ``minimum`` adds a ValueError below it (non-negative: 0).
# axis / axes      integers normalised against ``ndim`` (NumPy's normalize_axis_index/_tuple): IndexError out of
#                  range, ValueError for a repeated axis; ``axes`` also takes None (every axis) and sorts.
# shape            an int or a tuple of non-negative integers.
# flag             ``boolean``: a bool (or NumPy bool); 0 and 1 are refused.
# scalar           ``python_scalar`` above: a plain Python scalar.
# Every message names the function and the argument.


def integer(value, func, arg="axis", minimum=None):
    """An integer argument by the integer policy (see above); ``minimum``: ValueError below it."""
    if type(value) is not int:
        if isinstance(value, builtins.bool) or not hasattr(value, "__index__"):
            raise TypeError(f"{func}: {arg} must be an int, got {type(value).__name__}")
        try:
            value = operator.index(value)
        except TypeError as e:  # an Array that is not 0-D, not integer, or traced
            raise TypeError(f"{func}: {arg} must be an int or a 0-D integer array ({e})") from None
    if minimum is not None and value < minimum:
        raise ValueError(f"{func}: {arg} must be {'non-negative' if minimum == 0 else f'at least {minimum}'}, "
                         f"got {value}")
    return value


def axis(ax, ndim, func, arg="axis"):
    """Normalise one axis for an array of ``ndim`` dimensions; IndexError if out of range."""
    ax = integer(ax, func, arg)
    try:
        return normalize_axis_index(ax, ndim)
    except AxisError:
        raise IndexError(f"{func}: {arg}={ax} is out of range for an array of {ndim} dimensions") from None


def axis_tuple(ax, ndim, func, arg="axis"):
    """An int or a tuple of ints normalised against ``ndim``, in the given order; ValueError on repeats."""
    if not isinstance(ax, tuple):
        return (axis(ax, ndim, func, arg),)
    ints = tuple(integer(a, func, arg) for a in ax)
    try:
        return normalize_axis_tuple(ints, ndim)
    except AxisError:
        bad = next(a for a in ints if not -ndim <= a < ndim)
        raise IndexError(f"{func}: {arg}={bad} is out of range for an array of {ndim} dimensions") from None
    except ValueError:
        raise ValueError(f"{func}: {arg}={ax} repeats an axis") from None


def axes(ax, ndim, func, arg="axis"):
    """Normalise ``None`` (every axis), an int or a tuple of ints to a sorted tuple of distinct axes."""
    if ax is None:
        return tuple(range(ndim))
    if isinstance(ax, tuple):
        return tuple(sorted(axis_tuple(ax, ndim, func, arg)))
    return (axis(ax, ndim, func, arg),)


def shape_arg(shape, func, arg="shape"):
    """A shape argument: an int or a tuple of non-negative ints (each by the integer policy)."""
    if not isinstance(shape, (tuple, list)):
        if isinstance(shape, builtins.bool) or not hasattr(shape, "__index__"):
            raise TypeError(f"{func}: {arg} must be an int or a tuple of ints, got {type(shape).__name__}")
        shape = (shape,)
    out = tuple(integer(s, func, arg) for s in shape)
    if any(s < 0 for s in out):
        raise ValueError(f"{func}: {arg}={out} has a negative dimension")
    return out


MAX_BYTES = 2**63 - 1  # XLA aborts the process (not an exception) for a buffer whose byte count overflows int64


def fits(shape, dtype, func):
    """ValueError unless an array of ``shape`` and ``dtype`` has at most MAX_BYTES bytes (before JAX sees it)."""
    n = math.prod(shape)
    if n * dtype.itemsize > MAX_BYTES:
        raise ValueError(f"{func}: an array of shape {tuple(shape)} and dtype {dtype} would have {n} elements "
                         f"({n * dtype.itemsize} bytes); arrays are limited to 2**63 - 1 bytes")
    return shape


def broadcast_shapes(*shapes, func="broadcast_shapes"):
    """The broadcast of ``shapes`` (NumPy's ``broadcast_shapes``); ValueError naming ``func`` if they do not."""
    if len(shapes) == 2 and shapes[0] == shapes[1]:
        return tuple(shapes[0])
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError(f"{func}: shapes {', '.join(map(str, shapes))} cannot be broadcast together") from None


def not_traced(value, func, why):
    """Raise a clear error (not a ConcretizationTypeError) when ``value`` is traced by a JAX transformation."""
    if isinstance(value, Tracer):
        raise TypeError(f"{func}: {why} cannot be computed under a JAX transformation such as jax.jit "
                        "(the result would depend on traced values); call it outside the transformed "
                        "function")


def device_arg(device, func):
    """Validate ``device=``: None, a jax Device or a jax Sharding."""
    if device is None:
        return None
    import jax

    if isinstance(device, (jax.Device, jax.sharding.Sharding)):
        return device
    raise ValueError(f"{func}: device must be a jax Device or Sharding (see info.devices()), got {device!r}")


_BOUNDS = {}  # id(index value) -> (weakref to it, min, max): index arrays are often reused; bounded
_BOUNDS_MAX = 1024


def index_in_bounds(index, n, axis, func, arg="indices"):
    """IndexError if a concrete index array has values outside [-n, n) (JAX would clamp them silently).

    Traced indices cannot be checked (their values are unknown); JAX's clamping applies there.
    """
    entry = _BOUNDS.get(id(index))
    if entry is not None and entry[0]() is index:
        lo, hi = entry[1], entry[2]
    elif isinstance(index, Tracer) or not index.size or index.dtype not in _dtypes.INTEGER:
        return  # a float index is refused by the kernel's dtype check
    else:
        from . import _dispatch

        if _dispatch.platform_of(index) == "cpu":  # reading host memory directly beats a kernel call
            host = _dispatch.to_host(index)
            lo, hi = int(host.min()), int(host.max())
        else:
            lo, hi = (int(b) for b in _dispatch.to_host(_dispatch.index_bounds(index)))
        if len(_BOUNDS) >= _BOUNDS_MAX:
            _BOUNDS.clear()
        _BOUNDS[id(index)] = (weakref.ref(index), lo, hi)
    if lo < -n or hi >= n:
        raise IndexError(f"{func}: {arg} has values in [{lo}, {hi}], out of bounds for axis {axis} with size {n}")


# --- reductions and keyword flags ---------------------------------------------------------------------------


def boolean(value, func, arg):
    """A bool argument (keepdims, upper, include_initial, ...)."""
    if not isinstance(value, (builtins.bool, np.bool_)):
        raise TypeError(f"{func}: {arg} must be a bool, got {type(value).__name__}")
    return builtins.bool(value)


def accumulation_dtype(x_dtype, dt, func, default_integral=None):
    """The result dtype of sum, prod, cumulative_sum/prod and trace (the standard's ``dtype=`` rule).

    With ``dtype=None``: integers narrower than the default integer become the default integer (signed) or the
    unsigned integer of the same width (unsigned); other dtypes are kept. An explicit ``dtype`` must be numeric,
    and complex input needs a complex ``dtype`` (the standard does not define complex-to-real casts).
    """
    if dt is None:
        default = _dtypes.DEFAULTS["integral"] if default_integral is None else default_integral
        if x_dtype.itemsize < default.itemsize:
            if x_dtype in _dtypes.SIGNED:
                return default
            if x_dtype in _dtypes.UNSIGNED:
                return np.dtype(f"uint{8 * default.itemsize}")
        return x_dtype
    dt = dtype(dt, func)
    if dt not in _dtypes.NUMERIC:
        raise TypeError(f"{func}: dtype must be a numeric dtype, got {dt}")
    if x_dtype in _dtypes.COMPLEX_FLOATING and dt not in _dtypes.COMPLEX_FLOATING:
        raise TypeError(f"{func}: x has dtype {x_dtype}; a complex array cannot be accumulated in dtype {dt}")
    return dt


# --- data-dependent shapes ----------------------------------------------------------------------------------


def data_dependent(value, func, why):
    """Allow a result whose shape depends on ``value``'s data: the flag must be on and ``value`` concrete."""
    from . import _flags

    if not _flags.FLAGS["data_dependent_shapes"]:
        raise RuntimeError(f"{func}: {why} has a data-dependent shape, and data-dependent shapes are disabled "
                           "by array_api_jax.set_flags(data_dependent_shapes=False) (jit-readiness check)")
    not_traced(value, func, why)
