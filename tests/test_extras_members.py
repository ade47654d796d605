"""brainpy.math.Array's members on extras.ndarray (and the list of those left out, with reasons)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import array_api_jax.extras as bm
from array_api_jax.extras import _members


def arr(values, dtype=np.float32):
    return bm.asarray(np.asarray(values, dtype))


def test_value_update_and_conversions():
    x = arr([1, 2, 3])
    assert isinstance(x.value, jax.Array) and x.data is x.value
    x.value = jnp.asarray([4, 5, 6], jnp.float32)
    x.update(np.float32([7, 8, 9]))
    assert x.tolist() == [7, 8, 9]
    with pytest.raises(ValueError, match="shape"):
        x.update(np.zeros(2, np.float32))
    with pytest.raises(ValueError, match="dtype"):
        x.value = np.zeros(3, np.int32)
    assert x.tolist() == [7, 8, 9]
    assert isinstance(x.to_numpy(), np.ndarray) and x.numpy().tolist() == [7, 8, 9]
    assert isinstance(x.to_jax(), jax.Array) and x.to_jax("int32").dtype == jnp.int32
    v = x.as_variable()
    assert type(v) is bm.Variable and v.tolist() == [7, 8, 9]


def test_at_returns_ndarrays_and_leaves_the_array():
    x = arr([1, 2, 3])
    y = x.at[0].set(10)
    z = x.at[bm.asarray([1, 2])].add(arr([1, 1]))
    assert type(y) is bm.ndarray and y.tolist() == [10, 2, 3] and z.tolist() == [1, 3, 4]
    assert x.tolist() == [1, 2, 3] and float(x.at[2].get()) == 3


def test_shape_helpers():
    x = arr([[1, 2], [3, 4]])
    assert x.unsqueeze(0).shape == (1, 2, 2) and x.expand_dims((0, 3)).shape == (1, 2, 2, 1)
    assert arr([1, 2]).expand_as(x).shape == (2, 2) and x.tile((1, 2)).shape == (2, 4)
    parts = bm.arange(6).split(3)
    assert [p.tolist() for p in parts] == [[0, 1], [2, 3], [4, 5]] and all(type(p) is bm.ndarray for p in parts)
    assert x.ptp().tolist() == 3 and x.ptp(axis=0).tolist() == [2, 2]
    assert x.view(4).shape == (4,) and x.view(1, 4).shape == (1, 4) and x.view((4, 1)).shape == (4, 1)
    assert x.view(bm.int32).dtype == bm.int32 and x.view(dtype="uint32").shape == (2, 2)
    assert x.clamp(2, 3).tolist() == [[2, 2], [3, 3]] and x.clamp(max=1).tolist() == [[1, 1], [1, 1]]


@pytest.mark.parametrize(("name", "dtype"), sorted(_members._CASTS.items()))
def test_casts(name, dtype):
    out = getattr(arr([1, 0]), name)()
    assert out.dtype == dtype and type(out) is bm.ndarray


def test_in_place_math_returns_the_array_and_keeps_the_dtype():
    x = arr([1, 4, 9])
    assert x.sqrt_() is x and x.tolist() == [1, 2, 3]
    x.add_(1).mul_(2)
    assert x.tolist() == [4, 6, 8] and x.dtype == bm.float32
    x.clamp_(5, 7)
    assert x.tolist() == [5, 6, 7]
    assert x.fill_(3).tolist() == [3, 3, 3] and x.zero_().tolist() == [0, 0, 0]
    i = bm.asarray([1, 2], dtype=bm.int32)
    with pytest.raises(TypeError, match="same_kind"):
        i.div_(2)
    assert i.tolist() == [1, 2]
    view = arr([1, 2, 3])
    view[1:].neg_()
    assert view.tolist() == [1, -2, -3]
    for name in _members._IN_PLACE:
        assert callable(getattr(bm.ndarray, name))


def test_str_format_round_as_numpy():
    x = arr([1.5, 2])
    assert str(x) == str(np.float32([1.5, 2])) == "[1.5 2. ]"
    s = bm.asarray(np.float32(2.345))
    assert f"{s:.2f}" == "2.35" and f"{s}" == str(s) and format(x) == "[1.5 2. ]"
    with pytest.raises(TypeError, match="0-dimensional"):
        f"{x:.2f}"
    assert round(bm.asarray(2.6)) == 3 and type(round(bm.asarray(2.6))) is int
    assert round(x).tolist() == [2, 2] and round(arr([1.234]), 2).tolist() == [pytest.approx(1.23)]
    v = bm.Variable(x)
    assert str(v) == "[1.5 2. ]" and repr(v).startswith("Variable(")


def test_left_out_members_are_absent_and_have_reasons():
    for name, reason in _members.LEFT_OUT.items():
        assert not hasattr(bm.ndarray, name), name
        assert len(reason) > 10
    for name in _members.MEMBERS:
        assert hasattr(bm.ndarray, name)


def test_brainpy_math_methods_out_of_place_and_out():
    x = arr([0.5, -0.25])
    for name in ("abs", "absolute", "sin", "cos", "tan", "sinh", "cosh", "tanh", "arcsin", "arccos", "arctan"):
        expected = getattr(np, "abs" if name == "absolute" else name)(np.asarray([0.5, -0.25], np.float32))
        r = getattr(x, name)()
        assert type(r) is bm.ndarray and r.dtype == bm.float32, name
        np.testing.assert_allclose(np.asarray(r), expected, rtol=1e-6)
        out = bm.zeros(2)
        assert getattr(x, name)(out=out) is None  # BrainPy: the result goes into out
        np.testing.assert_allclose(np.asarray(out), expected, rtol=1e-6)
    assert x.tolist() == [0.5, -0.25]
    with pytest.raises(TypeError, match="out must be"):
        x.sin(out=np.zeros(2))
    with pytest.raises(bm.MathError):
        x.sin(out=bm.Variable(bm.zeros(3)))


@pytest.mark.parametrize("name", ["sinh_", "cosh_", "arcsin_", "arccos_", "arctan_"])
def test_brainpy_in_place_math_writes_in_place(name):
    v = bm.Variable(arr([0.5, 0.25]))
    view = v[:1]
    assert getattr(v, name)() is v
    expected = getattr(np, name[:-1])(np.asarray([0.5, 0.25], np.float32))
    np.testing.assert_allclose(np.asarray(v), expected, rtol=1e-6)
    assert view.tolist() == [pytest.approx(float(expected[0]))]


def test_brainpy_products_clone_expand_compress():
    x = arr([1.0, 2.0])
    assert x.mul(3).tolist() == [3, 6] and x.multiply(3).tolist() == [3, 6] and x.pow(2).tolist() == [1, 4]
    assert bm.arange(2).mul(0.5).dtype == bm.float32
    assert x.multiply_(2) is x and x.tolist() == [2, 4]
    assert x.outer([1, 10]).tolist() == [[2, 20], [4, 40]]
    m = bm.ones((2, 2))
    assert m.addr(arr([1.0, 2.0]), arr([1.0, 1.0]), beta=2, alpha=3).tolist() == [[5, 5], [8, 8]]
    assert m.addr_(arr([1.0, 0.0]), arr([1.0, 1.0])) is m and m.tolist() == [[2, 2], [1, 1]]
    c = x.clone()
    c[0] = 0
    assert x.tolist() == [2, 4] and type(c) is bm.ndarray
    assert x.expand(3, -1).shape == (3, 2) and x.expand((2, 2)).shape == (2, 2)
    assert bm.ones((2, 1)).expand(-1, 4).shape == (2, 4)
    with pytest.raises(ValueError, match="sizes"):
        x.expand(-1, 2)
    with pytest.raises(ValueError):
        x.expand(3)
    assert x.compress([False, True]).tolist() == [4]
    assert bm.arange(6).reshape(2, 3).compress([True, False, True], axis=1).tolist() == [[0, 2], [3, 5]]
