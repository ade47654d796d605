"""NumPy-style discrete Fourier transforms: every function of jax.numpy.fft, with extras.ndarray results."""

import jax.numpy as _jnp

from ._namespace import export as _export

EXCLUDED = {}  # every jax.numpy.fft function is wrapped
globals().update(_export(_jnp.fft, EXCLUDED, __name__))
