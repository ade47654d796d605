"""Regenerate ``src/array_api_jax/_spec_names.json`` and ``_spec_docs.json`` from the standard's stubs.

Usage: python tools/spec_snapshot.py PATH/TO/array-api/src

The snapshot records, for every published version, the names of the main namespace, the ``linalg`` and
``fft`` extensions, the array object and the inspection namespace, with each callable's signature. The
package reads it to build its versioned namespaces; the tests compare the namespace against it.

``_spec_docs.json`` keeps, for the current version's functions and array members, the annotated signature (the
standard's type names: ``array``, ``dtype``, ``device``, ...) and the docstring condensed to its summary, each
parameter's and return value's type and first sentence. tools/stubs.py writes the type stubs from it, and the
package builds its docstrings from it.
"""

import ast
import importlib
import inspect
import json
import re
import sys
from pathlib import Path

VERSIONS = ["2021.12", "2022.12", "2023.12", "2024.12", "2025.12"]
OUT = Path(__file__).resolve().parents[1] / "src" / "array_api_jax" / "_spec_names.json"
DOCS_OUT = OUT.with_name("_spec_docs.json")
SECTIONS = ("constants", "creation_functions", "data_type_functions", "elementwise_functions", "indexing_functions",
            "linear_algebra_functions", "manipulation_functions", "searching_functions", "set_functions",
            "sorting_functions", "statistical_functions", "utility_functions")


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
        for mod_name in SECTIONS:
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


def _first_sentence(text):
    """The first sentence, with the spec's Sphinx roles (:ref:`broadcasting`) as plain literals."""
    text = " ".join(text.split())
    text = re.sub(r":(?:ref|func|class|math|meth|attr):`~?([^`<]*?)\s*(?:<[^>]*>)?`", r"``\1``", text)
    match = re.match(r"(.+?\.)(\s|$)", text)
    return match.group(1) if match else text


def _condense(doc):
    """summary, parameters and returns of a numpydoc docstring: each entry (name, type, first sentence)."""
    lines = inspect.cleandoc(doc or "").splitlines()
    out = {"summary": "", "parameters": [], "returns": []}
    section, entry, summary = None, None, []
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and set(lines[i + 1].strip()) == {"-"} and line.strip():
            section = {"Parameters": "parameters", "Returns": "returns"}.get(line.strip(), "other")
            entry = None
            continue
        if set(line.strip()) == {"-"}:
            continue
        if section is None:
            summary.append(line)
        elif section in ("parameters", "returns"):
            if re.match(r"\*{0,2}\w+\s*:", line):  # "name: type" (notes and admonitions are not entries)
                name, _, kind = line.partition(":")
                entry = [name.strip(), kind.strip(), ""]
                out[section].append(entry)
            elif not line.startswith(" ") and line.strip():
                entry = None
            elif entry is not None and line.strip() and not entry[2]:
                entry[2] = line.strip().removeprefix("- ")
            elif entry is not None and line.strip() and not entry[2].endswith("."):
                entry[2] += " " + line.strip().removeprefix("- ")  # a list item continues the sentence
    out["summary"] = _first_sentence(" ".join(summary).strip())
    for entries in (out["parameters"], out["returns"]):
        for entry in entries:
            entry[2] = _first_sentence(entry[2])
    return out


def _annotated(node):
    """The signature of a stub's function definition as written (the standard's type names)."""
    return "(" + ast.unparse(node.args) + ")" + (f" -> {ast.unparse(node.returns)}" if node.returns else "")


def _defs(path):
    tree = ast.parse(Path(path).read_text())
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            out[node.name] = node
        elif isinstance(node, ast.ClassDef) and node.name == "_array":
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    out["array." + item.name] = item
    return out


def docs(stubs_src, version=VERSIONS[-1]):
    """function or ``array.member`` -> its annotated signature and condensed docstring, per section."""
    pkg = Path(stubs_src) / "array_api_stubs" / ("_" + version.replace(".", "_"))
    result = {"main": {}, "linalg": {}, "fft": {}, "array": {}}
    for path in sorted(pkg.glob("*.py")):
        section = {"linalg": "linalg", "fft": "fft", "array_object": "array"}.get(path.stem, "main")
        if section == "main" and path.stem not in SECTIONS:
            continue
        for name, node in _defs(path).items():
            name = name.removeprefix("array.")
            if name.startswith("_") and not name.startswith("__") or name == "__init__":
                continue
            entry = {"signature": _annotated(node), **_condense(ast.get_docstring(node))}
            if any(isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list):
                entry["property"] = True
            result[section][name] = entry
    return result


if __name__ == "__main__":
    data = snapshot(Path(sys.argv[1]))
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    DOCS_OUT.write_text(json.dumps(docs(Path(sys.argv[1])), indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT} and {DOCS_OUT}")
