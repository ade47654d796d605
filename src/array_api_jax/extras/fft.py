"""NumPy-style discrete Fourier transforms: every function of jax.numpy.fft, with extras.ndarray results."""

import jax.numpy as _jnp

from ._namespace import export as _export

_EXCLUDED = {}  # every jax.numpy.fft function is wrapped
_NAMESPACE = _export(_jnp.fft, _EXCLUDED, __name__)
globals().update(_NAMESPACE)
__all__ = sorted(_NAMESPACE)
