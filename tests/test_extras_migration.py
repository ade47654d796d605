"""Code written for brainpy.math, run with ``bm = array_api_jax.extras``: what BrainPy gives, written into each test
(BrainPy 2.8.2, whose JAX runs in 32-bit mode), and the documented differences (docs/state-and-transforms.md,
"Migrating from brainpy.math": every row of that table is tested here)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import array_api_jax.extras as bm


@pytest.fixture(autouse=True)
def _defaults():
    yield
    bm.disable_x64()


def f32(values):
    return bm.Variable(bm.asarray(np.asarray(values, np.float32)))


# --- 64-bit values written into 32-bit state ---------------------------------------------------------------------

SIXTY_FOUR = {
    "numpy float64": lambda: np.random.default_rng(0).random(3),
    "jax.numpy ones": lambda: jnp.ones(3),
    "jax.random normal": lambda: jax.random.normal(jax.random.key(0), (3,)),
    "int array * 0.5": lambda: bm.arange(3) * 0.5,
    "0.5 * int array": lambda: 0.5 * bm.arange(3),
    "float64 ndarray": lambda: bm.ones(3, dtype=bm.float64),
}


@pytest.mark.parametrize("make", SIXTY_FOUR.values(), ids=SIXTY_FOUR)
def test_64_bit_values_are_stored_as_float32_eagerly(make):
    v = f32([9, 9, 9])
    value = make()
    v.value = value
    assert v.dtype == bm.float32 and v.value.dtype == jnp.float32
    np.testing.assert_allclose(np.asarray(v), np.asarray(value, np.float32))
    v.update(value)
    v[...] = value
    assert v.dtype == bm.float32


@pytest.mark.parametrize("compile_", [bm.jit, jax.jit], ids=["extras.jit", "jax.jit"])
@pytest.mark.parametrize("make", SIXTY_FOUR.values(), ids=SIXTY_FOUR)
def test_64_bit_values_are_stored_as_float32_compiled(make, compile_):
    v = f32([9, 9, 9])

    def step():
        v.value = make()
        return v.value

    out = compile_(step)()
    assert out.dtype == jnp.float32 and v.dtype == bm.float32
    np.testing.assert_allclose(np.asarray(v), np.asarray(make(), np.float32))


def test_integer_state_takes_int64_values_as_int32():
    v = bm.Variable(bm.zeros(3, dtype=bm.int32))
    v.value = np.arange(3)  # int64 in NumPy, int32 in BrainPy's JAX
    assert v.dtype == bm.int32 and v.tolist() == [0, 1, 2]
    c = bm.Variable(bm.zeros(2, dtype=bm.complex64))
    c.value = np.ones(2, np.complex128)
    assert c.dtype == bm.complex64


@pytest.mark.parametrize("bad", [np.ones(3, np.complex128), jnp.ones(3, jnp.complex64), np.ones(4), np.ones((1, 3)),
                                 np.arange(3), jnp.ones(3, jnp.int32)],
                         ids=["complex128", "complex64", "shape 4", "shape 1x3", "int64", "int32"])
def test_what_cannot_be_cast_still_raises_and_changes_nothing(bad):
    v = f32([1, 2, 3])
    for write in (lambda: setattr(v, "value", bad), lambda: v.update(bad)):
        with pytest.raises(bm.MathError):
            write()
    for compile_ in (bm.jit, jax.jit):
        with pytest.raises(bm.MathError):
            compile_(lambda: v.update(bad))()
    assert v.tolist() == [1, 2, 3] and v.dtype == bm.float32


def test_with_64_bit_defaults_a_float32_variable_refuses_float64_as_brainpy_with_x64():
    v = f32([1, 2, 3])
    bm.enable_x64()
    with pytest.raises(bm.MathError, match="dtype"):
        v.value = np.ones(3)
    assert v.tolist() == [1, 2, 3]


def test_asarray_and_variable_of_numpy_data_are_float32():
    assert bm.asarray(np.ones(2)).dtype == bm.float32
    assert bm.array(np.ones(2)).dtype == bm.float32
    assert bm.asarray(jnp.ones(2)).dtype == bm.float32
    assert bm.asarray(np.arange(2)).dtype == bm.int32
    assert bm.Variable(np.random.default_rng(0).random(3)).dtype == bm.float32
    assert bm.Variable(jnp.zeros(2)).dtype == bm.float32
    # an explicit dtype, an extras float64 array and 64-bit defaults keep float64
    assert bm.asarray(np.ones(2), dtype=bm.float64).dtype == bm.float64
    assert bm.asarray(bm.ones(2, dtype=bm.float64)).dtype == bm.float64
    assert bm.Variable(np.ones(2), dtype=bm.float64).dtype == bm.float64
    assert bm.array(np.float64(0.1), dtype=None).dtype == bm.float32
    bm.enable_x64()
    assert bm.asarray(np.ones(2)).dtype == bm.float64


def test_python_float_products_follow_the_default_float():
    a = bm.arange(3)  # int32
    for r in (a * 0.5, 0.5 * a, a + 1.5, a / 2, bm.multiply(a, 0.5), a ** 0.5):
        assert r.dtype == bm.float32
    assert (bm.ones(2, dtype=bm.float64) * 0.5).dtype == bm.float64  # strong operands keep their dtype
    assert (a * 2).dtype == bm.int32
    bm.enable_x64()
    assert (a * 0.5).dtype == bm.float64


# --- batch axes ----------------------------------------------------------------------------------------------------


def test_a_batch_axis_variable_changes_its_batch_size_as_reset_state():
    v = bm.Variable(bm.zeros((4, 3)), batch_axis=0)
    assert v.size_without_batch == (3,) and v.varshape == (3,) and v.batch_size == 4
    held = v.value
    v.value = bm.ones((8, 3))  # reset_state(batch_size=8)
    assert v.shape == (8, 3) and v.batch_size == 8 and v.size_without_batch == (3,)
    assert held.shape == (4, 3)  # a value read before is unchanged
    v += 1
    assert v.tolist()[0] == [2, 2, 2]
    step = bm.jit(lambda: v.update(v.value * 2))
    step()
    v.value = bm.ones((2, 3))
    step()  # extras.jit retraces for the new batch size
    assert v.tolist() == [[2, 2, 2]] * 2
    with pytest.raises(bm.MathError, match="batch_axis=0"):
        v.value = bm.ones((2, 4))  # only the batch axis may change
    with pytest.raises(bm.MathError, match="compiled"):
        bm.jit(lambda: v.update(bm.ones((5, 3))))()
    assert v.shape == (2, 3)


def test_a_negative_batch_axis_and_no_batch_axis():
    v = bm.Variable(bm.zeros((3, 4)), batch_axis=-1)
    assert v.size_without_batch == (3,) and v.batch_size == 4
    v.value = np.zeros((3, 6))
    assert v.shape == (3, 6)
    w = bm.Variable(bm.zeros((4, 3)))
    assert w.size_without_batch == (4, 3)
    with pytest.raises(bm.MathError, match="shape"):
        w.value = bm.zeros((5, 3))


def test_a_plain_jax_jit_function_traced_before_a_batch_change_raises_instead_of_updating_old_state():
    v = bm.Variable(bm.zeros((2, 3)), batch_axis=0)
    step = jax.jit(lambda: v.update(v.value + 1))
    step()
    v.value = bm.zeros((4, 3))
    with pytest.raises(RuntimeError, match="deleted"):
        step()
    assert v.tolist() == [[0, 0, 0]] * 4
    jax.jit(lambda: v.update(v.value + 1))()  # a function traced now sees the new state
    assert v.tolist() == [[1, 1, 1]] * 4


# --- importing array_api_jax in a process that uses brainpy.math ---------------------------------------------------

_IMPORT = """
import sys, types, warnings
import jax
jax.config.update("jax_enable_x64", {x64})
if {brainpy}:  # what importing brainpy.math leaves in the process (its JAX in 32-bit mode)
    sys.modules["brainpy"] = types.ModuleType("brainpy")
    sys.modules["brainpy.math"] = types.ModuleType("brainpy.math")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import array_api_jax
print(jax.config.jax_enable_x64, [f"{{w.category.__name__}}: {{w.message}}" for w in caught])
"""


@pytest.mark.parametrize(("x64", "brainpy", "warned"), [(False, True, True), (False, False, False),
                                                        (True, True, False)])
def test_importing_after_brainpy_math_warns_once_naming_the_cause_and_the_fix(x64, brainpy, warned):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _IMPORT.format(x64=x64, brainpy=brainpy)], capture_output=True,
                         text=True, check=True).stdout
    assert out.startswith("True ")  # JAX's 64-bit mode is on in every case
    assert out.count("RuntimeWarning") == warned
    if warned:
        assert "brainpy.math was imported before" in out and "array_api_jax.extras as bm" in out


# --- smaller items -------------------------------------------------------------------------------------------------


def test_ifelse_with_as_many_branches_as_conditions_takes_the_last_as_default():
    f = bm.jit(lambda x: bm.ifelse([x > 0, x < -5, x == 0], [lambda: 1, lambda: 2, lambda: 3]))
    assert [int(f(v)) for v in (1, -9, 0, -1)] == [1, 2, 3, 3]  # the last condition is not read (BrainPy)
    with pytest.raises(ValueError, match="branches"):
        bm.ifelse([True, False], [1, 2, 3, 4])


def test_random_seed_seeds_numpy_too():
    bm.random.seed(42)
    a, r = np.random.rand(2), bm.random.rand(2)
    bm.random.seed(42)
    assert np.random.rand(2).tolist() == a.tolist() and bm.random.rand(2).tolist() == r.tolist()
    bm.random.seed(2 ** 40 + 7)  # any int: NumPy gets it modulo 2**32
    b = np.random.rand()
    np.random.seed(7)
    assert np.random.rand() == b
    np.random.seed(1)
    bm.random.seed(jax.random.key(3))  # a key reseeds extras only
    c = np.random.rand()
    np.random.seed(1)
    assert np.random.rand() == c


def test_save_load_and_the_conversion_helpers(tmp_path):
    bm.save(tmp_path / "a.npy", bm.arange(3.0))
    np.save(tmp_path / "b.npy", np.ones(2))  # float64 data, as NumPy writes it
    bm.savez(tmp_path / "c.npz", w=bm.ones(2), b=np.zeros(1))
    a, b = bm.load(tmp_path / "a.npy"), bm.load(tmp_path / "b.npy")
    assert type(a) is bm.ndarray and a.tolist() == [0, 1, 2] and a.dtype == bm.float32
    assert b.dtype == bm.float32  # BrainPy: float32
    assert bm.load(tmp_path / "c.npz")["w"].tolist() == [1, 1]
    x = bm.asarray([1.0, 2.0])
    assert isinstance(bm.as_jax(x), jax.Array) and bm.as_jax(np.ones(2)).dtype == jnp.float32
    assert bm.as_device_array(x, dtype=bm.float64).dtype == jnp.float64
    assert type(bm.as_numpy(x)) is np.ndarray and bm.as_ndarray([x, x]).shape == (2, 2)
    assert bm.from_numpy(x).tolist() == [1, 2]
    v = bm.as_variable(np.zeros(2))
    assert type(v) is bm.Variable and v.dtype == bm.float32
    assert bm.dftype() == bm.float32 and bm.ditype() == bm.int32
    bm.enable_x64()
    assert bm.dftype() == bm.float64 and bm.ditype() == bm.int64


def test_parameter_variable_view_functional_vector_grad():
    p = bm.Parameter(bm.ones(2))
    assert isinstance(p, bm.Variable) and not isinstance(p, bm.TrainVar)
    origin = bm.Variable(bm.arange(5.0))
    view = bm.VariableView(origin, slice(None, 2))
    view[:] = 1.0
    assert origin.tolist() == [1, 1, 2, 3, 4] and view.tolist() == [1, 1]
    view *= 10
    assert origin.tolist()[:2] == [10, 10]
    origin.value = bm.zeros(5)
    assert view.tolist() == [0, 0]  # the view re-reads the Variable
    with pytest.raises(TypeError, match="v\\[index\\] ="):
        bm.VariableView(origin, bm.asarray([0, 2]))
    with pytest.raises(ValueError, match="Variable"):
        bm.VariableView(bm.ones(2), 0)
    assert bm.functional_vector_grad is bm.vector_grad
    assert bm.functional_vector_grad(lambda x: x ** 2)(bm.asarray([1.0, 2.0])).tolist() == [2, 4]


def test_integer_sums_and_index_results_are_int32_as_brainpy():
    a = bm.arange(4)  # int32
    for r in (a.sum(), bm.sum(a), bm.cumsum(a), bm.argmax(a), a.argmax(), bm.argsort(a), bm.nonzero(a)[0],
              bm.sum(bm.ones(3, dtype=bool)), bm.searchsorted(a, 2)):
        assert r.dtype == bm.int32
    assert bm.mean(a).dtype == bm.float32 and a.mean().dtype == bm.float32
    values, counts = bm.unique(a, return_counts=True)
    assert values.dtype == bm.int32 and counts.dtype == bm.int32
    assert bm.unique_counts(a).counts.dtype == bm.int32  # named tuples stay named
    # a 64-bit input or dtype= asks for 64 bits (as BrainPy with enable_x64)
    assert bm.sum(a, dtype=bm.int64).dtype == bm.int64 and bm.astype(a, bm.int64).dtype == bm.int64
    assert bm.argmax(bm.ones(2, dtype=bm.float64)).dtype == bm.int64 and bm.sum(np.arange(3)).dtype == bm.int64
    assert bm.jit(lambda: bm.arange(3).sum())().dtype == bm.int32
    bm.enable_x64()
    assert bm.sum(bm.arange(4, dtype=bm.int32)).dtype == bm.int64


def test_the_first_compiled_draw_from_a_never_seeded_generator_compiles_once(caplog):
    rs = bm.random.RandomState()  # never seeded: fresh entropy
    v = bm.Variable(bm.zeros(3))

    def step():
        v.value = v + rs.normal(size=3)

    f = bm.jit(step)
    with jax.log_compiles(True), caplog.at_level("WARNING"):
        for _ in range(3):
            f()
    assert sum("Compiling jit(_pure)" in r.getMessage() for r in caplog.records) == 1


# --- the remaining differences (docs/state-and-transforms.md, "Migrating from brainpy.math") -----------------------


def test_jax_runs_in_64_bit_mode_and_disable_x64_only_sets_extras_defaults():
    assert jax.config.jax_enable_x64 and jnp.ones(2).dtype == jnp.float64  # BrainPy: float32
    bm.disable_x64()
    assert jax.config.jax_enable_x64 and bm.ones(2).dtype == bm.float32


def test_other_functions_keep_the_dtype_of_explicit_64_bit_numpy_inputs():
    assert bm.sin(np.ones(2)).dtype == bm.float64  # BrainPy: float32
    assert (bm.ones(2) + np.ones(2)).dtype == bm.float64
    assert bm.sin(bm.asarray(np.ones(2))).dtype == bm.float32  # convert first, as the table says


def test_a_python_int_written_into_a_0d_float_variable_is_accepted():
    v = bm.Variable(bm.asarray(0.0))
    v.value = 1  # BrainPy raises MathError (int32 is not float32)
    assert v.dtype == bm.float32 and float(v) == 1.0
    with pytest.raises(bm.MathError):
        v.value = 1j


def test_jax_grad_of_a_function_returning_an_ndarray_says_what_to_do():
    x = bm.asarray(3.0)
    with pytest.raises(ValueError, match="jnp.asarray"):
        jax.grad(lambda t: (t ** 2).sum())(x)
    assert float(jax.grad(lambda t: jnp.asarray((t ** 2).sum()))(x)) == 6.0
    assert float(bm.grad(lambda t: (t ** 2).sum())(x)) == 6.0
