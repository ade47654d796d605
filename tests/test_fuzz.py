"""Differential testing against array-api-strict: the same random programs run in both namespaces.

hypothesis draws small arrays (all 13 dtypes, 0-D to 4-D, empty arrays, NaN, +-inf, +-0) and short programs of
standard operations: elementwise functions and operators with broadcasting and Python scalars, in-place
operators, reductions, sorting, searching, set functions, manipulation, creation, data type functions, basic,
integer-array and boolean indexing (views included) and index assignment, linalg invariants and fft round trips.
Each step runs in array_api_jax and in array_api_strict; both must raise, or both must give the same dtype,
shape and values (exact for integers and booleans, tolerances for floating point, NaN-aware). After every step
*every* array of the program is compared again, so a write through a view, or a failed mutation that changed
something, shows up as a difference.

A difference is *explained* when it matches a row of ``EXPLAINED`` (a documented strict choice of
array_api_jax, or behaviour the standard leaves unspecified); every row is also described in docs/errors.md.
The test fails on any unexplained difference and prints a reproducer for each.

``FUZZ_PROGRAMS`` sets the number of programs (default 300, a fixed-seed slice fast enough for ``make test``);
``make fuzz`` runs 2,000. ``FUZZ_REPORT=path.json`` writes the counts (for the issue's report).
"""

import json
import math
import operator
import os
import pathlib
import re
import warnings
from dataclasses import dataclass, field

import array_api_strict as sx
import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import array_api_jax as xp
from array_api_jax._dtypes import CATEGORIES

N_PROGRAMS = int(os.environ.get("FUZZ_PROGRAMS", "300"))
MAX_STEPS = 7
DOCS = pathlib.Path(__file__).resolve().parents[1] / "docs" / "errors.md"

DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float32", "float64", "complex64", "complex128")
INTS = DTYPES[1:9]
REALS = INTS + ("float32", "float64")
FLOATS = ("float32", "float64", "complex64", "complex128")
NUMERIC = DTYPES[1:]

# --- values and arrays -------------------------------------------------------------------------------------

_SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 7.0, math.nan, math.inf, -math.inf]
floats = st.one_of(st.sampled_from(_SPECIAL), st.integers(-6, 6).map(float), st.integers(-6, 6).map(float),
                   st.floats(-1e4, 1e4, width=32, allow_nan=False))


def ints(name):
    info = np.iinfo(name)
    small = st.integers(max(info.min, -6), min(info.max, 9))
    return st.one_of(small, small, small, st.sampled_from([int(info.min), int(info.max)]))


def values(name):
    if name == "bool":
        return st.booleans()
    if name in INTS:
        return ints(name)
    if name.startswith("float"):
        return floats
    return st.builds(complex, floats, floats)


@st.composite
def shapes(draw, min_dims=0, max_dims=4):
    ndim = draw(st.integers(min_dims, max_dims))
    shape = tuple(draw(st.lists(st.integers(0, 3), min_size=ndim, max_size=ndim)))
    while math.prod(shape) > 24:
        shape = shape[1:]
    return shape


@st.composite
def host_arrays(draw, dtype=None, shape=None):
    dtype = dtype or draw(st.sampled_from(DTYPES))
    shape = draw(shapes()) if shape is None else shape
    n = math.prod(shape)
    data = draw(st.lists(values(dtype), min_size=n, max_size=n))
    return np.array(data, dtype=dtype).reshape(shape)


def python_scalar(data, like=None):
    """A Python scalar, usually of a kind that combines with dtype ``like`` (sometimes one that does not)."""
    kind = data.choice(["bool", "int", "float", "complex"])
    if like is not None and data.choice([True, True, True, False]):
        kind = ("bool" if like == "bool" else "int" if like in INTS else
                data.choice(["int", "float"]) if like.startswith("float") else data.choice(["int", "float", "complex"]))
    if kind == "bool":
        return data.draw(st.booleans())
    if kind == "int":
        return data.draw(st.one_of(st.integers(-6, 9), st.integers(-6, 9), st.sampled_from([255, -129, 2**40])))
    if kind == "float":
        return data.draw(floats)
    return complex(data.draw(floats), data.draw(floats))


class Data:
    """hypothesis' data for values, and a seeded generator for structural choices (which function, which
    operand, which dtype): hypothesis favours the first element of a list, and the programs should cover all."""

    def __init__(self, data):
        self.data = data
        self.rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))

    def draw(self, strategy):
        return self.data.draw(strategy)

    def choice(self, options):
        options = list(options)
        return options[int(self.rng.integers(len(options)))]


# --- the two namespaces ------------------------------------------------------------------------------------


def dname(dtype):
    return str(dtype).rsplit(".", 1)[-1]


def to_host(a):
    return np.asarray(a)


STRICT_ARRAY = type(sx.asarray(0))


def is_array(a):
    return isinstance(a, (xp.Array, STRICT_ARRAY))


# --- a program: an environment of arrays per namespace, and steps --------------------------------------------


@dataclass
class Env:
    ours: list = field(default_factory=list)
    strict: list = field(default_factory=list)
    names: list = field(default_factory=list)
    log: list = field(default_factory=list)

    def meta(self, i):
        a = self.ours[i]
        return a.shape, dname(a.dtype)

    def pick(self, data, pred=lambda shape, dtype: True):
        choices = [i for i in range(len(self.ours)) if pred(*self.meta(i))]
        return data.choice(choices) if choices else None

    def add(self, ours, strict, text):
        self.names.append(f"v{len(self.names)}")
        self.ours.append(ours)
        self.strict.append(strict)
        self.log.append(f"{self.names[-1]} = {text}")


@dataclass
class Step:
    op: str  # the function or operator, as a key for EXPLAINED
    text: str  # a readable line of the reproducer
    run: object  # run(ns, arrays) -> result (an array, a tuple of them, a scalar or None for a mutation)
    dtypes: tuple = ()  # dtypes of the array operands
    tol: str = "exact"  # "exact", "elementwise", "reduction" or "linalg"
    keep: bool = True  # append array results to the environment (exact results only, so later steps stay exact)
    scale: float = 1.0  # magnitude of the inputs, for absolute tolerances of reductions, linalg and fft
    info: dict = field(default_factory=dict)


@dataclass
class Diff:
    kind: str  # "only ours raised", "only strict raised", "dtype", "shape", "value", "type"
    step: Step
    detail: str
    ours_exc: BaseException | None = None
    strict_exc: BaseException | None = None
    program: list = field(default_factory=list)
    values: tuple | None = None  # (ours, strict) host arrays of a value difference

    def describe(self):
        lines = "\n    ".join(self.program + [f"{self.step.text}    # op={self.step.op}"])
        return f"[{self.kind}] {self.detail}\n    {lines}"


def _arr(i):
    return f"v{i}"


def _scale(*hosts):
    finite = [np.abs(h[np.isfinite(h)]) for h in hosts if h.size]
    finite = [f for f in finite if f.size]
    return float(max((f.max() * max(1, f.size) for f in finite), default=1.0)) or 1.0


# --- step generators ---------------------------------------------------------------------------------------

UNARY = ["abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "bitwise_invert", "ceil", "conj", "cos", "cosh",
         "exp", "expm1", "floor", "imag", "isfinite", "isinf", "isnan", "log", "log1p", "log2", "log10",
         "logical_not", "negative", "positive", "real", "reciprocal", "round", "sign", "signbit", "sin", "sinh",
         "sqrt", "square", "tan", "tanh", "trunc"]
BINARY = ["add", "atan2", "bitwise_and", "bitwise_left_shift", "bitwise_or", "bitwise_right_shift", "bitwise_xor",
          "copysign", "divide", "equal", "floor_divide", "greater", "greater_equal", "hypot", "less", "less_equal",
          "logaddexp", "logical_and", "logical_or", "logical_xor", "maximum", "minimum", "multiply", "nextafter",
          "not_equal", "pow", "remainder", "subtract"]
EXACT = {"abs", "bitwise_invert", "ceil", "conj", "floor", "imag", "isfinite", "isinf", "isnan", "logical_not",
         "negative", "positive", "real", "round", "signbit", "trunc", "add", "bitwise_and", "bitwise_left_shift",
         "bitwise_or", "bitwise_right_shift", "bitwise_xor", "copysign", "equal", "greater", "greater_equal", "less",
         "less_equal", "logical_and", "logical_or", "logical_xor", "maximum", "minimum", "not_equal", "subtract",
         "multiply", "square", "sign"}
OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
             "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "&": operator.and_, "|": operator.or_,
             "^": operator.xor, "<<": operator.lshift, ">>": operator.rshift, "<": operator.lt, "<=": operator.le,
             ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne}
OP_FUNC = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "//": "floor_divide", "%": "remainder",
           "**": "pow", "&": "bitwise_and", "|": "bitwise_or", "^": "bitwise_xor", "<<": "bitwise_left_shift",
           ">>": "bitwise_right_shift", "<": "less", "<=": "less_equal", ">": "greater", ">=": "greater_equal",
           "==": "equal", "!=": "not_equal"}
INPLACE = {"+": operator.iadd, "-": operator.isub, "*": operator.imul, "/": operator.itruediv,
           "//": operator.ifloordiv, "%": operator.imod, "**": operator.ipow, "&": operator.iand,
           "|": operator.ior, "^": operator.ixor, "<<": operator.ilshift, ">>": operator.irshift}


def _kept(name, dtypes):
    """Whether a result is exact in both namespaces (integer arithmetic, or an exact floating-point function),
    so that it can feed later steps without tolerances."""
    if all(d in INTS or d == "bool" for d in dtypes):
        return True
    return name in EXACT and not any(d.startswith("complex") for d in dtypes)


def step_new_array(data, env):
    host = data.draw(host_arrays(dtype=data.choice(DTYPES)))
    return Step("asarray", f"asarray({host!r})", lambda ns, e: ns.asarray(host.copy()), (str(host.dtype),))


def _accepting(names, dtype):
    """The functions of ``names`` whose dtype category (recorded on the function) includes ``dtype``."""
    return [n for n in names if dtype in {t.name for t in CATEGORIES[getattr(xp, n).category]}]


def step_unary(data, env):
    i = env.pick(data)
    d = env.meta(i)[1]
    names = _accepting(UNARY, d) if data.draw(st.integers(0, 4)) else UNARY
    name = data.choice(names or UNARY)
    return Step(name, f"{name}({_arr(i)})", lambda ns, e: getattr(ns, name)(e[i]), (d,), "elementwise",
                _kept(name, (d,)), info={"x": to_host(env.ours[i])})


def _second_operand(data, env, i):
    """Another array (often one of the same dtype or a broadcastable shape) or a Python scalar."""
    shape, d = env.meta(i)
    how = data.choice(["array", "same dtype", "same dtype", "scalar", "new"])
    if how == "scalar":
        s = python_scalar(data, d)
        return s, repr(s), None
    if how == "same dtype":
        j = env.pick(data, lambda sh, dt: dt == d)
        return j, _arr(j), d
    if how == "new":
        sub = shape[data.draw(st.integers(0, len(shape))):]
        host = data.draw(host_arrays(dtype=data.choice([d, d, *DTYPES]), shape=sub))
        env.add(xp.asarray(host.copy()), sx.asarray(host.copy()), f"asarray({host!r})")
        j = len(env.ours) - 1
        return j, _arr(j), str(host.dtype)
    j = env.pick(data)
    return j, _arr(j), env.meta(j)[1]


def _operand(e, value, is_index):
    return e[value] if is_index else value


def _operands(env, i, other, is_index, swap):
    """Host copies of a binary step's operands, in call order (for the explanations of integer edge cases)."""
    a = to_host(env.ours[i])
    b = to_host(env.ours[other]) if is_index else np.asarray(other)
    return (b, a) if swap else (a, b)


def step_binary(data, env):
    i = env.pick(data)
    names = _accepting(BINARY, env.meta(i)[1]) if data.draw(st.integers(0, 4)) else BINARY
    name = data.choice(names or BINARY)
    other, text, d2 = _second_operand(data, env, i)
    is_index = d2 is not None
    swap = not is_index and data.draw(st.booleans())
    d1 = env.meta(i)[1]
    dtypes = (d1,) if d2 is None else (d1, d2)

    def run(ns, e):
        a, b = e[i], _operand(e, other, is_index)
        return getattr(ns, name)(b, a) if swap else getattr(ns, name)(a, b)

    args = f"{text}, {_arr(i)}" if swap else f"{_arr(i)}, {text}"
    return Step(name, f"{name}({args})", run, dtypes, "elementwise", _kept(name, dtypes),
                info={"scalar": None if is_index else other, "operands": _operands(env, i, other, is_index, swap)})


def step_operator(data, env):
    i = env.pick(data)
    sym = data.choice(sorted(OPERATORS))
    other, text, d2 = _second_operand(data, env, i)
    is_index = d2 is not None
    swap = not is_index and data.draw(st.booleans())
    f = OPERATORS[sym]
    d1 = env.meta(i)[1]
    dtypes = (d1,) if d2 is None else (d1, d2)

    def run(ns, e):
        a, b = e[i], _operand(e, other, is_index)
        return f(b, a) if swap else f(a, b)

    line = f"{text} {sym} {_arr(i)}" if swap else f"{_arr(i)} {sym} {text}"
    return Step(OP_FUNC[sym], line, run, dtypes, "elementwise", _kept(OP_FUNC[sym], dtypes),
                info={"scalar": None if is_index else other, "operands": _operands(env, i, other, is_index, swap)})


def step_inplace(data, env):
    i = env.pick(data)
    sym = data.choice(sorted(INPLACE))
    other, text, d2 = _second_operand(data, env, i)
    is_index = d2 is not None
    f = INPLACE[sym]
    d1 = env.meta(i)[1]
    dtypes = (d1,) if d2 is None else (d1, d2)
    if not _kept(OP_FUNC[sym], dtypes):
        return None  # an inexact in-place result would make later steps inexact

    def run(ns, e):
        f(e[i], _operand(e, other, is_index))

    return Step(OP_FUNC[sym], f"{_arr(i)} {sym}= {text}", run, dtypes, "exact",
                info={"target": i, "operands": _operands(env, i, other, is_index, False)})


def _axis_arg(data, ndim, allow_tuple=True, allow_none=True):
    choices = ["int", "int", "bad"] + (["none"] if allow_none else []) + (["tuple"] if allow_tuple else [])
    how = data.choice(choices)
    if how == "none":
        return None
    if how == "bad":
        return data.choice([ndim, -ndim - 1, 5])
    if how == "int" or ndim == 0:
        return data.draw(st.integers(-ndim, max(ndim - 1, -ndim))) if ndim else data.choice([0, -1])
    return tuple(data.draw(st.lists(st.integers(-ndim, ndim - 1), min_size=0, max_size=ndim)))


REDUCTIONS = ["sum", "prod", "max", "min", "mean", "std", "var", "all", "any", "count_nonzero", "argmax", "argmin",
              "cumulative_sum", "cumulative_prod"]


def step_reduction(data, env):
    i = env.pick(data)
    shape, d = env.meta(i)
    name = data.choice(REDUCTIONS)
    kwargs = {}
    single = name in ("argmax", "argmin", "cumulative_sum", "cumulative_prod")
    kwargs["axis"] = _axis_arg(data, len(shape), allow_tuple=not single)
    if name.startswith("cumulative"):
        kwargs["include_initial"] = data.draw(st.booleans())
    else:
        kwargs["keepdims"] = data.draw(st.booleans())
    if name in ("sum", "prod", "cumulative_sum", "cumulative_prod") and data.draw(st.integers(0, 3)) == 0:
        kwargs["dtype"] = data.choice(NUMERIC)
    if name in ("std", "var"):
        kwargs["correction"] = data.choice([0, 1, 0.5, 2.0])
    exact = name in ("max", "min", "all", "any", "count_nonzero", "argmax", "argmin") or d in INTS + ("bool",)

    def run(ns, e):
        kw = dict(kwargs)
        if "dtype" in kw:
            kw["dtype"] = getattr(ns, kw["dtype"])
        return getattr(ns, name)(e[i], **kw)

    return Step(name, f"{name}({_arr(i)}, **{kwargs})", run, (d,), "exact" if exact else "reduction",
                exact and name not in ("sum", "prod", "cumulative_sum", "cumulative_prod"),
                _scale(to_host(env.ours[i]).astype(np.complex128) if d != "bool" else np.zeros(1)), {"kw": kwargs})


def step_sort(data, env):
    i = env.pick(data)
    shape, d = env.meta(i)
    name = data.choice(["sort", "argsort"])
    kwargs = {"axis": data.choice([-1, 0, len(shape), -len(shape) - 1])}
    kwargs["descending"] = data.draw(st.booleans())

    def run(ns, e):
        return getattr(ns, name)(e[i], stable=True, **kwargs)

    return Step(name, f"{name}({_arr(i)}, stable=True, **{kwargs})", run, (d,), info={"kw": kwargs})


def step_search(data, env):
    kind = data.choice(["where", "where", "searchsorted", "nonzero"])
    if kind == "nonzero":
        i = env.pick(data)
        return Step("nonzero", f"nonzero({_arr(i)})", lambda ns, e: ns.nonzero(e[i]), (env.meta(i)[1],))
    if kind == "searchsorted":
        i = env.pick(data, lambda s, d: len(s) == 1)
        if i is None:
            return None
        j = env.pick(data)
        side = data.choice(["left", "right"])
        dtypes = (env.meta(i)[1], env.meta(j)[1])

        def run(ns, e):
            x1 = e[i]
            if dname(x1.dtype) in REALS:
                x1 = ns.sort(x1)
            return ns.searchsorted(x1, e[j], side=side)

        return Step("searchsorted", f"searchsorted(sort({_arr(i)}), {_arr(j)}, side={side!r})", run, dtypes)
    c = env.pick(data, lambda s, d: d == "bool")
    if c is None:
        return None
    i = env.pick(data)
    other, text, d2 = _second_operand(data, env, i)
    is_index = d2 is not None
    dtypes = ("bool", env.meta(i)[1]) + ((d2,) if d2 else ())
    return Step("where", f"where({_arr(c)}, {_arr(i)}, {text})",
                lambda ns, e: ns.where(e[c], e[i], _operand(e, other, is_index)), dtypes)


def step_set(data, env):
    name = data.choice(["unique_values", "unique_counts", "unique_inverse", "unique_all", "isin"])
    i = env.pick(data)
    if name == "isin":
        other, text, d2 = _second_operand(data, env, i)
        is_index = d2 is not None
        dtypes = (env.meta(i)[1],) + ((d2,) if d2 else ())
        return Step("isin", f"isin({_arr(i)}, {text})", lambda ns, e: ns.isin(e[i], _operand(e, other, is_index)),
                    dtypes)
    return Step(name, f"{name}({_arr(i)})", lambda ns, e: getattr(ns, name)(e[i]), (env.meta(i)[1],))


def _reshape_target(data, shape):
    n = math.prod(shape)
    dims = []
    rest = n
    for _ in range(data.draw(st.integers(0, 3))):
        divisors = [k for k in range(1, rest + 1) if rest % k == 0] if rest else [0, 1, 2]
        k = data.choice(divisors)
        dims.append(k)
        rest = rest // k if k else rest
    dims.append(rest if n else data.choice([0, 1]))
    if data.draw(st.integers(0, 3)) == 0 and any(dims):
        dims[data.draw(st.integers(0, len(dims) - 1))] = -1
    if data.draw(st.integers(0, 9)) == 0:
        dims.append(2)  # usually invalid
    return tuple(dims)


def step_manipulation(data, env):
    name = data.choice(["reshape", "permute_dims", "flip", "roll", "concat", "stack", "expand_dims",
                                      "squeeze", "broadcast_to", "tile", "repeat", "moveaxis", "unstack",
                                      "broadcast_arrays", "matrix_transpose", "tril", "triu"])
    i = env.pick(data)
    shape, d = env.meta(i)
    nd = len(shape)
    j = None
    args, kw = (), {}
    if name == "reshape":
        args = (_reshape_target(data, shape),)
    elif name == "permute_dims":
        perm = list(data.draw(st.permutations(range(nd))))
        if perm and data.draw(st.integers(0, 5)) == 0:
            perm[0] = nd  # invalid
        args = (tuple(perm),)
    elif name == "flip":
        kw = {"axis": _axis_arg(data, nd)}
    elif name == "roll":
        args = (data.draw(st.integers(-4, 4)),)
        kw = {"axis": _axis_arg(data, nd)}
    elif name in ("concat", "stack"):
        j = env.pick(data, lambda s, dt: len(s) == nd)
        kw = {"axis": data.choice([0, -1, nd, None] if name == "concat" else [0, -1, nd, nd + 1])}
    elif name == "expand_dims":
        args = (data.draw(st.integers(-nd - 2, nd + 1)),)
    elif name == "squeeze":
        ones = [a for a, n in enumerate(shape) if n == 1]
        args = (data.choice(ones + [0, -1]) if nd else 0,)
    elif name == "broadcast_to":
        extra = tuple(data.draw(st.lists(st.integers(0, 3), max_size=2)))
        target = extra + tuple(n if n != 1 else data.choice([1, 2]) for n in shape)
        args = (target,)
    elif name == "tile":
        args = (tuple(data.draw(st.lists(st.integers(0, 2), min_size=0, max_size=nd + 1))),)
    elif name == "repeat":
        args = (data.draw(st.integers(0, 2)),)
        kw = {"axis": data.choice([None, 0, -1])}
    elif name == "moveaxis":
        args = (data.draw(st.integers(-nd, max(nd - 1, 0))), data.draw(st.integers(-nd, max(nd - 1, 0))))
    elif name == "unstack":
        kw = {"axis": data.choice([0, -1, nd])}
    elif name == "broadcast_arrays":
        j = env.pick(data)
    elif name in ("tril", "triu"):
        kw = {"k": data.draw(st.integers(-2, 2))}

    def run(ns, e):
        f = getattr(ns, name)
        if name in ("concat", "stack"):
            return f([e[i], e[j]], **kw)
        if name == "broadcast_arrays":
            return f(e[i], e[j])
        return f(e[i], *args, **kw)

    dtypes = (d,) if j is None else (d, env.meta(j)[1])
    operands = _arr(i) if j is None else f"[{_arr(i)}, {_arr(j)}]"
    return Step(name, f"{name}({operands}, *{args}, **{kw})", run, dtypes, info={"args": args, "kw": kw})


# --- indexing ----------------------------------------------------------------------------------------------


def _basic_key(data, shape, complete):
    """A basic index: ints (sometimes out of bounds), slices (any bounds and steps), None and at most one
    ellipsis; ``complete`` keys index every axis (or use an ellipsis), others may leave trailing axes out."""
    nd = len(shape)
    ellipsis = data.draw(st.integers(0, 3)) == 0
    k = data.draw(st.integers(0, nd)) if (ellipsis or not complete) else nd
    before = data.draw(st.integers(0, k)) if ellipsis else k  # entries before the ellipsis
    sizes = list(shape[:before]) + list(shape[nd - (k - before):] if k > before else [])
    if data.draw(st.integers(0, 15)) == 0:
        sizes.append(1)  # one index too many
    key = []
    for n in sizes:
        kind = data.choice(["int", "slice", "slice"])
        if kind == "int":
            bad = data.draw(st.integers(0, 7)) == 0 or n == 0
            key.append(data.draw(st.integers(-n - 1, n) if bad else st.integers(-n, n - 1)))
        else:  # bounds in the standard's ranges, sometimes outside them
            step = data.choice([None, 1, 2, -1, -2, 3])
            if data.draw(st.integers(0, 30)) == 0:
                step = 0
            wide = data.draw(st.integers(0, 7)) == 0
            lo, hi = (-n - 2, n + 2) if wide else (-n, n)
            start = data.draw(st.one_of(st.none(), st.integers(lo, hi)))
            if step is not None and step < 0 and not wide:
                lo, hi = -n - 1, max(0, n - 1)
            stop = data.draw(st.one_of(st.none(), st.integers(lo, hi)))
            key.append(slice(start, stop, step))
    if ellipsis:
        key.insert(before, Ellipsis)
    for _ in range(data.choice([0, 0, 0, 1, 2])):
        key.insert(data.draw(st.integers(0, len(key))), None)
    return tuple(key) if len(key) != 1 or data.draw(st.booleans()) else key[0]


def _index_array(data, env, n, length=None):
    """An integer index array (as a new program array) for an axis of size n (sometimes out of bounds)."""
    length = data.draw(st.integers(0, 3)) if length is None else length
    lo, hi = (-n, n - 1) if n else (0, 0)
    bad = data.draw(st.integers(0, 7)) == 0 or n == 0
    vals = data.draw(st.lists(st.integers(lo - bad, hi + bad), min_size=length, max_size=length))
    dtype = data.choice(["int64", "int64", "int32", "uint8", "int8"])
    host = np.array([abs(v) for v in vals] if dtype == "uint8" else vals, dtype=dtype)
    env.add(xp.asarray(host.copy()), sx.asarray(host.copy()), f"asarray({host!r})")
    return len(env.ours) - 1


def _key(data, env, shape):
    """A key of one of the standard's forms, as (description, builder(e) -> key)."""
    kind = data.choice(["basic", "basic", "basic", "partial", "int arrays", "mask", "mask"])
    if kind in ("basic", "partial") or not shape:
        key = _basic_key(data, shape, complete=kind == "basic")
        return repr(key), (lambda e: key), kind
    if kind == "int arrays":
        length = data.draw(st.integers(0, 3))
        parts = []
        for n in shape:
            how = data.choice(["array", "array", "int", "slice"])
            if how == "array":
                parts.append(("a", _index_array(data, env, n, length)))
            elif how == "int":
                parts.append(("i", data.draw(st.integers(-n, n - 1)) if n else 0))
            else:
                parts.append(("s", slice(None)))
        if not any(p[0] == "a" for p in parts):
            parts[0] = ("a", _index_array(data, env, shape[0], length))

        def build(e):
            return tuple(e[v] if k == "a" else v for k, v in parts)

        text = "(" + ", ".join(_arr(v) if k == "a" else repr(v) for k, v in parts) + ")"
        return text, build, kind
    m = data.draw(st.integers(0, len(shape)))
    mshape = shape[:m]
    if data.draw(st.integers(0, 7)) == 0:
        mshape = tuple(n + 1 for n in mshape) or (1,)  # wrong shape
    host = data.draw(host_arrays(dtype="bool", shape=mshape))
    env.add(xp.asarray(host.copy()), sx.asarray(host.copy()), f"asarray({host!r})")
    k = len(env.ours) - 1
    return _arr(k), (lambda e: e[k]), "mask"


def step_getitem(data, env):
    i = env.pick(data)
    shape, d = env.meta(i)
    text, build, kind = _key(data, env, shape)
    return Step("__getitem__", f"{_arr(i)}[{text}]", lambda ns, e: e[i][build(e)], (d,), info={"key": kind})


def step_setitem(data, env):
    i = env.pick(data)
    shape, d = env.meta(i)
    text, build, kind = _key(data, env, shape)
    how = data.choice(["scalar", "array", "fitting", "fitting", "new"])
    if how == "scalar":
        value = python_scalar(data, d)
        vtext, is_index = repr(value), False
    elif how == "array":
        value = env.pick(data)
        vtext, is_index = _arr(value), True
    else:
        vshape = data.draw(shapes(max_dims=2))
        if how == "fitting":  # a trailing part of the selected shape, so that it broadcasts (usually)
            try:
                selected = env.ours[i][build(env.ours)].shape
                vshape = selected[data.draw(st.integers(0, len(selected))):]
            except Exception:  # noqa: BLE001 - an invalid key: any value will do
                pass
        host = data.draw(host_arrays(dtype=data.choice([d, d, d, *DTYPES]), shape=vshape))
        env.add(xp.asarray(host.copy()), sx.asarray(host.copy()), f"asarray({host!r})")
        value, vtext, is_index = len(env.ours) - 1, _arr(len(env.ours) - 1), True

    def run(ns, e):
        e[i][build(e)] = _operand(e, value, is_index)

    vd = env.meta(value)[1] if is_index else type(value).__name__
    return Step("__setitem__", f"{_arr(i)}[{text}] = {vtext}", run, (d, vd), info={"key": kind,
                                                                                "scalar": None if is_index else value})


def step_view(data, env):
    """A view of an array (a complete basic key): later steps write through it or into its parent."""
    i = env.pick(data, lambda s, d: len(s) > 0)
    if i is None:
        return None
    shape, d = env.meta(i)
    key = _basic_key(data, shape, complete=True)
    return Step("__getitem__", f"{_arr(i)}[{key!r}]", lambda ns, e: e[i][key], (d,), info={"key": "basic"})


# --- data types and creation -------------------------------------------------------------------------------


def step_dtypes(data, env):
    name = data.choice(["astype", "astype", "result_type", "can_cast", "zeros_like", "full_like",
                                      "asarray_copy"])
    i = env.pick(data)
    d = env.meta(i)[1]
    t = data.choice(DTYPES)
    if name == "astype":
        return Step("astype", f"astype({_arr(i)}, {t})", lambda ns, e: ns.astype(e[i], getattr(ns, t)), (d, t),
                    keep=not (d in FLOATS and t in INTS), info={"x": to_host(env.ours[i])})
    if name == "result_type":
        j = env.pick(data)
        s = python_scalar(data, d) if data.draw(st.booleans()) else None
        extra = () if s is None else (s,)
        return Step("result_type", f"result_type({_arr(i)}, {_arr(j)}, {t}{', ' + repr(s) if extra else ''})",
                    lambda ns, e: ns.result_type(e[i], e[j], getattr(ns, t), *extra),
                    (d, env.meta(j)[1], t), info={"scalar": s})
    if name == "can_cast":
        return Step("can_cast", f"can_cast({d}, {t})", lambda ns, e: ns.can_cast(getattr(ns, d), getattr(ns, t)),
                    (d, t))
    if name == "zeros_like":
        return Step("zeros_like", f"zeros_like({_arr(i)}, dtype={t})",
                    lambda ns, e: ns.zeros_like(e[i], dtype=getattr(ns, t)), (d, t))
    if name == "full_like":
        s = python_scalar(data, d)
        return Step("full_like", f"full_like({_arr(i)}, {s!r})", lambda ns, e: ns.full_like(e[i], s), (d,),
                    info={"scalar": s})
    return Step("asarray", f"asarray({_arr(i)}, copy=True)", lambda ns, e: ns.asarray(e[i], copy=True), (d,))


def step_creation(data, env):
    name = data.choice(["arange", "linspace", "eye", "full", "meshgrid"])
    if name == "arange":
        args = tuple(data.draw(st.lists(st.one_of(st.integers(-5, 8), st.sampled_from([0.5, -1.5, 2.25])),
                                        min_size=1, max_size=3)))
        if len(args) == 3 and args[2] == 0:
            args = args[:2]
        dt = data.choice([None, "int64", "float32", "float64", "uint8"])
        return Step("arange", f"arange(*{args}, dtype={dt})",
                    lambda ns, e: ns.arange(*args, dtype=dt and getattr(ns, dt)), keep=False, tol="elementwise")
    if name == "linspace":
        a, b = data.draw(st.integers(-5, 5)), data.choice([3, 2.5, -4])
        num = data.draw(st.integers(0, 6))
        endpoint = data.draw(st.booleans())
        dt = data.choice([None, "float32", "float64", "complex128"])
        return Step("linspace", f"linspace({a}, {b}, {num}, endpoint={endpoint}, dtype={dt})",
                    lambda ns, e: ns.linspace(a, b, num, endpoint=endpoint, dtype=dt and getattr(ns, dt)),
                    tol="elementwise", keep=False)
    if name == "eye":
        n, m, k = data.draw(st.integers(0, 4)), data.choice([None, 0, 2, 3]), data.draw(
            st.integers(-3, 3))
        dt = data.choice(DTYPES)
        return Step("eye", f"eye({n}, {m}, k={k}, dtype={dt})",
                    lambda ns, e: ns.eye(n, m, k=k, dtype=getattr(ns, dt)))
    if name == "full":
        shape = data.draw(shapes(max_dims=3))
        s = python_scalar(data)
        dt = data.choice([None, *DTYPES])
        return Step("full", f"full({shape}, {s!r}, dtype={dt})",
                    lambda ns, e: ns.full(shape, s, dtype=dt and getattr(ns, dt)), info={"scalar": s})
    idx = [env.pick(data, lambda s, d: len(s) == 1) for _ in range(data.draw(st.integers(1, 3)))]
    if None in idx:
        return None
    indexing = data.choice(["xy", "ij"])
    return Step("meshgrid", f"meshgrid({', '.join(map(_arr, idx))}, indexing={indexing!r})",
                lambda ns, e: ns.meshgrid(*[e[k] for k in idx], indexing=indexing),
                tuple(env.meta(k)[1] for k in idx))


# --- linalg and fft: canonical results (invariants), compared between the namespaces ----------------------


@st.composite
def matrices(draw, square=True, kind=None):
    dtype = kind
    batch = draw(st.sampled_from([(), (), (2,), (1, 2)]))
    m = draw(st.integers(0, 4))
    n = m if square else draw(st.integers(0, 4))
    small = st.integers(-4, 4).map(float)
    vals = st.builds(complex, small, small) if dtype.startswith("complex") else small
    data = draw(st.lists(vals, min_size=math.prod(batch) * m * n, max_size=math.prod(batch) * m * n))
    return np.array(data, dtype=dtype).reshape(batch + (m, n))


def _herm(ns, a):
    return ns.conj(ns.linalg.matrix_transpose(a))


def _pd(ns, a):
    """a a^H + n I: Hermitian positive definite."""
    n = a.shape[-1]
    return ns.matmul(a, _herm(ns, a)) + n * ns.eye(n, dtype=a.dtype)


def _sym(ns, a):
    return (a + _herm(ns, a)) / 2


LINALG = {
    "det": lambda ns, a: ns.linalg.det(a),
    "slogdet": lambda ns, a: tuple(ns.linalg.slogdet(a)),
    "inv": lambda ns, a: ns.linalg.inv(a),
    "inv_pd": lambda ns, a: ns.linalg.inv(_pd(ns, a)) @ _pd(ns, a),
    "solve": lambda ns, a: ns.linalg.solve(_pd(ns, a), ns.ones(a.shape[-1:], dtype=a.dtype)),
    "cholesky": lambda ns, a: ns.linalg.cholesky(_pd(ns, a)),
    "cholesky_raw": lambda ns, a: ns.linalg.cholesky(a),
    "eigvalsh": lambda ns, a: ns.linalg.eigvalsh(_sym(ns, a)),
    "eigh": lambda ns, a: _eigh_invariants(ns, _sym(ns, a)),
    "svdvals": lambda ns, a: ns.linalg.svdvals(a),
    "svd": lambda ns, a: _svd_invariants(ns, a),
    "qr": lambda ns, a: _qr_invariants(ns, a),
    "pinv": lambda ns, a: ns.linalg.pinv(a),
    "matrix_rank": lambda ns, a: ns.linalg.matrix_rank(a),
    "matrix_norm": lambda ns, a: tuple(ns.linalg.matrix_norm(a, ord=o) for o in ("fro", "nuc", 1, -1, 2, -2,
                                                                                 math.inf, -math.inf)),
    "vector_norm": lambda ns, a: tuple(ns.linalg.vector_norm(a, ord=o, axis=-1) for o in (2, 1, 0, 3.5, -1,
                                                                                          math.inf, -math.inf)),
    "matrix_power": lambda ns, a: tuple(ns.linalg.matrix_power(a, k) for k in (0, 1, 2, 3)),
    "trace": lambda ns, a: ns.linalg.trace(a),
    "diagonal": lambda ns, a: ns.linalg.diagonal(a, offset=1),
    "matmul": lambda ns, a: ns.matmul(a, _herm(ns, a)),
    "tensordot": lambda ns, a: ns.tensordot(a, a, axes=min(a.ndim, 2)),
    "vecdot": lambda ns, a: ns.vecdot(a, a),
    "outer": lambda ns, a: ns.linalg.outer(ns.reshape(a, (-1,)), ns.linalg.diagonal(a)[(0,) * (a.ndim - 2) + (...,)]),
    "cross": lambda ns, a: ns.linalg.cross(a, ns.flip(a, axis=-1)),
    "eigvals": lambda ns, a: _eig_invariants(ns, a),
}


def _eigh_invariants(ns, a):
    w, v = ns.linalg.eigh(a)
    return w, ns.matmul(v * ns.astype(w, a.dtype)[..., None, :], _herm(ns, v))  # reconstruction of a


def _svd_invariants(ns, a):
    u, s, vh = ns.linalg.svd(a, full_matrices=False)
    return s, ns.matmul(u * ns.astype(s, a.dtype)[..., None, :], vh)


def _qr_invariants(ns, a):
    q, r = ns.linalg.qr(a)
    return ns.matmul(q, r), ns.abs(ns.linalg.diagonal(r))


def _eig_invariants(ns, a):
    w, v = ns.linalg.eig(a)
    residual = ns.matmul(ns.astype(a, w.dtype), v) - v * w[..., None, :]
    return ns.linalg.vector_norm(residual) <= 1e-3 * (1 + ns.linalg.vector_norm(ns.astype(a, w.dtype)))


RECTANGULAR = {"svdvals", "svd", "qr", "pinv", "matrix_rank", "matrix_norm", "vector_norm", "tensordot", "vecdot",
               "outer", "cross", "diagonal", "matmul"}


def step_linalg(data, env):
    name = data.choice(sorted(LINALG))
    square = name not in RECTANGULAR
    host = data.draw(matrices(kind=data.choice(["float32", "float64", "float64", "complex128", "complex64"]),
                              square=square))
    if name == "cross":  # vectors of 3 along the last axis
        host = (np.concatenate([host] * 3, axis=-1)[..., :3] if host.shape[-1]
                else np.ones(host.shape[:-1] + (3,), dtype=host.dtype))
    f = LINALG[name]
    return Step(f"linalg.{name}", f"{name}(asarray({host!r}))", lambda ns, e: f(ns, ns.asarray(host.copy())),
                (str(host.dtype),), "linalg", False, _scale(host.astype(np.complex128)) * max(1, host.shape[-1]),
                info={"host": host})


FFT = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fftn", "ifftn", "rfftn", "irfftn", "fftshift",
       "ifftshift", "round_trip", "rround_trip", "fftfreq", "rfftfreq"]


def step_fft(data, env):
    name = data.choice(FFT)
    kind = data.choice(["complex128", "complex64", "float64", "float32"])
    host = data.draw(host_arrays(dtype=kind, shape=data.draw(shapes(min_dims=1, max_dims=3)))).copy()
    host[~np.isfinite(host)] = 0
    nd = host.ndim
    kw = {"norm": data.choice(["backward", "ortho", "forward"])}
    if name in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft"):
        kw["axis"] = data.draw(st.integers(-nd, nd - 1))
        if data.draw(st.booleans()):
            kw["n"] = data.draw(st.integers(1, 5))
    elif name in ("fftn", "ifftn", "rfftn", "irfftn"):
        if data.draw(st.booleans()):
            axes = tuple(data.draw(st.permutations(range(nd))))[: data.draw(st.integers(1, nd))]
            kw["axes"] = axes
            if data.draw(st.booleans()):
                kw["s"] = tuple(data.draw(st.integers(1, 4)) for _ in axes)
    elif name in ("fftshift", "ifftshift"):
        kw = {"axes": data.choice([None, 0, -1, (0,)])}
    elif name in ("fftfreq", "rfftfreq"):
        n, d = data.draw(st.integers(1, 6)), data.choice([1.0, 0.5, 2])
        return Step(f"fft.{name}", f"fft.{name}({n}, d={d})", lambda ns, e: getattr(ns.fft, name)(n, d=d),
                    tol="elementwise", keep=False)

    def run(ns, e):
        x = ns.asarray(host.copy())
        if name == "round_trip":
            return ns.fft.ifft(ns.fft.fft(x, **kw), **kw)
        if name == "rround_trip":
            n = x.shape[-1]
            return ns.fft.irfft(ns.fft.rfft(x, **kw), n=n, **kw)
        return getattr(ns.fft, name)(x, **kw)

    return Step(f"fft.{name}", f"fft.{name}(asarray({host!r}), **{kw})", run, (kind,), "linalg", False,
                _scale(host.astype(np.complex128)), info={"kw": kw, "size": host.size})


STEPS = ([step_unary] * 4 + [step_binary] * 4 + [step_operator] * 3 + [step_inplace] * 3 + [step_reduction] * 3
         + [step_sort] + [step_search] * 2 + [step_set] * 2 + [step_manipulation] * 4 + [step_getitem] * 3
         + [step_setitem] * 4 + [step_view] * 2 + [step_dtypes] * 2 + [step_creation] + [step_linalg] * 3
         + [step_fft] * 2 + [step_new_array])


# --- comparison --------------------------------------------------------------------------------------------

BASE_TOL = {"float32": 2e-5, "complex64": 2e-5, "float64": 1e-11, "complex128": 1e-11}


def _close(a, b, dtype, step):
    """NaN-aware comparison of two real host arrays of a floating dtype; returns a message or None."""
    if not np.array_equal(np.isnan(a), np.isnan(b)):
        return "NaN positions differ"
    inf_a, inf_b = np.isinf(a), np.isinf(b)
    if not np.array_equal(inf_a, inf_b) or not np.array_equal(a[inf_a], b[inf_b]):
        return "infinities differ"
    fa, fb = a[np.isfinite(a)], b[np.isfinite(b)]
    if step.tol == "exact":
        ok = np.array_equal(fa, fb)
    else:
        base = BASE_TOL[dtype] * {"elementwise": 1, "reduction": 10, "linalg": 200}[step.tol]
        atol = base * (1.0 if step.tol == "elementwise" else step.scale)
        ok = np.allclose(fa, fb, rtol=base, atol=atol)
    if not ok:
        worst = np.max(np.abs(fa - fb)) if fa.size else 0.0
        return f"values differ (max abs difference {worst:.3g})"
    return None


def compare(ours, strict, step, where="result"):
    """A message describing how the two results differ, or None."""
    if is_array(ours) or is_array(strict):
        if not (is_array(ours) and is_array(strict)):
            return "type", f"{where}: {type(ours).__name__} vs {type(strict).__name__}"
        d1, d2 = dname(ours.dtype), dname(strict.dtype)
        if d1 != d2:
            return "dtype", f"{where}: dtype {d1} vs {d2}"
        if tuple(ours.shape) != tuple(strict.shape):
            return "shape", f"{where}: shape {ours.shape} vs {strict.shape}"
        a, b = to_host(ours), to_host(strict)
        if d1 in FLOATS:
            real = "float32" if d1 in ("float32", "complex64") else "float64"
            msg = _close(a.real, b.real, real, step) or (_close(a.imag, b.imag, real, step)
                                                         if d1.startswith("complex") else None)
        else:
            msg = None if np.array_equal(a, b) else "values differ"
        if msg:
            return "value", f"{where}: {msg}\n      ours:   {a!r}\n      strict: {b!r}", (a, b)
        return None
    if isinstance(ours, (tuple, list)) and isinstance(strict, (tuple, list)):
        if len(ours) != len(strict):
            return "type", f"{where}: tuples of {len(ours)} and {len(strict)}"
        for k, (o, s) in enumerate(zip(ours, strict)):
            r = compare(o, s, step, f"{where}[{k}]")
            if r:
                return r
        return None
    if ours is None and strict is None:
        return None
    if isinstance(ours, (bool, int, float)) and isinstance(strict, (bool, int, float)):
        return None if ours == strict else ("value", f"{where}: {ours!r} vs {strict!r}")
    if dname(ours) in DTYPES or dname(strict) in DTYPES:
        return None if dname(ours) == dname(strict) else ("value", f"{where}: {ours} vs {strict}")
    return "type", f"{where}: {type(ours).__name__} vs {type(strict).__name__}"


# --- explained differences ---------------------------------------------------------------------------------


def _int_dtypes(diff):
    return any(d in INTS for d in diff.step.dtypes)


def _only_strict(pattern):
    return lambda d: d.kind == "only strict raised" and re.search(pattern, str(d.strict_exc))


def _only_ours(pattern):
    return lambda d: d.kind == "only ours raised" and re.search(pattern, str(d.ours_exc))


def _same(a, b, rtol):
    return (a == b) | (np.isnan(a) & np.isnan(b)) | np.isclose(a, b, rtol=rtol, atol=0)


def _complex_special_inputs(d):
    """A value difference of a unary function of a complex array only where the input has an infinite or NaN
    component (the standard's complex special cases)."""
    x = d.step.info.get("x")
    if d.kind != "value" or d.values is None or x is None or not np.iscomplexobj(x):
        return False
    a, b = d.values
    if a.shape != np.shape(x) or not np.iscomplexobj(a):
        return False
    differ = ~(_same(a.real, b.real, 1e-4) & _same(a.imag, b.imag, 1e-4))
    return bool(differ.any()) and not np.isfinite(x[differ]).any()


def _complex_non_finite(d):
    """A value difference of complex results only where one of them has an infinite or NaN component."""
    if d.kind != "value" or d.values is None or not any(t.startswith("complex") for t in d.step.dtypes):
        return False
    a, b = d.values
    if not (np.iscomplexobj(a) and a.shape == b.shape):
        return False
    differ = ~(_same(a.real, b.real, 1e-4) & _same(a.imag, b.imag, 1e-4))
    return bool(differ.any()) and bool((~np.isfinite(a[differ]) | ~np.isfinite(b[differ])).all())


def _only_where(diff, condition):
    """An integer value difference whose differing elements all have operands satisfying ``condition(x1, x2)``
    (division by zero, a negative power, a shift out of range: results the standard leaves unspecified)."""
    if diff.kind != "value" or diff.values is None or "operands" not in diff.step.info or not _int_dtypes(diff):
        return False
    a, b = diff.values
    try:
        x1, x2 = (np.broadcast_to(x, a.shape) for x in diff.step.info["operands"])
    except ValueError:
        return False
    differ = a != b
    with np.errstate(all="ignore"):
        return bool(differ.any()) and bool(condition(x1, x2, a.dtype)[differ].all())


def _overflows(x1, x2, dtype):
    """Whether the integer power x1 ** x2 (x2 >= 0) is outside ``dtype``'s range."""
    info = np.iinfo(dtype)
    out = np.zeros(x1.shape, dtype=bool)
    for k in np.ndindex(x1.shape):
        b, e = int(x1[k]), int(x2[k])
        out[k] = e >= 0 and abs(b) >= 2 and (e >= 64 or not info.min <= b**e <= info.max)
    return out


def _bad_cast(diff):
    """A float-to-integer cast that differs only where the input is NaN, infinite or out of the target's range."""
    x = diff.step.info.get("x")
    if diff.kind != "value" or diff.values is None or x is None or x.dtype.kind != "f":
        return False
    a, b = diff.values
    info = np.iinfo(a.dtype)
    outside = ~np.isfinite(x) | (x < info.min) | (x > info.max)
    return a.shape == x.shape and bool((a != b).any()) and bool(outside[a != b].all())


@dataclass(frozen=True)
class Explained:
    key: str  # also a row of the differences table in docs/errors.md
    ops: tuple  # the ops it applies to (empty: any)
    match: object  # predicate on the Diff
    reason: str


EXPLAINED = [
    Explained("int-pow-overflow", ("pow",), lambda d: _only_where(d, _overflows),
              "An integer power whose result overflows the dtype: the standard does not specify overflow; NumPy "
              "wraps around modulo 2**bits, XLA's exponentiation by squaring gives other values once the exponent "
              "reaches 64."),
    Explained("empty-fft-input", tuple(f"fft.{n}" for n in FFT),
              lambda d: d.kind == "value" and d.step.info.get("size") == 0,
              "A transform of an empty array with an explicit n zero-pads it, so the result is zeros; NumPy's "
              "pocketfft returns uninitialised memory for some of them (hfft, irfft)."),
    Explained("complex-special-cases", tuple(UNARY), _complex_special_inputs,
              "Complex functions at infinite or NaN components follow the standard's special cases (C99 Annex G, "
              "checked by array-api-tests), where NumPy deviates in several: expm1(+inf + 0j) is +inf + 0j, not "
              "+inf + NaN j; sqrt(NaN + inf j) is +inf + inf j; log2/log10 and the circular functions take the "
              "special cases of log and of the hyperbolic functions they are defined by."),
    Explained("setitem-value-rank", ("__setitem__",),
              _only_ours("a value of shape .* cannot be broadcast to the (indexed )?shape"),
              "The value of x[key] = value must broadcast to the indexed shape (broadcast_to's rule); NumPy also "
              "accepts extra leading axes of size 1."),
    Explained("cumulative-0d", ("cumulative_sum", "cumulative_prod"), _only_ours("at least one dimension"),
              "cumulative_sum/prod of a 0-D array raise ValueError (the standard leaves 0-D input unspecified); "
              "array-api-strict returns a 1-element array."),
    Explained("complex-to-real", ("sum", "prod", "cumulative_sum", "cumulative_prod", "astype"),
              _only_ours("complex array cannot be accumulated|has complex dtype"),
              "A complex array accumulated (or cast) into a real dtype raises TypeError in array_api_jax (the "
              "imaginary part would be dropped silently); the standard does not define complex-to-real casts, "
              "NumPy discards the imaginary part."),
    Explained("advanced-setitem", ("__setitem__",), _only_strict("Fancy indexing __setitem__ is not supported"),
              "Assignment through integer index arrays is supported (as in NumPy); array-api-strict raises."),
    Explained("empty-matrix-rank", ("linalg.matrix_rank",), _only_strict("zero-size array to reduction"),
              "matrix_rank of an empty matrix is 0 in array_api_jax; NumPy's implementation raises."),
    Explained("complex-multiplication-special-values", ("divide", "multiply", "pow", "prod", "cumulative_prod", "mean"),
              _complex_non_finite,
              "Complex multiplication, division, powers and means where a component is infinite, NaN or overflows: "
              "the standard says these special cases are implementation dependent (and divides by a real number "
              "component-wise, which array_api_jax follows, where NumPy promotes the real operand to complex). "
              "XLA's products multiply by the identity and its powers square repeatedly, so an infinite component "
              "can give NaN in the other one."),
    Explained("searchsorted-promotion", ("searchsorted",), _only_ours("defines no promotion"),
              "searchsorted applies the standard's promotion table to x1 and x2 (an integer array with a floating "
              "one raises TypeError); array-api-strict compares mixed kinds."),
    Explained("meshgrid-category", ("meshgrid",), _only_ours("accepts only numeric dtypes"),
              "meshgrid takes numeric arrays (the standard's 'should have a numeric data type'); array-api-strict "
              "also accepts booleans."),
    Explained("scalar-kind", ("full", "full_like"),
              _only_ours("a Python (float|complex|int|bool) fill_value cannot be combined|cannot be stored in dtype"),
              "A fill_value of another kind than dtype (a float for an integer dtype, ...) raises TypeError in "
              "array_api_jax, as Python scalars do in binary operations; the standard leaves it unspecified and "
              "array-api-strict casts."),
    Explained("arange-float-int", ("arange",),
              _only_ours("float arguments cannot produce an integer dtype"),
              "arange with a float start, stop or step and an integer dtype raises TypeError in array_api_jax; "
              "the standard does not define it, array-api-strict truncates."),
    Explained("zero-d-axis", (),
              lambda d: d.kind == "only ours raised" and re.search(r"axis=-?[01] is out of range for an array of "
                                                                   r"0 dimensions", str(d.ours_exc)),
              "axis=0 or -1 for a 0-D array raises IndexError in array_api_jax (the standard's range [-N, N) is "
              "empty for N = 0); NumPy, and so array-api-strict, accepts it for some functions."),
    Explained("slice-bounds", ("__getitem__", "__setitem__"),
              _only_strict("out-of-bounds (starts|stops) are not specified"),
              "Slice starts and stops outside the standard's ranges are clipped as in Python and NumPy; the "
              "standard leaves them unspecified, array-api-strict raises."),
    Explained("setitem-newaxis", ("__setitem__",),
              _only_strict("Single-axes index None"),
              "None in a __setitem__ key (the standard's key type has no None) is accepted as in NumPy."),
    Explained("negative-shift", ("bitwise_left_shift", "bitwise_right_shift"),
              _only_strict(r"is only defined for x2 >= 0"),
              "Shifting by a negative amount is unspecified by the standard (x2 must be >= 0); array-api-strict "
              "raises, array_api_jax computes a result."),
    Explained("partial-index", ("__getitem__", "__setitem__"),
              _only_strict("multi-axes index only specifies"),
              "A key with fewer single-axis expressions than dimensions is a NumPy-style partial index in "
              "array_api_jax (the missing axes are taken whole); the standard says 'should raise IndexError', "
              "array-api-strict raises."),
    Explained("advanced-index-superset", ("__getitem__", "__setitem__"),
              _only_strict("Integer index arrays are only allowed with integer indices|"
                           "multi-axes index only specifies|Integer index arrays are only allowed"),
              "Integer index arrays combined with slices (or non-default index dtypes) follow NumPy in "
              "array_api_jax; the standard specifies only integers and integer arrays, array-api-strict raises."),
    Explained("int-division-by-zero", ("floor_divide", "remainder"),
              lambda d: _only_where(d, lambda x1, x2, dt: x2 == 0),
              "Integer division or remainder by zero: the standard leaves the result unspecified (NumPy gives 0, "
              "XLA gives -1 or the dividend)."),
    Explained("int-negative-power", ("pow",),
              lambda d: (d.kind == "only strict raised" and "negative integer powers" in str(d.strict_exc))
              or _only_where(d, lambda x1, x2, dt: x2 < 0),
              "An integer raised to a negative integer power: unspecified by the standard; NumPy raises "
              "ValueError, XLA computes an integer result."),
    Explained("shift-out-of-range", ("bitwise_left_shift", "bitwise_right_shift"),
              lambda d: _only_where(d, lambda x1, x2, dt: (x2 < 0) | (x2 >= 8 * dt.itemsize)),
              "Shifting by a negative amount (or, in NumPy, by the bit width or more) is unspecified by the "
              "standard."),
    Explained("float-to-int-cast", ("astype",),
              _bad_cast,
              "Casting NaN, an infinity or an out-of-range float to an integer dtype is unspecified by the "
              "standard (XLA saturates, NumPy wraps or gives INT_MIN)."),
]


def explain(diff):
    for e in EXPLAINED:
        if (not e.ops or diff.step.op in e.ops) and e.match(diff):
            return e.key
    return None


# --- running programs --------------------------------------------------------------------------------------


def _call(step, ns, arrays):
    try:
        return step.run(ns, arrays), None
    except Exception as e:  # noqa: BLE001 - any exception is a result to compare
        return None, e


NORMALISED = {
    "numpy-views": "NumPy, and so array-api-strict, returns views from reshape, permute_dims, unstack, "
                   "broadcast_to, expand_dims, squeeze, flip, real/imag and others; in array_api_jax only basic "
                   "indexing returns views (the standard leaves copy-versus-view unspecified). The fuzzer copies "
                   "array-api-strict's results of everything but indexing, so writes are compared under one rule.",
    "zero-d-index-copy": "x[i, j] (integers only, a 0-D result) is a view in array_api_jax but a NumPy scalar, i.e. "
                         "a copy, in array-api-strict. The fuzzer copies array_api_jax's result in that case.",
}


def normalise_views(step, ours, strict):
    """Align copy-versus-view (which the standard leaves open) before the results join the program."""
    if step.op != "__getitem__":
        return ours, sx.asarray(strict, copy=True)
    if ours.ndim == 0 and "Ellipsis" not in step.text:
        return xp.asarray(ours, copy=True), strict
    return ours, strict


def run_step(env, step, stats):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, e1 = _call(step, xp, env.ours)
        strict, e2 = _call(step, sx, env.strict)
    stats["steps"] += 1
    per_op = stats.setdefault("per op", {}).setdefault(step.op, [0, 0, 0])  # compared, both raised, differences
    diffs = []
    if e1 is not None or e2 is not None:
        if e1 is None or e2 is None:
            kind = "only ours raised" if e2 is None else "only strict raised"
            exc = e1 or e2
            diffs.append(Diff(kind, step, f"{type(exc).__name__}: {exc}", e1, e2, list(env.log)))
            return diffs, False
        stats["both raised"] += 1
        per_op[1] += 1
        if type(e1) is not type(e2):
            stats["both raised, different types"] += 1
    else:
        r = compare(ours, strict, step)
        if r:
            diffs.append(Diff(r[0], step, r[1], program=list(env.log), values=r[2] if len(r) > 2 else None))
            return diffs, False
        stats["compared"] += 1
        per_op[0] += 1
        if step.keep:
            pairs = list(zip(ours, strict)) if isinstance(ours, tuple) else [(ours, strict)]
            for k, (o, s) in enumerate(pairs):
                if is_array(o) and is_array(s):
                    o, s = normalise_views(step, o, s)
                    env.add(o, s, step.text + (f"[{k}]" if isinstance(ours, tuple) else ""))
    # every array of the program, again: views see writes, failed mutations changed nothing
    for k, (o, s) in enumerate(zip(env.ours, env.strict)):
        r = compare(o, s, Step("program", "", None, tol="exact"), f"{env.names[k]} after the step")
        if r:
            values = r[2] if len(r) > 2 and k == step.info.get("target") else None  # the in-place target
            diffs.append(Diff(r[0], step, r[1], program=list(env.log), values=values))
            return diffs, False
    if not (step.keep and env.log and env.log[-1].endswith(step.text)):
        env.log.append(step.text)
    return diffs, True


def run_program(data, stats):
    data = Data(data)
    env = Env()
    for _ in range(data.draw(st.integers(1, 3))):
        host = data.draw(host_arrays(dtype=data.choice(DTYPES)))
        env.add(xp.asarray(host.copy()), sx.asarray(host.copy()), f"asarray({host!r})")
    found = []
    for _ in range(data.draw(st.integers(3, MAX_STEPS))):
        step = data.choice(STEPS)(data, env)
        if step is None:
            continue
        diffs, ok = run_step(env, step, stats)
        found.extend(diffs)
        if not ok:
            break
    stats["programs"] += 1
    return found


def run_fuzz(n_programs):
    stats = {"programs": 0, "steps": 0, "compared": 0, "both raised": 0, "both raised, different types": 0}
    found = []

    @settings(max_examples=n_programs, derandomize=True, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def programs(data):
        found.extend(run_program(data, stats))

    programs()
    return stats, found


def test_fuzz_against_array_api_strict():
    stats, found = run_fuzz(N_PROGRAMS)
    explained = {}
    unexplained = []
    for diff in found:
        key = explain(diff)
        if key:
            explained[key] = explained.get(key, 0) + 1
        else:
            unexplained.append(diff)
    per_op = stats.pop("per op", {})
    report = dict(stats, differences=len(found), explained=explained, unexplained=len(unexplained))
    print("\nfuzz:", json.dumps(report))
    if os.environ.get("FUZZ_REPORT"):
        pathlib.Path(os.environ["FUZZ_REPORT"]).write_text(json.dumps(
            dict(report, per_op=per_op, details=[d.describe() for d in unexplained]), indent=1))
    assert stats["programs"] >= min(N_PROGRAMS, 100) * 0.9
    assert not unexplained, (f"{len(unexplained)} unexplained differences in {stats['programs']} programs:\n\n"
                             + "\n\n".join(d.describe() for d in unexplained[:25]))


def test_every_explained_difference_is_in_the_docs():
    text = DOCS.read_text()
    for key in [e.key for e in EXPLAINED] + list(NORMALISED):
        assert f"| `{key}` |" in text, key


@pytest.mark.parametrize("step", [step_unary, step_binary, step_setitem, step_linalg, step_fft])
def test_a_single_step_kind_runs(step):
    """Each generator gives steps that run in both namespaces (a quick smoke test of the harness)."""

    @settings(max_examples=5, derandomize=True, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def one(data):
        data = Data(data)
        env = Env()
        host = data.draw(host_arrays(dtype=data.choice(DTYPES)))
        env.add(xp.asarray(host.copy()), sx.asarray(host.copy()), f"asarray({host!r})")
        s = step(data, env)
        if s is not None:
            run_step(env, s, {"steps": 0, "compared": 0, "both raised": 0, "both raised, different types": 0})

    one()


# --- bugs the fuzzer found, pinned (each was a difference from array-api-strict and from the standard) ----------

INF, NAN = math.inf, math.nan


def _c(re, im):
    return complex(re, im)


REGRESSIONS = [
    # can_cast and x[...] = array compared the promotion table's None with `==`, and np.dtype(None) is float64
    ("can_cast int64 -> float64", lambda: xp.can_cast(xp.int64, xp.float64), False),
    ("can_cast bool -> float64", lambda: xp.can_cast(xp.bool, xp.float64), False),
    # complex abs: an infinite component gives +inf even with a NaN component
    ("abs(-inf + nan j)", lambda: xp.abs(xp.asarray(_c(-INF, NAN))), INF),
    # all/any of complex numbers looked at the real part only
    ("all([-6j])", lambda: xp.all(xp.asarray([-6j])), True),
    ("any([-6j])", lambda: xp.any(xp.asarray([-6j])), True),
    # complex -> bool casts are allowed (0 + 0j is False); XLA's cast looked at the real part only
    ("astype([-6j, 0j], bool)", lambda: xp.astype(xp.asarray([-6j, 0j]), xp.bool), [True, False]),
    # branch cuts: the sign of a zero component (f(conj z) == conj(f(z)), f(-z) == -f(z) for odd f)
    ("acos(-2.5 - 0j)", lambda: xp.acos(xp.asarray(_c(-2.5, -0.0))), np.arccos(_c(-2.5, -0.0))),
    ("acosh(-0.5 - 0j)", lambda: xp.acosh(xp.asarray(_c(-0.5, -0.0))), np.arccosh(_c(-0.5, -0.0))),
    ("asin(2.5 - 0j)", lambda: xp.asin(xp.asarray(_c(2.5, -0.0))), np.arcsin(_c(2.5, -0.0))),
    ("asinh(-0 - 6j)", lambda: xp.asinh(xp.asarray(_c(-0.0, -6.0))), np.arcsinh(_c(-0.0, -6.0))),
    ("atanh(-2 - 0j)", lambda: xp.atanh(xp.asarray(_c(-2.0, -0.0))), np.arctanh(_c(-2.0, -0.0))),
    ("sqrt(-4 - 0j)", lambda: xp.sqrt(xp.asarray(_c(-4.0, -0.0))), _c(0.0, -2.0)),
    # special cases the standard defines through other functions (cos(x) as cosh(x*1j), log2 as log(x)/log(2))
    ("sqrt(nan + inf j)", lambda: xp.sqrt(xp.asarray(_c(NAN, INF))), _c(INF, INF)),
    ("cos(inf + 0j)", lambda: xp.cos(xp.asarray(_c(INF, 0.0))), _c(NAN, 0.0)),
    ("log2(inf + nan j)", lambda: xp.log2(xp.asarray(_c(INF, NAN))), _c(INF, NAN)),
    ("log10(nan + inf j)", lambda: xp.log10(xp.asarray(_c(NAN, INF))), _c(INF, NAN)),
]


@pytest.mark.parametrize("name, call, expected", REGRESSIONS, ids=[r[0] for r in REGRESSIONS])
def test_regressions_found_by_the_fuzzer(name, call, expected):
    got = call()
    got = to_host(got) if is_array(got) else got
    expected = np.asarray(expected)
    if expected.dtype.kind == "c":
        assert np.iscomplexobj(got)
        for part in (np.real, np.imag):
            np.testing.assert_allclose(part(got), part(expected), rtol=1e-12)  # NaN == NaN here
            assert np.all(np.isnan(part(expected)) | (np.signbit(part(got)) == np.signbit(part(expected))))
    else:
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("key", [xp.asarray([], dtype=xp.int64), xp.zeros((3,), dtype=xp.bool)])
def test_assignment_that_selects_nothing_still_checks_the_value_shape(key):
    """JAX skips its shape check when an index selects no element; we do not."""
    x = xp.asarray([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="__setitem__"):
        x[key] = xp.ones(2)
    x[key] = xp.ones(1)  # broadcastable to the (empty) selection: fine
    assert to_host(x).tolist() == [1.0, 2.0, 3.0]


def test_assigning_an_array_of_another_kind_into_a_float64_array_raises():
    x = xp.asarray([1.0, 2.0])
    with pytest.raises(TypeError, match="__setitem__"):
        x[...] = xp.asarray([1, 2])
    with pytest.raises(TypeError, match="__setitem__"):
        x[0] = xp.asarray(True)
    assert to_host(x).tolist() == [1.0, 2.0]


def test_can_cast_agrees_with_array_api_strict_on_every_pair():
    for a in DTYPES:
        for b in DTYPES:
            assert xp.can_cast(getattr(xp, a), getattr(xp, b)) == sx.can_cast(getattr(sx, a), getattr(sx, b)), (a, b)
