"""Sharded arrays on meshes with Explicit axes (jax.make_mesh's default) and with Auto axes.

Every indexing form, every write form and the linear-algebra functions run on an 8x8 array sharded
P("a", "b") over a (4, 2) mesh of 8 simulated devices, eagerly and under jax.jit, on both axis types: the values
agree with NumPy, and on Explicit-axes meshes the result's sharding is the documented rule's (docs/devices.md);
on Auto-axes meshes XLA picks it (the result stays on the mesh's 8 devices).
"""

import jax
import numpy as np
import pytest
from jax.sharding import AxisType, NamedSharding
from jax.sharding import PartitionSpec as P

import array_api_jax as xp
import array_api_jax.extras as bm

pytestmark = pytest.mark.skipif(jax.device_count() < 8, reason="needs 8 (simulated) devices")

RNG = np.random.default_rng(0)
DATA = RNG.normal(size=(8, 8))
SPD = DATA @ DATA.T + 8 * np.eye(8)  # symmetric positive definite: every decomposition applies
VEC = RNG.normal(size=8)
IDX = np.array([0, 3, 5])
MASK = DATA > 0.3


@pytest.fixture(params=["explicit", "auto"])
def mesh(request):
    kind = AxisType.Explicit if request.param == "explicit" else AxisType.Auto
    return jax.make_mesh((4, 2), ("a", "b"), axis_types=(kind, kind))


def spec_of(a):
    """The result's PartitionSpec, trailing Nones dropped (P('a', None) is P('a'))."""
    spec = list(a.device.spec) if isinstance(a.device, NamedSharding) else []
    while spec and spec[-1] is None:
        spec.pop()
    return tuple(spec)


def run(f, jit, *args):
    return jax.jit(f)(*args) if jit else f(*args)


def check(got, want, spec):
    """Values as NumPy's; on an Explicit-axes mesh the rule's sharding (on an Auto-axes mesh, XLA's choice)."""
    got = got if isinstance(got, tuple) else (got,)
    want = want if isinstance(want, tuple) else (want,)
    spec = spec if isinstance(spec, list) else [spec]
    assert len(got) == len(want) == len(spec)
    for g, w, s in zip(got, want, spec):
        np.testing.assert_allclose(np.asarray(g), w, rtol=1e-10, atol=1e-10)
        assert len(g.device.device_set) == 8
        if g.device.mesh.axis_types[0] == AxisType.Explicit:
            assert spec_of(g) == s, (spec_of(g), s)


# name: (function of x (the 8x8 array) and i (a 1-D index array on the mesh), NumPy's result, result spec)
READS = {
    "rows 1:3": (lambda x, i: x[1:3, ...], DATA[1:3], (None, "b")),
    "rows 0:4 (divisible)": (lambda x, i: x[0:4, :], DATA[0:4], ("a", "b")),
    "element": (lambda x, i: x[0, 1], DATA[0, 1], ()),
    "column": (lambda x, i: x[:, 2], DATA[:, 2], ("a",)),
    "row -1": (lambda x, i: x[-1, ...], DATA[-1], ("b",)),
    "strided": (lambda x, i: x[::2, ::3], DATA[::2, ::3], ("a",)),
    "reversed": (lambda x, i: x[::-1, 1:7], DATA[::-1, 1:7], ("a", "b")),
    "new axis": (lambda x, i: x[None, 2:4, 0], DATA[None, 2:4, 0], ()),
    "view of a view": (lambda x, i: x[1:7, :][2:4, 3], DATA[3:5, 3], ()),
    "integer array": (lambda x, i: x[i, :], DATA[IDX], (None, "b")),
    "integer array, column": (lambda x, i: x[:, i], DATA[:, IDX], ("a",)),
    "integer arrays": (lambda x, i: x[i, i], DATA[IDX, IDX], ()),
    "integer arrays apart": (lambda x, i: x[i, 1:5, None][..., 0], DATA[IDX, 1:5], (None, "b")),
    "take": (lambda x, i: xp.take(x, i, axis=1), DATA[:, IDX], ("a",)),
    "take axis 0": (lambda x, i: xp.take(x, i, axis=0), DATA[IDX], (None, "b")),
    "take_along_axis": (lambda x, i: xp.take_along_axis(x, xp.argsort(x, axis=0), axis=0),
                        np.sort(DATA, axis=0), ("a", "b")),
}


@pytest.mark.parametrize("jit", [False, True], ids=["eager", "jit"])
@pytest.mark.parametrize("name", READS)
def test_reads(mesh, name, jit):
    f, want, spec = READS[name]
    x = xp.asarray(DATA, device=NamedSharding(mesh, P("a", "b")))
    i = xp.asarray(IDX, device=NamedSharding(mesh, P()))
    check(run(f, jit, x, i), want, spec)


def test_mask_read(mesh):
    """A mask's result has a data-dependent length: eager only; the selected elements are replicated."""
    s = NamedSharding(mesh, P("a", "b"))
    x = xp.asarray(DATA, device=s)
    check(x[xp.asarray(MASK, device=s)], DATA[MASK], ())
    check(x[xp.asarray(MASK[:, 0], device=NamedSharding(mesh, P("a")))], DATA[MASK[:, 0]], (None, "b"))


def _expected(write):
    d = DATA.copy()
    write(d, np)
    return d


def _column_sum(x, m):
    x[:, 0] = m.sum(x, axis=1)


def _through_views(x, m):
    v = x[2:5, 1:3]
    v += 100.0
    w = x[:, 4:]
    w[1:3, ...] = -1.0
    w[5, 1] = 9.0


WRITES = {
    "rows": lambda x, m: x.__setitem__((slice(1, 3), Ellipsis), 0.0),
    "element": lambda x, m: x.__setitem__((0, 1), -1.0),
    "column": lambda x, m: x.__setitem__((slice(None), 2), 5.0),
    "column of sums": _column_sum,
    "strided": lambda x, m: x.__setitem__((slice(None, None, 2), slice(1, None, 3)), 7.0),
    "block": lambda x, m: x.__setitem__((slice(2, 5), slice(1, 4)), m.ones((3, 3))),
    "integer array": lambda x, m: x.__setitem__((m.asarray(IDX), slice(None)), 3.0),
    "integer arrays": lambda x, m: x.__setitem__((m.asarray(IDX), m.asarray(IDX)), m.asarray([1.0, 2.0, 3.0])),
    "mask, scalar": lambda x, m: x.__setitem__(m.asarray(MASK), 0.0),
    "through views": _through_views,
    "in place": lambda x, m: x.__imul__(2.0),
    "in place, view": lambda x, m: x[1:4, 2].__iadd__(1.0),
    "in place matmul": lambda x, m: x.__imatmul__(m.asarray(SPD)),
}


def _written(write, jit):
    def f(x):
        x = xp.asarray(x, copy=True)
        write(x, xp)
        return x

    return f


@pytest.mark.parametrize("jit", [False, True], ids=["eager", "jit"])
@pytest.mark.parametrize("name", WRITES)
def test_writes_keep_the_arrays_sharding(mesh, name, jit):
    write = WRITES[name]
    x = xp.asarray(DATA, device=NamedSharding(mesh, P("a", "b")))
    got = run(_written(write, jit), jit, x)
    check(got, _expected(write), ("a", "b"))
    np.testing.assert_array_equal(np.asarray(x), DATA)  # the copy was written, not x


def test_mask_writes(mesh):
    s = NamedSharding(mesh, P("a", "b"))
    x = xp.asarray(DATA, device=s)
    m = xp.asarray(MASK, device=s)
    x[m] = xp.asarray(np.arange(MASK.sum(), dtype=np.float64), device=NamedSharding(mesh, P()))
    want = DATA.copy()
    want[MASK] = np.arange(MASK.sum())
    check(x, want, ("a", "b"))
    x[m] = -1.0
    want[MASK] = -1.0
    check(x, want, ("a", "b"))


def _decomposition(name, a):
    return {"qr": lambda: np.linalg.qr(a), "svd": lambda: np.linalg.svd(a), "eigh": lambda: np.linalg.eigh(a),
            "slogdet": lambda: np.linalg.slogdet(a)}[name]()


AB = ("a", "b")
LINALG = {
    "matmul": (lambda x, v: x @ x.mT, SPD @ SPD.T, ("a",)),
    "matmul x1 @ x2": (lambda x, v: xp.matmul(x, x), SPD @ SPD, AB),
    "matrix @ vector": (lambda x, v: x @ v, SPD @ VEC, ("a",)),
    "vector @ matrix": (lambda x, v: v @ x, VEC @ SPD, ("b",)),
    "vector @ vector": (lambda x, v: v @ v, VEC @ VEC, ()),
    "stack @ matrix": (lambda x, v: xp.stack([x, x]) @ x, np.stack([SPD, SPD]) @ SPD, (None, "a", "b")),
    "tensordot": (lambda x, v: xp.tensordot(x, x, axes=1), SPD @ SPD, AB),
    "tensordot 2": (lambda x, v: xp.tensordot(x, x, axes=2), np.tensordot(SPD, SPD, 2), ()),
    "tensordot 0": (lambda x, v: xp.tensordot(v, v, axes=0), np.outer(VEC, VEC), ("a",)),
    "vecdot": (lambda x, v: xp.vecdot(x, x), np.sum(SPD * SPD, axis=1), ("a",)),
    "outer": (lambda x, v: xp.linalg.outer(v, v), np.outer(VEC, VEC), ("a",)),
    "cross": (lambda x, v: xp.linalg.cross(x[:, :3], x[:, 3:6]), np.cross(SPD[:, :3], SPD[:, 3:6]), ("a",)),
    "cholesky": (lambda x, v: xp.linalg.cholesky(x), np.linalg.cholesky(SPD), AB),
    "det": (lambda x, v: xp.linalg.det(x), np.linalg.det(SPD), ()),
    "slogdet": (lambda x, v: tuple(xp.linalg.slogdet(x)), tuple(np.linalg.slogdet(SPD)), [(), ()]),
    "inv": (lambda x, v: xp.linalg.inv(x), np.linalg.inv(SPD), AB),
    "solve": (lambda x, v: xp.linalg.solve(x, x[:, :2]), np.linalg.solve(SPD, SPD[:, :2]), AB),
    "solve, vector": (lambda x, v: xp.linalg.solve(x, v), np.linalg.solve(SPD, VEC), ("a",)),
    "pinv": (lambda x, v: xp.linalg.pinv(x), np.linalg.pinv(SPD), AB),
    "matrix_power": (lambda x, v: xp.linalg.matrix_power(x, 3), np.linalg.matrix_power(SPD, 3), AB),
    "matrix_power -2": (lambda x, v: xp.linalg.matrix_power(x, -2), np.linalg.matrix_power(SPD, -2), AB),
    "matrix_rank": (lambda x, v: xp.linalg.matrix_rank(x), np.linalg.matrix_rank(SPD), ()),
    "matrix_norm": (lambda x, v: xp.linalg.matrix_norm(x, ord=2), np.linalg.norm(SPD, 2), ()),
    "vector_norm": (lambda x, v: xp.linalg.vector_norm(x, axis=1), np.linalg.norm(SPD, axis=1), ("a",)),
    "svdvals": (lambda x, v: xp.linalg.svdvals(x), np.linalg.svd(SPD, compute_uv=False), ("a",)),
    "eigvalsh": (lambda x, v: xp.linalg.eigvalsh(x), np.linalg.eigvalsh(SPD), ("a",)),
    "diagonal": (lambda x, v: xp.linalg.diagonal(x, offset=1), np.diagonal(SPD, 1), ()),
    "trace": (lambda x, v: xp.linalg.trace(x), np.trace(SPD), ()),
    # decompositions: products that do not depend on the signs the algorithms pick
    "qr": (lambda x, v: (lambda q, r: (q @ r, xp.abs(r)))(*xp.linalg.qr(x)),
           (SPD, np.abs(np.linalg.qr(SPD)[1])), [AB, AB]),
    "svd": (lambda x, v: (lambda u, s, vh: ((u * s) @ vh, s))(*xp.linalg.svd(x)),
            (SPD, np.linalg.svd(SPD)[1]), [AB, ("a",)]),
    "eigh": (lambda x, v: (lambda w, q: ((q * w) @ q.mT, w))(*xp.linalg.eigh(x)),
             (SPD, np.linalg.eigh(SPD)[0]), [("a",), ("a",)]),
}


@pytest.mark.parametrize("jit", [False, True], ids=["eager", "jit"])
@pytest.mark.parametrize("name", LINALG)
def test_linear_algebra(mesh, name, jit):
    f, want, spec = LINALG[name]
    x = xp.asarray(SPD, device=NamedSharding(mesh, P("a", "b")))
    v = xp.asarray(VEC, device=NamedSharding(mesh, P("a")))
    check(run(f, jit, x, v), want, spec)


def test_extras_arrays(mesh):
    """extras.ndarray goes through the same kernels: reads, writes and matmul, and stays an ndarray."""
    s = NamedSharding(mesh, P("a", "b"))
    x = bm.asarray(xp.asarray(DATA, device=s))
    assert isinstance(x, bm.ndarray)
    check(x[1:3], DATA[1:3], (None, "b"))
    check(x[np.array([0, 3, 5])], DATA[IDX], (None, "b"))
    y = x @ x.T
    assert isinstance(y, bm.ndarray)
    check(y, DATA @ DATA.T, ("a",))
    x[0, 1] = -1.0
    x[:, 2] += 5.0
    want = DATA.copy()
    want[0, 1] = -1.0
    want[:, 2] += 5.0
    check(x, want, ("a", "b"))


def test_explicit_and_auto_meshes_give_the_same_values():
    """The pipeline of the sharding tests, on both axis types: the same numbers."""
    out = []
    for kind in (AxisType.Explicit, AxisType.Auto):
        mesh = jax.make_mesh((4, 2), ("a", "b"), axis_types=(kind, kind))
        x = xp.asarray(DATA, device=NamedSharding(mesh, P("a", "b")))
        z = (x - xp.mean(x, axis=0)) / xp.std(x, axis=0)
        p = z @ z.mT
        p[:, 0] = xp.sum(p, axis=1)
        p[2:5, 1:3] += 1.0
        out.append(np.asarray(xp.sort(p[::2, ...], axis=0)))
    np.testing.assert_allclose(out[0], out[1], rtol=1e-12)


# extras functions (jax.numpy's, NumPy-style) that JAX refuses on an Explicit-axes mesh: the core's rules
EXTRAS = {
    "matmul": (lambda b: bm.matmul(b, b.T), DATA @ DATA.T, ("a",)),
    "take": (lambda b: bm.take(b, np.array([1, 2]), axis=0), DATA[[1, 2]], (None, "b")),
    "sort": (lambda b: bm.sort(b, axis=0), np.sort(DATA, axis=0), AB),
    "cumsum": (lambda b: bm.cumsum(b, axis=0), np.cumsum(DATA, axis=0), AB),
    "diag": (lambda b: bm.diag(b), np.diag(DATA), ("a",)),
    "linalg.inv": (lambda b: bm.linalg.inv(b + 8 * bm.eye(8)), np.linalg.inv(DATA + 8 * np.eye(8)), AB),
}


@pytest.mark.parametrize("jit", [False, True], ids=["eager", "jit"])
@pytest.mark.parametrize("name", EXTRAS)
def test_extras_functions(mesh, name, jit):
    f, want, spec = EXTRAS[name]
    b = bm.asarray(xp.asarray(DATA, device=NamedSharding(mesh, P("a", "b"))))
    got = run(f, jit, b)
    assert isinstance(got, bm.ndarray)
    check(got, want, spec)


def test_errors_stay_the_namespaces(mesh):
    """Only JAX's refusals of a sharding are retried: a check of the namespace raises its own error, and a
    failed write changes nothing."""
    x = xp.asarray(DATA, device=NamedSharding(mesh, P("a", "b")))
    with pytest.raises(ValueError, match="matmul: shapes"):
        xp.matmul(x, x[:3, :])
    with pytest.raises(ValueError, match="__setitem__"):
        x[1:3, :] = x[:3, :]
    with pytest.raises(TypeError, match="__setitem__"):
        x[0, 1] = xp.asarray(1 + 1j)
    check(x, DATA, AB)
