"""Linear algebra functions of the main namespace: matmul, matrix_transpose, tensordot, vecdot."""

import functools

import jax.numpy as jnp
import numpy as np

from . import _dtypes, _validate
from ._array import Array
from ._dispatch import call, kernel
from ._special_cases import HOST, JAX

__all__ = ["matmul", "matrix_transpose", "tensordot", "vecdot"]


def _pair(x1, x2, func):
    v1 = _validate.array_in(x1, "numeric", func, "x1")
    v2 = _validate.array_in(x2, "numeric", func, "x2")
    dt = v1.dtype if v1.dtype == v2.dtype else _dtypes.promote(v1.dtype, v2.dtype, func)
    _validate.devices_of((v1, v2), func)
    return v1, v2, dt


def _matmul_checked(m, a, b):
    for arg, v in (("x1", a), ("x2", b)):
        _validate.category(v.dtype, "numeric", "matmul", arg)
    dt = a.dtype if a.dtype == b.dtype else _dtypes.promote(a.dtype, b.dtype, "matmul")
    s1, s2 = a.shape, b.shape
    if not s1 or not s2:
        raise ValueError("matmul: x1 and x2 must have at least one dimension (use multiply for scalars)")
    k2 = s2[-2] if len(s2) > 1 else s2[0]
    if s1[-1] != k2:
        raise ValueError(f"matmul: shapes {s1} and {s2} are not aligned ({s1[-1]} != {k2})")
    if len(s1) > 2 or len(s2) > 2:
        _validate.broadcast_shapes(s1[:-2], s2[:-2], func="matmul")
    if m.is_host:
        return np.matmul(a.astype(dt), b.astype(dt))
    return jnp.matmul(a.astype(dt), b.astype(dt), preferred_element_type=dt)


_matmul = kernel(functools.partial(_matmul_checked, JAX), host=functools.partial(_matmul_checked, HOST))


def _matmul_raw(x1, x2):
    v1 = _validate.array(x1, "matmul", "x1")
    v2 = _validate.array(x2, "matmul", "x2")
    v1 = v1._value if v1._base is None else v1._data()
    v2 = v2._value if v2._base is None else v2._data()
    if _validate._MULTI_DEVICE[0]:
        _validate.same_device(v1, v2, "matmul")
    return call(_matmul, v1, v2)


def matmul(x1, x2, /):
    """Matrix product of x1 and x2 (with broadcasting over stacks of matrices)."""
    return Array._new(_matmul_raw(x1, x2))


@kernel(host=lambda x: np.swapaxes(x, -1, -2))
def _mT(x):
    return jnp.swapaxes(x, -1, -2)


def matrix_transpose(x, /):
    """Transpose the last two axes of x."""
    v = _validate.array(x, "matrix_transpose")._data()
    if v.ndim < 2:
        raise ValueError(f"matrix_transpose: x must have at least two dimensions, got shape {v.shape}")
    return Array._new(_mT(v))


@kernel(static=("axes", "dtype"),
        host=lambda a, b, *, axes, dtype: np.tensordot(a.astype(dtype), b.astype(dtype), axes))
def _tensordot(a, b, *, axes, dtype):
    return jnp.tensordot(a.astype(dtype), b.astype(dtype), axes=axes, preferred_element_type=dtype)


def tensordot(x1, x2, /, *, axes=2):
    """Tensor contraction of x1 and x2 over ``axes`` (an int or a pair of axis sequences)."""
    v1, v2, dt = _pair(x1, x2, "tensordot")
    if not isinstance(axes, (tuple, list)):
        axes = _validate.integer(axes, "tensordot", "axes", minimum=0)
        if axes > v1.ndim or axes > v2.ndim:
            raise ValueError(f"tensordot: axes={axes} exceeds the dimensions of x1 or x2")
        a1 = tuple(range(v1.ndim - axes, v1.ndim))
        a2 = tuple(range(axes))
    else:
        try:
            a1, a2 = axes
            a1 = tuple(_validate.integer(a, "tensordot", "axes") for a in a1)
            a2 = tuple(_validate.integer(a, "tensordot", "axes") for a in a2)
        except (TypeError, ValueError):
            raise TypeError(f"tensordot: axes must be an int or a pair of sequences of ints, got {axes!r}") from None
        if len(a1) != len(a2):
            raise ValueError("tensordot: the two axis sequences must have the same length")
        a1 = tuple(_validate.axis(a, v1.ndim, "tensordot", "axes") for a in a1)
        a2 = tuple(_validate.axis(a, v2.ndim, "tensordot", "axes") for a in a2)
    for i, j in zip(a1, a2):
        if v1.shape[i] != v2.shape[j]:
            raise ValueError(f"tensordot: contracted axes have sizes {v1.shape[i]} and {v2.shape[j]}")
    return Array._new(_tensordot(v1, v2, axes=(a1, a2), dtype=dt))


def _vecdot_impl(m, a, b, *, axis, dtype):
    a = a.astype(dtype)
    b = b.astype(dtype)
    a, b = m.broadcast_arrays(a, b)
    return m.sum(m.conj(a) * b, axis=axis, dtype=dtype)


_vecdot = kernel(functools.partial(_vecdot_impl, JAX), static=("axis", "dtype"),
                 host=functools.partial(_vecdot_impl, HOST))


def vecdot(x1, x2, /, *, axis=-1):
    """Vector dot product (conjugating x1) over ``axis``, with broadcasting."""
    v1, v2, dt = _pair(x1, x2, "vecdot")
    shape = _validate.broadcast_shapes(v1.shape, v2.shape, func="vecdot")
    if not shape:
        raise ValueError("vecdot: x1 and x2 must have at least one dimension")
    ax = _validate.axis(axis, len(shape), "vecdot")
    if axis >= 0 and (axis >= v1.ndim or axis >= v2.ndim):
        raise ValueError(f"vecdot: axis={axis} must be negative or valid for both x1 and x2")
    n1 = v1.shape[ax - len(shape) + v1.ndim] if ax - len(shape) + v1.ndim >= 0 else 1
    n2 = v2.shape[ax - len(shape) + v2.ndim] if ax - len(shape) + v2.ndim >= 0 else 1
    if n1 != n2:
        raise ValueError(f"vecdot: x1 and x2 have sizes {n1} and {n2} along axis {axis}")
    return Array._new(_vecdot(v1, v2, axis=ax, dtype=dt))


def _matmul_other(other, func):
    """The other operand of ``@``: an Array; NotImplemented for an object that handles it; TypeError otherwise."""
    if type(other) in (bool, int, float, complex) or _validate.plain_scalar(other) is not other:
        raise TypeError(f"{func}: @ takes no Python scalars (use * for a scalar), got {type(other).__name__}")
    return _validate.operator_operand(other, func)


def _matmul_operator(self, other, /):
    if not isinstance(other, Array):
        return _matmul_other(other, "__matmul__")
    return type(self)._new(_matmul_raw(self, other))


def _rmatmul_operator(self, other, /):
    if not isinstance(other, Array):
        return _matmul_other(other, "__rmatmul__")
    return type(self)._new(_matmul_raw(other, self))


def _imatmul_operator(self, other, /):
    if not isinstance(other, Array):
        return _matmul_other(other, "__imatmul__")
    with self._lock():  # read, compute and store as one step for concurrent writers
        new = _matmul_raw(self, other)
        old = self._data()
        if new.dtype != old.dtype or new.shape != old.shape:
            raise ValueError(f"__imatmul__: the result (shape {new.shape}, dtype {new.dtype}) does not fit the "
                             f"array (shape {old.shape}, dtype {old.dtype})")
        self._assign(new)
    return self


Array.__matmul__ = _matmul_operator
Array.__rmatmul__ = _rmatmul_operator
Array.__imatmul__ = _imatmul_operator
