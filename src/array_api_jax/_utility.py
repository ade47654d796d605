"""Utility functions: all, any, diff."""

import builtins


from . import _validate
from ._array import Array
from ._dispatch import kernel
from ._statistical import _reducer

__all__ = ["all", "any", "diff"]


def _truth_reduction(name, empty):
    # x != 0 first: jax.numpy's all/any look at the real part of complex numbers only (0 - 6j is truthy)
    reduce = _reducer(name, "all", lambda m, x, axes, keepdims, dt: getattr(m, name)(
        x if x.dtype == bool else x != 0, axis=axes, keepdims=keepdims))

    def func(x, /, *, axis=None, keepdims=False):
        return reduce(x, axis, keepdims)

    func.__name__ = func.__qualname__ = name
    func.__doc__ = (f"Whether {name} elements of x are truthy (non-zero; NaN counts as True) along ``axis`` "
                    f"(all axes by default); {empty} for an empty reduction.")
    return func


all = _truth_reduction("all", "True")  # noqa: A001 - the standard's name
any = _truth_reduction("any", "False")  # noqa: A001 - the standard's name


@kernel(static=("axis", "n"))
def _diff(m, x, prepend, append, *, axis, n):
    # only the ends given: NumPy would join a None as an object array
    ends = {k: v for k, v in (("prepend", prepend), ("append", append)) if v is not None}
    return m.diff(x, n=n, axis=axis, **ends)


def diff(x, /, *, axis=-1, n=1, prepend=None, append=None):
    """The n-th forward difference of x along ``axis``, after joining ``prepend`` and ``append`` to x."""
    v = _validate.array_in(x, "numeric", "diff")
    axis = _validate.axis(axis, v.ndim, "diff")
    n = _validate.integer(n, "diff", "n")
    if n < 0:
        raise ValueError(f"diff: n must be non-negative, got {n}")
    extra = []
    for arg, a in (("prepend", prepend), ("append", append)):
        if a is None:
            extra.append(None)
            continue
        e = _validate.array(a, "diff", arg)._data()
        if e.dtype != v.dtype:
            raise TypeError(f"diff: {arg} has dtype {e.dtype}, but x has dtype {v.dtype} (cast it with astype)")
        if e.ndim != v.ndim or builtins.any(p != q for i, (p, q) in enumerate(zip(e.shape, v.shape)) if i != axis):
            raise ValueError(f"diff: {arg} of shape {e.shape} must match x's shape {v.shape} except along axis "
                             f"{axis}")
        extra.append(e)
    _validate.devices_of([v] + [e for e in extra if e is not None], "diff")
    return Array._new(_diff(v, extra[0], extra[1], axis=axis, n=n))
