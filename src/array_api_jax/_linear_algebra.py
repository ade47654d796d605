"""Linear algebra functions of the main namespace: matmul, matrix_transpose, tensordot, vecdot."""



from . import _dtypes, _operations, _sharding, _validate
from ._array import Array
from ._index_plan import matrix_transposition
from ._dispatch import kernel

__all__ = ["matmul", "matrix_transpose", "tensordot", "vecdot"]


def _pair(x1, x2, func):
    v1 = _validate.array_in(x1, "numeric", func, "x1")
    v2 = _validate.array_in(x2, "numeric", func, "x2")
    dt = v1.dtype if v1.dtype == v2.dtype else _dtypes.promote(v1.dtype, v2.dtype, func)
    _validate.devices_of((v1, v2), func)
    return v1, v2, dt


def matmul(x1, x2, /):
    """Matrix product of x1 and x2 (with broadcasting over stacks of matrices)."""
    return Array._new(_operations.BY_NAME["matmul"].raw(x1, x2))


def matrix_transpose(x, /):
    """Transpose the last two axes of x: a view of x (writes through it reach x, as in NumPy)."""
    x = _validate.array(x, "matrix_transpose")
    v = x._data()
    if v.ndim < 2:
        raise ValueError(f"matrix_transpose: x must have at least two dimensions, got shape {v.shape}")
    return x._view(matrix_transposition(v.ndim), Array)


@kernel(static=("axes", "dtype"), sharding=_sharding.tensordot)
def _tensordot(m, a, b, *, axes, dtype):
    return m.tensordot(m.convert(a, dtype), m.convert(b, dtype), axes=axes)


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
    a = a.astype(dtype, copy=False)
    b = b.astype(dtype, copy=False)
    a, b = m.broadcast_arrays(a, b)
    return m.sum(m.conj(a) * b, axis=axis, dtype=dtype)


_vecdot = kernel(_vecdot_impl, static=("axis", "dtype"))


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
