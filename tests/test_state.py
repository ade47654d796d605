"""extras.Variable and BrainPy's transformations: state that persists under jax.jit, loops, cond and grad."""

import concurrent.futures
import copy
import pickle

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax import lax

import array_api_jax.extras as bm
from array_api_jax.extras.random import RandomStateError


def var(values=(0.0, 0.0, 0.0)):
    return bm.Variable(bm.asarray(np.asarray(values, np.float32)))


# --- Variable basics ---------------------------------------------------------------------------------------------


def test_variable_is_an_ndarray_with_value_and_update():
    v = var([1, 2, 3])
    assert isinstance(v, bm.ndarray) and isinstance(v.value, jax.Array)
    assert v.dtype == bm.float32 and v.shape == (3,)
    v.value = jnp.asarray([4, 5, 6], jnp.float32)
    v.update(v.value + 1)
    assert v.tolist() == [5, 6, 7]
    assert type(v + 1) is bm.ndarray  # results are plain ndarrays


def test_variable_from_shape_and_dtype():
    assert bm.Variable(3).tolist() == [0, 0, 0]
    v = bm.Variable((2, 2), dtype=bm.int32)
    assert v.shape == (2, 2) and v.dtype == bm.int32
    assert bm.Variable([1.0, 2.0], dtype="float32").dtype == bm.float32


def test_eager_in_place_writes_and_views_write_through():
    v = var()
    v += 1
    v[0] = 5
    view = v[1:]
    view[...] = 7
    assert v.tolist() == [5, 7, 7]
    v.value = jnp.zeros(3, jnp.float32)
    assert view.tolist() == [0, 0]  # views re-read the Variable


def test_writes_keep_shape_and_dtype_or_raise_and_change_nothing():
    v = var([1, 2, 3])
    for bad in (jnp.zeros(4, jnp.float32), jnp.zeros(3, jnp.int32), jnp.zeros((1, 3), jnp.float32), 1.0):
        with pytest.raises(bm.MathError):
            v.value = bad
    with pytest.raises(bm.MathError, match="shape"):
        v.update(np.zeros(2, np.float32))
    assert v.tolist() == [1, 2, 3]
    with pytest.raises(ValueError):
        v += jnp.ones((2, 3), jnp.float32)
    assert v.tolist() == [1, 2, 3]
    assert issubclass(bm.MathError, ValueError) and issubclass(bm.MathError, TypeError)


def test_eager_write_copies_the_value():
    a = jnp.arange(3, dtype=jnp.float32)
    v = var()
    v.value = a
    jax.jit(lambda: v.update(v.value + 1))()
    assert a.tolist() == [0, 1, 2] and v.tolist() == [1, 2, 3]


def test_batch_axis_copy_pickle_hash():
    v = bm.Variable(bm.zeros((4, 3)), batch_axis=0)
    assert v.batch_axis == 0 and v.batch_size == 4 and v.varshape == (3,)
    assert {v: 1}[v] == 1 and hash(v) == object.__hash__(v)
    c = copy.deepcopy(v)
    c += 1
    assert type(c) is bm.Variable and v.tolist()[0] == [0, 0, 0]
    p = pickle.loads(pickle.dumps(v))
    assert type(p) is bm.Variable and p.batch_axis == 0


def test_pytree_flattens_to_the_value():
    v = var([1, 2, 3])
    leaves, tree = jax.tree.flatten(v)
    assert len(leaves) == 1 and leaves[0].tolist() == [1, 2, 3]
    assert type(jax.tree.unflatten(tree, leaves)) is bm.ndarray


# --- state under JAX's own transformations ---------------------------------------------------------------------------


def test_plain_jax_jit_updates_every_call_without_retracing():
    class S:
        v = var()

    traces = []

    def step(x):
        traces.append(1)
        S.v.value = S.v.value + x
        S.v[0] = S.v[0] * 2
        S.v += 1
        return S.v.sum()

    jitted = jax.jit(step)
    jitted(1.0)
    jitted(1.0)
    result = S.v.tolist()
    S.v = var()
    step(1.0)
    step(1.0)
    assert result == S.v.tolist() == [9, 4, 4] and len(traces) == 3


@pytest.mark.parametrize("kind", ["scan", "fori_loop", "while_loop", "cond"])
def test_writes_inside_lax_control_flow_under_jit(kind):
    v = var()

    def body(i, c):
        v.value = v.value + 1
        return c

    @jax.jit
    def run():
        if kind == "scan":
            lax.scan(lambda c, x: (body(0, c), None), 0, None, length=3)
        elif kind == "fori_loop":
            lax.fori_loop(0, 3, body, 0)
        elif kind == "while_loop":
            lax.while_loop(lambda i: i < 3, lambda i: body(0, i) + 1, 0)
        else:
            lax.cond(True, lambda: [body(0, 0) for _ in range(3)][0], lambda: 0)
        return v.value

    run()
    run()
    assert v.tolist() == [6, 6, 6]


def test_plain_jax_grad_sees_and_writes_variables():
    w, count = var([1, 2, 3]), bm.Variable(bm.zeros((), dtype=bm.int32))

    def loss(x):
        count.value = count.value + 1
        return jnp.sum(w.value * x)

    assert jax.grad(loss)(jnp.ones(3, jnp.float32)).tolist() == [1, 2, 3]
    assert int(count) == 1


def test_vmap_write_of_a_batched_value_is_refused_and_reads_work():
    v = var()
    with pytest.raises(RandomStateError, match="vmap"):
        jax.vmap(lambda x: v.update(v.value + x))(jnp.ones((4, 3), jnp.float32))
    assert v.tolist() == [0, 0, 0]
    assert jax.vmap(lambda x: x * v.value.sum())(jnp.ones(2)).tolist() == [0, 0]


def test_write_inside_differentiated_checkpoint_is_refused():
    v = var()

    def f(x):
        v.value = v.value + 1
        return jnp.sum(x * v.value)

    with pytest.raises(RandomStateError, match="checkpoint"):
        jax.grad(jax.checkpoint(f))(jnp.ones(3, jnp.float32))
    jax.checkpoint(f)(jnp.ones(3, jnp.float32))  # not differentiated: nothing is replayed
    assert v.tolist() == [1, 1, 1]


def test_tracer_leak_into_a_variable_is_refused():
    v = var()
    leaked = []
    jax.jit(lambda x: leaked.append(x) or x)(jnp.ones(3, jnp.float32))
    with pytest.raises(TypeError, match="leaked"):
        v.value = leaked[0]


def test_variable_with_sharded_value_under_jit():
    if jax.device_count() < 2:
        pytest.skip("needs 2 devices")
    mesh = jax.sharding.Mesh(np.array(jax.devices()[:2]), ("x",))
    sharding = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec("x"))
    v = bm.Variable(bm.asarray(jax.device_put(jnp.zeros(8, jnp.float32), sharding)))
    jax.jit(lambda: v.update(v.value + 1))()
    bm.jit(lambda: v.update(v.value + 1))()
    v.value = jnp.ones(8, jnp.float32)
    assert v.value.sharding == sharding and v.tolist() == [1] * 8


# --- extras.jit ---------------------------------------------------------------------------------------------------


def test_extras_jit_threads_variables_and_random_state():
    v = var()
    f = bm.jit(lambda x: (v.update(v.value + x + bm.random.uniform(size=3, dtype=bm.float32) * 0), v.sum())[1])
    assert float(f(1.0)) == 3 and float(f(1.0)) == 6
    assert v.tolist() == [2, 2, 2] and len(f.states) == 2
    bm.random.seed(3)
    a = bm.jit(lambda: bm.random.normal(size=2))()
    bm.random.seed(3)
    assert bm.random.normal(size=2).tolist() == a.tolist()


def test_extras_jit_compiles_once_and_accepts_static_args():
    v = var()
    traces = []

    @bm.jit(static_argnums=1)
    def f(x, n):
        traces.append(n)
        for _ in range(n):
            v.value = v.value + x
        return v.value

    f(1.0, 2)
    before = len(traces)  # the first call may trace twice (the second time knowing the Variables it uses)
    f(1.0, 2)
    f(1.0, 1)
    assert v.tolist() == [5, 5, 5] and len(traces) == before + 1


def test_extras_jit_stays_on_jax_fast_dispatch():
    v = var()
    f = bm.jit(lambda x: v.update(v.value + x))
    f(1.0)
    assert not any(isinstance(a, jax.core.AbstractValue) and "Ref" in type(a).__name__
                   for a in f.lower(1.0).in_avals[0]) if hasattr(f.lower(1.0), "in_avals") else True


def test_threads_calling_one_compiled_function():
    v = bm.Variable(bm.zeros((), dtype=bm.int32))
    f = bm.jit(lambda: (v.update(v.value + 1), bm.random.uniform(size=2))[1])
    f()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        draws = list(pool.map(lambda _: f().tolist(), range(64)))
    assert int(v) == 65
    assert len({tuple(d) for d in draws}) == 64  # no draw repeated


def test_threads_calling_one_plain_jax_jit_function():
    """Plain jax.jit donates the Refs' buffers: concurrent calls are serialised per state (no deleted buffers)."""
    v = bm.Variable(bm.zeros((), dtype=bm.int32))
    f = jax.jit(lambda: (v.update(v.value + 1), bm.random.uniform(size=2))[1])
    f()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        draws = list(pool.map(lambda _: f().tolist(), range(400)))
    assert int(v) == 401
    assert len({tuple(d) for d in draws}) == 400


def test_plain_jax_jit_writes_never_change_a_value_read_before():
    v = var()
    f = jax.jit(lambda: v.update(v.value + 1))
    before = v.value
    view = v[1:]
    f()
    f()
    assert before.tolist() == [0, 0, 0] and v.tolist() == [2, 2, 2] and view.tolist() == [2, 2]
    after = v.value
    f()
    assert after.tolist() == [2, 2, 2] and v.value.tolist() == [3, 3, 3]


def test_plain_jax_jit_state_calls_are_wrapped():
    from array_api_jax.extras import _ref_calls

    assert _ref_calls.INSTALLED[0]  # JAX's executor has the shape the wrapper relies on (JAX upgrade check)
    own = jax.new_ref(jnp.zeros(2))  # a Ref that is not extras' state: JAX's own behaviour
    g = jax.jit(lambda: own.__setitem__(..., own[...] + 1))
    held = own[...]
    g()
    assert own[...].tolist() == [1, 1] and _ref_calls.lock_of(own) is None and held is not None


def test_threads_writing_eagerly():
    v = var()

    def write(i):
        v.value = jnp.full(3, i, jnp.float32)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(100)))
    assert len(set(v.tolist())) == 1


# --- BrainPy's loops and conditionals ----------------------------------------------------------------------------


def test_for_loop_stacks_outputs_and_keeps_writes():
    v = var()

    def body(x, y):
        v.value = v.value + x * y
        return v.value

    out = bm.for_loop(body, (bm.arange(3.0, dtype=bm.float32), bm.ones(3, dtype=bm.float32)))
    assert type(out) is bm.ndarray and out.shape == (3, 3) and v.tolist() == [3, 3, 3]
    out = bm.for_loop(lambda x: v.value + x, bm.arange(2.0, dtype=bm.float32), jit=False)
    assert out.tolist() == [[3, 3, 3], [4, 4, 4]]


def test_scan_while_loop_cond_ifelse():
    carry, ys = bm.scan(lambda c, x: (c + x, c * x), bm.asarray(0.0), bm.arange(4.0))
    assert float(carry) == 6 and ys.tolist() == [0, 0, 2, 9]
    v = bm.Variable(bm.zeros((), dtype=bm.int32))

    def body():
        v.value = v.value + 1

    assert bm.while_loop(body, lambda: v < 5, ()) == ()
    assert int(v) == 5
    assert bm.while_loop(lambda i, s: (i + 1, s + i), lambda i, s: i < 4, (0, 0))[1].tolist() == 6
    bm.cond(v > 3, lambda: v.update(v.value * 2), lambda: None)
    assert int(v) == 10
    assert float(bm.cond(False, 1.0, lambda: bm.asarray(2.0))) == 2
    f = bm.jit(lambda x: bm.ifelse([x > 0, x < -5], [lambda: 1, lambda: 2, lambda: 3]))
    assert [int(f(x)) for x in (1.0, -10.0, -1.0)] == [1, 2, 3]
    assert int(bm.ifelse(True, [lambda a: a + 1, lambda a: a], 1)) == 2
    with pytest.raises(ValueError, match="len"):
        bm.ifelse([True], [1])


# --- the grad family -------------------------------------------------------------------------------------------------


def test_grad_layouts_follow_brainpy():
    w = bm.TrainVar(bm.asarray(np.float32([1, 2, 3])))
    x = bm.asarray(np.float32([1, 1, 2]))

    def loss(x):
        return (w * x).sum()

    def loss_aux(x):
        return (w * x).sum(), x * 2

    g = bm.grad(loss)(x)
    assert type(g) is bm.ndarray and g.tolist() == [1, 2, 3]
    assert bm.grad(loss, grad_vars=w)(x).tolist() == [1, 1, 2]
    vg, ag = bm.grad(loss, grad_vars=[w], argnums=0)(x)
    assert vg[0].tolist() == [1, 1, 2] and ag.tolist() == [1, 2, 3]
    dg = bm.grad(loss, grad_vars={"w": w})(x)
    assert list(dg) == ["w"]
    grads, value = bm.grad(loss, return_value=True)(x)
    assert float(value) == 9
    grads, value, aux = bm.grad(loss_aux, has_aux=True, return_value=True)(x)
    assert aux.tolist() == [2, 2, 4]
    value, grads = bm.value_and_grad(loss)(x)
    assert float(value) == 9 and grads.tolist() == [1, 2, 3]
    (value, aux), grads = bm.value_and_grad(loss_aux, has_aux=True)(x)
    assert aux.tolist() == [2, 2, 4]
    assert bm.grad(lambda a, b: (a * b).sum(), argnums=(0, 1))(x, x)[1].tolist() == [1, 1, 2]


def test_grad_under_extras_jit_and_writes_inside():
    w = bm.TrainVar(bm.asarray(np.float32([1, 2])))
    calls = bm.Variable(bm.zeros((), dtype=bm.int32))

    def loss(x):
        calls.value = calls.value + 1
        return (w * w * x).sum()

    @bm.jit
    def train(x):
        g = bm.grad(loss, grad_vars=w)(x)
        w.value = w.value - 0.5 * g
        return g

    assert train(bm.ones(2, dtype=bm.float32)).tolist() == [2, 4]
    assert w.tolist() == [0, 0] and int(calls) == 1


def test_vector_grad_jacobians_hessian():
    x = bm.asarray(np.float32([1, 2, 3]))
    assert bm.vector_grad(lambda x: x ** 2)(x).tolist() == [2, 4, 6]
    j = bm.jacrev(lambda x: x ** 2)(x)
    assert np.allclose(j, np.diag([2, 4, 6])) and np.allclose(bm.jacfwd(lambda x: x ** 2)(x), j)
    h = bm.hessian(lambda x: (x ** 3).sum())(x)
    assert np.allclose(h, np.diag([6, 12, 18]))
    h2 = bm.hessian(lambda x, y: (x * y).sum(), argnums=(0, 1))(x, x)
    assert np.allclose(h2[0][1], np.eye(3)) and np.allclose(h2[0][0], 0)
    w = bm.TrainVar(bm.asarray(np.float32([2.0])))
    jac, value = bm.jacrev(lambda x: w * x, grad_vars=w, return_value=True)(x)
    assert np.allclose(jac, [[1], [2], [3]]) and value.tolist() == [2, 4, 6]


def test_grad_vars_must_be_variables():
    with pytest.raises(TypeError, match="grad_vars"):
        bm.grad(lambda x: x, grad_vars=[np.ones(2)])


# --- VarList and VarDict ---------------------------------------------------------------------------------------------


def test_var_list_and_var_dict_write_into_their_variables():
    a, b = var([1, 1, 1]), var([2, 2, 2])
    lst = bm.VarList([a, b])
    lst[1] = jnp.zeros(3, jnp.float32)
    assert lst[1] is b and b.tolist() == [0, 0, 0]
    with pytest.raises(TypeError):
        lst.append(np.ones(3))
    d = bm.VarDict({"a": a}, b=b)
    d["a"] = jnp.full(3, 9, jnp.float32)
    assert d["a"] is a and a.tolist() == [9, 9, 9]
    with pytest.raises(TypeError):
        d["c"] = 1
    assert [x.tolist() for x in jax.tree.leaves(d)] == [[9, 9, 9], [0, 0, 0]]


# --- jax.grad on functions returning Arrays --------------------------------------------------------------------------


def test_jax_grad_of_a_function_returning_an_array_names_the_fix():
    import array_api_jax as xp

    for f in (lambda x: (x ** 2).sum(), lambda x: xp.sum(x)):
        with pytest.raises(ValueError, match=r"jnp.asarray\(x\).*extras.grad"):
            jax.grad(f)(bm.arange(3.0))
    assert jax.grad(lambda x: jnp.asarray((x ** 2).sum()))(bm.arange(3.0)).tolist() == [0, 2, 4]
    assert bm.grad(lambda x: (x ** 2).sum())(bm.arange(3.0)).tolist() == [0, 2, 4]
    assert jnp.sin(bm.zeros(2)).tolist() == [0, 0]  # JAX's own conversion still works


# --- BrainPy's LIF idiom -------------------------------------------------------------------------------------------


class LIF:
    """BrainPy's LIF idiom, unchanged: two Variables, a step with bm.random.normal, bm.where and in-place writes."""

    def __init__(self, n):
        self.V = bm.Variable(bm.zeros(n))
        self.spike = bm.Variable(bm.zeros(n, dtype=bool))

    def step(self, current):
        noise = bm.random.normal(size=self.V.shape)
        v = self.V + 0.1 * (-self.V + current) + 0.5 * noise
        self.spike.value = v >= 1.0
        self.V.value = bm.where(self.spike, 0.0, v)
        self.V[0] = 0.0
        return self.spike.value


def hand_threaded(n, steps, seed, current):
    def step(carry, _):
        v, key = carry
        key, sub = jax.random.split(key)
        noise = jax.random.normal(sub, (n,), jnp.float32)
        v = v + 0.1 * (-v + current) + 0.5 * noise
        spike = v >= 1.0
        v = jnp.where(spike, 0.0, v).at[0].set(0.0)
        return (v, key), spike

    (v, _), spikes = jax.jit(lambda: lax.scan(step, (jnp.zeros(n, jnp.float32), jax.random.key(seed)), None,
                                              length=steps))()
    return v, spikes


def test_lif_idiom_matches_hand_threaded_jax():
    n, steps = 50, 1000
    v_ref, spikes_ref = hand_threaded(n, steps, 7, 1.2)
    assert 0 < int(spikes_ref.sum()) < n * steps

    bm.random.seed(7)
    net = LIF(n)
    spikes = bm.for_loop(bm.jit(lambda i: net.step(1.2)), bm.arange(steps))
    assert net.V.dtype == bm.float32 and spikes.shape == (steps, n)
    np.testing.assert_array_equal(np.asarray(spikes), np.asarray(spikes_ref))
    np.testing.assert_allclose(np.asarray(net.V), np.asarray(v_ref), rtol=1e-6)

    bm.random.seed(7)
    net = LIF(n)
    step = jax.jit(net.step)  # plain jax.jit, called from a Python loop
    rows = [np.asarray(step(1.2)) for _ in range(steps)]
    np.testing.assert_array_equal(np.stack(rows), np.asarray(spikes_ref))
    np.testing.assert_allclose(np.asarray(net.V), np.asarray(v_ref), rtol=1e-6)


def test_extras_jit_takes_variables_as_arguments_as_state():
    a, b = var(), var([5, 5, 5])

    @bm.jit
    def add(v, x):
        v.value = v.value + x
        return v.sum()

    add(a, 1.0)
    add(a, 1.0)
    add(b, 1.0)
    assert a.tolist() == [2, 2, 2] and b.tolist() == [6, 6, 6]


def test_write_inside_shard_map_is_refused():
    if jax.device_count() < 2:
        pytest.skip("needs 2 devices")
    from jax.sharding import PartitionSpec

    v = var()
    mesh = jax.sharding.Mesh(np.array(jax.devices()[:2]), ("x",))

    def body(x):
        v.value = jnp.zeros(3, jnp.float32)
        return x

    f = jax.shard_map(body, mesh=mesh, in_specs=PartitionSpec("x"), out_specs=PartitionSpec("x"))
    with pytest.raises(RandomStateError, match="shard_map"):
        jax.jit(f)(jnp.ones(4))
