"""NumPy-style random numbers over ``jax.random``: ``numpy.random``'s functions, ``Generator`` and ``RandomState``.

Every draw returns an ``extras.ndarray`` of the requested ``dtype`` (default: extras' default real floating
dtype, float32 unless changed with ``extras.set_float`` or ``extras.enable_x64``; extras' default integer dtype
for integer distributions; ``bool`` for ``bernoulli``) on the requested ``device`` (a jax Device, or a
Sharding), and takes:

* ``key=``: an int seed or a JAX key. The draw is then a pure function of the key: reproducible, and it does
  not touch or advance any generator.
* no key: the draw uses a generator's state (the module functions use the default generator; ``seed``,
  ``get_state`` and ``set_state`` act on it; ``default_rng(seed)`` and ``RandomState(seed)`` make new ones).

How the state works
-------------------
A generator keeps its key in a ``jax.Ref``. A draw reads the key, splits it, writes one half back and samples
with the other. ``seed()`` and ``set_state()`` write into the same Ref (it is never replaced), so a function
compiled before ``seed()`` sees the new seed.

* eager: the split and the draw are one cached compiled call, under the generator's lock, so draws from many
  threads never repeat numbers (about the cost of ``jax.random.normal(key, shape)`` with an explicit key). A
  failed draw (bad parameter) raises before the state changes. Parameters are checked when their values are
  known; under a transformation invalid parameter values give unspecified results (NaN for floating results).
* ``jax.jit``: the Ref is read and written inside the compiled function, so every call advances the state and
  gives new numbers, with one compilation. Calling the same function eagerly and jitted after the same seed
  gives the same numbers.
* ``jax.grad``/``jvp``, ``lax.scan``, ``fori_loop``, ``while_loop``, ``cond``: the same; each executed draw
  advances the state (in a loop: once per iteration; in ``cond``: only in the branch taken).
* ``jax.vmap``: refused with an error. The state is one value shared by all lanes, so every lane would get the
  same numbers. Use ``random.vmap(f, ...)`` (same arguments as ``jax.vmap``): it advances each generator used
  inside once per call and gives each lane its own stream (``fold_in(key, lane index)``). Or pass ``key=`` and
  vmap over keys. A function jitted and traced *before* being wrapped still reads the global state and is
  refused too: jit the wrapped function instead. Inside ``random.vmap`` a ``lax.cond`` whose predicate differs
  between lanes cannot contain keyless draws (JAX does not batch state effects in ``cond``): draw before the
  ``cond``, or use ``key=``. ``jax.jacfwd``/``jax.hessian`` use vmap internally and are refused the same way
  (``jax.jacrev`` works).
* ``jax.checkpoint``/``jax.remat``: refused with an error when differentiated (the backward pass would replay
  the draw with new numbers, so forward values and gradients would disagree; without differentiation nothing
  is replayed and draws work). Use ``random.checkpoint(f, ...)``: it advances the generators once, outside, and
  the draws inside read a Ref created from that key, so the replay draws the same numbers.
* ``shard_map``/``pmap``: refused with an error (every shard would read and write one state); pass ``key=``
  (``jax.random.fold_in(key, lax.axis_index(name))`` gives one stream per shard).
* devices: the state has one Ref per placement. Without ``device=`` draws use the Ref on the default device
  (or, under ``jax.set_mesh(mesh)``, one replicated over that mesh; eagerly, the devices of committed array
  parameters). ``device=NamedSharding(mesh, spec)`` draws from a Ref replicated over ``mesh`` and returns an
  array with that sharding, so keyless draws work inside ``jax.jit`` with inputs sharded over ``mesh``. Each
  placement's stream is derived from the seed (``fold_in(seed key, placement id)``).
* threads: draws are serialised per generator, eagerly and in compiled calls (``extras.jit``, and plain
  ``jax.jit`` functions: each call holds the locks of the generators it advances), so no two draws repeat.
* generators created inside a transformation (``default_rng(seed)`` inside ``jax.jit``) live in that trace.

Differences from NumPy: the numbers are JAX's (threefry by default), not NumPy's streams; results are arrays
(0-d instead of Python scalars); ``get_state()`` returns a dict. ``NOT_PROVIDED`` lists what is left out and why.

Examples
--------
>>> import array_api_jax.extras as bm
>>> bm.random.seed(0)
>>> x = bm.random.uniform(size=3)
>>> type(x).__name__, x.dtype, x.shape
('ndarray', dtype('float32'), (3,))
>>> bm.random.seed(0)
>>> bool(bm.all(bm.random.uniform(size=3) == x))
True
>>> bool(bm.all(bm.random.normal(size=2, key=7) == bm.random.normal(size=2, key=7)))
True
"""

import itertools as _itertools
import math as _math
import warnings as _warnings

import jax as _jax
import numpy as _np
from jax import lax as _lax

from .. import _host
from . import _host_twins
from . import _random_args as _args
from . import _random_dists as _d
from ._ndarray import DEFAULTS as _DEFAULTS
from ._ndarray import ndarray as _ndarray
from ._ndarray import to_raw as _to_raw
from ._random_state import RandomStateError
from ._random_state import State as _State
from ._random_state import draw_key as _draw_key
from ._random_state import local_transform as _local_transform

__all__ = ["Generator", "RandomState", "default_rng", "seed", "get_state", "set_state", "vmap", "checkpoint",
           "RandomStateError", "NOT_PROVIDED"]

NOT_PROVIDED = {
    "BitGenerator, MT19937, PCG64, PCG64DXSM, Philox, SFC64, SeedSequence":
        "the bits come from JAX's PRNG (threefry2x32 by default, or jax.random's other implementations via "
        "default_rng(seed, impl=...)); NumPy's bit generators and their streams are not reproduced",
    "get_bit_generator, set_bit_generator, Generator.bit_generator": "no NumPy bit generators (see above)",
    "RandomState.tomaxint": "removed from NumPy; use integers(0, np.iinfo(np.int64).max)",
    "get_state(legacy=True) tuple format": "the state is JAX key data, returned as a dict (set_state takes it)",
}

_SCALARS = (int, float)


# --- the generator classes ---------------------------------------------------------------------------------------


def _table_method(dist):
    """A method with the distribution's real signature: ``name(*params, size=None, *, dtype, device, key, out)``."""
    names = [n for n, _ in dist.params]
    sig = "".join(f"{n}, " if d is _d.REQUIRED else f"{n}={d!r}, " for n, d in dist.params)
    args = "".join(f"{n}, " for n in names)
    src = (f"def {dist.name}(self, {sig}size=None, *, dtype=None, device=None, key=None, out=None):\n"
           f"    return self._elementwise(_DIST, ({args}), size, dtype, device, key, out)\n")
    namespace = {"_DIST": dist, "__name__": __name__}  # __module__ of the new function
    exec(src, namespace)  # noqa: S102 - a fixed template over the table's parameter names
    fn = namespace[dist.name]
    fn.__doc__ = (f"{dist.doc}\n\nReturns an ``extras.ndarray`` of shape ``size`` (by default the parameters' "
                  "broadcast shape). Parameters broadcast against each other (and to ``size`` when given). "
                  "``dtype``, ``device``, ``key`` and ``out`` are described in the module documentation.")
    fn.__qualname__ = f"_Sampler.{dist.name}"
    return fn


class _Sampler:
    """What Generator and RandomState share: the state, the distributions and the draw machinery."""

    __slots__ = ("_state",)

    def __init__(self, seed=None, *, impl=None):
        self._state = _State(seed, impl)

    # machinery

    def _draw(self, func, sampler, params, shape, dt, device, key, static=(), defaults=None):
        placement, out = _args.placement(device, params, func)
        n = _math.prod(shape)
        if (key is None and placement is None and out is None and n > 1 and _host.place()
                and sampler.__name__ in _host_twins.PADDED_SAMPLERS
                and all(p is None or type(p) in _SCALARS for p in params)
                and _jax.config.jax_threefry_partitionable):
            # a host value, drawn at a padded size with the same key: the same values, no compilation per shape
            # (not for one value: XLA compiles a one-element array's arithmetic as scalar code, whose last bits
            # can differ; not with JAX's older, non-partitionable threefry, whose draw of n values is no prefix of
            # a larger draw's)
            spec = (sampler, (_host_twins.padded_size(n),), dt, static, None, defaults)
            raw = self._state.host_draw(params, spec, _host_twins.BUCKETS)
            return _ndarray._new(raw[:n].reshape(shape))
        spec = (sampler, shape, dt, static, out, defaults)
        if key is None:
            try:
                raw = self._state.draw(placement, params, spec)
            except ValueError as e:
                if "incompatible devices" not in str(e):
                    raise
                where = placement or "the default device"
                raise ValueError(f"{func}: the generator state for this draw is on {where} but an argument is "
                                 "elsewhere; pass device= matching the arguments (device=NamedSharding(mesh, "
                                 f"spec) for a mesh) or key=. ({e})") from None
        else:
            k, from_seed = _args.key(key, func)
            raw = _draw_key(k, params, spec, self._state.impl, from_seed)
        return _ndarray._new(raw)

    def _elementwise(self, dist, params, size, dtype, device, key, out):
        func = dist.name
        size, dtype = _args.out_spec(out, size, dtype, func)
        dt = _args.dtype(dtype, dist.kind, func)
        size = _args.size(size, func)
        # Parameters equal to their defaults are passed as None (a constant in the compiled code): every Python
        # scalar passed costs a host-to-device transfer.
        raws, passed, scalars = [], [], True
        for p, d in zip(params, dist.defaults):
            t = type(p)
            if t is not float and t is not int:
                p = _args.param(p, func)
                scalars = scalars and type(p) in _SCALARS
            raws.append(p)
            passed.append(None if p is d or (type(p) in _SCALARS and p == d) else p)
        if scalars:
            shape = () if size is None else size
            for test, msg in dist.checks:
                if test(*raws) is not True:
                    raise ValueError(f"{func}: {msg}")
        else:
            shape = _args.shape(size, raws, func)
            _args.check(dist.checks, raws, func)
        result = self._draw(func, dist.sample, tuple(passed), shape, dt, device, key, (), dist.defaults)
        return result if out is None else _args.write_out(result, out, func)

    # state

    def get_state(self):
        """The generator's state as a dict of key data (give it to ``set_state``); eager only."""
        return self._state.get()

    def set_state(self, state):
        """Restore a state returned by ``get_state`` (written into the same Ref: compiled functions see it)."""
        self._state.set(state)

    # uniform and integers

    def random_sample(self, size=None, dtype=None, out=None, *, device=None, key=None):
        """Uniform floats on [0, 1)."""
        size, dtype = _args.out_spec(out, size, dtype, "random_sample")
        dt = _args.dtype(dtype, "real", "random_sample")
        shape = () if size is None else _args.size(size, "random_sample")
        return _args.write_out(self._draw("random_sample", _uniform01, (), shape, dt, device, key), out, "random")

    random = random_sample

    def _integers(self, func, low, high, size, dtype, device, key, endpoint):
        dt = _args.dtype(dtype, "int", func)
        if high is None:
            low, high = (1, low) if func == "random_integers" else (0, low)
        low, high = _args.param(low, func), _args.param(high, func)
        if endpoint:
            high = high + 1
        shape = _args.shape(_args.size(size, func), (low, high), func)
        info = _np.iinfo(dt)
        _args.check(((lambda lo, hi: lo < hi, "low > high" if endpoint else "low >= high"),
                (lambda lo, hi: lo >= info.min, f"low is out of bounds for {dt}"),
                (lambda lo, hi: hi - 1 <= info.max, f"high is out of bounds for {dt}")), (low, high), func)
        return self._draw(func, _d._randint, (low, high), shape, dt, device, key)

    # permutations and choice

    def permutation(self, x, axis=0, *, device=None, key=None):
        """A permuted range (for an int) or a shuffled copy of ``x`` along ``axis``."""
        if isinstance(x, (int, _np.integer)) and not isinstance(x, bool):
            n = int(x)
            if n < 0:
                raise ValueError(f"permutation: x must be >= 0, got {n}")
            dt = _DEFAULTS["integral"]
            return self._draw("permutation", _d.permutation, (None,), (n,), dt, device, key, (0, False))
        raw = _args.param(x, "permutation")
        if _np.ndim(raw) < 1:
            raise ValueError("permutation: x must be an integer or at least 1-dimensional")
        axis = _axis(axis, _np.ndim(raw), "permutation")
        return self._draw("permutation", _d.permutation, (raw,), _np.shape(raw), raw.dtype, device, key, (axis, False))

    def shuffle(self, x, axis=0, *, key=None):
        """Shuffle ``x`` (an extras.ndarray or a NumPy array) in place along ``axis``; returns None."""
        if not isinstance(x, (_ndarray, _np.ndarray)):
            raise TypeError(f"shuffle: x must be a mutable array (extras.ndarray or numpy.ndarray), got "
                            f"{type(x).__name__}; JAX arrays are immutable: use permutation(x)")
        result = self.permutation(x, axis, key=key)
        x[...] = result if isinstance(x, _ndarray) else _np.asarray(result)

    def bytes(self, length, *, key=None):
        """``length`` random bytes (a Python bytes object; eager only)."""
        raw = self._draw("bytes", _d.random_bytes, (), (int(length),), _np.dtype(_np.uint8), None, key)
        return _np.asarray(raw).tobytes()

    def _choice(self, a, size, replace, p, axis, dtype, device, key):
        func = "choice"
        shape = () if size is None else _args.size(size, func)
        if isinstance(a, (int, _np.integer)) and not isinstance(a, bool):
            population, raw, dt = int(a), None, _args.dtype(dtype, "int", func)
            if population < 0 or (population == 0 and _np.prod(shape) > 0):
                raise ValueError(f"{func}: a must be a positive integer unless no samples are taken")
        else:
            raw = _args.param(a, func)
            if _np.ndim(raw) < 1:
                raise ValueError(f"{func}: a must be an integer or at least 1-dimensional")
            axis = _axis(axis, _np.ndim(raw), func)
            population, dt = _np.shape(raw)[axis], raw.dtype
            if population == 0 and _np.prod(shape) > 0:
                raise ValueError(f"{func}: a cannot be empty unless no samples are taken")
        if not replace and _np.prod(shape) > population:
            raise ValueError(f"{func}: cannot take a larger sample than population when replace=False")
        if p is not None:
            p = _args.param(p, func)
            if _np.shape(p) != (population,):
                raise ValueError(f"{func}: p must be 1-dimensional with one probability per element of a")
            tol = _np.sqrt(_np.finfo(_np.float64).eps)
            _args.check(((lambda q: q >= 0, "probabilities are not non-negative"),
                    (lambda q: abs(_np.sum(q) - 1) <= tol, "probabilities do not sum to 1")), (p,), func)
        static = (bool(replace), axis if raw is not None else 0, population)
        result = self._draw(func, _d.choice, (raw, p), shape, dt, device, key, static)
        return result

    # distributions with an event shape

    def dirichlet(self, alpha, size=None, *, dtype=None, device=None, key=None):
        """Dirichlet(alpha): samples of shape ``size + (len(alpha),)`` on the probability simplex."""
        func = "dirichlet"
        dt = _args.dtype(dtype, "real", func)
        alpha = _args.param(alpha, func)
        if _np.ndim(alpha) != 1:
            raise ValueError(f"{func}: alpha must be 1-dimensional")
        _args.check(((lambda a: a > 0, "alpha <= 0"),), (alpha,), func)
        shape = (() if size is None else _args.size(size, func)) + _np.shape(alpha)
        return self._draw(func, _d.dirichlet, (alpha,), shape, dt, device, key)

    def multinomial(self, n, pvals, size=None, *, dtype=None, device=None, key=None):
        """Counts of n draws over ``len(pvals)`` categories (the last probability is 1 - sum of the others)."""
        func = "multinomial"
        dt = _args.dtype(dtype, "int", func)
        n, pvals = _args.param(n, func), _args.param(pvals, func)
        if _np.ndim(pvals) != 1:
            raise ValueError(f"{func}: pvals must be 1-dimensional")
        batch = _args.shape(_args.size(size, func), (n,), func)
        _args.check(((lambda n, q: n >= 0, "n < 0"), (lambda n, q: (q >= 0) & (q <= 1), "pvals < 0 or pvals > 1"),
                (lambda n, q: _np.sum(q[:-1]) <= 1 + 1e-12, "sum(pvals[:-1]) > 1.0")), (n, pvals), func)
        return self._draw(func, _d.multinomial, (n, pvals), batch + _np.shape(pvals), dt, device, key)

    def multivariate_normal(self, mean, cov, size=None, check_valid="warn", tol=1e-8, *, method="svd",
                            dtype=None, device=None, key=None):
        """Multivariate normal: samples of shape ``size + (len(mean),)`` (method: 'svd', 'eigh' or 'cholesky')."""
        func = "multivariate_normal"
        dt = _args.dtype(dtype, "real", func)
        mean, cov = _args.param(mean, func), _args.param(cov, func)
        d = _np.shape(mean)
        if len(d) != 1 or _np.shape(cov) != d + d:
            raise ValueError(f"{func}: mean must be 1-dimensional and cov square with the same size")
        if method not in ("svd", "eigh", "cholesky"):
            raise ValueError(f"{func}: method must be 'svd', 'eigh' or 'cholesky', got {method!r}")
        if check_valid not in ("warn", "raise", "ignore"):
            raise ValueError(f"{func}: check_valid must be 'warn', 'raise' or 'ignore'")
        c = _args.concrete(cov)
        if check_valid != "ignore" and c is not None:
            _, s, vt = _np.linalg.svd(c)
            if not _np.allclose(_np.dot(vt.T * s, vt), c, rtol=tol, atol=tol):
                if check_valid == "raise":
                    raise ValueError(f"{func}: covariance is not symmetric positive-semidefinite")
                _warnings.warn(f"{func}: covariance is not symmetric positive-semidefinite", RuntimeWarning,
                              stacklevel=2)
        shape = (() if size is None else _args.size(size, func)) + d
        return self._draw(func, _d.multivariate_normal, (mean, cov), shape, dt, device, key, (method,))


def _axis(axis, ndim, func):
    if not isinstance(axis, (int, _np.integer)) or not -ndim <= axis < ndim:
        raise ValueError(f"{func}: axis {axis} is out of bounds for an array of dimension {ndim}")
    return int(axis) % ndim


def _uniform01(key, shape, dt, st):
    return _jax.random.uniform(key, shape, dt)


for _dist in _d.TABLE:
    setattr(_Sampler, _dist.name, _table_method(_dist))
del _dist


class Generator(_Sampler):
    """numpy.random.Generator's methods over a JAX key kept in a ``jax.Ref`` (see the module documentation).

    ``Generator(seed)`` takes an int seed, a JAX key, or None (fresh entropy); ``impl=`` picks a
    jax.random PRNG implementation ('threefry2x32', 'rbg', 'unsafe_rbg').
    """

    __slots__ = ()

    def __repr__(self):
        return f"Generator(jax.random {self._state.impl})"

    def integers(self, low, high=None, size=None, dtype=None, endpoint=False, *, device=None, key=None):
        """Integers from [low, high) (or [low, high] with endpoint=True); high=None means [0, low)."""
        return self._integers("integers", low, high, size, dtype, device, key, endpoint)

    def choice(self, a, size=None, replace=True, p=None, axis=0, shuffle=True, *, dtype=None, device=None,
               key=None):
        """Samples from ``a`` (an array, or range(a) for an int), with or without replacement, weights ``p``.

        Samples without replacement always come in random order (``shuffle=False`` is accepted and changes nothing).
        """
        return self._choice(a, size, replace, p, axis, dtype, device, key)

    def permuted(self, x, axis=None, out=None, *, device=None, key=None):
        """Shuffle every slice along ``axis`` independently (axis=None: all elements); ``out`` may be ``x``."""
        func = "permuted"
        raw = _args.param(x, func)
        shape = _np.shape(raw)
        flat = axis is None
        axis = 0 if flat else _axis(axis, len(shape), func)
        value = raw.reshape(-1) if flat else raw
        result = self._draw(func, _d.permutation, (value,), _np.shape(value), raw.dtype, device, key, (axis, True))
        if flat:
            result = _ndarray._new(result._data().reshape(shape))
        return _args.write_out(result, out, func)

    def multivariate_hypergeometric(self, colors, nsample, size=None, method="marginals", *, dtype=None,
                                    device=None, key=None):
        """Counts of each color among nsample items drawn without replacement (sequential hypergeometrics)."""
        func = "multivariate_hypergeometric"
        if method not in ("marginals", "count"):
            raise ValueError(f"{func}: method must be 'marginals' or 'count'")
        dt = _args.dtype(dtype, "int", func)
        colors, nsample = _args.param(colors, func), _args.param(nsample, func)
        if _np.ndim(colors) != 1:
            raise ValueError(f"{func}: colors must be 1-dimensional")
        batch = _args.shape(_args.size(size, func), (nsample,), func)
        _args.check(((lambda c, n: c >= 0, "colors must be >= 0"), (lambda c, n: n >= 0, "nsample must be >= 0"),
                (lambda c, n: n <= _np.sum(c), "nsample > sum(colors)")), (colors, nsample), func)
        return self._draw(func, _d.multivariate_hypergeometric, (colors, nsample), batch + _np.shape(colors), dt,
                          device, key)

    def orthogonal(self, n, size=None, *, dtype=None, device=None, key=None):
        """Haar-distributed orthogonal (unitary for a complex dtype) n x n matrices, shape ``size + (n, n)``."""
        func = "orthogonal"
        dt = _args.dtype(dtype, "normal", func)
        n = int(n)
        if n < 0:
            raise ValueError(f"{func}: n must be >= 0")
        shape = (() if size is None else _args.size(size, func)) + (n, n)
        return self._draw(func, _d.orthogonal, (), shape, dt, device, key)

    def categorical(self, logits, axis=-1, size=None, *, dtype=None, device=None, key=None):
        """Category indices drawn with probabilities softmax(logits) along ``axis``."""
        func = "categorical"
        dt = _args.dtype(dtype, "int", func)
        logits = _args.param(logits, func)
        axis = _axis(axis, _np.ndim(logits), func)
        batch = tuple(s for i, s in enumerate(_np.shape(logits)) if i != axis)
        shape = batch if size is None else _args.shape(_args.size(size, func), (_np.empty(batch),), func)
        return self._draw(func, _d.categorical, (logits,), shape, dt, device, key, (axis,))

    def spawn(self, n_children):
        """``n_children`` new independent Generators (advances this one once)."""
        keys = self._state.take_key(int(n_children))
        impl = self._state.impl
        return [Generator(_jax.random.wrap_key_data(k, impl=impl), impl=impl) for k in keys]


class RandomState(_Sampler):
    """numpy.random.RandomState's methods (the legacy API the module functions come from)."""

    __slots__ = ()

    def __repr__(self):
        return f"RandomState(jax.random {self._state.impl})"

    def seed(self, seed=None):
        """Reseed: an int (any size >= 0), a JAX key, or None (fresh entropy); written into the same Ref."""
        self._state.seed(seed)

    def rand(self, *dims, dtype=None, device=None, key=None):
        """Uniform floats on [0, 1) of shape ``dims``."""
        return self.random_sample(dims, dtype=dtype, device=device, key=key)

    def randn(self, *dims, dtype=None, device=None, key=None):
        """Standard normal floats of shape ``dims``."""
        return self.standard_normal(dims, dtype=dtype, device=device, key=key)

    ranf = sample = _Sampler.random_sample

    def randint(self, low, high=None, size=None, dtype=None, *, device=None, key=None):
        """Integers from [low, high) (high=None: [0, low))."""
        return self._integers("randint", low, high, size, dtype, device, key, False)

    def random_integers(self, low, high=None, size=None, *, dtype=None, device=None, key=None):
        """Integers from [low, high] inclusive (high=None: [1, low])."""
        return self._integers("random_integers", low, high, size, dtype, device, key, True)

    def choice(self, a, size=None, replace=True, p=None, *, dtype=None, device=None, key=None):
        """Samples from a 1-D array (or range(a) for an int), with or without replacement, weights ``p``."""
        return self._choice(a, size, replace, p, 0, dtype, device, key)

    orthogonal = Generator.orthogonal
    categorical = Generator.categorical
    multivariate_hypergeometric = Generator.multivariate_hypergeometric


def default_rng(seed=None, *, impl=None):
    """A new Generator seeded with ``seed`` (an int, a JAX key, or None); a Generator is returned as is."""
    if isinstance(seed, Generator):
        return seed
    return Generator(seed, impl=impl)


# --- transformations that give draws a local state ---------------------------------------------------------------

_LANE_AXES = _itertools.count()


def vmap(fun, in_axes=0, out_axes=0, *, axis_name=None, axis_size=None, spmd_axis_name=None):
    """``jax.vmap`` with independent keyless draws in every lane.

    Each generator used inside ``fun`` is advanced once per call (outside the vmap); lane ``i`` draws from a
    local state started at ``fold_in(key, i)``. Draws with ``key=`` are untouched (vmap over keys yourself).
    """
    name = axis_name if axis_name is not None else f"array_api_jax.random.vmap#{next(_LANE_AXES)}"

    def transform(inner):
        return _jax.vmap(inner, in_axes=in_axes, out_axes=out_axes, axis_name=name, axis_size=axis_size,
                        spmd_axis_name=spmd_axis_name)

    def lane_key(state, data):
        key = _jax.random.wrap_key_data(data, impl=state.impl)
        return _jax.random.key_data(_jax.random.fold_in(key, _lax.axis_index(name)))

    return _local_transform(fun, transform, lane_key, remat_ok=False)


def checkpoint(fun, *, prevent_cse=True, policy=None, static_argnums=()):
    """``jax.checkpoint`` whose keyless draws replay identically in the backward pass.

    Each generator used inside is advanced once per call, outside the checkpoint; inside, draws read a Ref
    created from that key, so the recomputation draws the same numbers as the forward pass.
    """

    def transform(inner):
        return _jax.checkpoint(inner, prevent_cse=prevent_cse, policy=policy, static_argnums=static_argnums)

    return _local_transform(fun, transform, lambda state, data: data, remat_ok=True)


# --- the module functions: the default generator's methods --------------------------------------------------------

_DEFAULT = RandomState()
get_state, set_state = _DEFAULT.get_state, _DEFAULT.set_state


def seed(seed=None):
    """Reseed the default generator and, as BrainPy, NumPy's global one (``np.random.seed``): an int (any size
    >= 0; NumPy gets it modulo 2**32), a JAX key (NumPy is not reseeded), or None (fresh entropy for both)."""
    _DEFAULT.seed(seed)
    if seed is None or isinstance(seed, (int, _np.integer)):
        _np.random.seed(None if seed is None else int(seed) % 2 ** 32)


random_sample = random = ranf = sample = _DEFAULT.random_sample
rand, randn, randint, random_integers = _DEFAULT.rand, _DEFAULT.randn, _DEFAULT.randint, _DEFAULT.random_integers
choice, permutation, shuffle, bytes = _DEFAULT.choice, _DEFAULT.permutation, _DEFAULT.shuffle, _DEFAULT.bytes  # noqa: A001
dirichlet, multinomial, multivariate_normal = _DEFAULT.dirichlet, _DEFAULT.multinomial, _DEFAULT.multivariate_normal
multivariate_hypergeometric = _DEFAULT.multivariate_hypergeometric
orthogonal, categorical = _DEFAULT.orthogonal, _DEFAULT.categorical
__all__ += ["random_sample", "random", "ranf", "sample", "rand", "randn", "randint", "random_integers", "choice",
            "permutation", "shuffle", "bytes", "dirichlet", "multinomial", "multivariate_normal",
            "multivariate_hypergeometric", "orthogonal", "categorical"]
for _dist in _d.TABLE:  # the element-wise distributions, one per table line
    globals()[_dist.name] = getattr(_DEFAULT, _dist.name)
    __all__.append(_dist.name)
del _dist


# --- BrainPy's helpers: *_like draws and key management -----------------------------------------------------------


def _like(x, func):
    raw = _to_raw(x, func)
    return _np.shape(raw), getattr(raw, "dtype", None)


def rand_like(input, *, dtype=None, key=None):  # noqa: A002 - BrainPy's name
    """Uniform [0, 1) numbers of ``input``'s shape (and dtype, when floating and no ``dtype`` is given)."""
    shape, dt = _like(input, "rand_like")
    dt = dtype if dtype is not None or dt is None or dt.kind not in "fc" else dt
    return _DEFAULT.random_sample(shape, dtype=dt, key=key)


def randn_like(input, *, dtype=None, key=None):  # noqa: A002
    """Standard normal numbers of ``input``'s shape (and dtype, when floating and no ``dtype`` is given)."""
    shape, dt = _like(input, "randn_like")
    dt = dtype if dtype is not None or dt is None or dt.kind not in "fc" else dt
    return _DEFAULT.standard_normal(shape, dtype=dt, key=key)


def randint_like(input, low=0, high=None, *, dtype=None, key=None):  # noqa: A002
    """Integers from [low, high) of ``input``'s shape (high=None: [0, low)); ``input``'s dtype if integer."""
    shape, dt = _like(input, "randint_like")
    dt = dtype if dtype is not None or dt is None or dt.kind not in "iu" else dt
    return _DEFAULT.randint(low, high, size=shape, dtype=dt, key=key)


def get_key():
    """The default generator's current key (a typed JAX key; reading it does not advance the generator)."""
    state = _DEFAULT._state
    return _jax.random.wrap_key_data(_DEFAULT.get_state()["key"], impl=state.impl)


def set_key(key):
    """Make ``key`` (a JAX key, jax.random.PRNGKey data, or an int seed) the default generator's key."""
    if isinstance(key, _jax.Array) and not _jax.dtypes.issubdtype(key.dtype, _jax.dtypes.prng_key):
        key = _jax.random.wrap_key_data(key, impl=_DEFAULT._state.impl)
    _DEFAULT.seed(key)


def split_key(n=None):
    """A new key split from the default generator (which advances); ``n`` keys stacked when ``n`` is given."""
    data = _DEFAULT._state.take_key(n)
    return _jax.random.wrap_key_data(data._data() if isinstance(data, _ndarray) else data,
                                     impl=_DEFAULT._state.impl)


def split_keys(n):
    """``n`` new keys split from the default generator (which advances once)."""
    return split_key(int(n))


class seed_context:  # noqa: N801 - BrainPy's name
    """``with seed_context(seed):`` draws inside start from ``seed``; the generator's state is restored after."""

    def __init__(self, seed_or_key):
        self._seed = seed_or_key

    def __enter__(self):
        self._saved = _DEFAULT.get_state()
        set_key(self._seed) if isinstance(self._seed, _jax.Array) else _DEFAULT.seed(self._seed)
        return self

    def __exit__(self, *exc):
        _DEFAULT.set_state(self._saved)
        return False


__all__ += ["rand_like", "randn_like", "randint_like", "get_key", "set_key", "split_key", "split_keys",
            "seed_context"]
