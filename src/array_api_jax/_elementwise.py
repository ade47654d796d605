"""Element-wise functions, one table line each, and the Array operators derived from them."""

import functools

import jax
import numpy as np
from jax import lax

from . import _dtypes, _host, _special_cases, _validate
from ._array import Array
from ._dispatch import Tracer, kernel, without_jax_note
from ._host import HostArray

__all__ = []


def _export(func, name, cat):
    func.__name__ = func.__qualname__ = name
    func.__module__ = "array_api_jax"
    func.category = cat
    __all__.append(name)
    globals()[name] = func
    return func


# Checks that depend only on dtypes and shapes run inside the kernel, when JAX traces it: once per input
# signature, after which JAX's compiled-call cache answers without running any Python. Eager calls then cost
# one kernel call plus the Array wrapper; a failed check raises before anything is computed.


# Deferred predicates. A comparison or an is* test on concrete arrays of up to _DEFER_MAX_SIZE elements returns
# an Array whose value is not computed yet (``Array._pending``): ``where`` and the reductions that accept bool
# (any, all, count_nonzero) trace the predicate into their own kernel, so ``where(x > 0, x, 0)`` or
# ``any(isnan(x))`` is one kernel call instead of two; any other use computes the value then. The operands'
# dtypes, shapes and devices are checked at the call, so errors are raised where they are made; the operand
# values are immutable jax arrays, so later writes to the operands do not change the result. Traced values are
# computed at once.

_DEFERRED = frozenset({"equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
                       "isfinite", "isinf", "isnan"})
_DEFER_MAX_SIZE = 1 << 16  # beyond this the call overhead saved is negligible, and the operands stay alive
# Computed at once: traced values, and the NumPy values that stand for NaN and complex Python scalars
_COMPUTED_NOW = (Tracer, np.ndarray)


@functools.lru_cache(maxsize=1024)
def _deferrable(func, *avals):
    """Check ``func``'s operands by tracing its kernel (raising its errors); whether the result may be deferred."""
    jax.eval_shape(func._checked, *(jax.ShapeDtypeStruct(a.shape, a.dtype, weak_type=a.weak_type) for a in avals))
    return all(a.size <= _DEFER_MAX_SIZE for a in avals)


def _defer(func, values):
    """The Array of ``func`` on raw ``values`` (already checked to share a device): deferred when concrete and small.

    Host values are computed at once: a NumPy call costs less than deferring it.
    """
    try:  # one and two values unrolled: the calls are on the eager hot path, where a generator costs 0.3 µs
        if len(values) == 2:
            v1, v2 = values
            if type(v1) is HostArray and type(v2) is HostArray:
                return Array._new(func._host(v1, v2))
            if not isinstance(v1, _COMPUTED_NOW) and not isinstance(v2, _COMPUTED_NOW) \
                    and _deferrable(func, v1.aval, v2.aval):
                return Array._deferred(func, values)
        elif len(values) == 1:
            if type(values[0]) is HostArray:
                return Array._new(func._host(values[0]))
            if not isinstance(values[0], _COMPUTED_NOW) and _deferrable(func, values[0].aval):
                return Array._deferred(func, values)
        elif all(type(v) is HostArray for v in values):
            return Array._new(func._host(*values))
        elif not any(isinstance(v, _COMPUTED_NOW) for v in values) and _deferrable(func, *(v.aval for v in values)):
            return Array._deferred(func, values)
        return Array._new(func._kernel(*values))
    except Exception as e:
        without_jax_note(e)
        raise


# Predicates combine: ``&``, ``|``, ``^``, ``~`` and the logical functions with a deferred operand give a deferred
# result that applies the operator to its parts' results, so ``where((x > a) & (x < b), x, 0)`` stays one kernel
# call. A combined predicate is cached by its operator and parts; past _MAX_COMBINED_VALUES operand values the
# operands are computed instead.

_COMBINING = frozenset({"bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_invert",
                        "logical_and", "logical_or", "logical_xor", "logical_not"})
_MAX_COMBINED_VALUES = 8


class _Computed:
    """The part of a combined predicate that is an array computed already: its value as it is."""

    @staticmethod
    def _checked(value):
        return value


class _Combined:
    """A predicate made of others: a traced function and its kernel, as the element-wise functions have."""

    __slots__ = ("_checked", "_kernel")

    def __init__(self, checked):
        self._checked = checked
        self._kernel = kernel(checked)


@functools.lru_cache(maxsize=256)
def _combined(op, parts):
    """``op`` applied to the results of ``parts``, a tuple of (predicate, number of its operand values)."""
    def checked(*values):
        results, start = [], 0
        for part, n in parts:
            results.append(part._checked(*values[start:start + n]))
            start += n
        return op._checked(*results)
    return _Combined(checked)


def _combine(op, operands):
    """``op`` on Arrays of which one at least is deferred, as a deferred Array; None when it would grow too big."""
    parts, values = [], []
    for x in operands:
        if x._pending is None:
            parts.append((_Computed, 1))
            values.append(x._value if x._base is None else x._data())
        else:
            parts.append((x._pending[0], len(x._pending[1])))
            values.extend(x._pending[1])
    if len(values) > _MAX_COMBINED_VALUES:
        return None
    if _validate._MULTI_DEVICE[0]:
        _validate.devices_of(values, op.__name__)
    return _defer(_combined(op, tuple(parts)), tuple(values))


def _result_dtype(checked, *dtypes):
    """The result dtype ``checked`` gives for operands of ``dtypes`` (traced once per signature)."""
    return jax.eval_shape(checked, *(jax.ShapeDtypeStruct((), d) for d in dtypes)).dtype


def _host_result(out, dt):
    if type(out) is not HostArray:
        out = np.asarray(out)
    if out.dtype != dt:
        out = out.astype(dt)
    return out


def _unary(name, cat):
    cats = _dtypes.CATEGORIES[cat]
    complete = _special_cases.implementation(name, _special_cases.JAX)
    host_complete = _special_cases.implementation(name, _special_cases.HOST)

    def checked(x):
        if x.dtype not in cats:
            raise TypeError(f"{name}: x has dtype {x.dtype}, but {name} accepts only {cat} dtypes")
        return complete(x)

    k = kernel(checked)
    new = Array._new
    result_dtypes = {}

    def host(x):
        dt = result_dtypes.get(x.dtype)
        if dt is None:
            if x.dtype not in cats:
                raise TypeError(f"{name}: x has dtype {x.dtype}, but {name} accepts only {cat} dtypes")
            dt = result_dtypes[x.dtype] = _result_dtype(checked, x.dtype)
        return _host_result(_host.quiet(host_complete, x), dt)

    def raw(x):
        if not isinstance(x, Array):
            raise TypeError(f"{name}: x must be an array, got {type(x).__name__}")
        v = x._value if x._base is None else x._data()
        if type(v) is HostArray:
            return host(v)
        try:
            return k(v)
        except Exception as e:
            without_jax_note(e)
            raise

    def func(x, /):
        return new(raw(x))

    if name in _DEFERRED:
        def func(x, /):  # noqa: F811 - the deferred form of the above
            if not isinstance(x, Array):
                raise TypeError(f"{name}: x must be an array, got {type(x).__name__}")
            return _defer(func, (x._value if x._base is None else x._data(),))
    elif name in _COMBINING:
        computed = func

        def func(x, /):  # noqa: F811 - the above, or a combined predicate for a deferred x
            if type(x) is Array and x._pending is not None:
                out = _combine(func, (x,))
                if out is not None:
                    return out
            return computed(x)

    func.__doc__ = f"Element-wise {name} (the array API standard's ``{name}``); x must have a {cat} dtype."
    func._raw = raw
    func._checked = checked
    func._kernel = k
    func._host = host
    return _export(func, name, cat)


def _binary_checked(name, cat, impl, convert=lax.convert_element_type):
    """``impl`` on two raw operands promoted to the standard's result dtype.

    Dtype and shape checks: at trace time for kernels, on every call for host values (``convert`` is then
    NumPy's astype).
    """
    cats = _dtypes.CATEGORIES[cat]

    def checked(a, b):
        d1, d2 = a.dtype, b.dtype
        dt = d1 if d1 == d2 else _dtypes.promote(d1, d2, name)
        if a.shape != b.shape:
            _validate.broadcast_shapes(a.shape, b.shape, func=name)
        if d1 not in cats or d2 not in cats:
            bad, arg = (d1, "x1") if d1 not in cats else (d2, "x2")
            raise TypeError(f"{name}: {arg} has dtype {bad}, but {name} needs {cat} dtypes")
        return impl(a if d1 == dt else convert(a, dt), b if d2 == dt else convert(b, dt))

    return checked


def _host_convert(value, dtype):
    return value.astype(dtype)


def _in_place_checked(checked, name):
    """``checked`` for ``x1 op= x2``: the result must keep x1's dtype and shape (checked at trace time for
    kernels; for host values, on every call)."""
    def in_place(a, b):
        out = checked(a, b)
        if out.dtype != a.dtype:
            raise TypeError(f"{name}: the result dtype {out.dtype} (of other with dtype {b.dtype}) differs from the "
                            f"array's dtype {a.dtype}; use the out-of-place operator")
        if out.shape != a.shape:
            raise ValueError(f"{name}: the result shape {out.shape} (other has shape {b.shape}) differs from the "
                             f"array's shape {a.shape}; use the out-of-place operator")
        return out
    return in_place


def _binary(name, cat):
    checked = _binary_checked(name, cat, _special_cases.implementation(name, _special_cases.JAX))
    host_checked = _binary_checked(name, cat, _special_cases.implementation(name, _special_cases.HOST),
                                   _host_convert)
    k = kernel(checked)
    new = Array._new
    operand_values = _validate.operand_values
    multi_device = _validate._MULTI_DEVICE
    result_dtypes = {}

    def host(v1, v2):
        out = _host.quiet(host_checked, v1, v2)
        key = (v1.dtype, v2.dtype)
        dt = result_dtypes.get(key)
        if dt is None:
            dt = result_dtypes[key] = _result_dtype(checked, *key)
        return _host_result(out, dt)

    def raw(x1, x2, k=k, host=host):
        v1, v2 = operand_values(x1, x2, name)
        if type(v1) is HostArray and type(v2) is HostArray:
            return host(v1, v2)
        try:
            return k(v1, v2)
        except Exception as e:
            without_jax_note(e)
            raise

    def func(x1, x2, /):
        if type(x1) is Array and type(x2) is Array and x1._base is None and x2._base is None \
                and not multi_device[0]:  # the common case, without the calls of the general path
            v1, v2 = x1._value, x2._value
            if type(v1) is HostArray and type(v2) is HostArray:
                return new(host(v1, v2))
            try:
                return new(k(v1, v2))
            except Exception as e:
                without_jax_note(e)
                raise
        return new(raw(x1, x2))

    if name in _DEFERRED:
        def func(x1, x2, /):  # noqa: F811 - the deferred form of the above
            if type(x1) is Array and type(x2) is Array and x1._base is None and x2._base is None \
                    and not multi_device[0]:
                return _defer(func, (x1._value, x2._value))
            return _defer(func, operand_values(x1, x2, name))
    elif name in _COMBINING:
        computed = func

        def func(x1, x2, /):  # noqa: F811 - the above, or a combined predicate for a deferred operand
            if type(x1) is Array and type(x2) is Array and (x1._pending is not None or x2._pending is not None):
                out = _combine(func, (x1, x2))
                if out is not None:
                    return out
            return computed(x1, x2)

    func.__doc__ = (f"Element-wise {name} of x1 and x2 (the array API standard's ``{name}``), with broadcasting; "
                    f"inputs must have {cat} dtypes; one of them may be a Python scalar.")
    func._raw = raw
    func._checked = checked
    func._kernel = k
    func._host = host
    return _export(func, name, cat)


# name, category (the implementations are in _special_cases)
for _name, _cat in [
    ("abs", "numeric"),
    ("acos", "floating-point"),
    ("acosh", "floating-point"),
    ("asin", "floating-point"),
    ("asinh", "floating-point"),
    ("atan", "floating-point"),
    ("atanh", "floating-point"),
    ("bitwise_invert", "integer or boolean"),
    ("ceil", "real-valued"),
    ("conj", "numeric"),
    ("cos", "floating-point"),
    ("cosh", "floating-point"),
    ("exp", "floating-point"),
    ("expm1", "floating-point"),
    ("floor", "real-valued"),
    ("imag", "complex floating"),
    ("isfinite", "numeric"),
    ("isinf", "numeric"),
    ("isnan", "numeric"),
    ("log", "floating-point"),
    ("log1p", "floating-point"),
    ("log2", "floating-point"),
    ("log10", "floating-point"),
    ("logical_not", "bool"),
    ("negative", "numeric"),
    ("positive", "numeric"),
    ("real", "numeric"),
    ("reciprocal", "floating-point"),
    ("round", "numeric"),
    ("sign", "numeric"),
    ("signbit", "real floating"),
    ("sin", "floating-point"),
    ("sinh", "floating-point"),
    ("sqrt", "floating-point"),
    ("square", "numeric"),
    ("tan", "floating-point"),
    ("tanh", "floating-point"),
    ("trunc", "real-valued"),
]:
    _unary(_name, _cat)

for _name, _cat in [
    ("add", "numeric"),
    ("atan2", "real floating"),
    ("bitwise_and", "integer or boolean"),
    ("bitwise_left_shift", "integer"),
    ("bitwise_or", "integer or boolean"),
    ("bitwise_right_shift", "integer"),
    ("bitwise_xor", "integer or boolean"),
    ("copysign", "real floating"),
    ("divide", "floating-point"),
    ("equal", "all"),
    ("floor_divide", "real-valued"),
    ("greater", "real-valued"),
    ("greater_equal", "real-valued"),
    ("hypot", "real floating"),
    ("less", "real-valued"),
    ("less_equal", "real-valued"),
    ("logaddexp", "real floating"),
    ("logical_and", "bool"),
    ("logical_or", "bool"),
    ("logical_xor", "bool"),
    ("maximum", "real-valued"),
    ("minimum", "real-valued"),
    ("multiply", "numeric"),
    ("nextafter", "real floating"),
    ("not_equal", "all"),
    ("pow", "numeric"),
    ("remainder", "real-valued"),
    ("subtract", "numeric"),
]:
    _binary(_name, _cat)


@kernel(static=("n",))
def _integer_pow(x, *, n):
    return lax.integer_pow(x, n)


def _pow_raw(x1, x2, k=None, host=None, _generic=pow._raw):  # noqa: F821 - defined by the table above
    """pow with a Python int exponent is repeated multiplication (lax.integer_pow), as in jax.numpy."""
    if type(x2) is int and isinstance(x1, Array):
        v = x1._data()
        if v.dtype in _dtypes.FLOATING or (v.dtype in _dtypes.INTEGER and x2 >= 0):
            _validate.scalar_dtype(x2, v.dtype, "pow", "x2")  # the standard's scalar rules (bounds)
            if type(v) is HostArray:
                return _host_result(_host.quiet(np.power, v, x2), v.dtype)
            return _integer_pow(v, n=x2)
    return _generic(x1, x2) if k is None else _generic(x1, x2, k, host)


def _pow(x1, x2, /):
    return Array._new(_pow_raw(x1, x2))


_pow.__doc__ = pow.__doc__  # noqa: F821
_pow._raw = _pow_raw
_pow._checked = pow._checked  # noqa: F821
_pow._host = pow._host  # noqa: F821
_export(_pow, "pow", "numeric")


def _clip_impl(m, x, lo, hi, *, dtype):
    out = x
    if lo is not None:
        out = m.maximum(out, m.convert(lo, dtype))
    if hi is not None:
        out = m.minimum(out, m.convert(hi, dtype))
    return out


_clip_kernel = kernel(functools.partial(_clip_impl, _special_cases.JAX), static=("dtype",),
                      host=functools.partial(_clip_impl, _special_cases.HOST))


def clip(x, /, min=None, max=None):  # noqa: A002 - the standard's parameter names
    """Clamp each element of x to [min, max]; min/max may be arrays (broadcast to x) or Python scalars."""
    v = _validate.array_in(x, "real-valued", "clip")
    bounds = []
    for arg, b in (("min", min), ("max", max)):
        if b is None:
            bounds.append(None)
            continue
        b = _validate.plain_scalar(b)
        if isinstance(b, Array):
            bv = _validate.array_in(b, "real-valued", "clip", arg)
            _dtypes.promote(v.dtype, bv.dtype, "clip")
            _validate.broadcast_shapes(v.shape, bv.shape, func="clip")
            if bv.dtype != v.dtype and (v.dtype in _dtypes.INTEGER) != (bv.dtype in _dtypes.INTEGER):
                raise TypeError(f"clip: {arg} has dtype {bv.dtype}, incompatible with x's dtype {v.dtype}")
            bounds.append(bv)
        else:
            if type(b) is int and v.dtype in _dtypes.INTEGER:
                info = _validate._IINFO[v.dtype]
                b = info.min if b < info.min else info.max if b > info.max else b
            sd = _validate.scalar_dtype(b, v.dtype, "clip", arg)
            if sd != v.dtype:
                raise TypeError(f"clip: {arg} of type {type(b).__name__} cannot be used with dtype {v.dtype}")
            bounds.append(b)
    if bounds[0] is None and bounds[1] is None:
        return Array._new(v)
    return Array._new(_clip_kernel(v, bounds[0], bounds[1], dtype=v.dtype))


_export(clip, "clip", "real-valued")


# --- operators ---------------------------------------------------------------------------------------------

_SCALARS = (bool, int, float, complex)


def _operator(func, reflect=True, inplace=True, name="in-place operator", dunder="operator"):
    raw = func._raw
    deferred = func.__name__ in _DEFERRED or func.__name__ in _COMBINING

    operand = _validate.operator_operand  # a scalar subclass -> the Python scalar; foreign -> TypeError

    def forward(self, other, /):
        if not isinstance(other, Array) and type(other) not in _SCALARS:
            other = operand(other, dunder)
            if other is NotImplemented:
                return NotImplemented
        if deferred and type(self) is Array:
            return func(self, other)
        return type(self)._new(raw(self, other))

    def reflected(self, other, /):
        if type(other) not in _SCALARS:
            other = operand(other, "__r" + dunder[2:])
            if other is NotImplemented:
                return NotImplemented
        return type(self)._new(raw(other, self))

    in_place_kernel = kernel(_in_place_checked(func._checked, name)) if inplace else None
    in_place_host = _in_place_checked(func._host, name) if inplace else None

    def in_place(self, other, /):
        if not isinstance(other, Array) and type(other) not in _SCALARS:
            other = operand(other, name)
            if other is NotImplemented:
                return NotImplemented
        with self._lock():  # read, compute and store as one step for concurrent writers
            self._assign(raw(self, other, in_place_kernel, in_place_host))
        return self

    return forward, (reflected if reflect else None), (in_place if inplace else None)


def _unary_operator(func):
    raw = func._raw
    combining = func.__name__ in _COMBINING

    def op(self, /):
        if combining and type(self) is Array:
            return func(self)
        return type(self)._new(raw(self))
    return op


# dunder stem -> element-wise function; comparisons have no reflected or in-place form
_OPERATORS = {
    "add": add, "sub": subtract, "mul": multiply, "truediv": divide, "floordiv": floor_divide,  # noqa: F821
    "mod": remainder, "pow": _pow, "and": bitwise_and, "or": bitwise_or, "xor": bitwise_xor,  # noqa: F821
    "lshift": bitwise_left_shift, "rshift": bitwise_right_shift,  # noqa: F821
}
_COMPARISONS = {
    "eq": equal, "ne": not_equal, "lt": less, "le": less_equal, "gt": greater, "ge": greater_equal,  # noqa: F821
}
_UNARY_OPERATORS = {"abs": abs, "neg": negative, "pos": positive, "invert": bitwise_invert}  # noqa: F821


def install_operators(cls, operators=_OPERATORS, comparisons=_COMPARISONS, unary=_UNARY_OPERATORS):
    for stem, f in operators.items():
        fwd, ref, inp = _operator(f, name=f"__i{stem}__", dunder=f"__{stem}__")
        setattr(cls, f"__{stem}__", fwd)
        setattr(cls, f"__r{stem}__", ref)
        setattr(cls, f"__i{stem}__", inp)
    for stem, f in comparisons.items():
        fwd, _, _ = _operator(f, reflect=False, inplace=False, dunder=f"__{stem}__")
        setattr(cls, f"__{stem}__", fwd)
    for stem, f in unary.items():
        setattr(cls, f"__{stem}__", _unary_operator(f))
    for name in [n for n in vars(cls) if n.startswith("__") and callable(vars(cls)[n])]:
        vars(cls)[name].__name__ = name
        vars(cls)[name].__qualname__ = f"{cls.__name__}.{name}"


install_operators(Array)
Array.__hash__ = None
