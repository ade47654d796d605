"""Which results are views: derived by writing into every function's result on array_api_strict (NumPy views) and
on array_api_jax, and comparing whether the source array changed.

Code written against NumPy-backed namespaces writes into the results of ``permute_dims``, ``reshape``, ``.T``, ...
and expects the source to change (SciPy's ``oaconvolve`` adds into ``xp.permute_dims(ret, ...)``). The standard
leaves copy-or-view open; this namespace gives a view exactly where array_api_strict's result is a NumPy view that
a write goes through, a read-only view's error where array_api_strict refuses the write, and a copy elsewhere. Each
function of ``xp``, ``xp.linalg`` and ``xp.fft`` that takes an array has a row in ``CALLS``; the completeness test
fails when one has none.
"""

import inspect
import warnings
import weakref

import numpy as np
import pytest

import array_api_strict as xs

import array_api_jax as xp
from array_api_jax import _special_cases, _surface

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # array_api_strict's NumPy warnings (log(0), ...)

# --- the argument makers: each takes a namespace and returns (function path, args, kwargs) ------------------------


def _f(ns):
    return ns.reshape(ns.arange(6.0), (2, 3))


def _c(ns):
    return ns.reshape(ns.arange(6.0), (2, 3)) + 1j * ns.ones((2, 3))


def _i(ns):
    return ns.reshape(ns.arange(6), (2, 3))


def _b(ns):
    return ns.asarray([[True, False, True], [False, True, False]])


def _sq(ns):
    return ns.asarray([[4.0, 1.0, 0.0], [1.0, 3.0, 0.5], [0.0, 0.5, 2.0]])


def _v(ns):
    return ns.asarray([1.0, 2.0, 3.0])


def _col(ns):
    return ns.reshape(ns.arange(3.0), (3, 1))


def _one(name, maker=_f, *args, **kwargs):
    return lambda ns: (name, (maker(ns),) + args, kwargs)


def _two(name, maker1=_f, maker2=_f, **kwargs):
    return lambda ns: (name, (maker1(ns), maker2(ns)), kwargs)


# the element-wise functions, from their declarations: an operand of the first dtype kind their category takes
_OPERAND = {"bool": _b, "integer": _i, "integer or boolean": _i, "complex floating": _c}
_REDUCTIONS = ["all", "any", "argmax", "argmin", "count_nonzero", "max", "mean", "min", "prod", "std", "sum", "var",
               "argsort", "sort", "unique_values", "unique_counts",
               "unique_inverse", "unique_all", "nonzero", "diff"]

CALLS = {name: _one(name, _OPERAND.get(d.category, _f)) if d.arity == 1
         else _two(name, _OPERAND.get(d.category, _f), _OPERAND.get(d.category, _f))
         for name, d in _special_cases.DECLARED.items()}
CALLS |= {name: _one(name) for name in _REDUCTIONS}
CALLS |= {
    "conj": _one("conj", _c),
    "real": _one("real", _c),
    "imag": _one("imag", _c),
    "real of a real array": _one("real"),
    "conj of a real array": _one("conj"),
    "astype": lambda ns: ("astype", (_f(ns), ns.float32), {}),
    "astype, same dtype, copy=False": lambda ns: ("astype", (_f(ns), ns.float64), {"copy": False}),
    "asarray": _one("asarray"),
    "asarray, copy=False": _one("asarray", copy=False),
    "from_dlpack": _one("from_dlpack"),
    "empty_like": _one("empty_like"),
    "full_like": _one("full_like", _f, 2.0),
    "ones_like": _one("ones_like"),
    "zeros_like": _one("zeros_like"),
    "tril": _one("tril", _sq),
    "triu": _one("triu", _sq),
    "meshgrid": _two("meshgrid", _v, _v),
    "broadcast_arrays": _two("broadcast_arrays", _f, _v),
    "broadcast_arrays, same shapes": _two("broadcast_arrays", _f, _f),
    "broadcast_to": _one("broadcast_to", _v, (2, 3)),
    "broadcast_to, same shape": _one("broadcast_to", _f, (2, 3)),
    "concat": lambda ns: ("concat", ([_f(ns), _f(ns)],), {}),
    "concat of one": lambda ns: ("concat", ([_f(ns)],), {}),
    "stack": lambda ns: ("stack", ([_f(ns), _f(ns)],), {}),
    "unstack": _one("unstack"),
    "unstack, axis=1": _one("unstack", axis=1),
    "expand_dims": _one("expand_dims", _f, 1),
    "squeeze": _one("squeeze", _col, 1),
    "squeeze, no axes": _one("squeeze", _f, ()),
    "flip": _one("flip"),
    "flip, axis=1": _one("flip", axis=1),
    "flip, no axes": _one("flip", axis=()),
    "moveaxis": _one("moveaxis", _f, 0, 1),
    "moveaxis, unchanged": _one("moveaxis", _f, 0, 0),
    "permute_dims": _one("permute_dims", _f, (1, 0)),
    "permute_dims, identity": _one("permute_dims", _f, (0, 1)),
    "matrix_transpose": _one("matrix_transpose"),
    "reshape": _one("reshape", _f, (3, 2)),
    "reshape, same shape": _one("reshape", _f, (2, 3)),
    "reshape of a transpose": lambda ns: ("reshape", (_f(ns).T, (6,)), {}),
    "reshape, copy=False": _one("reshape", _f, (6,), copy=False),
    "reshape, copy=True": _one("reshape", _f, (6,), copy=True),
    "repeat": _one("repeat", _f, 2),
    "roll": _one("roll", _f, 1),
    "tile": _one("tile", _f, (2,)),
    "take": lambda ns: ("take", (_f(ns), ns.asarray([0, 1])), {"axis": 1}),
    "take_along_axis": lambda ns: ("take_along_axis", (_f(ns), ns.asarray([[0], [1]])), {"axis": 1}),
    "searchsorted": _two("searchsorted", _v, _v),
    "isin": _two("isin", _i, _i),
    "cumulative_sum": _one("cumulative_sum", axis=1),
    "cumulative_prod": _one("cumulative_prod", axis=1),
    "clip": _one("clip", _f, 1.0, 4.0),
    "where": lambda ns: ("where", (_b(ns), _f(ns), _f(ns)), {}),
    "matmul": _two("matmul", _sq, _sq),
    "tensordot": _two("tensordot", _sq, _sq),
    "vecdot": _two("vecdot", _f, _f),
    "linalg.matrix_transpose": _one("linalg.matrix_transpose"),
    "linalg.diagonal": _one("linalg.diagonal", _sq),
    "linalg.trace": _one("linalg.trace", _sq),
    "linalg.cross": lambda ns: ("linalg.cross", (_sq(ns), _sq(ns) + 1.0), {}),
    "linalg.outer": _two("linalg.outer", _v, _v),
    "linalg.vector_norm": _one("linalg.vector_norm"),
    "linalg.matrix_norm": _one("linalg.matrix_norm", _sq),
    "linalg.matrix_power": _one("linalg.matrix_power", _sq, 2),
    "linalg.matrix_power, n=1": _one("linalg.matrix_power", _sq, 1),
    "linalg.solve": _two("linalg.solve", _sq, _sq),
    "linalg.matmul": _two("linalg.matmul", _sq, _sq),
    "linalg.tensordot": _two("linalg.tensordot", _sq, _sq),
    "linalg.vecdot": _two("linalg.vecdot", _f, _f),
    **{f"linalg.{n}": _one(f"linalg.{n}", _sq) for n in
       ["cholesky", "det", "eig", "eigh", "eigvals", "eigvalsh", "inv", "matrix_rank", "pinv", "qr", "slogdet",
        "svd", "svdvals"]},
    **{f"fft.{n}": _one(f"fft.{n}", _c) for n in ["fft", "ifft", "fftn", "ifftn", "hfft"]},
    **{f"fft.{n}": _one(f"fft.{n}") for n in ["rfft", "rfftn", "ihfft", "fftshift", "ifftshift"]},
    **{f"fft.{n}": _one(f"fft.{n}", _c) for n in ["irfft", "irfftn"]},
}

# functions that take no array (creation, inspection, flags): nothing of theirs can be a view
NO_ARRAY_INPUT = {"arange", "empty", "eye", "full", "linspace", "ones", "zeros", "fft.fftfreq", "fft.rfftfreq",
                  "broadcast_shapes", "can_cast", "finfo", "iinfo", "isdtype", "result_type", "flags", "get_flags",
                  "reset_flags", "set_flags", "set_default_dtypes", "get_host_path", "set_host_path"}


def _function(ns, path):
    mod, _, name = path.rpartition(".")
    return getattr(getattr(ns, mod) if mod else ns, name)


def _results(out):
    if isinstance(out, (tuple, list)):
        return [r for o in out for r in _results(o)]
    return [out] if hasattr(out, "__array_namespace__") else []


def _write(r):
    """Write into ``r`` a value that differs from every source's elements: the outcome, "wrote" or "refused"."""
    value = True if r.dtype == r.__array_namespace__().bool else 7
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # NumPy's FutureWarning on writing a broadcast_arrays result
            r[...] = value
    except (ValueError, TypeError, FutureWarning, DeprecationWarning):
        return "refused"
    return "wrote"


def behaviour(ns, row):
    """For each result of the call (a tuple's elements included): whether writing into it changed a source array
    ("view"), raised ("read-only") or did neither ("copy")."""
    path, args, kwargs = CALLS[row](ns)
    sources = [a for a in args if hasattr(a, "__array_namespace__")] + \
        [a for seq in args if isinstance(seq, list) for a in seq]
    out = []
    for k in range(len(_results(_function(ns, path)(*args, **kwargs)))):
        fresh_path, fresh_args, _ = CALLS[row](ns)  # fresh sources per result: results of one call may alias
        fresh_sources = [a for a in fresh_args if hasattr(a, "__array_namespace__")] + \
            [a for seq in fresh_args if isinstance(seq, list) for a in seq]
        before = [np.asarray(s).copy() for s in fresh_sources]
        r = _results(_function(ns, fresh_path)(*fresh_args, **kwargs))[k]
        if r.size == 0:
            out.append("empty")
            continue
        outcome = _write(r)
        changed = any(not np.array_equal(np.asarray(s), b) for s, b in zip(fresh_sources, before))
        out.append("read-only" if outcome == "refused" else "view" if changed else "copy")
    del sources
    return out


def _public_functions():
    names = set()
    for prefix, mod in (("", xp), ("linalg.", xp.linalg), ("fft.", xp.fft)):
        for n in mod.__all__:
            obj = getattr(mod, n)
            if callable(obj) and not inspect.isclass(obj) and not n.startswith("_"):
                names.add(prefix + n)
    return names


def test_every_function_that_takes_an_array_has_a_row():
    covered = {CALLS[row](xp)[0] for row in CALLS} | NO_ARRAY_INPUT
    assert _public_functions() - covered == set()


_STRICT = {}


def _strict(row):
    if row not in _STRICT:
        path = CALLS[row](xp)[0]
        # a function beyond the standard (not in array_api_strict) computes a new array: a copy
        beyond = not hasattr(xs, path) and path in _surface.ADDITIONS["array_api_jax"]
        _STRICT[row] = ["copy"] * len(behaviour(xp, row)) if beyond else behaviour(xs, row)
    return _STRICT[row]


@pytest.mark.parametrize("path", ["host", "xla"])
@pytest.mark.parametrize("row", sorted(CALLS))
def test_a_result_is_a_view_exactly_where_array_api_strict_gives_one(row, path, request):
    if path == "xla":
        request.getfixturevalue("xla_path")
    assert behaviour(xp, row) == _strict(row)


# --- the views' guarantees: those of basic views ------------------------------------------------------------------

# view-making calls on a 2x3 float64 source (real/imag on complex128), each with its expected value as NumPy's view
VIEWS = {
    "permute_dims": (lambda x: xp.permute_dims(x, (1, 0)), lambda a: a.T),
    ".T": (lambda x: x.T, lambda a: a.T),
    ".mT": (lambda x: x.mT, lambda a: a.T),
    "matrix_transpose": (xp.matrix_transpose, lambda a: a.T),
    "moveaxis": (lambda x: xp.moveaxis(x, 0, -1), lambda a: np.moveaxis(a, 0, -1)),
    "reshape": (lambda x: xp.reshape(x, (3, 2)), lambda a: a.reshape(3, 2)),
    "reshape of a row": (lambda x: xp.reshape(x[1, ...], (3, 1)), lambda a: a[1].reshape(3, 1)),
    "expand_dims": (lambda x: xp.expand_dims(x, 1), lambda a: a[:, None]),
    "squeeze": (lambda x: xp.squeeze(x[:, :1], 1), lambda a: a[:, 0]),
    "flip": (xp.flip, lambda a: a[::-1, ::-1]),
    "unstack": (lambda x: xp.unstack(x, axis=1)[2], lambda a: a[:, 2]),
    "real": (xp.real, lambda a: a.real),
    "imag": (xp.imag, lambda a: a.imag),
    "a view of a transpose": (lambda x: x.T[1:, ...], lambda a: a.T[1:]),
}


def _source(name):
    x = xp.reshape(xp.arange(6.0), (2, 3), copy=True)
    return x * (1 + 1j) if name in ("real", "imag") else x


@pytest.fixture(params=["host", "xla"])
def path(request):
    if request.param == "xla":
        request.getfixturevalue("xla_path")
    return request.param


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_a_write_into_the_source_is_seen_by_the_view_and_a_write_through_it_by_the_source(name, path):
    make, numpy_view = VIEWS[name]
    x = _source(name)
    a = np.asarray(x).copy()
    v = make(x)
    x[0, 1] = 40.0
    a[0, 1] = 40.0
    np.testing.assert_array_equal(np.asarray(v), numpy_view(a))
    v += 1.0
    numpy_view(a)[...] += 1.0
    np.testing.assert_array_equal(np.asarray(x), a)
    np.testing.assert_array_equal(np.asarray(v), numpy_view(a))


def test_a_host_view_reads_without_a_copy():
    x = xp.reshape(xp.arange(6.0), (2, 3), copy=True)
    for v in (x.T, xp.permute_dims(x, (1, 0)), xp.reshape(x, (6,)), xp.real(x * 1j), xp.moveaxis(x, 0, 1)):
        assert np.shares_memory(v._data(), x._data()) or v.dtype == xp.float64 and v._data().base is not None


def test_a_write_through_a_transpose_of_a_sole_owner_is_in_place_and_an_alias_never_sees_it():
    x = xp.reshape(xp.arange(6.0), (2, 3), copy=True)
    buffer = weakref.ref(x._data())  # a reference would hold the buffer and make the write copy
    t = x.T
    t[...] = 1.0
    assert x._data() is buffer()  # written in place: the root alone held its buffer (the view's read is counted)
    mask = x > 0.5  # a deferred result holds the buffer: the next write copies first
    t[0, 0] = -1.0
    assert np.asarray(mask).all() and float(x[0, 0]) == -1.0


@pytest.mark.parametrize("make", [xp.broadcast_to, lambda x, s: xp.broadcast_arrays(x, xp.zeros(s))[0],
                                  lambda x, s: xp.linalg.diagonal(xp.reshape(x, (2, 2)))],
                         ids=["broadcast_to", "broadcast_arrays", "linalg.diagonal"])
def test_a_read_only_view_refuses_writes_naming_the_function_and_sees_writes_into_its_source(make, path):
    x = xp.asarray([1.0, 2.0, 3.0, 4.0])
    v = make(x, (2, 4))
    before = np.asarray(v).copy()
    name = {"<lambda>": None}.get(getattr(make, "__name__", ""), make.__name__)
    with pytest.raises(ValueError, match=f"cannot write into the result of {name or ''}"):
        v[...] = 0.0
    with pytest.raises(ValueError, match="read-only view"):
        v += 1.0
    np.testing.assert_array_equal(np.asarray(v), before)
    np.testing.assert_array_equal(np.asarray(x), [1.0, 2.0, 3.0, 4.0])
    x[...] = 9.0
    assert np.all(np.asarray(v) == 9.0)
    w = xp.asarray(v, copy=True)  # the fix the message names
    w[...] = 0.0
    assert np.all(np.asarray(x) == 9.0)


@pytest.mark.parametrize("name", ["permute_dims", "reshape", "flip", "real", "a view of a transpose"])
def test_a_failed_write_through_a_view_changes_nothing(name, path):
    make, _ = VIEWS[name]
    x = _source(name)
    v = make(x)
    members = {"x": x, "v": v, "row": x[1, ...]}
    before = {k: np.asarray(m).copy() for k, m in members.items()}
    failures = [
        lambda: v.__setitem__((9,) + (0,) * (v.ndim - 1), 1.0),  # out of bounds
        lambda: v.__setitem__(..., xp.ones((7,))),  # a shape that does not fit
        lambda: v.__iadd__(xp.ones(v.shape, dtype=xp.complex128) if v.dtype == xp.float64 else xp.ones((5, 5))),
        lambda: v.__setitem__(..., "text"),  # not a value
    ]
    for fail in failures:
        with pytest.raises((IndexError, ValueError, TypeError)):
            fail()
        for k, m in members.items():
            np.testing.assert_array_equal(np.asarray(m), before[k], err_msg=k)
    v[...] = 50.0  # still linked
    assert np.any(np.asarray(x) != before["x"])


@pytest.mark.parametrize("name", ["permute_dims", "reshape", "unstack", "a view of a transpose"])
def test_threads_writing_through_disjoint_parts_of_a_view_lose_nothing(name, path):
    import threading

    x = xp.zeros((8, 6))
    view = xp.permute_dims(x, (1, 0)) if name == "permute_dims" else xp.reshape(x, (4, 12)) \
        if name == "reshape" else None

    def work(i):
        if name == "permute_dims":
            part = view[:, i]
        elif name == "reshape":
            part = view[i // 2, 6 * (i % 2):6 * (i % 2) + 6]
        elif name == "unstack":
            part = xp.unstack(x)[i]
        else:
            part = x.T[1:, i]
        for _ in range(200):
            part += 1.0

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    got = np.asarray(x)
    if name == "a view of a transpose":
        assert np.all(got[:, 1:] == 200.0) and np.all(got[:, 0] == 0.0)
    else:
        assert np.all(got == 200.0)


def test_views_write_through_under_jit_as_eagerly():
    import jax

    def through_views(a):
        t = xp.permute_dims(a, (1, 0))
        t[0, ...] = 7.0  # column 0 of a
        flat = xp.reshape(a, (6,))
        flat[-1] = -1.0
        r = xp.real(a * 1j)  # a view of a temporary: a is untouched
        r[...] = 0.0
        row = xp.unstack(a)[0]
        row += 100.0
        return a, t, flat

    def fresh():
        return xp.reshape(xp.arange(6.0), (2, 3), copy=True)

    eager = through_views(fresh())
    jitted = jax.jit(through_views)(fresh())
    for e, j in zip(eager, jitted):
        np.testing.assert_array_equal(np.asarray(e), np.asarray(j))
    np.testing.assert_array_equal(np.asarray(jitted[0]), [[107.0, 101.0, 102.0], [7.0, 4.0, -1.0]])


def test_a_traced_value_written_through_a_view_of_an_outside_array_raises():
    import jax

    outside = xp.zeros((2, 3))

    @jax.jit
    def leak(a):
        outside.T[...] = a
        return a

    with pytest.raises(TypeError, match="cannot write a value traced"):
        leak(xp.ones((3, 2)))
    assert np.all(np.asarray(outside) == 0.0)
