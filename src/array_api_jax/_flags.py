"""Jit-readiness flags: make data-dependent-shape functions and boolean indexing raise even eagerly.

Library authors turn these off to check, without tracing, that their code would run under ``jax.jit``.
``__array_namespace_info__().capabilities()`` reports the current values.
"""

import contextlib
from collections.abc import Iterator

_DEFAULTS = {"data_dependent_shapes": True, "boolean_indexing": True}
FLAGS = dict(_DEFAULTS)


def get_flags() -> dict[str, bool]:
    """Return a copy of the current jit-readiness flags."""
    return dict(FLAGS)


def set_flags(*, data_dependent_shapes: bool | None = None, boolean_indexing: bool | None = None) -> None:
    """Enable or disable data-dependent-shape functions and boolean-mask indexing.

    ``data_dependent_shapes=False`` makes ``nonzero``, the ``unique_*`` functions and boolean-mask indexing raise;
    ``boolean_indexing=False`` makes boolean-mask indexing and assignment raise.
    """
    for name, value in (("data_dependent_shapes", data_dependent_shapes), ("boolean_indexing", boolean_indexing)):
        if value is not None:
            if not isinstance(value, bool):
                raise TypeError(f"set_flags: {name} must be a bool, got {type(value).__name__}")
            FLAGS[name] = value


def reset_flags() -> None:
    """Restore the default flags (everything enabled)."""
    FLAGS.update(_DEFAULTS)


@contextlib.contextmanager
def flags(**kwargs: bool) -> Iterator[None]:
    """Context manager that sets flags for the duration of a block and then restores them."""
    saved = dict(FLAGS)
    set_flags(**kwargs)
    try:
        yield
    finally:
        FLAGS.clear()
        FLAGS.update(saved)
