"""Host computations on large arrays make no temporaries of an operand's size beyond the result NumPy's own
operation makes: at a new large shape every such buffer is fresh memory that the system must hand out and fault
in, so array_api_jax must not touch more of it than NumPy (and array_api_strict) does for the same program.
Measured with tracemalloc, to which NumPy reports its array data."""

import operator
import tracemalloc

import numpy as np
import pytest

import array_api_jax as xp
from array_api_jax._special_cases import _finite_matrices

SHAPE = (20000, 20)
NBYTES = 20000 * 20 * 8


def _peak(func):
    """The most memory ``func()`` held at once, in units of one (20000, 20) float64 array."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        start = tracemalloc.get_traced_memory()[0]
        out = func()
        peak = tracemalloc.get_traced_memory()[1] - start
    finally:
        tracemalloc.stop()
    del out
    return peak / NBYTES


@pytest.fixture
def x():
    x = xp.asarray(np.random.default_rng(0).standard_normal(SHAPE))
    x[0, 0] = 1.0  # its own buffer from here on
    return x


@pytest.mark.parametrize("op", [operator.iadd, operator.isub, operator.imul, operator.itruediv])
def test_an_in_place_operator_makes_no_new_buffer(x, op):
    m = xp.mean(x, axis=0)
    assert _peak(lambda: op(x, m)) < 0.05
    assert _peak(lambda: op(x, 2.0)) < 0.05


def test_a_power_with_a_python_int_exponent_in_place_makes_no_new_buffer(x):
    assert _peak(lambda: operator.ipow(x, 2)) < 0.05


def test_pow_makes_only_its_result(x):
    assert _peak(lambda: x ** 2.0) < 1.05
    assert _peak(lambda: x ** xp.asarray(3.0)) < 1.05


@pytest.mark.parametrize("func", [xp.var, xp.std])
def test_a_variance_makes_one_buffer_of_its_operands_size(x, func):
    # as NumPy's var: the deviations, squared into their own buffer (not a second buffer of the squares)
    assert _peak(lambda: func(x, axis=0)) < 1.05
    assert _peak(lambda: func(x)) < 1.05
    assert _peak(lambda: func(xp.astype(x, xp.float32), axis=1)) < 1.6  # the float32 copy, then its deviations


def test_the_finiteness_check_of_svd_makes_no_mask(x):
    assert _peak(lambda: xp.linalg.svdvals(x)) < 0.05


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.complex128])
def test_the_finiteness_check_finds_every_non_finite_matrix(dtype):
    x = np.ones((4, 3, 5), dtype)
    x[1, 2, 3] = np.nan
    x[2, 0, 0] = -np.inf
    if x.dtype.kind == "c":
        x[3, 1, 1] = complex(1.0, np.inf)
    expected = np.isfinite(x).all(axis=(-2, -1))
    np.testing.assert_array_equal(_finite_matrices(x), expected)
    assert _finite_matrices(np.ones((2, 0, 3), dtype)).tolist() == [True, True]
    assert bool(_finite_matrices(np.ones((3, 3), dtype))) is True


# --- temporaries: an operator on a value that only the expression holds computes into its buffer --------------


def test_a_chain_of_operators_makes_one_buffer(x):
    """``x * x + 1.0`` and ``(x - m) / s * 2.0``: the first operator's result is a temporary, which the next ones
    compute into, as NumPy's operators do (a named variable keeps its value)."""
    m, s = xp.mean(x, axis=0), xp.std(x, axis=0)
    assert _peak(lambda: x * x + 1.0) < 1.05
    assert _peak(lambda: (x - m) / s * 2.0) < 1.05
    np.testing.assert_array_equal(np.asarray(x * x + 1.0), np.asarray(x) * np.asarray(x) + 1.0)


def test_a_named_operand_keeps_its_value(x):
    def program():
        y = x * x
        z = y + 1.0
        return y, z
    y, z = program()
    np.testing.assert_array_equal(np.asarray(y), np.asarray(x) ** 2)
    np.testing.assert_array_equal(np.asarray(z), np.asarray(x) ** 2 + 1.0)
    assert _peak(lambda: program()[1]) > 1.95  # two buffers: y's and z's


def test_a_temporary_is_not_written_through_a_call_or_where_others_hold_its_memory(x):
    """Only the interpreter's binary operation elides: an explicit method call or operator.add (the caller, C code
    included, may hold its operand alone), a view (its root's memory), an array sharing NumPy memory
    (``from_dlpack``), a result of another dtype or a larger shape computes a new buffer."""
    before = np.asarray(x).copy()
    assert _peak(lambda: (x * 1.0).__add__(1.0)) > 1.95
    assert _peak(lambda: operator.add(x * 1.0, 1.0)) > 1.95
    x[1:, :] + 1.0  # a view of x: x keeps its values
    np.testing.assert_array_equal(np.asarray(x), before)
    shared = np.asarray(x).copy()
    xp.from_dlpack(shared) + 1.0  # shares the NumPy array's memory
    np.testing.assert_array_equal(shared, before)
    row = xp.reshape(xp.arange(SHAPE[1], dtype=xp.float64), (1, SHAPE[1]))
    out = (x[:, :1] * 1.0) + row  # a (20000, 1) temporary, a (20000, 20) result
    np.testing.assert_array_equal(np.asarray(out), before[:, :1] + np.arange(SHAPE[1]))


def test_a_temporary_with_a_foreign_operand_raises_as_a_variable_does(x):
    """The operand checks come before any write: a NumPy or JAX operand is refused (TypeError) as for a variable,
    and the temporary is not written."""
    import jax.numpy as jnp

    y = x * 1.0
    for foreign in (np.ones(SHAPE), jnp.ones(SHAPE)):
        with pytest.raises(TypeError) as named:
            y + foreign
        with pytest.raises(TypeError) as temporary:
            (x * 1.0) + foreign
        assert str(temporary.value) == str(named.value)


def test_an_operand_that_c_code_holds_alone_is_not_written(x):
    """C code may call an operator on an operand that it alone holds, from inside the interpreter's binary operation
    on another object: NumPy's object arrays add element by element (an element has the reference count of a
    temporary). Only a left operand that the binary operation just before made is written."""
    boxed = np.empty(1, dtype=object)
    boxed[0] = x * 1.0
    before = np.asarray(boxed[0]).copy()
    total = boxed + 1.0
    np.testing.assert_array_equal(np.asarray(boxed[0]), before)
    np.testing.assert_array_equal(np.asarray(total[0]), before + 1.0)


def test_a_left_operand_from_a_branch_is_not_taken_for_the_operation_before(x):
    """In ``(boxed if flag else x * 1.0) + 1.0`` the instruction before the right operand's load is the product,
    but the left operand may come from the other branch (a jump lands between them): nothing is written there."""
    boxed = np.empty(1, dtype=object)
    boxed[0] = x * 1.0
    before = np.asarray(boxed[0]).copy()
    for flag in (True, False):
        total = (boxed if flag else x * 1.0) + 1.0
        np.testing.assert_array_equal(np.asarray(total[0] if flag else total), before + 1.0)
    np.testing.assert_array_equal(np.asarray(boxed[0]), before)


def test_a_function_of_a_temporary_computes_into_it(x):
    """``xp.exp(x - m)`` (SciPy's logsumexp): the function's argument is a temporary that only the call holds, and
    its buffer takes the result, as NumPy's operators reuse theirs; the values are the function's own."""
    m = xp.max(x)
    assert _peak(lambda: xp.exp(x - m)) < 1.05
    assert _peak(lambda: xp.log(xp.exp(x - m))) < 1.05
    assert _peak(lambda: xp.negative(xp.floor(x * 2.0))) < 1.05
    # an operation that the engine may move to XLA computes into the temporary while NumPy computes it
    # (tests/test_engine.py: XLA's result is a new buffer)
    assert _peak(lambda: xp.sin(x * 1.0)) < 1.05
    np.testing.assert_array_equal(np.asarray(xp.sin(x * 1.0)), np.sin(np.asarray(x)))
    np.testing.assert_array_equal(np.asarray(xp.exp(x - m)), np.exp(np.asarray(x) - np.asarray(m)))
    y = x * 1.0
    assert _peak(lambda: xp.exp(y)) > 0.95  # a named argument keeps its value
    np.testing.assert_array_equal(np.asarray(y), np.asarray(x))
    f32 = xp.astype(x, xp.float32)
    np.testing.assert_array_equal(np.asarray(xp.log(xp.abs(f32) * 2.0 + 1.0)),
                                  np.log(np.abs(np.asarray(f32)) * np.float32(2.0) + np.float32(1.0)))


def test_a_function_of_an_argument_that_others_hold_makes_a_new_buffer(x):
    """An argument that C code passes (``map``, NumPy's object loops: C holds it too), a view, shared NumPy memory,
    one that a weak reference reaches, and an integer or complex value all leave their argument as it was."""
    import weakref

    before = np.asarray(x).copy()
    assert _peak(lambda: list(map(xp.exp, [x * 1.0]))) > 1.95
    boxed = np.empty(1, dtype=object)
    boxed[0] = x * 1.0
    np.frompyfunc(xp.exp, 1, 1)(boxed)
    np.testing.assert_array_equal(np.asarray(boxed[0]), before)
    xp.exp(x[1:, :])
    np.testing.assert_array_equal(np.asarray(x), before)
    shared = before.copy()
    xp.exp(xp.from_dlpack(shared))
    np.testing.assert_array_equal(shared, before)
    seen = []

    def watched():
        t = x * 1.0
        seen.append(weakref.ref(t))
        return t

    out = xp.exp(watched())
    assert seen[0]() is None and out is not None  # the watched temporary was not reused for the result
    ints = xp.astype(x * 100.0, xp.int64)
    np.testing.assert_array_equal(np.asarray(xp.negative(ints * 1)), -np.asarray(ints))


@pytest.mark.parametrize("name", sorted(__import__("array_api_jax._operations", fromlist=["UNARY_INTO"]).UNARY_INTO))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_each_function_computed_into_a_temporary_gives_the_host_paths_values(name, dtype):
    """Every function of ``_operations.UNARY_INTO`` on a temporary: the same values, bit for bit, as on a named
    argument (the host path's own computation), over values inside and outside each function's domain."""
    rng = np.random.default_rng(1)
    base = xp.asarray(np.concatenate([rng.uniform(-3, 3, 80000), [0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan,
                                                                  1e-30, 700.0, -700.0]]).astype(dtype))
    one = np.asarray(base).nbytes / NBYTES  # one buffer of the argument's size, in _peak's units
    func = getattr(xp, name)
    named = base * 1.0
    want = np.asarray(func(named))
    got = func(base * 1.0)
    assert got.dtype == named.dtype and _peak(lambda: func(base * 1.0)) < 1.5 * one  # the temporary only
    np.testing.assert_array_equal(np.asarray(got), want)
