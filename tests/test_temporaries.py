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
