"""BrainPy's transformations (``bm.jit``, ``bm.for_loop``, ``bm.grad``, ...) over ndarrays and Variables.

``jit`` compiles a *pure* function of the state: every Variable and every keyless-random generator the function
uses is found while tracing (a frame that does not know one raises ``MissingState``: it is added and the function
traced again), passed in as a value, read and written inside through a Ref created in the trace, and its new
value returned and swapped into the state after the call. The compiled function therefore never touches a global
``jax.Ref`` and keeps JAX's C++ dispatch (a plain ``jax.jit`` function that closes over Refs leaves it), and one
call holds the locks of the state it uses, so calls from several threads are serialised per state.

The loops and conditionals run on ``lax``: inside a transformation they are the lax primitive (Variables inside
read and write their Ref, which JAX threads through); called eagerly they are compiled once with ``jit``.

The grad family differentiates with respect to arguments (``argnums``) and Variables (``grad_vars``): a frame maps
each differentiated Variable to a Ref created from the value being differentiated, and writes to it inside are
written back afterwards. Return layouts follow BrainPy (see ``grad``).
"""

import functools
import threading

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _jax_private
from .._array import Array
from . import _random_state
from ._ndarray import ndarray, with_defaults
from ._random_state import MissingState, State, _top_level
from ._state import Variable, frames

__all__ = ["jit", "for_loop", "scan", "while_loop", "cond", "ifelse", "grad", "value_and_grad", "vector_grad",
           "functional_vector_grad",
           "jacrev", "jacfwd", "hessian", "jacobian"]


# --- conversions -----------------------------------------------------------------------------------------------


def _leaf_to_nd(x):
    if isinstance(x, Array):
        return x if type(x) is ndarray else ndarray._new(x._data())
    if isinstance(x, (jax.Array, np.ndarray, np.generic)):
        return ndarray._new(jnp.asarray(x))
    if type(x) in (bool, int, float, complex):
        v = np.asarray(x)
        return ndarray._new(jnp.asarray(v, with_defaults(v.dtype)))
    return x


def to_nd(tree):
    """Every array leaf (Variables read now, raw jax/NumPy arrays, Python numbers) as an ndarray."""
    return jax.tree.map(_leaf_to_nd, tree, is_leaf=lambda x: isinstance(x, Array))


def _operands(operands):
    return tuple(operands) if isinstance(operands, (tuple, list)) else (operands,)


# --- jit -------------------------------------------------------------------------------------------------------


class _Key:
    """The state a compiled function threads, as a static argument compared by identity."""

    __slots__ = ("states", "locks", "_hash")

    def __init__(self, states):
        self.states = tuple(states)
        self.locks = [s._state_lock if isinstance(s, Variable) else s.lock for s in sorted(self.states, key=id)]
        self._hash = hash(tuple(map(id, self.states)))

    def __hash__(self):
        return self._hash

    def __eq__(self, other):
        return (isinstance(other, _Key) and len(other.states) == len(self.states)
                and all(a is b for a, b in zip(self.states, other.states)))


class _VarArg:
    """A Variable passed as an argument of a ``jit`` function: part of the compiled function's static structure
    (by identity), so that inside it is the Variable itself (state), not a copy of its value."""

    __slots__ = ("var",)

    def __init__(self, var):
        self.var = var

    def __eq__(self, other):
        return isinstance(other, _VarArg) and other.var is self.var

    def __hash__(self):
        return id(self.var)


jax.tree_util.register_pytree_node(_VarArg, lambda x: ((), x), lambda aux, children: aux)


def _var_args(args, kwargs):
    return (tuple(_VarArg(a) if isinstance(a, Variable) else a for a in args),
            {k: _VarArg(v) if isinstance(v, Variable) else v for k, v in kwargs.items()})


def _read(state):
    return _jax_private.ref_buffer(state._ref if isinstance(state, Variable) else state.refs[None])


def _swap(state, value):
    _jax_private.set_ref_buffer(state._ref if isinstance(state, Variable) else state.refs[None], value)


def _tuple(x):
    return () if x is None else (x,) if isinstance(x, int) else tuple(x)


class JitFunction:
    """A function compiled by ``extras.jit``: a pure function of its arguments and the state it uses."""

    def __init__(self, fun, static_argnums, static_argnames, donate_argnums, **jit_kwargs):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self._key = _Key(())
        self._update = threading.Lock()
        self._compiled = jax.jit(self._pure, static_argnums=(0, *(i + 2 for i in _tuple(static_argnums))),
                                 static_argnames=static_argnames,
                                 donate_argnums=tuple(i + 2 for i in _tuple(donate_argnums)), **jit_kwargs)

    def _pure(self, key, values, *args, **kwargs):
        var_refs, rng_refs, refs = {}, {}, []
        for state, value in zip(key.states, values):
            ref = jax.new_ref(value)
            (var_refs if isinstance(state, Variable) else rng_refs)[state] = ref
            refs.append(ref)
        stack, rng_stack = frames(), _random_state._FRAMES.__dict__.setdefault("stack", [])
        stack.append((var_refs, True))
        rng_stack.append((rng_refs, False))
        positional = [a.var if isinstance(a, _VarArg) else a for a in args]
        kwargs = {k: v.var if isinstance(v, _VarArg) else v for k, v in kwargs.items()}
        try:
            out = to_nd(self.fun(*positional, **kwargs))
        finally:
            stack.pop()
            rng_stack.pop()
        return out, tuple(ref[...] for ref in refs)

    def __call__(self, *args, **kwargs):
        if not _top_level():  # inside another transformation: part of its trace
            return self.fun(*args, **kwargs)
        args, kwargs = _var_args(args, kwargs)
        while True:
            key = self._key
            for lock in key.locks:
                lock.acquire()
            try:
                out, new = self._compiled(key, tuple(map(_read, key.states)), *args, **kwargs)
                for state, value in zip(key.states, new):
                    _swap(state, value)
                return out
            except MissingState as e:
                missing = e.state
            finally:
                for lock in key.locks:
                    lock.release()
            self._add(key, missing)

    def _add(self, key, state):
        if not isinstance(state, (Variable, State)) or any(s is state for s in key.states):
            raise RuntimeError(f"jit: internal error: state {state!r} was reported missing twice")
        with self._update:
            if self._key is key:
                self._key = _Key((*key.states, state))

    @property
    def states(self):
        """The Variables and random generators this function reads or writes (found while tracing)."""
        return self._key.states

    def lower(self, *args, **kwargs):
        """``jax.jit(...).lower`` of the pure function (for inspection)."""
        return self._compiled.lower(self._key, tuple(map(_read, self._key.states)), *args, **kwargs)


def jit(func=None, static_argnums=None, static_argnames=None, donate_argnums=(), inline=False, keep_unused=False,
        **kwargs):
    """Compile ``func`` with ``jax.jit``, threading the Variables and keyless random state it uses.

    Writes to Variables and keyless draws inside persist across calls, exactly as eagerly; the compiled call
    stays on JAX's fast dispatch path. BrainPy's ``dyn_vars=``/``child_objs=`` are accepted and ignored (the
    state is found automatically); other keywords go to ``jax.jit``. Use as ``jit(f)``, ``@jit`` or
    ``@jit(static_argnums=...)``. Inside another transformation the function is simply called.
    """
    for ignored in ("dyn_vars", "child_objs", "name"):
        kwargs.pop(ignored, None)
    if func is None:
        return lambda f: jit(f, static_argnums, static_argnames, donate_argnums, inline, keep_unused, **kwargs)
    return JitFunction(func, static_argnums, static_argnames, donate_argnums, inline=inline,
                       keep_unused=keep_unused, **kwargs)


_RUNNERS = {}


def _run(key, runner, *args):
    """``runner(*args)``: compiled once per ``key`` when called eagerly, inline inside a transformation."""
    if not _top_level():
        return runner(*args)
    compiled = _RUNNERS.get(key)
    if compiled is None:
        if len(_RUNNERS) > 256:
            _RUNNERS.clear()
        compiled = _RUNNERS[key] = JitFunction(runner, None, None, ())
    return compiled(*args)


# --- loops and conditionals ---------------------------------------------------------------------------------------


def for_loop(body_fun, operands, reverse=False, unroll=1, remat=False, jit=None, progress_bar=False,
             dyn_vars=None, child_objs=None):
    """Run ``body_fun(*operands[i])`` for each i along the leading axis; return its outputs stacked.

    ``operands`` is an array or a tuple/list of arrays (one per argument). Variables written inside keep their
    values. ``jit=False`` runs the loop in Python (``jax.disable_jit``); ``progress_bar`` is accepted and ignored.
    """
    def step(carry, xs):
        return carry, to_nd(body_fun(*xs))

    if remat:
        step = jax.checkpoint(step)

    def runner(ops):
        return lax.scan(step, None, ops, reverse=reverse, unroll=unroll)[1]

    ops = to_nd(_operands(operands))
    if jit is False:
        with jax.disable_jit():
            return runner(ops)
    return _run(("for_loop", body_fun, reverse, unroll, remat), runner, ops)


def scan(body_fun, init, operands, reverse=False, unroll=1, remat=False, progress_bar=False):
    """``lax.scan`` over ndarrays and Variables: ``body_fun(carry, x) -> (carry, y)``; returns ``(carry, ys)``."""
    def step(carry, x):
        c, y = body_fun(carry, x)
        return to_nd(c), to_nd(y)

    if remat:
        step = jax.checkpoint(step)

    def runner(init, xs):
        return lax.scan(step, init, xs, reverse=reverse, unroll=unroll)

    return _run(("scan", body_fun, reverse, unroll, remat), runner, to_nd(init), to_nd(operands))


def while_loop(body_fun, cond_fun, operands):
    """Repeat ``operands = body_fun(*operands)`` while ``cond_fun(*operands)``; return the final operands.

    A ``body_fun`` that returns None (it only writes Variables) keeps the operands unchanged.
    """
    def body(ops):
        out = body_fun(*ops)
        return ops if out is None else to_nd(_operands(out))

    def again(ops):
        return jnp.asarray(_pred(cond_fun(*ops)), bool)

    def step(carry):
        ops = body(carry[0])
        return ops, again(ops)

    def runner(ops):
        # The condition is evaluated at the end of each step, not in lax.while_loop's cond: JAX (0.10) gives
        # a cond function the Refs' values from before the loop, so a condition on Variables would never change.
        return lax.while_loop(lambda carry: carry[1], step, (ops, again(ops)))[0]

    return _run(("while_loop", body_fun, cond_fun), runner, to_nd(_operands(operands)))


def _pred(p):
    return p._data() if isinstance(p, Array) else p


def _branch(b):
    if callable(b):
        return lambda *ops: to_nd(b(*ops))
    return lambda *ops: to_nd(b)


def cond(pred, true_fun, false_fun, operands=()):
    """``true_fun(*operands)`` if ``pred`` else ``false_fun(*operands)``; a branch may be a constant."""
    def runner(pred, ops):
        return lax.cond(pred, _branch(true_fun), _branch(false_fun), *ops)

    return _run(("cond", true_fun, false_fun), runner, _pred(pred), to_nd(_operands(operands)))


def ifelse(conditions, branches, operands=None):
    """``branches[i](*operands)`` for the first true ``conditions[i]``; the last branch when none is true.

    ``len(branches) == len(conditions) + 1``, or as many branches as conditions: then the last condition is not
    read and the last branch is the default (BrainPy's rule). A branch may be a constant.
    """
    conditions = list(conditions) if isinstance(conditions, (tuple, list)) else [conditions]
    branches = list(branches)
    if len(branches) == len(conditions) > 1:
        conditions = conditions[:-1]
    if len(branches) != len(conditions) + 1:
        raise ValueError(f"ifelse: expected len(branches) == len(conditions) + 1 (or as many branches as "
                         f"conditions, the last branch being the default), got {len(branches)} branches and "
                         f"{len(conditions)} conditions")
    ops = () if operands is None else _operands(operands)

    def runner(conds, ops):
        index = jnp.int32(len(conds))
        for i in reversed(range(len(conds))):
            index = jnp.where(conds[i], jnp.int32(i), index)
        return lax.switch(index, [_branch(b) for b in branches], *ops)

    key = ("ifelse", *(b if callable(b) else id(b) for b in branches))
    return _run(key, runner, [_pred(c) for c in conditions], to_nd(ops))


# --- differentiation ------------------------------------------------------------------------------------------------


def _is_var(x):
    return isinstance(x, Variable)


def _raw(x):
    return x._data() if isinstance(x, Array) else x


def _raw_tree(tree):
    return jax.tree.map(_raw, tree, is_leaf=lambda x: isinstance(x, Array))


def _differentiate(name, transform, func, grad_vars, argnums, has_aux, return_value, kwargs_for_transform):
    """The BrainPy-style wrapper around ``transform`` (a jax function transformation with argnums/has_aux)."""
    var_leaves, var_tree = jax.tree.flatten(grad_vars, is_leaf=_is_var)
    if not all(isinstance(v, Variable) for v in var_leaves):
        raise TypeError(f"{name}: grad_vars must be a Variable or a list/tuple/dict of Variables")
    with_vars = grad_vars is not None
    arg_default = argnums is None and not with_vars
    nums = (0,) if arg_default else _tuple(argnums)
    single = arg_default or isinstance(argnums, int)

    def pure(diff, args, kwargs):
        var_vals, dyn = diff
        args = list(args)
        for i, value in zip(nums, dyn):
            args[i] = to_nd(value)
        refs = {v: jax.new_ref(val) for v, val in zip(var_leaves, var_vals)}
        stack = frames()
        stack.append((refs, False))
        try:
            out = func(*args, **kwargs)
            out, aux = out if has_aux else (out, None)
            out, aux = to_nd(out), to_nd(aux)
        finally:
            stack.pop()
        return _raw_tree(out), (out, aux, [refs[v][...] for v in var_leaves])

    transformed = transform(pure, argnums=0, has_aux=True, **kwargs_for_transform)

    @functools.wraps(func)
    def call(*args, **kwargs):
        if max(nums, default=-1) >= len(args):
            raise TypeError(f"{name}: argnums={argnums} needs at least {max(nums) + 1} positional arguments, got "
                            f"{len(args)}")
        diff = ([v.value for v in var_leaves], [_raw_tree(to_nd(args[i])) for i in nums])
        grads, (value, aux, new_vals) = transformed(diff, args, kwargs)
        for v, new in zip(var_leaves, new_vals):
            v.value = new
        var_grads, arg_grads = grads
        if transform is jax.hessian:  # blocks (vars, args) x (vars, args): keep the diagonal ones
            var_grads, arg_grads = [row[0] for row in var_grads], [tuple(row[1]) for row in arg_grads]
        else:
            var_grads = jax.tree.unflatten(var_tree, var_grads)
        arg_grads = (arg_grads[0][0] if transform is jax.hessian else arg_grads[0]) if single else tuple(arg_grads)
        var_grads, arg_grads = to_nd(var_grads), to_nd(arg_grads)
        result = (var_grads if argnums is None else (var_grads, arg_grads)) if with_vars else arg_grads
        extra = ((value,) if return_value else ()) + ((aux,) if has_aux else ())
        return (result, *extra) if extra else result

    return call


def _decorator(name, transform, doc, **fixed):
    def make(func=None, grad_vars=None, argnums=None, has_aux=None, return_value=False, holomorphic=False,
             allow_int=False, dyn_vars=None, child_objs=None):
        if func is None:
            return lambda f: make(f, grad_vars, argnums, has_aux, return_value, holomorphic, allow_int)
        options = dict(fixed)
        if transform is not _vector_grad:
            options["holomorphic"] = holomorphic
        if transform in (jax.grad, jax.jacrev):
            options["allow_int"] = allow_int
        return _differentiate(name, transform, func, grad_vars, argnums, bool(has_aux), return_value, options)

    make.__name__ = make.__qualname__ = name
    make.__doc__ = doc
    return make


def _vector_grad(fun, argnums, has_aux):
    def vg(*args):
        out, vjp, aux = jax.vjp(lambda d: fun(d, *args[1:]), args[argnums], has_aux=True)
        return vjp(jax.tree.map(jnp.ones_like, out))[0], aux

    return vg


_LAYOUTS = """
    Returns (``arg_grads`` for ``argnums``, ``var_grads`` for ``grad_vars``, same structure as given):
    without ``grad_vars``: ``arg_grads``; with ``grad_vars`` only: ``var_grads``; with both:
    ``(var_grads, arg_grads)``. ``return_value=True`` appends the function's value, ``has_aux=True`` its auxiliary
    data: ``(grads, value, aux)``. Writes to Variables inside take effect (differentiated ones too).
"""
grad = _decorator("grad", jax.grad, "Gradient of a scalar function with respect to ``argnums`` (default 0) and/or "
                  "the Variables ``grad_vars``." + _LAYOUTS)
vector_grad = _decorator("vector_grad", _vector_grad, "Gradient of ``sum(func(...))`` (the vector-Jacobian product "
                         "with ones) for a function with array output." + _LAYOUTS)
jacrev = _decorator("jacrev", jax.jacrev, "Jacobian by reverse mode with respect to ``argnums``/``grad_vars``."
                    + _LAYOUTS)
jacfwd = _decorator("jacfwd", jax.jacfwd, "Jacobian by forward mode with respect to ``argnums``/``grad_vars``."
                    + _LAYOUTS)
hessian = _decorator("hessian", jax.hessian, "Hessian (dense) with respect to ``argnums``/``grad_vars``: for "
                     "``argnums=i`` one array, for a tuple of argnums the blocks ``h[i][j]``, for ``grad_vars`` "
                     "the blocks between the Variables (a list of lists)." + _LAYOUTS)
jacobian = jacrev
functional_vector_grad = vector_grad  # BrainPy's name for the same function


def value_and_grad(func=None, grad_vars=None, argnums=None, has_aux=None, holomorphic=False, allow_int=False):
    """``(value, grads)`` (JAX's layout; ``((value, aux), grads)`` with ``has_aux``): grads as in ``grad``."""
    if func is None:
        return lambda f: value_and_grad(f, grad_vars, argnums, has_aux, holomorphic, allow_int)
    g = grad(func, grad_vars, argnums, has_aux, True, holomorphic, allow_int)

    @functools.wraps(func)
    def call(*args, **kwargs):
        out = g(*args, **kwargs)
        return ((out[1], out[2]), out[0]) if has_aux else (out[1], out[0])

    return call
