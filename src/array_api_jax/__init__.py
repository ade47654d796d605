"""array_api_jax: a strict, mutable Python Array API standard (2025.12) namespace over JAX arrays.

Importing it enables JAX's 64-bit mode (``jax_enable_x64``), because the standard requires all 13 dtypes,
and, on Linux with glibc, tells malloc to keep freed memory (up to a sixteenth of the machine's, at most 1 GiB)
for later buffers instead of returning it to the kernel (``ARRAY_API_JAX_KEEP_FREED_MEMORY=0`` leaves malloc
alone; see docs/host-path.md).
"""

import importlib.metadata as _metadata
import sys as _sys

from . import _x64  # noqa: F401  (enables x64 before anything else touches JAX; warns if that changes brainpy.math)
from . import _dispatch  # noqa: F401
from . import _malloc
from ._array import Array
from ._constants import *  # noqa: F403
from ._creation import *  # noqa: F403
from ._data_types import *  # noqa: F403
from ._elementwise import *  # noqa: F403
from ._flags import flags, get_flags, reset_flags, set_flags
from ._host import get_host_path, set_host_path
from ._take import *  # noqa: F403
from ._inspection import __array_namespace_info__, set_default_dtypes
from ._linear_algebra import *  # noqa: F403
from ._manipulation import *  # noqa: F403
from ._searching import *  # noqa: F403
from ._set import *  # noqa: F403
from ._sorting import *  # noqa: F403
from ._statistical import *  # noqa: F403
from ._utility import *  # noqa: F403
from . import fft, linalg  # noqa: E402

_malloc.keep_freed_memory()  # glibc's malloc keeps freed buffers for the next ones (see _malloc)

from ._dtypes import DTYPES as _DTYPES, PUBLIC as _PUBLIC_DTYPES  # noqa: E402

# the standard's 13 dtype objects (in the order of _dtypes.DTYPES)
(bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64,  # noqa: A001
 float32, float64, complex64, complex128) = (_PUBLIC_DTYPES[d] for d in _DTYPES)

__array_api_version__ = "2025.12"

try:  # the version is written once, in pyproject.toml
    __version__ = _metadata.version("array-api-jax")
except _metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

# the declared surface (_surface.ADDITIONS): __all__, __dir__ and __module__, the main namespace first so that
# names it shares with linalg (matmul, tensordot, ...) belong to it
from . import _surface  # noqa: E402

for _module in (_sys.modules[__name__], linalg, fft):
    _surface.declare(_module, _surface.public_names(_module.__name__))
del _module

# docstrings from the standard's text and this library's notes (_docs)
from . import _docs  # noqa: E402

_docs.install(_sys.modules[__name__], linalg, fft, Array)
