"""Reductions with NaN: the standard wants NaN out of max and min whenever a NaN goes in."""

import numpy as np

import array_api_jax as xp


def test_min_and_max_propagate_nan_in_large_arrays():
    """XLA's CPU min/max reductions lose NaNs in arrays of some thousands of elements (found by array-api-extra's
    searchsorted tests); the standard wants NaN."""
    rng = np.random.default_rng(0)
    for n in (10, 10_001, 70_000):
        a = np.sort(np.where(rng.random(n) < 0.1, np.nan, rng.random(n)))
        x = xp.asarray(a)
        assert np.isnan(float(xp.min(x))) and np.isnan(float(xp.max(x)))
        assert np.isnan(float(xp.min(x, axis=-1, keepdims=True)[0]))
        b = xp.asarray(a[~np.isnan(a)])
        assert float(xp.min(b)) == np.min(a[~np.isnan(a)])
