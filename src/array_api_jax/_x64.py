"""Switching JAX's 64-bit mode on (the standard needs all 13 dtypes), saying so when it changes another library.

``jax_enable_x64`` is one process-wide switch. Libraries that leave it off take their default dtypes from it:
``brainpy.math.ones(2)`` is float32 with it off and float64 with it on. When such a library was imported before
this package switches the mode on, a ``RuntimeWarning`` names the cause and the ways out (the mode stays on).
"""

import sys
import warnings

import jax

# modules whose default dtypes follow jax_enable_x64 -> the way to keep their 32-bit results
AFFECTED = {
    "brainpy.math": "use array_api_jax.extras as bm (BrainPy's 32-bit defaults, with JAX's 64-bit mode on), or "
                    "pass dtype= to brainpy.math's functions",
}


def enable():
    was_on = jax.config.jax_enable_x64  # type: ignore[attr-defined]  # JAX makes its options attributes at run time
    jax.config.update("jax_enable_x64", True)
    if was_on:
        return
    for module, fix in AFFECTED.items():
        if module in sys.modules:
            warnings.warn(f"importing array_api_jax switched JAX's 64-bit mode (jax_enable_x64) on, which the array "
                          f"API standard needs; {module} was imported before and takes its default dtypes from "
                          "that mode, so its functions now return float64/int64/complex128 where they returned "
                          f"float32/int32/complex64. To keep 32-bit results, {fix}. ({module}.disable_x64() "
                          "switches the mode off again, and array_api_jax's 64-bit dtypes with it.)",
                          RuntimeWarning, stacklevel=4)


enable()
