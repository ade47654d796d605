"""The host path (NumPy for small eager arrays on a CPU) against the XLA path: the same namespace function on the
same data gives the same dtype, shape and exception on both, and values equal or within a per-function ULP bound.

Every case is run twice: once with arrays made while the host path is on (host values), once with it off
(jax.Arrays, XLA kernels).
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import array_api_jax as xp
import array_api_jax.extras as extras
from array_api_jax import _host, _special_cases

# Functions whose results may differ in the last bits (transcendental functions and their compositions: NumPy and
# XLA use different polynomial approximations), with the bound in units in the last place; everything not
# listed must agree exactly.
ULP = {
    **dict.fromkeys(["acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "exp", "expm1", "log",
                     "log1p", "log2", "log10", "sin", "sinh", "tan", "tanh", "atan2", "logaddexp", "pow",
                     "hypot", "sqrt", "divide", "reciprocal"], 4),
    # reductions add in a different order (pairwise in NumPy, tree-shaped in XLA)
    **dict.fromkeys(["sum", "prod", "mean", "var", "std", "cumulative_sum", "cumulative_prod", "vecdot", "matmul",
                     "tensordot", "vector_norm", "trace", "linspace"], 64),
}
LINALG_RTOL = 1e-8  # decompositions and solves: LAPACK in both, but through different drivers

UNARY = [name for name, d in _special_cases.DECLARED.items() if d.arity == 1]  # every element-wise function
BINARY = [name for name, d in _special_cases.DECLARED.items() if d.arity == 2]
DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64",
          "complex64", "complex128"]
SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, math.inf, -math.inf, math.nan, 1e-300, 3.0, 100.0]


def _values(draw, dtype, shape):
    """Host data of ``dtype`` and ``shape``, with the special values the standard singles out."""
    size = math.prod(shape)
    kind = np.dtype(dtype).kind
    if kind == "b":
        data = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    elif kind in "iu":
        info = np.iinfo(dtype)
        data = draw(st.lists(st.one_of(st.integers(info.min, info.max), st.integers(-3, 9).filter(
            lambda v: info.min <= v <= info.max)), min_size=size, max_size=size))
    else:
        real = st.one_of(st.sampled_from(SPECIAL), st.floats(-1e3, 1e3, width=32))
        if kind == "c":
            data = [complex(a, b) for a, b in draw(st.lists(st.tuples(real, real), min_size=size, max_size=size))]
        else:
            data = draw(st.lists(real, min_size=size, max_size=size))
    return np.asarray(data, dtype).reshape(shape)


def _both(data_list):
    """Arrays of the host data: (host-valued Arrays, jax-valued Arrays)."""
    out = []
    for enabled in (True, False):
        _host.set_host_path(enabled)
        try:
            out.append([xp.asarray(d) if isinstance(d, np.ndarray) else d for d in data_list])
        finally:
            _host.set_host_path(True)
    host, jax_ = out
    assert all(type(a._value) is np.ndarray for a in host if isinstance(a, xp.Array))
    assert not any(type(a._value) is np.ndarray for a in jax_ if isinstance(a, xp.Array))
    return host, jax_


def _outcome(func, args, kwargs):
    try:
        return "ok", func(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - the exception is the outcome compared
        return "error", e


def _flatten(result):
    if isinstance(result, xp.Array):
        return [result]
    if isinstance(result, (tuple, list)):
        return [r for item in result for r in _flatten(item)]
    return [result]


def _close(name, a, b):
    """Whether host result ``a`` and XLA result ``b`` (NumPy arrays of one dtype) agree for function ``name``."""
    if a.dtype.kind in "fc":  # exact unless the function has a ULP bound (0 ULP still lets XLA flush subnormals)
        return np.array_equal(a, b, equal_nan=True) or _within_ulp(a, b, ULP.get(name, 0))
    return np.array_equal(a, b)


def _within_ulp(a, b, ulps):
    if a.dtype.kind == "c":
        return _within_ulp(a.real, b.real, ulps) and _within_ulp(a.imag, b.imag, ulps)
    same_nan = np.array_equal(np.isnan(a), np.isnan(b))
    finite = np.isfinite(a) & np.isfinite(b)
    same_special = np.array_equal(np.where(finite | np.isnan(a), 0, a), np.where(finite | np.isnan(b), 0, b))
    scale = np.spacing(np.where(finite, np.maximum(np.abs(a), np.abs(b)), 0).astype(a.dtype))
    tiny = np.finfo(a.dtype).tiny  # XLA may flush subnormal results to zero
    err = np.abs(np.where(finite, a, 0).astype(np.float64) - np.where(finite, b, 0).astype(np.float64))
    return same_nan and same_special and bool(np.all(err <= ulps * scale.astype(np.float64) + tiny))


def _compare(name, func, host_args, jax_args, kwargs=None):
    kwargs = kwargs or {}
    h_kind, h = _outcome(func, host_args, kwargs)
    j_kind, j = _outcome(func, jax_args, kwargs)
    assert h_kind == j_kind, f"{name}: host gave {h_kind} {h!r}, XLA gave {j_kind} {j!r}"
    if h_kind == "error":
        assert type(h) is type(j), f"{name}: host raised {h!r}, XLA raised {j!r}"
        assert str(h) == str(j), f"{name}: host raised {h!r}, XLA raised {j!r}"
        return
    hs, js = _flatten(h), _flatten(j)
    assert len(hs) == len(js)
    for a, b in zip(hs, js):
        if not isinstance(a, xp.Array):
            assert a == b or (a != a and b != b), f"{name}: {a!r} != {b!r}"
            continue
        assert type(a._value) is np.ndarray, f"{name}: the host path left the host"
        assert a.dtype == b.dtype, f"{name}: dtypes {a.dtype} and {b.dtype}"
        assert a.shape == b.shape, f"{name}: shapes {a.shape} and {b.shape}"
        assert a.device == b.device
        av, bv = np.asarray(a), np.asarray(b)
        assert _close(name, av, bv), f"{name}: values differ\nhost {av!r}\nXLA  {bv!r}"


shapes = st.sampled_from([(), (1,), (5,), (2, 3), (3, 1, 2)])


@settings(max_examples=25, deadline=None, derandomize=True)
@given(data=st.data(), name=st.sampled_from(UNARY), dtype=st.sampled_from(DTYPES), shape=shapes)
def test_unary(data, name, dtype, shape):
    x = _values(data.draw, dtype, shape)
    (h,), (j,) = _both([x])
    _compare(name, getattr(xp, name), (h,), (j,))


@settings(max_examples=25, deadline=None, derandomize=True)
@given(data=st.data(), name=st.sampled_from(BINARY), d1=st.sampled_from(DTYPES), d2=st.sampled_from(DTYPES),
       shape=shapes)
def test_binary(data, name, d1, d2, shape):
    a, b = _values(data.draw, d1, shape), _values(data.draw, d2, shape[1:])
    (h1, h2), (j1, j2) = _both([a, b])
    _compare(name, getattr(xp, name), (h1, h2), (j1, j2))


@settings(max_examples=25, deadline=None, derandomize=True)
@given(data=st.data(), name=st.sampled_from(BINARY), dtype=st.sampled_from(DTYPES),
       scalar=st.sampled_from([True, 0, 3, -2, 0.5, -0.0, math.inf, math.nan, 2 + 1j, 300]), reflected=st.booleans())
def test_binary_with_python_scalar(data, name, dtype, scalar, reflected):
    a = _values(data.draw, dtype, (4,))
    (h,), (j,) = _both([a])
    args = (lambda x: (scalar, x)) if reflected else (lambda x: (x, scalar))
    _compare(name, getattr(xp, name), args(h), args(j))


REDUCTIONS = ["sum", "prod", "max", "min", "mean", "var", "std", "all", "any", "count_nonzero", "argmax", "argmin",
              "cumulative_sum", "cumulative_prod"]


@settings(max_examples=25, deadline=None, derandomize=True)
@given(data=st.data(), name=st.sampled_from(REDUCTIONS), dtype=st.sampled_from(DTYPES),
       shape=st.sampled_from([(), (0,), (4,), (2, 3), (2, 0, 3)]),
       axis=st.sampled_from([None, 0, -1, 1, (0, 1), 5]), keepdims=st.booleans())
def test_reductions(data, name, dtype, shape, axis, keepdims):
    x = _values(data.draw, dtype, shape)
    (h,), (j,) = _both([x])
    if name.startswith("cumulative"):
        kwargs = {"axis": axis if not isinstance(axis, tuple) else 0, "include_initial": keepdims}
    elif name.startswith("arg"):
        kwargs = {"axis": axis if not isinstance(axis, tuple) else None, "keepdims": keepdims}
    else:
        kwargs = {"axis": axis, "keepdims": keepdims}
    _compare(name, getattr(xp, name), (h,), (j,), kwargs)


# name -> (function of the Array arguments, number of array arguments, shapes drawn from, dtype categories)
CALLS = {
    "reshape": (lambda x: xp.reshape(x, (-1,)), 1),
    "reshape_2d": (lambda x: xp.reshape(x, (2, -1)), 1),
    "permute_dims": (lambda x: xp.permute_dims(x, tuple(reversed(range(x.ndim)))), 1),
    "flip": (lambda x: xp.flip(x), 1),
    "flip_axis": (lambda x: xp.flip(x, axis=0), 1),
    "roll": (lambda x: xp.roll(x, 2), 1),
    "roll_axis": (lambda x: xp.roll(x, (1, -1), axis=(0, -1)), 1),
    "expand_dims": (lambda x: xp.expand_dims(x, axis=0), 1),
    "squeeze": (lambda x: xp.squeeze(x, axis=0), 1),
    "concat": (lambda x, y: xp.concat([x, y]), 2),
    "concat_none": (lambda x, y: xp.concat([x, y], axis=None), 2),
    "stack": (lambda x, y: xp.stack([x, y], axis=-1), 2),
    "unstack": (lambda x: xp.unstack(x), 1),
    "broadcast_to": (lambda x: xp.broadcast_to(x, (2,) + x.shape), 1),
    "broadcast_arrays": (lambda x, y: xp.broadcast_arrays(x, y), 2),
    "repeat": (lambda x: xp.repeat(x, 2, axis=0), 1),
    "tile": (lambda x: xp.tile(x, (2, 1)), 1),
    "moveaxis": (lambda x: xp.moveaxis(x, 0, -1), 1),
    "where": (lambda x, y: xp.where(x > y, x, y), 2),
    "where_scalar": (lambda x, y: xp.where(xp.isnan(x), 0.0, x), 2),
    "clip": (lambda x, y: xp.clip(x, y, None), 2),
    "clip_scalars": (lambda x, y: xp.clip(x, 0, 2), 2),
    "sort": (lambda x: xp.sort(x, axis=0), 1),
    "sort_descending": (lambda x: xp.sort(x, axis=-1, descending=True), 1),
    "argsort": (lambda x: xp.argsort(x, axis=0), 1),
    "argsort_descending": (lambda x: xp.argsort(x, axis=-1, descending=True), 1),
    "searchsorted": (lambda x, y: xp.searchsorted(xp.sort(xp.reshape(x, (-1,))), y), 2),
    "take": (lambda x: xp.take(x, xp.asarray([0, -1, 0]), axis=0), 1),
    "take_along_axis": (lambda x: xp.take_along_axis(x, xp.argsort(x, axis=0), axis=0), 1),
    "nonzero": (lambda x: xp.nonzero(x), 1),
    "unique_all": (lambda x: xp.unique_all(x), 1),
    "unique_values": (lambda x: xp.unique_values(x), 1),
    "isin": (lambda x, y: xp.isin(x, y), 2),
    "diff": (lambda x: xp.diff(x, axis=0), 1),
    "matmul": (lambda x, y: xp.matmul(x, xp.matrix_transpose(y)), 2),
    "tensordot": (lambda x, y: xp.tensordot(x, y, axes=1), 2),
    "vecdot": (lambda x, y: xp.vecdot(x, y), 2),
    "matrix_transpose": (lambda x: xp.matrix_transpose(x), 1),
    "astype_float32": (lambda x: xp.astype(x, xp.float32), 1),
    "astype_int8": (lambda x: xp.astype(x, xp.int8), 1),
    "astype_bool": (lambda x: xp.astype(x, xp.bool), 1),
    "astype_uint64": (lambda x: xp.astype(x, xp.uint64), 1),
    "tril": (lambda x: xp.tril(x, k=-1), 1),
    "triu": (lambda x: xp.triu(x), 1),
    "zeros_like": (lambda x: xp.zeros_like(x), 1),
    "full_like": (lambda x: xp.full_like(x, 1), 1),
    "getitem_basic": (lambda x: x[1:, ::-1], 1),
    "getitem_int": (lambda x: x[0, -1], 1),
    "getitem_advanced": (lambda x: x[xp.asarray([1, 0]), ...], 1),
    "getitem_mask": (lambda x, y: x[x > y], 2),
    "setitem_basic": (lambda x, y: _set(x, (slice(None, 1),), y[:1]), 2),
    "setitem_scalar": (lambda x, y: _set(x, (0,), 1), 2),
    "setitem_mask": (lambda x, y: _set(x, x > y, 0), 2),
    "setitem_advanced": (lambda x, y: _set(x, (xp.asarray([1, 0]),), y[:1]), 2),
    "view_write_through": (lambda x, y: _view_write(x, y), 2),
    "iadd": (lambda x, y: _iop(x, y, "__iadd__"), 2),
    "imul_scalar": (lambda x, y: _iop(x, 2, "__imul__"), 2),
    "itruediv": (lambda x, y: _iop(x, y, "__itruediv__"), 2),
    "imatmul": (lambda x, y: _iop(x, y, "__imatmul__"), 2),
}


def _set(x, key, value):
    x = xp.asarray(x, copy=True)
    x[key] = value
    return x


def _view_write(x, y):
    x = xp.asarray(x, copy=True)
    v = x[1:]
    v[...] = y[1:] if y.shape[1:] == v.shape[1:] or y.ndim == 0 else 0
    return x, v


def _iop(x, y, op):
    x = xp.asarray(x, copy=True)
    out = getattr(x, op)(y)
    return x if out is NotImplemented else out


@settings(max_examples=25, deadline=None, derandomize=True)
@given(data=st.data(), name=st.sampled_from(sorted(CALLS)), d1=st.sampled_from(DTYPES), d2=st.sampled_from(DTYPES),
       shape=st.sampled_from([(3,), (2, 3), (3, 3), (2, 2, 3), (0, 3)]))
def test_functions(data, name, d1, d2, shape):
    func, arity = CALLS[name]
    arrays = [_values(data.draw, d1, shape), _values(data.draw, d2, shape)][:arity]
    host, jax_ = _both(arrays)
    _compare(name.split("_")[0] if name.split("_")[0] in ULP else name, func, host, jax_)


LINALG = {
    "cholesky": lambda a: xp.linalg.cholesky(a @ xp.matrix_transpose(a) + xp.eye(a.shape[-1], dtype=a.dtype)),
    "det": xp.linalg.det, "slogdet": xp.linalg.slogdet, "inv": xp.linalg.inv,
    "solve": lambda a: xp.linalg.solve(a, a[..., 0]), "svdvals": xp.linalg.svdvals,
    "eigvalsh": lambda a: xp.linalg.eigvalsh(a + xp.matrix_transpose(a)), "pinv": xp.linalg.pinv,
    "matrix_rank": xp.linalg.matrix_rank, "matrix_norm": xp.linalg.matrix_norm,
    "matrix_norm_nuc": lambda a: xp.linalg.matrix_norm(a, ord="nuc"),
    "matrix_power": lambda a: xp.linalg.matrix_power(a, 3), "matrix_power_neg": lambda a: xp.linalg.matrix_power(a, -1),
    "vector_norm": xp.linalg.vector_norm, "vector_norm_3": lambda a: xp.linalg.vector_norm(a, ord=3, axis=-1),
    "trace": xp.linalg.trace, "diagonal": lambda a: xp.linalg.diagonal(a, offset=1),
    "outer": lambda a: xp.linalg.outer(a[0], a[1]), "cross": lambda a: xp.linalg.cross(a, a[::-1]),
    "qr_r_abs": lambda a: xp.abs(xp.linalg.qr(a).R), "svd_s": lambda a: xp.linalg.svd(a).S,
    "eigvals_abs": lambda a: xp.sort(xp.abs(xp.linalg.eigvals(a))),
    "fft": lambda a: xp.fft.fft(xp.astype(a, xp.complex128)), "rfft": lambda a: xp.fft.rfft(a, axis=0),
    "irfftn": lambda a: xp.fft.irfftn(xp.astype(a, xp.complex128)),
    "fftshift": xp.fft.fftshift,
}


@settings(max_examples=15, deadline=None, derandomize=True)
@given(data=st.data(), name=st.sampled_from(sorted(LINALG)), dtype=st.sampled_from(["float32", "float64"]),
       shape=st.sampled_from([(3, 3), (2, 3, 3)]))
def test_linalg_and_fft(data, name, dtype, shape):
    a = data.draw(st.lists(st.floats(-4, 4, width=32), min_size=math.prod(shape), max_size=math.prod(shape)))
    a = np.asarray(a, dtype).reshape(shape)
    (h,), (j,) = _both([a])
    hk, hr = _outcome(LINALG[name], (h,), {})
    jk, jr = _outcome(LINALG[name], (j,), {})
    assert hk == jk, f"{name}: host {hr!r}, XLA {jr!r}"
    if hk == "error":
        assert type(hr) is type(jr) and str(hr) == str(jr)
        return
    rtol = 1e-3 if dtype == "float32" else LINALG_RTOL
    for a, b in zip(_flatten(hr), _flatten(jr)):
        assert a.dtype == b.dtype and a.shape == b.shape, name
        av, bv = np.asarray(a), np.asarray(b)
        scale = np.max(np.abs(bv[np.isfinite(bv)]), initial=1.0)
        np.testing.assert_allclose(av, bv, rtol=rtol, atol=rtol * scale * 10, err_msg=name)


CREATION = {
    "arange": lambda: xp.arange(0.0, 1.0, 0.1), "arange_int": lambda: xp.arange(-5, 7, 3),
    "linspace": lambda: xp.linspace(0, 1, 7), "linspace_open": lambda: xp.linspace(-1.5, 2.5, 5, endpoint=False),
    "linspace_complex": lambda: xp.linspace(0, 1 + 2j, 4), "eye": lambda: xp.eye(3, 4, k=1, dtype=xp.int8),
    "zeros": lambda: xp.zeros((2, 3), dtype=xp.uint16), "ones": lambda: xp.ones(4),
    "full": lambda: xp.full((2,), 2 + 1j), "empty": lambda: xp.empty((0, 2)),
    "meshgrid": lambda: xp.meshgrid(xp.arange(3), xp.arange(2), indexing="ij"),
    "fftfreq": lambda: xp.fft.fftfreq(7, d=0.5), "rfftfreq": lambda: xp.fft.rfftfreq(8),
    "asarray_nested": lambda: xp.asarray([[1, 2], [3, 4]], dtype=xp.float32),
}


@pytest.mark.parametrize("name", sorted(CREATION))
def test_creation(name):
    host, jax_ = [], []
    for enabled, out in ((True, host), (False, jax_)):
        _host.set_host_path(enabled)
        try:
            out.extend(_flatten(CREATION[name]()))
        finally:
            _host.set_host_path(True)
    for a, b in zip(host, jax_):
        assert type(a._value) is np.ndarray and type(b._value) is not np.ndarray
        assert a.dtype == b.dtype and a.shape == b.shape and a.device == b.device
        av, bv = np.asarray(a), np.asarray(b)
        assert _within_ulp(av, bv, ULP.get(name.split("_")[0], 0)) if av.dtype.kind in "fc" \
            else np.array_equal(av, bv), name


def test_host_values_are_numpy_until_jax_needs_them():
    import jax

    x = xp.asarray([1.0, 2.0, 3.0])
    assert type(x._value) is np.ndarray
    y = xp.sin(x) * 2 + 1
    assert type(y._value) is np.ndarray
    assert y.device == xp.__array_namespace_info__().default_device()
    out = jax.jit(lambda a: a * 2)(y)  # a pytree leaf crossing jit: JAX gets a jax.Array, y stays a host value
    assert isinstance(out._value, jax.Array) and type(y._value) is np.ndarray
    np.testing.assert_array_equal(np.asarray(out), 2 * np.asarray(y))
    twin = y._jax_twin[1]
    assert jax.jit(lambda a: a * 2)(y) is not None and y._jax_twin[1] is twin  # transferred once per version
    y[0] = 10.0  # a write: JAX's earlier value never sees it, the next call gets the new one
    assert float(twin[0]) != 10.0
    assert float(jax.jit(lambda a: a[0])(y)) == 10.0


@pytest.mark.parametrize("make", [lambda n: xp.zeros(n), lambda n: xp.asarray(np.ones(n)),
                                  lambda n: xp.arange(n), lambda n: xp.from_dlpack(np.ones(n))])
def test_host_values_at_every_size(make):
    # no size cliff: a large eager array is a host value too, and so are the results computed from it
    for n in (10, 1 << 17, (1 << 17) + 1, 1 << 21):
        x = make(n)
        assert type(x._value) is np.ndarray
        assert type((x + 1)._value) is np.ndarray and type(x[x > 0]._value) is np.ndarray


def test_arrays_made_inside_a_trace_are_jax_values():
    import jax

    seen = []

    def f(a):
        y = xp.zeros(3)
        seen.append(type(y._value))
        y[0] = 1.0  # made inside the trace: writable there
        return a + y

    np.testing.assert_array_equal(np.asarray(jax.jit(f)(xp.ones(3))), [2.0, 1.0, 1.0])
    assert seen and seen[0] is not np.ndarray


@pytest.mark.parametrize("write", [lambda e: e.__iadd__(1), lambda e: e.__setitem__(0, 5.0),
                                   lambda e: e[0:1].__iadd__(1)])
def test_writing_a_host_array_inside_a_trace_raises_and_changes_nothing(write):
    # the write would happen once, at trace time, and never again; a jax.Array's write raises the same error
    import jax

    e = xp.zeros(2)

    def f(a):
        write(e)
        return a

    with pytest.raises(TypeError, match="cannot write a value traced by a JAX transformation"):
        jax.jit(f)(xp.ones(2))
    np.testing.assert_array_equal(np.asarray(e), [0.0, 0.0])


def test_explicit_switch_uses_xla():
    import jax

    _host.set_host_path(False)
    try:
        assert isinstance(xp.asarray([1.0])._value, jax.Array)
    finally:
        _host.set_host_path(True)
    assert type(xp.asarray([1.0])._value) is np.ndarray
    with pytest.raises(TypeError, match="set_host_path: enabled must be a bool"):
        _host.set_host_path(1)


def test_no_numpy_warnings_escape(recwarn):
    x = xp.asarray([0.0, -1.0, 1e308, 2.0])
    xp.log(x), xp.sqrt(x), x / 0.0, x * 1e308, xp.astype(xp.asarray([math.nan, 1e300]), xp.int8)
    xp.floor_divide(xp.asarray([1, 2]), xp.asarray([0, 0])), xp.mean(xp.zeros((0,)))
    assert not [w for w in recwarn if issubclass(w.category, (RuntimeWarning, np.exceptions.ComplexWarning))]


@pytest.mark.parametrize("size", [5000, 100_000])
@pytest.mark.parametrize("func", ["max", "min"])
def test_max_min_propagate_nan_at_every_size(func, size):
    data = np.arange(size, dtype=np.float64)
    data[size // 3] = np.nan
    for enabled in (True, False):
        _host.set_host_path(enabled)
        try:
            x = xp.asarray(data)
            assert math.isnan(float(getattr(xp, func)(x)))
            assert math.isnan(float(getattr(xp, func)(xp.reshape(x, (10, -1)), axis=1)[3]))
        finally:
            _host.set_host_path(True)


def test_device_placement_rules():
    import jax

    with jax.default_device(jax.devices()[-1]):  # an override of JAX's default device: XLA places the array
        x = xp.asarray([1.0, 2.0])
    assert isinstance(x._value, jax.Array) and x.device == jax.devices()[-1]
    # an override naming the device JAX picks anyway (SciPy's test configuration sets one) changes nothing
    for same in (jax.devices()[0], jax.devices()[0].platform):
        with jax.default_device(same):
            x = xp.asarray([1.0, 2.0])
            assert type(x._value) is np.ndarray and x.device == jax.devices()[0]
            assert type((x + 1)._value) is np.ndarray
    # with several devices an explicit device commits the array (it must not move silently)
    y = xp.asarray([1.0, 2.0], device=jax.devices()[0])
    assert isinstance(y._value, jax.Array) and y._value.committed
    # an explicit device on a machine with one device keeps the host value (checked in a fresh process)
    import subprocess
    import sys

    code = ("import array_api_jax as xp, jax, numpy as np; d = jax.devices()[0]; "
            "x = xp.asarray([1.0], device=d); z = xp.zeros(3, device=d); "
            "assert type(x._value) is np.ndarray and type(z._value) is np.ndarray and x.device == d; "
            "assert type(x.to_device(d)._value) is np.ndarray")
    env = {k: v for k, v in __import__("os").environ.items() if k != "XLA_FLAGS"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_a_host_root_takes_a_traced_write_only_through_the_leak_check():
    import jax

    x = xp.zeros(3)
    with pytest.raises(TypeError, match="traced"):
        jax.jit(lambda v: x.__setitem__(0, v[0]))(xp.ones(1))
    assert type(x._value) is np.ndarray and float(x[0]) == 0.0


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("data", [
    [3.0, -0.0, 1.0, 0.0, -0.0, 2.0],  # signed zeros: the order of -0.0 and +0.0 shows stability
    [2.0, math.nan, 1.0, 2.0, math.nan, 1.0, 0.5],  # ties, NaNs among them
    [5.0, 4.0, 3.0, 2.0, 1.0, 0.0],  # no ties: the fast sort
    [1, 3, 1, 3, 2, 2, 1],  # integer ties
])
def test_host_sort_is_as_stable_as_xla(data, descending):
    # the host path uses NumPy's fast sort where stability cannot show and the stable one where it can
    host = xp.asarray(data)
    _host.set_host_path(False)
    try:
        with_xla = xp.asarray(data)
    finally:
        _host.set_host_path(True)
    for func in (xp.sort, xp.argsort):
        a, b = np.asarray(func(host, descending=descending)), np.asarray(func(with_xla, descending=descending))
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(np.signbit(a), np.signbit(b))
    values = np.tile(np.asarray(data), (3, 1))
    for axis in (0, 1):
        h = xp.argsort(xp.asarray(values), axis=axis, descending=descending)
        _host.set_host_path(False)
        try:
            j = xp.argsort(xp.asarray(values), axis=axis, descending=descending)
        finally:
            _host.set_host_path(True)
        np.testing.assert_array_equal(np.asarray(h), np.asarray(j))


_UNDER_OVERRIDE = {  # one call of each kind of host computation: element-wise, reduction, indexing, linalg, ...
    "add": lambda x: x + 1, "sin": lambda x: xp.sin(x), "pow": lambda x: x ** 0.5, "less": lambda x: x < 1,
    "sum": lambda x: xp.sum(x), "max": lambda x: xp.max(x, axis=0), "getitem": lambda x: x[1:, ...],
    "permute": lambda x: x.T, "mask": lambda x: x[x > 0], "matmul": lambda x: x @ xp.matrix_transpose(x),
    "sort": lambda x: xp.sort(x), "where": lambda x: xp.where(x > 1, x, 0.0), "concat": lambda x: xp.concat([x, x]),
    "fft": lambda x: xp.fft.rfft(x), "inv": lambda x: xp.linalg.inv(x @ xp.matrix_transpose(x) + 5 * xp.eye(2)),
    "unique": lambda x: xp.unique_values(x), "astype": lambda x: xp.astype(x, xp.float32),
    "large": lambda x: xp.tile(x, (1, 40_000)) + 1,
    "function of a large temporary": lambda x: xp.exp(xp.tile(x, (1, 40_000)) - 1.0),
    "extras": lambda x: extras.sin(extras.asarray(x)) + extras.mean(extras.asarray(x)),
}


@pytest.mark.parametrize("name", sorted(_UNDER_OVERRIDE))
def test_results_under_a_default_device_override_follow_xla(name):
    import jax

    other = jax.devices()[-1]
    assert other != jax.devices()[0]
    outcomes = []
    for enabled in (True, False):
        _host.set_host_path(enabled)
        try:
            x = xp.asarray([[1.0, 2.0], [3.0, 4.0]])
            with jax.default_device(other):
                out = _UNDER_OVERRIDE[name](x)
            outcomes.append((out.device, np.asarray(out)))
        finally:
            _host.set_host_path(True)
    (host_device, host_values), (xla_device, xla_values) = outcomes
    assert xla_device == other  # what JAX does with an uncommitted operand (a view's value included)
    assert host_device == xla_device
    np.testing.assert_allclose(host_values, xla_values, rtol=1e-6)


@pytest.mark.parametrize("values", [
    [3.0, math.nan, 1.0, math.nan, 2.0],  # two NaNs tie
    [3.0, math.nan, 1.0, 2.0],  # one NaN: no tie
    [2.0, 1.0, 2.0, 0.5],  # equal values tie
    [0.0, -0.0, 1.0, -0.0, 0.0],  # signed zeros: equal for argsort, ordered by position for sort
    [5.0, 4.0, 3.0],
])
@pytest.mark.parametrize("shape", [(-1,), (1, -1)])
@pytest.mark.parametrize("descending", [False, True])
def test_sorting_ties_on_both_paths(values, shape, descending):
    """The host path's fast sort is used only where stability cannot show: the same values and indices as XLA's
    stable sort, along one axis and along the last of two."""
    (h,), (j,) = _both([np.asarray(values).reshape(shape)])
    for func in (xp.sort, xp.argsort):
        got, want = func(h, descending=descending), func(j, descending=descending)
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
        assert np.array_equal(np.signbit(np.asarray(got)), np.signbit(np.asarray(want)))


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "uint16", "int32"])
@pytest.mark.parametrize("descending", [False, True])
def test_small_integers_sort_like_xla(dtype, descending):
    """1- and 2-byte values take NumPy's stable (radix) sort at once: the same values and indices as XLA's."""
    data = np.random.default_rng(0).integers(0, 5, (6, 40)).astype(dtype)
    (h,), (j,) = _both([data])
    for func in (xp.sort, xp.argsort):
        for axis in (0, 1):
            got, want = func(h, axis=axis, descending=descending), func(j, axis=axis, descending=descending)
            assert got.dtype == want.dtype
            np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


@pytest.mark.parametrize(("dtype", "func", "kinds"), [
    ("int8", "argsort", ["stable"]), ("uint16", "argsort", ["stable"]), ("uint8", "sort", ["stable"]),
    ("int16", "sort", [None]), ("float64", "argsort", [None]),  # the default sort where nothing ties
    ("int32", "argsort", ["stable"]),  # ties, found in the sorted values: the stable sort alone
    ("float32", "argsort", [None, "stable"]),  # floats seldom tie: the default argsort first, then the stable one
])
def test_which_numpy_sort_runs(dtype, func, kinds, monkeypatch):
    """NumPy's radix sort (its stable one) for 1-byte integer values and 1- or 2-byte integer indices, at once; for
    the rest, its stable sort only where values tie."""
    called = []
    real = getattr(np, func)

    def spy(a, axis=-1, kind=None, **kwargs):
        called.append(kind)
        return real(a, axis=axis, kind=kind, **kwargs)

    x = xp.asarray(np.arange(100).astype(dtype) % (100 if dtype == "float64" else 7))  # ties but in float64
    monkeypatch.setattr(np, func, spy)
    getattr(xp, func)(x)
    assert called == kinds


@pytest.mark.parametrize("n", [5000, (1 << 16) + 5, 3 << 16])
@pytest.mark.parametrize("where", ["none", "first", "middle", "last", "two nans", "one nan", "signed zeros"])
def test_ties_in_a_float_argsort_are_found(where, n, monkeypatch):
    """A float argsort runs NumPy's default argsort and looks for ties in the sorted values (gathered in its order
    for a small array, sorted on another thread beside it for a large one): a tie anywhere, two NaNs (sorted
    last) and zeros of both signs are all found, and only then does the stable argsort run."""
    from array_api_jax import _host_sort

    values = np.arange(n, dtype=np.float64) + 1.0
    tied = {"first": 1, "middle": n // 2, "last": n - 1}.get(where)
    if tied is not None:
        values[tied] = values[tied - 1]
    if where in ("two nans", "one nan"):
        values[[11, n // 3]] = np.nan if where == "two nans" else (np.nan, 5.5)
    if where == "signed zeros":
        values[[3, n - 2]] = (0.0, -0.0)
    x = np.random.default_rng(0).permutation(values)
    kinds, beside = [], []
    real, real_sorter = np.argsort, _host_sort._sorter
    monkeypatch.setattr(np, "argsort", lambda a, axis=-1, kind=None: kinds.append(kind) or real(a, axis, kind))
    monkeypatch.setattr(_host_sort, "_sorter", lambda: beside.append(n) or real_sorter())
    got = np.asarray(xp.argsort(xp.asarray(x)))
    assert kinds == ([None] if where in ("none", "one nan") else [None, "stable"])
    assert bool(beside) == (n >= _host_sort._BESIDE_MIN)
    np.testing.assert_array_equal(got, real(x, kind="stable"))


def _on_both_paths(call, *data):
    """``call(*arrays)`` as NumPy values, with arrays made on the host path and on XLA."""
    out = []
    for enabled in (True, False):
        _host.set_host_path(enabled)
        try:
            out.append(np.asarray(call(*[xp.asarray(d) for d in data])))
        finally:
            _host.set_host_path(True)
    return out


@pytest.mark.parametrize("dtype", ["int8", "int32", "int64", "uint8", "uint64"])
def test_integer_division_by_zero_is_zero_on_both_paths(dtype):
    """The standard leaves an integer quotient or remainder by zero open; NumPy's answer, 0, on both paths (XLA's
    own quotient is -1 or -2, or the largest value of an unsigned dtype), so the answer never depends on how the
    array was made, or on which engine computed a large value's call."""
    info = np.iinfo(dtype)
    a = np.array([0, 1, 2, 7, 100, info.max, info.min] + ([-1, -7] if info.min else []), dtype)
    zero = np.zeros_like(a)
    for call in (lambda x, z: x // z, lambda x, z: xp.floor_divide(x, z), lambda x, z: x % z,
                 lambda x, z: xp.remainder(x, z), lambda x, z: x // z[0], lambda x, z: x // 0):
        host, xla = _on_both_paths(call, a, zero)
        assert host.dtype == xla.dtype == a.dtype
        np.testing.assert_array_equal(host, np.zeros_like(a))
        np.testing.assert_array_equal(xla, np.zeros_like(a))


@pytest.mark.parametrize("dtype", ["int8", "int16", "int64"])
def test_negative_integer_powers_truncate_on_both_paths(dtype):
    """An integer to a negative integer power, which the standard leaves open (NumPy refuses it), is the truncated
    exact value on both paths: 1 for 1, +-1 for -1, else 0 (XLA's own power gives garbage: 3 ** -1 is -85 in int8,
    a modular inverse), with an array, a 0-D or a Python int exponent, and in place."""
    info = np.iinfo(dtype)
    a = np.array([0, 1, -1, 2, -2, 3, -3, 7, info.max, info.min], dtype)
    for n in (-1, -2, -3, -64):
        want = np.where(a == 1, 1, np.where(a == -1, -1 if n % 2 else 1, 0)).astype(dtype)

        def in_place(x, e, n=n):
            x **= n
            return x

        for call in (lambda x, e: x ** e, lambda x, e: xp.pow(x, e[0]), lambda x, e, n=n: x ** n, in_place,
                     lambda x, e, n=n: xp.pow(x, xp.asarray(n, dtype=x.dtype))):
            host, xla = _on_both_paths(call, a, np.full_like(a, n))
            np.testing.assert_array_equal(host, want)
            np.testing.assert_array_equal(xla, want)
            assert host.dtype == xla.dtype == a.dtype
    # mixed exponents: non-negative ones are ordinary powers on both paths
    e = np.array([2, -1, 0, 3, -2, 1, 1, 0, 1, 1], dtype)
    host, xla = _on_both_paths(lambda x, y: x ** y, a, e)
    np.testing.assert_array_equal(host, xla)
    np.testing.assert_array_equal(host[:6], np.array([0, 1, 1, 8, 0, 3], dtype))


@pytest.mark.parametrize("dtype", ["int8", "int64", "uint8", "uint32"])
def test_shift_counts_out_of_range_agree_on_both_paths(dtype):
    """Shift counts that are negative or at least the width, which the standard leaves open, give the same
    answer on both paths."""
    info = np.iinfo(dtype)
    a = np.array([1, 3, 100, info.max, info.min] + ([-1, -100] if info.min else []), dtype)
    width = np.iinfo(dtype).bits
    counts = [width, width + 1, 2 * width, info.max] + ([-1, -width, info.min] if info.min else [])
    for c in counts:
        for call in (lambda x, n: x << n, lambda x, n: x >> n, lambda x, n: xp.bitwise_left_shift(x, n[0]),
                     lambda x, n: xp.bitwise_right_shift(x, n)):
            host, xla = _on_both_paths(call, a, np.full_like(a, c))
            np.testing.assert_array_equal(host, xla, err_msg=f"count {c}")
