"""Operands from outside the namespace: Python scalar subclasses are Python scalars, everything else is refused.

``np.float64`` subclasses ``float`` and ``np.complex128`` subclasses ``complex``: they are accepted wherever the
standard takes a Python scalar and follow its scalar rules. NumPy's other scalars, NumPy and jax arrays, strings
and other objects raise TypeError in both operand orders, in place and in comparisons: a NumPy or raw jax result
never comes back.
"""

import operator

import jax.numpy as jnp
import numpy as np
import pytest

import array_api_jax as xp
from array_api_jax import extras as bm

BINARY = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv, operator.mod,
          operator.pow]
BITWISE = [operator.and_, operator.or_, operator.xor, operator.lshift, operator.rshift]
COMPARISONS = [operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge]
IN_PLACE = [operator.iadd, operator.isub, operator.imul, operator.itruediv, operator.ipow]

# NumPy scalars that subclass nothing of Python's: refused (docs/strict.md)
REFUSED_NUMPY_SCALARS = [np.bool_(True), np.int8(1), np.int16(1), np.int32(1), np.int64(1), np.uint8(1),
                         np.uint16(1), np.uint32(1), np.uint64(1), np.float16(1), np.float32(1), np.complex64(1)]
FOREIGN = REFUSED_NUMPY_SCALARS + [np.ones(3), np.ones(()), jnp.ones(3), jnp.ones(()), jnp.float32(1), "a", b"a",
                                   None, [1.0, 2.0, 3.0], (1.0,), {1: 2}, object()]


def _ids(values):
    return [f"{type(v).__module__}.{type(v).__name__}" for v in values]


@pytest.fixture
def x():
    return xp.asarray([1.0, 2.0, 4.0])


@pytest.mark.parametrize("op", BINARY)
def test_float64_operand_is_a_python_float_in_both_orders(x, op):
    for left, right in ((x, np.float64(2.0)), (np.float64(2.0), x)):
        out = op(left, right)
        assert type(out) is xp.Array
        expected = op(*(2.0 if r is not x else r for r in (left, right)))
        assert out.dtype == xp.float64 and xp.all(out == expected)


def test_float64_keeps_a_float32_array_float32():
    """The standard's scalar rule (NumPy would promote to float64: np.float64 is a strong type there)."""
    y = xp.ones(3, dtype=xp.float32)
    assert (y * np.float64(2)).dtype == xp.float32
    assert (np.float64(2) * y).dtype == xp.float32
    assert (y + np.complex128(1j)).dtype == xp.complex64


def test_complex128_operand_is_a_python_complex(x):
    out = x * np.complex128(1j)
    assert type(out) is xp.Array and out.dtype == xp.complex128
    assert type(np.complex128(1j) + x) is xp.Array


@pytest.mark.parametrize("op", COMPARISONS)
def test_float64_in_comparisons(x, op):
    out = op(x, np.float64(2.0))
    assert type(out) is xp.Array and out.dtype == xp.bool
    assert bool(xp.all(out == op(x, 2.0)))
    back = op(np.float64(2.0), x)  # reflected: Python swaps the comparison
    assert type(back) is xp.Array and bool(xp.all(back == op(2.0, x)))


def test_in_place_with_float64_updates_the_array_and_its_views(x):
    view = x[1:]
    before = x
    x += np.float64(1.0)
    assert x is before and type(x) is xp.Array
    assert xp.all(x == xp.asarray([2.0, 3.0, 5.0]))
    assert xp.all(view == xp.asarray([3.0, 5.0]))


@pytest.mark.parametrize("op", IN_PLACE)
def test_in_place_operators_take_float64(op):
    x = xp.asarray([1.0, 2.0])
    out = op(x, np.float64(2.0))
    assert out is x


def test_setitem_takes_float64_and_complex128():
    x = xp.asarray([1.0, 2.0, 3.0])
    x[x > 1.5] = np.float64(0.0)
    assert xp.all(x == xp.asarray([1.0, 0.0, 0.0]))
    x[0] = np.float64(7.0)
    x[...] = np.float64(5.0) if False else x
    z = xp.zeros(2, dtype=xp.complex128)
    z[1] = np.complex128(1 + 2j)
    assert complex(z[1]) == 1 + 2j


@pytest.mark.parametrize("make", [
    lambda: xp.full(3, np.float64(2.5)),
    lambda: xp.full_like(xp.ones(3), np.float64(2.5)),
    lambda: xp.arange(np.float64(3)),
    lambda: xp.arange(np.float64(0), np.float64(1.5), np.float64(0.5)),
    lambda: xp.linspace(np.float64(0), np.float64(1), 3),
    lambda: xp.linspace(np.complex128(0), np.complex128(1j), 3),
    lambda: xp.where(xp.asarray([True, False]), np.float64(1), xp.zeros(2)),
    lambda: xp.where(xp.asarray([True, False]), xp.zeros(2), np.float64(1)),
    lambda: xp.clip(xp.asarray([0.0, 5.0]), np.float64(1), np.float64(2)),
    lambda: xp.add(xp.ones(2), np.float64(1)),
    lambda: xp.maximum(np.float64(1), xp.ones(2)),
    lambda: xp.searchsorted(xp.asarray([1.0, 2.0]), np.float64(1.5)),
], ids=["full", "full_like", "arange", "arange3", "linspace", "linspace_complex", "where_x1", "where_x2", "clip",
        "add", "maximum", "searchsorted"])
def test_scalar_taking_functions_take_float64(make):
    out = make()
    assert type(out) is xp.Array


def test_float64_follows_the_float_rules_in_functions():
    assert xp.full(2, np.float64(1)).dtype == xp.float64
    assert xp.arange(np.float64(3)).dtype == xp.float64
    assert xp.result_type(xp.float32, np.float64(1)) == xp.float32
    with pytest.raises(TypeError):
        xp.full(2, np.float64(1.5), dtype=xp.int32)  # a float into an integer dtype, as for a Python float


@pytest.mark.parametrize("other", FOREIGN, ids=_ids(FOREIGN))
@pytest.mark.parametrize("op", BINARY + BITWISE + COMPARISONS)
def test_foreign_operands_raise_in_both_orders(x, op, other):
    orders = [(x, other), (other, x)]
    if op is operator.mod and isinstance(other, (str, bytes)):
        orders = orders[:1]  # "a" % x is string formatting, which Python does before asking x
    for left, right in orders:
        with pytest.raises(TypeError):
            op(left, right)


@pytest.mark.parametrize("other", FOREIGN, ids=_ids(FOREIGN))
def test_foreign_operands_raise_in_place_and_change_nothing(x, other):
    view = x[:2]
    for op in IN_PLACE + [operator.iand]:
        y = x
        with pytest.raises(TypeError):
            y = op(y, other)
        assert y is x
    assert xp.all(x == xp.asarray([1.0, 2.0, 4.0])) and xp.all(view == xp.asarray([1.0, 2.0]))


@pytest.mark.parametrize("other", [np.ones(3), jnp.ones(3), np.float64(2.0), 2.0, "a"],
                         ids=["numpy", "jax", "float64", "float", "str"])
def test_matmul_takes_only_arrays(x, other):
    for left, right in ((x, other), (other, x)):
        with pytest.raises(TypeError):
            left @ right
    y = x
    with pytest.raises(TypeError):
        y @= other


def test_messages_name_the_type_and_the_fix(x):
    with pytest.raises(TypeError, match=r"__mul__: other is a numpy.ndarray.*xp.asarray\(other\)"):
        x * np.ones(3)
    with pytest.raises(TypeError, match=r"__radd__: other is a numpy.ndarray"):
        np.ones(3) + x
    with pytest.raises(TypeError, match=r"__add__: other is a jax.Array.*xp.asarray"):
        x + jnp.ones(3)
    with pytest.raises(TypeError, match=r"__add__: a jax.Array cannot be combined.*xp.asarray"):
        jnp.ones(3) + x
    with pytest.raises(TypeError, match=r"NumPy scalar \(numpy.int64\).*int\(other\)"):
        x * np.int64(2)
    with pytest.raises(TypeError, match=r"NumPy scalar \(numpy.bool_?\).*bool\(other\)"):
        xp.asarray([True]) & np.bool_(True)
    with pytest.raises(TypeError, match=r"__eq__: other must be an array or a Python scalar.*got str"):
        x == "a"  # noqa: B015
    with pytest.raises(TypeError, match=r"__setitem__: value is a NumPy scalar \(numpy.int64\)"):
        xp.zeros(2, dtype=xp.int64)[0] = np.int64(1)
    with pytest.raises(TypeError, match=r"__setitem__: value is a numpy.ndarray.*xp.asarray\(value\)"):
        x[:] = np.ones(3)
    with pytest.raises(TypeError, match=r"add: x2 is a numpy.ndarray"):
        xp.add(x, np.ones(3))


def test_cross_kind_numpy_scalar_is_refused():
    with pytest.raises(TypeError):
        xp.asarray([1, 2, 3]) & np.bool_(True)
    with pytest.raises(TypeError):
        xp.asarray([1, 2, 3]) + np.int64(1)


def test_jax_arrays_still_convert_explicitly(x):
    assert xp.all(xp.asarray(jnp.ones(3)) + x == x + 1)
    assert type(jnp.asarray(x)) is not xp.Array  # jnp.asarray unwraps (through __jax_array__)
    assert np.allclose(jnp.sin(jnp.asarray(x)), np.sin(np.asarray(x)))


def test_objects_that_ask_to_handle_arrays_get_the_operation(x):
    """NumPy's conventions: ``__array_ufunc__ = None`` or a higher ``__array_priority__`` gets NotImplemented."""
    class Handler:
        __array_ufunc__ = None

        def __radd__(self, other):
            return "handled"

        __add__ = __radd__

    class Priority:
        __array_priority__ = 10**6

        def __rmul__(self, other):
            return "handled"

    assert x + Handler() == "handled"
    assert Handler() + x == "handled"
    assert x * Priority() == "handled"


def test_extras_keeps_numpy_rules():
    a = bm.ones(3)
    assert type(np.float64(2) * a) is bm.ndarray
    assert type(a * np.int64(2)) is bm.ndarray
    assert type(np.ones(3) + a) is bm.ndarray
    assert type(a + np.ones(3)) is bm.ndarray

