"""Run every example, one after the other, with a heading for each (``make demo``).

Each example is also a script of its own (``python examples/<name>.py``). Examples that need an optional
library (scikit-learn, matplotlib) say so and are skipped when it is missing; the sharding example runs in a
subprocess, because it needs eight simulated devices configured before JAX is imported, and the distributed
example starts processes of its own.
"""

import importlib.util
import os
import runpy
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (file, title, optional modules it needs, run in a subprocess)
EXAMPLES = [
    ("seed_tutorial.py", "The seed tutorial: NumPy-style arrays and keyless random (array_api_jax.extras)", (),
     False),
    ("backend_agnostic.py", "One backend-agnostic function on NumPy, array_api_strict and array_api_jax", (),
     False),
    ("sklearn_on_jax.py", "scikit-learn PCA and Ridge on array_api_jax arrays", ("sklearn",), False),
    ("lif_network.py", "A jitted leaky integrate-and-fire network with keyless random input", ("matplotlib",),
     False),
    ("sharding.py", "From one device to an 8-device mesh (simulated CPU devices)", (), True),
    ("distributed.py", "Beyond one machine: a cluster of 2 local processes (jax.distributed)", (), True),
]


def heading(n, title, name):
    bar = "=" * 100
    print(f"\n{bar}\n{n}/{len(EXAMPLES)}  {title}\n      python examples/{name}\n{bar}", flush=True)


def main():
    os.environ.setdefault("SCIPY_ARRAY_API", "1")  # before scikit-learn/SciPy are imported (sklearn_on_jax)
    failed, skipped = [], []
    for n, (name, title, needs, subprocess_) in enumerate(EXAMPLES, 1):
        heading(n, title, name)
        missing = [m for m in needs if importlib.util.find_spec(m) is None]
        if missing:
            print(f"skipped: needs {', '.join(missing)} (pip install -e '.[interop,docs]')")
            skipped.append(name)
            continue
        start = time.perf_counter()
        try:
            if subprocess_:
                env = dict(os.environ)
                env.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=8")
                subprocess.run([sys.executable, str(HERE / name)], env=env, check=True)
            else:
                runpy.run_path(str(HERE / name), run_name="__main__")
        except Exception as e:  # report and go on with the next example
            print(f"FAILED: {type(e).__name__}: {e}")
            failed.append(name)
            continue
        print(f"({time.perf_counter() - start:.1f} s)")
    print()
    print(f"{len(EXAMPLES) - len(failed) - len(skipped)} examples ran, {len(skipped)} skipped, {len(failed)} failed"
          + (f": {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
