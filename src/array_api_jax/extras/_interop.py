"""BrainPy's conversion helpers (``as_jax``, ``as_numpy``, ``as_variable``) and default-dtype getters (``dftype``).

NumPy or jax data given to them converts as ``asarray`` converts it: a 64-bit array becomes its 32-bit
counterpart while extras' defaults are 32-bit (as in BrainPy, whose JAX runs in 32-bit mode).
"""

import numpy as np
from jax import lax

from .._array import Array
from ._namespace import NAMESPACE
from ._ndarray import DEFAULTS, _concrete, dtype_arg, unwrap

__all__ = ["as_jax", "as_device_array", "as_numpy", "as_ndarray", "from_numpy", "as_variable", "dftype", "ditype"]


def as_jax(tensor, dtype=None):
    """The value as a jax array (cast to ``dtype`` when given)."""
    if isinstance(tensor, Array):
        v = tensor._jax()  # a host value's jax.Array (see array_api_jax._host)
        return v if dtype is None else lax.convert_element_type(v, dtype_arg(dtype, "as_jax"))
    return NAMESPACE["asarray"](tensor, dtype=dtype)._jax()


def as_numpy(tensor, dtype=None):
    """The values as a NumPy array (cast to ``dtype`` when given)."""
    if isinstance(tensor, Array):
        return np.asarray(_concrete(tensor._data(), "as_numpy"), dtype=dtype)
    return np.asarray(unwrap(tensor), dtype=dtype)


def as_variable(tensor, dtype=None):
    """A new Variable holding ``tensor`` (``Variable(tensor, dtype)``)."""
    from ._state import Variable

    return Variable(tensor, dtype=dtype)


def dftype():
    """extras' default floating dtype (BrainPy's older name for ``get_float()``)."""
    return DEFAULTS["real floating"]


def ditype():
    """extras' default integer dtype (BrainPy's older name for ``get_int()``)."""
    return DEFAULTS["integral"]


as_device_array, as_ndarray, from_numpy = as_jax, as_numpy, as_numpy
