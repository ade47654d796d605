"""The element-wise functions' public names: one per declaration of ``_special_cases`` (the function itself is
made in ``_operations``, beside its kernel and host twin), plus ``real``/``imag`` as views and ``clip``."""

import functools

from . import _dtypes, _surface, _validate
from ._array import Array
from ._dispatch import kernel
from ._index_plan import Part
from ._operations import BY_NAME, public_function

__all__ = []


def _export(func, name, cat):
    func.__name__ = func.__qualname__ = name
    func.category = cat
    __all__.append(name)
    globals()[name] = func
    return func


def _public(op):
    """The public function of an element-wise operation (made in ``_operations``), named and documented."""
    name, cat = op.name, op.category
    func = public_function(op, Array)
    reason = _surface.ADDITIONS["array_api_jax"].get(name)  # a function beyond the standard says why it is here
    origin = f"the array API standard's ``{name}``" if reason is None else f"beyond the standard: {reason}"
    if op.arity == 1:
        func.__doc__ = f"Element-wise {name} ({origin}); x must have a {cat} dtype."
    else:
        func.__doc__ = (f"Element-wise {name} of x1 and x2 ({origin}), with broadcasting; inputs must have {cat} "
                        "dtypes; one of them may be a Python scalar.")
    return _export(func, name, cat)


for _op in BY_NAME.values():
    if _op.name != "matmul":  # a linear algebra function (``_linear_algebra``)
        _public(_op)


def _part(computed, imag):
    """``real``/``imag`` as NumPy's: the part of a complex array is a view of it (writes through it reach x), and
    ``real`` of a real array is x itself, a view; anything else is the element-wise function's (its errors)."""
    part = Part(imag)

    def func(x, /):
        if isinstance(x, Array):
            dt = x._data().dtype
            if dt in _dtypes.COMPLEX_FLOATING:
                return x._view(part, Array)
            if not imag and dt in _dtypes.REAL:
                return x._index(..., Array)
        return computed(x)

    functools.update_wrapper(func, computed)
    func.category = computed.category  # type: ignore[attr-defined]  # a function takes any attribute
    return func


real = globals()["real"] = _part(globals()["real"], False)
imag = globals()["imag"] = _part(globals()["imag"], True)


def _clip_impl(m, x, lo, hi, *, dtype):
    out = x
    if lo is not None:
        out = m.maximum(out, m.convert(lo, dtype))
    if hi is not None:
        out = m.minimum(out, m.convert(hi, dtype))
    return out


_clip_kernel = kernel(_clip_impl, static=("dtype",))


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
