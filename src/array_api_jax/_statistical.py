"""Statistical functions: reductions (sum, prod, max, min, mean, std, var) and cumulative sums and products."""

import builtins
import math

import jax.numpy as jnp
from jax import lax

from . import _validate
from ._array import Array
from ._dispatch import kernel

__all__ = ["cumulative_prod", "cumulative_sum", "max", "mean", "min", "prod", "std", "sum", "var"]


def _reduction_args(x, cat, func, axis, keepdims):
    v = _validate.array_in(x, cat, func)
    return v, _validate.axes(axis, v.ndim, func), _validate.boolean(keepdims, func, "keepdims")


# --- sum and prod -------------------------------------------------------------------------------------------


@kernel(static=("axes", "keepdims", "dtype"))
def _sum(x, *, axes, keepdims, dtype):
    return jnp.sum(lax.convert_element_type(x, dtype), axis=axes, keepdims=keepdims, dtype=dtype)


@kernel(static=("axes", "keepdims", "dtype"))
def _prod(x, *, axes, keepdims, dtype):
    return jnp.prod(lax.convert_element_type(x, dtype), axis=axes, keepdims=keepdims, dtype=dtype)


def sum(x, /, *, axis=None, dtype=None, keepdims=False):  # noqa: A001 - the standard's name
    """Sum of the elements of x over ``axis`` (all axes by default), accumulated in the standard's dtype."""
    v, axes, keepdims = _reduction_args(x, "numeric", "sum", axis, keepdims)
    dt = _validate.accumulation_dtype(v.dtype, dtype, "sum")
    return Array._new(_sum(v, axes=axes, keepdims=keepdims, dtype=dt))


def prod(x, /, *, axis=None, dtype=None, keepdims=False):
    """Product of the elements of x over ``axis`` (all axes by default), accumulated in the standard's dtype."""
    v, axes, keepdims = _reduction_args(x, "numeric", "prod", axis, keepdims)
    dt = _validate.accumulation_dtype(v.dtype, dtype, "prod")
    return Array._new(_prod(v, axes=axes, keepdims=keepdims, dtype=dt))


# --- max and min --------------------------------------------------------------------------------------------


@kernel(static=("axes", "keepdims"))
def _max(x, *, axes, keepdims):
    return jnp.max(x, axis=axes, keepdims=keepdims)


@kernel(static=("axes", "keepdims"))
def _min(x, *, axes, keepdims):
    return jnp.min(x, axis=axes, keepdims=keepdims)


def _extremum(name, k, x, axis, keepdims):
    v, axes, keepdims = _reduction_args(x, "real-valued", name, axis, keepdims)
    if math.prod(v.shape[a] for a in axes) == 0:
        # The standard leaves the result of an empty reduction unspecified; we raise rather than invent a value.
        raise ValueError(f"{name}: cannot reduce over zero elements (x has shape {v.shape}, axis={axis})")
    return Array._new(k(v, axes=axes, keepdims=keepdims))


def max(x, /, *, axis=None, keepdims=False):  # noqa: A001 - the standard's name
    """Maximum of the elements of x over ``axis`` (all axes by default); NaNs propagate."""
    return _extremum("max", _max, x, axis, keepdims)


def min(x, /, *, axis=None, keepdims=False):  # noqa: A001 - the standard's name
    """Minimum of the elements of x over ``axis`` (all axes by default); NaNs propagate."""
    return _extremum("min", _min, x, axis, keepdims)


# --- mean, var, std -----------------------------------------------------------------------------------------


@kernel(static=("axes", "keepdims"))
def _mean(x, *, axes, keepdims):
    return jnp.mean(x, axis=axes, keepdims=keepdims, dtype=x.dtype)


@kernel(static=("axes", "keepdims", "root"))
def _var(x, divisor, *, axes, keepdims, root):
    d = x - jnp.mean(x, axis=axes, keepdims=True, dtype=x.dtype)
    out = jnp.sum(d * d, axis=axes, keepdims=keepdims, dtype=x.dtype) / lax.convert_element_type(divisor, x.dtype)
    return jnp.sqrt(out) if root else out


def mean(x, /, *, axis=None, keepdims=False):
    """Arithmetic mean of the elements of x over ``axis`` (all axes by default); NaN for an empty reduction."""
    v, axes, keepdims = _reduction_args(x, "floating-point", "mean", axis, keepdims)
    return Array._new(_mean(v, axes=axes, keepdims=keepdims))


def _spread(name, x, axis, correction, keepdims):
    v, axes, keepdims = _reduction_args(x, "real-valued floating-point", name, axis, keepdims)
    if isinstance(correction, builtins.bool) or not isinstance(correction, (int, float)):
        raise TypeError(f"{name}: correction must be an int or a float, got {type(correction).__name__}")
    divisor = math.prod(v.shape[a] for a in axes) - correction
    if divisor <= 0:
        divisor = math.nan  # the standard: NaN when M - correction <= 0
    return Array._new(_var(v, float(divisor), axes=axes, keepdims=keepdims, root=name == "std"))


def var(x, /, *, axis=None, correction=0.0, keepdims=False):
    """Variance of the elements of x over ``axis``, dividing by (number of elements - correction)."""
    return _spread("var", x, axis, correction, keepdims)


def std(x, /, *, axis=None, correction=0.0, keepdims=False):
    """Standard deviation of the elements of x over ``axis``, dividing by (number of elements - correction)."""
    return _spread("std", x, axis, correction, keepdims)


# --- cumulative sums and products ---------------------------------------------------------------------------


@kernel(static=("axis", "dtype", "include_initial", "product"))
def _cumulative(x, *, axis, dtype, include_initial, product):
    x = lax.convert_element_type(x, dtype)
    out = jnp.cumprod(x, axis=axis, dtype=dtype) if product else jnp.cumsum(x, axis=axis, dtype=dtype)
    if include_initial:
        shape = list(x.shape)
        shape[axis] = 1
        out = lax.concatenate([jnp.full(shape, 1 if product else 0, dtype), out], axis)
    return out


def _accumulate(name, x, axis, dtype, include_initial):
    v = _validate.array_in(x, "numeric", name)
    if v.ndim == 0:
        raise ValueError(f"{name}: x must have at least one dimension (the standard leaves 0-D input unspecified)")
    if axis is None:
        if v.ndim > 1:
            raise ValueError(f"{name}: axis must be given for an array of {v.ndim} dimensions")
        axis = 0
    ax = _validate.axis(axis, v.ndim, name)
    dt = _validate.accumulation_dtype(v.dtype, dtype, name)
    initial = _validate.boolean(include_initial, name, "include_initial")
    return Array._new(_cumulative(v, axis=ax, dtype=dt, include_initial=initial, product=name == "cumulative_prod"))


def cumulative_sum(x, /, *, axis=None, dtype=None, include_initial=False):
    """Cumulative sum of x along ``axis`` (optional for 1-D x); ``include_initial`` prepends a zero."""
    return _accumulate("cumulative_sum", x, axis, dtype, include_initial)


def cumulative_prod(x, /, *, axis=None, dtype=None, include_initial=False):
    """Cumulative product of x along ``axis`` (optional for 1-D x); ``include_initial`` prepends a one."""
    return _accumulate("cumulative_prod", x, axis, dtype, include_initial)


for _name in __all__:
    globals()[_name].__module__ = "array_api_jax"
