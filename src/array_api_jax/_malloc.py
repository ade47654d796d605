"""Freed buffers stay with the process: glibc's malloc is told to keep freed memory for the next buffers.

The host path computes with NumPy, whose buffers come from malloc. By default glibc gives freed memory back to
the kernel as soon as more than twice its current mmap threshold (at most 64 MiB) lies free at the top of its
heap, and after that a call making buffers of the same sizes again takes fresh pages from the kernel, which zeroes
each one on its first touch. Library code on data of 10**6 elements and more makes and frees tens of megabytes of
temporaries per call, so it faulted in 80 MB of fresh pages per `isclose` of 100,000x20 values, every call; and
on a virtual machine a fresh page costs from a fraction of a microsecond to many times that, from one process to
the next (the kernel's time in that `isclose` measured 12-76 ms). Keeping freed memory for the next buffers costs
no more memory than the program's peak, and only up to a sixteenth of the machine's memory (at most 1 GiB, see
``thresholds``) stays once the program frees it.

Applied once, at import, on Linux with glibc, unless the environment says otherwise:
``ARRAY_API_JAX_KEEP_FREED_MEMORY=0`` leaves malloc as it is, and so does any of glibc's own malloc settings in
the environment (``MALLOC_TRIM_THRESHOLD_``, ``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_TOP_PAD_``, ``MALLOC_MMAP_MAX_``,
or ``glibc.malloc.*`` in ``GLIBC_TUNABLES``): the user chose those. ``KEPT`` says what was done and why.
"""

import ctypes
import os
import platform

GLIBC_MMAP_MAX = 32 << 20  # the largest mapping threshold of glibc's own adjustment (and of older glibc's mallopt)


def _memory_size():
    """The machine's memory, or the container's limit where that is smaller (cgroup v2, then v1)."""
    size = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    for limit in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            with open(limit) as f:
                size = min(size, int(f.read().strip()))
        except (OSError, ValueError):  # no such file, or "max"
            pass
    return size


def thresholds(memory_size):
    """(mmap threshold, trim threshold) for a machine of ``memory_size`` bytes: malloc keeps a sixteenth of the
    memory, from 64 MiB (glibc's own largest) to 1 GiB, and takes buffers of up to a quarter of that from its heap
    (at least glibc's 32 MiB), so that the memory it keeps can make the next large buffers: a buffer above the
    mapping threshold gets fresh pages however much freed memory the heap holds."""
    trim = max(64 << 20, min(1 << 30, memory_size // 16))
    return max(GLIBC_MMAP_MAX, trim // 4), trim


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
        try:
            mallopt = ctypes.CDLL(None).mallopt
        except (OSError, AttributeError):  # pragma: no cover - a process without glibc's symbols in reach
            KEPT[:] = [False, "mallopt not found"]
            return False
        mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
        mmap, trim = thresholds(_memory_size())
        # setting either parameter ends glibc's own adjustment of both; older glibc versions refuse a mapping
        # threshold above 32 MiB
        if mallopt(_M_MMAP_THRESHOLD, mmap) != 1:  # pragma: no cover - an older glibc
            mmap = GLIBC_MMAP_MAX if mallopt(_M_MMAP_THRESHOLD, GLIBC_MMAP_MAX) == 1 else None
        if mmap is not None and mallopt(_M_TRIM_THRESHOLD, trim) == 1:
            KEPT[:] = [True, f"malloc keeps up to {trim >> 20} MiB of freed memory, and makes buffers of up to "
                             f"{mmap >> 20} MiB from it"]
        else:  # pragma: no cover - a glibc refusing these values
            KEPT[:] = [False, "mallopt refused the values"]
    return KEPT[0]
