"""The package's import graph: no cycle, and every module imports on its own in a fresh process.

The graph is read from the sources with ``ast``: every import of a module of the package counts, also one inside a
function (a function-level import that dodges a cycle is still a cycle). Modules are imported leaves first, each in
a fresh process (forked from an interpreter that has imported only jax and NumPy) with only its own imports run:
the core's modules under a package whose ``__init__`` has not run (so that no earlier import in ``__init__`` hides
a missing or cyclic one), the extras' modules after the core (which never imports them) under an extras package
whose ``__init__`` has not run.
"""

import ast
import graphlib
import os
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "array_api_jax"


def _module_names():
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


MODULES = _module_names()


def _path(name):
    base = PACKAGE.parent.joinpath(*name.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def _imports(name):
    """The package's modules that ``name`` imports anywhere in its source (a package stands for its __init__)."""
    is_package = _path(name).name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(_path(name).read_text())):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = name.split(".")
                base = parts if is_package else parts[:-1]
                base = base[:len(base) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module
            # `from . import x` imports the submodule x when there is one, else a name of the package
            targets = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in MODULES else stem for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != name)
    return found


GRAPH = {name: _imports(name) for name in MODULES}


def _cycle(graph):
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as e:
        return e.args[1]
    return None


def test_the_graph_sees_the_known_edges():
    assert "array_api_jax._array" in GRAPH["array_api_jax._elementwise"]
    assert "array_api_jax._operations" in GRAPH["array_api_jax._array"]
    assert "array_api_jax.extras._ndarray" in GRAPH["array_api_jax.extras._members"]


def test_the_core_has_no_import_cycle():
    core = {m: {t for t in deps if not t.startswith("array_api_jax.extras")}
            for m, deps in GRAPH.items() if not m.startswith("array_api_jax.extras")}
    assert _cycle(core) is None, f"import cycle in the core: {' -> '.join(_cycle(core))}"


def test_the_core_never_imports_extras():
    for m, deps in GRAPH.items():
        if not m.startswith("array_api_jax.extras"):
            assert not [t for t in deps if t.startswith("array_api_jax.extras")], m


def test_cycle_detection_works():
    assert _cycle({"a": {"b"}, "b": {"a"}}) is not None


def test_the_package_has_no_import_cycle():  # extras included
    assert _cycle(GRAPH) is None, f"import cycle: {' -> '.join(_cycle(GRAPH))}"


def _leaves_first():
    """The core's modules, then the extras', each leaves first."""
    order = list(graphlib.TopologicalSorter(GRAPH).static_order()) if _cycle(GRAPH) is None else MODULES
    return sorted(order, key=lambda m: m.startswith("array_api_jax.extras"))  # stable: keeps the order within


# One interpreter imports jax and NumPy (3 s of CPU, which 40 fresh interpreters would pay 40 times), then forks
# one child per module: each child starts with no module of the package loaded and imports only its own.
_IMPORT_EACH_ALONE = """
import importlib, importlib.util, os, sys, traceback
import jax, jax.numpy, numpy
for name in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        try:
            stub = "array_api_jax.extras" if name.startswith("array_api_jax.extras") else "array_api_jax"
            if stub != "array_api_jax":
                importlib.import_module("array_api_jax")  # the core never imports extras: it comes first
            spec = importlib.util.find_spec(stub)
            sys.modules[stub] = importlib.util.module_from_spec(spec)  # the package, its __init__ not run
            if name != stub:
                importlib.import_module(name)
            else:
                spec.loader.exec_module(sys.modules[stub])
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(1)
        os._exit(0)
    if os.waitpid(pid, 0)[1] != 0:
        sys.exit(f"import {name} alone failed")
"""


def test_each_module_imports_alone_in_a_fresh_process():
    """Leaves first: the first module that fails is named, with its traceback."""
    names = [m for m in _leaves_first() if not m.endswith("__main__")]  # __main__ runs the report
    out = subprocess.run([sys.executable, "-c", _IMPORT_EACH_ALONE, *names], capture_output=True, text=True,
                         timeout=600, env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)})
    assert out.returncode == 0, out.stderr[-3000:]
