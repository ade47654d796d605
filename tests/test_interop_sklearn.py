"""scikit-learn's array-API dispatch (``config_context(array_api_dispatch=True)``) on array_api_jax Arrays.

Every case fits/evaluates with Arrays and with NumPy arrays and compares the results; outputs and fitted array
attributes must be Arrays. Estimators scikit-learn does not tag ``array_api_support`` are still tried; if
they fail they are skipped with that reason. Known upstream issues (where the strict namespace is right) are
tested to fail with a clear TypeError, next to their workarounds.

scikit-learn's array-API mode needs SciPy's (SCIPY_ARRAY_API=1), read when scipy is first imported.
"""

import os

os.environ["SCIPY_ARRAY_API"] = "1"  # must precede the first import of scipy in this process

import pickle  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import array_api_jax as xp  # noqa: E402

_scipy_array_api = pytest.importorskip("scipy._lib._array_api")
if not getattr(_scipy_array_api, "SCIPY_ARRAY_API", False):
    pytest.skip("scipy was imported before SCIPY_ARRAY_API=1 was set; run this module in a fresh process",
                allow_module_level=True)

sklearn = pytest.importorskip("sklearn")

from sklearn import config_context  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis  # noqa: E402
from sklearn.kernel_approximation import Nystroem  # noqa: E402
from sklearn.linear_model import (LogisticRegression, PoissonRegressor, Ridge, RidgeClassifierCV,  # noqa: E402
                                  RidgeCV)
from sklearn.metrics import pairwise  # noqa: E402
from sklearn.mixture import GaussianMixture  # noqa: E402
from sklearn.model_selection import KFold, cross_val_predict, train_test_split  # noqa: E402
from sklearn.naive_bayes import GaussianNB  # noqa: E402
from sklearn.preprocessing import (Binarizer, KernelCenterer, LabelBinarizer, LabelEncoder,  # noqa: E402
                                   MaxAbsScaler, MinMaxScaler, Normalizer, PolynomialFeatures, StandardScaler)
from sklearn.utils import _array_api as sk_array_api  # noqa: E402

import sklearn.metrics as metrics  # noqa: E402

_rng = np.random.default_rng(0)
X = _rng.standard_normal((40, 4))
Y_CLASS = (X[:, 0] + 0.3 * _rng.standard_normal(40) > 0).astype(np.int64)
Y_MULTI = np.digitize(X[:, 1] + 0.3 * _rng.standard_normal(40), [-0.5, 0.5]).astype(np.int64)
Y_REG = X @ np.array([1.0, 2.0, 3.0, 4.0]) + 0.1 * _rng.standard_normal(40)
Y_COUNT = np.exp(Y_REG / 10)
TARGETS = {None: None, "class": Y_CLASS, "multi": Y_MULTI, "reg": Y_REG, "count": Y_COUNT}


def _input(kind):
    return X @ X.T if kind == "kernel" else X


def _np(a):
    return np.asarray(a)


def _assert_close(out, ref, rtol, atol, what):
    if isinstance(ref, (np.ndarray, np.generic)) and np.ndim(ref) > 0:
        assert isinstance(out, xp.Array), f"{what} returned {type(out).__name__}, not an array_api_jax Array"
    np.testing.assert_allclose(_np(out), np.asarray(ref), rtol=rtol, atol=atol, err_msg=what)


def _tagged(est):
    return bool(est.__sklearn_tags__().array_api_support)


def _run_or_skip_untagged(est, func):
    """Run ``func``; for an estimator scikit-learn does not tag array_api_support, any failure (an error, a
    NumPy result, a mismatch) is a skip that says so: such estimators are checked on a best-effort basis."""
    if _tagged(est):
        return func()
    try:
        return func()
    except Exception as e:  # noqa: BLE001 - any failure of an unsupported estimator
        pytest.skip(f"{type(est).__name__} is not tagged array_api_support in scikit-learn {sklearn.__version__} "
                    f"and fails on array_api_jax: {type(e).__name__}: {e}")


# --- estimators ------------------------------------------------------------------------------------------------

# id -> (estimator, target, input kind, methods, rtol)
ESTIMATORS = {
    "PCA-full": (PCA(n_components=2, svd_solver="full"), None, "X", ("transform", "inverse_transform"), 1e-8),
    "PCA-covariance_eigh": (PCA(n_components=2, svd_solver="covariance_eigh"), None, "X", ("transform",), 1e-8),
    "LinearDiscriminantAnalysis": (LinearDiscriminantAnalysis(), "multi", "X",
                                   ("predict", "predict_proba", "transform"), 1e-8),
    "Ridge": (Ridge(alpha=0.5, solver="svd"), "reg", "X", ("predict",), 1e-8),
    "RidgeCV": (RidgeCV(alphas=(0.1, 1.0, 10.0)), "reg", "X", ("predict",), 1e-8),
    "RidgeClassifierCV": (RidgeClassifierCV(alphas=(0.1, 1.0)), "class", "X", ("predict", "decision_function"),
                          1e-8),
    "LogisticRegression-lbfgs": (LogisticRegression(solver="lbfgs", tol=1e-10, max_iter=500), "multi", "X",
                                 ("predict", "predict_proba"), 1e-5),
    "PoissonRegressor": (PoissonRegressor(alpha=0.1, tol=1e-10), "count", "X", ("predict",), 1e-6),
    "GaussianNB": (GaussianNB(), "multi", "X", ("predict", "predict_proba"), 1e-8),
    "GaussianMixture-random_from_data": (GaussianMixture(n_components=2, init_params="random_from_data",
                                                         random_state=0), None, "X", ("predict_proba",), 1e-6),
    "StandardScaler": (StandardScaler(), None, "X", ("transform", "inverse_transform"), 1e-10),
    "MinMaxScaler": (MinMaxScaler(), None, "X", ("transform", "inverse_transform"), 1e-10),
    "MaxAbsScaler": (MaxAbsScaler(), None, "X", ("transform", "inverse_transform"), 1e-10),
    "Normalizer": (Normalizer(), None, "X", ("transform",), 1e-10),
    "Binarizer": (Binarizer(threshold=0.2), None, "X", ("transform",), 0),
    "KernelCenterer": (KernelCenterer(), None, "kernel", ("transform",), 1e-10),
    "PolynomialFeatures": (PolynomialFeatures(degree=2), None, "X", ("transform",), 1e-12),
    "Nystroem": (Nystroem(n_components=10, random_state=0), None, "X", ("transform",), 1e-8),
}


def _align_signs(out, ref):
    """PCA components are defined up to sign: flip the output's columns to match the reference's."""
    signs = np.sign(np.sum(out * ref, axis=0))
    return out * np.where(signs == 0, 1, signs)


@pytest.mark.parametrize("case", sorted(ESTIMATORS))
def test_estimator_on_arrays_matches_numpy(case):
    est, target, kind, methods, rtol = ESTIMATORS[case]
    data, y = _input(kind), TARGETS[target]
    fit_args = (data,) if y is None else (data, y)
    ref_est = clone(est).fit(*fit_args)

    def check():
        with config_context(array_api_dispatch=True):
            fitted = clone(est).fit(*(xp.asarray(a) for a in fit_args))
            outs = {}
            for m in methods:
                arg = data if m != "inverse_transform" else ref_est.transform(data)
                outs[m] = getattr(fitted, m)(xp.asarray(arg))
        for m, out in outs.items():
            arg = data if m != "inverse_transform" else ref_est.transform(data)
            ref = getattr(ref_est, m)(arg)
            assert isinstance(out, xp.Array), f"{case}.{m} returned {type(out).__name__}"
            o = _np(out)
            if case.startswith("PCA") and m == "transform":
                o = _align_signs(o, ref)
            np.testing.assert_allclose(o, ref, rtol=rtol, atol=1e-8, err_msg=f"{case}.{m}")
        for name, value in vars(fitted).items():  # fitted array attributes live in the input's namespace
            if name.endswith("_") and isinstance(getattr(ref_est, name, None), np.ndarray) and name != "classes_":
                assert isinstance(value, xp.Array), f"{case}.{name} is {type(value).__name__}"

    _run_or_skip_untagged(est, check)


@pytest.mark.parametrize("cls", [LabelEncoder, LabelBinarizer])
@pytest.mark.parametrize("target", ["class", "multi"])
def test_label_preprocessing(cls, target):
    y = TARGETS[target] + 3
    ref_est = cls().fit(y)

    def check():
        with config_context(array_api_dispatch=True):
            fitted = cls().fit(xp.asarray(y))
            enc = fitted.transform(xp.asarray(y))
            back = fitted.inverse_transform(enc)
        for out, ref in ((fitted.classes_, ref_est.classes_), (enc, ref_est.transform(y)), (back, y)):
            assert isinstance(out, xp.Array), type(out).__name__
            np.testing.assert_array_equal(_np(out), ref)

    _run_or_skip_untagged(cls(), check)


def test_untagged_estimators_still_fail_clearly():
    # GaussianMixture's default init_params="kmeans" is not array-API capable: scikit-learn says so itself
    with config_context(array_api_dispatch=True), pytest.raises(NotImplementedError, match="init_params"):
        GaussianMixture(n_components=2).fit(xp.asarray(X))


def test_mixed_inputs_follow_x():
    # y (NumPy) is moved to X's namespace with xp.from_dlpack(y, device=...): fitted attributes are Arrays
    with config_context(array_api_dispatch=True):
        est = Ridge(solver="svd").fit(xp.asarray(X), Y_REG)
        assert isinstance(est.coef_, xp.Array)
        pred = est.predict(xp.asarray(X))
        with pytest.raises(ValueError, match="same namespace"):
            est.predict(X)
    np.testing.assert_allclose(_np(pred), Ridge(solver="svd").fit(X, Y_REG).predict(X), rtol=1e-8)


# --- metrics --------------------------------------------------------------------------------------------------

_PROBA = 1 / (1 + np.exp(-X[:, 0]))
_PROBA_MULTI = np.exp(X[:, :3]) / np.exp(X[:, :3]).sum(axis=1, keepdims=True)
_PRED_CLASS = (X[:, 0] > 0.1).astype(np.int64)
_PRED_MULTI = np.digitize(X[:, 1], [-0.4, 0.6]).astype(np.int64)
_REG_TRUE = np.abs(Y_REG) + 0.1
_REG_PRED = np.abs(Y_REG + 0.5 * _rng.standard_normal(40)) + 0.1

# id -> (function, y_true, y_pred, keyword args)
METRICS = {
    "accuracy_score": (metrics.accuracy_score, Y_CLASS, _PRED_CLASS, {}),
    "zero_one_loss": (metrics.zero_one_loss, Y_MULTI, _PRED_MULTI, {}),
    "hamming_loss": (metrics.hamming_loss, Y_CLASS, _PRED_CLASS, {}),
    "confusion_matrix": (metrics.confusion_matrix, Y_MULTI, _PRED_MULTI, {}),
    "multilabel_confusion_matrix": (metrics.multilabel_confusion_matrix, Y_MULTI, _PRED_MULTI, {}),
    "precision_score": (metrics.precision_score, Y_CLASS, _PRED_CLASS, {}),
    "recall_score-macro": (metrics.recall_score, Y_MULTI, _PRED_MULTI, {"average": "macro"}),
    "f1_score-weighted": (metrics.f1_score, Y_MULTI, _PRED_MULTI, {"average": "weighted"}),
    "f1_score-per-class": (metrics.f1_score, Y_MULTI, _PRED_MULTI, {"average": None}),
    "fbeta_score": (metrics.fbeta_score, Y_CLASS, _PRED_CLASS, {"beta": 0.5}),
    "jaccard_score": (metrics.jaccard_score, Y_CLASS, _PRED_CLASS, {}),
    "precision_recall_fscore_support": (metrics.precision_recall_fscore_support, Y_MULTI, _PRED_MULTI, {}),
    "log_loss": (metrics.log_loss, Y_CLASS, _PROBA, {}),
    "log_loss-multiclass": (metrics.log_loss, Y_MULTI, _PROBA_MULTI, {}),
    "brier_score_loss": (metrics.brier_score_loss, Y_CLASS, _PROBA, {}),
    "d2_brier_score": (metrics.d2_brier_score, Y_CLASS, _PROBA, {}),
    "d2_log_loss_score": (metrics.d2_log_loss_score, Y_CLASS, _PROBA, {}),
    "precision_recall_curve": (metrics.precision_recall_curve, Y_CLASS, _PROBA, {}),
    "average_precision_score": (metrics.average_precision_score, Y_CLASS, _PROBA, {}),
    "roc_curve-no-drop": (metrics.roc_curve, Y_CLASS, _PROBA, {"drop_intermediate": False}),
    "det_curve": (metrics.det_curve, Y_CLASS, _PROBA, {}),
    "r2_score": (metrics.r2_score, _REG_TRUE, _REG_PRED, {}),
    "explained_variance_score": (metrics.explained_variance_score, _REG_TRUE, _REG_PRED, {}),
    "max_error": (metrics.max_error, _REG_TRUE, _REG_PRED, {}),
    "mean_absolute_error": (metrics.mean_absolute_error, _REG_TRUE, _REG_PRED, {}),
    "mean_absolute_percentage_error": (metrics.mean_absolute_percentage_error, _REG_TRUE, _REG_PRED, {}),
    "mean_squared_error": (metrics.mean_squared_error, _REG_TRUE, _REG_PRED, {}),
    "root_mean_squared_error": (metrics.root_mean_squared_error, _REG_TRUE, _REG_PRED, {}),
    "mean_squared_log_error": (metrics.mean_squared_log_error, _REG_TRUE, _REG_PRED, {}),
    "root_mean_squared_log_error": (metrics.root_mean_squared_log_error, _REG_TRUE, _REG_PRED, {}),
    "median_absolute_error": (metrics.median_absolute_error, _REG_TRUE, _REG_PRED, {}),
    "mean_pinball_loss": (metrics.mean_pinball_loss, _REG_TRUE, _REG_PRED, {"alpha": 0.3}),
    "mean_poisson_deviance": (metrics.mean_poisson_deviance, _REG_TRUE, _REG_PRED, {}),
    "mean_gamma_deviance": (metrics.mean_gamma_deviance, _REG_TRUE, _REG_PRED, {}),
    "mean_tweedie_deviance": (metrics.mean_tweedie_deviance, _REG_TRUE, _REG_PRED, {"power": 1.5}),
    "d2_tweedie_score": (metrics.d2_tweedie_score, _REG_TRUE, _REG_PRED, {"power": 1.5}),
    "d2_pinball_score": (metrics.d2_pinball_score, _REG_TRUE, _REG_PRED, {}),
    "d2_absolute_error_score": (metrics.d2_absolute_error_score, _REG_TRUE, _REG_PRED, {}),
}


def _flatten(result):
    return list(result) if isinstance(result, tuple) else [result]


@pytest.mark.parametrize("case", sorted(METRICS))
def test_metric_on_arrays_matches_numpy(case):
    func, y_true, y_pred, kwargs = METRICS[case]
    with config_context(array_api_dispatch=True):
        out = func(xp.asarray(y_true), xp.asarray(y_pred), **kwargs)
    ref = func(y_true, y_pred, **kwargs)
    outs, refs = _flatten(out), _flatten(ref)
    assert len(outs) == len(refs)
    for o, r in zip(outs, refs):
        if np.ndim(r) == 0:
            assert isinstance(o, (float, int, xp.Array)), type(o)  # scalars come back as Python numbers
        _assert_close(o, r, 1e-10, 1e-12, case)


@pytest.mark.parametrize("func", [metrics.accuracy_score, metrics.multilabel_confusion_matrix,
                                  metrics.precision_recall_fscore_support])
def test_metric_mixed_inputs_follow_y_pred(func):
    # y_true (NumPy) is moved to y_pred's namespace, through xp.from_dlpack(y_true, device=...)
    with config_context(array_api_dispatch=True):
        out = func(Y_MULTI, xp.asarray(_PRED_MULTI))
    for o, r in zip(_flatten(out), _flatten(func(Y_MULTI, _PRED_MULTI))):
        _assert_close(o, r, 1e-12, 1e-12, func.__name__)


A1, A2 = X[:10], X[10:16]
POS1, POS2 = np.abs(A1), np.abs(A2) + 0.1

# id -> (function, X, Y, keyword args)
PAIRWISE = {
    "euclidean_distances": (pairwise.euclidean_distances, A1, A2, {}),
    "euclidean_distances-squared": (pairwise.euclidean_distances, A1, A2, {"squared": True}),
    "cosine_similarity": (pairwise.cosine_similarity, A1, A2, {}),
    "cosine_distances": (pairwise.cosine_distances, A1, A2, {}),
    "manhattan_distances": (pairwise.manhattan_distances, A1, A2, {}),
    "paired_cosine_distances": (pairwise.paired_cosine_distances, A1[:6], A2, {}),
    "paired_euclidean_distances": (pairwise.paired_euclidean_distances, A1[:6], A2, {}),
    "linear_kernel": (pairwise.linear_kernel, A1, A2, {}),
    "polynomial_kernel": (pairwise.polynomial_kernel, A1, A2, {"degree": 2}),
    "rbf_kernel": (pairwise.rbf_kernel, A1, A2, {"gamma": 0.3}),
    "sigmoid_kernel": (pairwise.sigmoid_kernel, A1, A2, {}),
    "laplacian_kernel": (pairwise.laplacian_kernel, A1, A2, {}),
    "chi2_kernel": (pairwise.chi2_kernel, POS1, POS2, {}),
    "additive_chi2_kernel": (pairwise.additive_chi2_kernel, POS1, POS2, {}),
    "pairwise_distances-euclidean": (pairwise.pairwise_distances, A1, A2, {"metric": "euclidean"}),
    "pairwise_distances-cosine": (pairwise.pairwise_distances, A1, A2, {"metric": "cosine"}),
    "pairwise_distances-self": (pairwise.pairwise_distances, A1, None, {}),
    "pairwise_kernels-rbf": (pairwise.pairwise_kernels, A1, A2, {"metric": "rbf"}),
    "pairwise_kernels-poly": (pairwise.pairwise_kernels, A1, A2, {"metric": "poly", "degree": 2}),
    "pairwise_distances_argmin": (pairwise.pairwise_distances_argmin, A1, A2, {}),
}


@pytest.mark.parametrize("case", sorted(PAIRWISE))
def test_pairwise_on_arrays_matches_numpy(case):
    func, a, b, kwargs = PAIRWISE[case]
    with config_context(array_api_dispatch=True):
        out = func(xp.asarray(a), None if b is None else xp.asarray(b), **kwargs)
    ref = func(a, b, **kwargs)
    _assert_close(out, ref, 1e-9, 1e-10, case)


# --- known upstream issues: the strict namespace is right -----------------------------------------------------


def test_roc_curve_passes_diff_n_positionally():
    """roc_curve(drop_intermediate=True) calls ``xp.diff(x, 2)``; the standard's ``n`` is keyword-only."""
    with config_context(array_api_dispatch=True):
        try:
            out = metrics.roc_curve(xp.asarray(Y_CLASS), xp.asarray(_PROBA))
        except TypeError as e:
            assert "diff()" in str(e) and "positional" in str(e), str(e)
            # workaround: drop_intermediate=False never calls diff with n
            out = metrics.roc_curve(xp.asarray(Y_CLASS), xp.asarray(_PROBA), drop_intermediate=False)
            ref = metrics.roc_curve(Y_CLASS, _PROBA, drop_intermediate=False)
        else:  # fixed upstream
            ref = metrics.roc_curve(Y_CLASS, _PROBA)
    for o, r in zip(out, ref):
        _assert_close(o, r, 1e-12, 1e-12, "roc_curve")


def test_roc_auc_score_inherits_the_diff_issue():
    with config_context(array_api_dispatch=True):
        try:
            out = metrics.roc_auc_score(xp.asarray(Y_CLASS), xp.asarray(_PROBA))
        except TypeError as e:
            assert "diff()" in str(e), str(e)
            # workaround: the trapezoidal area under roc_curve(drop_intermediate=False), in the namespace
            fpr, tpr, _ = metrics.roc_curve(xp.asarray(Y_CLASS), xp.asarray(_PROBA), drop_intermediate=False)
            out = float(xp.sum(xp.diff(fpr) * (tpr[1:] + tpr[:-1])) / 2)
    assert out == pytest.approx(metrics.roc_auc_score(Y_CLASS, _PROBA), rel=1e-12)


def test_balanced_accuracy_score_true_divides_integer_counts():
    """balanced_accuracy_score divides the integer confusion matrix with ``/``; int/int is not in the standard."""
    ref = metrics.balanced_accuracy_score(Y_MULTI, _PRED_MULTI)
    with config_context(array_api_dispatch=True):
        yt, yp = xp.asarray(Y_MULTI), xp.asarray(_PRED_MULTI)
        try:
            out = metrics.balanced_accuracy_score(yt, yp)
        except TypeError as e:
            assert str(e).startswith("divide:") and "int64" in str(e), str(e)
            # workarounds: float sample weights make the confusion matrix floating-point; or macro recall
            out = metrics.balanced_accuracy_score(yt, yp, sample_weight=xp.ones(yt.shape[0]))
            assert metrics.recall_score(yt, yp, average="macro") == pytest.approx(ref, rel=1e-12)
    assert out == pytest.approx(ref, rel=1e-12)


# --- model selection -----------------------------------------------------------------------------------------


def test_train_test_split():
    with config_context(array_api_dispatch=True):
        parts = train_test_split(xp.asarray(X), xp.asarray(Y_REG), test_size=0.25, random_state=0)
    ref = train_test_split(X, Y_REG, test_size=0.25, random_state=0)
    for o, r in zip(parts, ref):
        assert isinstance(o, xp.Array)
        np.testing.assert_array_equal(_np(o), r)


@pytest.mark.parametrize("est, y, method", [(Ridge(solver="svd"), Y_REG, "predict"),
                                            (LinearDiscriminantAnalysis(), Y_CLASS, "predict_proba")],
                         ids=["Ridge-predict", "LDA-predict_proba"])
def test_cross_val_predict(est, y, method):
    with config_context(array_api_dispatch=True):
        out = cross_val_predict(est, xp.asarray(X), xp.asarray(y), cv=KFold(4), method=method)
    ref = cross_val_predict(est, X, y, cv=KFold(4), method=method)
    assert isinstance(out, xp.Array)
    np.testing.assert_allclose(_np(out), ref, rtol=1e-8, atol=1e-10)


# --- fitted estimators: to NumPy, and pickled ----------------------------------------------------------------


def _to_numpy(est):
    if hasattr(sk_array_api, "move_estimator_to"):
        return sk_array_api.move_estimator_to(est, np, None)
    return sk_array_api._estimator_with_converted_arrays(est, np.asarray)


def _fit_lda():
    with config_context(array_api_dispatch=True):
        return LinearDiscriminantAnalysis().fit(xp.asarray(X), xp.asarray(Y_MULTI))


def test_fitted_estimator_moved_to_numpy():
    lda = _fit_lda()
    lda_np = _to_numpy(lda)
    assert isinstance(lda.coef_, xp.Array) and isinstance(lda_np.coef_, np.ndarray)
    out = lda_np.predict_proba(X)  # plain NumPy, no dispatch needed
    assert isinstance(out, np.ndarray)
    with config_context(array_api_dispatch=True):
        expected = lda.predict_proba(xp.asarray(X))
    np.testing.assert_allclose(out, _np(expected), rtol=1e-10)


def test_fitted_estimator_moved_back_to_array_api_jax():
    if not hasattr(sk_array_api, "move_estimator_to"):
        pytest.skip(f"scikit-learn {sklearn.__version__} has no move_estimator_to")
    lda_np = LinearDiscriminantAnalysis().fit(X, Y_MULTI)
    x = xp.asarray(X)
    lda = sk_array_api.move_estimator_to(lda_np, xp, x.device)
    assert isinstance(lda.coef_, xp.Array)
    with config_context(array_api_dispatch=True):
        out = lda.predict_proba(x)
    np.testing.assert_allclose(_np(out), lda_np.predict_proba(X), rtol=1e-10)


@pytest.mark.parametrize("to_numpy", [False, True], ids=["arrays", "numpy"])
def test_fitted_estimator_pickles(to_numpy):
    lda = _fit_lda()
    est = _to_numpy(lda) if to_numpy else lda
    loaded = pickle.loads(pickle.dumps(est))
    assert type(loaded.coef_) is type(est.coef_)
    if to_numpy:
        out = loaded.predict_proba(X)
    else:
        with config_context(array_api_dispatch=True):
            out = loaded.predict_proba(xp.asarray(X))
        assert isinstance(out, xp.Array)
    np.testing.assert_allclose(_np(out), LinearDiscriminantAnalysis().fit(X, Y_MULTI).predict_proba(X), rtol=1e-8)
