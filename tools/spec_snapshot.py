"""Regenerate ``src/array_api_jax/_spec_names.json`` from the standard's stubs.

Usage: python tools/spec_snapshot.py PATH/TO/array-api/src

The snapshot records, for every published version, the names of the main namespace, the ``linalg`` and
``fft`` extensions, the array object and the inspection namespace, with each callable's signature. The
package reads it to build its versioned namespaces; the tests compare the namespace against it.
"""

import importlib
import inspect
import json
import sys
from pathlib import Path

VERSIONS = ["2021.12", "2022.12", "2023.12", "2024.12", "2025.12"]
OUT = Path(__file__).resolve().parents[1] / "src" / "array_api_jax" / "_spec_names.json"


def _signature(obj):
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    params = [p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values()]
    return str(sig.replace(parameters=params, return_annotation=inspect.Signature.empty))


def _members(module, names):
    out = {}
    for name in names:
        obj = getattr(module, name)
        out[name] = _signature(obj) if callable(obj) and not isinstance(obj, type) else None
    return out


def snapshot(stubs_src):
    sys.path.insert(0, str(stubs_src))
    result = {}
    for version in VERSIONS:
        pkg = "array_api_stubs._" + version.replace(".", "_")
        main = importlib.import_module(pkg)
        entry = {}
        names = set()
        for mod_name in ("constants", "creation_functions", "data_type_functions", "elementwise_functions",
                         "indexing_functions", "linear_algebra_functions", "manipulation_functions",
                         "searching_functions", "set_functions", "sorting_functions",
                         "statistical_functions", "utility_functions"):
            try:
                mod = importlib.import_module(f"{pkg}.{mod_name}")
            except ImportError:
                continue
            names.update(mod.__all__)
        entry["main"] = _members(main, sorted(names))
        for ext in ("linalg", "fft"):
            try:
                mod = importlib.import_module(f"{pkg}.{ext}")
            except ImportError:
                continue
            # some stubs define a function without listing it in __all__ (2025.12 linalg.eig, eigvals)
            defined = {n for n, o in vars(mod).items() if inspect.isfunction(o) and o.__module__ == mod.__name__
                       and not n.startswith("_")}
            entry[ext] = _members(mod, sorted(set(mod.__all__) | defined))
        try:
            info = importlib.import_module(f"{pkg}.info")
            entry["info"] = _members(info, sorted(n for n in info.__all__ if n != "__array_namespace_info__"))
            entry["main"]["__array_namespace_info__"] = "()"
        except ImportError:
            pass
        array_cls = importlib.import_module(f"{pkg}.array_object")._array
        entry["array"] = {
            name: (None if isinstance(obj, property) else _signature(obj))
            for name, obj in vars(array_cls).items()
            if not name.startswith("_") or (name.startswith("__") and name != "__init__" and callable(obj))
            if name not in ("__module__", "__qualname__", "__dict__", "__weakref__", "__doc__")
        }
        entry["dtypes"] = sorted(importlib.import_module(f"{pkg}.data_types").__all__) if hasattr(
            importlib.import_module(f"{pkg}.data_types"), "__all__") else []
        result[version] = entry
    return result


if __name__ == "__main__":
    data = snapshot(Path(sys.argv[1]))
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT}")
