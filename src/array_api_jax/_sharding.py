"""Result shardings on meshes with Explicit axes (JAX's "sharding in types"), where JAX asks for one.

On a mesh whose axes are Explicit (what ``jax.make_mesh`` makes by default), an array's sharding is part of its
type, and JAX refuses an operation whose result sharding it cannot tell (a ``ShardingTypeError``): a slice whose
length the mesh axis does not divide, a gather, a write of a block into a sharded array, a contraction over a
sharded dimension, a decomposition of a sharded matrix. The kernels catch that error when JAX traces them
(``fallback``, wrapped around every kernel by ``_dispatch.kernel``: no cost on a compiled call) and run the
operation again with the mesh's axes Auto (``jax.sharding.auto_axes``: XLA moves the data it needs), giving
the result the sharding of a rule. The rules (docs/devices.md states them for users):

- ``same_position`` (the default): result dimension i keeps the mesh axes of dimension i of the first operand
  where its length is divisible by their size, and is replicated otherwise. Writes and in-place operators keep
  the array's own sharding (``own``).
- ``basic_index`` (slices, integers, ``None``): each result dimension keeps the sharding of the dimension it
  comes from where its new length is divisible by the mesh axes' size; otherwise, and for a new axis, it is
  replicated. That is JAX's own rule, with replication where JAX raises.
- ``advanced_index``, ``mask_index``, ``take``: the dimensions that index arrays (or a mask) make are
  replicated; the others follow ``basic_index``.
- ``contraction`` (matmul, tensordot, outer): the broadcast batch dimensions, then the free dimensions of x1,
  then those of x2 each keep their operand dimension's sharding, unless an earlier result dimension already
  uses one of its mesh axes (then it is replicated).

On Auto-axes meshes types carry no sharding, nothing raises, and XLA picks the result's sharding as before.
"""

import functools
import math

import jax
import numpy as np
from jax.sharding import NamedSharding, PartitionSpec

from ._jax_private import Tracer
from ._index_plan import walk


_REFUSALS = ("Sharding spec ",  # jax.numpy giving an intermediate its operand's sharding, which does not fit
             "Unmapped values passed to vmap cannot be sharded")  # jax.vmap over a sharded mesh axis


def is_sharding_error(error):
    """JAX's refusal of a sharding: a ShardingTypeError (its class is not public: matched by name), or one of the
    ValueErrors of ``_REFUSALS``."""
    return type(error).__name__ == "ShardingTypeError" or (
        type(error) is ValueError and str(error).startswith(_REFUSALS))


def _sharding(value):
    """The NamedSharding in the type of a jax value, when its mesh has an Explicit axis; else None."""
    if not isinstance(value, jax.Array):  # a host value or a Python scalar
        return None
    if not isinstance(value, Tracer):  # a concrete array's own sharding (0.1 µs; its type's: 1.4 µs)
        s = value.sharding
        if not (isinstance(s, NamedSharding) and s.mesh.explicit_axes):
            return None
    s = jax.typeof(value).sharding
    return s if isinstance(s, NamedSharding) and s.mesh.explicit_axes else None


def _spec(value):
    """The value's partition spec, one entry per dimension (None: not sharded)."""
    s = _sharding(value)
    ndim = jax.typeof(value).ndim
    entries = tuple(s.spec) if s is not None else ()
    return entries + (None,) * (ndim - len(entries))


def _axes(entry):
    return () if entry is None else (entry,) if isinstance(entry, str) else tuple(entry)


def _kept(mesh, entry, length):
    """``entry`` where the mesh axes' size divides ``length``, else None (replicated)."""
    if entry is None or length % math.prod(mesh.shape[a] for a in _axes(entry)):
        return None
    return entry


def fallback(impl, rule=None):
    """``impl`` traced as it is; where JAX refuses a sharding (``is_sharding_error``), traced again with the mesh's
    axes Auto and its results sharded by ``rule(args, kwargs, out)`` (``out``: the results' ShapeDtypeStructs;
    default ``same_position``), which returns a PartitionSpec per result (or a tree prefix of them)."""

    @functools.wraps(impl)
    def traced(*args, **kwargs):
        try:
            return impl(*args, **kwargs)
        except Exception as e:
            meshes = [s.mesh for s in map(_sharding, jax.tree.leaves(args)) if s is not None]
            if not (is_sharding_error(e) and meshes):
                raise
        mesh = meshes[0]
        run = functools.partial(impl, **kwargs)
        out = jax.eval_shape(jax.sharding.auto_axes(run, out_sharding=NamedSharding(mesh, PartitionSpec())),
                             *args)
        specs = (rule or same_position)(args, kwargs, out)
        shardings = jax.tree.map(lambda p: NamedSharding(mesh, p), specs,
                                 is_leaf=lambda p: isinstance(p, PartitionSpec))
        return jax.sharding.auto_axes(run, out_sharding=shardings)(*args)

    return traced


def call(impl, *args, rule=None):
    """``impl(*args)``, eagerly or traced; where JAX refuses the result's sharding, as ``fallback`` does (eagerly
    through a compiled call, since the Auto-axes form needs a trace)."""
    try:
        return impl(*args)
    except Exception as e:
        if not is_sharding_error(e):
            raise
    return _retried(impl, args, rule)


def _retried(impl, args, rule):
    retry = fallback(impl, rule)
    traced = any(isinstance(a, Tracer) for a in jax.tree.leaves(args))
    return retry(*args) if traced else jax.jit(retry)(*args)


def call_any(func, args, kwargs, rule=None):
    """``func(*args, **kwargs)`` whose arguments mix arrays with anything else (a jax.numpy function's axes,
    flags, index tuples): as ``call``, with only the arrays among the arguments traced for the retry."""
    try:
        return func(*args, **kwargs)
    except Exception as e:
        if not is_sharding_error(e):
            raise
    leaves, tree = jax.tree.flatten((args, kwargs))
    where = [i for i, leaf in enumerate(leaves) if isinstance(leaf, jax.Array)]

    def impl(*arrays):
        filled = list(leaves)
        for i, a in zip(where, arrays):
            filled[i] = a
        a, k = jax.tree.unflatten(tree, filled)
        return func(*a, **k)

    return _retried(impl, tuple(leaves[i] for i in where), rule)


def like(new, old):
    """``new`` with ``old``'s sharding where that names Explicit axes (a write keeps the array's own sharding)."""
    s = _sharding(old)
    if s is None or _sharding(new) == s:
        return new
    return jax.sharding.reshard(new, s if isinstance(old, Tracer) else old.sharding)


def keeping(impl):
    """``impl(a, b)`` (an in-place operator's kernel) whose result keeps ``a``'s sharding."""
    return functools.wraps(impl)(lambda a, b: like(impl(a, b), a))


# --- the rules: (args, kwargs, out) -> PartitionSpec(s) ---------------------------------------------------------


def _first(args):
    return next(a for a in jax.tree.leaves(args) if hasattr(a, "shape"))


def same_position(args, kwargs, out):
    """Result dimension i keeps the first operand's dimension i sharding where the length fits."""
    first = _first(args)
    spec, mesh = _spec(first), _sharding_mesh(args)
    return jax.tree.map(lambda o: PartitionSpec(*(_kept(mesh, spec[i], n) if i < len(spec) else None
                                                  for i, n in enumerate(o.shape))), out)


def operand(i):
    """The sharding of operand ``i`` (of the result's shape)."""
    return lambda args, kwargs, out: PartitionSpec(*_spec(args[i]))


own = operand(0)  # a write keeps the array's own sharding


def _sharding_mesh(args):
    return next(s.mesh for s in map(_sharding, jax.tree.leaves(args)) if s is not None)


def _indexed(value, spec, mesh, arrays_ndim):
    """The result spec of indexing ``value`` with a basic or advanced ``spec`` (NumPy's placement of the
    dimensions the index arrays make: where the first one is when they are adjacent, else first)."""
    entries = _spec(value)
    w = walk(spec)
    out, at = [], None
    for s in w.steps:
        if s.axis is None:
            out.append(None)
        elif s.n is None:  # an index array
            at = len(out) if at is None else at
        elif s.kept:
            out.append(_kept(mesh, entries[s.axis], s.n))
    out.extend(_kept(mesh, entries[a], value.shape[a]) for a in range(w.reads, value.ndim))
    positions = [i for i, s in enumerate(w.steps) if s.n is None]
    if positions:
        adjacent = positions == list(range(positions[0], positions[-1] + 1))
        at = at if adjacent else 0
        out[at:at] = [None] * arrays_ndim
    return PartitionSpec(*out)


def basic_index(args, kwargs, out):
    """getitem_basic(value, ints, spec=...)."""
    return _indexed(args[0], kwargs["spec"], _sharding_mesh(args), 0)


def advanced_index(args, kwargs, out):
    """getitem_advanced(value, arrays, spec=...)."""
    ndim = len(np.broadcast_shapes(*(np.shape(a) for a in args[1])))  # of the index arrays (and integers)
    return _indexed(args[0], kwargs["spec"], _sharding_mesh(args), ndim)


def mask_index(ndim):
    """value[mask] for a mask of ``ndim`` dimensions: the selected elements replicated, the dimensions after the
    mask's kept."""

    def rule(args, kwargs, out):
        value, mesh = args[0], _sharding_mesh(args)
        rest = zip(_spec(value)[ndim:], value.shape[ndim:])
        return PartitionSpec(None, *(_kept(mesh, e, n) for e, n in rest))

    return rule


def take(axis):
    """take(value, index, axis=...) (``axis`` None: a 1-D value): the taken dimension replicated."""

    def rule(args, kwargs, out):
        value, mesh = args[0], _sharding_mesh(args)
        taken = 0 if axis is None else axis % value.ndim
        return PartitionSpec(*(None if i == taken else _kept(mesh, e, n)
                               for i, (e, n) in enumerate(zip(_spec(value), value.shape))))

    return rule


def contraction(dims):
    """A rule for a product of x1 and x2 (the first two operands): ``dims(x1, x2, kwargs)`` lists, per result
    dimension, the operand dimensions it comes from ((operand, dimension) pairs, in order of preference)."""

    def rule(args, kwargs, out):
        specs = _spec(args[0]), _spec(args[1])
        used, result = set(), []
        for candidates in dims(args[0], args[1], kwargs):
            e = next((specs[k][d] for k, d in candidates if specs[k][d] is not None), None)
            axes = set(_axes(e))
            result.append(None if axes & used else e)
            used |= axes
        return PartitionSpec(*result)

    return rule


def _matmul_dims(a, b, kwargs):
    batch = max(a.ndim, b.ndim, 2) - 2
    dims = [[(k, x.ndim - 2 - batch + i) for k, x in enumerate((a, b))
             if x.ndim > 2 and x.ndim - 2 - batch + i >= 0 and x.shape[x.ndim - 2 - batch + i] != 1]
            for i in range(batch)]
    return dims + ([[(0, a.ndim - 2)]] if a.ndim > 1 else []) + ([[(1, b.ndim - 1)]] if b.ndim > 1 else [])


def _tensordot_dims(a, b, kwargs):
    a1, a2 = kwargs["axes"]
    return [[(0, d)] for d in range(a.ndim) if d not in a1] + [[(1, d)] for d in range(b.ndim) if d not in a2]


matmul = contraction(_matmul_dims)
tensordot = contraction(_tensordot_dims)
outer = contraction(lambda a, b, kwargs: [[(0, 0)], [(1, 0)]])
