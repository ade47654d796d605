"""JAX transformations: pytrees under jit/grad/vmap, the wrapper vanishing under jit, errors under tracing."""

import jax
import jax.extend
import jax.numpy as jnp
import numpy as np
import pytest

import array_api_jax as xp


def _eqns(jaxpr):
    """Primitive names of a jaxpr, recursively (so nested calls count by what they contain)."""
    out = []
    for eqn in jaxpr.eqns:
        out.append(eqn.primitive.name)
        for sub in jax.extend.core.jaxprs_in_params(eqn.params):
            out.extend(_eqns(sub))
    return out


def _same_jaxpr(f, *args):
    """f(ns, *arrays) traced once with xp Arrays and once with jax arrays gives the same equations."""
    raw = [jnp.asarray(a) for a in args]
    ours = jax.make_jaxpr(lambda *vs: f(xp, *[xp.asarray(v) for v in vs]))(*raw)
    theirs = jax.make_jaxpr(lambda *vs: f(jnp, *vs))(*raw)
    assert _eqns(ours.jaxpr) == _eqns(theirs.jaxpr), (ours, theirs)


RNG = np.random.default_rng(0)
M = RNG.random((8, 8))
V = RNG.random(8)


def _setitem(ns, x):
    if ns is jnp:  # one dynamic_update_slice, not x.at[2:5].set's scatter (which XLA miscompiles when chained on
        return jax.lax.dynamic_update_slice(x, jnp.zeros(3), (2,))  # a 2-D mesh: test_explicit_sharding.py)
    x = xp.asarray(x, copy=True)
    x[2:5] = 0.0
    return x


@pytest.mark.parametrize("name, f, args", [
    ("elementwise chain", lambda ns, x: ns.exp(ns.sin(x) * 2.0 + x), (V,)),
    ("binary with broadcasting", lambda ns, x, y: ns.multiply(x, y) - y, (M, V)),
    ("reductions", lambda ns, x: ns.sum(x, axis=0) + ns.max(x, axis=0), (M,)),
    ("matmul", lambda ns, x, y: ns.matmul(x, y), (M, M)),
    ("basic indexing", lambda ns, x: x[1:5, 2], (M,)),
    ("setitem of a slice", _setitem, (V,)),
    ("where", lambda ns, x, y: ns.where(x > 0.5, x, y), (V, V)),
    ("integer power", lambda ns, x: x ** 2 - x ** 3, (V,)),
])
def test_wrapper_vanishes_under_jit(name, f, args):
    _same_jaxpr(f, *args)


def test_python_scalars_trace_to_no_more_equations_than_jax_numpy():
    # jax.numpy converts a weakly typed scalar inside the trace; ours arrives with its dtype already
    f = lambda ns, x: ns.where(x > 0.5, x, 0.0)  # noqa: E731
    ours = jax.make_jaxpr(lambda v: f(xp, xp.asarray(v)))(jnp.asarray(V))
    theirs = jax.make_jaxpr(lambda v: f(jnp, v))(jnp.asarray(V))
    assert len(_eqns(ours.jaxpr)) <= len(_eqns(theirs.jaxpr))


def test_benchmark_steps_trace_to_no_more_equations_than_jax_numpy():
    def standardize(ns, x, w):
        z = (x - ns.mean(x, axis=0)) / ns.std(x, axis=0)
        return ns.sum(ns.matmul(z, w) ** 2)

    ours = jax.make_jaxpr(lambda a, b: standardize(xp, xp.asarray(a), xp.asarray(b)))(jnp.asarray(M), jnp.asarray(M))
    theirs = jax.make_jaxpr(lambda a, b: standardize(jnp, a, b))(jnp.asarray(M), jnp.asarray(M))
    ours_eqns, their_eqns = _eqns(ours.jaxpr), _eqns(theirs.jaxpr)
    assert len(ours_eqns) <= len(their_eqns)
    assert {"dot_general", "integer_pow", "sqrt"} <= set(ours_eqns)


def test_arrays_are_pytrees_under_jit_and_vmap():
    x = xp.asarray(M)
    out = jax.jit(lambda a: xp.sum(a * a, axis=1))(x)
    assert isinstance(out, xp.Array)
    np.testing.assert_allclose(np.asarray(out), (M * M).sum(axis=1))
    batched = jax.vmap(lambda row: xp.sum(row * row))(x)
    np.testing.assert_allclose(np.asarray(batched), (M * M).sum(axis=1))


def test_grad_through_xp_functions():
    x = xp.asarray(V)
    g = jax.grad(lambda a: jnp.asarray(xp.sum(xp.sin(a) ** 2)))(x)
    assert isinstance(g, xp.Array)
    np.testing.assert_allclose(np.asarray(g), 2 * np.sin(V) * np.cos(V))


def test_jit_compiles_once_for_repeated_calls():
    traces = []

    @jax.jit
    def f(a):
        traces.append(1)
        return xp.cos(a) + 1.0

    for _ in range(3):
        f(xp.asarray(V))
    assert len(traces) == 1


def test_mutation_inside_jit_on_an_argument_works_functionally():
    x = xp.asarray([1.0, 2.0, 3.0])

    @jax.jit
    def f(a):
        a[0] = 10.0
        a += 1.0
        return a

    np.testing.assert_array_equal(np.asarray(f(x)), [11.0, 3.0, 4.0])
    np.testing.assert_array_equal(np.asarray(x), [1.0, 2.0, 3.0])  # the caller's array is untouched


def test_writing_a_traced_value_into_an_outside_array_raises_clearly():
    outside = xp.zeros(3)

    @jax.jit
    def f(a):
        outside[0] = a[0]
        return a

    with pytest.raises(TypeError, match="pass the array in as an argument"):
        f(xp.ones(3))
    np.testing.assert_array_equal(np.asarray(outside), [0.0, 0.0, 0.0])


@pytest.mark.parametrize("call, name", [
    (lambda a: xp.nonzero(a), "nonzero"),
    (lambda a: xp.unique_values(a), "unique_values"),
    (lambda a: a[a > 0], "__getitem__"),
    (lambda a: bool(a[0]), "__bool__"),
    (lambda a: float(a[0]), "__float__"),
])
def test_data_dependent_operations_under_jit_raise_a_named_error(call, name):
    with pytest.raises(TypeError, match=name):
        jax.jit(call)(xp.asarray(V))


def test_jit_readiness_flags_make_data_dependent_functions_raise_eagerly():
    x = xp.asarray([0.0, 1.0, 2.0])
    xp.set_flags(data_dependent_shapes=False)
    info = xp.__array_namespace_info__()
    assert info.capabilities()["data-dependent shapes"] is False
    assert info.capabilities()["boolean indexing"] is False
    with pytest.raises(RuntimeError, match="set_flags"):
        xp.nonzero(x)
    with pytest.raises(RuntimeError, match="set_flags"):
        x[x > 0]
    xp.reset_flags()
    assert xp.nonzero(x)[0].shape == (2,)


def test_flags_context_manager_restores():
    with xp.flags(boolean_indexing=False):
        assert xp.__array_namespace_info__().capabilities()["boolean indexing"] is False
    assert xp.__array_namespace_info__().capabilities()["boolean indexing"] is True


def test_views_write_through_under_jit_as_eagerly():
    def through_view(a):
        tail = a[1:]
        tail[0] = 7.0
        a[2] = -1.0
        return a, tail

    eager = through_view(xp.asarray([1.0, 2.0, 3.0]))
    jitted = jax.jit(through_view)(xp.asarray([1.0, 2.0, 3.0]))
    for e, j in zip(eager, jitted):
        np.testing.assert_array_equal(np.asarray(e), np.asarray(j))
    np.testing.assert_array_equal(np.asarray(jitted[0]), [1.0, 7.0, -1.0])
