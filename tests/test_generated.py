"""The checked-in files generated from the tables (tools/stubs.py) are what the tables generate today.

The extras converter table pins which converter each extras wrapper applies to each parameter, decisions taken
from jax.numpy's annotation text: when a JAX upgrade changes one, this fails (rerun tools/stubs.py and review
the diff) instead of the wrapper silently changing behaviour.
"""

import importlib.util
import inspect
import json
from pathlib import Path

import jax.numpy as jnp
import pytest

import array_api_jax.extras  # noqa: F401 - builds the wrappers, recording their decisions
from array_api_jax import _versions
from array_api_jax.extras import _namespace

ROOT = Path(__file__).resolve().parents[1]


def _load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


stubs = _load("stubs")
GENERATED = stubs.generated()


@pytest.mark.parametrize("path", sorted(GENERATED), ids=lambda p: str(p.relative_to(ROOT)))
def test_checked_in_file_is_what_the_tables_generate(path):
    assert path.read_text() == GENERATED[path], f"{path.relative_to(ROOT)} is stale: run python tools/stubs.py"


def test_the_spec_docs_cover_every_function_of_the_current_standard():
    names = _versions.spec_names()[_versions.CURRENT]
    docs = json.loads((ROOT / "src" / "array_api_jax" / "_spec_docs.json").read_text())
    for section in ("main", "linalg", "fft", "array"):
        functions = {n for n, sig in names[section].items() if sig is not None} - {"__array_namespace_info__"}
        assert functions <= set(docs[section]), section
        assert all(docs[section][n]["summary"] and docs[section][n]["signature"] for n in functions)


def test_the_installed_jax_decides_as_the_pinned_converter_table():
    assert _namespace.DECISIONS == _namespace.PINNED


def test_wrappers_apply_the_pinned_decision_not_the_annotation_rule(monkeypatch):
    params = _namespace._parameters(jnp.sin)
    assert _namespace._converters("array_api_jax.extras", "sin", params)["x"] is _namespace.to_raw
    monkeypatch.setitem(_namespace.PINNED, "array_api_jax.extras", {"sin": {"x": "unwrap"}})
    assert _namespace._converters("array_api_jax.extras", "sin", params)["x"] is _namespace.unwrap
    assert [p.name for p in params] == list(inspect.signature(array_api_jax.extras.sin).parameters)[:1]
