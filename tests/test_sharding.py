"""Devices and sharding: a pipeline written against xp on an 8-device mesh matches one device."""

import jax
import numpy as np
import pytest
from jax.sharding import Mesh, NamedSharding, PartitionSpec

import array_api_jax as xp

pytestmark = pytest.mark.skipif(jax.device_count() < 8, reason="needs 8 (simulated) devices")


def pipeline(x):
    """Standardize columns, project, reduce, threshold, write a slice, sort: only the standard's API."""
    z = (x - xp.mean(x, axis=0)) / xp.std(x, axis=0)
    w = xp.ones((x.shape[1], 4), dtype=x.dtype)
    p = xp.matmul(z, w)
    p = xp.where(p > 0, p, 0.0)
    p[:, 0] = xp.sum(p, axis=1)
    return xp.sort(p, axis=0), xp.max(p, axis=1)


@pytest.fixture
def row_sharding():
    mesh = Mesh(np.array(jax.devices()[:8]), ("rows",))
    return NamedSharding(mesh, PartitionSpec("rows", None))


@pytest.fixture
def data():
    return np.random.default_rng(0).random((64, 6))


@pytest.mark.parametrize("jit", [False, True])
def test_sharded_pipeline_matches_single_device_and_stays_sharded(row_sharding, data, jit):
    run = jax.jit(pipeline) if jit else pipeline
    single = run(xp.asarray(data))
    sharded_input = xp.asarray(data, device=row_sharding)
    assert sharded_input.device == row_sharding
    sharded = run(sharded_input)
    for a, b in zip(single, sharded):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-12)
    out = sharded[0]
    assert len(out._data().sharding.device_set) == 8
    assert out.device == sharded_input.device or out._data().sharding.is_equivalent_to(row_sharding, 2)


def test_device_of_multi_device_array_is_comparable(row_sharding, data):
    a = xp.asarray(data, device=row_sharding)
    b = xp.zeros((64, 6), device=row_sharding)
    assert a.device == b.device


def test_to_device_moves_between_single_devices(data):
    d0, d1 = jax.devices()[:2]
    x = xp.asarray(data, device=d0)
    y = x.to_device(d1)
    assert y.device == d1 and x.device == d0
    np.testing.assert_array_equal(np.asarray(y), data)


def test_mixing_arrays_on_different_devices_raises_value_error(data):
    d0, d1 = jax.devices()[:2]
    a = xp.asarray(data, device=d0)
    b = xp.asarray(data, device=d1)
    with pytest.raises(ValueError, match="different devices"):
        a + b
    with pytest.raises(ValueError, match="different devices"):
        xp.matmul(a, xp.matrix_transpose(b))


def test_info_devices_lists_every_device():
    info = xp.__array_namespace_info__()
    assert info.devices() == tuple(jax.devices())
    assert len(info.devices()) >= 8


@pytest.mark.parametrize("make", [xp.zeros, xp.ones, lambda s, device: xp.full(s, 2.0, device=device),
                                  lambda s, device: xp.asarray(np.ones(s), device=device)])
def test_creation_functions_take_a_device(make):
    d = jax.devices()[3]
    assert make((4,), device=d).device == d
