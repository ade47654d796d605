"""A pytest plugin for the upstream array-api-tests run (``-p array_api_tests_untimed``): no timing rule can fail
a test.

The first call of an operation compiles an XLA kernel, and drawing the inputs compiles kernels too: on a loaded
machine with an empty compilation cache that takes seconds. The suite's ``--disable-deadline`` lifts Hypothesis's
per-example deadline; this plugin also suppresses the ``too_slow`` health check, which measures the time spent
drawing inputs. Nothing about what is tested changes: the same examples, the same assertions.
"""

import pytest
from hypothesis import HealthCheck, settings


@pytest.hookimpl(trylast=True)  # after the suite's conftest has registered and loaded its own profile
def pytest_configure(config):
    current = settings.default
    settings.register_profile("array-api-tests-untimed", parent=current, deadline=None,
                              suppress_health_check=[*current.suppress_health_check, HealthCheck.too_slow])
    settings.load_profile("array-api-tests-untimed")
