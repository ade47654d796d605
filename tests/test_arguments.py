"""The argument policies of ``_validate``: one integer policy for every integer argument.

A 0-D integer Array (and a NumPy integer) is accepted wherever the standard takes an ``int`` (array_api_strict
and NumPy accept it through ``__index__``), and gives the same result as the Python int; a bool is refused. The
refusals, one per normaliser, are rows of the error catalogue (tests/test_errors.py, section "arguments").
"""

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
