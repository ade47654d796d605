"""Every public function of the public modules, and every public method, property and dunder of ``Array`` and
``extras.ndarray``, has a docstring (``help(xp.add)``, ``help(x.__setitem__)`` and IDEs show it)."""

import inspect

import pytest

import array_api_jax as xp
import array_api_jax.extras as bm
import array_api_jax.extras.random as rnd
from array_api_jax import _special_cases, _surface

MODULES = {"array_api_jax": xp, "array_api_jax.linalg": xp.linalg, "array_api_jax.fft": xp.fft,
           "array_api_jax.extras": bm, "array_api_jax.extras.random": rnd, "array_api_jax.extras.linalg": bm.linalg,
           "array_api_jax.extras.fft": bm.fft}


def _undocumented_functions(module):
    return sorted(name for name in module.__all__
                  if inspect.isroutine(obj := getattr(module, name)) and not (obj.__doc__ or "").strip())


def _members(cls):
    """The public names and dunders that ``cls`` or a base of the package defines (object's are Python's)."""
    for name in dir(cls):
        if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
            continue
        owner = next(c for c in cls.__mro__ if name in vars(c))
        if owner.__module__.startswith("array_api_jax"):
            attr = vars(owner)[name]
            if isinstance(attr, (property, classmethod, staticmethod)) or inspect.isroutine(attr):
                yield name, attr


def _undocumented_members(cls):
    return sorted(name for name, attr in _members(cls)
                  if not (getattr(attr, "__func__", attr).__doc__ or "").strip())


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_public_function_has_a_docstring(name):
    assert _undocumented_functions(MODULES[name]) == []


@pytest.mark.parametrize("cls", [xp.Array, bm.ndarray], ids=["Array", "ndarray"])
def test_every_public_method_and_dunder_has_a_docstring(cls):
    names = dict(_members(cls))
    assert {"__setitem__", "__iter__", "__bool__", "__dlpack__", "__add__", "__radd__", "__iadd__", "shape",
            "to_device"} <= set(names)  # the walk sees the table-made operators, properties and plain methods
    assert _undocumented_members(cls) == []


def test_an_element_wise_docstring_names_the_standard_only_for_its_functions():
    standard = _surface.standard_names("array_api_jax")
    for name in _special_cases.DECLARED:
        assert ("the array API standard's" in getattr(xp, name).__doc__) == (name in standard), name
