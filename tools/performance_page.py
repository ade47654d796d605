"""Write docs/performance.md from benchmarks/results.json (written by ``make bench``).

Usage: python tools/performance_page.py [RESULTS] [--out docs/performance.md]

The page has the date and machine of the run, a summary of the ratios array_api_jax / jax.numpy per tier,
the full latency table, and what the numbers say about NumPy (computed from the same data, so the text
cannot drift from the table). Regenerate it after a benchmark run; the generated page is committed.
"""

import argparse
import json
import math
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIBS = ("array_api_jax", "jax.numpy", "numpy", "array_api_strict")
TIERS = {
    "micro": "Small arrays (100 elements, or 64x64), eager: one operation per call",
    "large": "Large arrays (1000x1000), eager",
    "jit": "Whole functions under jax.jit",
    "random": ("Random draws: array_api_jax.extras.random without keys; the jax.numpy column is jax.random "
               "with an explicit key (split, then sample)"),
}


def fmt_time(t):
    if t is None:
        return "—"
    if t >= 1e-3:
        return f"{t * 1e3:.2f} ms"
    return f"{t * 1e6:.1f} µs"


def fmt_ratio(r):
    """A ratio with at most two significant digits (0.29, 1.1, 16): a shared machine's timings are not more
    precise than that."""
    if r is None:
        return "—"
    if r == 0:
        return "0"
    value = round(r, 1 - math.floor(math.log10(abs(r))))
    return f"{value:.{max(0, 1 - math.floor(math.log10(abs(value))))}f}"


def _ratio(a, b):
    return a / b if a and b else None


def headline(results):
    """One sentence for the README: the median ratios per tier and the import time."""
    s = results["summary"]
    parts = [f"{tier} {fmt_ratio(s[tier]['median_ratio'])}" for tier in TIERS if tier in s]
    return ("median time ratio array_api_jax / jax.numpy: " + ", ".join(parts)
            + f"; import {results['import']['array_api_jax'] * 1e3:.0f} ms "
            f"(jax.numpy {results['import']['jax.numpy'] * 1e3:.0f} ms)")


def numpy_notes(rows):
    """What the data says about NumPy against array_api_jax, per tier."""
    notes = []
    micro = [(r["op"], _ratio(r.get("array_api_jax"), r.get("numpy"))) for r in rows if r["tier"] == "micro"]
    micro = [(op, q) for op, q in micro if q is not None]
    if micro:
        slower = [q for _, q in micro if q > 1]
        notes.append(
            f"- **Tiny eager operations: NumPy stays faster.** On {len(slower)} of the {len(micro)} small-array "
            f"operations NumPy is faster than array_api_jax, by a factor of {min(slower):.0f} to "
            f"{max(slower):.0f} (median {statistics.median(slower):.0f}). Each eager call of a JAX-backed "
            "library dispatches a compiled kernel (about 6 µs on this kind of machine before any work is done), "
            "while NumPy's small-array calls take about 1 µs. This is the price of JAX, and jax.numpy pays it too; "
            "for code made of many tiny eager steps on a CPU, NumPy is the better tool — or put the steps in one "
            "`jax.jit` function, which removes the per-operation cost.")
    large = [(r["op"], _ratio(r.get("array_api_jax"), r.get("numpy"))) for r in rows if r["tier"] == "large"]
    large = [(op, q) for op, q in large if q is not None]
    if large:
        faster = [f"{op} ({fmt_ratio(1 / q)}x faster than NumPy)" for op, q in large if q < 1]
        slower = [f"{op} ({fmt_ratio(q)}x slower than NumPy)" for op, q in large if q >= 1]
        notes.append("- **Large arrays:** the per-call cost disappears; what is left is the kernels themselves "
                     "(NumPy's, or XLA's for a hot call where XLA is faster): "
                     + "; ".join(faster + slower) + ".")
    return notes


def slower_note(rows, threshold=1.3):
    """The operations where array_api_jax is clearly slower than jax.numpy in this run, and why."""
    slow = [(r["op"], r["ratio"], r["tier"]) for r in rows
            if r["tier"] != "jit" and r.get("ratio") and r["ratio"] >= threshold]
    if not slow:
        return [f"No operation is more than {threshold} times slower than jax.numpy in this run.", ""]
    listed = ", ".join(f"{op} ({fmt_ratio(q)})" for op, q, _ in sorted(slow, key=lambda t: -t[1]))
    why = []
    if any(tier != "random" for _, _, tier in slow):
        why.append("for eager operations, the wrapper's own work on a call of a few microseconds (for `take` and "
                   "integer-array indexing, the eager bounds check that raises `IndexError` where JAX would clamp)")
    if any(tier == "random" for _, _, tier in slow):
        why.append("for keyless draws under `jax.jit`, JAX's dispatch of a function that reads and writes a "
                   "`jax.Ref`: its fast C++ path refuses functions with state effects, so every call takes JAX's "
                   "Python path")
    return [f"Slower than jax.numpy by a factor of {threshold} or more in this run: {listed}. The cause: "
            + "; ".join(why) + ".", ""]


def noise_note(rows):
    """How noisy the run was, read off the jit tier (where both columns run the same XLA program)."""
    jit = [r["ratio"] for r in rows if r["tier"] == "jit" and r.get("ratio")]
    if not jit:
        return []
    return [f"Under `jax.jit` the wrapper disappears from the compiled program: both columns of the jit tier run "
            f"the same XLA computation, so their ratios (here {fmt_ratio(min(jit))} to {fmt_ratio(max(jit))}) "
            "measure this run's noise, not a difference. Read ratios that close to 1 elsewhere as ties; timings on a "
            "small shared machine move by tens of percent from run to run."]


# drawn by tools/plots.py from the same results file when the docs are built (docs/conf.py)
FIGURE = [
    "```{figure} _generated/performance.svg",
    ":alt: Per operation, the time ratio of array_api_jax to jax.numpy and to array_api_strict, on a log scale",
    ":width: 100%",
    "",
    "Time ratio per operation, array_api_jax / jax.numpy (blue) and array_api_jax / array_api_strict (orange); "
    "left of the line at 1, array_api_jax is faster. The tables below have the times.",
    "```",
    "",
]


WORKLOAD_STEPS = {"new": "new shapes, one after another", "again": "the same shapes again",
                  "cold": "first use in a fresh process (imports not counted)"}


def workloads_section(results):
    """The workloads tier: library code per namespace, with XLA compilation counts (benchmarks/workloads.py)."""
    w = results.get("workloads")
    if not w:
        return []
    lines = ["## Workloads: library code on new and repeated shapes", "",
             "`benchmarks/workloads.py` runs scikit-learn (LDA, PCA, Ridge, StandardScaler), SciPy (zscore, "
             "logsumexp, convolve, trapezoid, whiten, ttest_ind) and array-api-extra (at, cov, pad, isclose, "
             "nunique, atleast_nd) on arrays of each namespace; the libraries take turns at every step. Each "
             "namespace first runs every workload once, untimed, on a shape of its own, so that no column pays "
             "for a library's first call in the process (the last row measures that first call).", "",
             "| workload | steps | array_api_jax | XLA compilations | array_api_strict | NumPy | "
             "array_api_jax / array_api_strict |", "|---|---|---:|---:|---:|---:|---:|"]
    for key, entry in w["summary"].items():
        workload, phase = key.split(" / ")
        ours, strict, np_ = (entry.get(lib, {}) for lib in ("array_api_jax", "array_api_strict", "numpy"))
        lines.append(f"| {workload} | {WORKLOAD_STEPS.get(phase, phase)} | {fmt_time(ours.get('seconds'))} | "
                     f"{ours.get('compiles', '—')} | {fmt_time(strict.get('seconds'))} | "
                     f"{fmt_time(np_.get('seconds'))} | {fmt_ratio(entry.get('ratio_vs_strict'))} |")
    return lines + [""]


def render(results):
    rows = results["rows"]
    libs = [lib for lib in LIBS if any(lib in r for r in rows)]
    s = results["summary"]
    lines = [
        "# Performance",
        "",
        "<!-- Generated by tools/performance_page.py from benchmarks/results.json; do not edit. -->",
        "",
        "`make bench-docs` (`benchmarks/run.py`) times the same operations on the same data with array_api_jax, "
        "jax.numpy, NumPy and array_api_strict: the median of several repetitions, waiting for JAX's "
        "asynchronous results (`block_until_ready`), after two warm-up calls per library (the first compiles). "
        "array_api_jax runs in float64 (the standard's default), and so do the others.",
        "",
        f"- date: {results['date']}",
        f"- machine: {results['machine']}",
        *([f"- load average (1 minute): {results['load']['start']:.1f} at the start, {results['load']['end']:.1f} "
            "at the end"] if results.get("load") else []),
        *([f"- mode: {results['mode']}"] if results.get("mode") else []),
        "",
        "## Summary",
        "",
        "| tier | median array_api_jax / jax.numpy | max | median array_api_jax / array_api_strict |",
        "|---|---:|---:|---:|",
    ]
    for tier in TIERS:
        if tier in s:
            lines.append(f"| {tier} | {fmt_ratio(s[tier]['median_ratio'])} | {fmt_ratio(s[tier]['max_ratio'])} | "
                         f"{fmt_ratio(s[tier].get('median_ratio_vs_strict'))} |")
    imp = results["import"]
    lines += [
        "",
        f"Import time: array_api_jax {imp['array_api_jax'] * 1e3:.0f} ms, jax.numpy {imp['jax.numpy'] * 1e3:.0f} ms "
        f"(ratio {fmt_ratio(results['import_ratio'])}).",
        "",
        *FIGURE,
        "A ratio below 1 means array_api_jax is faster. Which path runs where ([details](host-path.md)): when "
        "JAX's default device is a CPU, eager arrays are NumPy values computed with NumPy under the same checks "
        "(a large array's operation that is called again and again runs as an XLA kernel where XLA is measured "
        "faster), so the eager rows here run on that host path; arrays on accelerators or shardings, and "
        "everything under `jax.jit`, run as one compiled XLA kernel per operation, chosen by its hashable "
        "arguments from a bounded cache, with the dtype and shape checks traced into the kernel once per input "
        "signature. On the XLA path, a predicate (a comparison, `isnan`, ...) is computed when first used, so "
        "`where`, `any`, `all` and `count_nonzero` fold it into their own kernel.",
        "",
        *workloads_section(results),
        *noise_note(rows),
        "",
        *slower_note(rows),
        "## Where NumPy stays faster",
        "",
        *numpy_notes(rows),
        "",
    ]
    for tier, title in TIERS.items():
        tier_rows = [r for r in rows if r["tier"] == tier]
        if not tier_rows:
            continue
        lines += [f"## {title}", "",
                  "| operation | " + " | ".join(libs) + " | array_api_jax / jax.numpy | array_api_jax / numpy |",
                  "|---|" + "---:|" * (len(libs) + 2)]
        for r in tier_rows:
            cells = [fmt_time(r.get(lib)) for lib in libs]
            lines.append(f"| {r['op']} | " + " | ".join(cells) + f" | {fmt_ratio(r.get('ratio'))} | "
                         f"{fmt_ratio(_ratio(r.get('array_api_jax'), r.get('numpy')))} |")
        lines.append("")
    errors = [(r["op"], lib, e) for r in rows for lib, e in r.get("errors", {}).items()]
    if errors:
        lines += ["## Not run", ""] + [f"- {op} with {lib}: {e}" for op, lib, e in errors] + [""]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="?", default=str(ROOT / "benchmarks" / "results.json"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "performance.md"))
    args = parser.parse_args(argv)
    results = json.loads(Path(args.results).read_text())
    Path(args.out).write_text(render(results))
    print(f"wrote {args.out}")
    print(headline(results))


if __name__ == "__main__":
    main()
