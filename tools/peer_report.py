"""Summarise ``make peer-tests``: counts per suite and namespace, and array_api_jax's failures that
array_api_strict passes, each of which must be listed with its reason in tools/peer_expectations.txt.

Usage: python tools/peer_report.py REPORT_DIR [--json PATH]   (the pytest-json-report files <suite>-<namespace>.json,
or one per part of a suite run on its own, <suite>.<part>-<namespace>.json: SciPy's modules)
Also prints each namespace's wall time per suite and per part (pytest's own duration of the run: collection, tests
and reporting, the figure a library's CI pays). Exits 1 when such a failure is not in the expectations file (or an
expectation no longer fails). ``--json`` writes the counts and wall times, with the date and machine, to PATH
(``make peer-tests``: benchmarks/results-peer.json, which the README's figures quote).
"""

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import re
import pathlib
import sys

EXPECTATIONS = pathlib.Path(__file__).with_name("peer_expectations.txt")
SUITES = ("sklearn", "scipy", "xpx")
SUITE_NAMES = {"sklearn": ("scikit-learn", "scikit-learn"), "scipy": ("SciPy", "scipy"),
               "xpx": ("array-api-extra", "array-api-extra")}  # suite -> (name, distribution)
NAMESPACES = ("array_api_jax", "array_api_strict")
# scikit-learn runs array_api_strict at float64 on its default device and at float32 on its second one
# ("CPU_DEVICE-float64", "device1-float32"), array_api_jax at both dtypes on its default device ("None-float64",
# "None-float32"), and its mixed-input checks pair array_api_strict's second device, array_api_jax's default one,
# with other namespaces: the ids keep the dtype and drop the device, in the tests' ids and the estimator checks'.
PLACEMENTS = ((re.compile(r"\{ns\}-(?:CPU_DEVICE|device1|None)-(float64|float32)\b"), r"{ns}-\1"),
              (re.compile(r"(array_namespace=\{ns\}),device_name=(?:CPU_DEVICE|device1|None),"), r"\1,"),
              (re.compile(r"(NamespaceAndDevice\(xp='\{ns\}'), device=(?:'device1'|None)\)"), r"\1)"))


def reports(report_dir, suite, ns):
    """{part: report path} of one suite on one namespace: the whole suite's file (part ""), or one file per part."""
    whole = report_dir / f"{suite}-{ns}.json"
    if whole.exists():
        return {"": whole}
    return {path.name[len(suite) + 1:-len(f"-{ns}.json")]: path
            for path in sorted(report_dir.glob(f"{suite}.*-{ns}.json"))}


def outcomes(paths):
    """nodeid (with the namespace's name replaced by {ns}) -> outcome, over the reports of one suite's parts."""
    if not paths:
        return None
    out = {}
    for test in [t for path in paths for t in json.loads(path.read_text()).get("tests", [])]:
        nodeid = test["nodeid"]
        for ns in NAMESPACES:
            nodeid = nodeid.replace(ns, "{ns}")
        nodeid = nodeid.rpartition("site-packages/")[2]  # installed suites: from the package's directory on
        for pattern, replacement in PLACEMENTS:
            nodeid = pattern.sub(replacement, nodeid)
        out[nodeid] = test["outcome"]
    return out


def expectations():
    """nodeid -> reason, from lines ``nodeid  # reason`` (the {ns} placeholder as in the reports). A nodeid that
    ends with ``*`` is a prefix: it explains every test whose id starts with the rest (one line for a class
    whose thousands of parametrized tests fail for one reason)."""
    out = {}
    for line in EXPECTATIONS.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            nodeid, _, reason = line.partition("  # ")
            out[nodeid.strip()] = reason.strip()
    return out


def _version(dist):
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def wall_seconds(paths):
    """{part: seconds} of one suite's runs, as pytest timed each."""
    return {part: json.loads(path.read_text()).get("duration", 0.0) for part, path in paths.items()}


def _walls(suite, parts):
    """Lines comparing the namespaces' wall times (``parts``: namespace -> {part: seconds}) per part and, for a
    suite run in parts, in all; and the same as a JSON entry {part or "all": {namespace: seconds, "ratio": r}}."""
    rows = {name: {ns: p.get(name) for ns, p in parts.items()} for name in sorted(set().union(*parts.values()))}
    if len(rows) > 1:
        rows["all"] = {ns: sum(p.values()) for ns, p in parts.items()}
    lines, entry = [], {}
    for name, seconds in rows.items():
        ours, strict = seconds["array_api_jax"], seconds["array_api_strict"]
        if not ours or not strict:
            continue
        label = suite if name in ("", "all") else f"{suite}.{name}"
        lines.append(f"{label:20} wall time: array_api_jax {ours:.1f} s, array_api_strict {strict:.1f} s "
                     f"({ours / strict:.2f}x)")
        entry[name or "all"] = {"array_api_jax": round(ours, 1), "array_api_strict": round(strict, 1),
                                "ratio": round(ours / strict, 2)}
    return lines, entry


def main(report_dir, json_path=None):
    report_dir = pathlib.Path(report_dir)
    expected = expectations()
    unexplained, fixed, summary = [], [], []
    print(f"{'suite':10} {'namespace':18} {'passed':>7} {'failed':>7} {'skipped':>8} {'xfailed':>8}")
    for suite in SUITES:
        paths = {ns: reports(report_dir, suite, ns) for ns in NAMESPACES}
        runs = {ns: outcomes(list(paths[ns].values())) for ns in NAMESPACES}
        for ns, run in runs.items():
            if run is None:
                print(f"{suite:10} {ns:18} (not run)")
                continue
            counts = {k: sum(1 for v in run.values() if v == k) for k in ("passed", "failed", "skipped", "xfailed")}
            counts["failed"] += sum(1 for v in run.values() if v == "error")
            print(f"{suite:10} {ns:18} {counts['passed']:7} {counts['failed']:7} {counts['skipped']:8} "
                  f"{counts['xfailed']:8}")
        ours, strict = runs["array_api_jax"], runs["array_api_strict"]
        if ours is None or strict is None:
            continue
        shared = ours.keys() & strict.keys()
        failing = {ns: sum(1 for k in shared if run[k] in ("failed", "error")) for ns, run in runs.items()}
        print(f"{suite:10} {'shared tests':18} {len(shared):7}   failing: array_api_jax {failing['array_api_jax']}, "
              f"array_api_strict {failing['array_api_strict']}")
        only_ours = sum(1 for k in shared if ours[k] in ("failed", "error") and strict[k] == "passed")
        walls, wall_entry = _walls(suite, {ns: wall_seconds(p) for ns, p in paths.items()})
        print("\n".join(walls))
        summary.append({"name": SUITE_NAMES[suite][0], "version": _version(SUITE_NAMES[suite][1]),
                        "shared": len(shared), "failing": failing, "only_ours": only_ours,
                        "wall_seconds": wall_entry})
        prefixes = {p[:-1]: p for p in expected if p.endswith("*")}
        still_used = set()
        for nodeid, outcome in sorted(ours.items()):
            only_ours = outcome in ("failed", "error") and strict.get(nodeid) == "passed"
            prefix = next((p for p in prefixes if nodeid.startswith(p)), None)
            if only_ours and prefix is not None:
                still_used.add(prefix)
            elif only_ours and nodeid not in expected:
                unexplained.append(nodeid)
            elif nodeid in expected and outcome == "passed":
                fixed.append(nodeid)
        # a prefix whose tests ran in this suite but no longer fail only here
        fixed += [prefixes[p] for p in prefixes if p not in still_used and any(k.startswith(p) for k in ours)]
    if json_path and summary:
        machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU cores"
        pathlib.Path(json_path).write_text(json.dumps(
            {"date": datetime.date.today().isoformat(), "machine": machine, "jax": _version("jax"),
             "suites": summary}, indent=1) + "\n")
    for nodeid in unexplained:
        print(f"UNEXPLAINED: fails on array_api_jax, passes on array_api_strict: {nodeid}")
    for nodeid in fixed:
        print(f"FIXED: passes now, remove from {EXPECTATIONS.name}: {nodeid}")
    return 1 if unexplained or fixed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report_dir", nargs="?", default=".peer")
    parser.add_argument("--json", help="write the counts, with the date and machine, to this file")
    args = parser.parse_args()
    sys.exit(main(args.report_dir, args.json))
