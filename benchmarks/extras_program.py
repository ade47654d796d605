"""The extras program on new shapes: a small eager BrainPy-style program against the same program in NumPy.

``program(bm, n)`` draws ``rand(n, 8)`` and runs ``exp``, ``sin``, ``mean``, ``std``, ``where``, ``concatenate``,
``dot`` and ``sum`` on it (tests/test_extras_host_path.py runs the same program for its compile count). Each round
runs it on five shapes that no earlier round used (the first round: n = 100, 137, 211, 333, 517), each shape with
array_api_jax.extras and with NumPy in turn (the order alternates), after one untimed run of each on a shape of its
own. A round's time is the sum over its five shapes; the summary gives the median and the best round of each and
their ratio, and the XLA compilations of the extras runs (0 when every shape computes on the host).

``--sync-dispatch`` turns JAX's asynchronous CPU dispatch off for the process (``jax_cpu_enable_async_dispatch``,
before JAX's CPU client starts): each draw then runs in the calling thread instead of waking XLA's worker thread.

Usage: python benchmarks/extras_program.py [--rounds 30] [--sync-dispatch]
"""

import argparse
import statistics
import time

import numpy as np

SHAPES = (100, 137, 211, 333, 517)


def program(xp, n):
    x = xp.random.rand(n, 8)
    y = xp.exp(x) + xp.sin(x)
    m, s = xp.mean(y, axis=0), xp.std(y)
    z = xp.where(y > m, y, 0.0)
    c = xp.concatenate([z, x], axis=1)
    return xp.sum(xp.dot(c.T, c)) + s


def run(rounds=30, echo=print):
    """{'extras': [seconds per round], 'numpy': [...], 'compiles': int}: five new shapes per round."""
    import jax.monitoring

    import array_api_jax.extras as bm

    compiles = [0]

    def listener(event, duration, **kwargs):
        if event == "/jax/core/compile/backend_compile_duration":
            compiles[0] += 1

    jax.monitoring.register_event_duration_secs_listener(listener)
    program(bm, 60)  # the first use: imports, the draw's kernels, dtype traces
    program(np, 60)
    before = compiles[0]
    times = {"extras": [], "numpy": []}
    for r in range(rounds):
        total = {"extras": 0.0, "numpy": 0.0}
        for i, n in enumerate(SHAPES):
            order = [("extras", bm), ("numpy", np)]
            for name, xp in order if (r + i) % 2 == 0 else order[::-1]:
                t0 = time.perf_counter()
                program(xp, n + r)  # n + r: a shape no earlier round used (r < 37)
                total[name] += time.perf_counter() - t0
        for name in times:
            times[name].append(total[name])
    result = dict(times, compiles=compiles[0] - before)
    med = {k: statistics.median(v) for k, v in times.items()}
    best = {k: min(v) for k, v in times.items()}
    echo(f"extras program, 5 new shapes per round, {rounds} rounds: "
         f"extras median {med['extras'] * 1e3:.2f} ms (best {best['extras'] * 1e3:.2f}), "
         f"NumPy median {med['numpy'] * 1e3:.2f} ms (best {best['numpy'] * 1e3:.2f}); "
         f"ratio {med['extras'] / med['numpy']:.2f}x median, {best['extras'] / best['numpy']:.2f}x best; "
         f"{result['compiles']} XLA compilations")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="rounds of five new shapes (at most 37)")
    parser.add_argument("--sync-dispatch", action="store_true", help="jax_cpu_enable_async_dispatch=False")
    args = parser.parse_args()
    if args.sync_dispatch:
        import jax

        jax.config.update("jax_cpu_enable_async_dispatch", False)
    run(min(args.rounds, 37))


if __name__ == "__main__":
    main()
