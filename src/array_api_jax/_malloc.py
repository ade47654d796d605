"""Freed buffers stay with the process: glibc's malloc is told to keep up to ``TRIM_THRESHOLD`` of freed memory.

The host path computes with NumPy, whose buffers come from malloc. By default glibc gives freed memory back to
the kernel as soon as more than twice its current mmap threshold (at most 64 MiB) lies free at the top of its
heap, and after that a call making buffers of the same sizes again takes fresh pages from the kernel, which zeroes
each one on its first touch. Library code on data of 10**6 elements and more makes and frees tens of megabytes of
temporaries per call, so it faulted in 80 MB of fresh pages per `isclose` of 100,000x20 values, every call; and
on a virtual machine a fresh page costs from a fraction of a microsecond to many times that, from one process to
the next (the kernel's time in that `isclose` measured 12-76 ms). Keeping freed memory for the next buffers costs
no more memory than the program's peak, and only up to ``TRIM_THRESHOLD`` of it stays once the program frees it.

Applied once, at import, on Linux with glibc, unless the environment says otherwise:
``ARRAY_API_JAX_KEEP_FREED_MEMORY=0`` leaves malloc as it is, and so does any of glibc's own malloc settings in
the environment (``MALLOC_TRIM_THRESHOLD_``, ``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_TOP_PAD_``, ``MALLOC_MMAP_MAX_``,
or ``glibc.malloc.*`` in ``GLIBC_TUNABLES``): the user chose those. ``KEPT`` says what was done and why.
"""

import ctypes
import os
import platform

TRIM_THRESHOLD = 256 << 20  # freed memory at the top of the heap that malloc keeps (glibc: 2 x the mmap threshold)
# buffers of up to this size come from the heap, and are reused once freed; larger ones are mapped and unmapped
# each time, as by default. 32 MiB is glibc's largest allowed value, which its own adjustment reaches too.
MMAP_THRESHOLD = 32 << 20
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameter numbers (malloc.h)
_USERS_SETTINGS = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_MAX_")
SWITCH = "ARRAY_API_JAX_KEEP_FREED_MEMORY"

KEPT = [False, "not applied yet"]  # [whether malloc keeps freed memory, why (not)]


def keep_freed_memory(environ=os.environ):
    """Tell glibc's malloc to keep freed memory (see the module's docstring); ``KEPT`` records the outcome."""
    if environ.get(SWITCH, "").lower() in ("0", "false", "no", "off"):
        KEPT[:] = [False, f"{SWITCH} is off"]
    elif users := [name for name in _USERS_SETTINGS if name in environ] or (
            ["GLIBC_TUNABLES"] if "glibc.malloc." in environ.get("GLIBC_TUNABLES", "") else []):
        KEPT[:] = [False, f"the environment sets malloc's own parameters ({', '.join(users)})"]
    elif platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        KEPT[:] = [False, "not Linux with glibc"]
    else:
        mallopt = ctypes.CDLL(None).mallopt
        mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
        # the mmap threshold first: setting either parameter ends glibc's own adjustment of both
        if mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1:
            KEPT[:] = [True, f"malloc keeps up to {TRIM_THRESHOLD >> 20} MiB of freed memory"]
        else:  # pragma: no cover - a glibc refusing these values
            KEPT[:] = [False, "mallopt refused the values"]
    return KEPT[0]
