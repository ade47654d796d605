"""Numerical failures in linalg: singular and non-positive-definite input.

The standard leaves the result for such input unspecified (cholesky needs "symmetric positive-definite
matrices", inv and solve invertible ones). array_api_jax never answers with a silent NaN there when called
eagerly: cholesky of a matrix that is not positive definite and inv / solve / matrix_power(x, n < 0) of an exactly
singular matrix raise ValueError naming the function and the argument (choice ``numerical`` in docs/errors.md).
Everything that is well defined for singular input gives the mathematically right, finite answer: det is 0,
slogdet is (0, -inf) as the standard requires, matrix_rank counts the non-zero singular values, pinv is the
Moore-Penrose inverse, and the decompositions still reconstruct x. Under jax.jit the failure flags cannot be
read, so the results carry NaN as in jax.numpy (documented in linalg.py).
"""

import jax
import numpy as np
import pytest

import array_api_jax as xp

L = xp.linalg

RANK1 = [[1.0, 2.0], [2.0, 4.0]]
RANK2_OF_3 = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]
ZEROS = [[0.0, 0.0], [0.0, 0.0]]
PD = [[4.0, 1.0], [1.0, 3.0]]
NEGATIVE_DEFINITE = [[-2.0, 0.0], [0.0, -1.0]]
INDEFINITE = [[1.0, 2.0], [2.0, 1.0]]
PSD_SINGULAR = [[1.0, 1.0], [1.0, 1.0]]
NOT_PD_HERMITIAN = [[1 + 0j, 2j], [-2j, 1 + 0j]]

FLOATING = [xp.float32, xp.float64, xp.complex64, xp.complex128]


def host(x):
    return np.asarray(x)


def arr(values, dtype=xp.float64):
    return xp.asarray(values, dtype=dtype)


def stack(*mats, dtype=xp.float64):
    return xp.asarray(np.stack([np.asarray(m) for m in mats]), dtype=dtype)


# --- errors where the answer would be NaN or meaningless -----------------------------------------------------

FAILURES = [
    ("cholesky", lambda d: L.cholesky(arr(NEGATIVE_DEFINITE, d)), "x is not positive definite"),
    ("cholesky", lambda d: L.cholesky(arr(INDEFINITE, d)), "x is not positive definite"),
    ("cholesky", lambda d: L.cholesky(arr(PSD_SINGULAR, d)), "x is not positive definite"),
    ("cholesky", lambda d: L.cholesky(arr(ZEROS, d)), "x is not positive definite"),
    ("cholesky", lambda d: L.cholesky(arr(INDEFINITE, d), upper=True), "x is not positive definite"),
    ("cholesky", lambda d: L.cholesky(stack(PD, INDEFINITE, dtype=d)), "x is not positive definite"),
    ("inv", lambda d: L.inv(arr(RANK1, d)), "x is singular"),
    ("inv", lambda d: L.inv(arr(ZEROS, d)), "x is singular"),
    ("inv", lambda d: L.inv(arr(RANK2_OF_3, d)), "x is singular"),
    ("inv", lambda d: L.inv(stack(PD, RANK1, dtype=d)), "x is singular"),
    ("solve", lambda d: L.solve(arr(RANK1, d), arr([1.0, 2.0], d)), "x1 is singular"),
    ("solve", lambda d: L.solve(arr(ZEROS, d), arr([[1.0], [2.0]], d)), "x1 is singular"),
    ("solve", lambda d: L.solve(stack(PD, RANK1, dtype=d), arr([1.0, 2.0], d)), "x1 is singular"),
    ("matrix_power", lambda d: L.matrix_power(arr(RANK1, d), -1), "x is singular"),
    ("matrix_power", lambda d: L.matrix_power(arr(ZEROS, d), -3), "x is singular"),
]


@pytest.mark.parametrize("dtype", FLOATING, ids=lambda d: d.name)
@pytest.mark.parametrize("func, call, message", FAILURES, ids=[f"{f[0]}-{i}" for i, f in enumerate(FAILURES)])
def test_singular_or_not_positive_definite_input_raises_value_error(func, call, message, dtype):
    with pytest.raises(ValueError, match=f"^{func}: {message}"):
        call(dtype)


def test_cholesky_of_a_hermitian_matrix_that_is_not_positive_definite_raises():
    with pytest.raises(ValueError, match="cholesky: x is not positive definite"):
        L.cholesky(arr(NOT_PD_HERMITIAN, xp.complex128))


@pytest.mark.parametrize("dtype", FLOATING, ids=lambda d: d.name)
def test_the_same_functions_succeed_on_good_input(dtype):
    a = arr(PD, dtype)
    c = host(L.cholesky(a))
    np.testing.assert_allclose(c @ c.conj().T, PD, rtol=1e-5)
    np.testing.assert_allclose(host(L.inv(a)) @ np.asarray(PD), np.eye(2), atol=1e-5)
    np.testing.assert_allclose(np.asarray(PD) @ host(L.solve(a, arr([1.0, 2.0], dtype))), [1.0, 2.0], rtol=1e-5)
    np.testing.assert_allclose(host(L.matrix_power(a, -1)), np.linalg.inv(PD), rtol=1e-5)


def test_empty_matrices_are_not_failures():
    for f in (L.cholesky, L.inv):
        assert f(xp.zeros((0, 0))).shape == (0, 0)
    assert L.solve(xp.zeros((0, 0)), xp.zeros((0,))).shape == (0,)
    assert float(L.det(xp.zeros((0, 0)))) == 1.0


def test_a_failed_call_changes_nothing():
    a = arr(INDEFINITE)
    before = host(a).copy()
    with pytest.raises(ValueError):
        L.cholesky(a)
    np.testing.assert_array_equal(host(a), before)


# --- well-defined answers for singular input: finite, and the right ones -----------------------------------------


@pytest.mark.parametrize("dtype", FLOATING, ids=lambda d: d.name)
@pytest.mark.parametrize("m", [RANK1, ZEROS, RANK2_OF_3], ids=["rank1", "zeros", "rank2of3"])
def test_determinants_of_singular_matrices(m, dtype):
    a = arr(m, dtype)
    tol = 1e-4 if dtype in (xp.float32, xp.complex64) else 1e-12
    det = host(L.det(a))
    assert np.isfinite(det) and abs(det) <= tol * np.abs(m).max() ** len(m)
    sign, logabsdet = L.slogdet(a)
    sign, logabsdet = host(sign), host(logabsdet)
    assert not np.isnan(sign) and not np.isnan(logabsdet)
    if sign == 0:  # the standard: a zero determinant gives sign 0 and logabsdet -infinity
        assert logabsdet == -np.inf
    else:  # rounding left a tiny pivot: a tiny determinant
        assert logabsdet < np.log(tol * 100)


@pytest.mark.parametrize("dtype", FLOATING, ids=lambda d: d.name)
@pytest.mark.parametrize("m, rank", [(RANK1, 1), (ZEROS, 0), (RANK2_OF_3, 2), (PD, 2)])
def test_matrix_rank_of_singular_matrices(m, rank, dtype):
    assert int(L.matrix_rank(arr(m, dtype))) == rank


@pytest.mark.parametrize("dtype", FLOATING, ids=lambda d: d.name)
@pytest.mark.parametrize("m", [RANK1, ZEROS, RANK2_OF_3], ids=["rank1", "zeros", "rank2of3"])
def test_pinv_of_singular_matrices_is_the_moore_penrose_inverse(m, dtype):
    a = np.asarray(m)
    p = host(L.pinv(arr(m, dtype)))
    assert np.all(np.isfinite(p))
    tol = 1e-4 if dtype in (xp.float32, xp.complex64) else 1e-10
    np.testing.assert_allclose(a @ p @ a, a, atol=tol * 100)
    np.testing.assert_allclose(p @ a @ p, p, atol=tol * 100)
    np.testing.assert_allclose(p, np.linalg.pinv(a), atol=tol * 100)


@pytest.mark.parametrize("dtype", FLOATING, ids=lambda d: d.name)
@pytest.mark.parametrize("m", [RANK1, ZEROS, RANK2_OF_3, PSD_SINGULAR], ids=["rank1", "zeros", "rank2of3", "psd"])
def test_decompositions_of_singular_matrices_are_finite_and_reconstruct(m, dtype):
    a = np.asarray(m)
    x = arr(m, dtype)
    tol = 1e-4 if dtype in (xp.float32, xp.complex64) else 1e-10
    u, s, vh = (host(t) for t in L.svd(x, full_matrices=False))
    np.testing.assert_allclose((u * s) @ vh, a, atol=tol * 100)
    np.testing.assert_allclose(host(L.svdvals(x)), np.linalg.svd(a, compute_uv=False), atol=tol * 100)
    q, r = (host(t) for t in L.qr(x))
    np.testing.assert_allclose(q @ r, a, atol=tol * 100)
    sym = (a + a.T) / 2
    w, v = (host(t) for t in L.eigh(arr(sym, dtype)))
    np.testing.assert_allclose((v * w) @ v.conj().T, sym, atol=tol * 100)
    np.testing.assert_allclose(host(L.eigvalsh(arr(sym, dtype))), np.linalg.eigvalsh(sym), atol=tol * 100)
    for out in (u, s, vh, q, r, w, v):
        assert np.all(np.isfinite(out))


def test_eig_of_a_defective_matrix_is_finite():
    w, v = L.eig(arr([[1.0, 1.0], [0.0, 1.0]]))
    np.testing.assert_allclose(host(w), [1.0, 1.0])
    assert np.all(np.isfinite(host(v)))


def test_nearly_singular_matrices_are_inverted_like_lapack_does():
    """A tiny non-zero pivot is not an error: the (huge) inverse is finite, as in NumPy."""
    a = [[1.0, 1.0], [1.0, 1.0 + 1e-12]]
    out = host(L.inv(arr(a)))
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, np.linalg.inv(a), rtol=1e-3)


def test_non_finite_input_is_not_reported_as_a_numerical_failure():
    """NaN in, NaN out: the failure checks look at finite input only (the result is then garbage, not an error)."""
    out = host(L.cholesky(arr([[1.0, np.nan], [np.nan, 1.0]])))
    assert np.isnan(out).any()


@pytest.mark.parametrize("dtype", FLOATING)
@pytest.mark.parametrize("host_path", [True, False])
def test_cholesky_reports_failure_for_finite_input_only_on_both_paths(host_path, dtype):
    """XLA's kernel flags a factor that is not finite; the input is looked at only then, and a non-finite one (in
    any matrix of a stack) is not a failure, as on the host path, where NumPy's LAPACK call raises."""
    xp.set_host_path(host_path)
    with pytest.raises(ValueError, match="cholesky: x is not positive definite"):
        L.cholesky(arr(INDEFINITE, dtype))
    with pytest.raises(ValueError, match="cholesky: x is not positive definite"):
        L.cholesky(stack(PD, INDEFINITE, dtype=dtype))
    for bad in ([[1.0, np.nan], [np.nan, 1.0]], [[np.inf, 0.0], [0.0, 1.0]]):
        assert not np.all(np.isfinite(host(L.cholesky(arr(bad, dtype)))))
    out = host(L.cholesky(stack(INDEFINITE, [[np.nan, 0.0], [0.0, 1.0]], dtype=dtype)))
    assert not np.all(np.isfinite(out))
    np.testing.assert_allclose(host(L.cholesky(arr(PD, dtype))), np.linalg.cholesky(PD), rtol=1e-6)


# --- under jax.jit: no eager check is possible; the result carries NaN as in jax.numpy -------------------------


def test_under_jit_failures_give_nan_instead_of_raising():
    chol = jax.jit(lambda a: L.cholesky(a))(arr(INDEFINITE))
    assert np.isnan(host(chol)).any()
    inv = jax.jit(lambda a: L.inv(a))(arr(ZEROS))
    assert not np.all(np.isfinite(host(inv)))
    good = jax.jit(lambda a: L.cholesky(a))(arr(PD))
    np.testing.assert_allclose(host(good), np.linalg.cholesky(PD))


# --- non-finite input: NaN out on both paths (NumPy's LAPACK calls raise LinAlgError; XLA's give NaN) ------------

NON_FINITE_CALLS = {
    "svd": lambda a: L.svd(a), "svdvals": L.svdvals, "pinv": L.pinv, "matrix_rank": L.matrix_rank,
    "matrix_norm-2": lambda a: L.matrix_norm(a, ord=2), "matrix_norm--2": lambda a: L.matrix_norm(a, ord=-2),
    "matrix_norm-nuc": lambda a: L.matrix_norm(a, ord="nuc", keepdims=True), "eig": L.eig, "eigvals": L.eigvals,
    "eigh": L.eigh, "eigvalsh": L.eigvalsh,
}


def _on_path(values, dtype, host_path):
    saved = xp.get_host_path()
    xp.set_host_path(host_path)
    try:
        return arr(values, dtype)
    finally:
        xp.set_host_path(saved)


@pytest.mark.parametrize("dtype", FLOATING, ids=lambda d: d.name)
@pytest.mark.parametrize("bad", [np.nan, np.inf], ids=["nan", "inf"])
@pytest.mark.parametrize("name", list(NON_FINITE_CALLS))
def test_non_finite_input_gives_nan_on_both_paths(name, bad, dtype):
    """A stack of one matrix holding NaN or inf and one finite matrix: the first's results are NaN (its rank 0),
    the second's are computed, and the host path (NumPy) answers as the XLA path does instead of raising."""
    values = [[[1.0, bad], [0.0, 1.0]], [[2.0, 0.0], [0.0, 1.0]]]
    results = []
    for host_path in (True, False):
        out = NON_FINITE_CALLS[name](_on_path(values, dtype, host_path))
        results.append([host(o) for o in (out if isinstance(out, tuple) else (out,))])
    for h, x in zip(*results):
        assert h.dtype == x.dtype and h.shape == x.shape
        if h.dtype.kind in "fc":
            assert np.isnan(h[0]).all() and np.isnan(x[0]).all()
        else:
            assert h[0] == x[0] == 0
        if name not in ("eig", "eigh", "svd"):  # the vectors are defined up to a sign
            np.testing.assert_allclose(h[1], x[1], rtol=1e-5)
