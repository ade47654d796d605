"""NumPy-style linear algebra: every function of jax.numpy.linalg, with extras.ndarray results."""

import jax.numpy as _jnp

from ._namespace import export as _export

EXCLUDED = {}  # every jax.numpy.linalg function is wrapped
globals().update(_export(_jnp.linalg, EXCLUDED, __name__))
