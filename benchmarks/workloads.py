"""The workloads tier: real library code on new and repeated shapes, with the XLA compilations it triggers.

Each step runs a small pipeline of scikit-learn, SciPy or array-api-extra code on arrays of one namespace
(array_api_jax, array_api_strict, and NumPy as the floor where the library takes NumPy), first on five new
shapes in a row, then on the same five again, and reports the wall time and the number of XLA compilations
(JAX's monitoring events) of each step, after one untimed run of every workload per namespace on a shape of its
own (so a library's first call in the process is not charged to the first shape).
``cold`` runs the scikit-learn pipeline once in a fresh process.

Usage: python benchmarks/workloads.py [--json PATH]
"""

import argparse
import json
import os
import subprocess
import sys
import time
import warnings

os.environ.setdefault("SCIPY_ARRAY_API", "1")  # SciPy and scikit-learn's array-API mode

import numpy as np  # noqa: E402

SHAPES = [(200, 10), (300, 12), (250, 8), (180, 15), (320, 9)]
WARM_UP_SHAPE = (100, 6)  # not one of SHAPES
_COMPILES = [0]


def _count_compiles():
    import jax.monitoring

    def listener(event, duration, **kwargs):
        if event == "/jax/core/compile/backend_compile_duration":
            _COMPILES[0] += 1

    jax.monitoring.register_event_duration_secs_listener(listener)


def sklearn_pipeline(xp, n, d, seed):
    """LDA fit/predict, PCA(3), Ridge fit/predict and StandardScaler on float64 data of shape (n, d)."""
    from sklearn.decomposition import PCA
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
    from sklearn.linear_model import Ridge
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(seed)
    X, y, yr = (xp.asarray(a) for a in (rng.standard_normal((n, d)), rng.integers(0, 3, n), rng.standard_normal(n)))
    LinearDiscriminantAnalysis().fit(X, y).predict(X)
    PCA(3).fit_transform(X)
    Ridge(solver="svd").fit(X, yr).predict(X)
    StandardScaler().fit_transform(X)


def scipy_pipeline(xp, n, d, seed):
    """zscore, logsumexp, convolve, trapezoid, whiten and ttest_ind."""
    from scipy import cluster, integrate, signal, special, stats

    rng = np.random.default_rng(seed)
    X, a, b = (xp.asarray(v) for v in (rng.standard_normal((n, d)), rng.standard_normal(n), rng.standard_normal(d)))
    stats.zscore(X, axis=0)
    special.logsumexp(X, axis=1)
    signal.convolve(a, b)
    integrate.trapezoid(X, axis=0)
    cluster.vq.whiten(X)
    stats.ttest_ind(X[: n // 2, :], X[n // 2:, :], axis=0)


def extra_functions(xp, n, d, seed):
    """array-api-extra: at(...).set/add, cov, pad, isclose, nunique, atleast_nd."""
    import array_api_extra as xpx

    rng = np.random.default_rng(seed)
    X = xp.asarray(rng.standard_normal((n, d)))
    xpx.at(X)[0, :].set(1.0)
    xpx.at(X)[1:3, :].add(2.0)
    xpx.cov(xp.permute_dims(X, (1, 0)))
    xpx.pad(X, 2)
    xpx.isclose(X, X + 1e-9)
    xpx.nunique(xp.astype(X > 0, xp.int64))
    xpx.atleast_nd(X[0, 0], ndim=3)


WORKLOADS = {"scikit-learn": sklearn_pipeline, "SciPy": scipy_pipeline, "array-api-extra": extra_functions}


def _namespaces():
    import array_api_strict

    import array_api_jax

    return {"array_api_jax": array_api_jax, "array_api_strict": array_api_strict, "numpy": np}


def run(workloads=WORKLOADS, shapes=SHAPES, echo=print):
    """Rows of {workload, library, phase, shape, seconds, compiles}: each namespace in turn for every step."""
    import sklearn

    _count_compiles()
    sklearn.set_config(array_api_dispatch=True)
    namespaces = _namespaces()
    # Each namespace runs each workload once, untimed, on a shape of its own first: the one-off costs of a first
    # call in a process (the libraries' lazy imports and caches, NumPy's included) belong to the "cold" row,
    # not to the first of the timed shapes.
    for workload in workloads.values():
        for xp in namespaces.values():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                workload(xp, *WARM_UP_SHAPE, seed=1)
    rows = []
    for name, workload in workloads.items():
        for phase in ("new", "again"):
            for n, d in shapes:
                order = list(namespaces.items())
                for lib, xp in order[n % len(order):] + order[:n % len(order)]:  # rotate the turn order
                    c0, t0 = _COMPILES[0], time.perf_counter()
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        workload(xp, n, d, seed=n)
                    row = {"workload": name, "library": lib, "phase": phase, "shape": [n, d],
                           "seconds": time.perf_counter() - t0, "compiles": _COMPILES[0] - c0}
                    rows.append(row)
                    echo(f"  {name:16s} {phase:5s} {n}x{d:<3d} {lib:17s} {row['seconds'] * 1e3:9.1f} ms  "
                         f"{row['compiles']:4d} compilations")
    return rows


_COLD = """
import time, warnings
t0 = time.perf_counter()
import numpy as np, sklearn, {module} as xp
sklearn.set_config(array_api_dispatch=True)
t1 = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from benchmarks.workloads import sklearn_pipeline
    sklearn_pipeline(xp, 200, 10, seed=0)
print(time.perf_counter() - t1, t1 - t0)
"""


def run_cold(echo=print, runs=3):
    """The scikit-learn pipeline's first use in a fresh process (imports timed apart), per namespace."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, SCIPY_ARRAY_API="1", PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
    rows = []
    for r in range(runs):
        for module in ("array_api_jax", "array_api_strict", "numpy")[r % 3:] + ("array_api_jax", "array_api_strict",
                                                                              "numpy")[:r % 3]:
            out = subprocess.run([sys.executable, "-c", _COLD.format(module=module)], env=env, cwd=root, check=True,
                                 capture_output=True, text=True).stdout.split()
            rows.append({"library": module, "seconds": float(out[0]), "import_seconds": float(out[1])})
            echo(f"  cold scikit-learn {module:17s} {float(out[0]) * 1e3:9.1f} ms first use "
                 f"(imports {float(out[1]):.2f} s)")
    return rows


def summary(rows, cold):
    """Per workload and phase: total seconds and compilations per library, and array_api_jax / array_api_strict."""
    out = {}
    for row in rows:
        key = f"{row['workload']} / {row['phase']}"
        entry = out.setdefault(key, {})
        lib = entry.setdefault(row["library"], {"seconds": 0.0, "compiles": 0})
        lib["seconds"] += row["seconds"]
        lib["compiles"] += row["compiles"]
    for entry in out.values():
        if "array_api_strict" in entry:
            entry["ratio_vs_strict"] = entry["array_api_jax"]["seconds"] / entry["array_api_strict"]["seconds"]
    if cold:
        best = {}
        for row in cold:
            best[row["library"]] = min(best.get(row["library"], float("inf")), row["seconds"])
        out["scikit-learn / cold"] = {lib: {"seconds": s} for lib, s in best.items()}
        out["scikit-learn / cold"]["ratio_vs_strict"] = best["array_api_jax"] / best["array_api_strict"]
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the rows and the summary to this file")
    parser.add_argument("--no-cold", action="store_true", help="skip the fresh-process runs")
    args = parser.parse_args()
    print("workloads (wall time and XLA compilations per step):")
    rows = run()
    cold = [] if args.no_cold else run_cold()
    result = summary(rows, cold)
    for key, entry in result.items():
        print(f"{key:28s} " + "  ".join(f"{lib} {v['seconds'] * 1e3:8.1f} ms" + (
            f" ({v['compiles']} compilations)" if "compiles" in v else "")
            for lib, v in entry.items() if isinstance(v, dict)) + f"   ratio {entry.get('ratio_vs_strict', 0):.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": rows, "cold": cold, "summary": result}, f, indent=1)


if __name__ == "__main__":
    main()
