import os

# Eight simulated CPU devices for the sharding tests; must be set before jax is imported.
os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=8")
# SciPy reads this once, on first import: the interop tests need its array-API mode, whatever imports SciPy first.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import pytest

import array_api_jax as xp
import array_api_jax.extras as bm


@pytest.fixture(autouse=True)
def _restore_global_state():
    """Flags and default dtypes (of both namespaces) are global: every test starts and ends with the defaults."""
    xp.reset_flags()
    xp.set_default_dtypes()
    bm.disable_x64()
    yield
    xp.reset_flags()
    xp.set_default_dtypes()
    bm.disable_x64()
