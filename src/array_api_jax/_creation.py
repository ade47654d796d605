"""Creation functions."""

import builtins
import functools
import math
import sys

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from . import _dispatch, _dtypes, _host, _validate
from ._array import Array
from ._data_types import _isdtype
from ._dispatch import JaxArray, Tracer, kernel

__all__ = ["arange", "asarray", "empty", "empty_like", "eye", "from_dlpack", "full", "full_like", "linspace",
           "meshgrid", "ones", "ones_like", "tril", "triu", "zeros", "zeros_like"]


def _default_for_scalar(value):
    t = type(value)
    if t is builtins.bool:
        return _dtypes.bool
    if t is int:
        return _dtypes.DEFAULTS["integral"]
    if t is float:
        return _dtypes.DEFAULTS["real floating"]
    if t is complex:
        return _dtypes.DEFAULTS["complex floating"]
    return None


_HOST_TO_DEFAULT = {"i": "integral", "f": "real floating", "c": "complex floating"}


def _bound(value, func, arg, kinds):
    """A bound of ``arange``/``linspace``: a Python scalar (``np.float64`` included), a NumPy integer (as for
    every integer argument), or a 0-D Array of this namespace, taken by value (SciPy passes ``n``, a 0-D array,
    as ``arange``'s stop). Returns the Python value and the array's dtype (None for anything else): the result's
    dtype promotes the arrays' dtypes with the scalars."""
    if not isinstance(value, Array):
        value = _validate.plain_scalar(value)
        if isinstance(value, np.integer):  # the integer-argument policy: NumPy's integers (np.prod(shape) * 3)
            return int(value), None
        return value, None
    dtype = _validate.dtype(value.dtype, func)
    if value.ndim != 0 or not _isdtype(dtype, kinds, func):
        raise TypeError(f"{func}: {arg} must be a Python scalar or a 0-D {' or '.join(kinds)} array, got an "
                        f"array of shape {value.shape} and dtype {value.dtype}")
    if isinstance(value._data(), Tracer):
        raise TypeError(f"{func}: {arg} is an array traced by a JAX transformation (jax.jit, vmap, grad); the "
                        "result's shape depends on it, so pass a concrete value (mark it static in jax.jit)")
    if dtype in _dtypes.INTEGER:
        return value.__index__(), dtype
    return (complex(value) if dtype in _dtypes.COMPLEX_FLOATING else float(value)), dtype


def _bounds_dtype(bounds, func):
    """The dtype of 0-D array bounds promoted with the Python scalar bounds (the standard's rules); None when every
    bound is a Python scalar."""
    dtypes = [d for _, d in bounds if d is not None]
    if not dtypes:
        return None
    out = functools.reduce(lambda a, b: _dtypes.promote(a, b, func), dtypes)
    for arg, (value, d) in zip(("start", "stop", "step"), bounds):
        if d is None and value is not None:
            out = _dtypes.promote(out, _validate.scalar_dtype(value, out, func, arg), func)
    return out


def _place(value, device):
    if device is None:
        return value
    return _dispatch.put(value, device)


def asarray(obj, /, *, dtype=None, device=None, copy=None):
    """Convert ``obj`` to an Array.

    An Array is returned as is when no change is asked for (so aliasing is observable); ``copy=True``
    always gives a new Array; ``copy=False`` raises ValueError where a copy would be needed.
    """
    dtype = _validate.dtype(dtype, "asarray")
    device = _validate.device_arg(device, "asarray")
    if copy not in (None, True, False):
        raise TypeError(f"asarray: copy must be None, True or False, got {copy!r}")
    if isinstance(obj, Array):
        v = obj._data()
        same_dtype = dtype is None or v.dtype == dtype
        same_device = device is None or _dispatch.device_of(v) == device
        if same_dtype and same_device:
            return Array._new(_dispatch.kept(v)) if copy else obj
        if copy is False:
            raise ValueError("asarray: copy=False, but changing the dtype or device needs a copy")
        if not same_dtype:
            v = _dispatch.astype(v, dtype=dtype)
        return Array._new(_place(v, device))
    if isinstance(obj, JaxArray):
        if obj.dtype not in _dtypes.DTYPES_SET:
            raise TypeError(f"asarray: jax arrays of dtype {obj.dtype} are not supported (only the 13 standard "
                            "dtypes)")
        v = obj
        if dtype is not None and v.dtype != dtype:
            if copy is False:
                raise ValueError("asarray: copy=False, but changing the dtype needs a copy")
            v = _dispatch.astype(v, dtype=dtype)
        return Array._new(_place(v, device))
    if copy is False and not (_is_buffer(obj) and _host.place(device)):
        raise ValueError(f"asarray: copy=False, but a {type(obj).__name__} must be copied to a device")
    if dtype is None:
        scalar_dtype = _default_for_scalar(obj)
        if scalar_dtype is not None:
            if scalar_dtype == _dtypes.int64:
                _check_int64(obj, "asarray", "obj")
            return Array._new(_dispatch.from_host(np.asarray(obj, scalar_dtype), scalar_dtype, device))
    try:
        host = _host.quiet(np.asarray, obj, dtype)  # a float beyond dtype's range: inf, as in XLA
    except OverflowError:
        raise OverflowError(f"asarray: a Python int in obj does not fit dtype {dtype or 'int64'}") from None
    except (TypeError, ValueError) as e:
        raise TypeError(f"asarray: cannot convert obj of type {type(obj).__name__} to an array: {e}") from None
    if dtype is None and not isinstance(obj, np.ndarray) and host.dtype.kind in _HOST_TO_DEFAULT:
        target = _dtypes.DEFAULTS[_HOST_TO_DEFAULT[host.dtype.kind]]
        if host.dtype != target and not _is_buffer(obj):
            host = host.astype(target)
    if host.dtype not in _dtypes.DTYPES_SET:
        raise TypeError(f"asarray: obj has data of dtype {host.dtype}, which is not supported (only the 13 "
                        "standard dtypes)")
    if _is_buffer(obj) and (host.base is not None or sys.getrefcount(host) > 2):  # memory someone else holds
        if not copy and _host.place(device):
            return Array._borrowing(host)  # shared, as NumPy does (see _host)
        if copy is False:
            raise ValueError("asarray: copy=False, but obj's data must be copied to a device (the host path is "
                             "off or another device was asked for)")
        host = _host.aligned_copy(host)  # JAX's CPU client would read aligned memory in place; aligned, XLA does
    elif copy is False:
        raise ValueError(f"asarray: copy=False, but obj ({type(obj).__name__}) must be converted with a copy")
    return Array._new(_dispatch.from_host(host, host.dtype, device))


def _is_buffer(obj):
    return hasattr(obj, "__array__") or hasattr(obj, "__array_interface__") or isinstance(obj, (bytes, memoryview))


def _check_int64(value, func, arg):
    if not -(2**63) <= value < 2**63:
        raise OverflowError(f"{func}: Python int {arg}={value} does not fit the default integer dtype int64")


@kernel(static=("shape", "dtype"))
def _full(fill, *, shape, dtype):
    return lax.full(shape, lax.convert_element_type(fill, dtype), dtype)


_HOST_FILL_MAX = 4096  # small constant arrays are copied from the host: no compilation per new shape


def _filled(func, shape, fill, dtype, device):
    shape = _validate.fits(_validate.shape_arg(shape, func), dtype, func)
    if _host.place(device):
        return Array._new(_host.quiet(np.full, shape, fill, dtype))
    if device is not None:
        return Array._new(_dispatch.put(_host.quiet(np.full, shape, fill, dtype), device))
    if math.prod(shape) <= _HOST_FILL_MAX:
        return Array._new(jnp.asarray(_host.quiet(np.full, shape, fill, dtype)))
    return Array._new(_full(_validate.scalar_array(fill, dtype), shape=shape, dtype=dtype))


def zeros(shape, *, dtype=None, device=None):
    """An array of zeros of the given shape (default dtype: the default real floating dtype)."""
    dtype = _validate.dtype(dtype, "zeros") or _dtypes.DEFAULTS["real floating"]
    return _filled("zeros", shape, 0, dtype, _validate.device_arg(device, "zeros"))


def ones(shape, *, dtype=None, device=None):
    """An array of ones of the given shape (default dtype: the default real floating dtype)."""
    dtype = _validate.dtype(dtype, "ones") or _dtypes.DEFAULTS["real floating"]
    return _filled("ones", shape, 1, dtype, _validate.device_arg(device, "ones"))


def empty(shape, *, dtype=None, device=None):
    """An uninitialised array; JAX has no uninitialised memory, so it holds zeros."""
    dtype = _validate.dtype(dtype, "empty") or _dtypes.DEFAULTS["real floating"]
    return _filled("empty", shape, 0, dtype, _validate.device_arg(device, "empty"))


def _fill_dtype(func, fill_value, dtype):
    fill_value = _validate.plain_scalar(fill_value)
    sd = _default_for_scalar(fill_value)
    if sd is None:
        raise TypeError(f"{func}: fill_value must be a Python bool, int, float or complex, got "
                        f"{type(fill_value).__name__}")
    if dtype is None:
        if sd == _dtypes.int64:
            _check_int64(fill_value, func, "fill_value")
        return sd
    if _validate.scalar_dtype(fill_value, dtype, func, "fill_value") != dtype:
        raise TypeError(f"{func}: fill_value {fill_value!r} cannot be stored in dtype {dtype}")
    return dtype


def full(shape, fill_value, *, dtype=None, device=None):
    """An array of ``shape`` filled with ``fill_value`` (dtype inferred from the Python scalar's kind)."""
    fill_value = _validate.plain_scalar(fill_value)
    dtype = _fill_dtype("full", fill_value, _validate.dtype(dtype, "full"))
    return _filled("full", shape, fill_value, dtype, _validate.device_arg(device, "full"))


def _like(func, x, dtype, device):
    v = _validate.array(x, func)._data()
    dtype = _validate.dtype(dtype, func) or v.dtype
    device = _validate.device_arg(device, func)
    if device is None and not isinstance(v, _dispatch.Tracer) and getattr(v, "committed", False):
        device = _dispatch.device_of(v)
    return v.shape, dtype, device


def zeros_like(x, /, *, dtype=None, device=None):
    """Zeros with the shape of x (and its dtype and device unless given)."""
    shape, dtype, device = _like("zeros_like", x, dtype, device)
    return _filled("zeros_like", shape, 0, dtype, device)


def ones_like(x, /, *, dtype=None, device=None):
    """Ones with the shape of x (and its dtype and device unless given)."""
    shape, dtype, device = _like("ones_like", x, dtype, device)
    return _filled("ones_like", shape, 1, dtype, device)


def empty_like(x, /, *, dtype=None, device=None):
    """An array with the shape of x; JAX has no uninitialised memory, so it holds zeros."""
    shape, dtype, device = _like("empty_like", x, dtype, device)
    return _filled("empty_like", shape, 0, dtype, device)


def full_like(x, /, fill_value, *, dtype=None, device=None):
    """An array with the shape of x filled with fill_value (x's dtype unless dtype is given)."""
    shape, dtype, device = _like("full_like", x, dtype, device)
    fill_value = _validate.plain_scalar(fill_value)
    dtype = _fill_dtype("full_like", fill_value, dtype)
    return _filled("full_like", shape, fill_value, dtype, device)


@kernel(static=("n_rows", "n_cols", "k", "dtype"))
def _eye(*, n_rows, n_cols, k, dtype):
    return jnp.eye(n_rows, n_cols, k=k, dtype=dtype)


def eye(n_rows, n_cols=None, /, *, k=0, dtype=None, device=None):
    """A 2-D array with ones on the k-th diagonal and zeros elsewhere."""
    n_rows = _validate.integer(n_rows, "eye", "n_rows", minimum=0)
    n_cols = n_rows if n_cols is None else _validate.integer(n_cols, "eye", "n_cols", minimum=0)
    k = _validate.integer(k, "eye", "k")
    dtype = _validate.dtype(dtype, "eye") or _dtypes.DEFAULTS["real floating"]
    _validate.fits((n_rows, n_cols), dtype, "eye")
    device = _validate.device_arg(device, "eye")
    if _host.place(device):
        return Array._new(np.eye(n_rows, n_cols, int(k), dtype))
    out = _eye(n_rows=n_rows, n_cols=n_cols, k=int(k), dtype=dtype)
    return Array._new(_place(out, device))


@kernel(static=("n", "dtype"))
def _arange(start, step, *, n, dtype):
    idx = lax.iota(dtype, n)
    return (lax.convert_element_type(start, dtype) + idx * lax.convert_element_type(step, dtype)).astype(dtype)


def arange(start, /, stop=None, step=1, *, dtype=None, device=None):
    """Evenly spaced values in the half-open interval [start, stop)."""
    bounds = [_bound(v, "arange", arg, ("integral", "real floating"))
              for arg, v in (("start", start), ("stop", stop), ("step", step))]
    (start, _), (stop, _), (step, _) = bounds
    for arg, value in (("start", start), ("stop", stop), ("step", step)):
        if value is not None and (isinstance(value, builtins.bool) or type(value) not in (int, float)):
            raise TypeError(f"arange: {arg} must be an int or float, got {type(value).__name__}")
    if stop is None:
        start, stop = 0, start
    if step == 0:
        raise ValueError("arange: step must not be zero")
    dtype = _validate.dtype(dtype, "arange")
    if dtype is None:
        dtype = _bounds_dtype(bounds, "arange")
    if dtype is None:
        is_float = builtins.any(type(v) is float for v in (start, stop, step))
        dtype = _dtypes.DEFAULTS["real floating" if is_float else "integral"]
    elif dtype not in _dtypes.NUMERIC:  # the standard allows any dtype; a complex one holds the real values
        raise TypeError(f"arange: dtype must be a numeric dtype, got {dtype}")
    length = (stop - start) / step
    if not math.isfinite(length):
        raise ValueError(f"arange: start={start}, stop={stop}, step={step} give an infinite or NaN length")
    n = _validate.fits((builtins.max(0, math.ceil(length)),), dtype, "arange")[0]
    if dtype in _dtypes.INTEGER:
        if builtins.any(type(v) is float for v in (start, stop, step)):
            raise TypeError(f"arange: float arguments cannot produce an integer dtype {dtype}")
        info = np.iinfo(dtype)
        last = start + (n - 1) * step if n else start
        if n and not (info.min <= start <= info.max and info.min <= last <= info.max):
            raise OverflowError(f"arange: values from {start} to {last} do not fit dtype {dtype}")
    device = _validate.device_arg(device, "arange")
    start, step = np.asarray(start, dtype if n else np.float64), np.asarray(step, dtype if n else np.float64)
    if _host.place(device):  # the kernel's arithmetic, in NumPy
        return Array._new(_host.quiet(lambda: (start.astype(dtype) + np.arange(n, dtype=dtype) * step.astype(dtype))
                                      .astype(dtype)))
    return Array._new(_place(_arange(start, step, n=n, dtype=dtype), device))


@kernel(static=("num", "endpoint", "dtype"))
def _linspace(start, stop, *, num, endpoint, dtype):
    return jnp.linspace(start, stop, num, endpoint=endpoint, dtype=dtype)


def linspace(start, stop, /, num, *, dtype=None, device=None, endpoint=True):
    """``num`` evenly spaced numbers over [start, stop] (or [start, stop) with endpoint=False)."""
    bounds = [_bound(v, "linspace", arg, ("numeric",)) for arg, v in (("start", start), ("stop", stop))]
    (start, _), (stop, _) = bounds
    for arg, value in (("start", start), ("stop", stop)):
        if isinstance(value, builtins.bool) or type(value) not in (int, float, complex):
            raise TypeError(f"linspace: {arg} must be an int, float or complex, got {type(value).__name__}")
    num = _validate.integer(num, "linspace", "num", minimum=0)
    if not isinstance(endpoint, builtins.bool):
        raise TypeError("linspace: endpoint must be a bool")
    dtype = _validate.dtype(dtype, "linspace")
    is_complex = type(start) is complex or type(stop) is complex
    if dtype is None:
        promoted = _bounds_dtype(bounds, "linspace")
        dtype = promoted if promoted in _dtypes.FLOATING else None   # integer bounds: the default float, as for ints
    if dtype is None:
        dtype = _dtypes.DEFAULTS["complex floating" if is_complex else "real floating"]
    elif dtype not in _dtypes.FLOATING:
        raise TypeError(f"linspace: dtype must be a floating-point dtype, got {dtype}")
    elif is_complex and dtype not in _dtypes.COMPLEX_FLOATING:
        raise TypeError(f"linspace: complex start/stop need a complex dtype, got {dtype}")
    _validate.fits((num,), dtype, "linspace")
    host = np.complex128 if dtype in _dtypes.COMPLEX_FLOATING else np.float64
    device = _validate.device_arg(device, "linspace")
    if _host.place(device):
        return Array._new(_host.quiet(lambda: np.linspace(host(start), host(stop), num, endpoint=endpoint)
                                      .astype(dtype)))
    out = _linspace(np.asarray(start, host), np.asarray(stop, host), num=num, endpoint=endpoint, dtype=dtype)
    return Array._new(_place(out, device))


@kernel(static=("indexing",))
def _meshgrid(m, arrays, *, indexing):
    return tuple(m.meshgrid(*arrays, indexing=indexing))


def meshgrid(*arrays, indexing="xy"):
    """Coordinate matrices from 1-D coordinate arrays (all of one numeric dtype); returns a tuple."""
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}")
    values = []
    for i, a in enumerate(arrays):
        v = _validate.array_in(a, "numeric", "meshgrid", f"arrays[{i}]")
        if v.ndim != 1:
            raise ValueError(f"meshgrid: arrays[{i}] must be one-dimensional, got shape {v.shape}")
        if values and v.dtype != values[0].dtype:
            raise TypeError(f"meshgrid: all arrays must have the same dtype ({values[0].dtype} and {v.dtype})")
        values.append(v)
    _validate.devices_of(values, "meshgrid")
    if not values:
        return ()
    _validate.fits(tuple(v.shape[0] for v in values), values[0].dtype, "meshgrid")
    return tuple(Array._new(o) for o in _meshgrid(tuple(values), indexing=indexing))


@kernel(static=("k", "upper"))
def _tri(m, x, *, k, upper):
    return m.triu(x, k) if upper else m.tril(x, k)


def _tri_func(name, upper):
    def func(x, /, *, k=0):
        v = _validate.array_in(x, "all", name)
        if v.ndim < 2:
            raise ValueError(f"{name}: x must have at least two dimensions, got shape {v.shape}")
        return Array._new(_tri(v, k=_validate.integer(k, name, "k"), upper=upper))

    func.__name__ = func.__qualname__ = name
    func.__doc__ = f"The {'upper' if upper else 'lower'} triangle of x (or of each matrix in a stack)."
    return func


tril = _tri_func("tril", upper=False)
triu = _tri_func("triu", upper=True)


def from_dlpack(x, /, *, device=None, copy=None):
    """Import an object supporting DLPack (``__dlpack__``/``__dlpack_device__``) as an Array."""
    device = _validate.device_arg(device, "from_dlpack")
    if isinstance(x, Array):
        return asarray(x, device=device, copy=copy)
    if not hasattr(x, "__dlpack__"):
        raise TypeError(f"from_dlpack: x must support the DLPack protocol, got {type(x).__name__}")
    if _host.place(device) and _on_cpu(x):  # a host value, as an array made by asarray (see _host)
        try:
            host = np.from_dlpack(x, copy=copy)
        except BufferError:
            if copy is False:
                raise
        else:
            if host.dtype not in _dtypes.DTYPES_SET:
                raise TypeError(f"from_dlpack: dtype {host.dtype} is not one of the standard dtypes")
            return Array._new(host) if copy else Array._borrowing(host)
    try:
        # JAX's CPU import aliases the producer's memory even with copy=True: copy explicitly below
        v = jnp.from_dlpack(x, device=device, copy=False if copy is False else None)
    except (BufferError, TypeError, ValueError, RuntimeError) as e:
        if copy is False:
            if isinstance(e, BufferError):
                raise
            raise BufferError(f"from_dlpack: cannot import without a copy: {e}") from None
        # e.g. a read-only NumPy array, which only a versioned (DLPack 1.0) capsule can export: go through NumPy
        v = jax.device_put(np.from_dlpack(x).copy(), device) if device is not None else jnp.asarray(
            np.from_dlpack(x).copy())
    else:
        if copy:
            v = _dispatch.copy(v)
    if v.dtype not in _dtypes.DTYPES_SET:
        raise TypeError(f"from_dlpack: dtype {v.dtype} is not one of the standard dtypes")
    return Array._new(v)


def _on_cpu(x):
    """Whether a DLPack producer's memory is in the CPU's memory (DLPack device type 1, kDLCPU)."""
    try:
        return x.__dlpack_device__()[0] == 1
    except Exception:  # a producer without __dlpack_device__ (or a failing one): the general path decides
        return False
