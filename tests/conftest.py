import os

# Eight simulated CPU devices for the sharding tests; must be set before jax is imported.
os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=8")
# SciPy reads this once, on first import: the interop tests need its array-API mode, whatever imports SciPy first.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import pytest

import array_api_jax as xp
from array_api_jax import _host


@pytest.fixture(autouse=True)
def _restore_global_state():
    """Flags and default dtypes are global: every test starts and ends with the defaults."""
    xp.reset_flags()
    xp.set_default_dtypes()
    host_path = xp.get_host_path()
    yield
    xp.reset_flags()
    xp.set_default_dtypes()
    xp.set_host_path(host_path)


@pytest.fixture
def xla_path():
    """Arrays made in the test are jax.Arrays (the host path off), for tests of the XLA kernels' own machinery."""
    saved = _host.get_host_path()
    _host.set_host_path(False)
    yield
    _host.set_host_path(saved)
