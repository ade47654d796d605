"""The extras host path: jax.numpy functions on host values computed by NumPy, with jax.numpy's result dtypes.

The core keeps eager arrays on a CPU as NumPy values (``array_api_jax._host``); extras' functions and operators
are jax.numpy's, which would move those values to XLA and compile a kernel per new shape. So for the names of
``TWINS`` (NumPy functions that mean the same as jax.numpy's of the same name for the arguments NumPy accepts),
a call whose array arguments are all host values runs NumPy's function instead, and its result takes the dtype
jax.numpy's function gives (``jax.eval_shape``, traced once per argument dtypes and ranks, never per shape: no
compilation, and nothing traced for a new shape). Anything NumPy refuses (an argument it does not take, a value
it rejects) runs jax.numpy's function, which decides as it always did. Values agree with jax.numpy's up to the
last bits of transcendental functions, as on the core's host path.

Keyless draws keep BrainPy's stream exactly: a draw of n values on the default placement draws a
padded size bucket with the same key and keeps the first n (``padded_size``): a handful of compiled kernels serves
every shape. With JAX's partitionable threefry (the default),
value i of a draw depends only on the key and i, for the samplers of ``PADDED_SAMPLERS`` (tested), so the values are
those of a draw of exactly n, and a new shape reuses the bucket's compiled kernel.
"""

import functools
import inspect

import jax
import numpy as np

from .. import _dispatch, _dtypes, _host

HostArray = np.ndarray

# jax.numpy name -> NumPy function: the same meaning for every argument NumPy accepts
_SAME_NAME = (
    # element-wise
    "abs absolute add subtract multiply divide true_divide floor_divide remainder mod fmod power float_power "
    "negative positive exp exp2 expm1 log log2 log10 log1p sqrt square cbrt sin cos tan arcsin arccos arctan "
    "arctan2 sinh cosh tanh arcsinh arccosh arctanh floor ceil trunc rint fix sign maximum minimum fmax fmin hypot "
    "equal not_equal less less_equal greater greater_equal logical_and logical_or logical_not logical_xor isnan "
    "isinf isfinite isposinf isneginf signbit bitwise_and bitwise_or bitwise_xor invert bitwise_not left_shift "
    "right_shift reciprocal conjugate conj real imag angle deg2rad rad2deg degrees radians copysign logaddexp "
    "logaddexp2 clip where round around heaviside sinc isclose nan_to_num "
    # reductions and scans
    "sum prod mean std var max min amax amin argmax argmin all any cumsum cumprod median ptp count_nonzero nansum "
    "nanprod nanmean nanstd nanvar nanmax nanmin nanargmax nanargmin average allclose array_equal "
    # shapes and products
    "concatenate stack hstack vstack dstack column_stack reshape ravel transpose swapaxes moveaxis expand_dims "
    "squeeze flip fliplr flipud roll tile repeat broadcast_to atleast_1d atleast_2d atleast_3d diag diagonal "
    "trace triu tril outer dot matmul inner vdot kron cross take_along_axis nonzero flatnonzero argwhere sort "
    "searchsorted diff ediff1d meshgrid copy einsum tensordot take pad rot90 append insert unique isin "
    "digitize histogram interp convolve correlate unravel_index lexsort polyval trapezoid "
    # statistics
    "percentile quantile nanpercentile nanquantile nanmedian cov corrcoef "
    # creation
    "zeros ones full empty eye identity arange linspace logspace geomspace zeros_like ones_like full_like "
    "empty_like array asarray tri"
).split()
TWINS = {name: getattr(np, name) for name in _SAME_NAME if hasattr(np, name)}
TWINS["argsort"] = functools.partial(np.argsort, kind="stable")  # jax.numpy's argsort is stable

def _leaves(values):
    for v in values:
        if type(v) in (list, tuple):
            yield from _leaves(v)
        else:
            yield v


def host_args(args, kwargs):
    """Whether the arrays among the raw arguments (also in lists and tuples of them) are host values, at least
    one, and none a jax.Array or a tracer; and the host path is on."""
    return (_dispatch.all_host((*args, *kwargs.values()) if kwargs else args)
            and _host.ENABLED[0] and _host.place())


def jax_args(args, kwargs):
    """Whether a jax.Array (or a tracer) is among the raw arguments."""
    return any(isinstance(v, jax.Array) for v in _leaves(list(args) + list(kwargs.values())))


_NO_KWARGS: dict = {}  # never written


def binary(jfunc, a, b, with_defaults, otherwise=None):
    """An operator's ``jfunc(a, b)``, by NumPy's twin where both operands are host values or Python scalars;
    else ``otherwise(a, b)`` (default ``jfunc``)."""
    if (type(a) is HostArray or type(b) is HostArray) and host_args((a, b), None):
        out = call(jfunc.__name__, jfunc, (a, b), _NO_KWARGS, with_defaults)
        if out is not None:
            return out
    return (otherwise or jfunc)(a, b)


def unary(jfunc, a, with_defaults):
    if type(a) is HostArray and host_args((a,), None):
        out = call(jfunc.__name__, jfunc, (a,), _NO_KWARGS, with_defaults)
        if out is not None:
            return out
    return jfunc(a)


def _stand_in(v):
    """An abstract stand-in of one argument for ``jax.eval_shape``: arrays by dtype and rank (shape of ones)."""
    if type(v) is HostArray:
        return jax.ShapeDtypeStruct((1,) * v.ndim, v.dtype)
    if type(v) in (list, tuple):
        return type(v)(_stand_in(e) for e in v)
    return v


def _key(v):
    t = type(v)
    if t is HostArray:
        return (v.dtype, v.ndim)
    if t is list or t is tuple:
        return (t, tuple(_key(e) for e in v))
    if t is float or t is int or t is bool or t is complex:
        return t  # Python scalars are weak in jax.numpy: their type decides, not their value
    return ("value", v)


# (jfunc, argument keys) -> the (dtype, weak) of its one result, or a tuple of them; None: not a twin's result
_TYPES = {}
_MAX_TYPES = 4096


def _has_array(v):
    return type(v) is HostArray or (type(v) in (list, tuple) and any(_has_array(e) for e in v))


def _trace(jfunc, args, kwargs):
    """The result types of ``jfunc``: array arguments become stand-ins, the rest stay constants (static, as an
    eager call's Python values are: ``decimals``, an axis, a weak scalar operand)."""
    where = [i for i, a in enumerate(args) if _has_array(a)]

    def traced(*arrays):
        full = list(args)
        for i, a in zip(where, arrays):
            full[i] = a
        return jfunc(*full, **kwargs)

    stand_ins = [_stand_in(args[i]) for i in where]
    try:
        out = jax.eval_shape(traced, *stand_ins)
    except jax.errors.ConcretizationTypeError:
        # a result whose shape depends on the data (nonzero, argwhere, ...): jax.numpy's ``size`` gives its types
        if "size" not in inspect.signature(jfunc).parameters or "size" in kwargs:
            raise
        kwargs = dict(kwargs, size=1)
        out = jax.eval_shape(traced, *stand_ins)
    if isinstance(out, jax.ShapeDtypeStruct):
        return (out.dtype, out.weak_type)
    if isinstance(out, (tuple, list)) and all(isinstance(o, jax.ShapeDtypeStruct) for o in out):
        return tuple((o.dtype, o.weak_type) for o in out)
    return None


def result_types(jfunc, args, kwargs, with_defaults):
    """The dtype jax.numpy's ``jfunc`` gives its result for these arguments (a tuple of dtypes for a tuple of
    results; weak results take extras' defaults, as ``wrap`` gives them), traced once per argument dtypes and
    ranks with stand-ins (so never per shape). None where the result is not one array or a flat tuple of them."""
    try:
        # the keywords' names are bare strings, which no argument's key is
        key = ((jfunc, *map(_key, args), *kwargs, *map(_key, kwargs.values())) if kwargs
               else (jfunc, *map(_key, args)))
        types = _TYPES[key]
    except KeyError:
        types = _trace(jfunc, args, kwargs)
        if len(_TYPES) >= _MAX_TYPES:
            _TYPES.clear()
        _TYPES[key] = types
    except TypeError:  # an unhashable argument: no cache
        types = _trace(jfunc, args, kwargs)
    if types is None:
        return None
    if type(types[1]) is bool:
        return with_defaults(types[0]) if types[1] else types[0]
    return tuple(with_defaults(d) if weak else d for d, weak in types)


def call(name, jfunc, args, kwargs, with_defaults):
    """NumPy's twin of ``jfunc`` on host values with jax.numpy's result dtypes; None where NumPy refuses (the
    caller then runs ``jfunc``). NumPy's floating-point warnings are off, as on the core's host path."""
    twin = TWINS.get(name)
    if twin is None:
        return None
    token = _host.quiet_on()
    try:
        out = twin(*args, **kwargs)
        types = result_types(jfunc, args, kwargs, with_defaults)
    except Exception:  # NumPy refuses, or the stand-ins do not trace: jax.numpy's function decides
        return None
    finally:
        _host.quiet_off(token)
    return None if types is None else _cast(out, types)


def _cast(out, types):
    if type(types) is tuple:
        if not isinstance(out, (tuple, list)) or len(types) != len(out):
            return None
        items = [_cast(o, t) for o, t in zip(out, types)]
        return None if any(i is None for i in items) else tuple(items)
    if type(out) is not HostArray:
        if not isinstance(out, np.generic):
            return None
        out = np.asarray(out)
    if out.dtype != types:
        out = out.astype(types)
    return out if out.dtype in _dtypes.DTYPES_SET else None


# --- keyless draws -----------------------------------------------------------------------------------------------

# the samplers whose value i depends only on the key and i (tests/test_random.py checks each against an unpadded
# draw): a padded draw's first n values are a draw of n
PADDED_SAMPLERS = frozenset({
    "_uniform", "_uniform01", "_normal", "_standard_normal", "_standard_exponential", "_exponential", "_gamma",
    "_beta", "_chisquare", "_lognormal", "_pareto", "_power", "_rayleigh", "_standard_cauchy", "_standard_t",
    "_truncated_normal", "_weibull", "_bernoulli", "_binomial", "_poisson", "_geometric", "_randint",
    "_triangular", "_wald", "_f",
})
# the first tiers, all compiled at a draw's first use (``random._Sampler._draw``), so that no later size compiles
# up to 16,384 values: threefry makes 1,024 values in about 40 µs and 16,384 in about 150 µs on a CPU, and one
# compilation takes 30-60 ms
BUCKETS = (1 << 8, 1 << 10, 1 << 12, 1 << 14)


def padded_size(n):
    """The bucket a draw of n values is drawn at: the first of ``BUCKETS`` that holds n, then the next power of two
    (at most half the values drawn are dropped)."""
    for bucket in BUCKETS:
        if n <= bucket:
            return bucket
    return 1 << (n - 1).bit_length()
