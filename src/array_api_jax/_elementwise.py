"""Element-wise functions, one public function per line of the table in ``_operations`` (which also gives the
Array operators)."""

import functools

from . import _dtypes, _host, _special_cases, _validate
from ._array import Array
from ._dispatch import kernel, without_jax_note
from ._host import HostArray
from ._index_plan import Part
from ._operations import BY_NAME, COMBINING, DEFERRED, combine, compare, defer

__all__ = []


def _export(func, name, cat):
    func.__name__ = func.__qualname__ = name
    func.category = cat
    __all__.append(name)
    globals()[name] = func
    return func


def _unary(op):
    name, cat, raw = op.name, op.category, op.raw
    new = Array._new

    def func(x, /):
        return new(raw(x))

    if name in DEFERRED:
        def func(x, /):  # noqa: F811 - the deferred form of the above
            if not isinstance(x, Array):
                raise TypeError(f"{name}: x must be an array, got {type(x).__name__}")
            return defer(Array, op, (x._value if x._base is None else x._data(),))
    elif name in COMBINING:
        computed = func

        def func(x, /):  # noqa: F811 - the above, or a combined predicate for a deferred x
            if type(x) is Array and x._pending is not None:
                out = combine(Array, op, (x,))
                if out is not None:
                    return out
            return computed(x)

    func.__doc__ = f"Element-wise {name} (the array API standard's ``{name}``); x must have a {cat} dtype."
    return _export(func, name, cat)


def _binary(op):
    name, cat, raw, k, host = op.name, op.category, op.raw, op._kernel, op._host
    new = Array._new
    multi_device = _validate._MULTI_DEVICE
    # large host values of an operation the engine may move to XLA go through raw, which asks the engine
    small = _host.HOT_MIN_SIZE if name in _host.XLA_FASTER else float("inf")

    def func(x1, x2, /):
        if (type(x1) is Array and type(x2) is Array and x1._base is None and x2._base is None
                and not multi_device[0]):  # the common case, without the calls of the general path
            v1, v2 = x1._value, x2._value
            if type(v1) is HostArray and type(v2) is HostArray:
                if v1.size < small and v2.size < small:
                    return new(host(v1, v2))
                return new(raw(x1, x2))
            try:  # _dispatch.call inlined on the hot path (see _operations)
                return new(k(v1, v2))
            except Exception as e:
                without_jax_note(e)
                raise
        return new(raw(x1, x2))

    if name == "pow":  # a Python int exponent takes raw's integer_pow path
        def func(x1, x2, /):  # noqa: F811
            return new(raw(x1, x2))
    elif name in DEFERRED:
        def func(x1, x2, /):  # noqa: F811 - the deferred form of the above
            return compare(Array, op, x1, x2)
    elif name in COMBINING:
        computed = func

        def func(x1, x2, /):  # noqa: F811 - the above, or a combined predicate for a deferred operand
            if type(x1) is Array and type(x2) is Array and (x1._pending is not None or x2._pending is not None):
                out = combine(Array, op, (x1, x2))
                if out is not None:
                    return out
            return computed(x1, x2)

    func.__doc__ = (f"Element-wise {name} of x1 and x2 (the array API standard's ``{name}``), with broadcasting; "
                    f"inputs must have {cat} dtypes; one of them may be a Python scalar.")
    return _export(func, name, cat)


for _op in BY_NAME.values():
    if _op.name != "matmul":  # a linear algebra function (``_linear_algebra``)
        (_unary if _op.arity == 1 else _binary)(_op)


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
    func.category = computed.category
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
