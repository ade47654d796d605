"""BrainPy's settings: default dtypes (``set_float``, ``enable_x64``, ...) and platform/device setup.

extras has its own default dtypes, BrainPy's: float32, int32 and complex64 until ``enable_x64()`` or a setter
changes them. They apply where extras picks a dtype itself: creation functions without ``dtype=``, Python
numbers and lists, ``dtype=float``/``int``/``complex``, random draws, ``Variable(shape)``; while a kind's default is
32-bit, 64-bit NumPy/jax data given to ``asarray``/``array``/``Variable``/``load``, 64-bit results no input asked
for, and 64-bit values written into Variables of the 32-bit dtype become 32-bit, as in BrainPy (whose JAX runs in
32-bit mode; ``_ndarray.narrowed``). The strict namespace
keeps the standard's float64/int64 defaults (``array_api_jax.set_default_dtypes``); each namespace reports its
own through ``__array_namespace_info__().default_dtypes()``.

JAX's 64-bit mode stays on whatever extras' defaults are (the strict namespace needs all 13 dtypes), so
``disable_x64()`` only sets the defaults back to 32 bits. If another library switches JAX's 64-bit mode off,
asking extras for a 64-bit dtype raises RuntimeError naming the cause instead of silently returning 32 bits.
"""

import os

import jax
import numpy as np

from .. import _dtypes, _jax_private
from .._inspection import __array_namespace_info__ as _StrictInfo
from ._ndarray import BRAINPY_DEFAULTS, DEFAULTS, check_x64

__all__ = ["enable_x64", "disable_x64", "set_float", "get_float", "set_int", "get_int", "set_complex",
           "get_complex", "set_platform", "get_platform", "set_host_device_count", "__array_namespace_info__"]

_KINDS = {"real floating": (_dtypes.REAL_FLOATING, "set_float"), "integral": (_dtypes.INTEGER, "set_int"),
          "complex floating": (_dtypes.COMPLEX_FLOATING, "set_complex")}


def as_dtype(dtype, func):
    """One of the 13 dtypes from this library's dtype objects, NumPy or JAX dtypes/types, or a name."""
    if isinstance(dtype, _dtypes.DType):
        dtype = dtype.dtype
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{func}: {dtype!r} is not a dtype") from None
    if dt not in _dtypes.DTYPES_SET:
        raise TypeError(f"{func}: {dt} is not one of the 13 array API dtypes")
    return dt


def _set(kind, dtype):
    allowed, func = _KINDS[kind]
    dt = as_dtype(dtype, func)
    if dt not in allowed:
        raise TypeError(f"{func}: expected one of {sorted(d.name for d in allowed)}, got {dt}")
    if dt.itemsize == 8 or dt == _dtypes.complex128:
        check_x64(func)
    DEFAULTS[kind] = dt
    if kind == "integral":
        DEFAULTS["indexing"] = dt if dt in _dtypes.SIGNED else DEFAULTS["indexing"]


def set_float(dtype):
    """Set extras' default real floating dtype: ``set_float(bm.float64)``, ``'float64'``, ``np.float64``, ..."""
    _set("real floating", dtype)


def set_int(dtype):
    """Set extras' default integer dtype (a signed one is also the default index dtype)."""
    _set("integral", dtype)


def set_complex(dtype):
    """Set extras' default complex dtype."""
    _set("complex floating", dtype)


def get_float():
    """extras' default real floating dtype (float32 unless changed)."""
    return DEFAULTS["real floating"]


def get_int():
    """extras' default integer dtype (int32 unless changed)."""
    return DEFAULTS["integral"]


def get_complex():
    """extras' default complex dtype (complex64 unless changed)."""
    return DEFAULTS["complex floating"]


def enable_x64(x64=None):
    """Use 64-bit defaults (float64, int64, complex128); ``enable_x64(False)`` is ``disable_x64()``.

    Also switches JAX's 64-bit mode back on if another library switched it off.
    """
    if x64 is not None and not x64:
        return disable_x64()
    jax.config.update("jax_enable_x64", True)
    DEFAULTS.update({"real floating": _dtypes.float64, "complex floating": _dtypes.complex128,
                     "integral": _dtypes.int64, "indexing": _dtypes.int64})


def disable_x64():
    """Use 32-bit defaults again (float32, int32, complex64); JAX's 64-bit mode stays on (see the module doc)."""
    DEFAULTS.update(BRAINPY_DEFAULTS)


_PLATFORMS = ("cpu", "gpu", "cuda", "rocm", "tpu")


def set_platform(platform):
    """Make ``platform`` ('cpu', 'gpu', 'tpu') the default backend (``jax_platform_name``)."""
    if platform not in _PLATFORMS:
        raise ValueError(f"set_platform: platform must be one of {_PLATFORMS}, got {platform!r}")
    jax.config.update("jax_platform_name", platform)


def get_platform():
    """The platform of the default backend ('cpu', 'gpu', 'tpu')."""
    return jax.default_backend()


def set_host_device_count(n):
    """Simulate ``n`` CPU devices (``--xla_force_host_platform_device_count``); call before JAX starts.

    Raises RuntimeError once JAX's backends are running with a different count (it can no longer change).
    """
    n = int(n)
    if n < 1:
        raise ValueError(f"set_host_device_count: n must be >= 1, got {n}")
    if _jax_private.backends_are_initialized():
        if len(jax.devices("cpu")) == n:
            return
        raise RuntimeError(f"set_host_device_count: JAX already started with {len(jax.devices('cpu'))} CPU "
                           "devices; call it before the first JAX computation (or set XLA_FLAGS="
                           f"--xla_force_host_platform_device_count={n} before starting Python)")
    flags = [f for f in os.environ.get("XLA_FLAGS", "").split() if "xla_force_host_platform_device_count" not in f]
    os.environ["XLA_FLAGS"] = " ".join([*flags, f"--xla_force_host_platform_device_count={n}"])


class __array_namespace_info__(_StrictInfo):  # noqa: N801 - the standard's name
    """The inspection API of extras: as the strict namespace's, with extras' default dtypes."""

    def default_dtypes(self, *, device=None):
        """extras' default dtypes (float32/complex64/int32/int32 unless changed with set_float, enable_x64, ...)."""
        super().default_dtypes(device=device)  # validates device
        return {kind: DEFAULTS[kind] for kind in ("real floating", "complex floating", "integral", "indexing")}
