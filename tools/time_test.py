"""Time ``make demo`` and ``make test`` (each part of it too) and write the durations, with the date, machine and
load, to benchmarks/results-make.json, which CONTRIBUTING.md's figures quote (tools/figures.py).

Usage: python tools/time_test.py [--targets demo test] [--fresh-cache] [--out benchmarks/results-make.json]
       [-- MAKE_ARGS...]

``--fresh-cache`` gives the run an empty JAX compilation cache, as on a fresh clone (the default cache in
~/.cache/array-api-jax is left alone). The machine should be otherwise idle: the load average is recorded.
"""

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import machine  # tools/machine.py, beside this file

ROOT = Path(__file__).resolve().parents[1]
PART = re.compile(r"^== (\S+): (passed|FAILED) in (\d+) s$")



def run(target, make_args, env):
    """(seconds, {part: seconds}, exit status) of ``make TARGET``; its output is passed through as it comes."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(["make", target, *make_args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    parts = {}
    for line in proc.stdout:
        sys.stdout.write(line)
        m = PART.match(line.rstrip("\n"))
        if m:
            parts[m.group(1)] = int(m.group(3))
    return time.perf_counter() - t0, parts, proc.wait()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", nargs="+", default=["demo", "test"])
    parser.add_argument("--fresh-cache", action="store_true", help="an empty JAX compilation cache")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results-make.json"))
    parser.add_argument("make_args", nargs="*", help="after --: passed to make")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    cache = tempfile.mkdtemp(prefix="xla-cache-") if args.fresh_cache else None
    if cache:
        env["JAX_COMPILATION_CACHE_DIR"] = cache
    venv = Path(ROOT / next((a.split("=", 1)[1] for a in args.make_args if a.startswith("VENV=")), ".venv"))
    load_start = os.getloadavg()[0]
    result = {"date": datetime.date.today().isoformat(),
              "machine": f"{machine.describe()}, "
                         f"Python {platform.python_version()}",
              "compilation cache": "empty at the start" if cache else "as left by earlier runs",
              "venv": "already set up" if (venv / ".installed").exists() else "set up by this run",
              "targets": {}}
    status = 0
    for target in args.targets:
        seconds, parts, code = run(target, args.make_args, env)
        result["targets"][target] = {"seconds": round(seconds), "parts": parts, "passed": code == 0}
        status = status or code
    result["load average"] = {"start": load_start, "end": os.getloadavg()[0]}
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {args.out}")
    return status


if __name__ == "__main__":
    sys.exit(main())
