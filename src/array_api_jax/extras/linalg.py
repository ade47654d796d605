"""NumPy-style linear algebra: every function of jax.numpy.linalg, with extras.ndarray results."""

import jax.numpy as _jnp

from ._namespace import export as _export

_EXCLUDED = {}  # every jax.numpy.linalg function is wrapped
_NAMESPACE = _export(_jnp.linalg, _EXCLUDED, __name__)
globals().update(_NAMESPACE)
__all__ = sorted(_NAMESPACE)
