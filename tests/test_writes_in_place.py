"""Writes into host values cost O(1) of the array's size: the buffer is written in place when the root array alone
holds it, and copied first when anything else does (``_host.sole_owner``). Every alias here must keep the value
it had before the write; the writer sees the write."""

import copy
import operator
import threading

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import array_api_jax as xp

N = 1000
# asarray copies an array of at least 4,096 elements into 64-byte aligned memory (a view of a uint8 buffer, so that
# XLA uses it without a copy, ``_host.aligned``): the rules hold for both kinds of buffer
SIZES = [N, 8190]


def _buffer(x):
    return x._value


def _owning(n):
    """An array of n values in a buffer of its own: ``asarray`` shares the NumPy array's memory, and the first
    write copies it."""
    a = np.linspace(0.0, 1.0, n)
    x = xp.asarray(a)
    assert np.shares_memory(_buffer(x), a)
    x[0] = 0.0
    assert not np.shares_memory(_buffer(x), a) and _buffer(x).base is None
    return x


ALIASES = {
    "asarray copy=True": lambda x: xp.asarray(x, copy=True),
    "copy.copy": copy.copy,
    "copy.deepcopy": copy.deepcopy,
    "reshape": lambda x: xp.reshape(x, (10, -1)),
    "jnp.asarray": lambda x: jnp.asarray(x),
    "jax.jit identity": lambda x: jax.jit(lambda a: a)(x),
    "jax.jit twin": lambda x: (jax.jit(lambda a: a * 1)(x), x._jax_twin[1])[1],
    "DLPack capsule consumer": lambda x: np.from_dlpack(x),
    "np.asarray": np.asarray,
    "a comparison": lambda x: x > 0.5,
    "a view": lambda x: x[0:10],
    "a view of everything": lambda x: x[...],
    "a new-axis view": lambda x: x[None, ...],
}
WRITES = {
    "x[i] = v": lambda x: x.__setitem__(3, 2.0),
    "x[a:b] = v": lambda x: x.__setitem__(slice(2, 6), 2.0),
    "x[i] += v": lambda x: x.__setitem__(3, x[3] + 2.0),
    "x[int array] = v": lambda x: x.__setitem__(xp.asarray([1, 3, 5]), 2.0),
    "x[mask] = v": lambda x: x.__setitem__(x > 0.5, 2.0),
    "x[mask] = array": lambda x: x.__setitem__(xp.arange(x.shape[0]) < 4, xp.full(4, 2.0)),
    "view += v": lambda x: x[0:8].__iadd__(2.0),
    "x += v": lambda x: x.__iadd__(2.0),
    "x -= array": lambda x: x.__isub__(xp.full(x.shape, 2.0)),
    "x *= array": lambda x: x.__imul__(xp.full(x.shape, 0.5)),
    "x /= 0-D array": lambda x: x.__itruediv__(xp.asarray(2.0)),
}


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
@pytest.mark.parametrize("alias", ALIASES.values(), ids=ALIASES.keys())
def test_an_alias_never_sees_a_write(alias, write, n):
    x = _owning(n)
    y = alias(x)
    before = np.array(y, copy=True)
    expected = np.asarray(x).copy()
    write(x)
    if not isinstance(y, xp.Array) or y._base is None:  # a view is the one alias that must see the write
        np.testing.assert_array_equal(np.asarray(y), before)
    assert not np.array_equal(np.asarray(x), expected)


VIEWS = {"a slice": lambda x: x[2:12], "a transpose": lambda x: xp.reshape(x, (10, -1)).T,
         "a reshape": lambda x: xp.reshape(x, (10, -1))}
VIEW_ALIASES = {"asarray copy=True": lambda v: xp.asarray(v, copy=True), "copy.copy": copy.copy,
                "copy.deepcopy": copy.deepcopy, "reshape copy=True": lambda v: xp.reshape(v, v.shape, copy=True)}


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("alias", VIEW_ALIASES.values(), ids=VIEW_ALIASES.keys())
@pytest.mark.parametrize("view", VIEWS.values(), ids=VIEWS.keys())
def test_an_alias_of_a_view_never_sees_a_write_through_the_view(view, alias, n):
    """The alias shares the view's cached NumPy view of the root's buffer: the write must copy the buffer."""
    x = xp.asarray(np.linspace(0.0, 1.0, n))
    v = view(x)
    y = alias(v)
    before = np.array(y, copy=True)
    v[(0,) * v.ndim] = 5.0
    v += 1.0
    np.testing.assert_array_equal(np.asarray(y), before)
    assert float(np.asarray(v)[(0,) * v.ndim]) == 6.0


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_sole_owner_is_written_in_place(write, n):
    x = _owning(n)
    buffer_id = id(_buffer(x))
    write(x)
    assert id(_buffer(x)) == buffer_id


def test_a_view_sees_a_write_of_its_root_and_the_root_a_write_through_it():
    x = xp.zeros(N)
    v = x[10:20]
    x[12] = 1.0
    assert float(v[2]) == 1.0
    v[3] = 2.0
    assert float(x[13]) == 2.0


def test_writing_a_read_only_or_borrowed_buffer_copies_it():
    source = np.zeros(N)
    x = xp.from_dlpack(source)  # borrows the producer's memory
    x[0] = 1.0
    assert source[0] == 0.0 and float(x[0]) == 1.0
    y = xp.from_dlpack(source)
    y += 1.0
    assert source[0] == 0.0 and float(y[0]) == 1.0


OPERATORS = {"+": (operator.add, operator.iadd), "-": (operator.sub, operator.isub),
             "*": (operator.mul, operator.imul), "/": (operator.truediv, operator.itruediv),
             "&": (operator.and_, operator.iand), "|": (operator.or_, operator.ior), "^": (operator.xor, operator.ixor)}


def test_an_in_place_operator_computes_what_the_operator_computes():
    """Computed into the buffer (as NumPy's in-place operators are) where the array alone holds it: the values of
    ``x = x op y``, for every dtype of the operators' ufuncs, with broadcasting, scalars and x as its own operand."""
    rng = np.random.default_rng(0)
    for dtype, ops in ((xp.float64, "+-*/"), (xp.float32, "+-*/"), (xp.int16, "+-*&|^"), (xp.uint8, "+-*"),
                       (xp.complex128, "+-*/"), (xp.bool, "&|^")):
        for op in ops:
            forward, in_place = OPERATORS[op]
            for other in ("row", "scalar", "self"):
                x = xp.astype(xp.asarray(rng.standard_normal((50, 4)) * 100), dtype)
                x[0, 0] = x[1, 1]  # its own buffer from here on
                before = xp.asarray(np.array(x, copy=True))  # not an alias of x
                if other == "row":
                    y = xp.astype(xp.asarray(rng.standard_normal(4) * 10 + 20), dtype)
                    expected = forward(before, y)
                elif other == "scalar":
                    y = {xp.bool: True, xp.int16: 7, xp.uint8: 7}.get(dtype, 2.5)
                    expected = forward(before, y)
                else:
                    y, expected = x, forward(before, before)
                buffer_id = id(_buffer(x))
                assert in_place(x, y) is x
                np.testing.assert_array_equal(np.asarray(x), np.asarray(expected), err_msg=f"{dtype} {op} {other}")
                assert other == "self" or id(_buffer(x)) == buffer_id, (dtype, op, other)


@pytest.mark.parametrize("dtype", [xp.float64, xp.float32, xp.int16, xp.uint8])
def test_a_power_with_a_python_int_exponent_computes_in_place(dtype):
    x = xp.astype(xp.arange(-3, 7), dtype)
    x[0] = x[0]  # its own buffer from here on
    expected = xp.asarray(np.array(x, copy=True)) ** 3
    buffer_id = id(_buffer(x))
    x **= 3
    np.testing.assert_array_equal(np.asarray(x), np.asarray(expected))
    assert id(_buffer(x)) == buffer_id


def test_a_refused_in_place_operator_changes_nothing():
    x = xp.asarray(np.linspace(0.0, 1.0, N), dtype=xp.float32)
    x[0] = 0.0
    before = np.array(x, copy=True)
    with pytest.raises(TypeError, match="__iadd__: the result dtype float64"):
        x += xp.ones(N)
    with pytest.raises(ValueError, match="__iadd__: the result shape"):
        x += xp.ones((2, N), dtype=xp.float32)
    with pytest.raises(TypeError, match="divide"):
        i = xp.zeros(3, dtype=xp.int32)
        i /= 2
    np.testing.assert_array_equal(np.asarray(x), before)


@pytest.mark.parametrize("n", [10**3, 10**5, 10**6])
def test_a_write_costs_the_same_at_every_size(n):
    # the buffer is not copied: the same object before and after 100 writes
    x = xp.zeros(n)
    x[0] = 1.0
    buffer_id = id(_buffer(x))
    for i in range(100):
        x[i] = float(i)
        x[i] += 1.0
    assert id(_buffer(x)) == buffer_id and float(x[99]) == 100.0


@pytest.mark.parametrize("aligned", [False, True])
@pytest.mark.parametrize("n", [10**3, 10**6])
def test_a_write_through_a_view_costs_the_same_at_every_size(n, aligned):
    # written into the view's NumPy view of the root's buffer: neither the view's value nor the root's is copied
    x = xp.asarray(np.zeros(n)) if aligned else xp.zeros(n)
    x[0] = 1.0
    y = x[1:]
    y[0] = 1.0
    buffer_id = id(_buffer(x))
    for i in range(100):
        y[i] = float(i)
        y[i:i + 2] = xp.asarray([float(i), float(i + 1)])
        assert np.shares_memory(_buffer(y), _buffer(x))  # not a copy of the view's elements
    assert id(_buffer(x)) == buffer_id
    assert float(x[100]) == 99.0 and float(x[101]) == 100.0 and float(y[100]) == 100.0


CONVERSIONS = {
    "jax.jit": lambda x: jax.jit(lambda a: a + 0)(x),
    "tree flatten": lambda x: jax.tree_util.tree_flatten(x),
    "DLPack export": lambda x: x.__dlpack__(),
    "jnp.asarray": lambda x: jnp.asarray(x),
}


@pytest.mark.parametrize("convert", CONVERSIONS.values(), ids=CONVERSIONS.keys())
def test_no_write_is_lost_while_another_thread_converts(convert):
    # the conversion to a jax.Array happens under the root's write lock: a write is never undone by it
    writes, rounds, threads_n = 200, 30, 4
    for _ in range(rounds):
        x = xp.zeros(4)
        start = threading.Barrier(threads_n + 1)

        def writer(x=x, start=start):
            start.wait()
            for _ in range(writes):
                x[0] += 1.0
                x += 1.0  # the whole array, in place

        def converter(x=x, start=start):
            start.wait()
            for _ in range(20):
                convert(x)

        threads = [threading.Thread(target=writer) for _ in range(threads_n)] + [threading.Thread(target=converter)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert float(x[0]) == 2 * writes * threads_n and float(x[1]) == writes * threads_n
