"""Side-by-side benchmarks: array_api_jax, jax.numpy, numpy and array_api_strict on the same data.

Prints each row as soon as it is measured (median latency per library and the ratio array_api_jax / jax.numpy),
then the whole table, and writes the results as JSON: to benchmarks/results/latest.json by default, which git
ignores; ``make bench-docs`` writes the committed benchmarks/results.json, from which the docs' performance page and
plots are generated. JAX results are waited for (block_until_ready) so asynchronous dispatch is not mistaken for
speed.

Usage: python benchmarks/run.py [--quick] [--json PATH]
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import workloads  # noqa: E402 - benchmarks/workloads.py, beside this file

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import machine  # noqa: E402 - tools/machine.py

import array_api_jax as xp  # enables x64 before jax.numpy is used
import jax
import jax.numpy as jnp

try:
    import array_api_strict as strict
except ImportError:  # optional
    strict = None

LIBS = {"array_api_jax": xp, "jax.numpy": jnp, "numpy": np}
LOAD_AT_START = os.getloadavg()[0]  # the machine's 1-minute load average, recorded with the results
if strict is not None:
    LIBS["array_api_strict"] = strict


def _wait(result):
    """Wait for every array in ``result`` (each library's own block_until_ready, not the pytree path)."""
    for item in result if isinstance(result, (tuple, list)) else (result,):
        if hasattr(item, "block_until_ready"):
            item.block_until_ready()
    return result


def _time_interleaved(calls, repeat, number):
    """Median seconds per call of each of ``calls`` (lib -> zero-argument function).

    The libraries take turns within every repeat, and the turn order rotates from one repeat to the next, so
    drift on a shared machine (frequency, other load) and the cost of following another library's calls hit
    them alike; each one is warmed up (compiled) first.
    """
    for fn in calls.values():
        _wait(fn())
        _wait(fn())
    samples = {lib: [] for lib in calls}
    order = list(calls.items())
    for r in range(repeat):
        for lib, fn in order[r % len(order):] + order[:r % len(order)]:
            t0 = time.perf_counter()
            for _ in range(number):
                _wait(fn())
            samples[lib].append((time.perf_counter() - t0) / number)
    return {lib: statistics.median(s) for lib, s in samples.items()}


def _is_jnp(ns):
    return ns is jnp


def _setitem(ns, d):
    x = d["x"]
    if _is_jnp(ns):
        return x.at[3:50].set(1.0)
    x[3:50] = 1.0
    return x


def _iadd(ns, d):
    x = d["x"]
    if _is_jnp(ns):
        return x + 1.0
    x += 1.0
    return x


def _take(ns, d):
    return ns.take(d["x"], d["idx"])


# name -> (function of (namespace, data), kind of data)
MICRO = {
    "add": lambda ns, d: ns.add(d["x"], d["y"]),
    "multiply by scalar": lambda ns, d: d["x"] * 2.5,
    "sin": lambda ns, d: ns.sin(d["x"]),
    "exp": lambda ns, d: ns.exp(d["x"]),
    "sum": lambda ns, d: ns.sum(d["x"]),
    "mean axis=0 (64x64)": lambda ns, d: ns.mean(d["m"], axis=0),
    "max": lambda ns, d: ns.max(d["x"]),
    "matmul (64x64)": lambda ns, d: ns.matmul(d["m"], d["m"]),
    "basic slice x[3:50]": lambda ns, d: d["x"][3:50],
    "integer index x[5]": lambda ns, d: d["x"][5],
    "2-D strided slice": lambda ns, d: d["m"][::2, 1::3],
    "setitem of a slice": _setitem,
    "in-place +=": _iadd,
    "reshape": lambda ns, d: ns.reshape(d["x"], (10, 10)),
    "permute_dims (64x64)": lambda ns, d: ns.permute_dims(d["m"], (1, 0)),
    "concat": lambda ns, d: ns.concat([d["x"], d["y"]]),
    "stack": lambda ns, d: ns.stack([d["x"], d["y"]]),
    "where": lambda ns, d: ns.where(d["x"] > 0.5, d["x"], d["y"]),
    "sort": lambda ns, d: ns.sort(d["x"]),
    "argsort": lambda ns, d: ns.argsort(d["x"]),
    "astype float32": lambda ns, d: ns.astype(d["x"], ns.float32),
    "zeros": lambda ns, d: ns.zeros((100,)),
    "asarray from a list": lambda ns, d: ns.asarray(d["list"]),
    "equal + any": lambda ns, d: ns.any(ns.equal(d["x"], d["y"])),
    "cumulative_sum": lambda ns, d: ns.cumulative_sum(d["x"]),
    "take": _take,
    "unique_values (int64)": lambda ns, d: ns.unique_values(d["ints"]),
    "add (int64)": lambda ns, d: ns.add(d["ints"], d["ints"]),
    "sum (int64)": lambda ns, d: ns.sum(d["ints"]),
}

LARGE = {
    "matmul 1000x1000": lambda ns, d: ns.matmul(d["big"], d["big"]),
    "sum 1000x1000": lambda ns, d: ns.sum(d["big"]),
    "exp 1000x1000": lambda ns, d: ns.exp(d["big"]),
}


def _standardize_step(ns):
    def step(x, w):
        mu = ns.mean(x, axis=0)
        sd = ns.std(x, axis=0)
        z = (x - mu) / sd
        return ns.sum(ns.matmul(z, w) ** 2)
    return jax.jit(step)


def _lif_step(ns):
    """One step of a leaky integrate-and-fire network with sparse-ish random coupling."""
    def step(v, spikes, w, drive):
        v = v + 0.1 * (-v + drive) + ns.matmul(w, ns.astype(spikes, ns.float64))
        fired = v > 1.0
        v = ns.where(fired, 0.0, v)
        return v, fired
    return jax.jit(step)


def _data(lib, rng):
    ns = LIBS[lib]
    x = rng.random(100)
    y = rng.random(100)
    m = rng.random((64, 64))
    ints = rng.integers(0, 20, 100)
    idx = rng.integers(0, 100, 20)
    conv = (lambda a: ns.asarray(a)) if lib != "jax.numpy" else jnp.asarray
    return {"x": conv(x), "y": conv(y), "m": conv(m), "ints": conv(ints), "idx": conv(idx),
            "list": x.tolist()}


def _import_times(modules, runs=9):
    """Median seconds to import each module in a fresh process; the modules take turns, run after run."""
    times = {m: [] for m in modules}
    for _ in range(runs):
        for module in modules:
            code = f"import time; t=time.perf_counter(); import {module}; print(time.perf_counter()-t)"
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            times[module].append(float(out))
    return {m: statistics.median(t) for m, t in times.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--json", default=str(Path(__file__).parent / "results" / "latest.json"))
    args = parser.parse_args()
    repeat, number = (5, 20) if args.quick else (12, 100)
    print(f"timing {', '.join(LIBS)} ({'quick: ' if args.quick else ''}{repeat} repeats of {number} calls per row); "
          f"each row is printed when measured, the table at the end", flush=True)
    rng = np.random.default_rng(0)
    seed_state = rng.bit_generator.state
    rows = []

    def run_tier(tier, ops, data_for, libs):
        for name, fn in ops.items():
            row = {"tier": tier, "op": name}
            calls = {}
            for lib in libs:
                rng.bit_generator.state = seed_state
                d = data_for(lib)
                call = lambda fn=fn, d=d, ns=LIBS[lib]: fn(ns, d)  # noqa: E731
                try:
                    _wait(call())
                    calls[lib] = call
                except Exception as e:  # a library lacking an op is reported, not fatal
                    row[lib] = None
                    row.setdefault("errors", {})[lib] = f"{type(e).__name__}: {e}"[:120]
            row.update(_time_interleaved(calls, repeat, number))
            rows.append(row)
            _progress(row)

    run_tier("micro", MICRO, lambda lib: _data(lib, rng), LIBS)

    def big(lib):
        ns = LIBS[lib]
        return {"big": (jnp.asarray if lib == "jax.numpy" else ns.asarray)(rng.random((1000, 1000)))}
    run_tier("large", LARGE, big, [lib for lib in LIBS if lib != "array_api_strict"])

    def jitted(lib):
        ns = LIBS[lib]
        conv = jnp.asarray if lib == "jax.numpy" else ns.asarray
        n = 4000
        return {"x": conv(rng.random((256, 64))), "w": conv(rng.random((64, 32))),
                "v": conv(rng.random(n)), "s": conv(rng.random(n) > 0.9),
                "W": conv(rng.random((n, n)) * (rng.random((n, n)) < 0.01) * 0.1),
                "drive": conv(rng.random(n) * 1.5)}
    jit_ops = {
        "standardize->matmul->reduce (jit)": lambda ns, d: _JIT[id(ns), "std"](d["x"], d["w"]),
        "LIF network step, 4000 neurons (jit)": lambda ns, d: _JIT[id(ns), "lif"](d["v"], d["s"], d["W"], d["drive"]),
    }
    for ns in (xp, jnp):
        _JIT[id(ns), "std"] = _standardize_step(ns)
        _JIT[id(ns), "lif"] = _lif_step(ns)
    run_tier("jit", jit_ops, jitted, ["array_api_jax", "jax.numpy"])

    run_random_tier(rows, repeat, number)
    run_state_tier(rows, repeat, number)
    imports = _import_times(["array_api_jax", "jax.numpy"])
    print("workloads: library code on five new shapes, then the same again (wall time, XLA compilations)",
          flush=True)
    shapes = workloads.SHAPES[:2] if args.quick else workloads.SHAPES
    wl_rows = workloads.run(shapes=shapes, echo=lambda line: print(line, flush=True))
    cold = workloads.run_cold(echo=lambda line: print(line, flush=True), runs=3 if args.quick else 6)
    _report(rows, imports, args.json, {"rows": wl_rows, "cold": cold, "summary": workloads.summary(wl_rows, cold)},
            mode=f"{'quick' if args.quick else 'full'}: {repeat} repeats of {number} calls per row, {len(shapes)} "
                 f"shapes per workload step")


_JIT = {}


def run_random_tier(rows, repeat, number):
    """Keyless draws (array_api_jax.extras.random) against jax.random with an explicit key and numpy.random.

    The "jax.numpy" column is jax.random threading its key by hand: split, then sample, as user code must.
    """
    import array_api_jax.extras.random as keyless

    state = {"key": jax.random.key(0)}

    def explicit(shape):
        state["key"], sub = jax.random.split(state["key"])
        return jax.random.normal(sub, shape)

    @jax.jit
    def explicit_step(key, x):
        key, sub = jax.random.split(key)
        return key, x + jax.random.normal(sub, x.shape)

    keyless_step = jax.jit(lambda x: x + keyless.normal(size=x.shape))
    from array_api_jax.extras import jit as stateful_jit

    threaded_step = stateful_jit(lambda x: x + keyless.normal(size=x.shape))  # the key is threaded, not a Ref
    x_xp, x_jnp = xp.zeros(100), jnp.zeros(100)

    def explicit_jitted():
        state["key"], out = explicit_step(state["key"], x_jnp)
        return out

    np_rng = np.random.default_rng(0)
    for op, calls in [
        ("normal, 100 draws (eager)", {"array_api_jax": lambda: keyless.normal(size=100),
                                       "jax.numpy": lambda: explicit((100,)),
                                       "numpy": lambda: np_rng.normal(size=100)}),
        ("x + normal noise (jit)", {"array_api_jax": lambda: keyless_step(x_xp),
                                    "jax.numpy": explicit_jitted}),
        ("x + normal noise (extras.jit)", {"array_api_jax": lambda: threaded_step(x_xp),
                                           "jax.numpy": explicit_jitted}),
    ]:
        rows.append({"tier": "random", "op": op, **_time_interleaved(calls, repeat, number)})
        _progress(rows[-1])


def run_state_tier(rows, repeat, number):
    """BrainPy's LIF idiom on extras (two Variables, keyless noise, bm.where, float32) against the same step in
    pure JAX with the state (voltages, spikes, key) threaded by hand: 1,000 steps with bm.for_loop over a
    bm.jit step, and one bm.jit step per Python call."""
    import array_api_jax.extras as bm

    n, steps = 4000, 1000

    class LIF:
        def __init__(self):
            self.V = bm.Variable(bm.zeros(n))
            self.spike = bm.Variable(bm.zeros(n, dtype=bool))

        def step(self, current):
            v = self.V + 0.1 * (-self.V + current) + 0.5 * bm.random.normal(size=n)
            self.spike.value = v >= 1.0
            self.V.value = bm.where(self.spike, 0.0, v)
            return self.spike.value

    net = LIF()
    body = bm.jit(lambda i: net.step(1.2))
    ticks = bm.arange(steps)
    step = bm.jit(net.step)

    def pure_step(carry, _):
        v, key = carry
        key, sub = jax.random.split(key)
        v = v + 0.1 * (-v + 1.2) + 0.5 * jax.random.normal(sub, (n,), jnp.float32)
        spike = v >= 1.0
        return (jnp.where(spike, 0.0, v), key), spike

    loop = jax.jit(lambda carry: jax.lax.scan(pure_step, carry, None, length=steps))
    one = jax.jit(pure_step)
    state = {"carry": (jnp.zeros(n, jnp.float32), jax.random.key(0))}

    def pure_loop():
        state["carry"], spikes = loop(state["carry"])
        return spikes

    def pure_one():
        state["carry"], spike = one(state["carry"], None)
        return spike

    for op, calls in [
        (f"LIF Variables, {steps} steps (for_loop)", {"array_api_jax": lambda: bm.for_loop(body, ticks),
                                                      "jax.numpy": pure_loop}),
        ("LIF Variables, one step (jit)", {"array_api_jax": lambda: step(1.2), "jax.numpy": pure_one}),
    ]:
        rows.append({"tier": "state", "op": op, **_time_interleaved(calls, repeat, number)})


def _fmt(t):
    if t is None:
        return "—"
    return f"{t * 1e6:9.1f}" if t < 1e-1 else f"{t * 1e3:8.1f}m"


def _progress(row):
    """One line per measured row, printed at once, so a long run shows where it is."""
    def fmt(t):
        return "—" if t is None else f"{t * 1e6:.1f} µs" if t < 1e-3 else f"{t * 1e3:.2f} ms"
    times = ", ".join(f"{lib} {fmt(row[lib])}" for lib in LIBS if lib in row)
    print(f"[{row['tier']}] {row['op']}: {times}", flush=True)



def _report(rows, imports, path, workload_results=None, mode=None):
    libs = [lib for lib in LIBS]
    header = f"{'tier':6} {'operation':38}" + "".join(f"{lib:>17}" for lib in libs) + f"{'xp/jnp':>9}"
    print("latency in µs (median); 'm' suffix = ms")
    print(header)
    print("-" * len(header))
    ratios, strict_ratios = {}, {}
    for row in rows:
        ratio = None
        if row.get("array_api_jax") and row.get("jax.numpy"):
            ratio = row["array_api_jax"] / row["jax.numpy"]
            ratios.setdefault(row["tier"], []).append(ratio)
        row["ratio"] = ratio
        if row.get("array_api_jax") and row.get("array_api_strict"):
            row["ratio_vs_strict"] = row["array_api_jax"] / row["array_api_strict"]
            strict_ratios.setdefault(row["tier"], []).append(row["ratio_vs_strict"])
        print(f"{row['tier']:6} {row['op']:38}" + "".join(f"{_fmt(row.get(lib)):>17}" for lib in libs)
              + (f"{ratio:9.2f}" if ratio else f"{'—':>9}"))
    print()
    summary = {}
    for tier, rs in ratios.items():
        summary[tier] = {"median_ratio": statistics.median(rs), "max_ratio": max(rs)}
        print(f"{tier}: median xp/jnp = {statistics.median(rs):.2f}, max = {max(rs):.2f}")
        if tier in strict_ratios:
            summary[tier]["median_ratio_vs_strict"] = statistics.median(strict_ratios[tier])
            print(f"{tier}: median xp/array_api_strict = {summary[tier]['median_ratio_vs_strict']:.2f}")
    imp_ratio = imports["array_api_jax"] / imports["jax.numpy"]
    print(f"import: array_api_jax {imports['array_api_jax'] * 1e3:.0f} ms, jax.numpy "
          f"{imports['jax.numpy'] * 1e3:.0f} ms, ratio {imp_ratio:.2f}")
    for row in rows:
        for lib, err in row.get("errors", {}).items():
            print(f"  note: {row['op']} not run for {lib}: {err}")
    result = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{machine.describe()}, "
                   f"JAX on {jax.devices()[0].platform}, Python {platform.python_version()}, jax {jax.__version__}",
        "load": {"start": LOAD_AT_START, "end": os.getloadavg()[0]},
        "rows": rows, "summary": summary, "import": imports, "import_ratio": imp_ratio, "mode": mode,
    }
    if workload_results is not None:
        result["workloads"] = workload_results
        for key, entry in workload_results["summary"].items():
            print(f"workloads {key}: xp/array_api_strict = {entry.get('ratio_vs_strict', float('nan')):.2f}, "
                  f"compilations {entry.get('array_api_jax', {}).get('compiles', 0)}")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
