"""The fft extension of the array API standard (``array_api_jax.fft``).

Input dtypes follow the standard strictly: the complex-to-complex and complex-to-real transforms take complex
arrays, the real-to-complex ones (rfft, rfftn, ihfft) take real floating-point arrays, and results keep the
input's precision (rfft of float32 is complex64, irfft of complex128 is float64).
"""

import builtins as _builtins
import typing as _typing

import jax.numpy as _jnp
import numpy as _np

from . import _dispatch, _dtypes, _host, _validate
from ._array import Array as _Array
from ._dispatch import kernel as _kernel

__all__ = ["fft", "fftfreq", "fftn", "fftshift", "hfft", "ifft", "ifftn", "ifftshift", "ihfft", "irfft",
           "irfftn", "rfft", "rfftfreq", "rfftn"]

_NORMS = ("backward", "ortho", "forward")


def _norm(norm, func):
    if not isinstance(norm, str) or norm not in _NORMS:
        raise ValueError(f"{func}: norm must be 'backward', 'ortho' or 'forward', got {norm!r}")
    return norm


# transform name -> (input category, result dtype from the input dtype, whether ``n`` counts output points of a
# complex-to-real transform, so that its default is 2 * (M - 1))
_KINDS: dict[str, tuple[str, _typing.Callable[[_typing.Any], _typing.Any], bool]] = {
    "fft": ("complex floating", lambda d: d, False),
    "ifft": ("complex floating", lambda d: d, False),
    "rfft": ("real floating", _dtypes.complex_of, False),
    "irfft": ("complex floating", _dtypes.REAL_OF.get, True),
    "hfft": ("complex floating", _dtypes.REAL_OF.get, True),
    "ihfft": ("real floating", _dtypes.complex_of, False),
    "fftn": ("complex floating", lambda d: d, False),
    "ifftn": ("complex floating", lambda d: d, False),
    "rfftn": ("real floating", _dtypes.complex_of, False),
    "irfftn": ("complex floating", _dtypes.REAL_OF.get, True),
}


# NumPy's FFTs compute in double precision: the host twins cast to the standard's result dtype
@_kernel(static=("kind", "n", "axis", "norm", "dtype"))
def _fft1(m, x, *, kind, n, axis, norm, dtype):
    return m.convert(getattr(m.fft, kind)(x, n=n, axis=axis, norm=norm), dtype)


@_kernel(static=("kind", "s", "axes", "norm", "dtype"))
def _fftn(m, x, *, kind, s, axes, norm, dtype):
    return m.convert(getattr(m.fft, kind)(x, s=s, axes=axes, norm=norm), dtype)


def _one_dim(kind, x, n, axis, norm):
    cat, result, to_real = _KINDS[kind]
    v = _validate.array_in(x, cat, kind)
    ax = _validate.axis(axis, v.ndim, kind)
    if n is None:
        m = v.shape[ax]
        n = 2 * (m - 1) if to_real else m
        if n < 1:
            raise ValueError(f"{kind}: x has size {m} along axis {axis}, which gives no output points; pass n")
    else:
        n = _validate.integer(n, kind, "n", minimum=1)
    return _Array._new(_fft1(v, kind=kind, n=n, axis=ax, norm=_norm(norm, kind), dtype=result(v.dtype)))


def _n_dim(kind, x, s, axes, norm):
    cat, result, to_real = _KINDS[kind]
    v = _validate.array_in(x, cat, kind)
    if axes is None:
        if s is not None:
            raise ValueError(f"{kind}: s requires axes (the standard leaves s without axes undefined)")
        axes = tuple(range(v.ndim))
    else:
        if not isinstance(axes, (tuple, list)):
            raise TypeError(f"{kind}: axes must be a sequence of ints or None, got {type(axes).__name__}")
        axes = tuple(_validate.axis(a, v.ndim, kind, "axes") for a in axes)
        if len(set(axes)) != len(axes):
            raise ValueError(f"{kind}: axes={axes} repeats an axis")
    if not axes:
        raise ValueError(f"{kind}: there must be at least one axis to transform (x has shape {v.shape})")
    if s is None:
        s = (-1,) * len(axes)
    elif not isinstance(s, (tuple, list)):
        raise TypeError(f"{kind}: s must be a sequence of ints or None, got {type(s).__name__}")
    elif len(s) != len(axes):
        raise ValueError(f"{kind}: s has {len(s)} entries but axes has {len(axes)}")
    sizes = []
    for i, (size, a) in enumerate(zip(s, axes)):
        if size == -1:  # -1: the whole input axis
            m = v.shape[a]
            size = 2 * (m - 1) if to_real and i == len(axes) - 1 else m
            if size < 1:
                raise ValueError(f"{kind}: x has size {m} along axis {a}, which gives no output points; pass s")
        sizes.append(_validate.integer(size, kind, "s", minimum=1))
    return _Array._new(_fftn(v, kind=kind, s=tuple(sizes), axes=axes, norm=_norm(norm, kind),
                            dtype=result(v.dtype)))


def fft(x, /, *, n=None, axis=-1, norm="backward"):
    """One-dimensional discrete Fourier transform of a complex array along ``axis``."""
    return _one_dim("fft", x, n, axis, norm)


def ifft(x, /, *, n=None, axis=-1, norm="backward"):
    """One-dimensional inverse discrete Fourier transform of a complex array along ``axis``."""
    return _one_dim("ifft", x, n, axis, norm)


def rfft(x, /, *, n=None, axis=-1, norm="backward"):
    """One-dimensional discrete Fourier transform of a real array (n//2 + 1 complex outputs)."""
    return _one_dim("rfft", x, n, axis, norm)


def irfft(x, /, *, n=None, axis=-1, norm="backward"):
    """Inverse of rfft: n real outputs (default 2 * (M - 1)) from a complex array."""
    return _one_dim("irfft", x, n, axis, norm)


def hfft(x, /, *, n=None, axis=-1, norm="backward"):
    """Discrete Fourier transform of a Hermitian-symmetric signal: n real outputs (default 2 * (M - 1))."""
    return _one_dim("hfft", x, n, axis, norm)


def ihfft(x, /, *, n=None, axis=-1, norm="backward"):
    """Inverse of hfft: n//2 + 1 complex outputs from a real array."""
    return _one_dim("ihfft", x, n, axis, norm)


def fftn(x, /, *, s=None, axes=None, norm="backward"):
    """N-dimensional discrete Fourier transform of a complex array over ``axes`` (all axes by default)."""
    return _n_dim("fftn", x, s, axes, norm)


def ifftn(x, /, *, s=None, axes=None, norm="backward"):
    """N-dimensional inverse discrete Fourier transform of a complex array over ``axes``."""
    return _n_dim("ifftn", x, s, axes, norm)


def rfftn(x, /, *, s=None, axes=None, norm="backward"):
    """N-dimensional discrete Fourier transform of a real array (the last axis gets s[-1]//2 + 1 outputs)."""
    return _n_dim("rfftn", x, s, axes, norm)


def irfftn(x, /, *, s=None, axes=None, norm="backward"):
    """Inverse of rfftn: real outputs of sizes s (default: the last axis gets 2 * (M - 1))."""
    return _n_dim("irfftn", x, s, axes, norm)


# --- sample frequencies and shifts --------------------------------------------------------------------------


@_kernel(static=("n", "real", "dtype"))
def _freq(d, *, n, real, dtype):
    return (_jnp.fft.rfftfreq if real else _jnp.fft.fftfreq)(n, d, dtype=dtype)


def _frequencies(func, n, d, dtype, device, real):
    n = _validate.integer(n, func, "n", minimum=1)
    if isinstance(d, _builtins.bool) or not isinstance(d, (int, float)):
        raise TypeError(f"{func}: d must be a float, got {type(d).__name__}")
    if d == 0:
        raise ValueError(f"{func}: the sample spacing d must not be zero")
    dt = _validate.dtype(dtype, func) or _dtypes.DEFAULTS["real floating"]
    if dt not in _dtypes.REAL_FLOATING:
        raise TypeError(f"{func}: dtype must be a real floating-point dtype, got {dt}")
    device = _validate.device_arg(device, func)
    if _host.place(device):  # NumPy's, in the requested dtype
        return _Array._new((_np.fft.rfftfreq if real else _np.fft.fftfreq)(n, d).astype(dt))
    out = _freq(_np.asarray(d, dt), n=n, real=real, dtype=dt)
    return _Array._new(out if device is None else _dispatch.put(out, device))


def fftfreq(n, /, *, d=1.0, dtype=None, device=None):
    """Sample frequencies of a length-n discrete Fourier transform with sample spacing d."""
    return _frequencies("fftfreq", n, d, dtype, device, real=False)


def rfftfreq(n, /, *, d=1.0, dtype=None, device=None):
    """Non-negative sample frequencies (n//2 + 1 of them) of a length-n rfft with sample spacing d."""
    return _frequencies("rfftfreq", n, d, dtype, device, real=True)


@_kernel(static=("axes", "inverse"))
def _shift(m, x, *, axes, inverse):
    shifts = tuple(-(x.shape[a] // 2) if inverse else x.shape[a] // 2 for a in axes)
    return m.roll(x, shifts, axes)


def _shift_call(func, x, axes, inverse):
    v = _validate.array_in(x, "floating-point", func)
    axes = _validate.axes(tuple(axes) if isinstance(axes, list) else axes, v.ndim, func, "axes")
    return _Array._new(_shift(v, axes=axes, inverse=inverse))


def fftshift(x, /, *, axes=None):
    """Shift the zero-frequency component to the centre along ``axes`` (all axes by default)."""
    return _shift_call("fftshift", x, axes, False)


def ifftshift(x, /, *, axes=None):
    """Inverse of fftshift along ``axes`` (all axes by default)."""
    return _shift_call("ifftshift", x, axes, True)
