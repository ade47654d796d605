"""glibc's malloc keeps freed memory for the next buffers (``_malloc``), unless the environment says otherwise.

Each case runs in a fresh interpreter: malloc's parameters belong to the process. What is measured is malloc's own
account (``mallinfo2``): the free memory it holds after 64 MiB of NumPy buffers are made and freed.
"""

import ctypes
import json
import os
import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc"
    or not hasattr(ctypes.CDLL(None), "mallinfo2"), reason="glibc's malloc (2.33 or later) only")

PROGRAM = """
import ctypes, json, sys
import numpy as np
if sys.argv[1] == "import":
    import array_api_jax
    from array_api_jax import _malloc
    kept = _malloc.KEPT
else:
    kept = None

class Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                      "fsmblks", "uordblks", "fordblks", "keepcost")]

mallinfo2 = ctypes.CDLL(None).mallinfo2
mallinfo2.restype = Mallinfo2
buffers = [np.ones(1 << 20) for _ in range(8)]  # 8 x 8 MiB, each touched
del buffers
print(json.dumps({"kept": kept, "free_mib": mallinfo2().fordblks / 2**20}))
"""


def run(*args, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}
    environ.pop("ARRAY_API_JAX_KEEP_FREED_MEMORY", None)
    out = subprocess.run([sys.executable, "-c", PROGRAM, *args], env=dict(environ, **env), check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_importing_keeps_freed_buffers_for_the_next_ones():
    got = run("import")
    assert got["kept"][0] is True and got["kept"][1].startswith("malloc keeps up to ")
    assert got["free_mib"] >= 64  # all of it, for the next buffers


def test_without_the_import_malloc_gives_most_of_it_back():
    """The baseline that makes the test above able to fail: glibc's default returns freed memory to the kernel."""
    assert run("numpy only")["free_mib"] < 40


@pytest.mark.parametrize("env, why", [
    ({"ARRAY_API_JAX_KEEP_FREED_MEMORY": "0"}, "ARRAY_API_JAX_KEEP_FREED_MEMORY is off"),
    ({"ARRAY_API_JAX_KEEP_FREED_MEMORY": "off"}, "ARRAY_API_JAX_KEEP_FREED_MEMORY is off"),
    ({"MALLOC_TRIM_THRESHOLD_": "131072"}, "the environment sets malloc's own parameters (MALLOC_TRIM_THRESHOLD_)"),
    ({"GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=131072"},
     "the environment sets malloc's own parameters (GLIBC_TUNABLES)"),
])
def test_the_environment_can_leave_malloc_alone(env, why):
    got = run("import", **env)
    assert got["kept"] == [False, why]
    assert got["free_mib"] < 40


def test_other_glibc_tunables_do_not_count_as_malloc_settings():
    assert run("import", GLIBC_TUNABLES="glibc.pthread.rseq=0")["kept"][0] is True


@pytest.mark.parametrize("memory, expected", [
    (24 << 30, (256 << 20, 1 << 30)),  # a sixteenth of the memory, at most 1 GiB; a quarter of it from the heap
    (4 << 30, (64 << 20, 256 << 20)),
    (512 << 20, (32 << 20, 64 << 20)),  # never below glibc's own largest values
])
def test_the_thresholds_follow_the_machines_memory(memory, expected):
    from array_api_jax import _malloc

    assert _malloc.thresholds(memory) == expected
