"""The linalg extension of the array API standard (``array_api_jax.linalg``).

Numerical failures the standard leaves open are errors here: eagerly, ``cholesky`` of a matrix that is not
positive definite and ``inv``/``solve``/``matrix_power(x, n<0)`` of an exactly singular matrix raise ValueError.
The kernels return a failure flag next to the result; it is read back only for eager calls (under a JAX
transformation the flag is unused and compiled away, and the result carries NaN/inf as in jax.numpy).
"""

import builtins as _builtins
import collections as _collections
import math as _math

import numpy as _np

from . import _dispatch, _dtypes, _sharding, _validate
from ._array import Array as _Array
from ._index_plan import Diagonal as _Diagonal
from ._dispatch import kernel as _kernel
from ._linear_algebra import matmul, matrix_transpose, tensordot, vecdot

__all__ = ["cholesky", "cross", "det", "diagonal", "eig", "eigh", "eigvals", "eigvalsh", "inv", "matmul",
           "matrix_norm", "matrix_power", "matrix_rank", "matrix_transpose", "outer", "pinv", "qr", "slogdet",
           "solve", "svd", "svdvals", "tensordot", "trace", "vecdot", "vector_norm"]

EighResult = _collections.namedtuple("EighResult", ["eigenvalues", "eigenvectors"])
EigResult = _collections.namedtuple("EigResult", ["eigenvalues", "eigenvectors"])
QRResult = _collections.namedtuple("QRResult", ["Q", "R"])
SlogdetResult = _collections.namedtuple("SlogdetResult", ["sign", "logabsdet"])
SVDResult = _collections.namedtuple("SVDResult", ["U", "S", "Vh"])


def _matrix(x, func, cat="floating-point", square=False):
    """The raw value of a (stack of) matrices of category ``cat``; ValueError for the wrong shape."""
    v = _validate.array_in(x, cat, func)
    if v.ndim < 2:
        raise ValueError(f"{func}: x must have at least two dimensions (..., M, N), got shape {v.shape}")
    if square and v.shape[-1] != v.shape[-2]:
        raise ValueError(f"{func}: x must be a square matrix or a stack of them (..., M, M), got shape {v.shape}")
    return v


def _failed(flag, func, message, finite_only=None):
    """Raise ValueError when an eagerly computed failure flag is set; never reads a traced flag (or None).
    ``finite_only``: the raw input whose flag counts only when it is all finite (NaN in, NaN out), read only then."""
    if flag is not None and not _dispatch.is_traced(flag) and flag and (
            finite_only is None or _np.isfinite(_np.asarray(finite_only)).all()):
        raise ValueError(f"{func}: {message}")


def _real_tolerance(rtol, v, func):
    """``rtol`` as a raw real array of the real dtype of ``v``, broadcastable against the stack shape."""
    real = _dtypes.REAL_OF[v.dtype]
    if rtol is None:
        return _np.asarray(_builtins.max(v.shape[-2:]) * _np.finfo(real).eps, real)
    if isinstance(rtol, _Array):
        r = _validate.array_in(rtol, "real-valued floating-point", func, "rtol")
        _validate.broadcast_shapes(r.shape, v.shape[:-2], func=func)
        return _dispatch.astype(r, dtype=real)
    if isinstance(rtol, _builtins.bool) or not isinstance(rtol, (int, float)):
        raise TypeError(f"{func}: rtol must be a float, an array or None, got {type(rtol).__name__}")
    return _np.asarray(rtol, real)


# --- factorizations and decompositions ----------------------------------------------------------------------


@_kernel(static=("upper",), hot="cholesky")
def _cholesky(m, x, *, upper):
    return m.linalg_failed(lambda: m.linalg.cholesky(x, upper=upper), x)


def cholesky(x, /, *, upper=False):
    """Cholesky factor (lower, or upper with ``upper=True``) of a Hermitian positive-definite matrix x."""
    v = _matrix(x, "cholesky", square=True)
    out, failed = _cholesky(v, upper=_validate.boolean(upper, "cholesky", "upper"))
    _failed(failed, "cholesky", "x is not positive definite", finite_only=v)
    return _Array._new(out)


@_kernel
def _eigh(m, x):
    return tuple(m.nan_if_not_finite(m.linalg.eigh, x))


@_kernel
def _eigvalsh(m, x):
    return m.nan_if_not_finite(m.linalg.eigvalsh, x)


def eigh(x, /):
    """Eigenvalues (real, ascending) and eigenvectors of a Hermitian or real symmetric matrix x."""
    w, q = _eigh(_matrix(x, "eigh", square=True))
    return EighResult(_Array._new(w), _Array._new(q))


def eigvalsh(x, /):
    """Eigenvalues (real, ascending) of a Hermitian or real symmetric matrix x."""
    return _Array._new(_eigvalsh(_matrix(x, "eigvalsh", square=True)))




@_kernel(static=("vectors",))
def _eig(m, x, *, vectors):
    complex_dtype = _dtypes.complex_of(x.dtype) if x.dtype.kind == "f" else x.dtype
    if vectors:  # NumPy returns real results when every eigenvalue is real; the standard: always complex
        return tuple(m.convert(o, complex_dtype) for o in m.nan_if_not_finite(m.linalg.eig, x))
    return m.convert(m.nan_if_not_finite(m.linalg.eigvals, x), complex_dtype)


def _eig_call(v, vectors):
    # JAX lowers the nonsymmetric eigensolver on CPU (LAPACK) and on CUDA/ROCm GPUs (cuSOLVER, or LAPACK on the
    # host); other platforms (e.g. TPU) have none, so there we compute on the CPU and move the result back.
    platform = _dispatch.platform_of(v)
    if platform is None or platform in ("cpu", "gpu", "cuda", "rocm"):
        return _eig(v, vectors=vectors)
    out = _eig(_dispatch.put(v, _dispatch.cpu_device()), vectors=vectors)
    return _dispatch.put(out, v.sharding)


def eig(x, /):
    """Eigenvalues and right eigenvectors of a general square matrix x, both complex."""
    w, q = _eig_call(_matrix(x, "eig", square=True), True)
    return EigResult(_Array._new(w), _Array._new(q))


def eigvals(x, /):
    """Eigenvalues (complex) of a general square matrix x."""
    return _Array._new(_eig_call(_matrix(x, "eigvals", square=True), False))


@_kernel(static=("mode",), hot="qr")
def _qr(m, x, *, mode):
    return tuple(m.linalg.qr(x, mode=mode))


def qr(x, /, *, mode="reduced"):
    """QR decomposition of x: ``mode='reduced'`` (Q: (..., M, K)) or ``'complete'`` (Q: (..., M, M))."""
    v = _matrix(x, "qr")
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr: mode must be 'reduced' or 'complete', got {mode!r}")
    q, r = _qr(v, mode=mode)
    return QRResult(_Array._new(q), _Array._new(r))


@_kernel(static=("full_matrices",))
def _svd(m, x, *, full_matrices):
    return tuple(m.nan_if_not_finite(m.linalg.svd, x, full_matrices=full_matrices))


@_kernel(hot="svdvals")
def _svdvals(m, x):
    return m.nan_if_not_finite(m.linalg.svd, x, compute_uv=False)


def svd(x, /, *, full_matrices=True):
    """Singular value decomposition ``U, S, Vh`` of x (singular values real, in descending order)."""
    v = _matrix(x, "svd")
    u, s, vh = _svd(v, full_matrices=_validate.boolean(full_matrices, "svd", "full_matrices"))
    return SVDResult(_Array._new(u), _Array._new(s), _Array._new(vh))


def svdvals(x, /):
    """Singular values of x (real, in descending order)."""
    return _Array._new(_svdvals(_matrix(x, "svdvals")))


# --- determinants, inverses, solves -------------------------------------------------------------------------


@_kernel(hot="det")
def _det(m, x):
    return m.linalg.det(x)


@_kernel
def _slogdet(m, x):
    return tuple(m.linalg.slogdet(x))


def det(x, /):
    """Determinant of a square matrix x (or of each matrix in a stack)."""
    return _Array._new(_det(_matrix(x, "det", square=True)))


def slogdet(x, /):
    """Sign and natural log of the absolute value of the determinant of a square matrix x."""
    sign, logabsdet = _slogdet(_matrix(x, "slogdet", square=True))
    return SlogdetResult(_Array._new(sign), _Array._new(logabsdet))


@_kernel(hot="inv")
def _inv(m, x):
    return m.inv_flagged(x)


def inv(x, /):
    """Inverse of a square matrix x; ValueError (eagerly) if x is singular."""
    out, singular = _inv(_matrix(x, "inv", square=True))
    _failed(singular, "inv", "x is singular")
    return _Array._new(out)


@_kernel(static=("vector", "dtype"), hot="solve")
def _solve(m, a, b, *, vector, dtype):
    a = m.convert(a, dtype)
    b = m.convert(b, dtype)
    if vector:
        b = b[:, None]
    batch = m.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    out, singular = m.lu_solve(m.broadcast_to(a, batch + a.shape[-2:]), m.broadcast_to(b, batch + b.shape[-2:]))
    return (out[..., 0] if vector else out), singular


def solve(x1, x2, /):
    """Solve ``x1 @ out = x2`` for square x1; x2 of shape (M,) is one vector for every matrix in x1."""
    a = _matrix(x1, "solve", square=True)
    b = _validate.array_in(x2, "floating-point", "solve", "x2")
    _validate.devices_of([a, b], "solve")
    dt = a.dtype if a.dtype == b.dtype else _dtypes.promote(a.dtype, b.dtype, "solve")
    m = a.shape[-1]
    if b.ndim == 0 or (b.ndim == 1 and b.shape[0] != m) or (b.ndim > 1 and b.shape[-2] != m):
        raise ValueError(f"solve: x2 of shape {b.shape} does not match x1 of shape {a.shape} (x2 must have shape "
                         f"({m},) or (..., {m}, K))")
    if b.ndim > 1:
        _validate.broadcast_shapes(a.shape[:-2], b.shape[:-2], func="solve")
    out, singular = _solve(a, b, vector=b.ndim == 1, dtype=dt)
    _failed(singular, "solve", "x1 is singular")
    return _Array._new(out)


@_kernel(static=("n",))
def _matrix_power(m, x, *, n):
    if n >= 0:
        return m.linalg.matrix_power(x, n), None
    x, singular = m.inv_flagged(x)
    return m.linalg.matrix_power(x, -n), singular


def matrix_power(x, n, /):
    """x raised to the integer power n (the identity for n=0, powers of the inverse for n<0)."""
    v = _matrix(x, "matrix_power", square=True)
    n = _validate.integer(n, "matrix_power", "n")
    if n == 1:  # x itself, as NumPy's matrix_power gives it: a view
        return x._index(..., _Array)
    out, singular = _matrix_power(v, n=n)
    _failed(singular, "matrix_power", "x is singular, so it has no negative powers")
    return _Array._new(out)


@_kernel
def _pinv(m, x, rtol):
    return m.nan_if_not_finite(m.linalg.pinv, x, rtol=rtol)


def pinv(x, /, *, rtol=None):
    """Moore-Penrose pseudo-inverse of x; singular values <= rtol * largest are treated as zero."""
    v = _matrix(x, "pinv")
    return _Array._new(_pinv(v, _real_tolerance(rtol, v, "pinv")))


@_kernel(static=("dtype",))
def _matrix_rank(m, x, rtol, *, dtype):
    def rank(x):
        s = m.linalg.svd(x, compute_uv=False)
        tol = rtol[..., None] * m.max(s, axis=-1, keepdims=True, initial=0)
        return m.sum(s > tol, axis=-1, dtype=dtype)
    return m.nan_if_not_finite(rank, x)


def matrix_rank(x, /, *, rtol=None):
    """Rank of x: the number of singular values > rtol * largest (default rtol: max(M, N) * eps)."""
    v = _matrix(x, "matrix_rank")
    rtol = _real_tolerance(rtol, v, "matrix_rank")
    return _Array._new(_matrix_rank(v, rtol, dtype=_dtypes.DEFAULTS["integral"]))


# --- norms --------------------------------------------------------------------------------------------------

_MATRIX_ORDS = (1, -1, 2, -2, _math.inf, -_math.inf)
# the axes a matrix norm takes a max or min over (after summing over the other one), which must not be empty
_NONEMPTY_AXES = {1: (-1,), -1: (-1,), _math.inf: (-2,), -_math.inf: (-2,), 2: (-2, -1), -2: (-2, -1)}


@_kernel(static=("keepdims", "ord"))
def _matrix_norm(m, x, *, keepdims, ord):  # noqa: A002
    def norm(x):
        return m.convert(m.linalg.matrix_norm(x, keepdims=keepdims, ord=ord), _dtypes.REAL_OF[x.dtype])
    # the norms made of singular values are NaN for non-finite input, as in XLA (NumPy's SVD raises)
    return m.nan_if_not_finite(norm, x) if ord in (2, -2, "nuc") else norm(x)


def matrix_norm(x, /, *, keepdims=False, ord="fro"):  # noqa: A002 - the standard's name
    """Matrix norm of x over its last two axes: ord is 'fro', 'nuc', 1, -1, 2, -2, inf or -inf."""
    v = _matrix(x, "matrix_norm")
    keepdims = _validate.boolean(keepdims, "matrix_norm", "keepdims")
    if not (isinstance(ord, str) and ord in ("fro", "nuc")):
        if isinstance(ord, _builtins.bool) or not isinstance(ord, (int, float)) or ord not in _MATRIX_ORDS:
            raise ValueError(f"matrix_norm: ord must be one of 'fro', 'nuc', 1, -1, 2, -2, inf, -inf, got {ord!r}")
        ord = int(ord) if _math.isfinite(ord) else float(ord)  # noqa: A001 - one kernel per norm, 2.0 is 2
    if any(v.shape[a] == 0 for a in _NONEMPTY_AXES.get(ord, ())):
        raise ValueError(f"matrix_norm: ord={ord!r} is a maximum or minimum over an empty axis (x has shape "
                         f"{v.shape})")
    return _Array._new(_matrix_norm(v, keepdims=keepdims, ord=ord))


def _vector_norm_impl(m, x, *, axes, keepdims, ord):  # noqa: A002
    a = m.abs(x)
    if ord == _math.inf:
        return m.max(a, axis=axes, keepdims=keepdims)
    if ord == -_math.inf:
        return m.min(a, axis=axes, keepdims=keepdims)
    if ord == 0:
        return m.sum(a != 0, axis=axes, keepdims=keepdims, dtype=a.dtype)
    if ord == 1:
        return m.sum(a, axis=axes, keepdims=keepdims)
    if ord == 2:
        return m.sqrt(m.sum(a * a, axis=axes, keepdims=keepdims))
    p = m.convert(ord, a.dtype)
    return m.sum(a ** p, axis=axes, keepdims=keepdims) ** (1 / p)


_vector_norm = _kernel(_vector_norm_impl, static=("axes", "keepdims", "ord"))


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):  # noqa: A002 - the standard's name
    """Vector p-norm of x over ``axis`` (all axes by default); ord may be any real number, inf or -inf."""
    v = _validate.array_in(x, "floating-point", "vector_norm")
    axes = _validate.axes(axis, v.ndim, "vector_norm")
    keepdims = _validate.boolean(keepdims, "vector_norm", "keepdims")
    if isinstance(ord, _builtins.bool) or not isinstance(ord, (int, float)) or _math.isnan(ord):
        raise ValueError(f"vector_norm: ord must be an int, a float, inf or -inf, got {ord!r}")
    if _builtins.abs(ord) == _math.inf and _math.prod(v.shape[a] for a in axes) == 0:
        raise ValueError(f"vector_norm: ord={ord} needs a non-empty reduction, got shape {v.shape}, axis={axis}")
    return _Array._new(_vector_norm(v, axes=axes, keepdims=keepdims, ord=float(ord)))


# --- diagonals, traces, products ----------------------------------------------------------------------------


def diagonal(x, /, *, offset=0):
    """The ``offset`` diagonal of x (of each matrix in a stack): 0 main, > 0 above, < 0 below. A read-only view of
    x, as NumPy's is: it sees writes into x, and writing into it raises ValueError."""
    _matrix(x, "diagonal", cat="all")
    return x._view(_Diagonal(_validate.integer(offset, "diagonal", "offset")), _Array)


@_kernel(static=("offset", "dtype"))
def _trace(m, x, *, offset, dtype):
    return m.trace(m.convert(x, dtype), offset=offset, axis1=-2, axis2=-1, dtype=dtype)


def trace(x, /, *, offset=0, dtype=None):
    """Sum of the ``offset`` diagonal of x (of each matrix in a stack), accumulated as ``sum`` does."""
    v = _matrix(x, "trace", cat="numeric")
    dt = _validate.accumulation_dtype(v.dtype, dtype, "trace")
    return _Array._new(_trace(v, offset=_validate.integer(offset, "trace", "offset"), dtype=dt))


def _numeric_pair(x1, x2, func):
    v1 = _validate.array_in(x1, "numeric", func, "x1")
    v2 = _validate.array_in(x2, "numeric", func, "x2")
    _validate.devices_of([v1, v2], func)
    return v1, v2, (v1.dtype if v1.dtype == v2.dtype else _dtypes.promote(v1.dtype, v2.dtype, func))


@_kernel(static=("dtype",), sharding=_sharding.outer)
def _outer(m, a, b, *, dtype):
    return m.outer(m.convert(a, dtype), m.convert(b, dtype))


def outer(x1, x2, /):
    """Outer product of the 1-D arrays x1 (size N) and x2 (size M): shape (N, M)."""
    v1, v2, dt = _numeric_pair(x1, x2, "outer")
    if v1.ndim != 1 or v2.ndim != 1:
        raise ValueError(f"outer: x1 and x2 must be one-dimensional, got shapes {v1.shape} and {v2.shape}")
    return _Array._new(_outer(v1, v2, dtype=dt))


@_kernel(static=("axis", "dtype"))
def _cross(m, a, b, *, axis, dtype):
    return m.cross(m.convert(a, dtype), m.convert(b, dtype), axis=axis)


def cross(x1, x2, /, *, axis=-1):
    """Cross product of 3-element vectors along ``axis`` (a negative axis), broadcasting the other axes."""
    v1, v2, dt = _numeric_pair(x1, x2, "cross")
    ax = _validate.integer(axis, "cross", "axis")
    n = _builtins.min(v1.ndim, v2.ndim)
    if ax >= 0:
        raise ValueError(f"cross: axis must be a negative integer (counted from the end), got {ax}")
    if ax < -n:
        raise IndexError(f"cross: axis={ax} is out of range for arrays of {v1.ndim} and {v2.ndim} dimensions")
    if v1.shape[ax] != 3 or v2.shape[ax] != 3:
        raise ValueError(f"cross: x1 and x2 must have size 3 along axis {ax}, got shapes {v1.shape} and {v2.shape}")
    _validate.broadcast_shapes(v1.shape, v2.shape, func="cross")
    return _Array._new(_cross(v1, v2, axis=ax, dtype=dt))
