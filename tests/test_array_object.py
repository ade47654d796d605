"""The Array object: conversions, interchange, pickling, repr, iteration, NumPy-only method hints."""

import copy
import pickle

import jax
import numpy as np
import pytest

import array_api_jax as xp


def test_python_scalar_conversions_of_0d_arrays():
    assert bool(xp.asarray(True)) is True
    assert int(xp.asarray(7)) == 7
    assert float(xp.asarray(2.5)) == 2.5
    assert complex(xp.asarray(1 + 2j)) == 1 + 2j
    assert [10, 20, 30][xp.asarray(1)] == 20


@pytest.mark.parametrize("convert", [bool, int, float, complex])
def test_scalar_conversion_of_non_0d_raises_type_error(convert):
    with pytest.raises(TypeError, match="0-dimensional"):
        convert(xp.asarray([1.0, 2.0]))


def test_index_of_float_raises():
    with pytest.raises(TypeError, match="integer"):
        [1, 2][xp.asarray(1.0)]


def test_numpy_conversion_is_writeable_copy():
    x = xp.asarray([1.0, 2.0])
    a = np.asarray(x)
    assert a.flags.writeable
    a[0] = 50.0
    assert float(x[0]) == 1.0
    with pytest.raises(ValueError, match="copy"):
        x.__array__(copy=False)


def test_dlpack_round_trip_with_numpy():
    x = xp.asarray([[1, 2], [3, 4]], dtype=xp.int32)
    a = np.from_dlpack(x)
    np.testing.assert_array_equal(a, [[1, 2], [3, 4]])
    y = xp.from_dlpack(np.arange(3.0))
    assert isinstance(y, xp.Array) and y.dtype == xp.float64
    assert x.__dlpack_device__()[0] == 1  # kDLCPU


@pytest.mark.parametrize("dup", [copy.copy, copy.deepcopy, lambda a: pickle.loads(pickle.dumps(a))])
def test_copy_and_pickle_round_trip_is_independent(dup):
    x = xp.asarray([1.5, 2.5])
    y = dup(x)
    assert type(y) is xp.Array and y.dtype == x.dtype
    y[0] = 0.0
    assert float(x[0]) == 1.5


def test_unpickling_refuses_anything_but_numpy_data():
    from array_api_jax._array import _rebuild

    with pytest.raises(TypeError):
        _rebuild(xp.Array, [1, 2])


def test_iteration_over_1d_and_refusal_for_2d():
    assert [int(v) for v in xp.asarray([4, 5, 6])] == [4, 5, 6]
    with pytest.raises(TypeError, match="1-D"):
        iter(xp.ones((2, 2)))


def test_repr_shows_values_and_dtype():
    r = repr(xp.asarray([1, 2], dtype=xp.int16))
    assert "1" in r and "2" in r and "int16" in r and r.startswith("array_api_jax.Array(")


def test_repr_names_the_public_class_so_it_cannot_be_taken_for_a_jax_array():
    import array_api_jax.extras as bm

    assert repr(xp.asarray([2.0, 2.0])) == "array_api_jax.Array([2., 2.], dtype=float64)"
    assert repr(bm.asarray([2.0, 2.0])) == "array_api_jax.extras.ndarray([2., 2.], dtype=float32)"  # BrainPy defaults
    assert str(xp.asarray(True)) == "array_api_jax.Array(True, dtype=bool)"
    assert repr(xp.eye(2)) == ("array_api_jax.Array([[1., 0.],\n"
                               "                     [0., 1.]], dtype=float64)")  # rows aligned under the name
    seen = []
    jax.jit(lambda a: seen.append(repr(a)) or a)(xp.ones((2, 3), dtype=xp.float32))
    assert seen == ["array_api_jax.Array(traced float32[2,3])"]


def test_numpy_only_method_hints_at_the_standard_function():
    with pytest.raises(AttributeError, match=r"xp\.reshape.*extras"):
        _ = xp.asarray([1, 2]).reshape
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = xp.asarray([1]).nope


def test_array_cannot_be_constructed_directly():
    with pytest.raises(TypeError, match="asarray"):
        xp.Array([1, 2])


def test_device_attribute_and_to_device():
    x = xp.asarray([1.0])
    import jax

    assert x.device == jax.devices()[0]
    assert x.to_device(x.device) is x
    assert xp.asarray([1.0], device=jax.devices()[0]).device == jax.devices()[0]


def test_namespace_attributes():
    x = xp.asarray([1])
    assert x.__array_namespace__() is xp
    assert xp.__array_api_version__ == "2025.12"


def test_array_is_small():
    x = xp.asarray([1.0])
    import sys

    assert sys.getsizeof(x) <= 100
    assert not hasattr(x, "__dict__")


def test_dtype_objects_compare_only_with_dtypes():
    import numpy as np

    x = xp.asarray([1.0])
    assert x.dtype == xp.float64 and x.dtype != xp.float32
    assert x.dtype != None  # noqa: E711 - NumPy would read None as float64
    assert x.dtype != "float64" and x.dtype != float
    assert np.dtype("float64") == x.dtype  # interoperates with NumPy's dtype objects
    assert repr(xp.int8) == "array_api_jax.int8" and xp.int8.name == "int8"
    assert not xp.can_cast(xp.bool, xp.float64)


def test_format_spec_formats_a_0d_array_by_value():
    # NumPy's 0-D arrays do this, and SciPy formats 0-D tolerances in its messages (f"{atol:.3g}")
    assert f"{xp.asarray(1.23456):.2f}" == "1.23" and f"{xp.asarray(7):>3d}" == "  7"
    assert f"{xp.asarray(True)}" == str(xp.asarray(True))
    assert f"{xp.asarray([1.0, 2.0])}" == str(xp.asarray([1.0, 2.0]))   # an empty spec: str, any shape
    with pytest.raises(TypeError, match=r"__format__: only 0-dimensional arrays .* \(got shape \(2,\)\)"):
        f"{xp.asarray([1.0, 2.0]):.2f}"


def test_a_numpy_only_method_names_the_strict_spelling():
    with pytest.raises(AttributeError, match=r"has no attribute 'tolist' .*: use numpy\.asarray\(x\)\.tolist\(\), or "
                                             r"array_api_jax\.extras"):
        xp.asarray([1.0]).tolist()
    with pytest.raises(AttributeError, match=r"use xp\.reshape\(x, shape\)"):
        xp.asarray([1.0]).reshape(1)
