"""The error catalogue: invalid calls across every section of the standard, as one table.

Each row is an invalid call, the exception the call must raise, and two regular expressions the message must
match: the function (or operator) that raised, and the offending argument (its name, or for a promotion error
the two dtypes that do not promote). The standard prescribes the exception type in a few places (``squeeze`` of
a non-singleton axis and ``broadcast_shapes`` of incompatible shapes: ValueError; an invalid ``expand_dims`` axis,
too many indices, more than one ellipsis and a boolean mask of the wrong shape: IndexError; ``int``/``float`` of a
complex array and ``__index__`` of a float array: TypeError; ``copy=False`` that needs a copy: ValueError). Most
often it only says "must raise an exception", and the type is our rule:

- TypeError for a dtype outside the function's category, for dtype pairs the standard does not promote and for
  arguments of the wrong Python type;
- ValueError for shapes that do not fit and for values outside a function's domain;
- IndexError for out-of-range axes and out-of-bounds indices.

Rows whose type goes beyond what the standard writes (or where the standard does not ask for an error at all)
carry ``choice=<key>``; every key is explained in docs/errors.md, which this file also runs as a doctest.
"""

import doctest
import operator
import pathlib
import re
from typing import Callable, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import array_api_jax as xp


class Bad(NamedTuple):
    call: Callable
    exc: type
    func: str  # regex: the function or operator named in the message
    arg: str  # regex: the offending argument named in the message
    choice: str | None = None  # a key in docs/errors.md for a specific choice (see below)
    spec: bool = False  # the standard itself names the exception type

    def key(self):
        """The docs/errors.md key explaining this row's exception type: its choice, or the general rule."""
        if self.spec:
            return "spec"
        return self.choice or RULES[self.exc]


# The general rules, for rows without a specific choice (the standard says only "must raise an exception").
RULES = {TypeError: "rule-type", ValueError: "rule-value", IndexError: "rule-index"}


DOCS = pathlib.Path(__file__).resolve().parents[1] / "docs" / "errors.md"

# --- operands (module level: the calls below never mutate them) ----------------------------------------------

b1 = xp.asarray([True, False, True])
i8 = xp.asarray([1, 2, 3], dtype=xp.int8)
i32 = xp.asarray([1, 2, 3], dtype=xp.int32)
i64 = xp.asarray([1, 2, 3])
u8 = xp.asarray([1, 2, 3], dtype=xp.uint8)
u64 = xp.asarray([1, 2, 3], dtype=xp.uint64)
f32 = xp.asarray([1.0, 2.0, 3.0], dtype=xp.float32)
f64 = xp.asarray([1.0, 2.0, 3.0])
c64 = xp.asarray([1 + 1j, 2, 3], dtype=xp.complex64)
c128 = xp.asarray([1 + 1j, 2, 3])
f0 = xp.asarray(1.5)
i0 = xp.asarray(1)
c0 = xp.asarray(1 + 2j)
m23 = xp.reshape(xp.arange(6.0), (2, 3))
m22 = xp.asarray([[2.0, 1.0], [1.0, 3.0]])
sing = xp.asarray([[1.0, 2.0], [2.0, 4.0]])
im22 = xp.asarray([[1, 0], [0, 1]])
cm22 = xp.asarray([[1 + 0j, 0], [0, 1]])
t234 = xp.zeros((2, 3, 4))
empty = xp.zeros((0,))
v3 = xp.asarray([1.0, 0.0, 0.0])
v2 = xp.asarray([1.0, 0.0])
info = xp.__array_namespace_info__()
DEV0 = jax.devices()[0]
MULTI_DEVICE = jax.device_count() > 1  # conftest.py asks for 8 CPU devices; a single accelerator has one
if MULTI_DEVICE:
    on0 = xp.asarray([1.0, 2.0], device=jax.devices()[0])
    on1 = xp.asarray([1.0, 2.0], device=jax.devices()[1])


def _set(x, key, value):
    """``x[key] = value`` as an expression."""
    x[key] = value


def _iop(op, x, y):
    """An in-place operator (``op`` is e.g. operator.iadd) applied to a fresh copy of ``x``."""
    return op(xp.asarray(x, copy=True), y)


def _no_dd(func):
    """Call ``func`` with data-dependent shapes disabled (the jit-readiness flag)."""
    with xp.flags(data_dependent_shapes=False):
        return func()


def _fresh(values, dtype=None):
    return xp.asarray(values, dtype=dtype)


CAT = "accepts only"  # how category errors read: "<func>: x has dtype D, but <func> accepts only <cat> dtypes"
NO_PROMOTION = "defines no promotion"

CATALOGUE = {
    # one row per argument normaliser of _validate and per policy (integer, non-negative integer, axis, axes,
    # shape, flag, scalar); the functions that use each normaliser share its message
    "arguments": [
        Bad(lambda: xp.sum(m23, axis=True), TypeError, "sum", "axis must be an int, got bool"),
        Bad(lambda: xp.expand_dims(f64, axis=f0), TypeError, "expand_dims", "axis must be an int or a 0-D integer",
            "int-arg"),
        Bad(lambda: xp.roll(f64, i64), TypeError, "roll", "shift must be an int or a 0-D integer"),
        Bad(lambda: xp.linalg.matrix_power(m22, 1.0), TypeError, "matrix_power", "n must be an int"),
        Bad(lambda: xp.eye(-1), ValueError, "eye", "n_rows must be non-negative"),
        Bad(lambda: xp.fft.fft(c128, n=xp.asarray(0)), ValueError, "fft", "n must be at least 1"),
        Bad(lambda: xp.flip(m23, axis=i0 + 2), IndexError, "flip", "axis=3 is out of range"),
        Bad(lambda: xp.moveaxis(m23, (0, 0), (0, 1)), ValueError, "moveaxis", r"source=\(0, 0\) repeats an axis"),
        Bad(lambda: xp.squeeze(m23, axis=(0, -3)), IndexError, "squeeze", "axis=-3 is out of range"),
        Bad(lambda: xp.zeros((2, -1)), ValueError, "zeros", "shape=.*negative dimension"),
        Bad(lambda: xp.zeros((2, 1.0)), TypeError, "zeros", "shape must be an int"),
        Bad(lambda: xp.sum(m23, keepdims=1), TypeError, "sum", "keepdims must be a bool"),
        Bad(lambda: xp.add(f64, "1"), TypeError, "add", "x2 must be an array or a Python scalar"),
    ],
    "creation": [
        Bad(lambda: xp.asarray([1, 2], dtype="float64"), TypeError, "asarray", "dtype", "dtype-objects"),
        Bad(lambda: xp.asarray([1, 2], dtype=np.float16), TypeError, "asarray", "dtype", "dtype-objects"),
        Bad(lambda: xp.asarray(i64, dtype=xp.float64, copy=False), ValueError, "asarray", "copy", spec=True),
        Bad(lambda: xp.asarray([1, 2], copy=False), ValueError, "asarray", "copy", spec=True),
        Bad(lambda: xp.asarray([1, 2], copy="no"), TypeError, "asarray", "copy"),
        Bad(lambda: xp.asarray(2**70), OverflowError, "asarray", "obj", "overflow"),
        Bad(lambda: xp.asarray(["a", "b"]), TypeError, "asarray", "obj", "dtype-objects"),
        Bad(lambda: xp.asarray(object()), TypeError, "asarray", "obj"),
        Bad(lambda: xp.asarray([1.0], device="cpu"), ValueError, "asarray", "device", "device-arg"),
        Bad(lambda: xp.zeros((2, -1)), ValueError, "zeros", "shape"),
        Bad(lambda: xp.zeros(2.5), TypeError, "zeros", "shape"),
        Bad(lambda: xp.zeros((2,), dtype="f8"), TypeError, "zeros", "dtype", "dtype-objects"),
        Bad(lambda: xp.ones((2, 1.5)), TypeError, "ones", "shape"),
        Bad(lambda: xp.empty(-1), ValueError, "empty", "shape"),
        Bad(lambda: xp.zeros((2**62,)), ValueError, "zeros", r"shape.*2\*\*63 - 1 bytes", "size-limit"),
        Bad(lambda: xp.ones((2**31, 2**31)), ValueError, "ones", r"shape.*2\*\*63 - 1 bytes", "size-limit"),
        Bad(lambda: xp.arange(2**62), ValueError, "arange", r"shape.*2\*\*63 - 1 bytes", "size-limit"),
        Bad(lambda: xp.broadcast_to(f64, (2**62, 3)), ValueError, "broadcast_to", "bytes", "size-limit"),
        Bad(lambda: xp.zeros((2,), device="cpu"), ValueError, "zeros", "device", "device-arg"),
        Bad(lambda: xp.full((2,), "a"), TypeError, "full", "fill_value"),
        Bad(lambda: xp.full((2,), 1.5, dtype=xp.int32), TypeError, "full", "fill_value", "scalar-kind"),
        Bad(lambda: xp.full((2,), 300, dtype=xp.uint8), OverflowError, "full", "fill_value", "overflow"),
        Bad(lambda: xp.full_like(i64, 1.5), TypeError, "full_like", "fill_value", "scalar-kind"),
        Bad(lambda: xp.zeros_like([1, 2]), TypeError, "zeros_like", "x"),
        Bad(lambda: xp.ones_like(i64, dtype=int), TypeError, "ones_like", "dtype", "dtype-objects"),
        Bad(lambda: xp.empty_like(f64, device="cpu"), ValueError, "empty_like", "device", "device-arg"),
        Bad(lambda: xp.eye(-1), ValueError, "eye", "n_rows"),
        Bad(lambda: xp.eye(2, -3), ValueError, "eye", "n_cols"),
        Bad(lambda: xp.eye(2.0), TypeError, "eye", "n_rows"),
        Bad(lambda: xp.eye(2, k=1.5), TypeError, "eye", "k"),
        Bad(lambda: xp.arange(0, 10, 0), ValueError, "arange", "step"),
        Bad(lambda: xp.arange(1.5, dtype=xp.int64), TypeError, "arange", "dtype"),
        Bad(lambda: xp.arange(5, dtype=xp.bool), TypeError, "arange", "dtype"),
        Bad(lambda: xp.arange("a"), TypeError, "arange", "start"),
        Bad(lambda: xp.arange(300, dtype=xp.uint8), OverflowError, "arange", "dtype", "overflow"),
        Bad(lambda: xp.linspace(0, 1, -1), ValueError, "linspace", "num"),
        Bad(lambda: xp.linspace(0, 1, 2.0), TypeError, "linspace", "num"),
        Bad(lambda: xp.linspace(0, 1, 5, dtype=xp.int64), TypeError, "linspace", "dtype"),
        Bad(lambda: xp.linspace(0j, 1, 5, dtype=xp.float64), TypeError, "linspace", "dtype"),
        Bad(lambda: xp.linspace(0, 1, 5, endpoint=1), TypeError, "linspace", "endpoint"),
        Bad(lambda: xp.linspace("a", 1, 5), TypeError, "linspace", "start"),
        Bad(lambda: xp.meshgrid(m23), ValueError, "meshgrid", r"arrays\[0\]"),
        Bad(lambda: xp.meshgrid(i64, f64), TypeError, "meshgrid", "arrays"),
        Bad(lambda: xp.meshgrid(b1), TypeError, "meshgrid", r"arrays\[0\]"),
        Bad(lambda: xp.meshgrid(f64, indexing="zz"), ValueError, "meshgrid", "indexing"),
        Bad(lambda: xp.tril(f64), ValueError, "tril", "x"),
        Bad(lambda: xp.triu(m23, k=1.0), TypeError, "triu", "k"),
        Bad(lambda: xp.from_dlpack(object()), TypeError, "from_dlpack", "x"),
    ],
    "data types": [
        Bad(lambda: xp.astype(c128, xp.float64), TypeError, "astype", "dtype", "complex-to-real"),
        Bad(lambda: xp.astype(f64, "float32"), TypeError, "astype", "dtype", "dtype-objects"),
        Bad(lambda: xp.astype([1.0], xp.float32), TypeError, "astype", "x"),
        Bad(lambda: xp.astype(f64, xp.float32, device="cpu"), ValueError, "astype", "device", "device-arg"),
        Bad(lambda: xp.can_cast("int8", xp.int16), TypeError, "can_cast", "from_", "dtype-objects"),
        Bad(lambda: xp.can_cast(xp.int8, None), TypeError, "can_cast", "to"),
        Bad(lambda: xp.finfo(xp.int32), TypeError, "finfo", "type"),
        Bad(lambda: xp.finfo(i64), TypeError, "finfo", "type"),
        Bad(lambda: xp.iinfo(xp.float32), TypeError, "iinfo", "type"),
        Bad(lambda: xp.iinfo("int8"), TypeError, "iinfo", "type", "dtype-objects"),
        Bad(lambda: xp.isdtype(xp.float64, "floating"), ValueError, "isdtype", "kind", "unknown-kind"),
        Bad(lambda: xp.isdtype(xp.float64, 3), TypeError, "isdtype", "kind"),
        Bad(lambda: xp.isdtype("float64", "numeric"), TypeError, "isdtype", "dtype", "dtype-objects"),
        Bad(lambda: xp.result_type(), ValueError, "result_type", "arrays_and_dtypes"),
        Bad(lambda: xp.result_type(1, 2.0), ValueError, "result_type", "arrays_and_dtypes"),
        Bad(lambda: xp.result_type(xp.int64, xp.float64), TypeError, "result_type", "int64.*float64"),
        Bad(lambda: xp.result_type(xp.int64, xp.uint64), TypeError, "result_type", "int64.*uint64"),
        Bad(lambda: xp.result_type(xp.bool, xp.int8), TypeError, "result_type", "bool.*int8"),
        Bad(lambda: xp.result_type(i8, 1.5), TypeError, "result_type", "arrays_and_dtypes", "scalar-kind"),
        Bad(lambda: xp.result_type(xp.uint8, 300), OverflowError, "result_type", "arrays_and_dtypes", "overflow"),
    ],
    "elementwise": [
        Bad(lambda: xp.sin(i64), TypeError, "sin", "x has dtype int64"),
        Bad(lambda: xp.sqrt(b1), TypeError, "sqrt", "x has dtype bool"),
        Bad(lambda: xp.log(i32), TypeError, "log", "x has dtype int32"),
        Bad(lambda: xp.exp(u8), TypeError, "exp", "x has dtype uint8"),
        Bad(lambda: xp.tanh(i8), TypeError, "tanh", "x has dtype int8"),
        Bad(lambda: xp.abs(b1), TypeError, "abs", "x has dtype bool"),
        Bad(lambda: xp.negative(b1), TypeError, "negative", "x has dtype bool"),
        Bad(lambda: xp.ceil(c128), TypeError, "ceil", "x has dtype complex128"),
        Bad(lambda: xp.floor(c64), TypeError, "floor", "x has dtype complex64"),
        Bad(lambda: xp.trunc(c128), TypeError, "trunc", "x has dtype complex128"),
        Bad(lambda: xp.imag(f64), TypeError, "imag", "x has dtype float64"),
        Bad(lambda: xp.signbit(c128), TypeError, "signbit", "x has dtype complex128"),
        Bad(lambda: xp.logical_not(i64), TypeError, "logical_not", "x has dtype int64"),
        Bad(lambda: xp.bitwise_invert(f64), TypeError, "bitwise_invert", "x has dtype float64"),
        Bad(lambda: xp.isnan(b1), TypeError, "isnan", "x has dtype bool"),
        Bad(lambda: xp.round(b1), TypeError, "round", "x has dtype bool"),
        Bad(lambda: xp.sin([1.0]), TypeError, "sin", "x must be an array"),
        Bad(lambda: xp.add(i64, f64), TypeError, "add", "int64.*float64"),
        Bad(lambda: xp.add(i64, u64), TypeError, "add", "int64.*uint64"),
        Bad(lambda: xp.multiply(b1, i8), TypeError, "multiply", "bool.*int8"),
        Bad(lambda: xp.add(i8, 1.5), TypeError, "add", "x2", "scalar-kind"),
        Bad(lambda: xp.subtract(2.5, i8), TypeError, "subtract", "x1", "scalar-kind"),
        Bad(lambda: xp.add(i8, 1j), TypeError, "add", "x2", "scalar-kind"),
        Bad(lambda: xp.add(i8, 300), OverflowError, "add", "x2", "overflow"),
        Bad(lambda: xp.add(1, 2), TypeError, "add", "x1 and x2"),
        Bad(lambda: xp.add(i64, "a"), TypeError, "add", "x2"),
        Bad(lambda: xp.add(i64, np.int64(1)), TypeError, "add", "x2"),
        Bad(lambda: xp.add(b1, True), TypeError, "add", "x1 has dtype bool"),
        Bad(lambda: xp.atan2(c128, c128), TypeError, "atan2", "x1 has dtype complex128"),
        Bad(lambda: xp.bitwise_and(f64, f64), TypeError, "bitwise_and", "x1 has dtype float64"),
        Bad(lambda: xp.bitwise_left_shift(b1, b1), TypeError, "bitwise_left_shift", "x1 has dtype bool"),
        Bad(lambda: xp.copysign(i64, i64), TypeError, "copysign", "x1 has dtype int64"),
        Bad(lambda: xp.divide(i64, i64), TypeError, "divide", "x1 has dtype int64", "int-divide"),
        Bad(lambda: xp.floor_divide(c128, c128), TypeError, "floor_divide", "x1 has dtype complex128"),
        Bad(lambda: xp.greater(c128, f64), TypeError, "greater", "x1 has dtype complex128"),
        Bad(lambda: xp.hypot(f32, c64), TypeError, "hypot", "x2 has dtype complex64"),
        Bad(lambda: xp.logaddexp(i8, i8), TypeError, "logaddexp", "x1 has dtype int8"),
        Bad(lambda: xp.logical_and(i64, i64), TypeError, "logical_and", "x1 has dtype int64"),
        Bad(lambda: xp.logical_or(b1, i64), TypeError, "logical_or", "bool.*int64"),
        Bad(lambda: xp.maximum(c64, c64), TypeError, "maximum", "x1 has dtype complex64"),
        Bad(lambda: xp.nextafter(i64, i64), TypeError, "nextafter", "x1 has dtype int64"),
        Bad(lambda: xp.remainder(f64, c128), TypeError, "remainder", "x2 has dtype complex128"),
        Bad(lambda: xp.pow(b1, b1), TypeError, "pow", "x1 has dtype bool"),
        Bad(lambda: xp.add(xp.ones(2), xp.ones(3)), ValueError, "add", r"\(2,\), \(3,\)"),
        Bad(lambda: xp.equal(m23, xp.ones(4)), ValueError, "equal", r"\(2, 3\), \(4,\)"),
    ] + ([Bad(lambda: xp.add(on0, on1), ValueError, "add", "different devices", "devices")] if MULTI_DEVICE else []) + [
        Bad(lambda: xp.clip(c128), TypeError, "clip", "x has dtype complex128"),
        Bad(lambda: xp.clip(i64, 0.5), TypeError, "clip", "min", "scalar-kind"),
        Bad(lambda: xp.clip(f64, max=i64), TypeError, "clip", "float64.*int64"),
        Bad(lambda: xp.clip(f64, max=c128), TypeError, "clip", "max has dtype complex128"),
        Bad(lambda: xp.clip(f64, min=xp.ones(2)), ValueError, "clip", r"\(3,\), \(2,\)"),
        Bad(lambda: xp.clip(i64, min=f32), TypeError, "clip", "int64.*float32"),
    ],
    "indexing functions": [
        Bad(lambda: xp.take(f64, f64), TypeError, "take", "indices"),
        Bad(lambda: xp.take(f64, xp.zeros((1, 1), dtype=xp.int64)), ValueError, "take", "indices"),
        Bad(lambda: xp.take(m23, i64), ValueError, "take", "axis"),
        Bad(lambda: xp.take(f64, xp.asarray([5])), IndexError, "take", "indices", "oob-index"),
        Bad(lambda: xp.take(f64, xp.asarray([-4])), IndexError, "take", "indices", "oob-index"),
        Bad(lambda: xp.take(f64, i0 * 0 + xp.asarray([0]), axis=3), IndexError, "take", "axis"),
        Bad(lambda: xp.take(f0, xp.asarray([0])), ValueError, "take", "x"),
        Bad(lambda: xp.take([1, 2], xp.asarray([0])), TypeError, "take", "x"),
        Bad(lambda: xp.take_along_axis(m23, xp.asarray([0])), ValueError, "take_along_axis", "indices"),
        Bad(lambda: xp.take_along_axis(f64, xp.asarray([3])), IndexError, "take_along_axis", "indices", "oob-index"),
        Bad(lambda: xp.take_along_axis(m23, xp.zeros((2, 1), dtype=xp.int64), axis=2), IndexError,
            "take_along_axis", "axis"),
        Bad(lambda: xp.take_along_axis(f64, f64), TypeError, "take_along_axis", "indices"),
        Bad(lambda: xp.take_along_axis(t234, xp.zeros((3, 3, 1), dtype=xp.int64)), ValueError,
            "take_along_axis", r"\(2, 3\), \(3, 3\)"),
    ],
    "linalg": [
        Bad(lambda: xp.linalg.inv(im22), TypeError, "inv", "x has dtype int64"),
        Bad(lambda: xp.linalg.inv(m23), ValueError, "inv", "x must be a square"),
        Bad(lambda: xp.linalg.inv(f64), ValueError, "inv", "x must have at least two"),
        Bad(lambda: xp.linalg.inv(sing), ValueError, "inv", "x is singular", "numerical"),
        Bad(lambda: xp.linalg.cholesky(-m22), ValueError, "cholesky", "x is not positive definite", "numerical"),
        Bad(lambda: xp.linalg.cholesky(m22, upper=1), TypeError, "cholesky", "upper"),
        Bad(lambda: xp.linalg.solve(sing, v2), ValueError, "solve", "x1 is singular", "numerical"),
        Bad(lambda: xp.linalg.solve(m22, v3), ValueError, "solve", "x2"),
        Bad(lambda: xp.linalg.solve(m22, xp.asarray([1, 2])), TypeError, "solve", "x2 has dtype int64"),
        Bad(lambda: xp.linalg.solve(m22, f0), ValueError, "solve", "x2"),
        Bad(lambda: xp.linalg.qr(m23, mode="full"), ValueError, "qr", "mode"),
        Bad(lambda: xp.linalg.svd(m23, full_matrices=1), TypeError, "svd", "full_matrices"),
        Bad(lambda: xp.linalg.svdvals(im22), TypeError, "svdvals", "x has dtype int64"),
        Bad(lambda: xp.linalg.matrix_norm(m22, ord=3), ValueError, "matrix_norm", "ord"),
        Bad(lambda: xp.linalg.matrix_norm(f64), ValueError, "matrix_norm", "x must have at least two"),
        Bad(lambda: xp.linalg.matrix_norm(xp.zeros((2, 0)), ord=1), ValueError, "matrix_norm", "ord"),
        Bad(lambda: xp.linalg.vector_norm(f64, ord="fro"), ValueError, "vector_norm", "ord"),
        Bad(lambda: xp.linalg.vector_norm(i64), TypeError, "vector_norm", "x has dtype int64"),
        Bad(lambda: xp.linalg.vector_norm(f64, axis=2), IndexError, "vector_norm", "axis"),
        Bad(lambda: xp.linalg.vector_norm(empty, ord=xp.inf), ValueError, "vector_norm", "ord"),
        Bad(lambda: xp.linalg.matrix_power(m22, 1.5), TypeError, "matrix_power", "n"),
        Bad(lambda: xp.linalg.matrix_power(sing, -1), ValueError, "matrix_power", "x is singular", "numerical"),
        Bad(lambda: xp.linalg.matrix_rank(im22), TypeError, "matrix_rank", "x has dtype int64"),
        Bad(lambda: xp.linalg.matrix_rank(m22, rtol="a"), TypeError, "matrix_rank", "rtol"),
        Bad(lambda: xp.linalg.pinv(f64), ValueError, "pinv", "x must have at least two"),
        Bad(lambda: xp.linalg.pinv(m22, rtol=i0), TypeError, "pinv", "rtol has dtype int64"),
        Bad(lambda: xp.linalg.det(m23), ValueError, "det", "x must be a square"),
        Bad(lambda: xp.linalg.slogdet(im22), TypeError, "slogdet", "x has dtype int64"),
        Bad(lambda: xp.linalg.eigh(m23), ValueError, "eigh", "x must be a square"),
        Bad(lambda: xp.linalg.eigvalsh(xp.astype(im22, xp.bool)), TypeError, "eigvalsh", "x has dtype bool"),
        Bad(lambda: xp.linalg.eig(im22), TypeError, "eig", "x has dtype int64"),
        Bad(lambda: xp.linalg.eigvals(m23), ValueError, "eigvals", "x must be a square"),
        Bad(lambda: xp.linalg.outer(m23, f64), ValueError, "outer", "x1 and x2 must be one-dimensional"),
        Bad(lambda: xp.linalg.outer(b1, f64), TypeError, "outer", "x1 has dtype bool"),
        Bad(lambda: xp.linalg.outer(i64, f64), TypeError, "outer", "int64.*float64"),
        Bad(lambda: xp.linalg.cross(v2, v2), ValueError, "cross", "size 3"),
        Bad(lambda: xp.linalg.cross(v3, v3, axis=0), ValueError, "cross", "axis", "cross-axis"),
        Bad(lambda: xp.linalg.cross(v3, v3, axis=-3), IndexError, "cross", "axis"),
        Bad(lambda: xp.linalg.trace(f64), ValueError, "trace", "x must have at least two"),
        Bad(lambda: xp.linalg.trace(cm22, dtype=xp.float64), TypeError, "trace", "dtype", "complex-to-real"),
        Bad(lambda: xp.linalg.diagonal(m22, offset=1.0), TypeError, "diagonal", "offset"),
        Bad(lambda: xp.linalg.matrix_transpose(f64), ValueError, "matrix_transpose", "x must have at least two"),
        Bad(lambda: xp.matmul(v2, v3), ValueError, "matmul", r"\(2,\) and \(3,\)"),
        Bad(lambda: xp.matmul(f0, v2), ValueError, "matmul", "x1 and x2"),
        Bad(lambda: xp.matmul(b1, b1), TypeError, "matmul", "x1 has dtype bool"),
        Bad(lambda: xp.matmul(im22, m22), TypeError, "matmul", "int64.*float64"),
        Bad(lambda: xp.matmul(xp.ones((2, 2, 2)), xp.ones((3, 2, 2))), ValueError, "matmul", r"\(2,\), \(3,\)"),
        Bad(lambda: xp.tensordot(m22, m22, axes=-1), ValueError, "tensordot", "axes"),
        Bad(lambda: xp.tensordot(m22, m22, axes=((0,), (0, 1))), ValueError, "tensordot", "axis sequences"),
        Bad(lambda: xp.tensordot(m22, m22, axes=((5,), (0,))), IndexError, "tensordot", "axes"),
        Bad(lambda: xp.tensordot(m23, m23, axes=((0,), (1,))), ValueError, "tensordot", "contracted axes"),
        Bad(lambda: xp.tensordot(m22, m22, axes=1.5), TypeError, "tensordot", "axes"),
        Bad(lambda: xp.vecdot(v2, v3), ValueError, "vecdot", r"\(2,\), \(3,\)"),
        Bad(lambda: xp.vecdot(m23, m23, axis=2), IndexError, "vecdot", "axis"),
        Bad(lambda: xp.vecdot(b1, b1), TypeError, "vecdot", "x1 has dtype bool"),
    ],
    "fft": [
        Bad(lambda: xp.fft.fft(f64), TypeError, "fft", "x has dtype float64", "fft-dtypes"),
        Bad(lambda: xp.fft.ifft(i64), TypeError, "ifft", "x has dtype int64"),
        Bad(lambda: xp.fft.rfft(c128), TypeError, "rfft", "x has dtype complex128"),
        Bad(lambda: xp.fft.ihfft(c128), TypeError, "ihfft", "x has dtype complex128"),
        Bad(lambda: xp.fft.hfft(f64), TypeError, "hfft", "x has dtype float64", "fft-dtypes"),
        Bad(lambda: xp.fft.irfft(f64), TypeError, "irfft", "x has dtype float64", "fft-dtypes"),
        Bad(lambda: xp.fft.fft(c128, n=0), ValueError, "fft", "n"),
        Bad(lambda: xp.fft.fft(c128, n=2.0), TypeError, "fft", "n"),
        Bad(lambda: xp.fft.fft(c128, axis=1), IndexError, "fft", "axis"),
        Bad(lambda: xp.fft.fft(c128, norm="bad"), ValueError, "fft", "norm"),
        Bad(lambda: xp.fft.irfft(xp.asarray([1 + 0j])), ValueError, "irfft", "pass n"),
        Bad(lambda: xp.fft.fftn(xp.ones((2, 2), dtype=xp.complex128), s=(4,), axes=(0, 1)), ValueError, "fftn",
            "s has 1 entries"),
        Bad(lambda: xp.fft.fftn(xp.ones((2, 2), dtype=xp.complex128), axes=(0, 0)), ValueError, "fftn", "axes"),
        Bad(lambda: xp.fft.fftn(xp.ones((2, 2), dtype=xp.complex128), axes=(0, 2)), IndexError, "fftn", "axes"),
        Bad(lambda: xp.fft.fftn(c128, s=(2,)), ValueError, "fftn", "s requires axes", "fftn-s"),
        Bad(lambda: xp.fft.rfftn(c128), TypeError, "rfftn", "x has dtype complex128"),
        Bad(lambda: xp.fft.irfftn(c128, axes=3), TypeError, "irfftn", "axes"),
        Bad(lambda: xp.fft.ifftn(xp.asarray(1 + 0j)), ValueError, "ifftn", "at least one axis"),
        Bad(lambda: xp.fft.fftfreq(0), ValueError, "fftfreq", "n"),
        Bad(lambda: xp.fft.fftfreq(4, d=0), ValueError, "fftfreq", "d"),
        Bad(lambda: xp.fft.fftfreq(4, dtype=xp.int64), TypeError, "fftfreq", "dtype"),
        Bad(lambda: xp.fft.rfftfreq(4, d="a"), TypeError, "rfftfreq", "d"),
        Bad(lambda: xp.fft.rfftfreq(4, device="cpu"), ValueError, "rfftfreq", "device", "device-arg"),
        Bad(lambda: xp.fft.fftshift(i64), TypeError, "fftshift", "x has dtype int64"),
        Bad(lambda: xp.fft.ifftshift(c128, axes=(3,)), IndexError, "ifftshift", "axes"),
    ],
    "manipulation": [
        Bad(lambda: xp.broadcast_to(f64, (2,)), ValueError, "broadcast_to", "shape"),
        Bad(lambda: xp.broadcast_to(f64, (-1, 3)), ValueError, "broadcast_to", "shape"),
        Bad(lambda: xp.broadcast_shapes((2,), (3,)), ValueError, "broadcast_shapes", r"\(2,\), \(3,\)", spec=True),
        Bad(lambda: xp.broadcast_shapes([2]), TypeError, "broadcast_shapes", r"shapes\[0\]"),
        Bad(lambda: xp.broadcast_arrays(xp.ones(2), f64), ValueError, "broadcast_arrays", r"\(2,\), \(3,\)"),
        Bad(lambda: xp.broadcast_arrays(f64, [1.0]), TypeError, "broadcast_arrays", r"arrays\[1\]"),
        Bad(lambda: xp.concat([i64, f64]), TypeError, "concat", "int64.*float64"),
        Bad(lambda: xp.concat([m23, xp.ones((2, 4))]), ValueError, "concat", r"arrays\[1\]"),
        Bad(lambda: xp.concat([f0, f0]), ValueError, "concat", "zero-dimensional arrays"),
        Bad(lambda: xp.concat([]), ValueError, "concat", "arrays"),
        Bad(lambda: xp.concat(f64), TypeError, "concat", "arrays"),
        Bad(lambda: xp.concat([f64, f64], axis=2), IndexError, "concat", "axis"),
        Bad(lambda: xp.stack([xp.ones(2), f64]), ValueError, "stack", r"arrays\[1\]"),
        Bad(lambda: xp.stack([f64], axis=3), IndexError, "stack", "axis"),
        Bad(lambda: xp.stack([b1, u8]), TypeError, "stack", "bool.*uint8"),
        Bad(lambda: xp.expand_dims(f64, axis=5), IndexError, "expand_dims", "axis", spec=True),
        Bad(lambda: xp.expand_dims(f64, axis=(0, 0)), ValueError, "expand_dims", "axis"),
        Bad(lambda: xp.squeeze(m23, axis=0), ValueError, "squeeze", "axis", spec=True),
        Bad(lambda: xp.squeeze(m23, axis=None), TypeError, "squeeze", "axis"),
        Bad(lambda: xp.squeeze(m23, axis=5), IndexError, "squeeze", "axis"),
        Bad(lambda: xp.reshape(m23, (4,)), ValueError, "reshape", "shape"),
        Bad(lambda: xp.reshape(m23, (-1, -1)), ValueError, "reshape", "shape"),
        Bad(lambda: xp.reshape(m23, (2.0, 3)), TypeError, "reshape", "shape"),
        Bad(lambda: xp.reshape(m23, (6,), copy="no"), TypeError, "reshape", "copy"),
        Bad(lambda: xp.permute_dims(m23, (0,)), ValueError, "permute_dims", "axes"),
        Bad(lambda: xp.permute_dims(m23, (0, 0)), ValueError, "permute_dims", "axes"),
        Bad(lambda: xp.permute_dims(m23, (0, 2)), IndexError, "permute_dims", "axes"),
        Bad(lambda: xp.moveaxis(m23, 0, 5), IndexError, "moveaxis", "destination"),
        Bad(lambda: xp.moveaxis(m23, (0, 1), (0,)), ValueError, "moveaxis", "source"),
        Bad(lambda: xp.flip(m23, axis=3), IndexError, "flip", "axis"),
        Bad(lambda: xp.roll(f64, 1.5), TypeError, "roll", "shift"),
        Bad(lambda: xp.roll(m23, (1, 2), axis=0), ValueError, "roll", "shift"),
        Bad(lambda: xp.roll(m23, 1, axis=4), IndexError, "roll", "axis"),
        Bad(lambda: xp.repeat(f64, -1), ValueError, "repeat", "repeats"),
        Bad(lambda: xp.repeat(f64, f64), TypeError, "repeat", "repeats"),
        Bad(lambda: xp.repeat(f64, xp.asarray([1, 2])), ValueError, "repeat", "repeats"),
        Bad(lambda: xp.repeat(f64, xp.asarray([1, -2, 1])), ValueError, "repeat", "repeats"),
        Bad(lambda: xp.repeat(f64, 2, axis=3), IndexError, "repeat", "axis"),
        Bad(lambda: xp.tile(f64, 2), TypeError, "tile", "repetitions"),
        Bad(lambda: xp.tile(f64, (-1,)), ValueError, "tile", "repetitions"),
        Bad(lambda: xp.unstack(m23, axis=2), IndexError, "unstack", "axis"),
        Bad(lambda: xp.unstack(f0), IndexError, "unstack", "axis"),
    ],
    "searching": [
        Bad(lambda: xp.argmax(c128), TypeError, "argmax", "x has dtype complex128"),
        Bad(lambda: xp.argmax(empty), ValueError, "argmax", "x is empty", "empty-reduction"),
        Bad(lambda: xp.argmax(m23, axis=2), IndexError, "argmax", "axis"),
        Bad(lambda: xp.argmin(m23, keepdims=1), TypeError, "argmin", "keepdims"),
        Bad(lambda: xp.argmin(m23, axis=1.0), TypeError, "argmin", "axis"),
        Bad(lambda: xp.nonzero(f0), ValueError, "nonzero", "x must have at least one"),
        Bad(lambda: _no_dd(lambda: xp.nonzero(f64)), RuntimeError, "nonzero", "data-dependent", "jit-readiness"),
        Bad(lambda: xp.count_nonzero(m23, axis=(0, 0)), ValueError, "count_nonzero", "axis"),
        Bad(lambda: xp.count_nonzero(m23, axis=5), IndexError, "count_nonzero", "axis"),
        Bad(lambda: xp.searchsorted(m23, f64), ValueError, "searchsorted", "x1"),
        Bad(lambda: xp.searchsorted(c128, c128), TypeError, "searchsorted", "x1 has dtype complex128"),
        Bad(lambda: xp.searchsorted(i64, f64), TypeError, "searchsorted", "int64.*float64"),
        Bad(lambda: xp.searchsorted(i64, 1.5), TypeError, "searchsorted", "x2", "scalar-kind"),
        Bad(lambda: xp.searchsorted(f64, f64, side="middle"), ValueError, "searchsorted", "side"),
        Bad(lambda: xp.searchsorted(f64, f64, sorter=f64), TypeError, "searchsorted", "sorter"),
        Bad(lambda: xp.searchsorted(f64, f64, sorter=xp.asarray([0, 1])), ValueError, "searchsorted", "sorter"),
        Bad(lambda: xp.where(i64, f64, f64), TypeError, "where", "condition"),
        Bad(lambda: xp.where(b1, i64, f64), TypeError, "where", "int64.*float64"),
        Bad(lambda: xp.where(b1, xp.ones(2), xp.ones(2)), ValueError, "where", r"\(3,\), \(2,\)"),
        Bad(lambda: xp.where(b1, i8, 1.5), TypeError, "where", "x2", "scalar-kind"),
    ],
    "set": [
        Bad(lambda: xp.unique_values([1, 2]), TypeError, "unique_values", "x"),
        Bad(lambda: xp.unique_all("ab"), TypeError, "unique_all", "x"),
        Bad(lambda: _no_dd(lambda: xp.unique_counts(f64)), RuntimeError, "unique_counts", "data-dependent",
            "jit-readiness"),
        Bad(lambda: _no_dd(lambda: xp.unique_inverse(f64)), RuntimeError, "unique_inverse", "data-dependent",
            "jit-readiness"),
        Bad(lambda: xp.isin(f64, i64), TypeError, "isin", "x1 has dtype float64"),
        Bad(lambda: xp.isin(1, 2), TypeError, "isin", "x1 and x2"),
        Bad(lambda: xp.isin(i64, 1.5), TypeError, "isin", "x2"),
        Bad(lambda: xp.isin(i64, u64), TypeError, "isin", "int64.*uint64"),
        Bad(lambda: xp.isin(i64, i64, invert=1), TypeError, "isin", "invert"),
    ],
    "sorting": [
        Bad(lambda: xp.sort(c128), TypeError, "sort", "x has dtype complex128"),
        Bad(lambda: xp.sort(b1), TypeError, "sort", "x has dtype bool"),
        Bad(lambda: xp.sort(m23, axis=2), IndexError, "sort", "axis"),
        Bad(lambda: xp.sort(f0), IndexError, "sort", "axis"),
        Bad(lambda: xp.argsort(f64, descending=1), TypeError, "argsort", "descending"),
        Bad(lambda: xp.sort(f64, stable=None), TypeError, "sort", "stable"),
        Bad(lambda: xp.argsort(m23, axis=-3), IndexError, "argsort", "axis"),
    ],
    "statistical": [
        Bad(lambda: xp.sum(b1), TypeError, "sum", "x has dtype bool"),
        Bad(lambda: xp.sum(m23, axis=3), IndexError, "sum", "axis"),
        Bad(lambda: xp.sum(m23, axis=(0, 0)), ValueError, "sum", "axis"),
        Bad(lambda: xp.sum(m23, axis=1.0), TypeError, "sum", "axis"),
        Bad(lambda: xp.sum(f64, dtype=xp.bool), TypeError, "sum", "dtype"),
        Bad(lambda: xp.sum(c128, dtype=xp.float64), TypeError, "sum", "dtype", "complex-to-real"),
        Bad(lambda: xp.sum(f64, dtype="float32"), TypeError, "sum", "dtype", "dtype-objects"),
        Bad(lambda: xp.sum(f64, keepdims="yes"), TypeError, "sum", "keepdims"),
        Bad(lambda: xp.prod(b1), TypeError, "prod", "x has dtype bool"),
        Bad(lambda: xp.max(c128), TypeError, "max", "x has dtype complex128"),
        Bad(lambda: xp.max(empty), ValueError, "max", "zero elements", "empty-reduction"),
        Bad(lambda: xp.min(xp.zeros((2, 0)), axis=1), ValueError, "min", "zero elements", "empty-reduction"),
        Bad(lambda: xp.min(m23, axis=-3), IndexError, "min", "axis"),
        Bad(lambda: xp.mean(i64), TypeError, "mean", "x has dtype int64"),
        Bad(lambda: xp.mean(m23, axis=(1, -1)), ValueError, "mean", "axis"),
        Bad(lambda: xp.std(c128), TypeError, "std", "x has dtype complex128"),
        Bad(lambda: xp.var(f64, correction="1"), TypeError, "var", "correction"),
        Bad(lambda: xp.var(i64), TypeError, "var", "x has dtype int64"),
        Bad(lambda: xp.cumulative_sum(f0), ValueError, "cumulative_sum", "x must have at least one"),
        Bad(lambda: xp.cumulative_sum(m23), ValueError, "cumulative_sum", "axis"),
        Bad(lambda: xp.cumulative_prod(f64, include_initial=1), TypeError, "cumulative_prod", "include_initial"),
        Bad(lambda: xp.cumulative_sum(b1), TypeError, "cumulative_sum", "x has dtype bool"),
        Bad(lambda: xp.cumulative_sum(m23, axis=2), IndexError, "cumulative_sum", "axis"),
        Bad(lambda: xp.cumulative_prod(c128, dtype=xp.float64), TypeError, "cumulative_prod", "dtype",
            "complex-to-real"),
    ],
    "utility": [
        Bad(lambda: xp.all(m23, axis=3), IndexError, "all", "axis"),
        Bad(lambda: xp.any(m23, axis=(1, 1)), ValueError, "any", "axis"),
        Bad(lambda: xp.any(m23, keepdims=None), TypeError, "any", "keepdims"),
        Bad(lambda: xp.all([True]), TypeError, "all", "x"),
        Bad(lambda: xp.diff(b1), TypeError, "diff", "x has dtype bool"),
        Bad(lambda: xp.diff(f64, n=-1), ValueError, "diff", "n"),
        Bad(lambda: xp.diff(f64, n=1.0), TypeError, "diff", "n"),
        Bad(lambda: xp.diff(f64, prepend=f32), TypeError, "diff", "prepend", "diff-dtype"),
        Bad(lambda: xp.diff(m23, append=xp.ones((3, 1))), ValueError, "diff", "append"),
        Bad(lambda: xp.diff(m23, axis=2), IndexError, "diff", "axis"),
        Bad(lambda: xp.diff(f0), IndexError, "diff", "axis"),
    ],
    "inspection": [
        Bad(lambda: info.default_dtypes(device="cpu"), ValueError, "default_dtypes", "device", "device-arg"),
        Bad(lambda: info.dtypes(device=object()), ValueError, "dtypes", "device", "device-arg"),
        Bad(lambda: info.dtypes(kind="floating"), ValueError, "dtypes", "kind", "unknown-kind"),
        Bad(lambda: info.dtypes(kind=3), TypeError, "dtypes", "kind"),
        Bad(lambda: xp.set_default_dtypes(real_floating=xp.int64), TypeError, "set_default_dtypes",
            "real_floating"),
        Bad(lambda: xp.set_default_dtypes(indexing=xp.uint8), TypeError, "set_default_dtypes", "indexing"),
        Bad(lambda: xp.set_flags(data_dependent_shapes=1), TypeError, "set_flags", "data_dependent_shapes"),
        Bad(lambda: f64.__array_namespace__(api_version="1999.01"), ValueError, "__array_namespace__",
            "api_version"),
    ],
    "array object": [
        Bad(lambda: i64 + f64, TypeError, "add", "int64.*float64"),
        Bad(lambda: i64 + 1.5, TypeError, "add", "x2", "scalar-kind"),
        Bad(lambda: 1.5 * i64, TypeError, "multiply", "x1", "scalar-kind"),
        Bad(lambda: b1 + b1, TypeError, "add", "x1 has dtype bool"),
        Bad(lambda: f64 & f64, TypeError, "bitwise_and", "x1 has dtype float64"),
        Bad(lambda: i64 << f64, TypeError, "bitwise_left_shift", "int64.*float64"),
        Bad(lambda: f64 >> 1, TypeError, "bitwise_right_shift", "x1 has dtype float64"),
        Bad(lambda: ~f64, TypeError, "bitwise_invert", "x has dtype float64"),
        Bad(lambda: -b1, TypeError, "negative", "x has dtype bool"),
        Bad(lambda: +b1, TypeError, "positive", "x has dtype bool"),
        Bad(lambda: abs(b1), TypeError, "abs", "x has dtype bool"),
        Bad(lambda: f64 < c128, TypeError, "less", "x2 has dtype complex128"),
        Bad(lambda: i64 / i64, TypeError, "divide", "x1 has dtype int64", "int-divide"),
        Bad(lambda: i64 % c128, TypeError, "remainder", "int64.*complex128"),
        Bad(lambda: u8 ** -1, OverflowError, "pow", "x2", "overflow"),
        Bad(lambda: xp.ones(2) + f64, ValueError, "add", r"\(2,\), \(3,\)"),
        Bad(lambda: v2 @ v3, ValueError, "matmul", r"\(2,\) and \(3,\)"),
        Bad(lambda: v2 @ 2, TypeError, "@", "int"),
        Bad(lambda: int(c0), TypeError, "__int__", "complex", spec=True),
        Bad(lambda: float(c0), TypeError, "__float__", "complex", spec=True),
        Bad(lambda: int(xp.asarray(float("nan"))), ValueError, "__int__", "NaN", spec=True),
        Bad(lambda: int(xp.asarray(float("inf"))), OverflowError, "__int__", "infinity", spec=True),
        Bad(lambda: bool(f64), TypeError, "__bool__", "0-dimensional", "scalar-conversion"),
        Bad(lambda: float(m23), TypeError, "__float__", "0-dimensional", "scalar-conversion"),
        Bad(lambda: operator.index(f0), TypeError, "__index__", "dtype float64", spec=True),
        Bad(lambda: iter(m23), TypeError, "__iter__", "1-D"),
        Bad(lambda: t234.T, ValueError, "T", "two-dimensional"),
        Bad(lambda: f64.mT, ValueError, "mT", "at least two dimensions"),
        Bad(lambda: f64.to_device("cpu"), ValueError, "to_device", "device", "device-arg"),
        Bad(lambda: f64.to_device(DEV0, stream=1), ValueError, "to_device", "stream"),
        Bad(lambda: f64.__array__(copy=False), ValueError, "__array__", "copy"),
        Bad(lambda: f64.sum(), AttributeError, "sum", r"xp\.sum", "numpy-hints"),
        Bad(lambda: xp.Array(), TypeError, "Array", "asarray"),
        Bad(lambda: f64 * np.ones(3), TypeError, "__mul__", r"numpy.ndarray.*xp.asarray"),
        Bad(lambda: np.ones(3) - f64, TypeError, "__rsub__", r"numpy.ndarray.*xp.asarray"),
        Bad(lambda: f64 + jnp.ones(3), TypeError, "__add__", r"jax.Array.*xp.asarray"),
        Bad(lambda: jnp.ones(3) + f64, TypeError, "__add__", r"jax.Array.*xp.asarray"),
        Bad(lambda: i64 & np.bool_(True), TypeError, "__and__", r"NumPy scalar.*bool\(other\)"),
        Bad(lambda: f64 == "a", TypeError, "__eq__", "got str"),
        Bad(lambda: f64 @ np.ones(3), TypeError, "__matmul__", "numpy.ndarray"),
    ],
    "in-place operators": [
        Bad(lambda: _iop(operator.iadd, i32, i64), TypeError, "__iadd__", "other with dtype int64"),
        Bad(lambda: _iop(operator.iadd, f32, f64), TypeError, "__iadd__", "other with dtype float64"),
        Bad(lambda: _iop(operator.imul, f64, c128), TypeError, "__imul__", "other with dtype complex128"),
        Bad(lambda: _iop(operator.iadd, i64, 1.5), TypeError, "add", "x2", "scalar-kind"),
        Bad(lambda: _iop(operator.iadd, u8, 300), OverflowError, "add", "x2", "overflow"),
        Bad(lambda: _iop(operator.iadd, v2, xp.ones((3, 2))), ValueError, "__iadd__", r"other has shape \(3, 2\)"),
        Bad(lambda: _iop(operator.isub, f64, xp.ones(2)), ValueError, "subtract", r"\(3,\), \(2,\)"),
        Bad(lambda: _iop(operator.itruediv, i64, 2), TypeError, "divide", "x1 has dtype int64", "int-divide"),
        Bad(lambda: _iop(operator.iadd, b1, True), TypeError, "add", "x1 has dtype bool"),
        Bad(lambda: _iop(operator.iand, f64, f64), TypeError, "bitwise_and", "x1 has dtype float64"),
        Bad(lambda: _iop(operator.ilshift, i64, u64), TypeError, "bitwise_left_shift", "int64.*uint64"),
        Bad(lambda: _iop(operator.imatmul, m22, xp.ones((2, 3))), ValueError, "__imatmul__", r"shape \(2, 3\)"),
        Bad(lambda: _iop(operator.imatmul, m22, im22), TypeError, "matmul", "float64.*int64"),
        Bad(lambda: _iop(operator.ipow, i8, xp.asarray([1, 2, 3], dtype=xp.int16)), TypeError, "__ipow__",
            "other with dtype int16"),
    ],
    "indexing": [
        Bad(lambda: f64[5], IndexError, "__getitem__", "index 5", "oob-index"),
        Bad(lambda: m23[0, -4], IndexError, "__getitem__", "index -4", "oob-index"),
        Bad(lambda: f64[..., ...], IndexError, "__getitem__", "ellipsis", spec=True),
        Bad(lambda: f64[0, 0], IndexError, "__getitem__", "too many indices", spec=True),
        Bad(lambda: f0[0], IndexError, "__getitem__", "too many indices", spec=True),
        Bad(lambda: m23[0], IndexError, "__getitem__", "1 indices for an array of 2 dimensions.*ellipsis", spec=True),
        Bad(lambda: _set(m23, 0, 1.0), IndexError, "__setitem__", "1 indices.*ellipsis", spec=True),
        Bad(lambda: f64[1.0], IndexError, "__getitem__", "float", "index-types"),
        Bad(lambda: f64["a"], IndexError, "__getitem__", "str", "index-types"),
        Bad(lambda: f64[::0], IndexError, "__getitem__", "step", "index-types"),
        Bad(lambda: f64[0.5:2], IndexError, "__getitem__", "slice bounds", "index-types"),
        Bad(lambda: f64[f64], IndexError, "__getitem__", "float64", "index-types"),
        Bad(lambda: f64[xp.asarray([True, False])], IndexError, "__getitem__", r"boolean index of shape \(2,\)",
            spec=True),
        Bad(lambda: m23[xp.asarray([True, False]), 0], IndexError, "__getitem__", "boolean index", "bool-mask-alone"),
        Bad(lambda: m23[xp.asarray([0, 2]), :], IndexError, "__getitem__", "index array", "oob-index"),
        Bad(lambda: m23[:, xp.asarray([-4])], IndexError, "__getitem__", "index array", "oob-index"),
        Bad(lambda: _no_dd(lambda: f64[b1]), RuntimeError, "__getitem__", "boolean-mask", "jit-readiness"),
    ],
    "setitem": [
        Bad(lambda: _set(_fresh([1, 2, 3]), 5, 1), IndexError, "__setitem__", "index 5", "oob-index"),
        Bad(lambda: _set(_fresh([1, 2, 3]), 0, 1.5), TypeError, "__setitem__", "float", "scalar-kind"),
        Bad(lambda: _set(_fresh([1, 2, 3]), slice(0, 2), i64), ValueError, "__setitem__", r"\(3,\)"),
        Bad(lambda: _set(_fresh([1, 2, 3]), 0, "a"), TypeError, "__setitem__", "value"),
        Bad(lambda: _set(_fresh([1, 2, 3]), ..., f64), TypeError, "__setitem__", "dtype float64"),
        Bad(lambda: _set(_fresh([1.0, 2.0]), 0, c0), TypeError, "__setitem__", "dtype complex128"),
        Bad(lambda: _set(_fresh([1.0, 2.0]), 0, 1j), TypeError, "__setitem__", "complex", "scalar-kind"),
        Bad(lambda: _set(_fresh([1.0, 2.0]), ..., xp.asarray([1, 2])), TypeError, "__setitem__", "dtype int64"),
        Bad(lambda: _set(_fresh([1, 2, 3]), 0, 2**70), OverflowError, "__setitem__", "value", "overflow"),
        Bad(lambda: _set(_fresh([1, 2, 3], xp.uint8), 0, -1), OverflowError, "__setitem__", "value", "overflow"),
        Bad(lambda: _set(_fresh([1, 2, 3]), xp.asarray([True, False]), 0), IndexError, "__setitem__",
            "boolean index", spec=True),
        Bad(lambda: _set(_fresh([1, 2, 3]), b1, xp.asarray([1, 2, 3])), ValueError, "__setitem__", r"\(3,\)"),
        Bad(lambda: _set(_fresh([1, 2, 3]), xp.asarray([0, 7]), 0), IndexError, "__setitem__", "index array",
            "oob-index"),
        Bad(lambda: _set(_fresh([1, 2, 3]), (0, 0), 0), IndexError, "__setitem__", "too many indices", spec=True),
        Bad(lambda: _set(_fresh([[1, 2], [3, 4]]), (0, ...), xp.ones((2, 2), dtype=xp.int64)), ValueError,
            "__setitem__", r"\(2, 2\)"),
        Bad(lambda: _set(_fresh([1, 2, 3]), xp.asarray([0, 1]), xp.asarray([1, 2, 3])), ValueError,
            "__setitem__", r"\(3,\)"),
        Bad(lambda: _no_dd(lambda: _set(_fresh([1, 2, 3]), b1, 0)), RuntimeError, "__setitem__", "boolean-mask",
            "jit-readiness"),
    ],
}

CASES = [pytest.param(case, id=f"{section}-{i:02d}-{case.func.strip(chr(92))}")
         for section, cases in CATALOGUE.items() for i, case in enumerate(cases)]


@pytest.mark.parametrize("case", CASES)
def test_invalid_call_raises_the_right_exception_naming_function_and_argument(case):
    with pytest.raises(case.exc) as info_:
        case.call()
    assert type(info_.value) is case.exc, f"raised {type(info_.value).__name__}, a subclass of {case.exc.__name__}"
    info_.match(case.func)
    info_.match(case.arg)


def test_the_catalogue_spans_every_section_and_is_large_enough():
    assert len(CASES) >= 150
    assert set(CATALOGUE) >= {"creation", "data types", "elementwise", "indexing functions", "linalg", "fft",
                              "manipulation", "searching", "set", "sorting", "statistical", "utility",
                              "inspection", "array object", "in-place operators", "indexing", "setitem"}
    assert all(len(cases) >= 5 for cases in CATALOGUE.values())


def test_every_choice_is_explained_in_the_docs():
    text = DOCS.read_text()
    keys = {case.key() for cases in CATALOGUE.values() for case in cases}
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", text, flags=re.M))
    assert keys <= documented, f"choices missing from docs/errors.md: {sorted(keys - documented)}"


def test_the_docs_examples_run():
    """docs/errors.md: every ``>>>`` example of its ``pycon`` blocks gives the output (or the exception and the
    message) it shows; the blocks run in order in one namespace."""
    blocks = re.findall(r"^```pycon\n(.*?)^```", DOCS.read_text(), flags=re.M | re.S)
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, "docs/errors.md", str(DOCS), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 20 and result.failed == 0
