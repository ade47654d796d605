"""Random programs of standard operations for tests/test_fuzz.py (see its docstring).

Each ``step_*`` draws one operation and its arguments from the arrays of a program (``Env``); the test module
runs each step in array_api_jax and in array_api_strict and compares the results.
"""

import math
import operator
from dataclasses import dataclass, field

import array_api_strict as sx
import numpy as np
from hypothesis import strategies as st

import array_api_jax as xp
from array_api_jax._dtypes import CATEGORIES


MAX_STEPS = 7

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


def _two_operand_step(data, env, i, name, call, render):
    """x_i with a second array or a Python scalar, in either order: ``call(ns, a, b)``, shown as ``render(a, b)``."""
    other, text, d2 = _second_operand(data, env, i)
    is_index = d2 is not None
    swap = not is_index and data.draw(st.booleans())
    d1 = env.meta(i)[1]
    dtypes = (d1,) if d2 is None else (d1, d2)

    def run(ns, e):
        a, b = e[i], _operand(e, other, is_index)
        return call(ns, b, a) if swap else call(ns, a, b)

    line = render(text, _arr(i)) if swap else render(_arr(i), text)
    return Step(name, line, run, dtypes, "elementwise", _kept(name, dtypes),
                info={"scalar": None if is_index else other, "operands": _operands(env, i, other, is_index, swap)})


def step_binary(data, env):
    i = env.pick(data)
    names = _accepting(BINARY, env.meta(i)[1]) if data.draw(st.integers(0, 4)) else BINARY
    name = data.choice(names or BINARY)
    return _two_operand_step(data, env, i, name, lambda ns, a, b: getattr(ns, name)(a, b),
                             lambda a, b: f"{name}({a}, {b})")


def step_operator(data, env):
    i = env.pick(data)
    sym = data.choice(sorted(OPERATORS))
    f = OPERATORS[sym]
    return _two_operand_step(data, env, i, OP_FUNC[sym], lambda ns, a, b: f(a, b), lambda a, b: f"{a} {sym} {b}")


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
