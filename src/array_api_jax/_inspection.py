"""The inspection namespace returned by ``__array_namespace_info__()``."""

from typing import Any

import jax
import numpy as np

from . import _dtypes, _flags
from ._data_types import _isdtype

__all__ = ["__array_namespace_info__"]


def default_device():
    return jax.devices()[0]


class __array_namespace_info__:  # noqa: N801 - the standard's name
    """Capabilities, devices and dtypes of this namespace (the standard's inspection API)."""

    def capabilities(self):
        """Optional features: boolean indexing, data-dependent shapes (see set_flags), max dimensions."""
        flags = _flags.FLAGS
        return {
            "boolean indexing": flags["boolean_indexing"] and flags["data_dependent_shapes"],
            "data-dependent shapes": flags["data_dependent_shapes"],
            "max dimensions": 64,
        }

    def default_device(self):
        """The device new arrays go to when no device is given."""
        return default_device()

    def default_dtypes(self, *, device=None):
        """The default dtypes (switchable with ``array_api_jax.set_default_dtypes``)."""
        _check_device(device, "default_dtypes")
        d = _dtypes.DEFAULTS
        return {kind: _dtypes.PUBLIC[d[kind]] for kind in ("real floating", "complex floating", "integral",
                                                              "indexing")}

    def devices(self):
        """Every device JAX can use, as a tuple."""
        return tuple(jax.devices())

    def dtypes(self, *, device=None, kind=None):
        """The supported dtypes, by name, optionally of one kind (or a tuple of kinds)."""
        _check_device(device, "dtypes")
        if kind is None:
            return {d.name: _dtypes.PUBLIC[d] for d in _dtypes.DTYPES}
        return {d.name: _dtypes.PUBLIC[d] for d in _dtypes.DTYPES if _isdtype(d, kind, "dtypes")}


def _check_device(device, func):
    if device is not None and device not in jax.devices() and not isinstance(device, jax.sharding.Sharding):
        raise ValueError(f"{func}: unknown device {device!r}; see devices()")


def set_default_dtypes(*, real_floating: Any = None, complex_floating: Any = None, integral: Any = None,
                       indexing: Any = None) -> None:
    """Switch the default dtypes used when no ``dtype=`` is given (e.g. ``real_floating=xp.float32`` for GPUs).

    Setting ``real_floating`` alone also sets ``complex_floating`` to the matching precision. The change is
    global for the strict namespace (extras keeps its own: extras.set_float, extras.enable_x64) and shows in
    ``info.default_dtypes()``;
    ``set_default_dtypes()`` with no arguments restores float64/complex128/int64/int64.
    """
    if all(v is None for v in (real_floating, complex_floating, integral, indexing)):
        _dtypes.DEFAULTS.update(_DEFAULT_DTYPES)
        return
    new = dict(_dtypes.DEFAULTS)
    for key, value, allowed in (("real floating", real_floating, _dtypes.REAL_FLOATING),
                                ("complex floating", complex_floating, _dtypes.COMPLEX_FLOATING),
                                ("integral", integral, _dtypes.INTEGER),
                                ("indexing", indexing, _dtypes.SIGNED)):
        if value is None:
            continue
        if isinstance(value, _dtypes.DType):
            value = value.dtype
        elif isinstance(value, (str, type)):  # a name ('float32'), a NumPy or JAX type (np.float32, jnp.float32)
            try:
                value = np.dtype(value)
            except TypeError:
                pass
        if value not in allowed:
            raise TypeError(f"set_default_dtypes: {key.replace(' ', '_')} must be one of "
                            f"{sorted(d.name for d in allowed)}, got {value!r}")
        new[key] = value
    if real_floating is not None and complex_floating is None:
        new["complex floating"] = _dtypes.complex_of(new["real floating"])
    _dtypes.DEFAULTS.update(new)


_DEFAULT_DTYPES = dict(_dtypes.DEFAULTS)
