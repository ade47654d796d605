"""One function, three array libraries: NumPy, array_api_strict and array_api_jax.

``ridge_on_standardized`` is written against the Python Array API standard only: it asks its input for its
namespace (``X.__array_namespace__()``) and uses nothing else. The same code runs on NumPy arrays, on
array_api_strict arrays (the reference implementation, which rejects anything outside the standard) and on
array_api_jax arrays, where it can also be compiled with ``jax.jit``.

Run: python examples/backend_agnostic.py
"""

import numpy as np


def ridge_on_standardized(X, y, alpha=0.1):
    """Standardize the columns of X, form their covariance and solve the ridge normal equations.

    Returns (column means, covariance of the standardized columns, ridge coefficients).
    """
    xp = X.__array_namespace__()
    n, d = X.shape
    mu = xp.mean(X, axis=0)
    sd = xp.std(X, axis=0, correction=1)
    Z = (X - mu) / sd
    cov = (Z.T @ Z) / (n - 1)
    rhs = Z.T @ xp.reshape(y - xp.mean(y), (n, 1)) / (n - 1)
    coef = xp.linalg.solve(cov + alpha * xp.eye(d, dtype=X.dtype), rhs)
    return mu, cov, xp.reshape(coef, (d,))


def libraries():
    """(name, namespace) for every library that is installed."""
    import array_api_jax

    libs = [("numpy", np)]
    try:
        import array_api_strict
    except ImportError:
        print("(array_api_strict is not installed: pip install array-api-strict)")
    else:
        libs.append(("array_api_strict", array_api_strict))
    libs.append(("array_api_jax", array_api_jax))
    return libs


def main():
    import jax

    rng = np.random.default_rng(0)
    X_host = rng.normal(size=(500, 4)) @ rng.normal(size=(4, 4)) + np.array([1.0, -2.0, 0.0, 5.0])
    y_host = X_host @ np.array([0.5, -1.0, 2.0, 0.0]) + 0.1 * rng.normal(size=500)

    results = {}
    for name, xp in libraries():
        X, y = xp.asarray(X_host), xp.asarray(y_host)
        mu, cov, coef = ridge_on_standardized(X, y)
        print(f"{name:24} result type  {type(coef).__module__}.{type(coef).__name__}")
        print(f"{'':24} means        {np.round(np.asarray(mu), 4)}")
        print(f"{'':24} coefficients {np.round(np.asarray(coef), 4)}")
        results[name] = [np.asarray(r) for r in (mu, cov, coef)]

    import array_api_jax as xp

    jitted = jax.jit(ridge_on_standardized)(xp.asarray(X_host), xp.asarray(y_host))
    results["array_api_jax under jax.jit"] = [np.asarray(r) for r in jitted]
    print(f"{'array_api_jax + jax.jit':24} coefficients {np.round(results['array_api_jax under jax.jit'][2], 4)}")

    reference = results["numpy"]
    for name, values in results.items():
        for ref, got in zip(reference, values):
            np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-12, err_msg=name)
    print(f"all {len(results)} results agree with NumPy to 1e-10")


if __name__ == "__main__":
    main()
