"""The element-wise functions: one declaration each (``add = binary("numeric", "add")``, or ``@unary(category)`` on
a body), with the standard's special cases, written once for two array modules.

``DECLARED`` lists the declarations (the end of this module); ``_operations`` makes their checked functions,
kernels and host twins, ``_elementwise`` their public functions, ``_array`` the operators. ``implementation(name,
ops)`` gives the function that computes ``name`` on raw values of one array module: ``JAX`` (jax.numpy and lax,
traced inside kernels) or ``HOST`` (NumPy, for host values; see ``_host``). Both get the same fixes where the
modules' own kernels do not follow the standard: complex special cases (C99 Annex G), branch-cut symmetries,
signed zeros, and the integer edge cases.

``JAX`` and ``HOST`` are the array modules of every kernel body (``_dispatch.kernel``); each place where NumPy
and jax.numpy really differ is one method of both (``JaxOps``, ``HostOps``), tested in tests/test_kernel_form.py.
"""

import math

import jax.numpy as jnp
import numpy as np
from jax import lax

from . import _dtypes, _host_sort, _sharding


class Ops:
    """An array module under jax.numpy's names, plus ``complex(re, im)`` (exact, also for infinite parts) and
    ``convert(x, dtype)`` (lax.convert_element_type's meaning); the subclasses add a method for each place where
    NumPy and jax.numpy really differ, so that a kernel's body (``_dispatch.kernel``) is one code for both."""

    def __init__(self, module, make_complex, convert):
        self.module = module
        self.complex = make_complex
        self.convert = convert
        self.is_host = module is np

    def __getattr__(self, name):
        value = getattr(self.module, name)
        setattr(self, name, value)  # looked up once
        return value


def _host_complex(re, im):
    out = np.empty(np.broadcast_shapes(np.shape(re), np.shape(im)), np.result_type(re.dtype, np.complex64))
    out.real = re
    out.imag = im
    return out


# the scans of ``accumulate``, by the name of NumPy's ufunc
_SCANS = {"add": lax.add, "multiply": lax.mul, "logical_or": lax.bitwise_or, "logical_and": lax.bitwise_and,
          "logical_xor": lax.bitwise_xor}


class JaxOps(Ops):
    """jax.numpy and lax, traced inside kernels."""

    def squared(self, d):
        """``d * d`` (XLA fuses it; ``HostOps.squared`` computes it in place)."""
        return d * d

    def accumulate(self, op, x, axis):
        """The running ``op`` (the name of a NumPy ufunc of ``_SCANS``) along ``axis``: an associative scan, on the
        CPU several times faster than lax.cumsum's reduce_window (exact for integers; for floating point a
        pairwise order of additions, at least as accurate as a sequential one)."""
        return lax.associative_scan(_SCANS[op], x, axis=axis) if x.shape[axis] else x

    def set_at(self, x, index, update):
        """x with ``update`` written at ``index`` (a new array)."""
        return x.at[index].set(update)

    def take_along(self, x, index, axis):
        """``take_along_axis`` with in-bounds, non-negative indices (checked by the caller)."""
        return jnp.take_along_axis(x, index, axis=axis, mode="clip")

    def take_sorted(self, x, index, axis):
        """``take`` along ``axis`` with in-bounds indices in increasing order: XLA's gather is told so."""
        return jnp.take(x, index, axis=axis, mode="clip", indices_are_sorted=True)

    def reshaped(self, x, shape):
        """x reshaped to ``shape``, as a new array."""
        return lax.reshape(x, shape)

    def sharded_like(self, new, old):
        """``new`` with ``old``'s sharding where that names Explicit axes (an in-place operator's result)."""
        return _sharding.like(new, old)

    def extremum(self, func, x, axis, keepdims):
        """``max`` or ``min`` (``func``) of x, NaN where a NaN is among the values."""
        out = getattr(jnp, func)(x, axis=axis, keepdims=keepdims)
        if x.dtype.kind == "f" and x.size >= 512:
            # XLA's CPU max/min lose NaNs in reductions over some thousands of elements (measured: from about
            # 2,000; jnp.min of 10,001 float64 values with NaNs gives inf); the standard: NaN in, NaN out. Smaller
            # inputs keep jax.numpy's program (under jax.jit the jaxpr is the same as jnp.max's)
            out = jnp.where(jnp.any(jnp.isnan(x), axis=axis, keepdims=keepdims), jnp.nan, out).astype(out.dtype)
        return out

    def mean_of(self, x, axis, keepdims, dtype):
        """The mean of x (NaN for an empty reduction), accumulated in ``dtype``."""
        return jnp.mean(x, axis=axis, keepdims=keepdims, dtype=dtype)

    def matmul_in(self, a, b, dtype):
        """``a @ b`` computed and returned in ``dtype``."""
        return jnp.matmul(a.astype(dtype), b.astype(dtype), preferred_element_type=dtype)

    def sort_along(self, x, ax, descending, stable, indices=False):
        """The sorted values (the sorting indices with ``indices``) of x along ``ax``."""
        return (jnp.argsort if indices else jnp.sort)(x, axis=ax, descending=descending, stable=stable)

    def nan_if_not_finite(self, compute, x, *args, **kwargs):
        """``compute(x, ...)`` over a stack of matrices, NaN (0 in an integer result) for a matrix holding NaN or
        inf: XLA's solvers give that themselves."""
        return compute(x, *args, **kwargs)

    def linalg_failed(self, compute, like):
        """``(compute(), failed)`` for a factorization of ``like``: XLA's fails with non-finite values, and so does
        any factorization of a non-finite input, which the caller tells apart (``linalg.cholesky``) only when the
        flag is set. ``failed``: the largest magnitude is not finite (max propagates NaN), one float reduction; a
        boolean mask's reduction, and a second one of the input, cost a 1000x1000 float32 cholesky a sixth of its
        time."""
        out = compute()
        parts = (jnp.real(out), jnp.imag(out)) if jnp.iscomplexobj(out) else (out,)
        finite = [jnp.isfinite(jnp.max(jnp.abs(p), initial=0)) for p in parts]
        return out, ~(finite[0] & finite[-1])

    def lu_solve(self, a, b):
        """``(out, singular)``: ``a @ out = b`` for stacks of matrices of one batch shape, and whether some ``a``
        is exactly singular (a zero pivot of its LU factors; XLA's solve gives inf or NaN there)."""
        import jax.scipy.linalg as jsl  # imported on first use: it is slow to import

        lu, piv = jsl.lu_factor(a)
        return jsl.lu_solve((lu, piv), b), jnp.any(jnp.diagonal(lu, axis1=-2, axis2=-1) == 0)

    def inv_flagged(self, x):
        """``(inverse, singular)`` of a stack of square matrices, as ``lu_solve`` against the identity."""
        return self.lu_solve(x, jnp.broadcast_to(jnp.eye(x.shape[-1], dtype=x.dtype), x.shape))


def _finite_matrices(x):
    """Whether each matrix of a stack holds finite values only, without a temporary of x's size (an isfinite mask
    of a large matrix is fresh memory to fault in): its smallest and largest values are finite, as NumPy's min
    and max propagate NaN (of the real and the imaginary parts of a complex matrix)."""
    if x.size == 0 or x.dtype.kind not in "fc":
        return np.isfinite(x).all(axis=(-2, -1))
    out = True
    for part in (x.real, x.imag) if x.dtype.kind == "c" else (x,):
        out = out & np.isfinite(part.min(axis=(-2, -1))) & np.isfinite(part.max(axis=(-2, -1)))
    return out


_EXTREMA = {"max": np.maximum, "min": np.minimum}


class HostOps(Ops):
    """NumPy, for host values (see ``_host``)."""

    # the ufuncs' reduce, which np.sum and np.prod call on an ndarray after a few microseconds of argument handling
    sum = staticmethod(np.add.reduce)
    prod = staticmethod(np.multiply.reduce)

    def squared(self, d):
        """``d * d`` for a fresh array ``d`` that the caller drops: computed into ``d``'s buffer, as NumPy's own
        ``var`` does, so a variance makes one buffer of its operand's size, not two."""
        return np.multiply(d, d, out=d) if type(d) is np.ndarray else d * d

    def set_at(self, x, index, update):
        """x with ``update`` written at ``index``: a copy (x itself is never written)."""
        out = x.copy()
        out[index] = update
        return out

    def take_along(self, x, index, axis):
        """``take_along_axis`` with in-bounds, non-negative indices (checked by the caller)."""
        return np.take_along_axis(x, index, axis)

    def take_sorted(self, x, index, axis):
        """``take`` along ``axis`` with in-bounds indices in increasing order (NumPy has no word for sorted)."""
        return np.take(x, index, axis)

    def reshaped(self, x, shape):
        """x reshaped to ``shape``, as a new array that owns its memory (NumPy's reshape may give a view; a host
        value that owns its memory can be written in place)."""
        out = np.empty(shape, x.dtype)
        out.reshape(x.shape)[...] = x
        return out

    def sharded_like(self, new, old):
        """``new``: host values have no sharding."""
        return new

    def extremum(self, func, x, axis, keepdims):
        """``max`` or ``min`` (``func``) of x, NaN where a NaN is among the values (NumPy's always is): the ufunc's
        reduce, which np.max calls after a few microseconds of argument handling."""
        return _EXTREMA[func].reduce(x, axis=axis, keepdims=keepdims)

    def matmul_in(self, a, b, dtype):
        """``a @ b`` computed and returned in ``dtype``; float32 and complex64 products in the wider dtype (BLAS
        accumulates in float32: (1, n) @ (n, 1) lost hundreds of ULP)."""
        wider = _WIDER.get(dtype)
        if wider is not None:
            return np.matmul(a.astype(wider), b.astype(wider)).astype(dtype)
        return np.matmul(a.astype(dtype, copy=False), b.astype(dtype, copy=False))  # no copy of a large operand

    def mean_of(self, x, axis, keepdims, dtype):
        """The mean of x (NaN for an empty reduction), accumulated in ``dtype``: a sum and a division, as np.mean
        does, without its warning for an empty reduction."""
        return np.add.reduce(x, axis=axis, keepdims=keepdims, dtype=dtype) / np.asarray(
            math.prod(x.shape[a] for a in axis), dtype=_dtypes.REAL_OF[np.dtype(dtype)])

    def sort_along(self, x, ax, descending, stable, indices=False):
        """The sorted values (the sorting indices with ``indices``) of x along ``ax``, as stable as jax.numpy's
        (see _host_sort)."""
        return _host_sort.sort_along(x, ax, descending, stable, indices)

    def accumulate(self, op, x, axis):
        """The running ``op`` (a NumPy ufunc's name) along ``axis``, NumPy's sequential ``accumulate``; a float32 or
        complex64 sum accumulates in float64 (n float32 additions lose up to about n/2 ULP: 2**17 times 0.1,
        13,907), so each sum is the exact one rounded (twice). The result has x's dtype (NumPy's own would be
        its default integer for a smaller one)."""
        wider = _WIDER.get(x.dtype) if op == "add" else None
        if wider is None:
            return getattr(np, op).accumulate(x, axis=axis, dtype=x.dtype)
        return np.add.accumulate(x, axis=axis, dtype=wider).astype(x.dtype)

    def nan_if_not_finite(self, compute, x, *args, **kwargs):
        """``compute(x, ...)`` over a stack of matrices, with XLA's answer for a matrix holding NaN or inf: NaN in
        every floating result (0 in an integer one, the rank) where NumPy's LAPACK call would raise LinAlgError
        or read only one triangle. The other matrices of the stack are computed as usual."""
        bad = ~_finite_matrices(x)
        if not bad.any():
            return compute(x, *args, **kwargs)
        out = compute(np.where(bad[..., None, None], 0, x), *args, **kwargs)

        def spoil(o):
            o = np.asarray(o)
            where = bad.reshape(bad.shape + (1,) * (o.ndim - bad.ndim))
            return np.where(where, np.nan if o.dtype.kind in "fc" else 0, o).astype(o.dtype)
        return tuple(spoil(o) for o in out) if isinstance(out, tuple) else spoil(out)

    def linalg_failed(self, compute, like):
        """``(compute(), failed)``: NaNs shaped like ``like`` where NumPy's LAPACK call raises LinAlgError (which
        means failure, as XLA's flag does, only for a finite ``like``: the caller checks)."""
        try:
            return compute(), np.asarray(False)
        except np.linalg.LinAlgError:
            return np.full(like.shape, np.nan, like.dtype), np.asarray(True)

    def lu_solve(self, a, b):
        """``(out, singular)``: ``a @ out = b`` for stacks of matrices of one batch shape, and whether some ``a``
        is exactly singular (NumPy's solve raises LinAlgError for a zero pivot; then ``out`` is NaN)."""
        return self.linalg_failed(lambda: np.linalg.solve(a, b), b)

    def inv_flagged(self, x):
        """``(inverse, singular)`` of a stack of square matrices: NumPy's inv (a third faster than its solve
        against the identity), NaN where it raises LinAlgError."""
        return self.linalg_failed(lambda: np.linalg.inv(x), x)


JAX = JaxOps(jnp, lax.complex, lax.convert_element_type)
# np.asarray(x, dtype): astype(dtype, copy=False) for an array, the conversion of a scalar; NumPy's own function,
# so that a twin's conversion is no call into the package
HOST = HostOps(np, _host_complex, np.asarray)


# --- real and integer edge cases ---------------------------------------------------------------------------


def _shift(op):
    def impl(m, a, b):
        bits = a.dtype.itemsize * 8
        shifted = getattr(m, op)(a, m.clip(b, 0, bits - 1).astype(a.dtype))
        if op == "left_shift":
            return m.where(b >= bits, m.zeros_like(a), shifted)
        return m.where(b >= bits, m.where(a < 0, -1, 0).astype(a.dtype), shifted)
    return impl


_WIDER = {np.dtype(np.float32): np.float64, np.dtype(np.complex64): np.complex128}


def _real_hyperbolic(name, x):
    """XLA's sinh or cosh of a real x, but exp(|x|/2)**2 / 2 for |x| > 20, where e**-|x| no longer counts: XLA's
    own loses 10-23 ULP near overflow (float32 and float64 alike)."""
    ax = jnp.abs(x)
    e = jnp.exp(ax / 2)
    large = (0.5 * e) * e  # in this order: e * e would overflow before the halving
    return jnp.where(ax > 20, jnp.copysign(large, x) if name == "sinh" else large, getattr(jnp, name)(x))


def _hyperbolic(name):
    """sinh or cosh. XLA's real kernels are 5-23 ULP off for large |x|, and its complex ones cancel for a small
    real part (complex64 sinh(1e-7) was 19% off, complex128 5e-10): float32 is computed in float64, large |x| as
    in ``_real_hyperbolic``, and a complex z = x + iy as sinh(x) cos(y) + i cosh(x) sin(y) (cosh(x) cos(y) +
    i sinh(x) sin(y)) from the real functions, with a zero y kept (inf * 0 would be NaN)."""
    other = "cosh" if name == "sinh" else "sinh"

    def impl(m, x):
        if m is np:
            return getattr(np, name)(x)
        wide = x.astype(_WIDER.get(x.dtype, x.dtype))
        if x.dtype.kind != "c":
            return _real_hyperbolic(name, wide).astype(x.dtype)
        re, im = m.real(wide), m.imag(wide)
        real = _real_hyperbolic(name, re) * m.cos(im)
        return lax.complex(real, m.where(im == 0, im, _real_hyperbolic(other, re) * m.sin(im))).astype(x.dtype)
    return impl


# --- complex special cases ---------------------------------------------------------------------------------
# Complex special cases of the standard (C99 Annex G) that the modules' kernels do not follow, as
# (condition on real and imaginary parts) -> (real, imaginary) of the result, applied in order.
_NAN, _INF, _HALF_PI = float("nan"), float("inf"), math.pi / 2


def _nan_or_inf(m, v):
    return m.isnan(v) | m.isinf(v)


_COMPLEX_SPECIAL_CASES = {
    "acos": lambda m, re, im: [
        (m.isfinite(re) & m.isnan(im), (_NAN, _NAN)),
        (m.isnan(re) & m.isfinite(im), (_NAN, _NAN)),
        (m.isinf(re) & m.isnan(im), (_NAN, _INF)),
        (m.isnan(re) & m.isinf(im), (_NAN, -im)),
        ((re == 0) & m.isnan(im), (_HALF_PI, _NAN)),
    ],
    "acosh": lambda m, re, im: [
        (m.isfinite(re) & m.isnan(im), (_NAN, _NAN)),
        (m.isnan(re) & m.isfinite(im), (_NAN, _NAN)),
        ((m.isinf(re) & m.isnan(im)) | (m.isnan(re) & m.isinf(im)), (_INF, _NAN)),
        ((re == 0) & m.isnan(im), (_NAN, _HALF_PI)),
    ],
    "asinh": lambda m, re, im: [
        (m.isfinite(re) & m.isnan(im), (_NAN, _NAN)),
        (m.isnan(re) & m.isfinite(im), (_NAN, _NAN)),
        (m.isnan(re) & m.isinf(im), (_INF, _NAN)),
        (m.isnan(re) & (im == 0), (_NAN, im)),
    ],
    "atanh": lambda m, re, im: [
        (m.isnan(re) & ~m.isinf(im), (_NAN, _NAN)),
        (m.isfinite(re) & (re != 0) & m.isnan(im), (_NAN, _NAN)),
        ((re == 0) & m.isnan(im), (re, _NAN)),
        (m.isinf(re) & m.isnan(im), (m.copysign(0.0, re), _NAN)),
    ],
    "cosh": lambda m, re, im: [
        ((re == 0) & _nan_or_inf(m, im), (_NAN, 0.0)),
        (m.isinf(re) & _nan_or_inf(m, im), (_INF, _NAN)),
    ],
    "sinh": lambda m, re, im: [
        ((re == 0) & _nan_or_inf(m, im), (re, _NAN)),
        (m.isinf(re) & _nan_or_inf(m, im), (re, _NAN)),
    ],
    "tanh": lambda m, re, im: [
        ((re == 0) & _nan_or_inf(m, im), (re, _NAN)),
        (m.isinf(re), (m.copysign(1.0, re), m.where(m.isfinite(im), m.copysign(0.0, im), 0.0))),
    ],
    "exp": lambda m, re, im: [
        ((re == -_INF) & _nan_or_inf(m, im), (0.0, 0.0)),
        ((re == _INF) & _nan_or_inf(m, im), (_INF, _NAN)),
    ],
    "expm1": lambda m, re, im: [
        ((re == -_INF) & _nan_or_inf(m, im), (-1.0, 0.0)),
        ((re == _INF) & _nan_or_inf(m, im), (_INF, _NAN)),
    ],
    "log": lambda m, re, im: [((m.isinf(re) & m.isnan(im)) | (m.isnan(re) & m.isinf(im)), (_INF, _NAN))],
    "log1p": lambda m, re, im: [((m.isinf(re) & m.isnan(im)) | (m.isnan(re) & m.isinf(im)), (_INF, _NAN))],
    "sqrt": lambda m, re, im: [
        (m.isinf(im), (_INF, im)),
        ((re == -_INF) & m.isnan(im), (_NAN, _INF)),
        ((re == _INF) & m.isnan(im), (_INF, _NAN)),
    ],
}


# The standard requires f(conj(z)) == conj(f(z)) for these (and f(-z) == -f(z) for the odd ones, f(-z) == f(z) for
# the even ones). XLA's complex kernels ignore the sign of a zero component, which puts results on the wrong side of
# a branch cut (acos(-2.5 - 0j), asinh(-0 - 6j), sqrt(-1 - 0j), ...). So they are evaluated in the first quadrant
# (odd and even functions) or the upper half plane, and the symmetries give the result. (The circular functions
# follow from the hyperbolic ones, below.)
_CONJ_SYMMETRIC = {"acos", "acosh", "asinh", "atanh", "cosh", "exp", "expm1", "log", "log1p", "sinh", "sqrt", "tanh"}
_ODD = {"asinh", "atanh", "sinh", "tanh"}
_EVEN = {"cosh"}


def _with_symmetries(name, m, impl):
    if name not in _CONJ_SYMMETRIC:
        return impl

    def fixed(x):
        if not m.iscomplexobj(x):
            return impl(x)
        re, im = m.real(x), m.imag(x)
        flip_im = m.signbit(im)
        if name in _ODD or name in _EVEN:
            neg_re = m.signbit(re)
            flip_im = flip_im != neg_re
            re = m.abs(re)
        w = impl(m.complex(re, m.abs(im)))
        w = m.where(flip_im, m.conj(w), w)
        if name in _ODD:
            w = m.where(neg_re, -w, w)
        return w

    return fixed


def _with_complex_special_cases(name, m, impl):
    rules = _COMPLEX_SPECIAL_CASES.get(name)
    if rules is None:
        return impl

    def fixed(x):
        out = impl(x)
        if not m.iscomplexobj(x):
            return out
        re, im = m.real(x), m.imag(x)
        for cond, (r, i) in rules(m, re, im):
            value = m.complex(m.broadcast_to(m.asarray(r, re.dtype), re.shape),
                              m.broadcast_to(m.asarray(i, re.dtype), re.shape))
            out = m.where(cond, value, out)
        return out

    return fixed


# For these the standard defines complex special cases "as if implemented as" another function: cos(x) as
# cosh(x*1j), sin(x) as -1j * sinh(x*1j), log2(x) as log(x) / log(2), ... Doing exactly that (multiplying by
# 1j as a rotation, dividing by a real number component-wise) gives them the special cases of the function
# they are defined by.
def _rotate(m, z):  # 1j * z, exactly: a complex multiplication would turn infinite components into NaNs
    return m.complex(-m.imag(z), m.real(z))


def _unrotate(m, z):  # -1j * z
    return m.complex(m.imag(z), -m.real(z))


def _real_scaled(m, z, factor):  # z * factor for a real factor, component-wise (the standard's division table)
    return m.complex(m.real(z) * factor, m.imag(z) * factor)


_DEFINED_BY = {
    "asin": lambda m, f, z: _unrotate(m, f("asinh")(_rotate(m, z))),
    "atan": lambda m, f, z: _unrotate(m, f("atanh")(_rotate(m, z))),
    "cos": lambda m, f, z: f("cosh")(_rotate(m, z)),
    "sin": lambda m, f, z: _unrotate(m, f("sinh")(_rotate(m, z))),
    "tan": lambda m, f, z: _unrotate(m, f("tanh")(_rotate(m, z))),
    "log2": lambda m, f, z: _real_scaled(m, f("log")(z), 1 / math.log(2)),
    "log10": lambda m, f, z: _real_scaled(m, f("log")(z), 1 / math.log(10)),
}

# --- the element-wise functions ----------------------------------------------------------------------------
# One declaration each, in the standard's order: ``name = unary(category, "jax.numpy's name")`` when the module
# function is the body, or ``@unary(category)`` on a body over an array module ``m`` (``JAX`` or ``HOST``). The
# operand checks, kernels, host twins, public functions and operators are made from these (``_operations``,
# ``_elementwise``, ``_array``); the complex special cases above apply by name.


class Declaration:
    """An element-wise function: its operand count, the standard's dtype category, and its body (jax.numpy's name
    of the function in both modules, or a function of ``(m, *operands)``). ``name`` is set from the module."""

    __slots__ = ("arity", "category", "body", "name")

    def __init__(self, arity, category, body):
        self.arity, self.category, self.body, self.name = arity, category, body, None

    def __repr__(self):
        return f"<element-wise {self.name}>"


def unary(category, body=None):
    """Declare a function of one array, ``x``: ``name = unary(category, "numpy_name")``, or ``@unary(category)`` on
    ``def name(m, x)``."""
    return Declaration(1, category, body) if body is not None else (lambda f: Declaration(1, category, f))


def binary(category, body=None):
    """Declare a function of two arrays, ``x1`` and ``x2`` (broadcast, promoted to the standard's result dtype
    before the body is called): ``name = binary(category, "numpy_name")``, or ``@binary(category)`` on
    ``def name(m, x1, x2)``."""
    return Declaration(2, category, body) if body is not None else (lambda f: Declaration(2, category, f))


@unary("numeric")
def abs(m, x):
    out = m.abs(x)
    if m.iscomplexobj(x):  # the standard: an infinite component gives +infinity, even with a NaN component
        out = m.where(m.isinf(m.real(x)) | m.isinf(m.imag(x)), m.inf, out)
    return out


acos = unary("floating-point", "arccos")
acosh = unary("floating-point", "arccosh")
add = binary("numeric", "add")
asin = unary("floating-point", "arcsin")
asinh = unary("floating-point", "arcsinh")
atan = unary("floating-point", "arctan")
atan2 = binary("real floating", "arctan2")


@unary("floating-point")
def atanh(m, x):
    if x.dtype == np.complex64:
        # XLA's complex64 atanh overflows near z = 1 (|1 - z|**2 underflows); complex128 holds it
        return m.arctanh(x.astype(np.complex128)).astype(np.complex64)
    return m.arctanh(x)


bitwise_and = binary("integer or boolean", "bitwise_and")
bitwise_left_shift = binary("integer", _shift("left_shift"))
bitwise_invert = unary("integer or boolean", "invert")
bitwise_or = binary("integer or boolean", "bitwise_or")
bitwise_right_shift = binary("integer", _shift("right_shift"))
bitwise_xor = binary("integer or boolean", "bitwise_xor")
ceil = unary("real-valued", "ceil")
conj = unary("numeric", "conj")
copysign = binary("real floating", "copysign")
cos = unary("floating-point", "cos")
cosh = unary("floating-point", _hyperbolic("cosh"))
divide = binary("floating-point", "true_divide")
equal = binary("all", "equal")
exp = unary("floating-point", "exp")


@unary("floating-point")
def expm1(m, x):
    if m is np and x.dtype.kind == "c":
        # NumPy's complex expm1 is exp(z) - 1, which loses the small results and turns exp(x) * sin(0) into NaN
        # for an infinite x: expm1(x + iy) = expm1(x) cos(y) - 2 sin(y/2)**2 + i exp(x) sin(y), with a zero y kept
        re, im = x.real, x.imag
        real = np.expm1(re) * np.cos(im) - 2 * np.sin(im / 2) ** 2 + 0.0  # + 0.0: a zero is +0, as in XLA
        return _host_complex(real, np.where(im == 0, im, np.exp(re) * np.sin(im)))
    return m.expm1(x)


floor = unary("real-valued", "floor")


@binary("real-valued")
def floor_divide(m, a, b):
    out = m.floor_divide(a, b)
    if a.dtype.kind in "iu" and m is not np:
        # by zero: the standard leaves it open; NumPy's 0 on every path (XLA's quotient is -1, -2 or the unsigned
        # maximum), so the answer never depends on how the array was made or on which engine ran a large call
        out = m.where(b == 0, m.zeros_like(out), out)
    if a.dtype.kind == "f":
        # the standard's special cases (zeros, infinities) are those of floor(a / b)
        special = ~m.isfinite(a) | ~m.isfinite(b) | (a == 0)
        # a zero quotient of non-zero operands is floor of a value in [0, 1): +0 (XLA: -0 for -1.0 // -2.5)
        out = m.where(special, m.floor(a / b), m.where(out == 0, m.zeros_like(out), out))
    return out


greater = binary("real-valued", "greater")
greater_equal = binary("real-valued", "greater_equal")
hypot = binary("real floating", "hypot")
imag = unary("complex floating", "imag")
isfinite = unary("numeric", "isfinite")
isinf = unary("numeric", "isinf")
isnan = unary("numeric", "isnan")
less = binary("real-valued", "less")
less_equal = binary("real-valued", "less_equal")
log = unary("floating-point", "log")


@unary("floating-point")
def log1p(m, x):
    if m is np and x.dtype.kind == "c":
        # NumPy's complex log1p is log(1 + z), which loses z when |z| is small (log1p(1e-17+0j) is 0). Here
        # log|1 + z| = log1p(x * (2 + x) + y**2) / 2 near z = 0 (log(hypot(1 + x, y)) elsewhere) and
        # arg(1 + z) = atan2(y, 1 + x), in float64 for complex64
        z = x.astype(np.complex128)
        re, im = z.real, z.imag
        near = (np.abs(re) < 0.5) & (np.abs(im) < 0.5)
        real = np.where(near, np.log1p(re * (2 + re) + im * im) / 2, np.log(np.hypot(1 + re, im)))
        return _host_complex(real, np.arctan2(im, 1 + re)).astype(x.dtype)
    return m.log1p(x)


log2 = unary("floating-point", "log2")
log10 = unary("floating-point", "log10")
logaddexp = binary("real floating", "logaddexp")
logical_and = binary("bool", "logical_and")
logical_not = unary("bool", "logical_not")
logical_or = binary("bool", "logical_or")
logical_xor = binary("bool", "logical_xor")
maximum = binary("real-valued", "maximum")
minimum = binary("real-valued", "minimum")
multiply = binary("numeric", "multiply")
negative = unary("numeric", "negative")
nextafter = binary("real floating", "nextafter")
not_equal = binary("all", "not_equal")
positive = unary("numeric", "positive")


@binary("numeric")
def pow(m, a, b):
    if a.dtype.kind in "iu" and b.dtype.kind == "i" and (m is not np or (b < 0).any()):
        # negative integer exponents, which the standard leaves open, NumPy refuses and XLA answers with garbage
        # (3 ** -1 is -85 in int8, a modular inverse): the truncated value of a ** b on every path (1 for a == 1,
        # +-1 for a == -1, else 0), what exact arithmetic gives
        negative = b < 0
        out = m.power(a, m.where(negative, m.zeros_like(b), b))
        odd = (b % 2) == 1
        truncated = m.where(a == 1, 1, m.where(a == -1, m.where(odd, -1, 1), 0)).astype(a.dtype)
        return m.where(negative, truncated, out)
    out = m.power(a, b)
    if a.dtype.kind == "c":  # as exp(b * log(a)): 0 ** b is 0 for real(b) > 0 (XLA: NaN for a complex b)
        out = m.where((a == 0) & (m.real(b) > 0), m.zeros_like(out), out)
    if m is np and a.dtype.kind == "f" and b.size == 1 and b.reshape(()) == 0.5:
        # NumPy computes x ** 0.5 with a scalar-like exponent as sqrt(x): sqrt(-0.0) is -0.0 and sqrt(-inf) NaN,
        # where pow gives +0 and +inf (the standard, C99); |x| is the right answer there. (Only then: the masks
        # are temporaries of x's size.)
        out = np.where((a == 0) | (a == -np.inf), np.abs(a), out)
    return out


real = unary("numeric", "real")
reciprocal = unary("floating-point", "reciprocal")


@binary("real-valued")
def remainder(m, a, b):
    out = m.remainder(a, b)
    if a.dtype.kind == "f":
        out = m.where(out == 0, m.copysign(m.zeros_like(out), b), out)  # a zero takes the divisor's sign
    return out


round = unary("numeric", "round")


@unary("numeric")
def sign(m, x):
    if m.iscomplexobj(x):
        mag = m.abs(x)
        safe = m.where(mag == 0, 1, mag)
        # component-wise: NumPy's complex division rounds x / |x| once more (sign(-2.5-2.5j) 1 ULP off in complex64)
        unit = (_host_complex if m is np else lax.complex)(m.real(x) / safe, m.imag(x) / safe)
        return m.where(mag == 0, m.zeros_like(x), unit)
    return m.where(x == 0, m.zeros_like(x), m.sign(x))  # sign(-0.0) is +0 in the standard


signbit = unary("real floating", "signbit")
sin = unary("floating-point", "sin")
sinh = unary("floating-point", _hyperbolic("sinh"))
sqrt = unary("floating-point", "sqrt")
square = unary("numeric", "square")
subtract = binary("numeric", "subtract")
tan = unary("floating-point", "tan")
tanh = unary("floating-point", "tanh")
trunc = unary("real-valued", "trunc")

DECLARED = {}  # name -> Declaration, every element-wise function of the namespace
for _name, _declaration in list(globals().items()):
    if isinstance(_declaration, Declaration):
        _declaration.name = _name
        DECLARED[_name] = _declaration


_CACHE = {}


def base(name, ops):
    """The module's function for ``name`` without the complex fixes (what real and integer inputs need)."""
    b = DECLARED[name].body
    if isinstance(b, str):
        return getattr(ops.module, b)
    return lambda *args: b(ops.module, *args)


def implementation(name, ops):
    """The function computing ``name`` on raw values of ``ops``'s module, with the standard's special cases."""
    key = (name, id(ops))
    if key in _CACHE:
        return _CACHE[key]
    impl = base(name, ops)
    if name in _DEFINED_BY:
        via = _DEFINED_BY[name]
        f = lambda n: implementation(n, ops)  # noqa: E731
        plain = impl
        impl = lambda x: via(ops, f, x) if ops.iscomplexobj(x) else plain(x)  # noqa: E731
    else:
        impl = _with_complex_special_cases(name, ops, _with_symmetries(name, ops, impl))
    _CACHE[key] = impl
    return impl
