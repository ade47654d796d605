"""Versioned namespaces and the namespace's names and signatures against the checked-in snapshot."""

import inspect

import pytest

import array_api_jax as xp
from array_api_jax._versions import VERSIONS, spec_names

SNAPSHOT = spec_names()


@pytest.mark.parametrize("version", VERSIONS)
def test_namespace_per_version_is_one_fixed_object(version):
    x = xp.asarray([1])
    ns = x.__array_namespace__(api_version=version)
    assert ns is x.__array_namespace__(api_version=version)
    assert ns == xp.asarray([2.0]).__array_namespace__(api_version=version)
    assert ns.__array_api_version__ == version


def test_unknown_api_version_raises_value_error():
    with pytest.raises(ValueError, match="api_version"):
        xp.asarray([1]).__array_namespace__(api_version="2020.01")


def test_current_version_is_the_package():
    assert xp.asarray([1]).__array_namespace__(api_version="2025.12") is xp


def _kinds(sig_text):
    """Parameter names and kinds from a snapshot signature string."""
    ns = {}
    exec(f"def f{sig_text}: pass", ns)  # the snapshot text is our own checked-in data
    return _ours(ns["f"])


def _ours(func):
    return [(p.name, p.kind, p.default is inspect.Parameter.empty)
            for p in inspect.signature(func).parameters.values()]


@pytest.mark.parametrize("section, name", sorted(
    (section, name) for section in ("main", "linalg", "fft") for name, sig in SNAPSHOT["2025.12"][section].items()
    if sig is not None and name != "__array_namespace_info__"))
def test_signature_matches_the_standard(section, name):
    module = xp if section == "main" else getattr(xp, section)
    func = getattr(module, name)
    assert _ours(func) == _kinds(SNAPSHOT["2025.12"][section][name])


@pytest.mark.parametrize("name", sorted(n for n, s in SNAPSHOT["2025.12"]["array"].items() if s is not None))
def test_array_method_signatures_match_the_standard(name):
    assert _ours(getattr(xp.Array, name)) == _kinds(SNAPSHOT["2025.12"]["array"][name])


def test_every_array_member_exists():
    # the namespaces' names, both ways, are tested in test_surface.py
    assert all(hasattr(xp.Array, n) for n in SNAPSHOT["2025.12"]["array"])


@pytest.mark.parametrize("version, container", [("2023.12", list), ("2024.12", list), ("2025.12", tuple)])
def test_behaviour_that_changed_between_versions_follows_the_namespace(version, container):
    ns = xp.asarray([1]).__array_namespace__(api_version=version)
    a = ns.asarray([1, 2])
    assert type(ns.meshgrid(a, a)) is container
    assert type(ns.broadcast_arrays(a, a)) is container
    assert type(ns.__array_namespace_info__().devices()) is container
    assert inspect.signature(ns.meshgrid) == inspect.signature(xp.meshgrid)
