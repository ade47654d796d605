"""pytest plugin for ``make peer-tests``: run a library's own array-API tests on one chosen namespace.

``PEER_NAMESPACE=array_api_jax`` (the default) or ``array_api_strict``, for a side-by-side comparison. The plugin
only chooses the namespace; the tests, their markers and their tolerances are the libraries' own.

- scikit-learn parametrizes its array-API tests by ``sklearn.utils._array_api.yield_namespaces()``: it yields
  the chosen namespace only.
- SciPy's ``xp`` fixture is parametrized by backend modules (``SCIPY_ARRAY_API='["array_api_strict"]'`` keeps
  array_api_strict's parameter): for array_api_jax that parameter becomes array_api_jax, which SciPy's
  ``np_only``/``cpu_only``/``eager_only`` markers then treat as any non-NumPy CPU backend (markers naming
  array_api_strict do not apply to it). The test ids keep the name array_api_strict.
- array-api-extra's ``xp`` fixture follows its ``library`` parameter: for array_api_jax, the ``array_api_strict``
  parameter's ``xp`` is array_api_jax's namespace (the ``library`` fixture, with its markers, is unchanged).
"""

import os

import pytest

NAME = os.environ.get("PEER_NAMESPACE", "array_api_jax")
if NAME not in ("array_api_jax", "array_api_strict"):
    raise ValueError(f"PEER_NAMESPACE must be array_api_jax or array_api_strict, got {NAME!r}")
JAX = NAME == "array_api_jax"


def _namespace():
    import array_api_jax

    return array_api_jax.asarray(0).__array_namespace__()


def pytest_sessionstart(session):
    """The peer suites run on JAX's default devices: this project's tests/conftest.py, if pytest loaded it,
    simulates 8 CPU devices, on which SciPy's device= arguments commit every array to XLA (10x slower)."""
    if "xla_force_host_platform_device_count" in os.environ.get("XLA_FLAGS", ""):
        raise pytest.UsageError("peer_plugin: XLA_FLAGS simulates several CPU devices (XLA_FLAGS="
                                f"{os.environ['XLA_FLAGS']!r}); unset it, and run the installed suites outside the "
                                "repository root with -c tools/peer_pytest.ini, as make peer-tests does")


def pytest_configure(config):
    try:
        from sklearn.utils import _array_api
    except ImportError:
        return
    _array_api.yield_namespaces = lambda include_numpy_namespaces=True: iter([NAME])


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


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef, request):
    """array-api-extra: its ``xp`` fixture for the array_api_strict backend gives array_api_jax's namespace."""
    if not JAX or fixturedef.argname != "xp" or "library" not in fixturedef.argnames:
        return None
    library = request.getfixturevalue("library")
    if getattr(library, "value", None) != "array_api_strict":
        return None
    ns = _namespace()
    fixturedef.cached_result = (ns, fixturedef.cache_key(request), None)
    return ns
