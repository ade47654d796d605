"""tools/walk.py: the files one warm call walks through, on both paths, stay within today's counts."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("walk", ROOT / "tools" / "walk.py")
walk = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(walk)

# (stays, rooms, climbs back up) per call and path, measured 2026-12-06 (docs/design.md, "Call walks"): upper bounds,
# so a change that lengthens a walk fails here; lower them when a change shortens one
BOUNDS = {
    "`x[1:3] = v`": {"XLA": (3, 2, 1), "host": (5, 3, 2)},
    "`y[1:3] = v`, `y` a view": {"XLA": (3, 2, 1), "host": (5, 3, 2)},
    "`xp.add(x1, x2)`": {"XLA": (3, 2, 1), "host": (3, 2, 1)},
    "`xp.sum(x)`": {"XLA": (5, 3, 2), "host": (5, 3, 2)},
}


@pytest.fixture(scope="module")
def rows():
    """The walks as the script measures them: in a fresh process with JAX's own devices (this suite simulates eight
    CPU devices, and with several devices an element-wise call also checks that its operands share one)."""
    env = {k: v for k, v in os.environ.items() if k != "XLA_FLAGS"}
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "walk.py"), "--json"], env=env, check=True,
                         capture_output=True, text=True).stdout
    return {row["call"]: row for row in json.loads(out)["rows"]}


def test_every_call_is_bounded(rows):
    assert set(rows) == set(BOUNDS)


@pytest.mark.parametrize("call", BOUNDS)
@pytest.mark.parametrize("path", walk.PATHS)
def test_no_walk_is_longer_than_today(rows, call, path):
    got = rows[call][path]
    counts = (got["stays"], got["rooms"], got["climbs"])
    assert all(n <= bound for n, bound in zip(counts, BOUNDS[call][path])), (
        f"{call} on the {path} path walks {counts} (stays, rooms, climbs back up), more than {BOUNDS[call][path]}: "
        f"{' -> '.join(got['walk'])}")


def test_the_walk_of_an_xla_add_is_a_call_and_its_return(rows):
    """The definition on the shortest walk: into _array (Array._new) and back up into _operations, where the
    public element-wise functions are made beside their kernels and host twins."""
    for path in walk.PATHS:
        assert rows["`xp.add(x1, x2)`"][path]["walk"] == ["_operations.py", "_array.py", "_operations.py"]


def test_a_write_stays_in_indexing_from_its_checks_to_its_store(rows):
    """x[1:3] = v, through a view too: Array.__setitem__ takes the lock and _indexing does the rest (the parse, the
    value's checks, the kernel, the store up to the root); the host path adds one stay in _host (sole_owner)."""
    for call in ("`x[1:3] = v`", "`y[1:3] = v`, `y` a view"):
        assert rows[call]["XLA"]["walk"] == ["_array.py", "_indexing.py", "_array.py"]
        assert rows[call]["host"]["walk"] == ["_array.py", "_indexing.py", "_host.py", "_indexing.py", "_array.py"]


def test_stays_rooms_and_climbs_of_a_walk():
    steps = [("a.py", "call"), ("a.py", "call"), ("b.py", "call"), ("a.py", "return"), ("c.py", "call"),
             ("b.py", "call"), ("c.py", "return"), ("a.py", "return")]
    assert walk.summary(steps) == {"stays": 7, "rooms": 3, "climbs": 3,
                                   "walk": ["a.py", "b.py", "a.py", "c.py", "b.py", "c.py", "a.py"]}


def test_each_path_is_that_path(rows):
    """The script's arrays are host values on the host path and jax.Arrays on the XLA path (the walks alone cannot
    tell: a reduction's twin runs in _statistical as its kernel does), and the XLA path's walks never enter
    _host."""
    import array_api_jax as xp
    from array_api_jax._host import HostArray

    saved = xp.get_host_path()
    try:
        for path in walk.PATHS:
            xp.set_host_path(path == "host")
            for name, make in walk.CALLS:
                arrays = [c.cell_contents for c in make(xp).__closure__ if isinstance(c.cell_contents, xp.Array)]
                assert arrays, name
                assert all((type(a._data()) is HostArray) is (path == "host") for a in arrays), (name, path)
    finally:
        xp.set_host_path(saved)
    for call, row in rows.items():
        assert "_host.py" not in row["XLA"]["walk"], call
