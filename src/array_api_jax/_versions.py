"""Versioned namespaces: one fixed module object per standard version, built from the spec snapshot.

``_spec_names.json`` (generated from the standard's stubs by tools/spec_snapshot.py) says which names exist in
each version. ``namespace(v)`` returns the same module object on every call, so namespaces compare with ``==``.
The current version (2025.12) is the package itself.
"""

import functools
import sys
import types
from typing import Any
from functools import cache

from . import _surface
from ._surface import CURRENT, DTYPE_NAMES, spec_names  # noqa: F401 - DTYPE_NAMES, spec_names: the tests read them

VERSIONS = ("2021.12", "2022.12", "2023.12", "2024.12", "2025.12")


def _returning_list(func):
    @functools.wraps(func)
    def earlier(*args, **kwargs):
        return list(func(*args, **kwargs))
    return earlier


def _info_with_device_list(info_cls: Any) -> type:
    class __array_namespace_info__(info_cls):  # noqa: N801 - the standard's name
        def devices(self):
            return list(super().devices())
    return __array_namespace_info__


# Behaviour that changed between versions, as data: name -> (the version from which the current behaviour
# holds, an adapter that turns the current function into the earlier behaviour).
EARLIER_BEHAVIOUR = {
    "meshgrid": ("2025.12", _returning_list),  # a list before 2025.12, a tuple since
    "broadcast_arrays": ("2025.12", _returning_list),
    "__array_namespace_info__": ("2025.12", _info_with_device_list),  # devices() was a list
}


@cache
def _build(version):
    pkg = sys.modules["array_api_jax"]
    names = spec_names()[version]
    mod = types.ModuleType(f"array_api_jax.v{version.replace('.', '_')}",
                           f"array_api_jax restricted to the names of the {version} standard.")
    for name in list(names["main"]) + list(DTYPE_NAMES):
        obj = getattr(pkg, name)
        earlier = EARLIER_BEHAVIOUR.get(name)
        if earlier is not None and version < earlier[0]:
            obj = earlier[1](obj)
        setattr(mod, name, obj)
    for ext in ("linalg", "fft"):
        if ext in names:
            sub = types.ModuleType(f"{mod.__name__}.{ext}")
            source = getattr(pkg, ext)
            for name in names[ext]:
                setattr(sub, name, getattr(source, name))
            setattr(mod, ext, sub)
            _surface.declare(sub, names[ext], public_module=source.__name__)
    mod.__array_api_version__ = version  # type: ignore[attr-defined]  # a module takes any attribute
    _surface.declare(mod, _surface.standard_names("array_api_jax", version), public_module=pkg.__name__)
    return mod


def namespace(api_version=None):
    """The namespace for ``api_version`` (None means the current version)."""
    if api_version is None or api_version == CURRENT:
        return sys.modules["array_api_jax"]
    if api_version not in VERSIONS:
        raise ValueError(f"__array_namespace__: unsupported api_version {api_version!r}; expected one of "
                         f"{', '.join(VERSIONS)} or None")
    return _build(api_version)
