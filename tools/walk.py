"""The call walks: which of the package's files one warm call goes through, in order, on both paths.

Usage: python tools/walk.py            print the table (markdown)
       python tools/walk.py --json     print the walks as JSON
       python tools/walk.py --write    also write benchmarks/results-walk.json (docs/design.md quotes it through
                                       tools/figures.py)

The walk of a call is the sequence of package files (files under src/array_api_jax) that the running frame is
in, recorded by ``sys.setprofile`` on Python ``call`` and ``return`` events only (calls of C functions are not
steps): a ``call`` into a frame of a package file records that file; a ``return`` to a frame of a package file
(the caller) records the caller's file. Frames outside the package (NumPy, JAX, the caller) record nothing. Each
call is made a few times first (``WARM_UP``), so caches are filled and the walk measured is the warm one. Then:

- **stays**: the maximal runs of one file in the walk (a step into another file starts a new stay);
- **rooms**: the distinct files in the walk;
- **climbs back up**: the stays entered by a ``return``, i.e. going back up the stack into the caller's file.

``xp.add(x1, x2)`` on the XLA path walks ``_elementwise`` -> ``_array`` (``Array._new``) -> ``_elementwise``
(the return): 3 stays, 2 rooms, 1 climb back up. Each step into another file and back out is a stay there and a
climb back up, so stays are 1 + 2 x (calls into another file) when the call ends where it began.

The paths: "host" is the default for small eager arrays on a CPU (host values, NumPy); "XLA" turns the host path
off with ``set_host_path(False)`` before the arrays are made (what ``ARRAY_API_JAX_XLA_ONLY=1`` does for a whole
process), so they are jax.Arrays and every operation an XLA kernel. Run it in a process with JAX's own devices
(one CPU device by default): with several (``--xla_force_host_platform_device_count``) an element-wise call also
checks that its operands share one, two stays more (into ``_validate`` and back).
"""

import argparse
import datetime
import json
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import machine  # noqa: E402 - tools/machine.py: one machine description for every results file

RESULTS = ROOT / "benchmarks" / "results-walk.json"
WARM_UP = 3
PATHS = ("XLA", "host")


def _setitem(xp):
    x, v = xp.arange(10.0), xp.asarray([1.0, 2.0])

    def call():
        x[1:3] = v
    return call


def _view_setitem(xp):
    x, v = xp.arange(10.0), xp.asarray([1.0, 2.0])
    y = x[2:]

    def call():
        y[1:3] = v
    return call


def _add(xp):
    x1, x2 = xp.ones(5), xp.ones(5)
    return lambda: xp.add(x1, x2)


def _sum(xp):
    x = xp.arange(10.0)
    return lambda: xp.sum(x)


# the calls measured: (as the table shows it, a function of the namespace that makes the arrays and returns the call)
CALLS = (
    ("`x[1:3] = v`", _setitem),
    ("`y[1:3] = v`, `y` a view", _view_setitem),
    ("`xp.add(x1, x2)`", _add),
    ("`xp.sum(x)`", _sum),
)


def trace(call, package):
    """The walk of one warm ``call``: the package files, relative to ``package``, in the order the running frame
    enters them (one entry per call into, or return to, a frame of a package file)."""
    prefix = str(package) + "/"
    files = []

    def profile(frame, event, arg):
        if event == "call":
            code = frame.f_code
        elif event == "return" and frame.f_back is not None:
            code = frame.f_back.f_code
        else:
            return
        if code.co_filename.startswith(prefix):
            files.append((code.co_filename[len(prefix):], event))

    for _ in range(WARM_UP):
        call()
    sys.setprofile(profile)
    try:
        call()
    finally:
        sys.setprofile(None)
    return files


def summary(files):
    """{stays, rooms, climbs, walk} of a walk as ``trace`` returns it; ``walk`` lists the stays' files."""
    stays = [(name, event) for i, (name, event) in enumerate(files) if i == 0 or files[i - 1][0] != name]
    return {"stays": len(stays), "rooms": len({name for name, _ in files}),
            "climbs": sum(event == "return" for _, event in stays), "walk": [name for name, _ in stays]}


def measure():
    """[{call, XLA: summary, host: summary}] for each call of ``CALLS``."""
    import array_api_jax as xp

    package = Path(xp.__file__).parent
    saved = xp.get_host_path()
    rows = [{"call": name} for name, _ in CALLS]
    try:
        for path in PATHS:
            xp.set_host_path(path == "host")
            for row, (_, make) in zip(rows, CALLS):
                row[path] = summary(trace(make(xp), package))
    finally:
        xp.set_host_path(saved)
    return rows


def table(rows):
    """The markdown table: stays / rooms / climbs back up per call and path."""
    lines = ["| call | " + " | ".join(f"{path} path" for path in PATHS) + " |", "|---" * (1 + len(PATHS)) + "|"]
    for row in rows:
        lines.append(f"| {row['call']} | " + " | ".join(
            f"{row[p]['stays']} / {row[p]['rooms']} / {row[p]['climbs']}" for p in PATHS) + " |")
    return "\n".join(lines)


def results(rows):
    """The results file's content: the walks with the date, machine and versions of the run (the walks depend on
    the code and the versions, not on the machine)."""
    import jax
    import numpy

    return {"date": datetime.date.today().isoformat(), "machine": machine.describe(),
            "versions": f"Python {platform.python_version()}, jax {jax.__version__}, NumPy {numpy.__version__}",
            "definition": "tools/walk.py", "rows": rows}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the walks as JSON")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    rows = measure()
    print(json.dumps(results(rows), indent=1) if args.json else table(rows))
    if args.write:
        RESULTS.write_text(json.dumps(results(rows), indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
