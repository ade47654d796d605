"""pytest plugin for ``make peer-tests``: run a library's own array-API tests on one chosen namespace.

``PEER_NAMESPACE=array_api_jax`` (the default) or ``array_api_strict``, for a side-by-side comparison. The plugin
only adds array_api_jax to each library's own parametrization of its backends, as a backend of its own; the tests,
their markers and their tolerances are the libraries' own.

- scikit-learn parametrizes its array-API tests, its estimator checks (``sklearn/tests/test_common.py``)
  included, by ``yield_namespaces()`` and ``yield_namespace_device_dtype_combinations()``: they yield the chosen
  namespace only, and array_api_jax at every dtype that array_api_strict gets (float64 and float32, on its
  default device: array_api_strict's float32 run is on its second device).
- SciPy's ``xp`` fixture is parametrized by backend modules (``SCIPY_ARRAY_API='["array_api_strict"]'`` keeps
  array_api_strict's parameter): for array_api_jax that parameter becomes array_api_jax, which SciPy's
  ``np_only``/``cpu_only``/``eager_only`` markers then treat as any non-NumPy CPU backend (markers naming
  array_api_strict do not apply to it). The test ids keep the name array_api_strict.
- array-api-extra parametrizes its ``library`` fixture by its ``Backend`` enum: array_api_jax becomes one more
  member, ``Backend.ARRAY_API_JAX`` (test id ``array_api_jax``), which its ``xp`` and ``device`` fixtures treat
  as any other backend and its markers naming array_api_strict do not touch.
"""

import functools
import os

import pytest

NAME = os.environ.get("PEER_NAMESPACE", "array_api_jax")
if NAME not in ("array_api_jax", "array_api_strict"):
    raise ValueError(f"PEER_NAMESPACE must be array_api_jax or array_api_strict, got {NAME!r}")
JAX = NAME == "array_api_jax"
# scikit-learn's (device, dtype) runs of array_api_jax: array_api_strict's dtypes, on the default device
SKLEARN_PLACEMENTS = ((None, "float64"), (None, "float32"))


def pytest_sessionstart(session):
    """The peer suites run on JAX's default devices: this project's tests/conftest.py, if pytest loaded it,
    simulates 8 CPU devices, on which SciPy's device= arguments commit every array to XLA (10x slower)."""
    if "xla_force_host_platform_device_count" in os.environ.get("XLA_FLAGS", ""):
        raise pytest.UsageError("peer_plugin: XLA_FLAGS simulates several CPU devices (XLA_FLAGS="
                                f"{os.environ['XLA_FLAGS']!r}); unset it, and run the installed suites outside the "
                                "repository root with -c tools/peer_pytest.ini, as make peer-tests does")


def _sklearn_namespaces(include_numpy_namespaces=True):
    yield NAME


def _sklearn_combinations(include_numpy_namespaces=True):
    from sklearn.utils import _array_api

    if not JAX:
        yield from _array_api._peer_originals["combinations"](include_numpy_namespaces)
        return
    for device_name, dtype_name in SKLEARN_PLACEMENTS:
        yield NAME, device_name, dtype_name


def _sklearn_mixed_permutations():
    """scikit-learn's pairs of namespaces for mixed inputs, array_api_jax (default device) in array_api_strict's
    place."""
    from sklearn.utils import _array_api

    for *pair, description in _array_api._peer_originals["mixed"]():
        if JAX:
            pair = [_array_api.NamespaceAndDevice(NAME, None) if p.xp == "array_api_strict" else p for p in pair]
            description = description.replace("array_api_strict", NAME)
        yield *pair, description


def _sklearn_array_api_checks(estimator, only_numpy=False):
    """scikit-learn's array-API estimator checks, its check_array_api_same_namespace (which names
    array_api_strict) on the chosen namespace."""
    from sklearn.utils import estimator_checks

    for check in estimator_checks._peer_original_checks(estimator, only_numpy=only_numpy):
        if isinstance(check, functools.partial) and check.keywords.get("array_namespace") == "array_api_strict":
            check = functools.partial(check.func, *check.args, **{**check.keywords, "array_namespace": NAME})
        yield check


def _patch_sklearn():
    """The test modules and the estimator checks import these functions by name: patch every copy (the test
    modules import them after this, at collection)."""
    try:
        from sklearn.utils import _array_api, estimator_checks
    except ImportError:
        return
    if not hasattr(_array_api, "_peer_originals"):
        _array_api._peer_originals = {"combinations": _array_api.yield_namespace_device_dtype_combinations,
                                      "mixed": _array_api.yield_mixed_namespace_input_permutations}
        estimator_checks._peer_original_checks = estimator_checks._yield_array_api_checks
    for module in (_array_api, estimator_checks):
        module.yield_namespaces = _sklearn_namespaces
        module.yield_namespace_device_dtype_combinations = _sklearn_combinations
        module.yield_mixed_namespace_input_permutations = _sklearn_mixed_permutations
    estimator_checks._yield_array_api_checks = _sklearn_array_api_checks


def _extend_xpx_backends():
    """Add ``Backend.ARRAY_API_JAX`` to array-api-extra's enum before its conftest parametrizes ``library``."""
    try:
        from array_api_extra._lib._backends import Backend
    except ImportError:
        return
    if "ARRAY_API_JAX" in Backend._member_map_:
        return
    member = object.__new__(Backend)
    member._name_, member._value_ = "ARRAY_API_JAX", "array_api_jax"
    member.__objclass__ = Backend
    Backend._member_map_["ARRAY_API_JAX"] = member
    Backend._member_names_.append("ARRAY_API_JAX")
    Backend._value2member_map_["array_api_jax"] = member
    type.__setattr__(Backend, "ARRAY_API_JAX", member)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    """Before pytest imports the conftest.py files of the paths it was given (array-api-extra's among them)."""
    if JAX:
        _extend_xpx_backends()


def pytest_configure(config):
    _patch_sklearn()


def pytest_plugin_registered(plugin, manager):
    known = getattr(plugin, "xp_known_backends", None)  # SciPy's conftest
    if JAX and isinstance(known, set):
        known.add("array_api_jax")


def pytest_collection_modifyitems(session, config, items):
    if not JAX:
        return
    import array_api_jax
    import array_api_strict

    for item in items:  # SciPy: the module parameter of its xp fixture (the test ids keep the name)
        params = getattr(getattr(item, "callspec", None), "params", {})
        if params.get("xp") is array_api_strict:
            params["xp"] = array_api_jax
