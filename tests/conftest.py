import pytest

import array_api_jax as xp


@pytest.fixture(autouse=True)
def _restore_global_state():
    """Flags and default dtypes are global: every test starts and ends with the defaults."""
    xp.reset_flags()
    xp.set_default_dtypes()
    yield
    xp.reset_flags()
    xp.set_default_dtypes()
