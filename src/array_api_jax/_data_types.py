"""Data type functions: astype, can_cast, finfo, iinfo, isdtype, result_type."""

import builtins
from dataclasses import dataclass

import numpy as np

from . import _dispatch, _dtypes, _validate
from ._array import Array

__all__ = ["astype", "can_cast", "finfo", "iinfo", "isdtype", "result_type"]


def astype(x, dtype, /, *, copy=True, device=None):
    """Cast x to ``dtype`` (any standard dtype to any other, except complex to real; complex to bool is x != 0)."""
    v = _validate.array(x, "astype")._data()
    dtype = _validate.dtype(dtype, "astype", allow_none=False)
    if v.dtype in _dtypes.COMPLEX_FLOATING and dtype not in _dtypes.COMPLEX_FLOATING and dtype != _dtypes.bool:
        raise TypeError(f"astype: x has complex dtype {v.dtype}; casting it to dtype {dtype} would drop the "
                        "imaginary part (use xp.real or xp.abs first)")
    device = _validate.device_arg(device, "astype")
    if v.dtype == dtype and (device is None or _dispatch.device_of(v) == device):
        return Array._new(_dispatch.kept(v)) if copy else x
    out = v if v.dtype == dtype else _dispatch.astype(v, dtype=dtype)
    return Array._new(out if device is None else _dispatch.put(out, device))


def _dtype_of(value, func, arg):
    if isinstance(value, Array):
        return value._data().dtype
    return _validate.dtype(value, func, arg, allow_none=False)


def can_cast(from_, to, /):
    """Whether ``from_`` (a dtype or array) can be cast to ``to`` by the standard's promotion rules."""
    f = _dtype_of(from_, "can_cast", "from_")
    t = _validate.dtype(to, "can_cast", "to", allow_none=False)
    promoted = _dtypes.PROMOTION.get((f, t))
    return promoted is not None and promoted == t  # not `== t` alone: NumPy reads None as float64


@dataclass(frozen=True)
class finfo_object:  # noqa: N801 - the standard's name
    """Machine limits of a floating-point dtype."""

    bits: int
    eps: float
    max: float
    min: float
    smallest_normal: float
    dtype: _dtypes.DType


@dataclass(frozen=True)
class iinfo_object:  # noqa: N801 - the standard's name
    """Machine limits of an integer dtype."""

    bits: int
    max: int
    min: int
    dtype: _dtypes.DType


def finfo(type, /):  # noqa: A002 - the standard's parameter name
    """Machine limits of a floating-point dtype (for complex dtypes: of their real part)."""
    d = _dtype_of(type, "finfo", "type")
    if d not in _dtypes.FLOATING:
        raise TypeError(f"finfo: type must be a floating-point dtype, got {d}")
    info = np.finfo(d)
    return finfo_object(int(info.bits), float(info.eps), float(info.max), float(info.min),
                        float(info.smallest_normal), _dtypes.PUBLIC[_dtypes.REAL_OF[d]])


def iinfo(type, /):  # noqa: A002 - the standard's parameter name
    """Machine limits of an integer dtype."""
    d = _dtype_of(type, "iinfo", "type")
    if d not in _dtypes.INTEGER:
        raise TypeError(f"iinfo: type must be an integer dtype, got {d}")
    info = np.iinfo(d)
    return iinfo_object(int(info.bits), int(info.max), int(info.min), _dtypes.PUBLIC[d])


def isdtype(dtype, kind):
    """Whether ``dtype`` is of ``kind``: a dtype, a kind name ('bool', 'integral', 'numeric', ...) or a tuple."""
    return _isdtype(dtype, kind, "isdtype")


def _isdtype(dtype, kind, func):
    dtype = _validate.dtype(dtype, func, allow_none=False)
    if isinstance(kind, tuple):
        return builtins.any(_isdtype(dtype, k, func) for k in kind)
    if isinstance(kind, str):
        try:
            return dtype in _dtypes.ISDTYPE_KINDS[kind]
        except KeyError:
            raise ValueError(f"{func}: unknown kind {kind!r}; expected one of "
                             f"{sorted(_dtypes.ISDTYPE_KINDS)} or a dtype") from None
    if isinstance(kind, _dtypes.DType) or (isinstance(kind, np.dtype) and kind in _dtypes.DTYPES_SET):
        return dtype == _validate.dtype(kind, func, "kind")
    raise TypeError(f"{func}: kind must be a dtype, a kind name or a tuple of them, got {kind!r}")


def result_type(*arrays_and_dtypes):
    """The dtype that results from applying the promotion rules to the arguments (arrays, dtypes, scalars)."""
    dtypes = []
    scalars = []
    for a in arrays_and_dtypes:
        a = _validate.plain_scalar(a)
        if isinstance(a, Array):
            dtypes.append(a._data().dtype)
        elif type(a) in (builtins.bool, int, float, complex):
            scalars.append(a)
        else:
            dtypes.append(_validate.dtype(a, "result_type", "arrays_and_dtypes", allow_none=False))
    if not dtypes:
        raise ValueError("result_type: arrays_and_dtypes must contain at least one array or dtype (Python "
                         "scalars alone have no dtype)")
    out = dtypes[0]
    for d in dtypes[1:]:
        out = _dtypes.promote(out, d, "result_type")
    for s in scalars:
        out = _dtypes.promote(out, _validate.scalar_dtype(s, out, "result_type", "arrays_and_dtypes"),
                              "result_type")
    return _dtypes.PUBLIC[out]
