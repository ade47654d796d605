"""The extras namespace, built from a table over jax.numpy.

Every public callable of a jax.numpy module is wrapped, except the names in that module's excluded table
(each with its reason). A wrapper converts its inputs by parameter (from jax.numpy's signature and
annotations: array-likes, sequences of array-likes, dtypes, user callbacks, anything else), calls the
jax.numpy function and wraps every array of the result as ``extras.ndarray``. Its signature is jax.numpy's
(NumPy's parameter names) without annotations, so ``inspect.signature`` and ``help`` show it.

Which converter each parameter gets is decided from jax.numpy's annotation text (``_converter``), so the
decisions are pinned in ``_converters.json`` (written by tools/stubs.py): the wrappers use the pinned table, and a
test regenerates it from the installed jax (``DECISIONS``), so a JAX upgrade that changes a decision fails that
test instead of silently changing behaviour.

Three small tables adjust the generic wrapper:
  ``CREATION``  results made from Python values take the project default dtypes (``_dtypes.DEFAULTS``)
  ``IN_PLACE``  NumPy modifies the first argument and returns None (jax.numpy returns a new array)
  ``_ARRAY_PARAMS``  unannotated parameters that are array-likes
"""

import inspect
import json
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from .. import _host, _sharding
from .._array import Array
from . import _host_twins
from ._ndarray import _NARROW as _WIDE
from ._ndarray import (dtype_arg, foreign_narrowed, host_array, narrowed, ndarray, to_callback, to_raw, to_raw_each,
                       unwrap, with_defaults, wrap)

P = inspect.Parameter

# --- the tables ---------------------------------------------------------------------------------------------

_STANDARD_DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                    "float32", "float64", "complex64", "complex128")

_EXCLUDED_GROUPS = {
    "a jax.numpy scalar type: extras exposes the strict namespace's dtype object of the same name instead":
        _STANDARD_DTYPES,
    "a scalar type or dtype class outside the 13 standard dtypes (or an abstract one): deliberately absent":
        ("bfloat16", "bool_", "cdouble", "complex_", "csingle", "double", "float_", "float16", "float4_e2m1fn",
         "float6_e2m3fn", "float6_e3m2fn", "float8_e3m4", "float8_e4m3", "float8_e4m3b11fnuz", "float8_e4m3fn",
         "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz", "float8_e8m0fnu", "int1", "int2", "int4", "int_",
         "single", "uint", "uint1", "uint2", "uint4", "character", "complexfloating", "flexible", "floating",
         "generic", "inexact", "integer", "number", "object_", "signedinteger", "unsignedinteger"),
    "NumPy's dtype class: use the dtype objects (bm.float32) or numpy.dtype": ("dtype",),
    "text or iterator input (jax.numpy's fromfile/fromiter only raise): read with NumPy, convert with bm.asarray":
        ("fromfile", "fromiter", "fromstring"),
    "printing: an ndarray prints through NumPy, so numpy.printoptions and numpy.array2string apply":
        ("array_repr", "array_str", "get_printoptions", "printoptions", "set_printoptions"),
    "jax.numpy's array class: extras.ndarray is the array type here": ("ndarray",),
    "builds jax.numpy ufunc objects whose results are raw jax arrays: use bm.vectorize": ("frompyfunc", "ufunc"),
    "a warning class, not a function": ("ComplexWarning",),
}
EXCLUDED = {name: reason for reason, names in _EXCLUDED_GROUPS.items() for name in names}

CREATION = frozenset(("arange", "bartlett", "blackman", "empty", "eye", "fftfreq", "fromfunction", "full",
                      "geomspace", "hamming", "hanning", "identity", "kaiser", "linspace", "logspace", "ones",
                      "rfftfreq", "tri", "zeros"))
IN_PLACE = frozenset(("fill_diagonal", "place", "put", "put_along_axis"))
_ARRAY_PARAMS = {"where": ("condition", "x", "y"), "cross": ("a", "b"), "einsum": ("operands",),
                 "einsum_path": ("operands",), "isneginf": ("x",), "isposinf": ("x",)}
_HOST_PARAMS = {"array": "object", "asarray": "a"}  # Python values take NumPy's inference + project defaults

# ndarray methods that are the jax.numpy function of the same name with the array first; in-place ones
# (NumPy sorts, partitions and puts in place) return None
_METHODS = ("all", "any", "argmax", "argmin", "argpartition", "argsort", "choose", "clip", "conj", "conjugate",
            "cumprod", "cumsum", "diagonal", "dot", "max", "mean", "min", "nonzero", "prod", "ravel", "repeat",
            "round", "searchsorted", "squeeze", "std", "sum", "swapaxes", "take", "trace", "var")
_IN_PLACE_METHODS = ("sort", "partition", "put")


# --- the wrapper ----------------------------------------------------------------------------------------------


def _to_host_raw(x, func):
    if type(x) in (bool, int, float, complex, list, tuple):
        return host_array(x, func)
    return to_raw(x, func)


def _converter(func, param):
    """How a wrapper converts one argument, from the parameter's name and jax.numpy's annotation."""
    name = param.name
    if name in _ARRAY_PARAMS.get(func, ()):
        return to_raw
    if _HOST_PARAMS.get(func) == name:
        return _to_host_raw
    if name in ("dtype", "preferred_element_type"):
        return dtype_arg
    ann = "" if param.annotation is P.empty else str(param.annotation)
    if "Callable" in ann or name == "pyfunc":
        return to_callback
    if "Sequence[ArrayLike]" in ann or "Sequence[typing.Union[jax" in ann:
        return to_raw_each
    if any(t in ann for t in ("Sequence", "list[", "tuple[", "Shape")):
        return unwrap
    if "ArrayLike" in ann or "numpy.ndarray" in ann:
        return to_raw
    return unwrap


_CONVERTERS = {f.__name__: f for f in (to_raw, _to_host_raw, dtype_arg, to_callback, to_raw_each, unwrap)}
# module -> wrapper name -> parameter -> converter name: the pinned decisions, and those the installed jax gives
PINNED = json.loads(Path(__file__).with_name("_converters.json").read_text())
DECISIONS: dict[str, dict[str, dict[str, str]]] = {}


def _converters(module, name, params):
    """parameter -> converter for one wrapper: the pinned decisions (new names: the rule's), recording the rule's."""
    decided = {p.name: _converter(name, p).__name__ for p in params}
    DECISIONS.setdefault(module, {})[name] = decided
    pinned = PINNED.get(module, {}).get(name, {})
    return {p: _CONVERTERS[pinned.get(p, c)] for p, c in decided.items()}


def _parameters(jfunc):
    """jax.numpy's parameters (private ones dropped); a ufunc gets NumPy's x / x1, x2 names."""
    if isinstance(jfunc, jnp.ufunc):
        names = ["x"] if jfunc.nin == 1 else [f"x{i + 1}" for i in range(jfunc.nin)]
        return ([P(n, P.POSITIONAL_ONLY, annotation="ArrayLike") for n in names]
                + [P("out", P.KEYWORD_ONLY, default=None), P("where", P.KEYWORD_ONLY, default=None)])
    return [p for p in inspect.signature(jfunc).parameters.values() if not p.name.startswith("_")]


def _apply_defaults(out):
    """Creation results that jax.numpy gives x64 defaults (int64/float64/complex128) take the project's."""
    if isinstance(out, tuple):
        return tuple(_apply_defaults(o) for o in out)
    target = with_defaults(out.dtype)
    return out if target == out.dtype else out.astype(target)


def _asks_64(x):
    """Whether an input is a 64-bit array or dtype (its result may be 64-bit, as in BrainPy with enable_x64)."""
    if type(x) in (list, tuple):
        return any(_asks_64(e) for e in x)
    dt = x if isinstance(x, np.dtype) else getattr(x, "dtype", None)
    return isinstance(dt, np.dtype) and narrowed(dt) is not None


def _narrow_result(out, raw, kw):
    """A 64-bit result that no input asked for is 32-bit while extras' defaults are (BrainPy's 32-bit JAX): sums of
    int32 arrays, argmax, nonzero and the mean of integers give int32/float32. Checks the inputs only when the
    result is 64-bit."""
    if type(out) is np.ndarray and out.dtype not in _WIDE:  # the common case first
        return out
    items = out if isinstance(out, tuple) else (out,)
    if (not any(isinstance(o, (jax.Array, np.ndarray)) and narrowed(o.dtype) is not None for o in items)
            or _asks_64(raw) or _asks_64(list(kw.values()))):
        return out
    if not isinstance(out, tuple):
        return foreign_narrowed(out)
    narrowed_items = [foreign_narrowed(o) for o in out]
    # named tuples (unique_all) stay named
    return type(out)(*narrowed_items) if hasattr(out, "_fields") else tuple(narrowed_items)


def jnp_function(name, jfunc, module="array_api_jax.extras", method=False, in_place=False):
    """The NumPy-style wrapper of one jax.numpy function (a method of ndarray when ``method``)."""
    params = _parameters(jfunc)
    convs = _converters(module + (".ndarray" if method else ""), name, params)
    positional = [convs[p.name] for p in params if p.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD)]
    var = next((convs[p.name] for p in params if p.kind is P.VAR_POSITIONAL), unwrap)
    n = len(positional)
    pass_inplace = "inplace" in convs
    names = [p.name for p in params]
    dtype_pos = names.index("dtype") if name in CREATION and "dtype" in names[:n] else None

    def convert(args, kwargs):
        raw = [c(a, name) for c, a in zip(positional, args)]
        if len(args) > n:
            raw += [var(a, name) for a in args[n:]]
        return raw, {k: convs.get(k, unwrap)(v, name) for k, v in kwargs.items()} if kwargs else kwargs

    rule = _sharding.matmul if name == "matmul" else None  # on meshes with Explicit axes, the core's rules

    if in_place:
        def func(*args, **kwargs):
            raw, kw = convert(args, kwargs)
            if pass_inplace:
                kw["inplace"] = False
            target = args[0] if args else kwargs[names[0]]
            new = _sharding.call_any(jfunc, raw, kw, _sharding.own)
            _assign_in_place(name, new, target)
    elif name in CREATION:
        def func(*args, **kwargs):
            raw, kw = convert(args, kwargs)
            out = None
            if _host.ENABLED[0] and _host.place() and not _host_twins.jax_args(raw, kw):  # a host value
                out = _host_twins.call(name, jfunc, raw, kw, with_defaults)
            if out is None:
                out = jfunc(*raw, **kw)
            if kwargs.get("dtype") is None and (dtype_pos is None or len(args) <= dtype_pos or args[dtype_pos] is None):
                out = _apply_defaults(out)
            return wrap(out, name)
    elif name == "load":  # a .npy file's 64-bit data as asarray converts it (BrainPy: float32)
        def func(*args, **kwargs):
            raw, kw = convert(args, kwargs)
            return wrap(foreign_narrowed(jfunc(*raw, **kw)), name)
    else:
        def func(*args, **kwargs):
            raw, kw = convert(args, kwargs)
            if _host_twins.host_args(raw, kw):  # NumPy's twin, where it has one (see _host_twins)
                out = _host_twins.call(name, jfunc, raw, kw, with_defaults)
                if out is not None:
                    return wrap(_narrow_result(out, raw, kw), name)
            return wrap(_narrow_result(_sharding.call_any(jfunc, raw, kw, rule), raw, kw), name)

    shown = [p.replace(annotation=P.empty) for p in params if not (in_place and p.name == "inplace")]
    if method:
        shown[0] = shown[0].replace(name="self")
    func.__signature__ = inspect.Signature(shown)  # type: ignore[attr-defined]  # a function takes any attribute
    func.__name__ = name
    func.__qualname__ = f"ndarray.{name}" if method else name
    func.__module__ = module
    doc = (jfunc.__doc__ or "").strip()
    summary = doc.splitlines()[0] if doc else f"NumPy's {name}."
    for jax_words in ("a JAX array", "JAX array", "jax.Array"):  # jax.numpy's words for its result
        summary = summary.replace(jax_words, "an extras.ndarray" if jax_words.startswith("a ") else "extras.ndarray")
    returns = ("Modifies its first argument in place and returns None (as NumPy)." if in_place else
               "Returns an ``extras.ndarray`` (a tuple or list of them where jax.numpy returns several arrays; "
               "non-array results as jax.numpy gives them).")
    func.__doc__ = (f"{summary}\n\n{returns}\n\nNumPy-style wrapper of ``{jfunc.__module__}.{jfunc.__name__}``: "
                    "inputs may be arrays, NumPy arrays, nested lists or Python scalars.")
    return func


def _assign_in_place(name, new, target):
    if not isinstance(target, Array):
        raise TypeError(f"{name}: modifies its first argument in place (as NumPy), so it must be an array, got "
                        f"{type(target).__name__}; use jax.numpy.{name}(..., inplace=False) for a new array")
    target._assign(new.astype(target.dtype))


def public_callables(module):
    return sorted(n for n in dir(module) if not n.startswith("_") and callable(getattr(module, n)))


def export(module, excluded, module_name):
    """name -> wrapper for every public callable of ``module`` except the ``excluded`` names."""
    return {name: jnp_function(name, getattr(module, name), module_name, in_place=name in IN_PLACE)
            for name in public_callables(module) if name not in excluded}


def _asarray_keeping_ndarrays(generic):
    """NumPy's asarray returns an ndarray argument itself when nothing changes, so writes reach the argument."""
    signature = generic.__signature__

    def asarray(*args, **kwargs):
        if len(args) == 1 and not kwargs and type(args[0]) is ndarray:
            return args[0]
        given = signature.bind(*args, **kwargs).arguments
        a = given["a"]
        if (type(a) is ndarray and not given.get("copy") and set(given) <= {"a", "dtype", "order", "copy"}
                and dtype_arg(given.get("dtype"), "asarray") in (None, a.dtype)):
            return a
        return generic(*args, **kwargs)

    asarray.__signature__, asarray.__doc__ = signature, generic.__doc__  # type: ignore[attr-defined]  # function attribute
    asarray.__module__, asarray.__name__, asarray.__qualname__ = generic.__module__, "asarray", "asarray"
    return asarray


def _narrowing_foreign_data(generic, param):
    """``array``/``asarray`` without ``dtype``: a 64-bit NumPy or jax array becomes its 32-bit counterpart while
    extras' defaults are 32-bit (``bm.asarray(np.load(f))`` is float32, as in BrainPy, whose JAX runs in 32-bit
    mode); extras arrays keep their dtype."""
    signature = generic.__signature__

    def func(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        data = bound.arguments[param]
        if bound.arguments.get("dtype") is None and not isinstance(data, Array):
            narrow = foreign_narrowed(data)
            if narrow is not data:
                bound.arguments[param] = narrow
                return generic(*bound.args, **bound.kwargs)
        return generic(*args, **kwargs)

    func.__signature__, func.__doc__ = signature, generic.__doc__  # type: ignore[attr-defined]  # a function attribute
    func.__module__, func.__name__, func.__qualname__ = generic.__module__, generic.__name__, generic.__qualname__
    return func


class IndexGrid:
    """A jax.numpy index trick (``mgrid``, ``ogrid``, ``r_``, ``c_``) whose results are ndarrays."""

    def __init__(self, name):
        self._name = name
        self._trick = getattr(jnp, name)

    def __getitem__(self, key):
        return wrap(self._trick[unwrap(key)], self._name)

    def __repr__(self):
        return f"array_api_jax.extras.{self._name}"


# --- the namespace ----------------------------------------------------------------------------------------

# kept in a dict (not this module's globals) so that wrapped names such as ``any`` never shadow builtins here
NAMESPACE = export(jnp, EXCLUDED, "array_api_jax.extras")
NAMESPACE.update({name: _narrowing_foreign_data(NAMESPACE[name], param) for name, param in _HOST_PARAMS.items()})
NAMESPACE["asarray"] = _asarray_keeping_ndarrays(NAMESPACE["asarray"])
NAMESPACE.update({name: IndexGrid(name) for name in ("mgrid", "ogrid", "r_", "c_")},
                 s_=jnp.s_, index_exp=jnp.index_exp, euler_gamma=jnp.euler_gamma)

for _name in _METHODS:
    setattr(ndarray, _name, jnp_function(_name, getattr(jnp, _name), method=True))
for _name in _IN_PLACE_METHODS:
    setattr(ndarray, _name, jnp_function(_name, getattr(jnp, _name), method=True, in_place=True))
ndarray.flatten = jnp_function("flatten", jnp.ravel, method=True)  # type: ignore[attr-defined]
