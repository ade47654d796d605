"""SciPy's array-API mode (SCIPY_ARRAY_API=1) on array_api_jax Arrays, compared with NumPy inputs.

SciPy reads SCIPY_ARRAY_API once, when it is first imported: this module sets it before importing scipy and
skips itself when scipy was already imported without it (run it in its own process, or first).
Functions SciPy marks as NumPy-only (``np_only`` in its capabilities table) are skipped with that reason.
"""

import os

os.environ["SCIPY_ARRAY_API"] = "1"  # must precede the first import of scipy in this process

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import array_api_jax as xp  # noqa: E402

pytest.importorskip("scipy")
_scipy_array_api = pytest.importorskip("scipy._lib._array_api")
if not getattr(_scipy_array_api, "SCIPY_ARRAY_API", False):
    pytest.skip("scipy was imported before SCIPY_ARRAY_API=1 was set; run this module in a fresh process",
                allow_module_level=True)

import scipy  # noqa: E402
import scipy.cluster.vq  # noqa: E402
import scipy.fft  # noqa: E402
import scipy.integrate  # noqa: E402
import scipy.ndimage  # noqa: E402
import scipy.signal  # noqa: E402
import scipy.special  # noqa: E402
import scipy.stats  # noqa: E402

special, stats, fft, signal, ndimage = scipy.special, scipy.stats, scipy.fft, scipy.signal, scipy.ndimage
CAPABILITIES = getattr(_scipy_array_api, "xp_capabilities_table", {})

_rng = np.random.default_rng(0)
A = _rng.standard_normal(30)
B = _rng.standard_normal(25) + 0.5
POS = np.abs(A) + 0.5
UNIT = np.clip(POS / 5, 0.01, 0.99)
M = _rng.standard_normal((6, 5))
INTS = np.array([1, 5, 2, 8, 3, 3])

# id -> (function, positional args (NumPy arrays become Arrays), keyword args)
CASES = {
    # special
    "special.erf": (special.erf, (A,), {}),
    "special.erfc": (special.erfc, (A,), {}),
    "special.gammaln": (special.gammaln, (POS,), {}),
    "special.ndtr": (special.ndtr, (A,), {}),
    "special.ndtri": (special.ndtri, (UNIT,), {}),
    "special.log_ndtr": (special.log_ndtr, (A,), {}),
    "special.expit": (special.expit, (A,), {}),
    "special.logit": (special.logit, (UNIT,), {}),
    "special.xlogy": (special.xlogy, (POS, UNIT), {}),
    "special.entr": (special.entr, (UNIT,), {}),
    "special.rel_entr": (special.rel_entr, (UNIT, UNIT[::-1]), {}),
    "special.i0": (special.i0, (A,), {}),
    "special.betainc": (special.betainc, (POS, POS[::-1], UNIT), {}),
    "special.stdtr": (special.stdtr, (POS, A), {}),
    "special.logsumexp": (special.logsumexp, (M,), {"axis": 0}),
    "special.softmax": (special.softmax, (M,), {"axis": 1}),
    "special.log_softmax": (special.log_softmax, (M,), {"axis": 1}),
    # stats
    "stats.zscore": (stats.zscore, (M,), {"axis": 0}),
    "stats.zmap": (stats.zmap, (A[:5], B), {}),
    "stats.moment": (stats.moment, (A,), {"order": 3}),
    "stats.skew": (stats.skew, (A,), {}),
    "stats.kurtosis": (stats.kurtosis, (M,), {"axis": 1}),
    "stats.variation": (stats.variation, (POS,), {}),
    "stats.sem": (stats.sem, (A,), {}),
    "stats.gmean": (stats.gmean, (POS,), {}),
    "stats.hmean": (stats.hmean, (POS,), {}),
    "stats.pmean": (stats.pmean, (POS, 2.0), {}),
    "stats.tmean": (stats.tmean, (A, (-1.0, 1.0)), {}),
    "stats.tvar": (stats.tvar, (A,), {}),
    "stats.describe": (stats.describe, (A,), {}),
    "stats.ttest_ind": (stats.ttest_ind, (A, B), {}),
    "stats.ttest_1samp": (stats.ttest_1samp, (A, 0.5), {}),
    "stats.pearsonr": (stats.pearsonr, (A[:25], B), {}),
    "stats.entropy": (stats.entropy, (POS,), {}),
    "stats.differential_entropy": (stats.differential_entropy, (A,), {}),
    "stats.chisquare": (stats.chisquare, (POS,), {}),
    "stats.rankdata": (stats.rankdata, (A,), {}),
    "stats.iqr": (stats.iqr, (A,), {}),
    "stats.trim_mean": (stats.trim_mean, (A, 0.1), {}),
    "stats.spearmanr": (stats.spearmanr, (A[:25], B), {}),
    # fft
    "fft.fft": (fft.fft, (A,), {}),
    "fft.ifft": (fft.ifft, (A,), {}),
    "fft.rfft": (fft.rfft, (A,), {}),
    "fft.irfft": (fft.irfft, (A,), {}),
    "fft.fftn": (fft.fftn, (M,), {}),
    "fft.dct": (fft.dct, (A,), {}),
    "fft.idct": (fft.idct, (A,), {}),
    "fft.fftshift": (fft.fftshift, (A,), {}),
    # signal
    "signal.convolve": (signal.convolve, (A, B), {}),
    "signal.convolve-int": (signal.convolve, (INTS, INTS), {}),
    "signal.correlate": (signal.correlate, (A, B), {}),
    "signal.fftconvolve": (signal.fftconvolve, (A, B), {}),
    "signal.oaconvolve": (signal.oaconvolve, (A, B), {}),
    "signal.lfilter": (signal.lfilter, (np.array([0.5, 0.5]), np.array([1.0]), A), {}),
    "signal.sosfilt": (signal.sosfilt, (np.array([[0.5, 0.5, 0.0, 1.0, 0.0, 0.0]]), A), {}),
    "signal.detrend": (signal.detrend, (A,), {}),
    "signal.medfilt": (signal.medfilt, (A, 3), {}),
    "signal.hilbert": (signal.hilbert, (A,), {}),
    "signal.savgol_filter": (signal.savgol_filter, (A, 5, 2), {}),
    "signal.welch": (signal.welch, (A,), {"nperseg": 8}),
    "signal.periodogram": (signal.periodogram, (A,), {}),
    # ndimage
    "ndimage.gaussian_filter": (ndimage.gaussian_filter, (M, 1.0), {}),
    "ndimage.uniform_filter": (ndimage.uniform_filter, (M, 3), {}),
    "ndimage.median_filter": (ndimage.median_filter, (M, 3), {}),
    "ndimage.maximum_filter": (ndimage.maximum_filter, (M, 3), {}),
    "ndimage.sobel": (ndimage.sobel, (M,), {}),
    "ndimage.laplace": (ndimage.laplace, (M,), {}),
    "ndimage.convolve": (ndimage.convolve, (M, np.full((3, 3), 1 / 9)), {}),
    "ndimage.zoom": (ndimage.zoom, (M, 2.0), {}),
    "ndimage.shift": (ndimage.shift, (M, 1.5), {}),
    "ndimage.center_of_mass": (ndimage.center_of_mass, (POS[:25].reshape(5, 5),), {}),
    # cluster, integrate
    "cluster.vq.whiten": (scipy.cluster.vq.whiten, (M,), {}),
    "integrate.trapezoid": (scipy.integrate.trapezoid, (A,), {}),
    "integrate.trapezoid-x": (scipy.integrate.trapezoid, (A, np.linspace(0.0, 1.0, 30)), {}),
    "integrate.cumulative_trapezoid": (scipy.integrate.cumulative_trapezoid, (A,), {"dx": 0.5}),
    "integrate.simpson": (scipy.integrate.simpson, (A,), {}),
}


def _to_xp(value):
    return xp.asarray(value) if isinstance(value, np.ndarray) else value


def _outputs(result):
    """The arrays of a result: a tuple's items, a result object's statistic/pvalue, or the result itself."""
    if hasattr(result, "statistic") and hasattr(result, "pvalue"):
        return [result.statistic, result.pvalue]
    if isinstance(result, tuple):
        return list(result)
    return [result]


def _skip_if_numpy_only(func, case):
    caps = CAPABILITIES.get(func)
    if caps is not None and caps.get("np_only"):
        pytest.skip(f"{case}: SciPy {scipy.__version__} marks it NumPy-only (np_only), so it converts "
                    "array_api_jax inputs to NumPy instead of dispatching")


@pytest.mark.parametrize("case", sorted(CASES))
def test_scipy_on_arrays_matches_numpy(case):
    func, args, kwargs = CASES[case]
    _skip_if_numpy_only(func, case)
    xargs = tuple(_to_xp(a) for a in args)
    out = func(*xargs, **kwargs)
    ref = func(*args, **kwargs)
    outs, refs = _outputs(out), _outputs(ref)
    assert len(outs) == len(refs)
    for o, r in zip(outs, refs):
        if isinstance(r, (np.ndarray, np.generic)):
            assert isinstance(o, xp.Array), f"{case} returned {type(o).__name__}"
            assert o.shape == np.shape(r)
        np.testing.assert_allclose(np.asarray(o), np.asarray(r), rtol=1e-10, atol=1e-12)
    for a, x in zip(args, xargs):  # a library must not have written into its inputs
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(np.asarray(x), a)


def test_scipy_uses_the_arrays_namespace():
    from scipy._lib._array_api import array_namespace

    assert array_namespace(xp.asarray([1.0])).__name__ in (xp.__name__, "scipy._lib.array_api_compat.array_api_jax")


# SciPy passes integer arrays straight to functions the standard defines for floating-point inputs only. The
# strict namespace refuses them with a TypeError naming its function; cast first (xp.astype(x, xp.float64)).
INTEGER_INPUT_CASES = {
    "stats.skew": (stats.skew, "mean"),
    "stats.gmean": (stats.gmean, "log"),
    "fft.fft": (fft.fft, "fft"),
    "integrate.trapezoid": (scipy.integrate.trapezoid, "multiply"),
}


@pytest.mark.parametrize("case", sorted(INTEGER_INPUT_CASES))
def test_scipy_integer_inputs_show_the_strict_error(case):
    func, name = INTEGER_INPUT_CASES[case]
    _skip_if_numpy_only(func, case)
    x = xp.asarray(INTS)
    try:
        out = func(x)
    except TypeError as e:
        assert str(e).startswith(f"{name}:"), str(e)
    else:  # a SciPy that casts first is fine too
        np.testing.assert_allclose(np.asarray(out), func(INTS.astype(np.float64)), rtol=1e-10)
        return
    out = func(xp.astype(x, xp.float64))  # the workaround
    assert isinstance(out, xp.Array)
    np.testing.assert_allclose(np.asarray(out), func(INTS.astype(np.float64)), rtol=1e-10)
