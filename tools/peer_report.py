"""Summarise ``make peer-tests``: counts per suite and namespace, and array_api_jax's failures that
array_api_strict passes, each of which must be listed with its reason in tools/peer_expectations.txt.

Usage: python tools/peer_report.py REPORT_DIR [--json PATH]   (the pytest-json-report files <suite>-<namespace>.json)
Exits 1 when such a failure is not in the expectations file (or an expectation no longer fails). ``--json`` writes
the counts, with the date and machine, to PATH (``make peer-tests``: benchmarks/results-peer.json, which the
README's figures quote).
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


def outcomes(path):
    """nodeid (with the namespace's name replaced by {ns}) -> outcome, for one report."""
    if not path.exists():
        return None
    out = {}
    for test in json.loads(path.read_text()).get("tests", []):
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


def main(report_dir, json_path=None):
    report_dir = pathlib.Path(report_dir)
    expected = expectations()
    unexplained, fixed, summary = [], [], []
    print(f"{'suite':10} {'namespace':18} {'passed':>7} {'failed':>7} {'skipped':>8} {'xfailed':>8}")
    for suite in SUITES:
        runs = {ns: outcomes(report_dir / f"{suite}-{ns}.json") for ns in NAMESPACES}
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
        summary.append({"name": SUITE_NAMES[suite][0], "version": _version(SUITE_NAMES[suite][1]),
                        "shared": len(shared), "failing": failing, "only_ours": only_ours})
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
