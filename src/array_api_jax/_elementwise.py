"""Element-wise functions, one table line each, and the Array operators derived from them."""

import jax.numpy as jnp
from jax import lax

from . import _dtypes, _validate
from ._array import Array
from ._dispatch import kernel

__all__ = []


def _export(func, name, cat):
    func.__name__ = func.__qualname__ = name
    func.__module__ = "array_api_jax"
    func.category = cat
    __all__.append(name)
    globals()[name] = func
    return func


def _unary(name, cat, impl):
    k = kernel(_with_complex_special_cases(name, impl))
    cats = _dtypes.CATEGORIES[cat]
    new = Array._new

    def raw(x):
        if not isinstance(x, Array):
            raise TypeError(f"{name}: x must be an array, got {type(x).__name__}")
        v = x._value if x._base is None else x._data()
        if v.dtype not in cats:
            raise TypeError(f"{name}: x has dtype {v.dtype}, but {name} accepts only {cat} dtypes")
        return k(v)

    def func(x, /):
        return new(raw(x))

    func.__doc__ = f"Element-wise {name} (the array API standard's ``{name}``); x must have a {cat} dtype."
    func._raw = raw
    return _export(func, name, cat)


def _binary(name, cat, impl):
    cats = _dtypes.CATEGORIES[cat]
    new = Array._new
    by_dtype = {}  # one compiled kernel per computation dtype: no static arguments on the hot path

    def kernel_for(dt):
        k = by_dtype.get(dt)
        if k is None:
            k = by_dtype[dt] = kernel(lambda a, b: impl(lax.convert_element_type(a, dt),
                                                        lax.convert_element_type(b, dt)))
        return k

    def raw(x1, x2):
        if type(x1) is Array and type(x2) is Array and x1._base is None and x2._base is None \
                and not _validate._MULTI_DEVICE[0]:
            # fast path: two root arrays of one dtype; a shape mismatch falls through to the full checks
            v1 = x1._value
            v2 = x2._value
            dt = v1.dtype
            if dt == v2.dtype and dt in cats:
                try:
                    return kernel_for(dt)(v1, v2)
                except TypeError:
                    pass
        v1, v2, dt = _validate.operands(x1, x2, cat, name)
        return kernel_for(dt)(v1, v2)

    def func(x1, x2, /):
        return new(raw(x1, x2))

    func.__doc__ = (f"Element-wise {name} of x1 and x2 (the array API standard's ``{name}``), with broadcasting; "
                    f"inputs must have {cat} dtypes; one of them may be a Python scalar.")
    func._raw = raw
    return _export(func, name, cat)


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
    "acos": lambda re, im: [((re == 0) & jnp.isnan(im), (_HALF_PI, _NAN))],
    "acosh": lambda re, im: [((re == 0) & jnp.isnan(im), (_NAN, _HALF_PI))],
    "asinh": lambda re, im: [(jnp.isnan(re) & (im == 0), (_NAN, im))],
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
        ((re == -_INF) & jnp.isnan(im), (_NAN, _INF)),
        ((re == _INF) & jnp.isnan(im), (_INF, _NAN)),
    ],
}


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
    ("abs", "numeric", jnp.abs),
    ("acos", "floating-point", jnp.arccos),
    ("acosh", "floating-point", jnp.arccosh),
    ("asin", "floating-point", jnp.arcsin),
    ("asinh", "floating-point", jnp.arcsinh),
    ("atan", "floating-point", jnp.arctan),
    ("atanh", "floating-point", jnp.arctanh),
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


def _operator(raw, reflect=True, inplace=True, name="in-place operator"):
    def forward(self, other, /):
        if not isinstance(other, Array) and type(other) not in _SCALARS:
            return NotImplemented
        return type(self)._new(raw(self, other))

    def reflected(self, other, /):
        if type(other) not in _SCALARS:
            return NotImplemented
        return type(self)._new(raw(other, self))

    def in_place(self, other, /):
        if not isinstance(other, Array) and type(other) not in _SCALARS:
            return NotImplemented
        new = raw(self, other)
        old = self._data()
        if new.dtype != old.dtype:
            raise TypeError(f"{name}: the result dtype {new.dtype} (of other with dtype {_dtype_of(other)}) differs "
                            f"from the array's dtype {old.dtype}; use the out-of-place operator")
        if new.shape != old.shape:
            raise ValueError(f"{name}: the result shape {new.shape} (other has shape {_shape_of(other)}) differs "
                             f"from the array's shape {old.shape}; use the out-of-place operator")
        self._assign(new)
        return self

    return forward, (reflected if reflect else None), (in_place if inplace else None)


def _dtype_of(other):
    return other.dtype if isinstance(other, Array) else type(other).__name__


def _shape_of(other):
    return other.shape if isinstance(other, Array) else ()


def _unary_operator(raw):
    def op(self, /):
        return type(self)._new(raw(self))
    return op


# dunder stem -> element-wise function; comparisons have no reflected or in-place form
_OPERATORS = {
    "add": add, "sub": subtract, "mul": multiply, "truediv": divide, "floordiv": floor_divide,  # noqa: F821
    "mod": remainder, "pow": pow, "and": bitwise_and, "or": bitwise_or, "xor": bitwise_xor,  # noqa: F821
    "lshift": bitwise_left_shift, "rshift": bitwise_right_shift,  # noqa: F821
}
_COMPARISONS = {
    "eq": equal, "ne": not_equal, "lt": less, "le": less_equal, "gt": greater, "ge": greater_equal,  # noqa: F821
}
_UNARY_OPERATORS = {"abs": abs, "neg": negative, "pos": positive, "invert": bitwise_invert}  # noqa: F821


def install_operators(cls, operators=_OPERATORS, comparisons=_COMPARISONS, unary=_UNARY_OPERATORS):
    for stem, f in operators.items():
        fwd, ref, inp = _operator(f._raw, name=f"__i{stem}__")
        setattr(cls, f"__{stem}__", fwd)
        setattr(cls, f"__r{stem}__", ref)
        setattr(cls, f"__i{stem}__", inp)
    for stem, f in comparisons.items():
        fwd, _, _ = _operator(f._raw, reflect=False, inplace=False)
        setattr(cls, f"__{stem}__", fwd)
    for stem, f in unary.items():
        setattr(cls, f"__{stem}__", _unary_operator(f._raw))
    for name in [n for n in vars(cls) if n.startswith("__") and callable(vars(cls)[n])]:
        vars(cls)[name].__name__ = name
        vars(cls)[name].__qualname__ = f"{cls.__name__}.{name}"


install_operators(Array)
Array.__hash__ = None
