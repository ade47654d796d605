"""extras' settings: BrainPy's default dtypes (float32/int32/complex64), enable_x64, set_float, ... and x64."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import array_api_jax as xp
import array_api_jax.extras as bm


def test_extras_defaults_are_brainpys_and_the_strict_namespace_keeps_float64():
    assert bm.ones(3).dtype == bm.float32 and bm.arange(3).dtype == bm.int32
    assert bm.asarray([1.5, 2]).dtype == bm.float32 and bm.asarray(1j).dtype == bm.complex64
    assert bm.random.normal(size=2).dtype == bm.float32 and bm.random.randint(3, size=2).dtype == bm.int32
    assert bm.Variable(3).dtype == bm.float32
    assert bm.get_float() == bm.float32 and bm.get_int() == bm.int32 and bm.get_complex() == bm.complex64
    assert bm.__array_namespace_info__().default_dtypes()["real floating"] == bm.float32
    assert xp.ones(3).dtype == xp.float64
    assert xp.__array_namespace_info__().default_dtypes()["real floating"] == xp.float64


def test_enable_and_disable_x64():
    bm.enable_x64()
    assert bm.ones(3).dtype == bm.float64 and bm.arange(3).dtype == bm.int64 and bm.get_complex() == bm.complex128
    assert bm.__array_namespace_info__().default_dtypes()["integral"] == bm.int64
    bm.disable_x64()
    assert bm.ones(3).dtype == bm.float32 and jax.config.jax_enable_x64  # JAX's mode stays on
    bm.enable_x64(False)
    assert bm.get_float() == bm.float32


@pytest.mark.parametrize("dtype", [bm.float64, xp.float64, "float64", np.float64, jnp.float64, np.dtype("float64")])
def test_setters_accept_every_spelling_of_a_dtype(dtype):
    bm.set_float(dtype)
    assert bm.get_float() == bm.float64 and bm.zeros(2).dtype == bm.float64
    xp.set_default_dtypes(real_floating=dtype)
    assert xp.zeros(2).dtype == xp.float64


@pytest.mark.parametrize("spelling", ["float32", np.float32, jnp.float32, xp.float32])
def test_strict_set_default_dtypes_accepts_names_and_numpy_and_jax_types(spelling):
    xp.set_default_dtypes(real_floating=spelling)
    assert xp.ones(2).dtype == xp.float32


def test_set_int_and_set_complex_and_refusals():
    bm.set_int("int16")
    assert bm.arange(3).dtype == bm.int16
    bm.set_complex(np.complex128)
    assert bm.asarray(1j).dtype == bm.complex128
    for setter, bad in ((bm.set_float, "int32"), (bm.set_int, bm.float32), (bm.set_complex, "float64"),
                        (bm.set_float, "float16"), (bm.set_float, "nonsense")):
        with pytest.raises(TypeError):
            setter(bad)
    assert bm.get_float() == bm.float32


def test_x64_switched_off_by_another_library_raises_instead_of_changing_dtypes():
    jax.config.update("jax_enable_x64", False)
    try:
        assert bm.ones(2).dtype == bm.float32  # 32-bit defaults are unaffected
        with pytest.raises(RuntimeError, match="jax_enable_x64"):
            bm.zeros(2, dtype=bm.float64)
        with pytest.raises(RuntimeError, match="brainpy"):
            bm.set_float("float64")
        bm.enable_x64()  # switches it back on
        assert jax.config.jax_enable_x64 and bm.zeros(2, dtype="float64").dtype == bm.float64
    finally:
        jax.config.update("jax_enable_x64", True)


def test_platform_and_host_device_count():
    bm.set_platform("cpu")
    assert bm.get_platform() == "cpu"
    with pytest.raises(ValueError):
        bm.set_platform("abacus")
    bm.set_host_device_count(len(jax.devices("cpu")))  # already running with that count: nothing to do
    with pytest.raises(RuntimeError, match="before"):
        bm.set_host_device_count(len(jax.devices("cpu")) + 1)
    with pytest.raises(ValueError):
        bm.set_host_device_count(0)
