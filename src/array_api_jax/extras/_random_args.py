"""Argument handling of ``extras.random``'s draws: dtypes, sizes, parameters, placements, keys and ``out=``."""

import operator as _operator

import jax as _jax
import numpy as _np

from .. import _dtypes, _jax_private
from ._ndarray import DEFAULTS as _DEFAULTS
from ._ndarray import Tracer as _Tracer
from ._ndarray import dtype_arg as _dtype_arg
from ._ndarray import ndarray as _ndarray
from ._ndarray import to_raw as _to_raw

_SCALARS = (int, float)
_KINDS = {"real": (_dtypes.REAL_FLOATING, "real floating"), "normal": (_dtypes.FLOATING, "real floating"),
          "int": (_dtypes.INTEGER, "integral"), "bool": (_dtypes.BOOLEAN | _dtypes.NUMERIC, None)}


def dtype(dtype, kind, func):
    allowed, default = _KINDS[kind]
    if dtype is None:
        return _DEFAULTS[default] if default else _dtypes.bool
    dt = _dtype_arg(dtype, func)
    if dt not in allowed:
        raise TypeError(f"{func}: dtype {dt} is not allowed; expected {_dtypes.name_of_category(allowed)}")
    return dt


def size(size, func):
    if size is None:
        return None
    if type(size) is tuple and all(type(s) is int and s >= 0 for s in size):
        return size
    try:
        shape = (_operator.index(size),) if not hasattr(size, "__iter__") else tuple(map(_operator.index, size))
    except TypeError:
        raise TypeError(f"{func}: size must be None, an int or a tuple of ints, got {size!r}") from None
    if any(s < 0 for s in shape):
        raise ValueError(f"{func}: negative dimensions are not allowed in size {shape}")
    return shape


def param(x, func):
    t = type(x)
    if t is float or t is int:
        return x
    if t is bool:
        return int(x)
    raw = _to_raw(x, func)
    if isinstance(raw, complex):
        raise TypeError(f"{func}: parameters must be real, got {x!r}")
    return raw


def concrete(raw):
    """The value of a parameter on the host, or None for a traced one."""
    if isinstance(raw, _Tracer):
        return None
    if isinstance(raw, (int, float, _np.ndarray, _np.generic)):
        return raw
    return _np.asarray(raw)


def check(checks, raws, func):
    if not checks:
        return
    vals = raws
    if not all(type(r) in _SCALARS for r in raws):
        vals = [concrete(r) for r in raws]
        if any(v is None for v in vals):
            return  # traced parameters: invalid values give unspecified results (NaN for floating results)
    for test, msg in checks:
        ok = test(*vals)
        if ok is not True and (ok is False or not _np.all(ok)):
            raise ValueError(f"{func}: {msg}")


def shape(size, raws, func):
    if all(type(r) in _SCALARS for r in raws):
        return () if size is None else size
    shapes = [_np.shape(r) for r in raws if type(r) not in _SCALARS]
    try:
        full = _np.broadcast_shapes(*shapes) if size is None else _np.broadcast_shapes(size, *shapes)
    except ValueError:
        full = None
    if full is None or (size is not None and full != size):
        raise ValueError(f"{func}: parameter shapes {shapes} do not broadcast"
                         + ("" if size is None else f" to size {size}"))
    return full


def placement(device, raws, func):
    """(placement of the state Ref, sharding to put the result on)."""
    if device is None:
        for r in raws:
            if isinstance(r, _jax.Array) and not isinstance(r, _Tracer) and r.committed:
                return replicated(r.sharding), None
        mesh = _jax_private.concrete_mesh()
        return (None if mesh.empty else _jax.sharding.NamedSharding(mesh, _jax.sharding.PartitionSpec())), None
    if isinstance(device, _jax.Device):
        device = _jax.sharding.SingleDeviceSharding(device)
    if not isinstance(device, _jax.sharding.Sharding):
        raise ValueError(f"{func}: device must be a jax Device or Sharding, got {device!r}")
    return replicated(device), device




def replicated(sharding):
    devices = sharding.device_set
    if len(devices) == 1:
        return _jax.sharding.SingleDeviceSharding(next(iter(devices)))
    if isinstance(sharding, _jax.sharding.NamedSharding):
        return _jax.sharding.NamedSharding(sharding.mesh, _jax.sharding.PartitionSpec())
    mesh = _jax.sharding.Mesh(_np.array(sorted(devices, key=lambda d: d.id)), ("devices",))
    return _jax.sharding.NamedSharding(mesh, _jax.sharding.PartitionSpec())


def key(key, func):
    """(key value, from_seed) for ``key=``: an int seed, a typed JAX key, or raw key data (jax.random.PRNGKey)."""
    if isinstance(key, (int, _np.integer)) and not isinstance(key, bool):
        return int(key), True
    raw = _to_raw(key, func) if not isinstance(key, _jax.Array) else key
    if isinstance(raw, (_jax.Array, _np.ndarray)):
        if _jax.dtypes.issubdtype(raw.dtype, _jax.dtypes.prng_key):
            if raw.shape != ():
                raise ValueError(f"{func}: key= must be a single key (shape ()), got key shape {raw.shape}; "
                                 "vmap over keys for one draw per key")
            return raw, False
        if _np.issubdtype(raw.dtype, _np.integer) and raw.ndim == 0:
            return raw, True
        if raw.dtype == _np.uint32 and raw.ndim == 1:
            return _jax.random.wrap_key_data(raw), False  # type: ignore[arg-type]  # JAX converts NumPy arrays
    raise TypeError(f"{func}: key= must be an int or a JAX key (jax.random.key), got {type(key).__name__}")


def write_out(result, out, func):
    if out is None:
        return result
    if not isinstance(out, _ndarray):
        raise TypeError(f"{func}: out must be an extras.ndarray, got {type(out).__name__}")
    out[...] = result
    return out


def out_spec(out, size, dtype, func):
    if out is None:
        return size, dtype
    if not isinstance(out, _ndarray):
        raise TypeError(f"{func}: out must be an extras.ndarray, got {type(out).__name__}")
    if size is not None and tuple(size(size, func)) != out.shape:
        raise ValueError(f"{func}: size {size} does not match out.shape {out.shape}")
    if dtype is not None and _dtype_arg(dtype, func) != out.dtype:
        raise TypeError(f"{func}: dtype {dtype} does not match out.dtype {out.dtype}")
    return out.shape, out.dtype
