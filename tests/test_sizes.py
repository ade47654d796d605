"""Sizes XLA cannot represent raise ValueError before JAX sees them (XLA would abort the process).

XLA aborts (SIGABRT, not an exception) when a buffer's byte count overflows int64: ``zeros((2**62,))`` in
float64, ``zeros((2**31, 2**31))``. Smaller impossible sizes reach XLA, which raises its out-of-memory error.
"""

import time

import numpy as np
import pytest

import array_api_jax as xp
from array_api_jax import _validate

HUGE = [
    ("zeros", lambda: xp.zeros((2**62,))),
    ("zeros", lambda: xp.zeros((2**31, 2**31))),
    ("ones", lambda: xp.ones((2**60,))),  # exactly 2**63 bytes
    ("empty", lambda: xp.empty((2**63,), dtype=xp.bool)),
    ("full", lambda: xp.full((2**62, 2), 1, dtype=xp.uint8)),
    ("full", lambda: xp.full((2**61, 4), 0.0)),
    ("eye", lambda: xp.eye(2**31, 2**31)),
    ("arange", lambda: xp.arange(2**62)),
    ("linspace", lambda: xp.linspace(0, 1, 2**62)),
    ("meshgrid", lambda: xp.meshgrid(*[xp.ones(2**16)] * 4)),
    ("broadcast_to", lambda: xp.broadcast_to(xp.ones(1), (2**62,))),
    ("tile", lambda: xp.tile(xp.ones(2), (2**62,))),
    ("repeat", lambda: xp.repeat(xp.ones(2), 2**62)),
    ("repeat", lambda: xp.repeat(xp.ones((2, 2)), 2**62, axis=1)),
]


@pytest.mark.parametrize("func, make", HUGE, ids=[f"{n}-{i}" for i, (n, _) in enumerate(HUGE)])
def test_sizes_beyond_int64_bytes_raise_value_error_quickly(func, make):
    start = time.perf_counter()
    with pytest.raises(ValueError, match=rf"{func}: .*shape \(.*2\*\*63 - 1 bytes"):
        make()
    assert time.perf_counter() - start < 1.0


def test_the_limit_is_bytes_not_elements():
    limit = 2**63 - 1
    assert _validate.fits((limit,), np.dtype("uint8"), "f") == (limit,)  # checked only, not allocated
    with pytest.raises(ValueError, match=r"f: .*\(9223372036854775808 bytes\)"):
        _validate.fits((limit // 8 + 1,), np.dtype("float64"), "f")


def test_infinite_arange_raises_value_error():
    with pytest.raises(ValueError, match="arange: .*infinite"):
        xp.arange(0.0, float("inf"))


def test_ordinary_sizes_are_untouched():
    assert xp.zeros((0, 2**40)).shape == (0, 2**40)  # no elements: no bytes
    assert xp.broadcast_to(xp.ones(1), (3, 4)).shape == (3, 4)
    assert xp.tile(xp.ones((2, 1)), (2, 3)).shape == (4, 3)
