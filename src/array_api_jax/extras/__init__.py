"""array_api_jax.extras: a NumPy-style namespace over jax.numpy whose arrays are ``extras.ndarray``.

``import array_api_jax.extras as bm`` gives every name of the strict namespace plus the jax.numpy surface
beyond the standard, all with NumPy's semantics (promotion, parameter names, methods) and results that are
``ndarray``. The wrappers are generated from a table over jax.numpy (see ``_namespace``); ``EXCLUDED`` says
which jax.numpy names are deliberately left out, and why.
"""

from importlib.util import find_spec

from .. import e, inf, nan, newaxis, pi  # noqa: F401 - the strict namespace's
from .._dtypes import (bool, complex64, complex128, float32, float64, int8, int16, int32, int64,  # noqa: A004
                       uint8, uint16, uint32, uint64)
from ._namespace import EXCLUDED, NAMESPACE
from . import _members  # noqa: F401 - installs brainpy.math.Array's members on ndarray
from ._ndarray import ndarray

globals().update(NAMESPACE)

from . import fft, linalg  # noqa: E402 - submodules use the names above

if find_spec(f"{__name__}.random") is not None:  # extras/random.py is written separately
    from . import random  # noqa: F401

from ._settings import __all__ as _SETTINGS_NAMES  # noqa: E402
from ._settings import (__array_namespace_info__, disable_x64, enable_x64, get_complex, get_float,  # noqa: E402
                        get_int, get_platform, set_complex, set_float, set_host_device_count, set_int, set_platform)
from ._state import __all__ as _STATE_NAMES  # noqa: E402
from ._state import MathError, TrainVar, Variable, VarDict, VarList, var_dict, var_list  # noqa: E402, F401
from ._transforms import __all__ as _TRANSFORM_NAMES  # noqa: E402
from ._transforms import (cond, for_loop, grad, hessian, ifelse, jacfwd, jacobian, jacrev, jit,  # noqa: E402, F401
                          scan, value_and_grad, vector_grad, while_loop)

__all__ = sorted([*NAMESPACE, "ndarray", "fft", "linalg", "__array_namespace_info__", "e", "inf",
                  "nan", "newaxis", "pi", "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                  "uint64", "float32", "float64", "complex64", "complex128"]
                 + (["random"] if "random" in globals() else []) + _STATE_NAMES + _TRANSFORM_NAMES
                 + [n for n in _SETTINGS_NAMES if n != "__array_namespace_info__"])
