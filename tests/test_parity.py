"""Every public function on three implementations: the host path (NumPy), the XLA path (jax.numpy kernels) and
array_api_strict, over value pools holding the values the standard singles out.

The cases are built from the namespace's own tables (``__all__`` of the namespace, ``linalg`` and ``fft``, and the
element-wise functions' categories in ``_operations``); ``test_every_public_function_has_a_case`` fails when a
public function has none. Each case runs with arrays made while the host path is on (host values), while it is
off (jax.Arrays: ``ARRAY_API_JAX_XLA_ONLY``'s semantics) and with array_api_strict.

- Host and XLA must agree exactly: the same outcome (result or exception, type and message), dtypes, shapes, and
  values equal or within the per-function ULP bound of ``test_host_path``, except where the standard leaves the
  answer open (docs/host-path.md, "what can differ"): elements computed from subnormal inputs (XLA on a CPU
  flushes them), overflowing integer powers, and complex arithmetic (``multiply``, ``divide``, ``pow``) with
  non-finite components. (Integer division by zero and negative integer powers, also open, agree:
  ``test_host_path``.)
- array_api_strict must agree on the outcome kind (both raise or neither does), dtypes and shapes, and on values
  at the elements whose inputs are ordinary numbers (finite, normal, not zero): NumPy's special cases are not
  the standard's everywhere, and this namespace fixes them (``test_numerics``, ``_special_cases``).

The pools are fixed, plus a few random values from the seed ``PARITY_SEED`` (0 in CI; ``make fuzz`` draws new
ones).
"""

import math
import os

import array_api_strict as strict
import numpy as np
import pytest

import array_api_jax as xp
from array_api_jax import _operations, _surface
from test_host_path import ULP, _within_ulp

# NumPy's floating-point warnings from array_api_strict's computations on the pools (overflow, invalid, ...)
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

SEED = int(os.environ.get("PARITY_SEED", "0"))
DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64",
          "complex64", "complex128"]
N = 16  # every pool has 16 elements: shapes (16,), (4, 4), (2, 2, 4)


def _pool(dtype):
    """16 values of ``dtype``: zeros of both signs, +-1, +-inf, NaN, subnormals, near-overflow values, integer
    extremes, and (seeded) random ones."""
    rng = np.random.default_rng(SEED)
    kind = np.dtype(dtype).kind
    if kind == "b":
        return np.asarray([True, False, False, True] * 4)
    if kind in "iu":
        info = np.iinfo(dtype)
        fixed = [0, 1, -1, 2, 3, -3, 7, -8, info.min, info.max, info.min + 1, info.max - 1, 100, -100]
        fixed = [v if info.min <= v <= info.max else abs(v) for v in fixed]
        return np.asarray(fixed + list(rng.integers(info.min, info.max, 2, dtype=dtype, endpoint=True)), dtype)
    real = np.float32 if dtype in ("float32", "complex64") else np.float64
    fi = np.finfo(real)
    values = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, math.inf, -math.inf, math.nan, float(fi.smallest_subnormal) * 3,
              -float(fi.smallest_subnormal), float(fi.max), -float(fi.max) / 2, 1e-7, 88.7]
    values.append(float(rng.normal() * 10))
    if kind == "f":
        return np.asarray(values, dtype)
    im = [0.0, -0.0, 1.0, math.inf, math.nan, -2.5, 0.5, -math.inf, 1e-7, float(fi.max), -1.0, 0.0,
          float(fi.smallest_subnormal), 3.0, float(rng.normal()), -0.0]
    return (np.asarray(values, real) + 1j * np.asarray(im, real)).astype(dtype)


def _finite_pool(dtype):
    """Ordinary values only (linear algebra and FFTs: NaN and inf give garbage in LAPACK and in FFT butterflies,
    differently in each library)."""
    rng = np.random.default_rng(SEED + 1)
    values = rng.uniform(-4, 4, N)
    if np.dtype(dtype).kind == "c":
        values = values + 1j * rng.uniform(-4, 4, N)
    return values.astype(dtype)


# Bounds beyond test_host_path's ULP table, each for a reason of its own (in ULP of the result's magnitude):
PARITY_ULP = {
    **ULP,
    # XLA's float32 exp loses up to 5 ULP near overflow (exp(88.7)); NumPy's is correctly rounded
    "exp": 8, "expm1": 8,
}
# Complex results, in ULP of the larger component: NumPy and XLA round the products and quotients of components
# differently (with and without fused multiply-adds), and complex pow is exp(x2 * log(x1)), whose error grows with
# |x2 log(x1)| (up to about 1,000 in the pools: max ** (1 + 1j))
COMPLEX_ULP = {**PARITY_ULP, "multiply": 2, "divide": 4, "reciprocal": 4, "pow": 1024}


def _agree(name, a, b, ulps, signed_zeros=True):
    """Host result ``a`` and XLA result ``b`` agree: exactly for integers and booleans; for floating point within
    ``ulps`` (complex numbers: both components within ``ulps`` of the magnitude's ULP), NaN matching NaN."""
    if a.dtype.kind not in "fc":
        return np.array_equal(a, b)
    for x, y in ((a.real, b.real), (a.imag, b.imag)) if a.dtype.kind == "c" and signed_zeros else \
            ((a, b),) if signed_zeros else ():
        zeros = (x == 0) & (y == 0)  # (a subnormal result is zero where XLA flushes it)
        if not np.array_equal(np.signbit(x) & zeros, np.signbit(y) & zeros):
            return False  # the sign of a zero is part of the standard's special cases
    if np.array_equal(a, b, equal_nan=True):
        return True
    if a.dtype.kind == "f":
        return _within_ulp(a, b, ulps)
    def mag(z):  # the larger component: |z| itself may overflow
        return np.maximum(np.abs(z.real), np.abs(z.imag))
    both_finite = np.isfinite(a) & np.isfinite(b)
    scale = np.spacing(np.where(both_finite, np.maximum(mag(a), mag(b)), 0)).astype(np.float64)
    tiny = np.finfo(a.real.dtype).tiny
    err = np.abs(np.where(both_finite, a, 0).astype(np.complex128) - np.where(both_finite, b, 0))
    same_special = _within_ulp(np.where(both_finite, 0, a), np.where(both_finite, 0, b), 0)
    return same_special and bool(np.all(err <= ulps * scale + tiny))


def _ordinary(data):
    """Elements that are finite, normal and non-zero (both parts of a complex number): where array_api_strict's
    NumPy values are compared."""
    data = np.asarray(data)
    if data.dtype.kind == "c":
        return _ordinary(data.real) & _ordinary(data.imag)
    if data.dtype.kind != "f":
        return np.ones(data.shape, bool)
    return np.isfinite(data) & (np.abs(data) >= np.finfo(data.dtype).tiny)


def _subnormal(data):
    data = np.asarray(data)
    if data.dtype.kind == "c":
        return _subnormal(data.real) | _subnormal(data.imag)
    if data.dtype.kind != "f":
        return np.zeros(data.shape, bool)
    return (data != 0) & (np.abs(data) < np.finfo(data.dtype).tiny)


# --- running one case on the three implementations -----------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _strict_at_2025_12():
    strict.set_array_api_strict_flags(api_version="2025.12")
    yield
    strict.reset_array_api_strict_flags()


def _arrays(ns, data, host_path=True):
    saved = xp.get_host_path()
    xp.set_host_path(host_path)
    try:
        return [ns.asarray(d) if isinstance(d, np.ndarray) else d for d in data]
    finally:
        xp.set_host_path(saved)


def _run(call, ns, arrays):
    try:
        return "ok", call(ns, *arrays)
    except Exception as e:  # noqa: BLE001 - the exception is the outcome compared
        return "error", e


def _leaves(result):
    if isinstance(result, (tuple, list)):
        return [r for item in result for r in _leaves(item)]
    return [result]


def _plain(value):
    """A result that is not an array, as a comparable Python value (dtypes by name, finfo/iinfo by fields)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "bits") and hasattr(value, "max"):
        return tuple(float(getattr(value, f)) for f in ("bits", "max", "min") + (
            ("eps", "smallest_normal") if hasattr(value, "eps") else ()))
    if type(value).__name__ in ("DType", "_DType", "dtype"):
        return repr(value).split(".")[-1]
    return value


def check(name, call, data, *, masks=(), ulp=None, values_vs_strict=True, compare_values=True,
          loose_non_finite=False, signed_zeros=True):
    """Run ``call(namespace, *arrays of data)`` on the three implementations and compare (see the module doc).
    ``masks``: boolean arrays (broadcast to each result) of elements not compared between host and XLA;
    ``loose_non_finite``: complex results that are infinite or NaN on either path are not compared;
    ``signed_zeros``: whether the sign of a zero result is compared."""
    hk, h = _run(call, xp, _arrays(xp, data, True))
    jk, j = _run(call, xp, _arrays(xp, data, False))
    sk, s = _run(call, strict, _arrays(strict, data))
    if sk == "error" and type(s) is AttributeError and name in _surface.ADDITIONS["array_api_jax"]:
        sk, s, values_vs_strict = jk, j, False  # a function beyond the standard: the host path against XLA only
    assert hk == jk, f"{name}: host gave {hk} {h!r}, XLA gave {jk} {j!r}"
    assert hk == sk, f"{name}: array_api_jax gave {hk} {h!r}, array_api_strict gave {sk} {s!r}"
    if hk == "error":
        assert type(h) is type(j) and str(h) == str(j), f"{name}: host raised {h!r}, XLA raised {j!r}"
        return
    hs, js, ss = _leaves(h), _leaves(j), _leaves(s)
    assert len(hs) == len(js) == len(ss), name
    skip = np.zeros((), bool)
    for m in masks:
        skip = skip | m
    ordinary = np.ones((), bool)
    for d in data:
        if isinstance(d, np.ndarray):
            ordinary = ordinary & _ordinary(d)
    for a, b, c in zip(hs, js, ss):
        if not isinstance(a, xp.Array):
            assert _plain(a) == _plain(b), f"{name}: host {a!r}, XLA {b!r}"
            assert _plain(a) == _plain(c) or not values_vs_strict, f"{name}: {a!r}, array_api_strict {c!r}"
            continue
        assert type(a._value) is np.ndarray, f"{name}: the host path left the host"
        assert a.dtype == b.dtype and str(a.dtype) == str(c.dtype).split(".")[-1], \
            f"{name}: dtypes {a.dtype} (host), {b.dtype} (XLA), {c.dtype} (array_api_strict)"
        assert a.shape == b.shape == c.shape, f"{name}: shapes {a.shape}, {b.shape}, {c.shape}"
        assert a.device == b.device
        if not compare_values:
            continue
        av, bv, cv = np.asarray(a), np.asarray(b), np.asarray(c)
        keep = ~np.broadcast_to(skip, av.shape) if skip.shape == () or skip.shape == av.shape else \
            np.ones(av.shape, bool)
        if loose_non_finite and av.dtype.kind == "c":  # non-finite complex results: unspecified, not compared
            keep = keep & np.isfinite(av) & np.isfinite(bv)
        bound = ulp if ulp is not None else (COMPLEX_ULP if av.dtype.kind == "c" else PARITY_ULP).get(name, 0)
        assert _agree(name, av[keep], bv[keep], bound, signed_zeros), \
            f"{name}: values differ\nhost {av!r}\nXLA  {bv!r}"
        if values_vs_strict and av.dtype.kind in "fc" and ordinary.shape in ((), av.shape):
            sel = np.broadcast_to(ordinary, av.shape) & keep & _ordinary(av) & _ordinary(cv)
            assert _agree(name, av[sel], cv[sel], max(bound, 4), signed_zeros), \
                f"{name}: values differ from array_api_strict\nours   {av!r}\nstrict {cv!r}"
        elif values_vs_strict and ordinary.shape in ((), av.shape):
            sel = np.broadcast_to(ordinary, av.shape) & keep
            assert np.array_equal(av[sel], cv[sel]), f"{name}: ours {av!r}, array_api_strict {cv!r}"


# --- element-wise functions: every dtype of their category, every pair of pool values -------------------------------


def _accepts(category, dtype):
    return getattr(xp, dtype) in xp._dtypes.CATEGORIES[category]


ELEMENTWISE = {name: op for name, op in _operations.BY_NAME.items() if name != "matmul"}
UNARY_CASES = [(n, d) for n, op in ELEMENTWISE.items() if op.arity == 1 for d in DTYPES if _accepts(op.category, d)]
BINARY_CASES = [(n, d) for n, op in ELEMENTWISE.items() if op.arity == 2 for d in DTYPES if _accepts(op.category, d)]
# complex arithmetic with non-finite components, by zero, or overflowing: unspecified beyond C99's cases
_COMPLEX_ARITHMETIC = {"multiply", "divide", "pow", "reciprocal"}
_FIRST = {}  # name -> the first dtype of its cases
for _n, _d in UNARY_CASES + BINARY_CASES:
    _FIRST.setdefault(_n, _d)


@pytest.mark.parametrize("name, dtype", UNARY_CASES, ids=[f"{n}-{d}" for n, d in UNARY_CASES])
def test_unary(name, dtype):
    x = _pool(dtype)
    masks = [_subnormal(x)]
    if x.dtype.kind == "c" and name in _COMPLEX_ARITHMETIC:
        masks.append(~np.isfinite(x) | (x == 0))
    if x.dtype.kind == "c" and name == "atanh":  # the standard: NaN +- inf j gives +-0 +- pi/2 j, either zero
        masks.append(np.isnan(x.real) & np.isinf(x.imag))
    arithmetic = x.dtype.kind == "c" and name in _COMPLEX_ARITHMETIC  # zero components: sign unspecified
    check(name, lambda ns, a: getattr(ns, name)(a), [x], masks=masks, loose_non_finite=arithmetic,
          signed_zeros=not arithmetic)
    if dtype == _FIRST[name]:  # empty and 0-D: for one dtype (each is a compilation on the XLA path)
        check(name, lambda ns, a: getattr(ns, name)(a), [x[:0]])
        check(name, lambda ns, a: getattr(ns, name)(a), [x[5:6].reshape(())], masks=[_subnormal(x[5:6].reshape(()))])


def _binary_masks(name, a, b):
    masks = [_subnormal(a), _subnormal(b)]
    if a.dtype.kind in "iu":
        if name == "pow":  # an overflowing power: XLA's repeated squaring stops early
            bits = a.dtype.itemsize * 8 - (a.dtype.kind == "i")
            big = (np.abs(a.astype(np.float64)) > 1) & (b * np.log2(np.maximum(np.abs(a.astype(np.float64)), 1))
                                                         >= bits)
            masks.append(big)
    if a.dtype.kind == "c" and name in _COMPLEX_ARITHMETIC:
        masks.append(~np.isfinite(a) | ~np.isfinite(b) | ((b == 0) if name == "divide" else (a == 0)))
    if name in ("maximum", "minimum"):  # zeros of opposite signs: the standard leaves which one open
        masks.append((a == 0) & (b == 0))
    return masks


@pytest.mark.parametrize("name, dtype", BINARY_CASES, ids=[f"{n}-{d}" for n, d in BINARY_CASES])
def test_binary(name, dtype):
    """Every pair of pool values (256 elements), then 0-D and empty operands broadcast."""
    pool = _pool(dtype)
    a, b = np.repeat(pool, N), np.tile(pool, N)
    if pool.dtype.kind in "iu" and (name == "pow" or "shift" in name):
        b = np.where(b < 0, 0, b).astype(b.dtype)  # array_api_strict (NumPy) refuses negative exponents and counts
    arithmetic = pool.dtype.kind == "c" and name in _COMPLEX_ARITHMETIC  # zero components: sign unspecified
    check(name, lambda ns, x, y: getattr(ns, name)(x, y), [a, b], masks=_binary_masks(name, a, b),
          loose_non_finite=arithmetic, signed_zeros=not arithmetic)
    if pool.dtype.kind in "fc":  # a 0-D x2 (NumPy takes shortcuts for some scalar-like operands: x ** 0.5)
        half = pool[4:5].reshape(())
        check(name, lambda ns, x, y: getattr(ns, name)(x, y), [pool, half], masks=_binary_masks(name, pool, half),
              loose_non_finite=arithmetic, signed_zeros=not arithmetic)
    if dtype == _FIRST[name]:
        check(name, lambda ns, x, y: getattr(ns, name)(x, y), [pool[:0], pool[3:4].reshape(())])


MIXED = [("float32", "float64"), ("int8", "uint8"), ("uint32", "int64"), ("complex64", "float64"),
         ("int16", "float32"), ("bool", "int8")]


@pytest.mark.parametrize("d1, d2", MIXED)
@pytest.mark.parametrize("name", ["add", "multiply", "less", "maximum", "equal", "bitwise_and", "atan2"])
def test_binary_mixed_dtypes(name, d1, d2):
    """Promotion (or its refusal) agrees with array_api_strict, in both operand orders."""
    a, b = _pool(d1), _pool(d2)
    masks = [_subnormal(a), _subnormal(b)]
    check(name, lambda ns, x, y: getattr(ns, name)(x, y), [a, b], masks=masks)
    check(name, lambda ns, x, y: getattr(ns, name)(y, x), [a, b], masks=masks)


# --- every other function: a table of cases -----------------------------------------------------------------------

REPRESENTATIVE = ["bool", "int8", "uint64", "int64", "float32", "float64", "complex128"]
FLOATING = ["float32", "float64", "complex64", "complex128"]
REAL_FLOATING = ["float32", "float64"]


class Case:
    """``call(namespace, *arrays)`` on ``arity`` arrays of ``shape`` from ``pool``, for each of ``dtypes``."""

    def __init__(self, call, shape=(4, 4), dtypes=REPRESENTATIVE, arity=1, pool=_pool, values=True,
                 strict_values=True, signed_zeros=True):
        self.call, self.shape, self.dtypes, self.arity, self.pool = call, shape, dtypes, arity, pool
        self.values, self.strict_values, self.signed_zeros = values, strict_values, signed_zeros

    def data(self, dtype):
        # subnormals are left to the element-wise tests, which mask them: XLA flushes them, so any function of
        # them may differ (all, count_nonzero, astype, ...)
        pool = self.pool(dtype)
        if pool.dtype.kind in "fc":
            pool = np.where(_subnormal(pool), np.finfo(pool.dtype).tiny, pool).astype(pool.dtype)
        size = math.prod(self.shape)
        return [np.roll(pool, 3 * i)[:size].reshape(self.shape) if size <= N else
                np.resize(np.roll(pool, 3 * i), self.shape) for i in range(self.arity)]


def _sorted_1d(ns, x):
    return ns.sort(ns.reshape(x, (-1,)))


C = Case
CASES = {
    "all": [C(lambda ns, x: ns.all(x, axis=0)), C(lambda ns, x: ns.all(x), shape=(0,))],
    "any": [C(lambda ns, x: ns.any(x, axis=-1, keepdims=True)), C(lambda ns, x: ns.any(x), shape=())],
    "arange": [C(lambda ns: ns.arange(-3, 7, 2), dtypes=["int64"], arity=0),
               C(lambda ns: ns.arange(0.0, 1.0, 0.25), dtypes=["float64"], arity=0),
               C(lambda ns: ns.arange(5, 0), dtypes=["int64"], arity=0)],
    "argmax": [C(lambda ns, x: ns.argmax(x, axis=0)), C(lambda ns, x: ns.argmax(x), shape=(16,))],
    "argmin": [C(lambda ns, x: ns.argmin(x, axis=1, keepdims=True))],
    "argsort": [C(lambda ns, x: ns.argsort(x, axis=0, stable=True), pool=_finite_pool, dtypes=REAL_FLOATING),
                C(lambda ns, x: ns.argsort(x, descending=True), dtypes=["int8", "uint64"])],
    "asarray": [C(lambda ns, x: ns.asarray(x, copy=True)), C(lambda ns, x: ns.asarray(x, dtype=ns.float32))],
    # complex to bool: array_api_strict refuses (no complex to real-valued casts), the namespace gives x != 0 as
    # NumPy and XLA do. Floats beyond an integer dtype's range: unspecified; the namespace saturates (as XLA),
    # NumPy wraps, so only the paths are compared
    "astype": [C(lambda ns, x: ns.astype(x, ns.bool), dtypes=REPRESENTATIVE[:-1])]
    + [C(lambda ns, x, t=t: ns.astype(x, getattr(ns, t)), strict_values=False) for t in ("int8", "uint16")]
    + [C(lambda ns, x, t=t: ns.astype(x, getattr(ns, t))) for t in ("float32", "complex128")],
    "broadcast_arrays": [C(lambda ns, x, y: ns.broadcast_arrays(x, y[0]), arity=2)],
    "broadcast_shapes": [C(lambda ns: ns.broadcast_shapes((2, 1, 3), (4, 1), ()), dtypes=["int64"], arity=0)],
    "broadcast_to": [C(lambda ns, x: ns.broadcast_to(x, (2, 4, 4)))],
    "can_cast": [C(lambda ns, x: [ns.can_cast(x, getattr(ns, t)) for t in DTYPES])],
    "clip": [C(lambda ns, x, y: ns.clip(x, y[0], None), arity=2, dtypes=REAL_FLOATING + ["int64"]),
             C(lambda ns, x: ns.clip(x, -1, 2), dtypes=["int8", "float32", "float64"])],
    "concat": [C(lambda ns, x, y: ns.concat([x, y], axis=1), arity=2), C(lambda ns, x, y: ns.concat([x, y],
                                                                                             axis=None), arity=2)],
    "count_nonzero": [C(lambda ns, x: ns.count_nonzero(x, axis=1))],
    "cumulative_prod": [C(lambda ns, x: ns.cumulative_prod(x, axis=1, include_initial=True))],
    # the sign of a zero sum depends on the order of additions (XLA's scan gives +0 for [-0.0])
    "cumulative_sum": [C(lambda ns, x: ns.cumulative_sum(x, axis=0), signed_zeros=False),
                       C(lambda ns, x: ns.cumulative_sum(x), shape=(0,))],
    "diff": [C(lambda ns, x: ns.diff(x, axis=0, n=2)), C(lambda ns, x: ns.diff(x, prepend=x[:1]), dtypes=["int64"])],
    "empty": [C(lambda ns: ns.empty((2, 3)), dtypes=["float64"], arity=0, values=False)],
    "empty_like": [C(lambda ns, x: ns.empty_like(x), values=False)],
    "expand_dims": [C(lambda ns, x: ns.expand_dims(x, axis=(0, -1)))],
    "eye": [C(lambda ns: ns.eye(3, 4, k=1, dtype=ns.int8), dtypes=["int8"], arity=0)],
    "finfo": [C(lambda ns: [ns.finfo(getattr(ns, t)) for t in FLOATING], dtypes=["float64"], arity=0)],
    "flip": [C(lambda ns, x: ns.flip(x, axis=0)), C(lambda ns, x: ns.flip(x))],
    "from_dlpack": [C(lambda ns, x: ns.from_dlpack(x))],
    "full": [C(lambda ns: ns.full((2, 2), 1e300, dtype=ns.float32), dtypes=["float32"], arity=0),
             C(lambda ns: ns.full((3,), -2), dtypes=["int64"], arity=0)],
    # a Python int fill for a bool array: array_api_strict casts it, the namespace refuses (the standard's
    # scalar rules do not combine an int with bool)
    "full_like": [C(lambda ns, x: ns.full_like(x, 1), dtypes=REPRESENTATIVE[1:]),
                  C(lambda ns, x: ns.full_like(x, True), dtypes=["bool"])],
    "iinfo": [C(lambda ns: [ns.iinfo(getattr(ns, t)) for t in DTYPES[1:9]], dtypes=["int64"], arity=0)],
    "isdtype": [C(lambda ns, x: [ns.isdtype(x.dtype, k) for k in ("bool", "signed integer", "unsigned integer",
                                                                   "integral", "real floating", "complex floating",
                                                                   "numeric")])],
    "isin": [C(lambda ns, x, y: ns.isin(x, y[1]), arity=2, dtypes=["int8", "int64", "float64"]),
             # array_api_strict 2.6.1 ignores invert (it returns isin(x1, x2)): its values are not compared
             C(lambda ns, x, y: ns.isin(x, y, invert=True), arity=2, dtypes=["uint64", "float32"],
               strict_values=False)],
    "linspace": [C(lambda ns: ns.linspace(0, 1, 7), dtypes=["float64"], arity=0),
                 C(lambda ns: ns.linspace(-1.5, 2.5, 5, endpoint=False, dtype=ns.float32), dtypes=["float32"],
                   arity=0)],
    "matmul": [C(lambda ns, x, y: ns.matmul(x, y), arity=2, pool=_finite_pool, dtypes=FLOATING),
               C(lambda ns, x, y: x @ y[0], arity=2, dtypes=["int8", "int64"])],
    "matrix_transpose": [C(lambda ns, x: ns.matrix_transpose(x), shape=(2, 2, 4))],
    "max": [C(lambda ns, x: ns.max(x, axis=0), dtypes=REPRESENTATIVE[1:]), C(lambda ns, x: ns.max(x), shape=(0,),
                                                                            dtypes=["float64"])],
    "mean": [C(lambda ns, x: ns.mean(x, axis=1), dtypes=FLOATING), C(lambda ns, x: ns.mean(x), shape=(0,),
                                                                     dtypes=["float64"])],
    "meshgrid": [C(lambda ns, x, y: ns.meshgrid(x[0], y[1], indexing="ij"), arity=2),
                 C(lambda ns, x, y: ns.meshgrid(x[0], y[:, 1]), arity=2)],
    "min": [C(lambda ns, x: ns.min(x, axis=(0, 1), keepdims=True), dtypes=REPRESENTATIVE[1:])],
    "moveaxis": [C(lambda ns, x: ns.moveaxis(x, 0, -1), shape=(2, 2, 4))],
    "nonzero": [C(lambda ns, x: ns.nonzero(x)), C(lambda ns, x: ns.nonzero(x), shape=(16,))],
    "ones": [C(lambda ns: ns.ones((2, 0)), dtypes=["float64"], arity=0), C(lambda ns: ns.ones(3, dtype=ns.uint8),
                                                                           dtypes=["uint8"], arity=0)],
    "ones_like": [C(lambda ns, x: ns.ones_like(x)), C(lambda ns, x: ns.ones_like(x, dtype=ns.int16))],
    "permute_dims": [C(lambda ns, x: ns.permute_dims(x, (2, 0, 1)), shape=(2, 2, 4))],
    "prod": [C(lambda ns, x: ns.prod(x, axis=0), dtypes=REPRESENTATIVE[1:]),
             C(lambda ns, x: ns.prod(x, dtype=ns.float64), dtypes=["float32"])],
    "repeat": [C(lambda ns, x: ns.repeat(x, 2, axis=0)), C(lambda ns, x, y: ns.repeat(x[0], ns.abs(y[1]) % 3),
                                                           arity=2, dtypes=["int64"])],
    "reshape": [C(lambda ns, x: ns.reshape(x, (2, -1))), C(lambda ns, x: ns.reshape(x, (16,)))],
    "result_type": [C(lambda ns, x: [ns.result_type(x.dtype, getattr(ns, t)) for t in ("int8", "uint8", "float32")]
                      if x.dtype != ns.bool else ns.result_type(x, True), dtypes=["int16", "uint8", "bool"])],
    "roll": [C(lambda ns, x: ns.roll(x, 3)), C(lambda ns, x: ns.roll(x, (1, -1), axis=(0, 1)))],
    "searchsorted": [C(lambda ns, x, y: ns.searchsorted(_sorted_1d(ns, x), y), arity=2, pool=_finite_pool,
                       dtypes=REAL_FLOATING),
                     C(lambda ns, x, y: ns.searchsorted(_sorted_1d(ns, x), y, side="right"), arity=2,
                       dtypes=["int8", "uint64"])],
    "sort": [C(lambda ns, x: ns.sort(x, axis=0), dtypes=["int8", "uint64", "float32", "float64"]),
             C(lambda ns, x: ns.sort(x, descending=True), dtypes=["int64", "bool"])],
    "squeeze": [C(lambda ns, x: ns.squeeze(x, axis=0), shape=(1, 4, 4))],
    "stack": [C(lambda ns, x, y: ns.stack([x, y], axis=-1), arity=2)],
    "std": [C(lambda ns, x: ns.std(x, axis=0, correction=1), dtypes=REAL_FLOATING)],
    "sum": [C(lambda ns, x: ns.sum(x, axis=1), dtypes=REPRESENTATIVE[1:]),
            C(lambda ns, x: ns.sum(x, dtype=ns.float64), dtypes=["float32", "int8"])],
    "take": [C(lambda ns, x: ns.take(x, ns.asarray([0, 3, 1]), axis=1))],
    "take_along_axis": [C(lambda ns, x: ns.take_along_axis(x, ns.argsort(x, axis=0), axis=0), pool=_finite_pool,
                          dtypes=REAL_FLOATING)],
    "tensordot": [C(lambda ns, x, y: ns.tensordot(x, y, axes=1), arity=2, pool=_finite_pool, dtypes=FLOATING),
                  C(lambda ns, x, y: ns.tensordot(x, y, axes=([0, 1], [1, 0])), arity=2, dtypes=["int64"])],
    "tile": [C(lambda ns, x: ns.tile(x, (2, 1)))],
    "tril": [C(lambda ns, x: ns.tril(x, k=-1))],
    "triu": [C(lambda ns, x: ns.triu(x, k=1))],
    "unique_all": [C(lambda ns, x: ns.unique_all(x), dtypes=["int8", "uint64", "float32", "bool"])],
    "unique_counts": [C(lambda ns, x: ns.unique_counts(x), dtypes=["int64", "float64"])],
    "unique_inverse": [C(lambda ns, x: ns.unique_inverse(x), dtypes=["int64", "float64", "complex128"])],
    "unique_values": [C(lambda ns, x: ns.unique_values(x), dtypes=REPRESENTATIVE)],
    "unstack": [C(lambda ns, x: ns.unstack(x, axis=1))],
    "var": [C(lambda ns, x: ns.var(x, axis=1), dtypes=REAL_FLOATING)],
    "vecdot": [C(lambda ns, x, y: ns.vecdot(x, y), arity=2, pool=_finite_pool, dtypes=FLOATING),
               C(lambda ns, x, y: ns.vecdot(x, y, axis=-2), arity=2, dtypes=["int64", "int8"])],
    "where": [C(lambda ns, x, y: ns.where(x > y, x, y), arity=2, dtypes=REPRESENTATIVE[1:-1]),
              C(lambda ns, x: ns.where(ns.isnan(x), 0.0, x), dtypes=FLOATING)],
    "zeros": [C(lambda ns: ns.zeros((2, 3), dtype=ns.uint16), dtypes=["uint16"], arity=0)],
    "zeros_like": [C(lambda ns, x: ns.zeros_like(x))],
}

_SQUARE = dict(shape=(2, 4, 4), pool=_finite_pool, dtypes=FLOATING)
_SIGNAL = dict(pool=_finite_pool, dtypes=FLOATING)
LINALG = {
    "cholesky": [C(lambda ns, x: ns.linalg.cholesky(x @ ns.linalg.matrix_transpose(ns.conj(x) if
                                                                                 ns.isdtype(x.dtype, "complex floating")
                                                                                 else x) + ns.eye(4, dtype=x.dtype)),
                   **_SQUARE)],
    "cross": [C(lambda ns, x, y: ns.linalg.cross(x[:, :3], y[:, :3]), arity=2, pool=_finite_pool, dtypes=FLOATING)],
    "det": [C(lambda ns, x: ns.linalg.det(x), **_SQUARE)],
    "diagonal": [C(lambda ns, x: ns.linalg.diagonal(x, offset=1))],
    "eig": [C(lambda ns, x: ns.sort(ns.abs(ns.linalg.eig(x)[0])), **_SQUARE)],
    "eigh": [C(lambda ns, x: ns.linalg.eigh(x + ns.linalg.matrix_transpose(ns.conj(x) if
                                                                         ns.isdtype(x.dtype, "complex floating")
                                                                         else x))[0], **_SQUARE)],
    "eigvals": [C(lambda ns, x: ns.sort(ns.abs(ns.linalg.eigvals(x))), **_SQUARE)],
    "eigvalsh": [C(lambda ns, x: ns.linalg.eigvalsh(x + ns.linalg.matrix_transpose(x)), shape=(2, 4, 4),
                   pool=_finite_pool, dtypes=REAL_FLOATING)],
    "inv": [C(lambda ns, x: ns.linalg.inv(x), **_SQUARE)],
    "matmul": [C(lambda ns, x, y: ns.linalg.matmul(x, y), arity=2, pool=_finite_pool, dtypes=FLOATING)],
    "matrix_norm": [C(lambda ns, x, o=o: ns.linalg.matrix_norm(x, ord=o), **_SQUARE) for o in ("fro", "nuc", 1, -2)],
    "matrix_power": [C(lambda ns, x: ns.linalg.matrix_power(x, 3), **_SQUARE),
                     C(lambda ns, x: ns.linalg.matrix_power(x, -2), **_SQUARE)],
    "matrix_rank": [C(lambda ns, x: ns.linalg.matrix_rank(x), **_SQUARE)],
    "matrix_transpose": [C(lambda ns, x: ns.linalg.matrix_transpose(x))],
    "outer": [C(lambda ns, x, y: ns.linalg.outer(x[0], y[1]), arity=2)],
    "pinv": [C(lambda ns, x: ns.linalg.pinv(x[:, :3]), **_SQUARE)],
    "qr": [C(lambda ns, x: ns.abs(ns.linalg.qr(x).R), **_SQUARE)],
    "slogdet": [C(lambda ns, x: ns.linalg.slogdet(x)[1], **_SQUARE)],
    "solve": [C(lambda ns, x, y: ns.linalg.solve(x, y), arity=2, **_SQUARE)],
    "svd": [C(lambda ns, x: ns.linalg.svd(x, full_matrices=False)[1], **_SQUARE)],
    "svdvals": [C(lambda ns, x: ns.linalg.svdvals(x), **_SQUARE)],
    "tensordot": [C(lambda ns, x, y: ns.linalg.tensordot(x, y, axes=2), arity=2, pool=_finite_pool,
                    dtypes=FLOATING)],
    "trace": [C(lambda ns, x: ns.linalg.trace(x, offset=-1), dtypes=REPRESENTATIVE[1:])],
    "vecdot": [C(lambda ns, x, y: ns.linalg.vecdot(x, y, axis=-2), arity=2, pool=_finite_pool, dtypes=FLOATING)],
    "vector_norm": [C(lambda ns, x, o=o: ns.linalg.vector_norm(x, ord=o, axis=-1), **_SIGNAL)
                    for o in (2, 1, math.inf, -math.inf, 0, 3)],
}
FFT = {
    "fft": [C(lambda ns, x: ns.fft.fft(x, axis=0), **_SIGNAL)],
    "fftfreq": [C(lambda ns: ns.fft.fftfreq(7, d=0.5), dtypes=["float64"], arity=0)],
    "fftn": [C(lambda ns, x: ns.fft.fftn(x, norm="ortho"), **_SIGNAL)],
    "fftshift": [C(lambda ns, x: ns.fft.fftshift(x, axes=0))],
    "hfft": [C(lambda ns, x: ns.fft.hfft(x, n=6), pool=_finite_pool, dtypes=["complex64", "complex128"])],
    "ifft": [C(lambda ns, x: ns.fft.ifft(x, n=5), **_SIGNAL)],
    "ifftn": [C(lambda ns, x: ns.fft.ifftn(x, axes=(0,)), **_SIGNAL)],
    "ifftshift": [C(lambda ns, x: ns.fft.ifftshift(x))],
    "ihfft": [C(lambda ns, x: ns.fft.ihfft(x), pool=_finite_pool, dtypes=REAL_FLOATING)],
    "irfft": [C(lambda ns, x: ns.fft.irfft(x), pool=_finite_pool, dtypes=["complex64", "complex128"])],
    "irfftn": [C(lambda ns, x: ns.fft.irfftn(x, s=(4, 6), axes=(0, 1)), pool=_finite_pool,
                 dtypes=["complex64", "complex128"])],
    "rfft": [C(lambda ns, x: ns.fft.rfft(x, axis=0), pool=_finite_pool, dtypes=REAL_FLOATING)],
    "rfftfreq": [C(lambda ns: ns.fft.rfftfreq(8), dtypes=["float64"], arity=0)],
    "rfftn": [C(lambda ns, x: ns.fft.rfftn(x), pool=_finite_pool, dtypes=REAL_FLOATING)],
}
ALL_CASES = {**CASES, **{f"linalg.{n}": c for n, c in LINALG.items()}, **{f"fft.{n}": c for n, c in FFT.items()}}
# decompositions and transforms: LAPACK and pocketfft in NumPy, XLA's own on the other path
_NUMERIC_RTOL = {"float32": 1e-4, "complex64": 1e-4, "float64": 1e-10, "complex128": 1e-10}

# Public functions that compute no array: the namespace's state (tested in test_versions_and_flags and
# test_host_path)
STATE = {"flags", "get_flags", "set_flags", "reset_flags", "set_default_dtypes", "get_host_path", "set_host_path"}

RUNS = [(name, i, dtype) for name, cases in ALL_CASES.items() for i, case in enumerate(cases) for dtype in case.dtypes]


@pytest.mark.parametrize("name, index, dtype", RUNS, ids=[f"{n}-{i}-{d}" for n, i, d in RUNS])
def test_function(name, index, dtype):
    case = ALL_CASES[name][index]
    tolerant = name.startswith(("linalg.", "fft.")) or name in ("matmul", "tensordot", "vecdot")
    if tolerant and dtype in _NUMERIC_RTOL:
        check_tolerant(name, case.call, case.data(dtype), _NUMERIC_RTOL[dtype])
    else:
        check(name.split(".")[-1], case.call, case.data(dtype), compare_values=case.values,
              values_vs_strict=case.strict_values, signed_zeros=case.signed_zeros)


def check_tolerant(name, call, data, rtol):
    """Like ``check`` for results that LAPACK, pocketfft and XLA compute by different algorithms: outcome, dtype
    and shape, then values within ``rtol`` of the largest magnitude."""
    results = []
    for ns, host_path in ((xp, True), (xp, False), (strict, True)):
        kind, out = _run(call, ns, _arrays(ns, data, host_path))
        results.append((kind, out))
    kinds = {k for k, _ in results}
    assert len(kinds) == 1, f"{name}: outcomes {results}"
    if kinds == {"error"}:
        return
    leaves = [_leaves(out) for _, out in results]
    for h, j, s in zip(*leaves):
        assert h.dtype == j.dtype and str(h.dtype) == str(s.dtype).split(".")[-1], f"{name}: dtypes"
        assert h.shape == j.shape == s.shape, f"{name}: shapes"
        hv, jv, sv = np.asarray(h), np.asarray(j), np.asarray(s)
        scale = max(np.max(np.abs(sv), initial=0.0), 1.0)
        for other, label in ((jv, "XLA"), (sv, "array_api_strict")):
            np.testing.assert_allclose(hv, other, rtol=rtol, atol=rtol * scale, equal_nan=True,
                                       err_msg=f"{name}: host against {label}")


def _public_functions():
    names = []
    for prefix, module in (("", xp), ("linalg.", xp.linalg), ("fft.", xp.fft)):
        names += [prefix + n for n in module.__all__
                  if callable(getattr(module, n)) and not isinstance(getattr(module, n), type)]
    return names


def test_every_public_function_has_a_case():
    missing = [n for n in _public_functions() if n not in ALL_CASES and n not in ELEMENTWISE and n not in STATE]
    assert not missing, f"public functions without a parity case: {missing}"
    assert {n for n, _ in UNARY_CASES} | {n for n, _ in BINARY_CASES} == set(ELEMENTWISE)
