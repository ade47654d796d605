"""Across sizes: real library code on data from 200x10 to 500,000x20, single operations on large arrays, and writes.

Three tiers, written to benchmarks/sizes.json (committed; tools/sizes_page.py renders docs/sizes.md from it):

- ``sizes``: the scikit-learn, SciPy and array-api-extra workloads of benchmarks/workloads.py on one data shape
  per process, the shape new (first call) and then repeated (the same shape, new data), with the XLA compilations
  each call triggers. Each (shape, namespace) runs in a fresh process that first warms the namespace up on a
  small shape of its own, so one-off first-call costs (imports, NumPy's and LAPACK's first calls) are not charged
  to the first shape; five such processes per (shape, namespace), the namespaces taking turns, and each call's
  median of the five.
- ``large``: one operation on 2**20 float64 elements or 1000x1000 matrices, warm (each library's median and best of
  its calls in six windows of 0.05 s, one per order of the libraries, each after a pause (``_pause``), after
  warm-up calls enough for array_api_jax's engine to decide each call), for array_api_jax, NumPy and jax.numpy
  (eager).
- ``writes``: ``x[i] = v`` in a loop on 10**3, 10**5 and 10**6 elements: the time per write.

torch's columns appear where torch is installed (scikit-learn, SciPy and array-api-extra take its tensors through
array-api-compat).

Usage: python benchmarks/sizes.py [--tiers sizes,large,writes] [--json benchmarks/sizes.json]; then
       python tools/figures.py (rewrites docs/sizes.md and the other generated figures)
"""

import argparse
import datetime
import importlib
import itertools
import json
import os
import platform
import subprocess
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("SCIPY_ARRAY_API", "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.workloads import WORKLOADS  # noqa: E402

SIZES = [(200, 10), (2000, 50), (3000, 50), (20000, 50), (100000, 20), (500000, 20)]  # to 10**7 elements
WARM_UP_SHAPE = (60, 6)
NAMESPACES = {"array_api_jax": "array_api_jax", "array_api_strict": "array_api_strict", "numpy": "numpy",
              "torch": "array_api_compat.torch"}
WRITE_SIZES = (10**3, 10**5, 10**6)
RESULTS = ROOT / "benchmarks" / "sizes.json"


def _available():
    names = ["array_api_jax", "array_api_strict", "numpy"]
    try:
        import torch  # noqa: F401

        names.append("torch")
    except ImportError:
        pass
    return names


# --- the sizes tier: one (shape, namespace) per fresh process ---------------------------------------------------


def _child(namespace, n, d):
    """Run in a fresh process: warm up, then each workload on (n, d) new and repeated; print one JSON line."""
    import sklearn

    compiles = [0]
    if namespace == "array_api_jax":
        import jax.monitoring

        def listener(event, duration, **kwargs):
            if event == "/jax/core/compile/backend_compile_duration":
                compiles[0] += 1

        jax.monitoring.register_event_duration_secs_listener(listener)
    if namespace == "torch":
        import torch

        torch.set_num_threads(os.cpu_count() or 1)
    xp = importlib.import_module(NAMESPACES[namespace])
    sklearn.set_config(array_api_dispatch=True)
    warnings.simplefilter("ignore")
    rows = []
    for name, workload in WORKLOADS.items():
        workload(xp, *WARM_UP_SHAPE, seed=1)
        for phase, seed in (("new", n), ("repeated", n + 1)):
            c0, t0 = compiles[0], time.perf_counter()
            workload(xp, n, d, seed=seed)
            rows.append({"tier": "sizes", "workload": name, "library": namespace, "shape": [n, d], "phase": phase,
                         "seconds": time.perf_counter() - t0, "compiles": compiles[0] - c0})
    print(json.dumps(rows))


SIZES_ROUNDS = 5  # fresh processes per (shape, namespace); the rows hold each call's median over them


def sizes_tier(echo=print, rounds=SIZES_ROUNDS):
    """Each (shape, namespace) in ``rounds`` fresh processes, the namespaces taking turns within each round; a row's
    ``seconds`` is the median of its rounds (all of them in ``rounds_seconds``), its ``compiles`` the most of any
    round. A process's first call at a shape of 10**6 elements or more faults in fresh memory, whose cost varies from
    one process to the next by up to half of the call, for every library alike (on this project's virtual machine
    the kernel's time for the same page faults varied several times over; array_api_jax's import makes malloc keep
    freed memory, see docs/host-path.md, so its later calls reuse it, while array_api_strict's process gets fresh
    pages again on most calls). Hence several rounds, and their median."""
    names = _available()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    got: dict = {}
    for round_ in range(rounds):
        for k, (n, d) in enumerate(SIZES):
            turn = (k + round_) % len(names)
            for namespace in names[turn:] + names[:turn]:  # take turns
                out = subprocess.run([sys.executable, __file__, "--child", namespace, str(n), str(d)], env=env,
                                     cwd=ROOT, check=True, capture_output=True, text=True).stdout
                for r in json.loads(out.strip().splitlines()[-1]):
                    got.setdefault((r["workload"], namespace, n, d, r["phase"]), []).append(r)
                    echo(f"  {r['workload']:16s} {n:>6d}x{d:<3d} {r['phase']:8s} {namespace:17s} "
                         f"{r['seconds'] * 1e3:9.1f} ms {r['compiles']:4d} compilations")
    rows = []
    for runs in got.values():
        seconds = [r["seconds"] for r in runs]
        rows.append(dict(runs[0], seconds=float(np.median(seconds)), rounds_seconds=seconds,
                         compiles=max(r["compiles"] for r in runs)))
    return rows


# --- the large tier: one operation, warm -------------------------------------------------------------------------


def _large_cases():
    rng = np.random.default_rng(0)
    x = rng.uniform(0.1, 3.0, 1 << 20)
    m = rng.uniform(-1.0, 1.0, (1000, 1000))
    spd = m @ m.T + 1000 * np.eye(1000)
    m32, spd32 = m.astype(np.float32), spd.astype(np.float32)
    det32 = (m / 11).astype(np.float32)  # scaled so that its determinant is finite in float32 (m's is about 1e1045)
    # name -> (inputs, array-API call (xp, *arrays), NumPy call, jax.numpy call)
    return {
        "exp": ((x,), lambda xp, a: xp.exp(a), np.exp, "exp"),
        "log": ((x,), lambda xp, a: xp.log(a), np.log, "log"),
        "sin": ((x,), lambda xp, a: xp.sin(a), np.sin, "sin"),
        "cos": ((x,), lambda xp, a: xp.cos(a), np.cos, "cos"),
        "tanh": ((x,), lambda xp, a: xp.tanh(a), np.tanh, "tanh"),
        "sqrt": ((x,), lambda xp, a: xp.sqrt(a), np.sqrt, "sqrt"),
        "a*a+1": ((x,), lambda xp, a: a * a + 1.0, lambda a: a * a + 1.0, None),
        "add": ((x, x), lambda xp, a, b: a + b, np.add, "add"),
        "hypot": ((x, x), lambda xp, a, b: xp.hypot(a, b), np.hypot, "hypot"),
        "remainder": ((x, x), lambda xp, a, b: a % b, np.remainder, "remainder"),
        "sum": ((x,), lambda xp, a: xp.sum(a), np.sum, "sum"),
        "prod": ((x,), lambda xp, a: xp.prod(a), np.prod, "prod"),
        "mean": ((x,), lambda xp, a: xp.mean(a), np.mean, "mean"),
        "std": ((x,), lambda xp, a: xp.std(a), np.std, "std"),
        "max": ((x,), lambda xp, a: xp.max(a), np.max, "max"),
        "cumulative_sum": ((x,), lambda xp, a: xp.cumulative_sum(a), np.cumsum, "cumsum"),
        "sort": ((x,), lambda xp, a: xp.sort(a), np.sort, "sort"),
        "argsort": ((x,), lambda xp, a: xp.argsort(a), np.argsort, "argsort"),
        "mask x[x > 1]": ((x,), lambda xp, a: a[a > 1.0], lambda a: a[a > 1.0], None),
        "matmul": ((m, m), lambda xp, a, b: a @ b, np.matmul, "matmul"),
        "solve": ((m, m), lambda xp, a, b: xp.linalg.solve(a, b), np.linalg.solve, "linalg.solve"),
        "cholesky": ((spd,), lambda xp, a: xp.linalg.cholesky(a), np.linalg.cholesky, "linalg.cholesky"),
        "inv": ((m,), lambda xp, a: xp.linalg.inv(a), np.linalg.inv, "linalg.inv"),
        "det": ((m,), lambda xp, a: xp.linalg.det(a), np.linalg.det, "linalg.det"),
        "qr": ((m,), lambda xp, a: xp.linalg.qr(a), np.linalg.qr, "linalg.qr"),
        "svd": ((m,), lambda xp, a: xp.linalg.svd(a), np.linalg.svd, "linalg.svd"),
        "eigh": ((spd,), lambda xp, a: xp.linalg.eigh(a), np.linalg.eigh, "linalg.eigh"),
        # float32, where XLA's factorizations and solves beat NumPy's (its engine table's float32 entries)
        "solve float32": ((m32, m32), lambda xp, a, b: xp.linalg.solve(a, b), np.linalg.solve, "linalg.solve"),
        "cholesky float32": ((spd32,), lambda xp, a: xp.linalg.cholesky(a), np.linalg.cholesky, "linalg.cholesky"),
        "inv float32": ((m32,), lambda xp, a: xp.linalg.inv(a), np.linalg.inv, "linalg.inv"),
        "det float32": ((det32,), lambda xp, a: xp.linalg.det(a), np.linalg.det, "linalg.det"),
        "qr float32": ((m32,), lambda xp, a: xp.linalg.qr(a), np.linalg.qr, "linalg.qr"),
    }




def _warm(call, args, warm=8, warm_seconds=0.5):
    """``warm`` calls and at least ``warm_seconds`` of calls (array_api_jax's: enough for its engine's
    ``NUMPY_CALLS`` and compile budget, the compile and the trials of a cheap call); the median of the last calls."""
    import jax

    start, times = time.perf_counter(), []
    while len(times) < warm or (time.perf_counter() - start < warm_seconds and len(times) < 2000):
        t0 = time.perf_counter()
        jax.block_until_ready(call(*args))
        times.append(time.perf_counter() - t0)
    return float(np.median(times[-5:]))


def _window(call, args, runs=5, run_seconds=0.2):
    """The times of at least ``runs`` calls, and of ``run_seconds`` of calls (at most 200)."""
    import jax

    times, start = [], time.perf_counter()
    while len(times) < runs or (time.perf_counter() - start < run_seconds and len(times) < 200):
        t0 = time.perf_counter()
        jax.block_until_ready(call(*args))
        times.append(time.perf_counter() - t0)
    return times


SHORT_PAUSE, LONG_PAUSE, LONG_CALL = 0.05, 0.25, 2e-3  # seconds


def _pause(call_seconds):
    """The pause before each window of a row whose slowest call takes ``call_seconds``. A library's worker threads
    go on spinning for a while after its calls, and slow the next library's calls: OpenBLAS's (NumPy's, and
    SciPy's, whose LAPACK jax.numpy's factorizations call) spin for about 0.1 s, which made any library's 1000x1000
    `cholesky` 1.5x slower in the window after jax.numpy's. So rows of calls of ``LONG_CALL`` or more pause
    ``LONG_PAUSE``. Shorter rows pause ``SHORT_PAUSE``: after 0.2 s idle, XLA's sub-millisecond calls ran 1.3-1.5x
    slower through the next window (its thread pool asleep), for array_api_jax and jax.numpy alike, while their
    own threads spin too briefly to matter."""
    return LONG_PAUSE if call_seconds >= LONG_CALL else SHORT_PAUSE


def _interleaved(calls, runs=2, run_seconds=0.05, pause=None):
    """{library: (median, best)} of one window per library in each order of the libraries (six rounds for three),
    after each library's warm-up. ``calls``: {library: (call, args, warm-up keywords)}. Taking turns puts each
    library under the same load: a shared 2-core machine's load changes from one tenth of a second to the next, and
    one window per library let a quiet moment decide a row. Every order, not a rotation (whose library always
    follows the same one), each window after a ``pause`` (by default ``_pause``'s for the row). The median is
    what a program that makes the call again and again gets; the best is the call's cost on an idle machine. They
    differ most for XLA's multi-threaded reductions of a fraction of a millisecond on this 2-core machine."""
    slowest = max(_warm(call, args, **warm) for call, args, warm in calls.values())
    pause = _pause(slowest) if pause is None else pause
    times: dict = {name: [] for name in calls}
    for order in itertools.permutations(calls):
        for name in order:
            call, args, _ = calls[name]
            time.sleep(pause)
            times[name] += _window(call, args, runs, run_seconds)
    return {name: (float(np.median(t)), min(t)) for name, t in times.items()}


def _block(out):
    """array_api_jax results: host values need no waiting; jax values are waited for."""
    for o in out if isinstance(out, tuple) else (out,):
        o.block_until_ready()
    return None


def large_tier(echo=print, operations=None):
    import jax.numpy as jnp

    import array_api_jax as xp

    rows = []
    for name, (inputs, xp_call, np_call, jnp_name) in _large_cases().items():
        if operations is not None and name not in operations:
            continue
        xs, js = _converted(inputs, xp.asarray), _converted(inputs, jnp.asarray)
        jnp_call = (lambda *a: a[0] * a[0] + 1.0) if name == "a*a+1" else (
            (lambda a: a[a > 1.0]) if jnp_name is None else _attr(jnp, jnp_name))
        timed = _interleaved({
            "array_api_jax": (lambda *a, call=xp_call: _block(call(xp, *a)), xs, {"warm": 40, "warm_seconds": 2.0}),
            "numpy": (np_call, inputs, {}),
            "jax.numpy": (jnp_call, js, {}),
        })
        times = {k: v[0] for k, v in timed.items()}
        best = {k: v[1] for k, v in timed.items()}
        row = {"tier": "large", "operation": name, "shape": list(inputs[0].shape), "seconds": times,
               "best_seconds": best}
        rows.append(row)
        echo(f"  large {name:16s} " + "  ".join(f"{k} {v * 1e3:8.2f} ms" for k, v in times.items()))
    return rows


def _converted(inputs, convert):
    """One array per distinct input, as NumPy's call gets them (``x + x`` reads one buffer, not two)."""
    made = {}
    for a in inputs:
        if id(a) not in made:
            made[id(a)] = convert(a)
    return [made[id(a)] for a in inputs]


def _attr(module, dotted):
    for part in dotted.split("."):
        module = getattr(module, part)
    return module


# --- the write loop -------------------------------------------------------------------------------------------------


def writes_tier(echo=print, count=2000):
    names = _available()
    modules = {name: importlib.import_module(NAMESPACES[name]) for name in names}
    rows = []
    for n in WRITE_SIZES:
        times = {}
        for name in names:
            x = modules[name].zeros(n, dtype=modules[name].float64)
            x[0] = 1.0
            t0 = time.perf_counter()
            for i in range(count):
                x[i % n] = 2.0
            times[name] = (time.perf_counter() - t0) / count
        rows.append({"tier": "writes", "size": n, "seconds_per_write": times})
        echo(f"  writes n={n:<8d} " + "  ".join(f"{k} {v * 1e6:8.2f} us" for k, v in times.items()))
    return rows


def _machine():
    import jax

    import array_api_jax

    return {"date": datetime.date.today().isoformat(), "platform": platform.platform(),
            "processor": platform.machine(), "cpus": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "jax": jax.__version__, "array_api_jax": array_api_jax.__version__,
            "load_average": os.getloadavg()[0]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiers", default="sizes,large,writes")
    parser.add_argument("--json", default=str(RESULTS))
    parser.add_argument("--operations", help="the large tier's rows to run, comma-separated (default: all)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        namespace, n, d = args.child
        _child(namespace, int(n), int(d))
        return
    operations = None if args.operations is None else args.operations.split(",")
    tiers = {"sizes": sizes_tier, "large": lambda: large_tier(operations=operations), "writes": writes_tier}
    results = {"machine": _machine(), "rows": []}
    for tier in args.tiers.split(","):
        print(f"{tier}:")
        results["rows"] += tiers[tier]()
    Path(args.json).write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
