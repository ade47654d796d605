"""Interchange: DLPack with NumPy and PyTorch (both ways), NumPy conversion, copy/deepcopy and pickle.

Memory-sharing rules checked here (see docs/interchange.md):
- ``copy=True`` (``asarray``, ``from_dlpack``) never aliases the source's memory, also where JAX's CPU client
  would (aligned NumPy buffers, PyTorch tensors).
- ``asarray`` of a NumPy array shares its memory on the host path (as NumPy does); a write through the Array copies
  first, and a crossing to JAX or an explicit copy detaches, so JAX's arrays and copies never change with it.
- ``from_dlpack(..., copy=False)`` aliases or raises BufferError; ``copy=None`` may alias.
- Unpickling only rebuilds data: ``_rebuild`` refuses anything but an Array class and a NumPy array of a
  standard dtype.
"""

import copy
import dataclasses
import io
import pickle

import numpy as np
import pytest

import array_api_jax as xp
from array_api_jax import extras
from array_api_jax import _host
from array_api_jax._array import _rebuild

DTYPE_NAMES = sorted(xp.__array_namespace_info__().dtypes())
PROTOCOLS = range(2, pickle.HIGHEST_PROTOCOL + 1)
KDLCPU = 1


def _sample(name, shape=(2, 3)):
    """A NumPy array of dtype ``name`` with distinct, exactly representable values."""
    n = int(np.prod(shape))
    if name == "bool":
        return (np.arange(n) % 2 == 0).reshape(shape)
    values = np.arange(1, n + 1).reshape(shape)
    if name.startswith("complex"):
        return (values + 1j * values[::-1]).astype(name)
    return values.astype(name)


def _aligned(n=1024, dtype=np.float64):
    """A NumPy array whose buffer is 64-byte aligned: the case where JAX's CPU client imports zero-copy."""
    itemsize = np.dtype(dtype).itemsize
    buf = np.zeros(n + 64 // itemsize, dtype)
    start = (-buf.ctypes.data % 64) // itemsize
    a = buf[start:start + n]
    assert a.ctypes.data % 64 == 0
    return a


def _capsule_name(capsule):
    return repr(capsule).split('"')[1]


# --- DLPack: array_api_jax -> NumPy ------------------------------------------------------------------------


@pytest.mark.parametrize("name", DTYPE_NAMES)
def test_numpy_from_dlpack_of_every_dtype(name):
    ref = _sample(name)
    out = np.from_dlpack(xp.asarray(ref))
    assert out.dtype == ref.dtype
    np.testing.assert_array_equal(out, ref)


def test_dlpack_device_is_cpu():
    x = xp.asarray([1.0, 2.0])
    dev_type, dev_id = x.__dlpack_device__()
    assert int(dev_type) == KDLCPU and dev_id >= 0


def test_numpy_from_dlpack_is_read_only_and_copy_true_copies():
    x = xp.asarray([1.0, 2.0, 3.0])
    shared = np.from_dlpack(x)
    assert not shared.flags.writeable  # the JAX buffer is shared: NumPy must not write into it
    copied = np.from_dlpack(x, copy=True)
    np.testing.assert_array_equal(copied, [1.0, 2.0, 3.0])
    assert not np.shares_memory(copied, shared)


def test_numpy_from_dlpack_of_views_and_after_mutation():
    x = xp.reshape(xp.arange(6.0), (2, 3))
    col = x[:, 1]
    np.testing.assert_array_equal(np.from_dlpack(col), [1.0, 4.0])
    x[0, 1] = 10.0  # a write to the parent is seen by the view, and by a later export
    np.testing.assert_array_equal(np.from_dlpack(col), [10.0, 4.0])
    col[1] = -1.0  # a write through the view reaches the parent
    np.testing.assert_array_equal(np.from_dlpack(x), [[0.0, 10.0, 2.0], [3.0, -1.0, 5.0]])


def test_dlpack_capsule_can_be_consumed():
    for kwargs in ({}, {"max_version": (1, 0)}):
        capsule = xp.asarray([1, 2]).__dlpack__(**kwargs)
        assert _capsule_name(capsule) in ("dltensor", "dltensor_versioned")


@pytest.mark.xfail(strict=True, reason="jax 0.10.2 only exports legacy (unversioned, pre-1.0) DLPack capsules, "
                   "even when the consumer passes max_version=(1, 0); there is no read-only flag in them")
def test_dlpack_export_of_a_jax_value_is_versioned_when_asked(xla_path):
    assert _capsule_name(xp.asarray([1, 2]).__dlpack__(max_version=(1, 0))) == "dltensor_versioned"


@pytest.mark.parametrize("n", [3, 10_000])
def test_dlpack_export_of_a_host_value_is_its_buffer_read_only_without_a_jax_array(n):
    """A host value exports its own buffer to a versioned consumer (NumPy's from_dlpack: scikit-learn's move_to),
    read-only, without a jax.Array (whose making compiles on a small value); a later write copies first."""
    x = xp.asarray(np.arange(float(n)))
    capsule = x.__dlpack__(max_version=(1, 0))
    out = np.from_dlpack(x)
    assert _capsule_name(capsule) == "dltensor_versioned" and x._jax_twin is None
    assert not out.flags.writeable and np.shares_memory(out, x._value)
    x[0] = -1.0
    assert out[0] == 0.0 and float(x[0]) == -1.0
    assert x.__dlpack_device__()[0] == KDLCPU
    legacy = x.__dlpack__()  # JAX's from_dlpack asks for an unversioned capsule: the jax value's
    assert _capsule_name(legacy) == "dltensor"


# --- DLPack: NumPy -> array_api_jax ------------------------------------------------------------------------


@pytest.mark.parametrize("name", DTYPE_NAMES)
def test_from_dlpack_of_numpy_every_dtype(name):
    ref = _sample(name)
    out = xp.from_dlpack(ref)
    assert isinstance(out, xp.Array)
    assert out.dtype == getattr(xp, name)
    np.testing.assert_array_equal(np.asarray(out), ref)


def test_from_dlpack_copy_true_never_aliases():
    # regression: JAX's CPU import shared an aligned NumPy buffer even with copy=True
    a = _aligned()
    y = xp.from_dlpack(a, copy=True)
    a[0] = 7.0
    assert float(y[0]) == 0.0


def test_from_dlpack_copy_false_aliases_on_the_host_path():
    # a host value imports any CPU buffer without a copy, aligned or not (NumPy's import)
    for a in (_aligned(), np.arange(1.0, 9.0)[1:]):
        y = xp.from_dlpack(a, copy=False)
        assert type(y._value) is np.ndarray
        a[0] = 7.0
        assert float(y[0]) == 7.0
        y[1] = -1.0  # a write copies first: the producer's memory never sees it
        assert a[1] != -1.0 and float(y[1]) == -1.0


def test_from_dlpack_copy_false_aliases_or_raises_buffer_error(xla_path):
    a = _aligned()
    y = xp.from_dlpack(a, copy=False)  # aligned: JAX can import it without a copy
    a[0] = 7.0
    assert float(y[0]) == 7.0
    unaligned = np.arange(1.0, 9.0)[1:]
    if unaligned.ctypes.data % 64:
        with pytest.raises(BufferError):
            xp.from_dlpack(unaligned, copy=False)


def test_from_dlpack_is_a_host_value_at_any_size():
    # scikit-learn's move_to imports NumPy and array_api_strict arrays through DLPack: no XLA, whatever the size
    for n in (10, 1 << 20):
        y = xp.from_dlpack(np.ones(n))
        assert type(y._value) is np.ndarray and y.device == xp.__array_namespace_info__().default_device()


@pytest.mark.parametrize("copy_", [None, True])
def test_from_dlpack_of_read_only_numpy(copy_):
    # regression: JAX asks for a legacy capsule, which NumPy refuses for read-only arrays; copying is allowed here
    a = np.arange(4.0)
    a.flags.writeable = False
    np.testing.assert_array_equal(np.asarray(xp.from_dlpack(a, copy=copy_)), a)


def test_from_dlpack_of_read_only_numpy_without_copy_raises_buffer_error(xla_path):
    a = np.arange(4.0)
    a.flags.writeable = False
    with pytest.raises(BufferError):
        xp.from_dlpack(a, copy=False)


def test_from_dlpack_of_read_only_numpy_without_copy_on_the_host_path():
    a = np.arange(4.0)
    a.flags.writeable = False
    y = xp.from_dlpack(a, copy=False)
    y[0] = 9.0  # the read-only import is copied by its first write
    assert a[0] == 0.0 and float(y[0]) == 9.0


def test_from_dlpack_round_trip_through_numpy_export():
    x = xp.asarray([[1, 2], [3, 4]], dtype=xp.int16)
    y = xp.from_dlpack(np.from_dlpack(x))  # a read-only NumPy array on the way
    assert y.dtype == xp.int16
    np.testing.assert_array_equal(np.asarray(y), np.asarray(x))


def test_from_dlpack_device_argument():
    devices = list(xp.__array_namespace_info__().devices())
    target = devices[-1]
    y = xp.from_dlpack(np.arange(3.0), device=target)
    assert y.device == target
    np.testing.assert_array_equal(np.asarray(y), [0.0, 1.0, 2.0])


def test_from_dlpack_of_an_array_follows_copy():
    x = xp.asarray([1.0, 2.0])
    assert xp.from_dlpack(x) is x
    y = xp.from_dlpack(x, copy=True)
    y[0] = 5.0
    assert float(x[0]) == 1.0


def test_from_dlpack_refuses_objects_without_dlpack():
    with pytest.raises(TypeError, match="from_dlpack"):
        xp.from_dlpack([1.0, 2.0])


# --- NumPy conversion ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DTYPE_NAMES)
def test_numpy_asarray_is_a_writeable_copy(name):
    ref = _sample(name)
    x = xp.asarray(ref)
    a = np.asarray(x)
    assert a.dtype == ref.dtype and a.flags.writeable
    np.testing.assert_array_equal(a, ref)
    a[...] = ref[::-1, ::-1]
    np.testing.assert_array_equal(np.asarray(x), ref)


def test_numpy_asarray_without_copy_raises():
    with pytest.raises(ValueError, match="copy"):
        np.asarray(xp.asarray([1.0]), copy=False)


@pytest.mark.parametrize("n", [3, 10_000])
def test_asarray_of_numpy_shares_its_memory_and_writes_copy_first(n):
    """copy=None (and copy=False) shares the NumPy array's memory on the host path, as NumPy and array_api_strict
    do: a write to it shows in the Array; a write through the Array copies first and never reaches it."""
    for a in (np.zeros(n), _aligned(n)):
        x = xp.asarray(a)
        assert np.shares_memory(x._value, a) and np.shares_memory(xp.asarray(a, copy=False)._value, a)
        a[0] = 7.0
        assert float(x[0]) == 7.0
        x[1] = -1.0
        assert a[1] == 0.0 and float(x[1]) == -1.0 and float(x[0]) == 7.0


def test_asarray_of_numpy_copy_true_never_aliases():
    a = _aligned()
    x = xp.asarray(a, copy=True)
    a[0] = 7.0
    assert float(x[0]) == 0.0


@pytest.mark.parametrize("copy_", [None, True])
def test_asarray_of_numpy_never_aliases_on_the_xla_path(xla_path, copy_):
    # regression: jax.device_put shares aligned host memory on CPU, so a later NumPy write changed the Array
    a = _aligned()
    x = xp.asarray(a, copy=copy_)
    a[0] = 7.0
    assert float(x[0]) == 0.0
    with pytest.raises(ValueError, match="copy"):
        xp.asarray(a, copy=False)


def test_asarray_shares_only_memory_that_someone_else_holds():
    """A list, or a dtype change, gives memory of the Array's own; the buffer of another namespace's array (which
    its __array__ hands out) is shared."""
    assert not _host.foreign(xp.asarray([1.0, 2.0])._value)
    assert not _host.foreign(xp.asarray(np.arange(3), dtype=xp.float64)._value)
    assert _host.foreign(xp.asarray(np.arange(3.0))._value)
    strict = pytest.importorskip("array_api_strict")
    s = strict.asarray([1.0, 2.0])
    assert _host.foreign(xp.asarray(s)._value)


def _borrowed(n):
    """An aligned NumPy array (JAX's CPU client would import it without a copy) and an Array sharing it."""
    a = _aligned(n)
    a[:] = np.arange(n)
    return a, xp.asarray(a)


@pytest.mark.parametrize("n", [3, 10_000])
def test_a_jax_array_never_changes_with_the_numpy_array_it_came_from(n):
    """JAX's arrays are immutable: the Array's first crossing to JAX gives it memory of its own (a view's crossing
    copies), so later writes to the NumPy array reach neither the jax.Array nor the Array."""
    import jax.numpy as jnp

    a, x = _borrowed(n)
    view = x[1:]
    j, jv = jnp.asarray(x), jnp.asarray(view)
    a[1] = -5.0
    assert float(j[1]) == 1.0 and float(jv[0]) == 1.0
    assert float(x[1]) == 1.0 and float(view[0]) == 1.0  # detached from a: the Array and JAX agree
    assert jnp.asarray(x) is j  # its twin is kept


@pytest.mark.parametrize("make", [
    lambda x: xp.asarray(x, copy=True), copy.copy, copy.deepcopy, lambda x: xp.astype(x, x.dtype),
    lambda x: xp.reshape(x, x.shape, copy=True), lambda x: xp.from_dlpack(x, copy=True),
], ids=["asarray", "copy", "deepcopy", "astype", "reshape", "from_dlpack"])
def test_a_copy_of_a_shared_array_never_changes_with_the_numpy_array(make):
    a, x = _borrowed(10_000)
    y = make(x)
    a[0] = -5.0
    assert float(xp.reshape(y, (-1,))[0]) == 0.0


def test_from_dlpack_shares_the_producer_memory_as_asarray_does():
    import jax.numpy as jnp

    a = _aligned()
    x = xp.from_dlpack(a)
    a[0] = 7.0
    assert _host.foreign(x._value) and float(x[0]) == 7.0
    j = jnp.asarray(x)
    a[0] = 8.0
    assert float(j[0]) == 7.0


# --- PyTorch, both ways ---------------------------------------------------------------------------------------

TORCH_DTYPE_NAMES = ["bool", "int8", "int16", "int32", "int64", "uint8", "float32", "float64", "complex64",
                     "complex128"]


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


@pytest.mark.parametrize("name", TORCH_DTYPE_NAMES)
def test_torch_from_dlpack_of_array(torch, name):
    ref = _sample(name)
    t = torch.from_dlpack(xp.asarray(ref))
    assert str(t.dtype) == f"torch.{name}"
    np.testing.assert_array_equal(t.numpy(), ref)


@pytest.mark.parametrize("name", TORCH_DTYPE_NAMES)
def test_from_dlpack_of_torch_tensor(torch, name):
    ref = _sample(name)
    t = torch.from_numpy(ref.copy())
    y = xp.from_dlpack(t)
    assert isinstance(y, xp.Array) and y.dtype == getattr(xp, name)
    np.testing.assert_array_equal(np.asarray(y), ref)


def test_from_dlpack_of_torch_copy_semantics(torch):
    t = torch.arange(4.0, dtype=torch.float64)
    copied = xp.from_dlpack(t, copy=True)
    t[0] = 100.0
    assert float(copied[0]) == 0.0  # regression: JAX aliased the tensor even with copy=True
    shared = xp.from_dlpack(t, copy=False)
    t[1] = 100.0
    assert float(shared[1]) == 100.0


def test_torch_round_trip_and_array_api_namespace(torch):
    x = xp.reshape(xp.arange(6, dtype=xp.float32), (2, 3))
    t = torch.from_dlpack(x).clone()  # clone: a tensor that owns its memory
    t *= 2
    y = xp.from_dlpack(t, copy=True)
    assert y.dtype == xp.float32 and y.shape == (2, 3)
    np.testing.assert_array_equal(np.asarray(y), 2 * np.asarray(x))
    np.testing.assert_array_equal(np.asarray(x), np.arange(6, dtype=np.float32).reshape(2, 3))


# --- copy / deepcopy --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dup", [copy.copy, copy.deepcopy], ids=["copy", "deepcopy"])
@pytest.mark.parametrize("cls", [xp.asarray, extras.asarray], ids=["Array", "extras.ndarray"])
def test_copies_are_independent_and_keep_type(dup, cls):
    x = cls([[1.0, 2.0], [3.0, 4.0]])
    y = dup(x)
    assert type(y) is type(x) and y is not x and y.dtype == x.dtype and y.shape == x.shape
    y[0, 0] = -1.0
    x[1, 1] = -2.0
    np.testing.assert_array_equal(np.asarray(x), [[1.0, 2.0], [3.0, -2.0]])
    np.testing.assert_array_equal(np.asarray(y), [[-1.0, 2.0], [3.0, 4.0]])


def test_copy_of_a_view_is_not_a_view():
    x = xp.asarray([1.0, 2.0, 3.0])
    v = copy.copy(x[1:])
    x[1] = 20.0
    np.testing.assert_array_equal(np.asarray(v), [2.0, 3.0])


def test_deepcopy_keeps_identity_within_a_container():
    x = xp.asarray([1, 2, 3])
    box = copy.deepcopy({"a": x, "b": [x]})
    assert box["a"] is box["b"][0] and box["a"] is not x


# --- pickle ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("name", DTYPE_NAMES)
def test_pickle_round_trip_every_dtype(name, protocol):
    x = xp.asarray(_sample(name))
    y = pickle.loads(pickle.dumps(x, protocol=protocol))
    assert type(y) is xp.Array and y.dtype == x.dtype and y.shape == x.shape
    np.testing.assert_array_equal(np.asarray(y), np.asarray(x))


@pytest.mark.parametrize("make", [lambda: xp.asarray(3.5), lambda: xp.zeros((0, 3)), lambda: xp.ones((2, 1, 2))],
                         ids=["0d", "empty", "3d"])
def test_pickle_round_trip_shapes(make):
    x = make()
    y = pickle.loads(pickle.dumps(x))
    assert y.shape == x.shape and y.dtype == x.dtype
    np.testing.assert_array_equal(np.asarray(y), np.asarray(x))


def test_pickle_of_a_view_is_a_standalone_array():
    x = xp.asarray([[1.0, 2.0], [3.0, 4.0]])
    v = pickle.loads(pickle.dumps(x[:, 0]))
    np.testing.assert_array_equal(np.asarray(v), [1.0, 3.0])
    v[0] = 0.0
    assert float(x[0, 0]) == 1.0


def test_unpickled_array_is_mutable_and_independent():
    x = xp.asarray([1.0, 2.0, 3.0])
    y = pickle.loads(pickle.dumps(x))
    y += 1.0
    y[0] = 0.0
    np.testing.assert_array_equal(np.asarray(y), [0.0, 3.0, 4.0])
    np.testing.assert_array_equal(np.asarray(x), [1.0, 2.0, 3.0])


def test_pickle_of_extras_ndarray_keeps_its_type():
    a = extras.asarray([[1, 2], [3, 4]], dtype=extras.int32)
    b = pickle.loads(pickle.dumps(a))
    assert type(b) is extras.ndarray and b.dtype == a.dtype
    np.testing.assert_array_equal(np.asarray(b), [[1, 2], [3, 4]])
    np.testing.assert_array_equal(np.asarray(b.sum(axis=0)), [4, 6])  # NumPy-style methods work after loading


@dataclasses.dataclass
class _Holder:
    weights: xp.Array
    history: list
    name: str = "model"


def test_pickle_of_containers_holding_arrays():
    w = xp.asarray([0.5, -0.5])
    shared = xp.asarray([1, 2])
    obj = {"holder": _Holder(w, [shared, shared, extras.asarray([1.0])]), "plain": 3}
    out = pickle.loads(pickle.dumps(obj))
    assert out["plain"] == 3 and out["holder"].name == "model"
    assert type(out["holder"].weights) is xp.Array
    np.testing.assert_array_equal(np.asarray(out["holder"].weights), [0.5, -0.5])
    hist = out["holder"].history
    assert hist[0] is hist[1]  # pickle keeps identity within one dump
    assert type(hist[2]) is extras.ndarray


class _Crafted:
    """Pickles as ``_rebuild(cls, data)`` with chosen arguments, as a hand-made pickle could."""

    def __init__(self, cls, data):
        self.args = (cls, data)

    def __reduce__(self):
        return _rebuild, self.args


class _Trap:
    """Records whether anything was called on it during unpickling."""

    touched = False

    def __array__(self, *args, **kwargs):
        _Trap.touched = True
        return np.zeros(1)

    def __reduce__(self):
        return _Trap, ()


@pytest.mark.parametrize("data", [[1.0, 2.0], "1.0", 3, b"\x00" * 8, np.array(["a"]), np.array([None], object),
                                  np.arange(3, dtype=np.float16), _Trap()],
                         ids=["list", "str", "int", "bytes", "str-ndarray", "object-ndarray", "float16-ndarray",
                              "object-with-__array__"])
def test_crafted_pickle_with_non_standard_data_is_refused(data):
    blob = pickle.dumps(_Crafted(xp.Array, data))
    with pytest.raises(TypeError, match="unpickle"):
        pickle.loads(blob)
    assert not _Trap.touched


@pytest.mark.parametrize("cls", [dict, np.ndarray, "not a class", _Holder])
def test_crafted_pickle_with_a_foreign_class_is_refused(cls):
    blob = pickle.dumps(_Crafted(cls, np.arange(3.0)))
    with pytest.raises(TypeError, match="unpickle"):
        pickle.loads(blob)


class _DataOnlyUnpickler(pickle.Unpickler):
    """Loads only what rebuilding NumPy arrays and Arrays needs: shows a pickle holds no other callables."""

    ALLOWED = {
        ("array_api_jax._array", "_rebuild"), ("array_api_jax", "Array"),
        ("array_api_jax.extras", "ndarray"), ("numpy", "ndarray"), ("numpy", "dtype"),
        ("numpy._core.multiarray", "_reconstruct"), ("numpy._core.numeric", "_frombuffer"),
        ("numpy.core.multiarray", "_reconstruct"), ("numpy.core.numeric", "_frombuffer"), ("_codecs", "encode"),
    }

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed")
        return super().find_class(module, name)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_pickles_reference_only_data_rebuilding_globals(protocol):
    objs = [xp.asarray([1.5, 2.5]), xp.asarray(True), extras.asarray([[1, 2]], dtype=extras.int8)]
    out = _DataOnlyUnpickler(io.BytesIO(pickle.dumps(objs, protocol=protocol))).load()
    for a, b in zip(objs, out):
        assert type(a) is type(b) and a.dtype == b.dtype
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_a_shared_array_put_on_a_device_never_changes_with_the_numpy_array():
    """``to_device`` onto a sharding (where the host path does not keep the value) gives JAX a copy of the shared
    memory, never the memory itself, which JAX's CPU client would read in place (it is aligned here)."""
    import jax

    a, x = _borrowed(10_000)
    y = x.to_device(jax.sharding.SingleDeviceSharding(jax.devices()[0]))
    a[0] = -5.0
    assert isinstance(y._value, jax.Array) and float(y[0]) == 0.0
