"""Statistical functions: reductions (sum, prod, max, min, mean, std, var) and cumulative sums and products."""

import builtins
import math

import numpy as np

from . import _dtypes, _host, _validate
from ._array import Array
from ._dispatch import kernel_cache, without_jax_note
from ._host import HostArray

__all__ = ["cumulative_prod", "cumulative_sum", "max", "mean", "min", "prod", "std", "sum", "var"]


# --- sum, prod, max, min, mean ------------------------------------------------------------------------------
# One kernel per (axis, keepdims, dtype) argument combination, without static arguments: the combination
# selects the kernel from an LRU cache. The kernel checks the rest (dtype category, axis range, the result dtype)
# when JAX traces it, once per input signature; its NumPy twin does the same checks once per (dtype, ndim) and
# keeps their outcome, so that a host call runs the checks' result, NumPy and nothing else of the package.

quiet_set, quiet_reset, quiet = _host.QUIET  # _host.quiet, inline


def _twin(m, check, compute, predicate=None):
    """The kernel's function (``m`` is JAX) or its complete NumPy twin (``m`` is HOST; see ``kernel``'s
    ``host_complete``) of ``compute(x, *check(x))``, where ``check`` depends only on x's dtype and rank: the twin
    keeps its outcome per (dtype, ndim), a failed check is kept nowhere. ``predicate``: a deferred predicate whose
    operands the function takes (``Array._pending``), computed first."""
    if not m.is_host:
        def checked(*values):
            x = values[0] if predicate is None else predicate._checked(*values)
            return compute(x, *check(x))
        return checked
    kept = {}

    def host(*values):
        x = values[0] if predicate is None else predicate._checked(*values)
        done = kept.get((x.dtype, x.ndim))
        if done is None:
            done = kept[x.dtype, x.ndim] = check(x)
        token = quiet_set(quiet)
        try:
            out = compute(x, *done)
        finally:
            quiet_reset(token)
        return out if type(out) is HostArray else np.asarray(out)  # NumPy's 0-D results are scalars
    return host


def _run(k, *values):
    """Kernel ``k`` on ``values`` where ``Twin.side`` places it, called in this module (its twin is complete), so
    that a host call enters no other module; an error raised by the checks keeps no note of JAX's."""
    run = k.side(*values)
    try:
        return run(*values)
    except Exception as e:
        without_jax_note(e)
        raise


def _reducer(name, cat, impl, accumulates=False, nonempty=False):
    """``impl(m, x, axes, keepdims, dtype, *extra)`` for the array module ``m`` (a kernel and its NumPy twin)."""
    # (a) and (b) of kernel_cache: reductions, also of a deferred predicate
    @kernel_cache(hot=name, host_complete=True)
    def kernel_for(m, axis, keepdims, dtype, default_integral, extra, predicate):
        def check(x):
            _validate.category(x.dtype, cat, name)
            axes = _validate.axes(axis, x.ndim, name)
            dt = _validate.accumulation_dtype(x.dtype, dtype, name, default_integral) if accumulates else x.dtype
            return axes, dt

        def compute(x, axes, dt):
            if nonempty and math.prod([x.shape[a] for a in axes]) == 0:
                # The standard leaves an empty max/min unspecified; we raise rather than invent a value.
                raise ValueError(f"{name}: cannot reduce over zero elements (x has shape {x.shape}, axis={axis})")
            return impl(m, x, axes, keepdims, dt, *extra)

        return _twin(m, check, compute, predicate)

    def reduce(x, axis, keepdims, dtype=None, extra=()):
        """``extra``: further hashable, already-checked parameters of ``impl`` (var's correction)."""
        if isinstance(x, Array) and ((axis is None and keepdims is False and dtype is None)
                                     or _plain(axis, keepdims, dtype)):
            if x._pending is None:
                predicate, values = None, (x._value if x._base is None else x._data(),)
            else:  # a deferred predicate: computed inside this reduction's kernel
                predicate, values = x._pending
            k = kernel_for(axis, keepdims, dtype and dtype.dtype, _dtypes.DEFAULTS["integral"], extra, predicate)
        else:  # check the argument types here, so that the cache keys are exactly the valid arguments
            v = _validate.array(x, name)._data()
            axes = _validate.axes(axis, v.ndim, name)
            keepdims = _validate.boolean(keepdims, name, "keepdims")
            k = kernel_for(axes, keepdims, _validate.dtype(dtype, name), _dtypes.DEFAULTS["integral"], extra, None)
            values = (v,)
        return Array._new(_run(k, *values))

    return reduce


def _plain(axis, keepdims, dtype):
    """Whether the arguments can key a kernel cache as given (no bool posing as an int, no list, no NumPy dtype)."""
    return ((keepdims is False or keepdims is True)
            and (axis is None or type(axis) is int or (type(axis) is tuple and all(type(a) is int for a in axis)))
            and (dtype is None or type(dtype) is _dtypes.DType))


_sum = _reducer("sum", "numeric", lambda m, x, axes, keepdims, dt: m.sum(
    m.convert(x, dt), axis=axes, keepdims=keepdims, dtype=dt), accumulates=True)
_prod = _reducer("prod", "numeric", lambda m, x, axes, keepdims, dt: m.prod(
    m.convert(x, dt), axis=axes, keepdims=keepdims, dtype=dt), accumulates=True)


_max = _reducer("max", "real-valued", lambda m, x, axes, keepdims, dt: m.extremum(
    "max", x, axis=axes, keepdims=keepdims), nonempty=True)
_min = _reducer("min", "real-valued", lambda m, x, axes, keepdims, dt: m.extremum(
    "min", x, axis=axes, keepdims=keepdims), nonempty=True)
_mean = _reducer("mean", "floating-point", lambda m, x, axes, keepdims, dt: m.mean_of(
    x, axis=axes, keepdims=keepdims, dtype=dt))


def sum(x, /, *, axis=None, dtype=None, keepdims=False):  # noqa: A001 - the standard's name
    """Sum of the elements of x over ``axis`` (all axes by default), accumulated in the standard's dtype."""
    return _sum(x, axis, keepdims, dtype)


def prod(x, /, *, axis=None, dtype=None, keepdims=False):
    """Product of the elements of x over ``axis`` (all axes by default), accumulated in the standard's dtype."""
    return _prod(x, axis, keepdims, dtype)


def max(x, /, *, axis=None, keepdims=False):  # noqa: A001 - the standard's name
    """Maximum of the elements of x over ``axis`` (all axes by default); NaNs propagate."""
    return _max(x, axis, keepdims)


def min(x, /, *, axis=None, keepdims=False):  # noqa: A001 - the standard's name
    """Minimum of the elements of x over ``axis`` (all axes by default); NaNs propagate."""
    return _min(x, axis, keepdims)


def mean(x, /, *, axis=None, keepdims=False):
    """Arithmetic mean of the elements of x over ``axis`` (all axes by default); NaN for an empty reduction."""
    return _mean(x, axis, keepdims)


# --- var, std -----------------------------------------------------------------------------------------------


def _spread_impl(root):
    def impl(m, x, axes, keepdims, dt, correction):
        divisor = math.prod(x.shape[a] for a in axes) - correction
        d = x - m.mean_of(x, axes, True, x.dtype)
        out = m.sum(m.squared(d), axis=axes, keepdims=keepdims, dtype=x.dtype) / m.convert(
            divisor if divisor > 0 else math.nan, x.dtype)  # the standard: NaN when M - correction <= 0
        return m.sqrt(out) if root else out
    return impl


_var = _reducer("var", "real-valued floating-point", _spread_impl(root=False))
_std = _reducer("std", "real-valued floating-point", _spread_impl(root=True))


def _correction(correction, func):
    if type(correction) is not float and (isinstance(correction, builtins.bool)
                                          or not isinstance(correction, (int, float))):
        raise TypeError(f"{func}: correction must be an int or a float, got {type(correction).__name__}")
    return (correction,)


def var(x, /, *, axis=None, correction=0.0, keepdims=False):
    """Variance of the elements of x over ``axis``, dividing by (number of elements - correction)."""
    return _var(x, axis, keepdims, extra=_correction(correction, "var"))


def std(x, /, *, axis=None, correction=0.0, keepdims=False):
    """Standard deviation of the elements of x over ``axis``, dividing by (number of elements - correction)."""
    return _std(x, axis, keepdims, extra=_correction(correction, "std"))


# --- cumulative sums and products ---------------------------------------------------------------------------


def _zeros_stay_zero(m, x, out, ax):
    """The products where a prefix holds a zero and only finite factors: zero (of the sign a sequential product
    gives), the exact answer. An overflow before or after the zero would make them 0 * inf, NaN: XLA's pairwise
    scan turned [0, 3e38, 3e38] (float32) into NaN, and a sequential product [3e38, 3e38, 0]."""
    zero = m.accumulate("logical_or", x == 0, ax) & m.accumulate("logical_and", m.isfinite(x), ax)
    if x.dtype.kind == "f":
        zeros = m.where(m.accumulate("logical_xor", m.signbit(x), ax), -0.0, 0.0).astype(x.dtype)
    else:
        zeros = m.zeros_like(out)
    return m.where(zero, zeros, out)


@kernel_cache(host_complete=True)  # (a) of kernel_cache: five static arguments
def _cumulative(m, func, axis, dtype, include_initial, default_integral):
    product = func == "cumulative_prod"

    def check(x):
        _validate.category(x.dtype, "numeric", func)
        if x.ndim == 0:
            raise ValueError(f"{func}: x must have at least one dimension (the standard leaves 0-D input unspecified)")
        if axis is None and x.ndim > 1:
            raise ValueError(f"{func}: axis must be given for an array of {x.ndim} dimensions")
        ax = 0 if axis is None else _validate.axis(axis, x.ndim, func)
        return ax, _validate.accumulation_dtype(x.dtype, dtype, func, default_integral)

    def compute(x, ax, dt):
        x = m.convert(x, dt)
        out = m.accumulate("multiply" if product else "add", x, ax)
        if product and x.dtype.kind in "fc":
            out = _zeros_stay_zero(m, x, out, ax)
        if include_initial:
            shape = list(x.shape)
            shape[ax] = 1
            out = m.concatenate([m.full(shape, 1 if product else 0, dt), out], ax)
        return out

    return _twin(m, check, compute)


def _accumulate(func, x, axis, dtype, include_initial):
    v = _validate.array(x, func)
    if not ((axis is None or type(axis) is int) and (dtype is None or type(dtype) is _dtypes.DType)
            and (include_initial is True or include_initial is False)):  # checked here: they key the cache
        axis = None if axis is None else _validate.integer(axis, func)
        dtype = _validate.dtype(dtype, func)
        include_initial = _validate.boolean(include_initial, func, "include_initial")
    elif dtype is not None:
        dtype = dtype.dtype
    k = _cumulative(func, axis, dtype, include_initial, _dtypes.DEFAULTS["integral"])
    return Array._new(_run(k, v._value if v._base is None else v._data()))


def cumulative_sum(x, /, *, axis=None, dtype=None, include_initial=False):
    """Cumulative sum of x along ``axis`` (optional for 1-D x); ``include_initial`` prepends a zero."""
    return _accumulate("cumulative_sum", x, axis, dtype, include_initial)


def cumulative_prod(x, /, *, axis=None, dtype=None, include_initial=False):
    """Cumulative product of x along ``axis`` (optional for 1-D x); ``include_initial`` prepends a one."""
    return _accumulate("cumulative_prod", x, axis, dtype, include_initial)
