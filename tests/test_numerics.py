"""Accuracy and special cases that the host path (NumPy) and the XLA path (jax.numpy) each got wrong their own way.

Every test runs on both paths (the ``path`` fixture) and checks the standard's answer, or, for accuracy, an error
bound against an exact reference (math.fsum, float64 or a longer computation).
"""

import math
import warnings

import numpy as np
import pytest

import array_api_jax as xp


@pytest.fixture(params=["host", "xla"])
def path(request):
    """Arrays made in the test are host values ("host") or jax.Arrays ("xla")."""
    saved = xp.get_host_path()
    xp.set_host_path(request.param == "host")
    yield request.param
    xp.set_host_path(saved)


def same(out, expected):
    """Equal values, NaN equal to NaN and the sign of zero compared."""
    out, expected = np.asarray(out), np.asarray(expected, dtype=np.asarray(out).dtype)
    np.testing.assert_array_equal(out, expected)
    parts = [(out.real, expected.real), (out.imag, expected.imag)] if out.dtype.kind == "c" else [(out, expected)]
    for o, e in parts:
        np.testing.assert_array_equal(np.signbit(o) & ~np.isnan(o), np.signbit(e) & ~np.isnan(e))


def ulp_error(value, exact, dtype):
    return abs(float(value) - exact) / float(np.spacing(np.asarray(abs(exact), dtype)))


# --- pow: x ** 0.5 is not sqrt(x) ---------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [xp.float32, xp.float64], ids=lambda d: d.name)
@pytest.mark.parametrize("exponent", [
    lambda d: 0.5, lambda d: xp.asarray(0.5, dtype=d), lambda d: xp.asarray([0.5], dtype=d),
    lambda d: xp.full(3, 0.5, dtype=d),
], ids=["python-float", "0-D", "shape-1", "full"])
def test_pow_one_half_follows_pow_special_cases_not_sqrt(path, exponent, dtype):
    """The standard (C99 pow): (-0) ** 0.5 is +0 and (-inf) ** 0.5 is +inf, where sqrt gives -0 and NaN. NumPy
    takes its sqrt shortcut for a scalar-like exponent 0.5."""
    x = xp.asarray([-math.inf, -0.0, 4.0], dtype=dtype)
    expected = [math.inf, 0.0, 2.0]
    same(xp.pow(x, exponent(dtype)), expected)
    same(x ** exponent(dtype), expected)


# --- log1p of small complex numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [xp.complex64, xp.complex128], ids=lambda d: d.name)
@pytest.mark.parametrize("z", [1e-17 + 0j, 1e-7 + 0j, 1e-7 + 1e-7j, -1e-8 + 2e-8j, -0.3 + 0.4j, 3 + 4j, -1 + 1e-5j])
def test_complex_log1p_is_accurate_near_zero(path, z, dtype):
    """log1p(z) for |z| small is z - z**2/2 + ...: NumPy's complex log1p is log(1 + z), which gave 0 for
    1e-17 and was 19% off for complex64 1e-7."""
    z = complex(np.asarray(z, np.dtype(dtype.name)))
    exact = complex(np.log1p(np.float64(z.real) * (2 + z.real) + z.imag * z.imag) / 2
                    if abs(z) < 0.5 else math.log(abs(1 + z)), math.atan2(z.imag, 1 + z.real))
    out = complex(xp.log1p(xp.asarray(z, dtype=dtype)))
    eps = float(np.finfo(np.dtype(dtype.name)).eps)
    assert abs(out - exact) <= 4 * eps * abs(exact), (out, exact)


# --- accumulations in float32 -----------------------------------------------------------------------------------


def test_float32_cumulative_sum_is_accurate(path):
    """2**17 times 0.1 in float32: a sequential sum is 13,907 ULP off; the result must be within a few ULP."""
    n = 2**17
    x = xp.full(n, 0.1, dtype=xp.float32)
    exact = math.fsum([float(np.float32(0.1))] * n)
    assert ulp_error(xp.cumulative_sum(x)[-1], exact, np.float32) <= 4
    c = xp.cumulative_sum(xp.astype(x, xp.complex64))
    assert ulp_error(xp.real(c)[-1], exact, np.float32) <= 4


def test_float32_matmul_is_accurate(path):
    """(1, n) @ (n, 1) in float32: BLAS's float32 accumulation was 325 ULP off."""
    n = 2**16
    x = xp.full(n, 0.1, dtype=xp.float32)
    exact = math.fsum([float(np.float32(0.1)) ** 2] * n)
    assert ulp_error((xp.reshape(x, (1, n)) @ xp.reshape(x, (n, 1)))[0, 0], exact, np.float32) <= 4


@pytest.mark.parametrize("values, expected", [
    ([0.0, 3e38, 3e38, 2.0], [0.0, 0.0, 0.0, 0.0]),
    ([3e38, 3e38, 0.0, 1.0], [3e38, math.inf, 0.0, 0.0]),
    ([-0.0, 3e38, -3e38, 2.0], [-0.0, -0.0, 0.0, 0.0]),
    ([0.0, 3e38, math.inf, 1.0], [0.0, 0.0, math.nan, math.nan]),
])
def test_float32_cumulative_prod_keeps_a_zero_after_an_overflow(path, values, expected):
    """A prefix holding a zero and only finite factors has the product zero (as prod says): the pairwise scan
    gave NaN for [0, 3e38, 3e38, 2] (inf * 0), a sequential one for [3e38, 3e38, 0]."""
    same(xp.cumulative_prod(xp.asarray(values, dtype=xp.float32)), np.asarray(expected, np.float32))


# --- Python floats beyond float32's range -------------------------------------------------------------------


CALLS_WITH_A_HUGE_FLOAT = {
    "add": lambda x: x + 1e300,
    "radd": lambda x: -1e300 - x,
    "compare": lambda x: x < 1e300,
    "full": lambda x: xp.full(3, 1e300, dtype=xp.float32),
    "full-large": lambda x: xp.full(5000, 1e300, dtype=xp.float32),
    "full_like": lambda x: xp.full_like(x, -1e300),
    "asarray": lambda x: xp.asarray([1e300], dtype=xp.float32),
}


@pytest.mark.parametrize("name", list(CALLS_WITH_A_HUGE_FLOAT))
def test_a_python_float_beyond_float32_is_inf_without_warning(path, name):
    """XLA converts 1e300 to float32 inf silently; NumPy warned (and raised under np.seterr(all="raise"))."""
    x = xp.zeros(3, dtype=xp.float32)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        out = np.asarray(CALLS_WITH_A_HUGE_FLOAT[name](x))
    assert out.dtype in (np.float32, np.bool_)
    assert np.all(np.isinf(out)) if out.dtype == np.float32 else np.all(out)


def test_assigning_a_python_float_beyond_float32_is_inf_without_warning(path):
    x = xp.zeros(3, dtype=xp.float32)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        x[0] = 1e300
    assert float(x[0]) == math.inf


# --- the XLA path's kernels (jax.numpy) -------------------------------------------------------------------------


def test_floor_divide_of_a_zero_quotient_is_plus_zero(path):
    """floor(-1.0 / -2.5) = floor(0.4) is +0 (XLA gave -0)."""
    same(xp.floor_divide(xp.asarray([-1.0, 1.0, -0.0]), xp.asarray([-2.5, 2.5, 2.5])), [0.0, 0.0, -0.0])
    same(xp.asarray(-1.0, dtype=xp.float32) // -2.5, 0.0)


def test_complex_zero_to_a_power_with_positive_real_part_is_zero(path):
    """As exp(x2 * log(x1)): 0 ** (1 + 1j) is 0 (XLA gave NaN)."""
    for dtype in (xp.complex64, xp.complex128):
        same(xp.pow(xp.zeros(2, dtype=dtype), xp.asarray([1 + 1j, 2.5 + 0j], dtype=dtype)), [0j, 0j])
        same(xp.asarray(0j, dtype=dtype) ** (1 + 1j), 0j)


@pytest.mark.parametrize("name", ["sinh", "cosh"])
def test_float32_hyperbolic_functions_are_accurate_up_to_overflow(path, name):
    """XLA's float32 sinh and cosh were 13-23 ULP off for |x| in 88-89.4."""
    x = np.asarray([-89.4, -88.7, 10.0, 20.0, 88.0, 88.5, 89.0, 89.4, 0.5], np.float32)
    out = np.asarray(getattr(xp, name)(xp.asarray(x)))
    exact = getattr(np, name)(x.astype(np.float64))
    assert np.all(np.abs(out - exact) <= np.spacing(np.abs(exact).astype(np.float32))), (out, exact)


@pytest.mark.parametrize("name", ["sinh", "cosh"])
def test_float64_hyperbolic_functions_are_accurate_up_to_overflow(path, name):
    """XLA's float64 sinh and cosh were 10 ULP off at 88.7 (and near 710); the C library's are within 1."""
    x = np.asarray([-710.4, -88.7, 21.0, 88.7, 300.0, 709.0, 710.0, 0.5])
    out = np.asarray(getattr(xp, name)(xp.asarray(x)))
    exact = getattr(np, name)(x)
    assert np.all(np.abs(out - exact) <= 2 * np.spacing(np.abs(exact))), (out - exact) / np.spacing(exact)


def test_complex_sign_is_correctly_rounded(path):
    """x / |x| component-wise: NumPy's complex64 division gave sign(-2.5-2.5j) 1 ULP off and sign(3.4e38) as
    0.99999994."""
    x = xp.asarray([-2.5 - 2.5j, 3.4028235e38 + 0j, 3 + 4j, 0j], dtype=xp.complex64)
    same(xp.sign(x), np.asarray([-0.70710677 - 0.70710677j, 1 + 0j, 0.6 + 0.8j, 0j], np.complex64))


@pytest.mark.parametrize("dtype", [xp.complex64, xp.complex128], ids=lambda d: d.name)
@pytest.mark.parametrize("name", ["sinh", "cosh", "sin", "cos"])
def test_complex_hyperbolic_and_circular_functions_are_accurate_for_small_parts(path, name, dtype):
    """XLA's complex sinh cancels for a small real part: complex64 sin(1e-7j) was 19% off."""
    z = np.asarray([1e-7j, 1e-7 + 0j, 1e-3 + 1e-3j, 1e-10 + 1j, 1 + 1e-10j, 0.5 + 0.5j, 3 - 2j],
                   np.dtype(dtype.name))
    out = np.asarray(getattr(xp, name)(xp.asarray(z))).astype(np.complex128)
    exact = getattr(np, name)(z.astype(np.complex128))
    eps = float(np.finfo(np.dtype(dtype.name)).eps)
    np.testing.assert_array_less(np.abs(out - exact), 16 * eps * np.abs(exact))
