"""The inspection namespace returned by ``__array_namespace_info__()``."""

import jax

from . import _dtypes, _flags, _validate

__all__ = ["__array_namespace_info__"]

_validate._MULTI_DEVICE[0] = jax.device_count() > 1


def default_device():
    return jax.devices()[0]


class __array_namespace_info__:  # noqa: N801 - the standard's name
    """Capabilities, devices and dtypes of this namespace (the standard's inspection API)."""

    __module__ = "array_api_jax"

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
        return {"real floating": d["real floating"], "complex floating": d["complex floating"],
                "integral": d["integral"], "indexing": d["indexing"]}

    def devices(self):
        """Every device JAX can use, as a tuple."""
        return tuple(jax.devices())

    def dtypes(self, *, device=None, kind=None):
        """The supported dtypes, by name, optionally of one kind (or a tuple of kinds)."""
        _check_device(device, "dtypes")
        from ._data_types import isdtype

        if kind is None:
            return {d.name: d for d in _dtypes.DTYPES}
        return {d.name: d for d in _dtypes.DTYPES if isdtype(d, kind)}


def _check_device(device, func):
    if device is not None and device not in jax.devices() and not isinstance(device, jax.sharding.Sharding):
        raise ValueError(f"{func}: unknown device {device!r}; see devices()")
