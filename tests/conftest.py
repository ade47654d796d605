import os

# Eight simulated CPU devices for the sharding tests; must be set before jax is imported.
os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=8")
# SciPy reads this once, on first import: the interop tests need its array-API mode, whatever imports SciPy first.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import pytest
from hypothesis import HealthCheck, settings

import array_api_jax as xp
import array_api_jax.extras as bm
from array_api_jax import _host

# Hypothesis profiles. "deterministic" (the default, used by `make test` and CI): the same examples on every run
# (derandomize, no example database), and no timing rule can fail a test, because the first call of an operation
# compiles a kernel and takes as long as the machine's load makes it. "fuzz" (`make fuzz`): new random examples on
# every run, to find what the fixed ones miss. Choose with HYPOTHESIS_PROFILE=... or --hypothesis-profile=....
_TIMING_FREE = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("deterministic", derandomize=True, database=None, print_blob=True, **_TIMING_FREE)
settings.register_profile("fuzz", derandomize=False, print_blob=True, **_TIMING_FREE)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


@pytest.fixture(autouse=True)
def _restore_global_state():
    """Flags and default dtypes (of both namespaces) are global: every test starts and ends with the defaults."""
    xp.reset_flags()
    xp.set_default_dtypes()
    bm.disable_x64()
    host_path = xp.get_host_path()
    yield
    xp.reset_flags()
    xp.set_default_dtypes()
    bm.disable_x64()
    xp.set_host_path(host_path)


@pytest.fixture
def xla_path():
    """Arrays made in the test are jax.Arrays (the host path off), for tests of the XLA kernels' own machinery."""
    saved = _host.get_host_path()
    _host.set_host_path(False)
    yield
    _host.set_host_path(saved)
