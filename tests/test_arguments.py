"""The argument policies of ``_validate``: one integer policy for every integer argument.

A 0-D integer Array (and a NumPy integer) is accepted wherever the standard takes an ``int`` (array_api_strict
and NumPy accept it through ``__index__``), and gives the same result as the Python int; a bool is refused. The
refusals, one per normaliser, are rows of the error catalogue (tests/test_errors.py, section "arguments").
"""

import jax
import numpy as np
import pytest

import array_api_jax as xp

m = xp.reshape(xp.arange(6.0), (2, 3))
c = xp.asarray([1 + 0j, 2, 3, 4])

# name -> call taking the integer argument ``k`` (a Python int, a NumPy integer or a 0-D integer Array)
CALLS = {
    "sum axis": lambda k: xp.sum(m, axis=k),
    "argmax axis": lambda k: xp.argmax(m, axis=k),
    "flip axis": lambda k: xp.flip(m, axis=k),
    "concat axis": lambda k: xp.concat([m, m], axis=k),
    "sort axis": lambda k: xp.sort(m, axis=k),
    "cumulative_sum axis": lambda k: xp.cumulative_sum(m, axis=k),
    "expand_dims axis": lambda k: xp.expand_dims(m, axis=k),
    "squeeze axis": lambda k: xp.squeeze(xp.ones((1, 1)), axis=k),
    "stack axis": lambda k: xp.stack([m, m], axis=k),
    "moveaxis": lambda k: xp.moveaxis(m, k, 0),
    "roll shift": lambda k: xp.roll(m, k),
    "reshape shape": lambda k: xp.reshape(m, (k, -1)),
    "zeros shape": lambda k: xp.zeros((k, 2)),
    "tile repetitions": lambda k: xp.tile(m, (k, 1)),
    "repeat repeats": lambda k: xp.repeat(m, k),
    "eye n_rows k": lambda k: xp.eye(k + 1, k=k),
    "tril k": lambda k: xp.tril(m, k=k),
    "triu k": lambda k: xp.triu(m, k=k),
    "linspace num": lambda k: xp.linspace(0.0, 1.0, k),
    "diff n": lambda k: xp.diff(m, n=k),
    "take axis": lambda k: xp.take(m, xp.asarray([0]), axis=k),
    "matrix_power n": lambda k: xp.linalg.matrix_power(xp.eye(2), k),
    "diagonal offset": lambda k: xp.linalg.diagonal(m, offset=k),
    "tensordot axes": lambda k: xp.tensordot(m, m, axes=((k,), (k,))),
    "fft n": lambda k: xp.fft.fft(c, n=k),
    "fftfreq n": lambda k: xp.fft.fftfreq(k),
}


@pytest.mark.parametrize("name", list(CALLS))
@pytest.mark.parametrize("kind", [np.int64, xp.asarray, lambda k: xp.asarray(k, dtype=xp.uint8)],
                         ids=["numpy-int", "0-D-array", "0-D-uint8-array"])
def test_an_integer_argument_takes_any_integer_with_index(name, kind):
    expected = np.asarray(CALLS[name](1))
    got = np.asarray(CALLS[name](kind(1)))
    assert got.shape == expected.shape and np.array_equal(got, expected)


@pytest.mark.parametrize("name", list(CALLS))
def test_an_integer_argument_refuses_a_bool(name):
    with pytest.raises(TypeError, match="must be an int"):
        CALLS[name](True)


# arange and linspace bounds: a Python scalar or a 0-D array of this namespace, taken by value; the result's dtype
# promotes the arrays' dtypes with the scalars (SciPy writes xp.arange(1, n + 1, dtype=n.dtype) with a 0-D n)
@pytest.mark.parametrize("call, dtype, values", [
    (lambda: xp.arange(1, xp.asarray(4.0, dtype=xp.float32) + 1), xp.float32, [1, 2, 3, 4]),
    (lambda: xp.arange(xp.asarray(3, dtype=xp.int8)), xp.int8, [0, 1, 2]),
    (lambda: xp.arange(xp.asarray(3, dtype=xp.int8), xp.asarray(5, dtype=xp.int16)), xp.int16, [3, 4]),
    (lambda: xp.arange(xp.asarray(3.0), dtype=xp.int32), None, None),   # float bounds, integer dtype: TypeError
    (lambda: xp.arange(xp.asarray(2), dtype=xp.float32), xp.float32, [0, 1]),
    (lambda: xp.linspace(xp.asarray(0.0, dtype=xp.float32), 1, 3), xp.float32, [0, 0.5, 1]),
    (lambda: xp.linspace(0, xp.asarray(4), 3), xp.float64, [0, 2, 4]),   # integer bounds: the default float
    (lambda: xp.linspace(1j, xp.asarray(2.0, dtype=xp.float32), 2), xp.complex64, [1j, 2]),
    (lambda: xp.arange(np.prod((2, 3)) * 3), xp.int64, list(range(18))),   # a NumPy integer, as for integer args
    (lambda: xp.arange(np.int8(1), 3.5), xp.float64, [1, 2, 3]),
    (lambda: xp.linspace(np.int32(0), 4, 3), xp.float64, [0, 2, 4]),
    (lambda: xp.arange(3, dtype=xp.complex128), xp.complex128, [0, 1, 2]),   # any numeric dtype (the standard's)
], ids=["arange-float32", "arange-int8", "arange-promoted", "arange-float-to-int", "arange-dtype",
        "linspace-float32", "linspace-int", "linspace-complex", "arange-np-int64", "arange-np-int8",
        "linspace-np-int32", "arange-complex-dtype"])
def test_arange_and_linspace_take_0d_array_bounds(call, dtype, values):
    if dtype is None:
        with pytest.raises(TypeError, match="arange: float arguments cannot produce an integer dtype"):
            call()
        return
    out = call()
    assert out.dtype == dtype and np.allclose(np.asarray(out), values)


@pytest.mark.parametrize("call, message", [
    (lambda: xp.arange(xp.asarray([3])), r"arange: start must be a Python scalar or a 0-D .* shape \(1,\)"),
    (lambda: xp.arange(xp.asarray(True)), "arange: start must be .* dtype bool"),
    (lambda: xp.arange(xp.asarray(1j)), "arange: start must be .* dtype complex128"),
    (lambda: xp.arange(0.5, xp.asarray(3)), "arange: a Python float start cannot be combined with .* int64"),
    (lambda: xp.arange(np.float32(3)), "arange: start must be an int or float, got float32"),
    (lambda: xp.arange(np.bool_(True)), "arange: start must be an int or float, got bool"),
    (lambda: xp.linspace(xp.asarray([0.0]), 1, 3), "linspace: start must be a Python scalar or a 0-D numeric"),
    (lambda: jax.jit(lambda n: xp.arange(n))(xp.asarray(3)), "arange: start is an array traced by a JAX"),
], ids=["arange-1d", "arange-bool", "arange-complex", "arange-mixed-kinds", "arange-np-float32", "arange-np-bool",
        "linspace-1d", "arange-traced"])
def test_arange_and_linspace_refuse_other_array_bounds(call, message):
    with pytest.raises(TypeError, match=message):
        call()
