"""array_api_jax.extras: a NumPy-style namespace over jax.numpy whose arrays are ``extras.ndarray``.

``import array_api_jax.extras as bm`` gives every name of the strict namespace plus the jax.numpy surface
beyond the standard, all with NumPy's semantics (promotion, parameter names, methods) and results that are
``ndarray``. The wrappers are generated from a table over jax.numpy (see ``_namespace``, whose ``EXCLUDED`` says
which jax.numpy names are deliberately left out, and why).
"""

import sys as _sys

from .. import e, inf, nan, newaxis, pi  # noqa: F401 - the strict namespace's
from .._dtypes import (bool, complex64, complex128, float32, float64, int8, int16, int32, int64,  # noqa: A004
                       uint8, uint16, uint32, uint64)
from .. import _surface
from ._namespace import NAMESPACE as _NAMESPACE
from . import _members  # noqa: F401 - installs brainpy.math.Array's members on ndarray
from ._ndarray import ndarray

globals().update(_NAMESPACE)

from . import fft, linalg, random  # noqa: E402 - submodules use the names above

from ._settings import __all__ as _SETTINGS_NAMES  # noqa: E402
from ._settings import (__array_namespace_info__, disable_x64, enable_x64, get_complex, get_float,  # noqa: E402
                        get_int, get_platform, set_complex, set_float, set_host_device_count, set_int, set_platform)
from ._state import __all__ as _STATE_NAMES  # noqa: E402
from ._state import (MathError, Parameter, TrainVar, Variable, VariableView, VarDict, VarList,  # noqa: E402, F401
                     var_dict, var_list)
from ._transforms import __all__ as _TRANSFORM_NAMES  # noqa: E402
from ._transforms import (cond, for_loop, functional_vector_grad, grad, hessian, ifelse, jacfwd,  # noqa: E402, F401
                          jacobian, jacrev, jit, scan, value_and_grad, vector_grad, while_loop)
from ._interop import __all__ as _INTEROP_NAMES  # noqa: E402
from ._interop import (as_device_array, as_jax, as_ndarray, as_numpy, as_variable, dftype, ditype,  # noqa: E402, F401
                       from_numpy)

__all__ = sorted([*_NAMESPACE, "ndarray", "fft", "linalg", "random", "__array_namespace_info__", "e", "inf",
                  "nan", "newaxis", "pi", *_surface.DTYPE_NAMES] + _STATE_NAMES + _TRANSFORM_NAMES + _INTEROP_NAMES
                 + [n for n in _SETTINGS_NAMES if n != "__array_namespace_info__"])

# __all__, __dir__ and __module__ (array_api_jax.extras.Variable, not extras._state.Variable) for each module
for _module, _names in ((_sys.modules[__name__], __all__), (fft, fft.__all__), (linalg, linalg.__all__),
                        (random, random.__all__)):
    _surface.declare(_module, _names)
del _module, _names
