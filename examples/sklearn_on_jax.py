"""scikit-learn on array_api_jax arrays: PCA and Ridge with ``array_api_dispatch=True``.

scikit-learn's array-API mode finds the namespace through ``X.__array_namespace__()``, so estimators that
support it (PCA, Ridge, LinearDiscriminantAnalysis, many metrics and preprocessing tools, ...) compute with
array_api_jax and return array_api_jax arrays. The results are checked against plain NumPy runs.

scikit-learn needs SciPy's array-API support switched on before SciPy is imported: ``SCIPY_ARRAY_API=1``.

Run: python examples/sklearn_on_jax.py      (needs scikit-learn: pip install -e ".[interop]")
"""

import os

os.environ.setdefault("SCIPY_ARRAY_API", "1")  # before scipy/sklearn are imported

import numpy as np  # noqa: E402


def main():
    import sklearn
    from sklearn.decomposition import PCA
    from sklearn.linear_model import Ridge

    import array_api_jax as xp

    rng = np.random.default_rng(0)
    X_host = rng.normal(size=(300, 6)) @ rng.normal(size=(6, 6))
    y_host = X_host @ np.array([1.0, -2.0, 0.5, 0.0, 3.0, 0.25]) + 0.1 * rng.normal(size=300)
    X, y = xp.asarray(X_host), xp.asarray(y_host)

    with sklearn.config_context(array_api_dispatch=True):
        pca = PCA(n_components=2, svd_solver="full").fit(X)
        projected = pca.transform(X)
        ridge = Ridge(alpha=1.0, solver="svd").fit(X, y)
        predicted = ridge.predict(X[:4, :])
        r2 = ridge.score(X, y)

    print(f"PCA   explained variance ratio {pca.explained_variance_ratio_}")
    print(f"      transform(X): {type(projected).__module__}.{type(projected).__name__} of shape "
          f"{projected.shape}, dtype {projected.dtype}")
    print(f"Ridge coef_ {ridge.coef_}")
    print(f"      intercept_ {float(ridge.intercept_):.6f}, R^2 on the training data {float(r2):.6f}")
    print(f"      predict(X[:4, :]) {predicted}")

    # the same estimators on NumPy arrays give the same numbers
    pca_np = PCA(n_components=2, svd_solver="full").fit(X_host)
    ridge_np = Ridge(alpha=1.0, solver="svd").fit(X_host, y_host)
    assert isinstance(projected, xp.Array) and isinstance(ridge.coef_, xp.Array)
    np.testing.assert_allclose(np.asarray(pca.explained_variance_ratio_), pca_np.explained_variance_ratio_,
                               rtol=1e-10)
    np.testing.assert_allclose(np.abs(np.asarray(projected)), np.abs(pca_np.transform(X_host)), rtol=1e-8,
                               atol=1e-10)
    np.testing.assert_allclose(np.asarray(ridge.coef_), ridge_np.coef_, rtol=1e-10)
    np.testing.assert_allclose(float(ridge.intercept_), ridge_np.intercept_, rtol=1e-8, atol=1e-12)
    print("PCA and Ridge on array_api_jax agree with scikit-learn on NumPy")


if __name__ == "__main__":
    main()
