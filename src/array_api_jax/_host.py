"""The host path: small eager arrays on a CPU are NumPy arrays until JAX needs them.

Compiling an XLA kernel for a new (operation, dtype, shape) costs 30-60 ms on a CPU, and backend-agnostic
library code makes new shapes all the time. So when JAX's default device is a CPU, an eager array of up to
``MAX_SIZE`` elements created without an explicit device keeps its value as a NumPy array (a *host value*), and
the namespace computes on host values with NumPy under exactly the same checks (the same dtype rules, errors,
special cases, mutation and views). A host value becomes a jax.Array when something needs one: a pytree leaf
crossing a JAX transformation, ``__jax_array__``, DLPack, another device, or an operand that is already a
jax.Array. Nothing observable changes but speed and the last bits of transcendental functions: ``x.device`` is
JAX's default device, and results are this library's Arrays with the standard's dtypes.

Host values are never written in place: a write makes a new NumPy array, as a write makes a new jax.Array, so
views and deferred results can share them.

Setting the environment variable ``ARRAY_API_JAX_XLA_ONLY=1`` (before import) turns the host path off: every
array is a jax.Array and every operation an XLA kernel. ``set_host_path(False)`` does the same at run time for
arrays created afterwards.
"""

import os

import numpy as np

from . import _jax_private

HostArray = np.ndarray

# Larger arrays go to XLA, whose multi-threaded kernels win once the compilation is paid for.
MAX_SIZE = 1 << 17

# [enabled]: a list, read on every creation (cheaper than a function call or a module attribute lookup chain)
ENABLED = [os.environ.get("ARRAY_API_JAX_XLA_ONLY", "").lower() not in ("1", "true", "yes", "on")]

# [None]: not settled; then True when JAX's default device is a CPU and no default-device override is set.
# Settled on first use, so that importing the package does not initialise JAX's backend.
_CPU_DEFAULT = [None]
_DEVICE = [None]
_ONLY_DEVICE = [False]  # the default device is JAX's only device


def set_host_path(enabled, /):
    """Turn the host path on or off for arrays created from now on (the XLA-only switch at run time)."""
    if not isinstance(enabled, bool):
        raise TypeError(f"set_host_path: enabled must be a bool, got {type(enabled).__name__}")
    ENABLED[0] = enabled


def get_host_path():
    """Whether new small eager arrays on a CPU default device are host (NumPy) values."""
    return ENABLED[0]


def _settle():
    import jax

    devices = jax.devices()
    _DEVICE[0] = devices[0]
    _ONLY_DEVICE[0] = len(devices) == 1
    _CPU_DEFAULT[0] = _DEVICE[0].platform == "cpu"
    return _CPU_DEFAULT[0]


def wanted(size):
    """Whether a new eager array of ``size`` elements, with no device asked for, should be a host value."""
    if not ENABLED[0] or size > MAX_SIZE:
        return False
    cpu = _CPU_DEFAULT[0]
    if cpu is None:
        cpu = _settle()
    if not cpu:
        return False
    override = _default_device_override()
    return override is None or override is _DEVICE[0] or _names_the_default_device(override)


def keeps(device, size):
    """Whether an array of ``size`` elements asked for on ``device`` can be a host value: where that device is
    JAX's only one (so being uncommitted cannot change which arrays it may be combined with)."""
    return wanted(size) and _ONLY_DEVICE[0] and device == _DEVICE[0]


_default_device_override = _jax_private.default_device_override  # checked on every creation


def _names_the_default_device(override):
    """Whether a default-device override names the device JAX would pick anyway (``jax.devices()[0]``, or its
    platform's name): SciPy's test configuration sets ``jax_default_device`` to the first CPU device, which changes
    no placement, so it keeps the host path."""
    return override == _DEVICE[0] or override == _DEVICE[0].platform


def default_device():
    """JAX's default device, where a host value is reported to live (``x.device``)."""
    d = _DEVICE[0]
    if d is None:
        _settle()
        d = _DEVICE[0]
    return d


def to_jax(value):
    """A host value as a jax.Array on the default device (uncommitted, like any new jax.Array)."""
    import jax.numpy as jnp

    return jnp.asarray(value)


# NumPy warns about floating-point events (overflow, invalid, division by zero); XLA does not, and neither
# may the namespace. np.errstate costs about 3 µs a call; setting NumPy's error-state context variable
# directly costs about 0.3 µs. The variable is private NumPy API: without it, np.errstate is used.
try:
    from numpy._core._ufunc_config import _extobj_contextvar as _ERRSTATE  # type: ignore[attr-defined]

    with np.errstate(all="ignore"):
        _QUIET = _ERRSTATE.get()
except (ImportError, AttributeError):  # pragma: no cover - other NumPy versions
    _ERRSTATE = None


if _ERRSTATE is not None:
    def quiet_on():
        """Turn NumPy's floating-point warnings off; returns the token for ``quiet_off``."""
        return _ERRSTATE.set(_QUIET)

    def quiet_off(token):
        _ERRSTATE.reset(token)

    def quiet(func, *args):
        """``func(*args)`` with NumPy's floating-point warnings off."""
        token = _ERRSTATE.set(_QUIET)
        try:
            return func(*args)
        finally:
            _ERRSTATE.reset(token)
else:  # pragma: no cover
    def quiet_on():
        state = np.errstate(all="ignore")
        state.__enter__()
        return state

    def quiet_off(state):
        state.__exit__(None, None, None)

    def quiet(func, *args):
        with np.errstate(all="ignore"):
            return func(*args)


def astype(value, dtype):
    """``value`` converted to ``dtype`` as XLA converts: complex to bool is ``!= 0``, complex to real keeps the
    real part, and floats saturate to an integer dtype's range (NaN gives 0)."""
    kind, to = value.dtype.kind, dtype.kind
    if kind == "c" and to != "c":
        if to == "b":
            return value != 0
        value = value.real
        kind = value.dtype.kind
    out = quiet(value.astype, dtype)
    if kind == "f" and to in "iu":
        info = np.iinfo(dtype)
        high = float(info.max) + 1.0  # a power of two, exact in every float dtype
        out = np.where(value >= high, info.max, np.where(value < info.min, info.min, out)).astype(dtype)
        out[np.isnan(value)] = 0
    return out


def written(value, index, update):
    """A copy of the host value ``value`` with ``update`` (of its dtype) written at ``index``."""
    out = value.copy()
    out[index] = update if type(update) is HostArray else np.asarray(update)
    return out
