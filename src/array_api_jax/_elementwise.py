"""Element-wise functions, one table line each, and the Array operators derived from them."""

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from . import _dtypes, _validate
from ._array import Array
from ._dispatch import Tracer, kernel, without_jax_note

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
    """The Array of ``func`` on raw ``values`` (already checked to share a device): deferred when concrete and small."""
    try:  # one and two values unrolled: the calls are on the eager hot path, where a generator costs 0.3 µs
        if len(values) == 2:
            v1, v2 = values
            if not isinstance(v1, _COMPUTED_NOW) and not isinstance(v2, _COMPUTED_NOW) \
                    and _deferrable(func, v1.aval, v2.aval):
                return Array._deferred(func, values)
        elif len(values) == 1:
            if not isinstance(values[0], _COMPUTED_NOW) and _deferrable(func, values[0].aval):
                return Array._deferred(func, values)
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


def _unary(name, cat, impl):
    cats = _dtypes.CATEGORIES[cat]
    complete = _complete(name, impl)

    def checked(x):
        if x.dtype not in cats:
            raise TypeError(f"{name}: x has dtype {x.dtype}, but {name} accepts only {cat} dtypes")
        return complete(x)

    k = kernel(checked)
    new = Array._new

    def raw(x):
        if not isinstance(x, Array):
            raise TypeError(f"{name}: x must be an array, got {type(x).__name__}")
        try:
            return k(x._value if x._base is None else x._data())
        except Exception as e:
            without_jax_note(e)
            raise

    def func(x, /):
        if isinstance(x, Array):
            try:
                return new(k(x._value if x._base is None else x._data()))
            except Exception as e:
                without_jax_note(e)
                raise
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
    return _export(func, name, cat)


def _binary_checked(name, cat, impl):
    """``impl`` on two raw operands promoted to the standard's result dtype; dtype and shape checks at trace time."""
    cats = _dtypes.CATEGORIES[cat]

    def checked(a, b):
        d1, d2 = a.dtype, b.dtype
        dt = d1 if d1 == d2 else _dtypes.promote(d1, d2, name)
        if a.shape != b.shape:
            _validate.broadcast_shapes(a.shape, b.shape, func=name)
        if d1 not in cats or d2 not in cats:
            bad, arg = (d1, "x1") if d1 not in cats else (d2, "x2")
            raise TypeError(f"{name}: {arg} has dtype {bad}, but {name} needs {cat} dtypes")
        return impl(lax.convert_element_type(a, dt), lax.convert_element_type(b, dt))

    return checked


def _in_place_checked(checked, name):
    """``checked`` for ``x1 op= x2``: the result must keep x1's dtype and shape (checked at trace time)."""
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


def _binary(name, cat, impl):
    checked = _binary_checked(name, cat, impl)
    k = kernel(checked)
    new = Array._new
    operand_values = _validate.operand_values
    multi_device = _validate._MULTI_DEVICE

    def raw(x1, x2, k=k):
        v1, v2 = operand_values(x1, x2, name)
        try:
            return k(v1, v2)
        except Exception as e:
            without_jax_note(e)
            raise

    def func(x1, x2, /):
        if type(x1) is Array and type(x2) is Array and x1._base is None and x2._base is None \
                and not multi_device[0]:  # the common case, without the calls of the general path
            try:
                return new(k(x1._value, x2._value))
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
    return _export(func, name, cat)


def _abs(x):
    out = jnp.abs(x)
    if jnp.iscomplexobj(x):  # the standard: an infinite component gives +infinity, even with a NaN component
        out = jnp.where(jnp.isinf(jnp.real(x)) | jnp.isinf(jnp.imag(x)), jnp.inf, out)
    return out


def _round(x):
    return jnp.round(x)


def _sign(x):
    if jnp.iscomplexobj(x):
        mag = jnp.abs(x)
        return jnp.where(mag == 0, jnp.zeros_like(x), x / jnp.where(mag == 0, 1, mag).astype(x.dtype))
    return jnp.where(x == 0, jnp.zeros_like(x), jnp.sign(x))  # sign(-0.0) is +0 in the standard


def _floor_divide(a, b):
    out = jnp.floor_divide(a, b)
    if jnp.issubdtype(a.dtype, jnp.floating):
        # the standard's special cases (zeros, infinities) are those of floor(a / b)
        special = ~jnp.isfinite(a) | ~jnp.isfinite(b) | (a == 0)
        out = jnp.where(special, jnp.floor(a / b), out)
    return out


def _remainder(a, b):
    out = jnp.remainder(a, b)
    if jnp.issubdtype(a.dtype, jnp.floating):
        out = jnp.where(out == 0, jnp.copysign(jnp.zeros_like(out), b), out)  # a zero takes the divisor's sign
    return out


# Complex special cases of the standard (C99 Annex G) that XLA's kernels do not follow, as
# (condition on real and imaginary parts) -> (real, imaginary) of the result, applied in order.
_NAN, _INF, _HALF_PI = float("nan"), float("inf"), float(jnp.pi / 2)


def _nan_or_inf(v):
    return jnp.isnan(v) | jnp.isinf(v)


_COMPLEX_SPECIAL_CASES = {
    "acos": lambda re, im: [
        (jnp.isfinite(re) & jnp.isnan(im), (_NAN, _NAN)),
        (jnp.isnan(re) & jnp.isfinite(im), (_NAN, _NAN)),
        (jnp.isinf(re) & jnp.isnan(im), (_NAN, _INF)),
        (jnp.isnan(re) & jnp.isinf(im), (_NAN, -im)),
        ((re == 0) & jnp.isnan(im), (_HALF_PI, _NAN)),
    ],
    "acosh": lambda re, im: [
        (jnp.isfinite(re) & jnp.isnan(im), (_NAN, _NAN)),
        (jnp.isnan(re) & jnp.isfinite(im), (_NAN, _NAN)),
        ((jnp.isinf(re) & jnp.isnan(im)) | (jnp.isnan(re) & jnp.isinf(im)), (_INF, _NAN)),
        ((re == 0) & jnp.isnan(im), (_NAN, _HALF_PI)),
    ],
    "asinh": lambda re, im: [
        (jnp.isfinite(re) & jnp.isnan(im), (_NAN, _NAN)),
        (jnp.isnan(re) & jnp.isfinite(im), (_NAN, _NAN)),
        (jnp.isnan(re) & jnp.isinf(im), (_INF, _NAN)),
        (jnp.isnan(re) & (im == 0), (_NAN, im)),
    ],
    "atanh": lambda re, im: [
        (jnp.isnan(re) & ~jnp.isinf(im), (_NAN, _NAN)),
        (jnp.isfinite(re) & (re != 0) & jnp.isnan(im), (_NAN, _NAN)),
        ((re == 0) & jnp.isnan(im), (re, _NAN)),
        (jnp.isinf(re) & jnp.isnan(im), (jnp.copysign(0.0, re), _NAN)),
    ],
    "cosh": lambda re, im: [
        ((re == 0) & _nan_or_inf(im), (_NAN, 0.0)),
        (jnp.isinf(re) & _nan_or_inf(im), (_INF, _NAN)),
    ],
    "sinh": lambda re, im: [
        ((re == 0) & _nan_or_inf(im), (re, _NAN)),
        (jnp.isinf(re) & _nan_or_inf(im), (re, _NAN)),
    ],
    "tanh": lambda re, im: [
        ((re == 0) & _nan_or_inf(im), (re, _NAN)),
        (jnp.isinf(re), (jnp.copysign(1.0, re), jnp.where(jnp.isfinite(im), jnp.copysign(0.0, im), 0.0))),
    ],
    "exp": lambda re, im: [
        ((re == -_INF) & _nan_or_inf(im), (0.0, 0.0)),
        ((re == _INF) & _nan_or_inf(im), (_INF, _NAN)),
    ],
    "expm1": lambda re, im: [
        ((re == -_INF) & _nan_or_inf(im), (-1.0, 0.0)),
        ((re == _INF) & _nan_or_inf(im), (_INF, _NAN)),
    ],
    "log": lambda re, im: [((jnp.isinf(re) & jnp.isnan(im)) | (jnp.isnan(re) & jnp.isinf(im)), (_INF, _NAN))],
    "log1p": lambda re, im: [((jnp.isinf(re) & jnp.isnan(im)) | (jnp.isnan(re) & jnp.isinf(im)), (_INF, _NAN))],
    "sqrt": lambda re, im: [
        (jnp.isinf(im), (_INF, im)),
        ((re == -_INF) & jnp.isnan(im), (_NAN, _INF)),
        ((re == _INF) & jnp.isnan(im), (_INF, _NAN)),
    ],
}


# The standard requires f(conj(z)) == conj(f(z)) for these (and f(-z) == -f(z) for the odd ones, f(-z) == f(z) for
# the even ones). XLA's complex kernels ignore the sign of a zero component, which puts results on the wrong side of
# a branch cut (acos(-2.5 - 0j), asinh(-0 - 6j), sqrt(-1 - 0j), ...). So they are evaluated in the first quadrant
# (odd and even functions) or the upper half plane, and the symmetries give the result. (The circular functions
# follow from the hyperbolic ones, below.)
_CONJ_SYMMETRIC = {"acos", "acosh", "asinh", "atanh", "cosh", "exp", "expm1", "log", "log1p", "sinh", "sqrt", "tanh"}
_ODD = {"asinh", "atanh", "sinh", "tanh"}
_EVEN = {"cosh"}


def _with_symmetries(name, impl):
    if name not in _CONJ_SYMMETRIC:
        return impl

    def fixed(x):
        if not jnp.iscomplexobj(x):
            return impl(x)
        re, im = jnp.real(x), jnp.imag(x)
        flip_im = jnp.signbit(im)
        if name in _ODD or name in _EVEN:
            neg_re = jnp.signbit(re)
            flip_im = flip_im != neg_re
            re = jnp.abs(re)
        w = impl(lax.complex(re, jnp.abs(im)))
        w = jnp.where(flip_im, jnp.conj(w), w)
        if name in _ODD:
            w = jnp.where(neg_re, -w, w)
        return w

    return fixed


# For these the standard defines complex special cases "as if implemented as" another function: cos(x) as
# cosh(x*1j), sin(x) as -1j * sinh(x*1j), log2(x) as log(x) / log(2), ... Doing exactly that (multiplying by
# 1j as a rotation, dividing by a real number component-wise) gives them the special cases of the function
# they are defined by.
def _rotate(z):  # 1j * z, exactly: a complex multiplication would turn infinite components into NaNs
    return lax.complex(-jnp.imag(z), jnp.real(z))


def _unrotate(z):  # -1j * z
    return lax.complex(jnp.imag(z), -jnp.real(z))


def _real_scaled(z, factor):  # z * factor for a real factor, component-wise (the standard's division table)
    return lax.complex(jnp.real(z) * factor, jnp.imag(z) * factor)


_DEFINED_BY = {
    "asin": lambda z: _unrotate(_COMPLETE["asinh"](_rotate(z))),
    "atan": lambda z: _unrotate(_COMPLETE["atanh"](_rotate(z))),
    "cos": lambda z: _COMPLETE["cosh"](_rotate(z)),
    "sin": lambda z: _unrotate(_COMPLETE["sinh"](_rotate(z))),
    "tan": lambda z: _unrotate(_COMPLETE["tanh"](_rotate(z))),
    "log2": lambda z: _real_scaled(_COMPLETE["log"](z), 1 / math.log(2)),
    "log10": lambda z: _real_scaled(_COMPLETE["log"](z), 1 / math.log(10)),
}
_COMPLETE = {}  # name -> the implementation with the standard's complex special cases and symmetries


def _complete(name, impl):
    if name in _DEFINED_BY:
        via = _DEFINED_BY[name]
        out = lambda x: via(x) if jnp.iscomplexobj(x) else impl(x)  # noqa: E731
    else:
        out = _with_complex_special_cases(name, _with_symmetries(name, impl))
    _COMPLETE[name] = out
    return out


def _with_complex_special_cases(name, impl):
    rules = _COMPLEX_SPECIAL_CASES.get(name)
    if rules is None:
        return impl

    def fixed(x):
        out = impl(x)
        if not jnp.iscomplexobj(x):
            return out
        re, im = jnp.real(x), jnp.imag(x)
        for cond, (r, i) in rules(re, im):
            value = lax.complex(jnp.broadcast_to(jnp.asarray(r, re.dtype), re.shape),
                                jnp.broadcast_to(jnp.asarray(i, re.dtype), re.shape))
            out = jnp.where(cond, value, out)
        return out

    return fixed


def _atanh(x):
    if x.dtype == jnp.complex64:
        # XLA's complex64 atanh overflows near z = 1 (|1 - z|**2 underflows); complex128 holds it
        return jnp.arctanh(x.astype(jnp.complex128)).astype(jnp.complex64)
    return jnp.arctanh(x)


def _shift(op):
    def impl(a, b):
        bits = a.dtype.itemsize * 8
        shifted = op(a, jnp.clip(b, 0, bits - 1).astype(a.dtype))
        if op is jnp.left_shift:
            return jnp.where(b >= bits, jnp.zeros_like(a), shifted)
        return jnp.where(b >= bits, jnp.where(a < 0, -1, 0).astype(a.dtype), shifted)
    return impl


# name, category, implementation on raw jax arrays
for _name, _cat, _impl in [
    ("abs", "numeric", _abs),
    ("acos", "floating-point", jnp.arccos),
    ("acosh", "floating-point", jnp.arccosh),
    ("asin", "floating-point", jnp.arcsin),
    ("asinh", "floating-point", jnp.arcsinh),
    ("atan", "floating-point", jnp.arctan),
    ("atanh", "floating-point", _atanh),
    ("bitwise_invert", "integer or boolean", jnp.invert),
    ("ceil", "real-valued", jnp.ceil),
    ("conj", "numeric", jnp.conj),
    ("cos", "floating-point", jnp.cos),
    ("cosh", "floating-point", jnp.cosh),
    ("exp", "floating-point", jnp.exp),
    ("expm1", "floating-point", jnp.expm1),
    ("floor", "real-valued", jnp.floor),
    ("imag", "complex floating", jnp.imag),
    ("isfinite", "numeric", jnp.isfinite),
    ("isinf", "numeric", jnp.isinf),
    ("isnan", "numeric", jnp.isnan),
    ("log", "floating-point", jnp.log),
    ("log1p", "floating-point", jnp.log1p),
    ("log2", "floating-point", jnp.log2),
    ("log10", "floating-point", jnp.log10),
    ("logical_not", "bool", jnp.logical_not),
    ("negative", "numeric", jnp.negative),
    ("positive", "numeric", jnp.positive),
    ("real", "numeric", jnp.real),
    ("reciprocal", "floating-point", jnp.reciprocal),
    ("round", "numeric", _round),
    ("sign", "numeric", _sign),
    ("signbit", "real floating", jnp.signbit),
    ("sin", "floating-point", jnp.sin),
    ("sinh", "floating-point", jnp.sinh),
    ("sqrt", "floating-point", jnp.sqrt),
    ("square", "numeric", jnp.square),
    ("tan", "floating-point", jnp.tan),
    ("tanh", "floating-point", jnp.tanh),
    ("trunc", "real-valued", jnp.trunc),
]:
    _unary(_name, _cat, _impl)

for _name, _cat, _impl in [
    ("add", "numeric", jnp.add),
    ("atan2", "real floating", jnp.arctan2),
    ("bitwise_and", "integer or boolean", jnp.bitwise_and),
    ("bitwise_left_shift", "integer", _shift(jnp.left_shift)),
    ("bitwise_or", "integer or boolean", jnp.bitwise_or),
    ("bitwise_right_shift", "integer", _shift(jnp.right_shift)),
    ("bitwise_xor", "integer or boolean", jnp.bitwise_xor),
    ("copysign", "real floating", jnp.copysign),
    ("divide", "floating-point", jnp.true_divide),
    ("equal", "all", jnp.equal),
    ("floor_divide", "real-valued", _floor_divide),
    ("greater", "real-valued", jnp.greater),
    ("greater_equal", "real-valued", jnp.greater_equal),
    ("hypot", "real floating", jnp.hypot),
    ("less", "real-valued", jnp.less),
    ("less_equal", "real-valued", jnp.less_equal),
    ("logaddexp", "real floating", jnp.logaddexp),
    ("logical_and", "bool", jnp.logical_and),
    ("logical_or", "bool", jnp.logical_or),
    ("logical_xor", "bool", jnp.logical_xor),
    ("maximum", "real-valued", jnp.maximum),
    ("minimum", "real-valued", jnp.minimum),
    ("multiply", "numeric", jnp.multiply),
    ("nextafter", "real floating", jnp.nextafter),
    ("not_equal", "all", jnp.not_equal),
    ("pow", "numeric", jnp.power),
    ("remainder", "real-valued", _remainder),
    ("subtract", "numeric", jnp.subtract),
]:
    _binary(_name, _cat, _impl)


@kernel(static=("n",))
def _integer_pow(x, *, n):
    return lax.integer_pow(x, n)


def _pow_raw(x1, x2, k=None, _generic=pow._raw):  # noqa: F821 - defined by the table above
    """pow with a Python int exponent is repeated multiplication (lax.integer_pow), as in jax.numpy."""
    if type(x2) is int and isinstance(x1, Array):
        v = x1._data()
        if v.dtype in _dtypes.FLOATING or (v.dtype in _dtypes.INTEGER and x2 >= 0):
            _validate.scalar_dtype(x2, v.dtype, "pow", "x2")  # the standard's scalar rules (bounds)
            return _integer_pow(v, n=x2)
    return _generic(x1, x2) if k is None else _generic(x1, x2, k)


def _pow(x1, x2, /):
    return Array._new(_pow_raw(x1, x2))


_pow.__doc__ = pow.__doc__  # noqa: F821
_pow._raw = _pow_raw
_pow._checked = pow._checked  # noqa: F821
_export(_pow, "pow", "numeric")


@kernel(static=("dtype",))
def _clip_kernel(x, lo, hi, *, dtype):
    out = x
    if lo is not None:
        out = jnp.maximum(out, lax.convert_element_type(lo, dtype))
    if hi is not None:
        out = jnp.minimum(out, lax.convert_element_type(hi, dtype))
    return out


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

    def in_place(self, other, /):
        if not isinstance(other, Array) and type(other) not in _SCALARS:
            other = operand(other, name)
            if other is NotImplemented:
                return NotImplemented
        with self._lock():  # read, compute and store as one step for concurrent writers
            self._assign(raw(self, other, in_place_kernel))
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
