"""The declared public surface, both ways: no standard name missing, no name beyond the declared additions.

Standard names come from the spec snapshot; this library's own names are listed, each with its reason, in
``_surface.ADDITIONS``. Every public module has ``__all__`` and a ``__dir__`` giving exactly its public names,
and every public function or class says, in ``__module__``, the public module it is reached from.
"""

import inspect

import jax.numpy as jnp
import numpy as np
import pytest

import array_api_jax as xp
import array_api_jax.extras as bm
import array_api_jax.extras.random as rnd
from array_api_jax import _surface, _versions
from array_api_jax.extras import _namespace

ADD = _surface.ADDITIONS


def _public(module):
    """What a module really exposes: its non-underscore attributes (subpackages imported later aside)."""
    return {n for n in vars(module) if not n.startswith("_") or n == "__array_namespace_info__"} - {"extras"}


def _check_both_ways(module, standard, additions):
    public = _public(module)
    assert not standard - public, ("missing standard names", sorted(standard - public))
    assert not public - standard - set(additions), ("undeclared names", sorted(public - standard - set(additions)))
    assert sorted(module.__all__) == sorted(standard | set(additions)) == sorted(public)
    assert all(len(reason) > 10 for reason in additions.values())
    assert [n for n in dir(module) if not n.startswith("__")] == sorted(n for n in module.__all__
                                                                        if not n.startswith("__"))


@pytest.mark.parametrize("name", ["array_api_jax", "array_api_jax.linalg", "array_api_jax.fft"])
def test_core_modules_expose_the_standard_and_the_declared_additions(name):
    module = {"array_api_jax": xp, "array_api_jax.linalg": xp.linalg, "array_api_jax.fft": xp.fft}[name]
    _check_both_ways(module, _surface.standard_names(name), ADD[name])


@pytest.mark.parametrize("version", _versions.VERSIONS[:-1])
def test_each_api_version_namespace_exposes_exactly_its_names(version):
    ns = xp.asarray([1]).__array_namespace__(api_version=version)
    _check_both_ways(ns, _surface.standard_names("array_api_jax", version), {})
    later_only = _surface.standard_names("array_api_jax") - _surface.standard_names("array_api_jax", version)
    assert later_only and not later_only & set(dir(ns))
    for ext in ("linalg", "fft"):
        if hasattr(ns, ext):
            _check_both_ways(getattr(ns, ext), set(_versions.spec_names()[version][ext]), {})


def test_extras_is_jax_numpy_less_its_exclusions_plus_the_declared_additions():
    wrapped = set(_namespace.public_callables(jnp)) - set(_namespace.EXCLUDED)
    _check_both_ways(bm, wrapped, ADD["array_api_jax.extras"])
    for sub in (bm.linalg, bm.fft):
        _check_both_ways(sub, set(_namespace.public_callables(getattr(jnp, sub.__name__.rsplit(".")[-1]))), {})


def test_extras_random_is_numpy_random_less_what_is_not_provided_plus_the_declared_additions():
    not_provided = {n.strip() for key in rnd.NOT_PROVIDED for n in key.split(",")}
    numpy_names = set(np.random.__all__) - not_provided
    _check_both_ways(rnd, numpy_names, ADD["array_api_jax.extras.random"])


def test_no_module_internal_name_leaks():
    for module, names in [(xp.linalg, ("np", "jnp", "lax", "Array", "kernel", "builtins", "math")),
                          (xp.fft, ("np", "jnp", "lax", "Array", "kernel", "operator")),
                          (bm, ("find_spec", "NAMESPACE", "EXCLUDED")), (bm.linalg, ("EXCLUDED",)),
                          (rnd, ("np", "jax", "lax"))]:
        assert not [n for n in names if hasattr(module, n)], module.__name__


def _owners():
    for module in (xp, xp.linalg, xp.fft, bm, bm.linalg, bm.fft, rnd):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj) or inspect.isclass(obj) or inspect.ismethod(obj):
                yield module, name, obj


def test_every_public_function_and_class_names_its_public_module():
    wrong = []
    for module, name, obj in _owners():
        expected = module.__name__
        if module is xp.linalg and name in xp.__all__:  # the standard's aliases: linalg.matmul is xp.matmul
            expected = "array_api_jax"
        if obj.__module__ != expected:
            wrong.append((module.__name__, name, obj.__module__))
    assert not wrong
    assert xp.Array.__module__ == "array_api_jax" and bm.ndarray.__module__ == "array_api_jax.extras"
    assert xp.linalg.qr.__module__ == "array_api_jax.linalg" and xp.add.__module__ == "array_api_jax"
    assert bm.Variable.__module__ == "array_api_jax.extras"
    assert type(xp.linalg.qr(xp.eye(2))).__module__ == "array_api_jax.linalg"  # the result classes too


def test_every_addition_exists():
    modules = {"array_api_jax": xp, "array_api_jax.linalg": xp.linalg, "array_api_jax.fft": xp.fft,
               "array_api_jax.extras": bm, "array_api_jax.extras.random": rnd}
    assert set(ADD) == set(modules)
    for name, additions in ADD.items():
        assert all(hasattr(modules[name], n) for n in additions), name
