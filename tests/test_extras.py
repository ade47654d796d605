"""array_api_jax.extras: the NumPy-style namespace and extras.ndarray, with NumPy as the oracle."""

import copy
import inspect
import pickle

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import array_api_jax as xp
import array_api_jax.extras as bm
from array_api_jax import _versions
from array_api_jax.extras import _namespace

SETTINGS = settings(max_examples=3, deadline=None)


@pytest.fixture(autouse=True)
def _numpy_defaults():
    """NumPy is the oracle here, so extras runs with NumPy's 64-bit defaults (bm.enable_x64()); the tests of
    BrainPy's 32-bit defaults switch back with bm.disable_x64() (conftest restores them after every test)."""
    bm.enable_x64()


def test_tutorial():
    bm.disable_x64()  # BrainPy's defaults, as in the tutorial
    a1 = bm.array([[0, 1, 2], [3, 4, 5]])
    a1 += 1                      # [[1, 2, 3], [4, 5, 6]]
    a2 = bm.ones(3)
    a2[0:2] = 10.
    a2[2] = 0.                   # [10., 10., 0.]
    a3 = a1 + a2                 # [[11., 12., 3.], [14., 15., 6.]]
    s3 = bm.sort(a3, axis=-1)    # [[3., 11., 12.], [6., 14., 15.]]
    c1 = a1.reshape(6, -1)       # a (6, 1) column 1..6
    assert a1.dtype == bm.int32 and a1.tolist() == [[1, 2, 3], [4, 5, 6]]
    assert a2.dtype == bm.float32 and a2.tolist() == [10., 10., 0.]
    assert a3.dtype == bm.float32 and a3.tolist() == [[11., 12., 3.], [14., 15., 6.]]
    assert s3.tolist() == [[3., 11., 12.], [6., 14., 15.]]
    assert c1.shape == (6, 1) and c1.tolist() == [[1], [2], [3], [4], [5], [6]]
    assert all(type(a) is bm.ndarray for a in (a1, a2, a3, s3, c1))
    if hasattr(bm, "random"):
        r3 = bm.random.uniform()     # a float in [0, 1)
        assert type(r3) is bm.ndarray and 0 <= float(r3) < 1


# --- coverage and signatures -----------------------------------------------------------------------------------

MODULES = {"": (jnp, bm, _namespace.EXCLUDED), "linalg.": (jnp.linalg, bm.linalg, bm.linalg._EXCLUDED),
           "fft.": (jnp.fft, bm.fft, bm.fft._EXCLUDED)}


def _covered():
    out = {}
    for prefix, (jmod, ours, excluded) in MODULES.items():
        for name in _namespace.public_callables(jmod):
            if name not in excluded:
                out[prefix + name] = (getattr(jmod, name), getattr(ours, name, None))
    return out


def test_every_jax_numpy_callable_is_covered_or_excluded_with_a_reason():
    counts = {}
    for prefix, (jmod, ours, excluded) in MODULES.items():
        names = _namespace.public_callables(jmod)
        # a wrapper names the extras module as its own (so does extras.ndarray, which replaces jax.numpy's class)
        covered = [n for n in names if getattr(getattr(ours, n, None), "__module__", "") == ours.__name__
                   and not (prefix == "" and n == "ndarray")]
        assert sorted(set(covered) | set(excluded)) == names, prefix
        assert not set(covered) & set(excluded), prefix
        for name, reason in excluded.items():
            assert getattr(ours, name, None) is not getattr(jmod, name) and len(reason) > 20
        counts[prefix or "main"] = (len(covered), len(excluded))
    print("covered/excluded jax.numpy callables:", counts)
    assert counts["main"][0] > 300


def test_every_name_of_the_strict_namespace_is_there():
    names = _versions.spec_names()[_versions.CURRENT]
    for name in list(names["main"]) + list(_versions.DTYPE_NAMES):
        assert hasattr(bm, name), name
    for sub in ("linalg", "fft"):
        for name in names[sub]:
            assert hasattr(getattr(bm, sub), name), f"{sub}.{name}"
    assert bm.float32 == xp.float32 and bm.pi == xp.pi and bm.newaxis is None


@pytest.mark.parametrize("name", sorted(_covered()))
def test_wrappers_have_jax_numpy_signature_and_name(name):
    jfunc, func = _covered()[name]
    assert func.__name__ == name.split(".")[-1]
    params = list(inspect.signature(func).parameters)
    if isinstance(jfunc, jnp.ufunc):
        assert params[:jfunc.nin] == (["x"] if jfunc.nin == 1 else ["x1", "x2"])
    else:
        expected = [p for p in inspect.signature(jfunc).parameters if not p.startswith("_")]
        assert params == [p for p in expected if not (name in _namespace.IN_PLACE and p == "inplace")]
    if jfunc.__doc__:  # jax.numpy's summary, saying extras.ndarray where it says JAX array
        theirs, ours = jfunc.__doc__.strip().splitlines()[0], func.__doc__.splitlines()[0]
        assert ours == theirs or ("JAX array" in theirs and ours == theirs.replace("a JAX array", "an extras.ndarray")
                                  .replace("JAX array", "extras.ndarray"))


# --- every covered function agrees with NumPy ------------------------------------------------------------------

def _floats(lo, hi, shape=(3, 4)):
    return hnp.arrays(np.float64, shape, elements=st.floats(lo, hi, allow_subnormal=False))


@st.composite
def inputs(draw):
    d = {"x": draw(_floats(-4, 4)), "y": draw(_floats(-4, 4)), "p": draw(_floats(0.25, 4)),
         "q": draw(_floats(0.25, 4)), "u": draw(_floats(-0.9, 0.9)), "g": draw(_floats(1.1, 4)),
         "i": draw(hnp.arrays(np.int64, (3, 4), elements=st.integers(-6, 6))),
         "j": draw(hnp.arrays(np.int64, (3, 4), elements=st.integers(-6, 6))),
         "n": draw(hnp.arrays(np.int64, (3, 4), elements=st.integers(0, 6))),
         "b": draw(hnp.arrays(np.bool_, (3, 4))), "c": draw(hnp.arrays(np.bool_, (3, 4))),
         "v": draw(_floats(-4, 4, (4,))), "w": draw(_floats(-4, 4, (4,))),
         "k": draw(hnp.arrays(np.int64, (4,), elements=st.integers(0, 3)))}
    d["m"] = draw(_floats(-1, 1, (4, 4))) + 4 * np.eye(4)
    d["s"] = d["m"] @ d["m"].T
    d["z"] = d["x"] + 1j * d["y"]
    d["t"] = np.cumsum(d["p"][0])  # strictly increasing
    d["xn"] = np.where(np.arange(3)[:, None] == 0, np.where(d["b"][0], np.nan, d["x"][0]), d["x"])
    d["x3"] = d["x"].reshape(3, 2, 2)
    return d


def _group(names, call, prefix=""):
    return {prefix + name: call(name) for name in names.split()}


def _mutated(func, a, *args, **kwargs):
    assert func(a, *args, **kwargs) is None
    return a


def _sorted_complex(r):
    return np.sort_complex(np.asarray(r).ravel())


# name -> call(module, inputs) or (call, post): post maps both results before comparing (for answers that are
# only defined up to order or sign)
CASES = {
    **_group("abs absolute ceil floor trunc rint cbrt sign signbit negative positive square fabs exp expm1 exp2 "
             "sin cos tan sinh cosh tanh arctan atan arcsinh asinh deg2rad degrees rad2deg radians isfinite isinf "
             "isnan isneginf isposinf sinc spacing i0 real imag conj conjugate iscomplex isreal around round "
             "frexp modf ravel copy transpose matrix_transpose flip fliplr flipud atleast_1d atleast_2d "
             "atleast_3d count_nonzero nan_to_num sort", lambda f: lambda m, d: getattr(m, f)(d["x"])),
    **_group("log log2 log10 log1p sqrt reciprocal", lambda f: lambda m, d: getattr(m, f)(d["p"])),
    **_group("arcsin arccos arctanh asin acos atanh", lambda f: lambda m, d: getattr(m, f)(d["u"])),
    **_group("arccosh acosh", lambda f: lambda m, d: getattr(m, f)(d["g"])),
    **_group("invert bitwise_not bitwise_invert", lambda f: lambda m, d: getattr(m, f)(d["i"])),
    **_group("add subtract multiply divide true_divide arctan2 atan2 hypot copysign maximum minimum fmax fmin "
             "logaddexp logaddexp2 nextafter heaviside equal not_equal less less_equal greater greater_equal "
             "isclose allclose array_equal array_equiv vecdot", lambda f: lambda m, d: getattr(m, f)(d["x"], d["y"])),
    **_group("power pow float_power", lambda f: lambda m, d: getattr(m, f)(d["p"], d["y"])),
    **_group("floor_divide remainder mod fmod divmod", lambda f: lambda m, d: getattr(m, f)(d["x"], d["q"])),
    **_group("gcd lcm bitwise_and bitwise_or bitwise_xor", lambda f: lambda m, d: getattr(m, f)(d["i"], d["j"])),
    **_group("left_shift right_shift bitwise_left_shift bitwise_right_shift ldexp",
             lambda f: lambda m, d: getattr(m, f)(d["i"] if "shift" in f else d["x"], d["n"])),
    **_group("logical_and logical_or logical_xor", lambda f: lambda m, d: getattr(m, f)(d["b"], d["c"])),
    **_group("sum prod mean std var max min amax amin ptp all any argmax argmin median",
             lambda f: lambda m, d: (getattr(m, f)(d["x"]), getattr(m, f)(d["x"], axis=0))),
    **_group("nansum nanprod nanmean nanstd nanvar nanmax nanmin nanargmax nanargmin nanmedian nancumsum nancumprod",
             lambda f: lambda m, d: (getattr(m, f)(d["xn"]), getattr(m, f)(d["xn"], axis=0))),
    **_group("percentile quantile nanpercentile nanquantile",
             lambda f: lambda m, d: getattr(m, f)(d["xn" if "nan" in f else "x"], 30 if "per" in f else .3, axis=0)),
    **_group("cumsum cumprod cumulative_sum cumulative_prod diff gradient unwrap trapezoid",
             lambda f: lambda m, d: getattr(m, f)(d["x"], axis=0)),
    **_group("stack concatenate concat hstack vstack dstack column_stack",
             lambda f: lambda m, d: getattr(m, f)([d["x"], d["y"]])),
    **_group("split array_split hsplit", lambda f: lambda m, d: getattr(m, f)(d["x"], 2, **(
        {} if f == "hsplit" else {"axis": 1}))),
    **_group("unique unique_counts unique_inverse unique_all", lambda f: lambda m, d: getattr(m, f)(d["i"])),
    "unique_values": (lambda m, d: m.unique_values(d["i"]), np.sort),  # NumPy >= 2.3 does not sort these
    **_group("intersect1d union1d setdiff1d setxor1d isin", lambda f: lambda m, d: getattr(m, f)(d["i"], d["j"])),
    **_group("dot vdot inner outer kron convolve correlate polyadd polysub polyval",
             lambda f: lambda m, d: getattr(m, f)(d["v"], d["w"])),
    **_group("poly polyder polyint diag diagflat ediff1d vander trim_zeros",
             lambda f: lambda m, d: getattr(m, f)(d["v"])),
    **_group("bartlett blackman hamming hanning", lambda f: lambda m, d: getattr(m, f)(6)),
    **_group("tril triu diagonal trace", lambda f: lambda m, d: getattr(m, f)(d["m"])),
    "fill_diagonal": lambda m, d: _mutated(m.fill_diagonal, m.array(d["m"]), 5.0),
    **_group("tril_indices_from triu_indices_from diag_indices_from", lambda f: lambda m, d: getattr(m, f)(d["m"])),
    **_group("tril_indices triu_indices diag_indices identity", lambda f: lambda m, d: getattr(m, f)(4)),
    **_group("nonzero flatnonzero argwhere", lambda f: lambda m, d: getattr(m, f)(d["b"])),
    **_group("zeros ones", lambda f: lambda m, d: getattr(m, f)((2, 3))),
    **_group("zeros_like ones_like", lambda f: lambda m, d: getattr(m, f)(d["i"])),
    **_group("empty empty_like", lambda f: (lambda m, d: getattr(m, f)(d["i"] if "like" in f else (2, 3)),
                                            lambda r: (r.shape, r.dtype))),
    "angle": lambda m, d: m.angle(d["z"]),
    "logical_not": lambda m, d: m.logical_not(d["b"]),
    "sort_complex": lambda m, d: m.sort_complex(d["z"].ravel()),
    "bitwise_count": lambda m, d: m.bitwise_count(d["n"]),
    "packbits": lambda m, d: m.packbits(d["b"]),
    "unpackbits": lambda m, d: m.unpackbits(m.asarray(d["n"]).astype(m.uint8)),
    "bincount": lambda m, d: m.bincount(d["n"].ravel()),
    "digitize": lambda m, d: m.digitize(d["v"], d["t"]),
    "searchsorted": lambda m, d: m.searchsorted(d["t"], d["v"]),
    "interp": lambda m, d: m.interp(d["v"], d["t"], d["w"]),
    "lexsort": lambda m, d: m.lexsort((d["k"], d["v"])),
    "argsort": lambda m, d: m.argsort(d["x"], axis=0, stable=True),
    "partition": (lambda m, d: m.partition(d["v"], 2), np.sort),
    "argpartition": lambda m, d: d["v"][m.argpartition(d["v"], 2)[2]],
    "take": lambda m, d: m.take(d["x"], d["k"], axis=1),
    "take_along_axis": lambda m, d: m.take_along_axis(d["x"], m.argsort(d["x"], axis=1, stable=True), axis=1),
    "put_along_axis": lambda m, d: _mutated(m.put_along_axis, m.array(d["x"]),
                                            m.argsort(d["x"], axis=1, stable=True)[:, :1], 9.0, axis=1),
    "put": lambda m, d: _mutated(m.put, m.array(d["x"]), [0, 5], [9.0, 8.0]),
    "place": lambda m, d: _mutated(m.place, m.array(d["x"]), d["b"], [7.0, 8.0]),
    "choose": lambda m, d: m.choose(d["k"] % 2, [d["v"], d["w"]]),
    "compress": lambda m, d: m.compress(d["b"][0], d["x"], axis=1),
    "extract": lambda m, d: m.extract(d["b"], d["x"]),
    "select": lambda m, d: m.select([d["b"], d["c"]], [d["x"], d["y"]], 0.5),
    "where": lambda m, d: (m.where(d["b"], d["x"], d["y"]), m.where(d["b"])),
    "clip": lambda m, d: m.clip(d["x"], -1, 1),
    "reshape": lambda m, d: m.reshape(d["x"], (4, 3)),
    "resize": lambda m, d: m.resize(d["x"], (2, 7)),
    "permute_dims": lambda m, d: m.permute_dims(d["x3"], (2, 0, 1)),
    "swapaxes": lambda m, d: m.swapaxes(d["x"], 0, 1),
    "moveaxis": lambda m, d: m.moveaxis(d["x3"], 0, 2),
    "rollaxis": lambda m, d: m.rollaxis(d["x3"], 2),
    "expand_dims": lambda m, d: m.expand_dims(d["x"], 1),
    "squeeze": lambda m, d: m.squeeze(d["x3"][:1]),
    "broadcast_to": lambda m, d: m.broadcast_to(d["v"], (3, 4)),
    "broadcast_arrays": lambda m, d: m.broadcast_arrays(d["x"], d["v"]),
    "broadcast_shapes": lambda m, d: m.broadcast_shapes((3, 1), (1, 4)),
    "roll": lambda m, d: m.roll(d["x"], 2),
    "rot90": lambda m, d: m.rot90(d["x"]),
    "tile": lambda m, d: m.tile(d["v"], 2),
    "repeat": lambda m, d: m.repeat(d["x"], 2, axis=0),
    "unstack": lambda m, d: m.unstack(d["x"]),
    "vsplit": lambda m, d: m.vsplit(d["x3"], 3),
    "dsplit": lambda m, d: m.dsplit(d["x3"], 2),
    "block": lambda m, d: m.block([[d["x"], d["y"]], [d["y"], d["x"]]]),
    "append": lambda m, d: m.append(d["x"], d["y"], axis=0),
    "insert": lambda m, d: m.insert(d["v"], 1, 5.0),
    "delete": lambda m, d: m.delete(d["v"], 1),
    "pad": lambda m, d: m.pad(d["x"], 1),
    "average": lambda m, d: m.average(d["x"], axis=0, weights=d["p"]),
    "corrcoef": lambda m, d: m.corrcoef(d["m"]),
    "cov": lambda m, d: m.cov(d["x"]),
    "histogram": lambda m, d: m.histogram(d["v"], bins=3, range=(-4, 4)),
    "histogram_bin_edges": lambda m, d: m.histogram_bin_edges(d["v"], bins=3, range=(-4, 4)),
    "histogram2d": lambda m, d: m.histogram2d(d["v"], d["w"], bins=2, range=[[-4, 4], [-4, 4]]),
    "histogramdd": lambda m, d: m.histogramdd(d["x"][:, :2], bins=2, range=[[-4, 4], [-4, 4]]),
    "matmul": lambda m, d: m.matmul(d["x"], d["m"]),
    "matvec": lambda m, d: m.matvec(d["m"], d["v"]),
    "vecmat": lambda m, d: m.vecmat(d["v"], d["m"]),
    "tensordot": lambda m, d: m.tensordot(d["x"], d["y"], axes=([1], [1])),
    "einsum": lambda m, d: m.einsum("ij,kj->ik", d["x"], d["y"]),
    "cross": lambda m, d: m.cross(d["v"][:3], d["w"][:3]),
    # leading coefficients are nonzero: jax.numpy does not trim leading zeros (NumPy does)
    "polydiv": (lambda m, d: m.polydiv(d["p"][0], d["q"][0]), lambda r: (r[0], np.polyval(np.asarray(r[1]), 0.5))),
    "polymul": lambda m, d: m.polymul(d["p"][0], d["q"][0]),
    "polyfit": lambda m, d: m.polyfit(np.arange(4.0), d["v"], 2),
    "roots": (lambda m, d: m.roots([1.0, -6.0 + d["u"][0, 0], 11.0, -6.0]), _sorted_complex),
    "kaiser": lambda m, d: m.kaiser(6, 2.0),
    "array": lambda m, d: m.array([[1, 2], [3, 4.5]]),
    "asarray": lambda m, d: m.asarray(d["x"]),
    "full": lambda m, d: m.full((2, 2), 1.5),
    "full_like": lambda m, d: m.full_like(d["x"], 2),
    "arange": lambda m, d: m.arange(0, 5, 0.5),
    "linspace": lambda m, d: m.linspace(0, 1, 5, retstep=True),
    "logspace": lambda m, d: m.logspace(0, 2, 5),
    "geomspace": lambda m, d: m.geomspace(1, 100, 5),
    "eye": lambda m, d: m.eye(3, 4, k=1),
    "tri": lambda m, d: m.tri(3, 4, 1),
    "meshgrid": lambda m, d: m.meshgrid(d["v"], d["w"][:3]),
    "indices": lambda m, d: m.indices((2, 3)),
    "ix_": lambda m, d: m.ix_([0, 1], [2, 3]),
    "mask_indices": lambda m, d: m.mask_indices(4, m.triu),
    "unravel_index": lambda m, d: m.unravel_index(d["k"], (2, 2)),
    "ravel_multi_index": lambda m, d: m.ravel_multi_index((d["k"], d["k"]), (4, 4)),
    "fromfunction": lambda m, d: m.fromfunction(lambda a, b: a * 10 + b, (3, 3)),
    "frombuffer": lambda m, d: m.frombuffer(b"\x01\x02\x03", dtype=m.uint8),
    "from_dlpack": lambda m, d: m.from_dlpack(m.asarray(d["x"])),
    "astype": lambda m, d: m.astype(d["x"], m.int32),
    "piecewise": lambda m, d: m.piecewise(d["x"], [d["x"] < 0], [lambda t: -t, lambda t: t * 2]),
    "apply_along_axis": lambda m, d: m.apply_along_axis(lambda r: r.max() - r.min(), 1, d["x"]),
    "apply_over_axes": lambda m, d: m.apply_over_axes(m.sum, d["x"], [0]),
    "vectorize": lambda m, d: m.vectorize(lambda a, b: a * b + 1)(d["x"], d["y"]),
    "can_cast": lambda m, d: m.can_cast(m.int32, m.float64),
    "result_type": lambda m, d: m.result_type(m.int64, m.float64),
    "promote_types": lambda m, d: m.promote_types(m.int8, m.int16),
    "issubdtype": lambda m, d: m.issubdtype(m.float64, np.floating),
    "isdtype": lambda m, d: m.isdtype(m.float64, "real floating"),
    "finfo": lambda m, d: (float(m.finfo(m.float32).eps), float(m.finfo(m.float64).max)),
    "iinfo": lambda m, d: (int(m.iinfo(m.int8).min), int(m.iinfo(m.uint16).max)),
    "isscalar": lambda m, d: (m.isscalar(1.0), m.isscalar([1.0])),
    "iterable": lambda m, d: (m.iterable([1]), m.iterable(1)),
    "iscomplexobj": lambda m, d: (m.iscomplexobj(d["z"]), m.iscomplexobj(d["x"])),
    "isrealobj": lambda m, d: (m.isrealobj(d["z"]), m.isrealobj(d["x"])),
    "ndim": lambda m, d: m.ndim(d["x3"]),
    "shape": lambda m, d: m.shape(d["x3"]),
    "size": lambda m, d: m.size(d["x3"]),
    **_group("cond det inv matrix_norm matrix_rank norm pinv slogdet svdvals trace diagonal",
             lambda f: lambda m, d: getattr(m.linalg, f)(d["m"]), "linalg."),
    "linalg.cholesky": lambda m, d: m.linalg.cholesky(d["s"]),
    "linalg.eigvalsh": lambda m, d: m.linalg.eigvalsh(d["s"]),
    "linalg.eigh": (lambda m, d: m.linalg.eigh(d["s"]), lambda r: r[0]),
    "linalg.eig": (lambda m, d: m.linalg.eig(d["m"]), lambda r: _sorted_complex(r[0])),
    "linalg.eigvals": (lambda m, d: m.linalg.eigvals(d["m"]), _sorted_complex),
    "linalg.svd": (lambda m, d: m.linalg.svd(d["m"]), lambda r: r[1]),
    "linalg.qr": (lambda m, d: m.linalg.qr(d["m"]), lambda r: (np.abs(np.asarray(r[0])), np.abs(np.asarray(r[1])))),
    "linalg.lstsq": (lambda m, d: m.linalg.lstsq(d["x"].T, d["w"]), lambda r: r[0]),
    "linalg.solve": lambda m, d: m.linalg.solve(d["m"], d["v"]),
    "linalg.matrix_power": lambda m, d: m.linalg.matrix_power(d["m"], 3),
    "linalg.multi_dot": lambda m, d: m.linalg.multi_dot([d["x"], d["m"], d["v"]]),
    "linalg.tensorinv": lambda m, d: m.linalg.tensorinv(d["m"].reshape(2, 2, 4), ind=2),
    "linalg.tensorsolve": lambda m, d: m.linalg.tensorsolve(d["m"].reshape(4, 2, 2), d["v"]),
    "linalg.cross": lambda m, d: m.linalg.cross(d["x"][:, :3], d["y"][:, :3]),
    "linalg.outer": lambda m, d: m.linalg.outer(d["v"], d["w"]),
    "linalg.matmul": lambda m, d: m.linalg.matmul(d["x"], d["m"]),
    "linalg.matrix_transpose": lambda m, d: m.linalg.matrix_transpose(d["x"]),
    "linalg.tensordot": lambda m, d: m.linalg.tensordot(d["x"], d["y"], axes=([1], [1])),
    "linalg.vecdot": lambda m, d: m.linalg.vecdot(d["x"], d["y"]),
    "linalg.vector_norm": lambda m, d: m.linalg.vector_norm(d["x"], ord=1),
    **_group("fft fft2 fftn rfft rfft2 rfftn hfft fftshift", lambda f: lambda m, d: getattr(m.fft, f)(d["x"]), "fft."),
    **_group("ifft ifft2 ifftn irfft irfft2 irfftn ifftshift", lambda f: lambda m, d: getattr(m.fft, f)(d["z"]),
             "fft."),
    "fft.ihfft": lambda m, d: m.fft.ihfft(d["v"]),
    "fft.fftfreq": lambda m, d: m.fft.fftfreq(8, 0.1),
    "fft.rfftfreq": lambda m, d: m.fft.rfftfreq(8),
}
NOT_COMPARED = {
    "einsum_path": "returns a contraction plan, not values; jax's plan format differs from NumPy's",
    **dict.fromkeys(("load", "save", "savez"), "file I/O: round trips in test_extras_migration.py"),
}


def test_the_case_table_covers_every_wrapper():
    assert sorted(set(CASES) | set(NOT_COMPARED)) == sorted(_covered())


def _check_types(ours, theirs):
    """Arrays come back as ndarrays, never as raw jax or NumPy arrays, also inside tuples and lists."""
    if isinstance(theirs, (tuple, list)):
        assert isinstance(ours, (tuple, list)) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            _check_types(o, t)
    elif isinstance(theirs, (np.ndarray, np.generic)):
        assert type(ours) is bm.ndarray, type(ours)
    assert not isinstance(ours, (jax.Array, np.ndarray))


# Solving a linear system loses about cond(A) * eps of relative accuracy (cond(A)**2 * eps for least squares), in
# NumPy and in JAX alike, so two correct answers may differ by that much: these cases compare with a tolerance
# scaled by the condition number of their matrix, measured on the drawn inputs (name -> (matrix, power of cond)).
CONDITIONED = {
    "linalg.lstsq": (lambda d: d["x"].T, 2),
    "linalg.pinv": (lambda d: d["m"], 1),
    "linalg.solve": (lambda d: d["m"], 1),
    "linalg.inv": (lambda d: d["m"], 1),
    "linalg.cond": (lambda d: d["m"], 1),
    "linalg.tensorinv": (lambda d: d["m"], 1),
    "linalg.tensorsolve": (lambda d: d["m"], 1),  # a (4, 2, 2) reshape of m, solved as the 4x4 matrix m
}
RTOL = 1e-6
EPS = np.finfo(np.float64).eps


def _rtol(name, d):
    """The relative tolerance for case ``name`` on inputs ``d``: RTOL, or more for an ill-conditioned matrix;
    None when the matrix is numerically singular (its solution is not determined to any digit)."""
    if name not in CONDITIONED:
        return RTOL
    matrix, power = CONDITIONED[name]
    error = 100 * EPS * np.linalg.cond(matrix(d)) ** power
    return None if not error < 1e-2 else max(RTOL, error)


def _assert_close(ours, theirs, rtol=RTOL):
    """Element-wise for ordinary results; for a conditioned case (rtol above RTOL) relative to the largest
    element, since the error bound of a linear solve is norm-wise, not per element."""
    if isinstance(theirs, (tuple, list)):
        for o, t in zip(ours, theirs):
            _assert_close(o, t, rtol)
        return
    if isinstance(theirs, (np.dtype, str, type(None))):
        assert ours == theirs
        return
    o, t = np.asarray(ours), np.asarray(theirs)
    assert o.shape == t.shape
    if t.dtype.kind in "biufc":
        atol = 1e-9 if rtol == RTOL else rtol * float(np.max(np.abs(t), initial=1.0))
        np.testing.assert_allclose(o, t, rtol=rtol, atol=atol, equal_nan=True)
    else:
        assert o.tolist() == t.tolist()


def _to_ndarrays(d):
    return {k: bm.asarray(v) for k, v in d.items()}


def test_solver_tolerance_follows_the_condition_number():
    well = {"m": 4 * np.eye(4)}
    ill = {"m": np.diag([1.0, 1.0, 1.0, 1e-9])}
    singular = {"m": np.diag([1.0, 1.0, 1.0, 0.0])}
    assert _rtol("linalg.solve", well) == RTOL and _rtol("add", ill) == RTOL
    assert 1e-6 < _rtol("linalg.solve", ill) < 1e-4
    assert _rtol("linalg.solve", singular) is None
    assert _rtol("linalg.lstsq", {"x": np.diag([1.0, 1.0, 1e-4])}) > RTOL


@pytest.mark.parametrize("name", sorted(CASES))
@SETTINGS
@given(d=inputs())
def test_agrees_with_numpy(name, d):
    case = CASES[name]
    call, post = case if isinstance(case, tuple) else (case, None)
    with np.errstate(all="ignore"):
        theirs = call(np, d)
    ours = call(bm, _to_ndarrays(d))
    _check_types(ours, theirs)
    if post is not None:
        ours, theirs = post(ours), post(theirs)
    rtol = _rtol(name, d)
    if rtol is None:  # a numerically singular matrix: only the types and shapes are compared
        assert np.shape(np.asarray(ours)) == np.shape(np.asarray(theirs))
        return
    _assert_close(ours, theirs, rtol)


# --- ndarray methods --------------------------------------------------------------------------------------------

METHODS = {
    "reshape": lambda a: (a.reshape(4, 3), a.reshape((2, -1)), a.reshape(-1)),
    "sum": lambda a: (a.sum(), a.sum(axis=0), a.sum(axis=1, keepdims=True)),
    "max": lambda a: (a.max(), a.max(axis=1)), "min": lambda a: (a.min(), a.min(axis=0)),
    "mean": lambda a: a.mean(axis=0), "prod": lambda a: a.prod(axis=1), "std": lambda a: a.std(ddof=1),
    "var": lambda a: a.var(axis=0), "any": lambda a: (a > 1).any(axis=0), "all": lambda a: (a > -5).all(),
    "argmax": lambda a: a.argmax(axis=1), "argmin": lambda a: a.argmin(),
    "cumsum": lambda a: a.cumsum(axis=0), "cumprod": lambda a: a.cumprod(),
    "argsort": lambda a: a.argsort(axis=1, stable=True), "clip": lambda a: a.clip(-1, 1),
    "round": lambda a: a.round(1), "flatten": lambda a: a.flatten(), "ravel": lambda a: a.ravel(),
    "squeeze": lambda a: a.reshape(1, 3, 4).squeeze(), "transpose": lambda a: (a.transpose(), a.transpose(1, 0),
                                                                              a.transpose((1, 0))),
    "swapaxes": lambda a: a.swapaxes(0, 1), "astype": lambda a: a.astype(np.int32),
    "dot": lambda a: a.dot(a.T), "nonzero": lambda a: (a > 0).nonzero(), "take": lambda a: a.take([0, 2], axis=1),
    "repeat": lambda a: a.repeat(2, axis=0), "diagonal": lambda a: a.diagonal(1), "trace": lambda a: a.trace(),
    "conj": lambda a: (a * 1j).conj(), "conjugate": lambda a: (a * 1j).conjugate(), "real": lambda a: (a * 1j).real,
    "imag": lambda a: (a * 1j).imag, "T": lambda a: (a.T, a.reshape(2, 3, 2).T), "copy": lambda a: a.copy(),
    "searchsorted": lambda a: a.ravel()[np.argsort(np.asarray(a).ravel())].searchsorted(0.5),
    "choose": lambda a: (a > 0).astype(np.int64).choose([a, -a]),
    "sort": lambda a: _sorted_in_place(a.copy(), axis=0),
    "partition": lambda a: _sorted_in_place(_mutated(type(a).partition, a.ravel().copy(), 3)),
    "argpartition": lambda a: a.ravel()[a.ravel().argpartition(3)[3]],
    "put": lambda a: _mutated(type(a).put, a.copy(), [0, 3], [7.0, 8.0]),
    "fill": lambda a: _mutated(type(a).fill, a.copy(), 2.5),
    "item": lambda a: (a.item(0), a.item(1, 2), a[1, 1].item()), "tolist": lambda a: a.tolist(),
    "iteration": lambda a: [r for r in a], "len": lambda a: len(a),
}


def _sorted_in_place(a, **kwargs):
    assert a.sort(**kwargs) is None
    return a


@pytest.mark.parametrize("name", sorted(METHODS))
@SETTINGS
@given(x=_floats(-4, 4))
def test_ndarray_methods_agree_with_numpy(name, x):
    theirs = METHODS[name](x.copy())
    ours = METHODS[name](bm.asarray(x))
    _check_types(ours, theirs)
    _assert_close(ours, theirs)


def test_methods_cover_the_numpy_only_hints_of_the_strict_array():
    from array_api_jax._surface import NUMPY_ONLY

    for name in NUMPY_ONLY:
        assert name in METHODS and hasattr(bm.ndarray, name), name
    assert list(inspect.signature(bm.ndarray.sum).parameters)[:2] == ["self", "axis"]
    assert list(inspect.signature(bm.ones(2).sum).parameters)[0] == "axis"


def test_len_and_iteration():
    a = bm.arange(6).reshape(3, 2)
    assert len(a) == 3 and [type(r) for r in a] == [bm.ndarray] * 3
    rows = list(a)
    rows[1][0] = 40  # rows are views, as in NumPy
    assert a.tolist() == [[0, 1], [40, 3], [4, 5]]
    with pytest.raises(TypeError):
        len(bm.asarray(1.0))
    with pytest.raises(TypeError):
        iter(bm.asarray(1.0))
    assert 40 in a and 41 not in a


# --- operators and promotion -----------------------------------------------------------------------------------

DTYPES = [np.dtype(n) for n in _versions.DTYPE_NAMES]
OPS = ["__add__", "__sub__", "__mul__", "__truediv__", "__eq__", "__lt__"]


@SETTINGS
@given(d1=st.sampled_from(DTYPES), d2=st.sampled_from(DTYPES), op=st.sampled_from(OPS),
       values=hnp.arrays(np.int8, 3, elements=st.integers(1, 5)))
def test_operators_follow_jax_numpy_promotion(d1, d2, op, values):
    if "bool" in (d1.name, d2.name) and op in ("__sub__", "__truediv__", "__lt__"):
        return
    a, b = values.astype(d1), values[::-1].astype(d2)
    ours = getattr(bm.asarray(a), op)(bm.asarray(b))
    expected = getattr(jnp.asarray(a), op)(jnp.asarray(b))
    assert type(ours) is bm.ndarray and ours.dtype == expected.dtype
    np.testing.assert_allclose(np.asarray(ours), np.asarray(getattr(a, op)(b)).astype(expected.dtype), rtol=1e-6)


def test_promotion_and_weak_python_scalars():
    i, f32 = bm.asarray([1, 2]), bm.asarray([1.0, 2.0], dtype=bm.float32)
    assert (i + 1.5).dtype == bm.float64 and (i + i).dtype == bm.int64 and (i / 2).dtype == bm.float64
    assert (f32 + 1.5).dtype == bm.float32 and (1 + f32).dtype == bm.float32 and (f32 * 2j).dtype == bm.complex64
    assert (bm.asarray([1], dtype=bm.uint64) + bm.asarray([1])).dtype == bm.float64  # as NumPy and JAX
    assert (2 ** i).tolist() == [2, 4] and (10 - i).tolist() == [9, 8] and (-i).tolist() == [-1, -2]
    assert divmod(bm.asarray([7, 8]), 3)[1].tolist() == [1, 2] and (i @ i).item() == 5
    assert (i == [1, 3]).tolist() == [True, False] and (i + np.float64(0.5)).dtype == bm.float64
    assert type(np.ones(2) + i) is bm.ndarray and type(np.float64(1) * i) is bm.ndarray


def test_in_place_operators_keep_the_dtype():
    a1 = bm.asarray([[0, 1, 2], [3, 4, 5]])
    a1 += 1
    assert a1.dtype == bm.int64 and a1.tolist() == [[1, 2, 3], [4, 5, 6]]
    with pytest.raises(TypeError, match="same_kind"):
        a1 += 1.5
    with pytest.raises(TypeError, match="same_kind"):
        a1 /= 2
    assert a1.tolist() == [[1, 2, 3], [4, 5, 6]]  # a failed in-place operation changes nothing
    f = bm.ones(3, dtype=bm.float32)
    f += bm.ones(3)  # float64 -> float32 is 'same_kind', as in NumPy
    assert f.dtype == bm.float32 and f.tolist() == [2, 2, 2]
    with pytest.raises(ValueError):
        f += bm.ones((2, 3))
    v = a1[0]
    v *= 10
    assert a1.tolist() == [[10, 20, 30], [4, 5, 6]]


def test_ndarray_and_strict_array_mix():
    nd, arr = bm.asarray([1.0, 2.0]), xp.asarray([3.0, 4.0])
    for result in (nd + arr, arr + nd, arr * nd, nd - arr, arr == nd, arr < nd, nd @ arr, arr @ nd):
        assert type(result) is bm.ndarray
    arr += nd
    assert type(arr) is xp.Array and xp.all(arr == xp.asarray([4.0, 6.0]))
    assert type(xp.sum(nd)) is xp.Array and type(xp.add(nd, nd)) is xp.Array
    assert type(bm.add(arr, arr)) is bm.ndarray and type(bm.linalg.norm(arr)) is bm.ndarray
    assert nd.__array_namespace__() is xp
    for clone in (pickle.loads(pickle.dumps(nd)), copy.copy(nd), copy.deepcopy(nd)):
        assert type(clone) is bm.ndarray and clone.tolist() == [1.0, 2.0]


MIXED_OPERATIONS = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "truediv": lambda a, b: a / b, "floordiv": lambda a, b: a // b, "mod": lambda a, b: a % b,
    "pow": lambda a, b: a ** b, "matmul": lambda a, b: a @ b, "eq": lambda a, b: a == b,
    "lt": lambda a, b: a < b, "ge": lambda a, b: a >= b,
}


@pytest.mark.parametrize("name", list(MIXED_OPERATIONS))
def test_an_operator_between_an_ndarray_and_a_strict_array_follows_the_strict_rules(name):
    """One rule for mixed operands: the strict Array asks for the standard's rules, so an operator between it and
    an ndarray follows them (in both orders), and the result is an ndarray, the more specific type."""
    op = MIXED_OPERATIONS[name]
    strict_f, strict_i = xp.asarray([3.0, 4.0]), xp.asarray([1, 2])
    nd_f, nd_i = bm.asarray([1.0, 2.0], dtype=bm.float64), bm.asarray([1, 2], dtype=bm.int64)
    for a, b in ((strict_f, nd_i), (nd_i, strict_f), (nd_f, strict_i), (strict_i, nd_f)):
        with pytest.raises(TypeError, match="defines no promotion between"):
            op(a, b)  # integer with floating: no promotion in the standard (NumPy would give float64)
    for a, b in ((strict_f, nd_f), (nd_f, strict_f)):
        out = op(a, b)
        assert type(out) is bm.ndarray
        np.testing.assert_array_equal(np.asarray(out), op(np.asarray(a), np.asarray(b)))


def test_in_place_operators_between_an_ndarray_and_a_strict_array_follow_the_strict_rules():
    nd = bm.ones(2, dtype=bm.float32)
    nd += xp.ones(2, dtype=xp.float32)
    assert type(nd) is bm.ndarray and nd.tolist() == [2.0, 2.0]
    with pytest.raises(TypeError, match="__iadd__: the result dtype float64"):
        nd += xp.ones(2, dtype=xp.float64)  # NumPy's same_kind cast would allow it; the strict rules do not
    assert nd.tolist() == [2.0, 2.0]
    arr = xp.ones(2, dtype=xp.float32)
    with pytest.raises(TypeError, match="__iadd__: the result dtype float64"):
        arr += bm.ones(2, dtype=bm.float64)
    arr += bm.ones(2, dtype=bm.float32)
    assert type(arr) is xp.Array


@pytest.mark.parametrize("name", list(MIXED_OPERATIONS))
def test_a_jax_array_meeting_an_ndarray_gives_an_ndarray(name):
    """jax.Array's operators unwrap ``__jax_array__`` operands and return raw jax.Arrays; an ndarray declines, so
    Python asks its reflected operator: NumPy's promotion (as for a jax.Array on the right), an ndarray out."""
    op = MIXED_OPERATIONS[name]
    j, nd = jnp.asarray([3.0, 4.0]), bm.asarray([1, 2], dtype=bm.int32)
    for a, b in ((j, nd), (nd, j)):
        out = op(a, b)
        assert type(out) is bm.ndarray
        np.testing.assert_array_equal(np.asarray(out), op(np.asarray(a), np.asarray(b)))
    assert type(jnp.asarray(nd)) is not bm.ndarray  # jnp.asarray still unwraps
    assert type(jnp.add(j, nd)) is not bm.ndarray  # and jax.numpy's functions return their own arrays


# --- indexing, views, mutation ------------------------------------------------------------------------------------

def test_indexing_gives_ndarray_views_and_numpy_keys():
    a = bm.arange(12.0).reshape(3, 4)
    row = a[1]
    assert type(row) is bm.ndarray and type(a[1:, ::2]) is bm.ndarray and type(a[..., None]) is bm.ndarray
    row[0] = 100
    assert a[1, 0] == 100
    a[0, 0] = 1.5
    assert a[0, 0] == 1.5
    x = np.arange(12.0).reshape(3, 4)
    x[1, 0] = 100
    x[0, 0] = 1.5
    mask = np.array([True, False, True])
    for key in ([0, 2], (mask, slice(1, 3)), (slice(None), [1, 3]), np.array([2, 0]), (mask, [0, 3]), x > 3):
        assert type(a[key]) is bm.ndarray
        np.testing.assert_array_equal(np.asarray(a[key]), x[key])
    a[[0, 2], 1] = -1.0
    x[[0, 2], 1] = -1.0
    np.testing.assert_array_equal(np.asarray(a), x)


def test_setitem_casts_as_numpy():
    a = bm.asarray([1, 2, 3])
    a[0] = 2.7  # NumPy truncates
    a[1:] = np.array([5.0, 6.0])
    assert a.tolist() == [2, 5, 6] and a.dtype == bm.int64
    with pytest.raises(TypeError):
        a[0] = 1j
    with pytest.raises(OverflowError):
        bm.asarray([1], dtype=bm.uint8)[0] = 300
    a.fill(7)
    assert a.tolist() == [7, 7, 7]


def test_asarray_returns_an_ndarray_itself_and_array_copies():
    a = bm.asarray([1.0, 2.0])
    assert bm.asarray(a) is a and bm.asarray(a, dtype=float) is a and bm.asarray(a, copy=None) is a
    assert bm.asarray(a, copy=True) is not a and bm.asarray(a, dtype=bm.float32).dtype == bm.float32
    b = bm.array(a)
    b[0] = 5.0
    assert a[0] == 1.0 and type(bm.asarray(xp.asarray([1]))) is bm.ndarray


def test_in_place_functions_modify_their_first_argument():
    a = bm.zeros((3, 3))
    assert bm.fill_diagonal(a, 2.0) is None and a.tolist() == (2 * np.eye(3)).tolist()
    b = bm.arange(5)
    assert bm.put(b, [0, 1], [9, 8]) is None and b.tolist() == [9, 8, 2, 3, 4]
    with pytest.raises(TypeError, match="in place"):
        bm.put(np.arange(5), [0], [1])
    c = bm.asarray([3, 1, 2])
    assert c.sort() is None and c.tolist() == [1, 2, 3]
    assert bm.sort(bm.asarray([3, 1, 2])).tolist() == [1, 2, 3]  # the function returns a sorted copy


def test_pytree_and_jit():
    a = bm.arange(4.0)
    out = jax.jit(lambda t: (t * 2).reshape(2, 2).sum(axis=0))(a)
    assert type(out) is bm.ndarray and out.tolist() == [4.0, 8.0]
    assert type(jax.jit(lambda t: bm.concatenate([t, t]))(a)) is bm.ndarray
    assert type(jax.tree_util.tree_map(lambda v: v + 1, {"a": a})["a"]) is bm.ndarray
    assert type(jax.vmap(lambda r: r.sum())(a.reshape(2, 2))) is bm.ndarray
    assert float(jax.grad(lambda t: bm.sum(t ** 2)._data())(bm.asarray(3.0))._data()) == 6.0


# --- dtypes ------------------------------------------------------------------------------------------------------

def test_array_inference_and_the_default_dtypes():
    bm.disable_x64()  # BrainPy's defaults: float32, int32, complex64
    assert bm.array([1, 2]).dtype == bm.int32 and bm.array([1, 2.5]).dtype == bm.float32
    assert bm.array(2j).dtype == bm.complex64 and bm.array([True]).dtype == bm.bool
    assert bm.zeros(2).dtype == bm.float32 and bm.arange(3).dtype == bm.int32 and bm.asarray(1.0).dtype == bm.float32
    assert bm.linspace(0, 1, 3).dtype == bm.float32
    assert bm.full(2, 1.5).dtype == bm.float32 and bm.eye(2).dtype == bm.float32 and bm.ones(2, int).dtype == bm.int32
    assert bm.zeros(2, dtype=bm.float64).dtype == bm.float64 and bm.array(np.ones(2)).dtype == bm.float32
    assert bm.array(np.ones(2, np.float32)).dtype == bm.float32 and bm.array([1, 2], dtype=float).dtype == bm.float32
    xp.set_default_dtypes(real_floating=xp.float64)  # the strict namespace's defaults do not reach extras
    assert bm.array([1.5]).dtype == bm.float32
    bm.enable_x64()  # NumPy's defaults
    assert bm.array([1, 2]).dtype == bm.int64 and bm.array([1, 2.5]).dtype == bm.float64
    assert bm.array(1j).dtype == bm.complex128 and bm.array([1, 2], dtype=float).dtype == bm.float64


@pytest.mark.parametrize("dtype", [np.float16, "float16", jnp.bfloat16, "bfloat16"])
def test_dtypes_outside_the_standard_13_raise(dtype):
    with pytest.raises(TypeError, match="13"):
        bm.zeros(2, dtype=dtype)
    with pytest.raises(TypeError, match="13"):
        bm.ones(2).astype(dtype)
    with pytest.raises(TypeError, match="13"):
        bm.sum(np.ones(2, dtype=dtype))
    with pytest.raises(TypeError, match="13"):
        bm.ones(2) + np.ones(2, dtype=dtype)


def test_strict_array_hints_at_the_extras():
    with pytest.raises(AttributeError, match=r"xp\.reshape.*array_api_jax\.extras"):
        xp.asarray([1]).reshape  # noqa: B018


def test_results_are_never_raw_jax_arrays():
    outs = [bm.divmod([5, 6], 4), bm.linalg.svd(bm.eye(2)), bm.unique_all(bm.asarray([1, 1, 2])),
            bm.histogram([1.0, 2.0]), bm.broadcast_arrays([1], [[1], [2]]), bm.mgrid[0:2, 0:3],
            bm.r_[bm.arange(2), [5]], bm.vectorize(lambda t: t + 1)([1, 2])]
    for out in jax.tree_util.tree_leaves(outs, is_leaf=lambda t: isinstance(t, xp.Array)):
        assert type(out) is bm.ndarray
