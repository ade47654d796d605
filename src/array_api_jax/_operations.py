"""The raw-value layer of the element-wise functions, matmul and the Array operators (no Array class here).

For each element-wise function an ``Operation``: its checked function (dtype and shape checks, then the
computation, traced once per input signature), its kernel, its host (NumPy) twin and ``raw``, which takes the
operands (Arrays or Python scalars) and returns a raw value. ``_elementwise`` makes the public functions of
them and ``_array`` the operators, from ``OPERATORS``: one table, matmul and the unary and comparison operators
included. The Array class reaches this layer only as an argument (``cls``) or as ``_validate.ArrayBase``, so this
module sits below ``_array`` in the import graph.
"""

import functools
import sys
from typing import Any

import jax
import numpy as np
from jax import lax

from . import _dtypes, _host, _indexing, _sharding, _special_cases, _validate
from ._dispatch import Tracer, call, kernel, without_jax_note
from ._host import HostArray
from ._special_cases import HOST, JAX

# dunder stem -> (element-wise function, forms): "binary" has the forward, reflected and in-place forms,
# "comparison" the forward one only, "unary" takes no operand. The operators of ``Array`` are these lines.
OPERATORS = {
    "add": ("add", "binary"), "sub": ("subtract", "binary"), "mul": ("multiply", "binary"),
    "truediv": ("divide", "binary"), "floordiv": ("floor_divide", "binary"), "mod": ("remainder", "binary"),
    "pow": ("pow", "binary"), "matmul": ("matmul", "binary"), "and": ("bitwise_and", "binary"),
    "or": ("bitwise_or", "binary"), "xor": ("bitwise_xor", "binary"), "lshift": ("bitwise_left_shift", "binary"),
    "rshift": ("bitwise_right_shift", "binary"),
    "eq": ("equal", "comparison"), "ne": ("not_equal", "comparison"), "lt": ("less", "comparison"),
    "le": ("less_equal", "comparison"), "gt": ("greater", "comparison"), "ge": ("greater_equal", "comparison"),
    "abs": ("abs", "unary"), "neg": ("negative", "unary"), "pos": ("positive", "unary"),
    "invert": ("bitwise_invert", "unary"),
}


class Operation:
    """One function's raw-value layer. ``_checked``, ``_kernel`` and ``_host`` keep the names that deferred
    predicates (``Array._pending``) are read by in ``where`` and the reductions."""

    __slots__ = ("name", "category", "arity", "_checked", "_kernel", "_host", "raw", "in_place")

    def __init__(self, name, category, arity, checked, k, host, raw):
        self.name, self.category, self.arity = name, category, arity
        self._checked, self._kernel, self._host, self.raw = checked, k, host, raw
        # (kernel, host) of ``x1 op= x2``, for the operators; set by ``_in_place``
        self.in_place: tuple[Any, Any] | None = None

    def __repr__(self):
        return f"<operation {self.name}>"


BY_NAME = {}


# Deferred predicates. A comparison or an is* test on concrete arrays of up to _DEFER_MAX_SIZE elements returns
# an Array whose value is not computed yet (``Array._pending``): ``where`` and the reductions that accept bool
# (any, all, count_nonzero) trace the predicate into their own kernel, so ``where(x > 0, x, 0)`` or
# ``any(isnan(x))`` is one kernel call instead of two; any other use computes the value then. The operands'
# dtypes, shapes and devices are checked at the call, so errors are raised where they are made; the operand
# values are immutable jax arrays, so later writes to the operands do not change the result. Traced values are
# computed at once.

DEFERRED = frozenset({"equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
                      "isfinite", "isinf", "isnan"})
_DEFER_MAX_SIZE = 1 << 16  # beyond this the call overhead saved is negligible, and the operands stay alive
# Computed at once: traced values, and the NumPy values that stand for NaN and complex Python scalars
_COMPUTED_NOW = (Tracer, np.ndarray)


@functools.lru_cache(maxsize=1024)
def _deferrable(op, *avals):
    """Check ``op``'s operands by tracing its kernel (raising its errors); whether the result may be deferred."""
    jax.eval_shape(op._checked, *(jax.ShapeDtypeStruct(a.shape, a.dtype, weak_type=a.weak_type) for a in avals))
    return all(a.size <= _DEFER_MAX_SIZE for a in avals)


def defer(cls, op, values):
    """The ``cls`` Array of ``op`` on raw ``values`` (already checked to share a device): deferred when concrete
    and small. Host values are computed at once: a NumPy call costs less than deferring it.
    """
    try:  # one and two values unrolled: the calls are on the eager hot path, where a generator costs 0.3 µs
        if len(values) == 2:
            v1, v2 = values
            if type(v1) is HostArray and type(v2) is HostArray:
                return cls._new(op._host(v1, v2))
            if (not isinstance(v1, _COMPUTED_NOW) and not isinstance(v2, _COMPUTED_NOW)
                    and _deferrable(op, v1.aval, v2.aval)):
                return cls._deferred(op, values)
        elif len(values) == 1:
            if type(values[0]) is HostArray:
                return cls._new(op._host(values[0]))
            if not isinstance(values[0], _COMPUTED_NOW) and _deferrable(op, values[0].aval):
                return cls._deferred(op, values)
        elif all(type(v) is HostArray for v in values):
            return cls._new(op._host(*values))
        elif not any(isinstance(v, _COMPUTED_NOW) for v in values) and _deferrable(op, *(v.aval for v in values)):
            return cls._deferred(op, values)
        return cls._new(op._kernel(*values))
    except Exception as e:
        without_jax_note(e)
        raise


def compare(cls, op, x1, x2):
    """A comparison of two operands as a (possibly deferred) ``cls`` Array: ``less(x1, x2)`` and ``x1 < x2``."""
    if (type(x1) is cls and type(x2) is cls and x1._base is None and x2._base is None
            and not _validate._MULTI_DEVICE[0]):
        return defer(cls, op, (x1._value, x2._value))
    return defer(cls, op, _validate.operand_values(x1, x2, op.name))


# Predicates combine: ``&``, ``|``, ``^``, ``~`` and the logical functions with a deferred operand give a deferred
# result that applies the operator to its parts' results, so ``where((x > a) & (x < b), x, 0)`` stays one kernel
# call. A combined predicate is cached by its operator and parts; past _MAX_COMBINED_VALUES operand values the
# operands are computed instead.

COMBINING = frozenset({"bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_invert",
                       "logical_and", "logical_or", "logical_xor", "logical_not"})
_MAX_COMBINED_VALUES = 8


class _Computed:
    """The part of a combined predicate that is an array computed already: its value as it is."""

    @staticmethod
    def _checked(value):
        return value


class _Combined:
    """A predicate made of others: a traced function and its kernel, as the element-wise functions have."""

    __slots__ = ("_checked", "_kernel")

    def __init__(self, checked):
        self._checked = checked
        self._kernel = kernel(checked)


@functools.lru_cache(maxsize=256)
def _combined(op, parts):
    """``op`` applied to the results of ``parts``, a tuple of (predicate, number of its operand values)."""
    def checked(*values):
        results, start = [], 0
        for part, n in parts:
            results.append(part._checked(*values[start:start + n]))
            start += n
        return op._checked(*results)
    return _Combined(checked)


def combine(cls, op, operands):
    """``op`` on ``cls`` Arrays of which one at least is deferred, as a deferred Array; None when it would grow
    too big."""
    parts, values = [], []
    for x in operands:
        if x._pending is None:
            parts.append((_Computed, 1))
            values.append(x._value if x._base is None else x._data())
        else:
            parts.append((x._pending[0], len(x._pending[1])))
            values.extend(x._pending[1])
    if len(values) > _MAX_COMBINED_VALUES:
        return None
    if _validate._MULTI_DEVICE[0]:
        _validate.devices_of(values, op.name)
    return defer(cls, _combined(op, tuple(parts)), tuple(values))


def _result_dtype(checked, *dtypes):
    """The result dtype ``checked`` gives for operands of ``dtypes`` (traced once per signature)."""
    return jax.eval_shape(checked, *(jax.ShapeDtypeStruct((), d) for d in dtypes)).dtype


quiet_set, quiet_reset, quiet = _host.QUIET


def _host_result(out, dt):
    if type(out) is not HostArray:
        out = np.asarray(out)
    if out.dtype != dt:
        out = out.astype(dt)
    return out


# Checks that depend only on dtypes and shapes run inside the kernel, when JAX traces it: once per input
# signature, after which JAX's compiled-call cache answers without running any Python. Eager calls then cost
# one kernel call plus the Array wrapper; a failed check raises before anything is computed.
# The element-wise paths (raw below, defer above, the public functions' fast path in _elementwise) call their
# kernels in a try block of their own instead of through _dispatch.call: they are the hottest code of the
# package, where the extra call costs about 0.1 µs of a 6 µs operation.


def unary(name, cat):
    cats = _dtypes.CATEGORIES[cat]
    complete = _special_cases.implementation(name, JAX)
    host_complete = _special_cases.implementation(name, HOST)

    def checked(x):
        if x.dtype not in cats:
            raise TypeError(f"{name}: x has dtype {x.dtype}, but {name} accepts only {cat} dtypes")
        return complete(x)

    k = kernel(checked)
    result_dtypes = {}
    hot = name in _host.XLA_FASTER

    def host(x):
        dt = result_dtypes.get(x.dtype)
        if dt is None:
            if x.dtype not in cats:
                raise TypeError(f"{name}: x has dtype {x.dtype}, but {name} accepts only {cat} dtypes")
            dt = result_dtypes[x.dtype] = _result_dtype(checked, x.dtype)
        token = quiet_set(quiet)  # _host.quiet, inline
        try:
            out = host_complete(x)
        finally:
            quiet_reset(token)
        return _host_result(out, dt)

    def raw(x):
        if not isinstance(x, _validate.ArrayBase):
            raise TypeError(f"{name}: x must be an array, got {type(x).__name__}")
        v = x._value if x._base is None else x._data()
        if type(v) is HostArray:
            if hot and v.size >= _host.HOT_MIN_SIZE:
                return _host.engine(name, k, host, v)
            return host(v)
        try:
            return k(v)
        except Exception as e:
            without_jax_note(e)
            raise

    BY_NAME[name] = op = Operation(name, cat, 1, checked, k, host, raw)
    return op


def _binary_checked(name, cat, impl, convert=lax.convert_element_type):
    """``impl`` on two raw operands promoted to the standard's result dtype.

    Dtype and shape checks: at trace time for kernels, on every call for host values (``convert`` is then
    NumPy's astype).
    """
    cats = _dtypes.CATEGORIES[cat]

    def checked(a, b):
        d1, d2 = a.dtype, b.dtype
        dt = d1 if d1 == d2 else _dtypes.promote(d1, d2, name)
        if a.shape != b.shape:
            _validate.broadcast_shapes(a.shape, b.shape, func=name)
        if d1 not in cats or d2 not in cats:
            bad, arg = (d1, "x1") if d1 not in cats else (d2, "x2")
            raise TypeError(f"{name}: {arg} has dtype {bad}, but {name} needs {cat} dtypes")
        return impl(a if d1 == dt else convert(a, dt), b if d2 == dt else convert(b, dt))

    return checked


def _host_convert(value, dtype):
    return value.astype(dtype)


def binary(name, cat):
    checked = _binary_checked(name, cat, _special_cases.implementation(name, JAX))
    host_checked = _binary_checked(name, cat, _special_cases.implementation(name, HOST), _host_convert)
    k = kernel(checked)
    operand_values = _validate.operand_values
    result_dtypes = {}

    def host(v1, v2):
        token = quiet_set(quiet)  # _host.quiet, inline
        try:
            out = host_checked(v1, v2)
        finally:
            quiet_reset(token)
        key = (v1.dtype, v2.dtype)
        dt = result_dtypes.get(key)
        if dt is None:
            dt = result_dtypes[key] = _result_dtype(checked, *key)
        return _host_result(out, dt)

    hot = name in _host.XLA_FASTER

    def raw(x1, x2, k=k, host=host):
        v1, v2 = operand_values(x1, x2, name)
        if type(v1) is HostArray and type(v2) is HostArray:
            if hot and (v1.size >= _host.HOT_MIN_SIZE or v2.size >= _host.HOT_MIN_SIZE):
                return _host.engine(name, k, host, v1, v2)
            return host(v1, v2)
        try:
            return k(v1, v2)
        except Exception as e:
            without_jax_note(e)
            raise

    BY_NAME[name] = op = Operation(name, cat, 2, checked, k, host, raw)
    return op


for _declared in _special_cases.DECLARED.values():  # the declarations, with their bodies, in _special_cases
    (unary if _declared.arity == 1 else binary)(_declared.name, _declared.category)


# pow with a Python int exponent is repeated multiplication (lax.integer_pow), as in jax.numpy.
_integer_pow = kernel(lambda x, *, n: lax.integer_pow(x, n), static=("n",))


def _pow_raw(x1, x2, k=None, host=None, _generic=BY_NAME["pow"].raw):
    if type(x2) is int and isinstance(x1, _validate.ArrayBase):
        v = x1._data()
        if v.dtype in _dtypes.FLOATING or (v.dtype in _dtypes.INTEGER and x2 >= 0):
            _validate.scalar_dtype(x2, v.dtype, "pow", "x2")  # the standard's scalar rules (bounds)
            if type(v) is HostArray:
                return _host_result(_host.quiet(np.power, v, x2), v.dtype)
            return _integer_pow(v, n=x2)
    return _generic(x1, x2) if k is None else _generic(x1, x2, k, host)


BY_NAME["pow"].raw = _pow_raw


# --- matmul (the operator ``@``) ------------------------------------------------------------------------------


def _matmul_checked(m, a, b):
    for arg, v in (("x1", a), ("x2", b)):
        _validate.category(v.dtype, "numeric", "matmul", arg)
    dt = a.dtype if a.dtype == b.dtype else _dtypes.promote(a.dtype, b.dtype, "matmul")
    s1, s2 = a.shape, b.shape
    if not s1 or not s2:
        raise ValueError("matmul: x1 and x2 must have at least one dimension (use multiply for scalars)")
    k2 = s2[-2] if len(s2) > 1 else s2[0]
    if s1[-1] != k2:
        raise ValueError(f"matmul: shapes {s1} and {s2} are not aligned ({s1[-1]} != {k2})")
    if len(s1) > 2 or len(s2) > 2:
        _validate.broadcast_shapes(s1[:-2], s2[:-2], func="matmul")
    return m.matmul_in(a, b, dt)


_matmul = kernel(_matmul_checked, sharding=_sharding.matmul)


def _matmul_raw(x1, x2, k=_matmul, host=None):
    v1 = _validate.array(x1, "matmul", "x1")
    v2 = _validate.array(x2, "matmul", "x2")
    v1 = v1._value if v1._base is None else v1._data()
    v2 = v2._value if v2._base is None else v2._data()
    if _validate._MULTI_DEVICE[0]:
        _validate.same_device(v1, v2, "matmul")
    return call(k, v1, v2)


BY_NAME["matmul"] = Operation("matmul", "numeric", 2, functools.partial(_matmul_checked, JAX), _matmul,
                               _matmul.host, _matmul_raw)


# --- the public functions ---------------------------------------------------------------------------------
# One form per kind of operation, for the Array class ``cls`` (``_elementwise`` names and exports them): computed
# (the plain form), deferred (comparisons and is* tests, above) and combining (the bitwise and logical functions,
# which fold deferred operands). They are made here, beside the host twins and kernels they call, so that an
# eager call stays in this module but for the Array constructor.


def _unary_computed(op, cls):
    raw, new = op.raw, cls._new
    ufunc = UNARY_INTO.get(op.name)
    temporary_references = _indexing.ARGUMENT_TEMPORARY_REFERENCES if ufunc is not None else None
    engine = (op.name, op._kernel) if op.name in _host.XLA_FASTER else None

    def func(x, /):
        if temporary_references is not None and sys.getrefcount(x) == temporary_references:
            out = _indexing.unary_into_temporary(x, cls, ufunc, engine)
            if out is not None:
                return out  # a temporary (``xp.exp(x - m)``): its buffer holds the result, unless XLA computed it
        return new(raw(x))
    return func


def _unary_deferred(op, cls):
    name = op.name

    def func(x, /):
        if not isinstance(x, cls):
            raise TypeError(f"{name}: x must be an array, got {type(x).__name__}")
        return defer(cls, op, (x._value if x._base is None else x._data(),))
    return func


def _unary_combining(op, cls):
    computed = _unary_computed(op, cls)

    def func(x, /):
        if type(x) is cls and x._pending is not None:
            out = combine(cls, op, (x,))
            if out is not None:
                return out
        return computed(x)
    return func


def _binary_computed(op, cls):
    name, raw, k, host = op.name, op.raw, op._kernel, op._host
    new = cls._new
    multi_device = _validate._MULTI_DEVICE
    # large host values of an operation the engine may move to XLA go through raw, which asks the engine
    small = _host.HOT_MIN_SIZE if name in _host.XLA_FASTER else float("inf")

    def func(x1, x2, /):
        if (type(x1) is cls and type(x2) is cls and x1._base is None and x2._base is None
                and not multi_device[0]):  # the common case, without the calls of the general path
            v1, v2 = x1._value, x2._value
            if type(v1) is HostArray and type(v2) is HostArray:
                if v1.size < small and v2.size < small:
                    return new(host(v1, v2))
                return new(raw(x1, x2))
            try:  # _dispatch.call inlined on the hot path (see above)
                return new(k(v1, v2))
            except Exception as e:
                without_jax_note(e)
                raise
        return new(raw(x1, x2))
    return func


def _binary_raw(op, cls):  # pow: a Python int exponent takes raw's integer_pow path
    raw, new = op.raw, cls._new

    def func(x1, x2, /):
        return new(raw(x1, x2))
    return func


def _binary_deferred(op, cls):
    def func(x1, x2, /):
        return compare(cls, op, x1, x2)
    return func


def _binary_combining(op, cls):
    computed = _binary_computed(op, cls)

    def func(x1, x2, /):
        if type(x1) is cls and type(x2) is cls and (x1._pending is not None or x2._pending is not None):
            out = combine(cls, op, (x1, x2))
            if out is not None:
                return out
        return computed(x1, x2)
    return func


def public_function(op, cls):
    """The public function of the element-wise operation ``op``, returning ``cls`` Arrays."""
    name = op.name
    if op.arity == 1:
        form = _unary_deferred if name in DEFERRED else _unary_combining if name in COMBINING else _unary_computed
    else:
        form = (_binary_raw if name == "pow" else _binary_deferred if name in DEFERRED
                else _binary_combining if name in COMBINING else _binary_computed)
    return form(op, cls)


# --- in-place forms: one rule for every operator ------------------------------------------------------------


def _matmul_in_place(m, a, b, *, name):
    """``a @= b``: the result keeps a's dtype, shape and sharding."""
    return m.sharded_like(_matmul_in_place_checked(m, name)(a, b), a)


@functools.lru_cache(maxsize=None)  # made once per module and name, not on every host call
def _matmul_in_place_checked(m, name):
    return _in_place_checked(functools.partial(_matmul_checked, m), name)


def _in_place_checked(checked, name):
    """``checked`` for ``x1 op= x2``: the result must keep x1's dtype and shape (checked at trace time for
    kernels; for host values, on every call)."""
    def in_place(a, b):
        out = checked(a, b)
        if out.dtype != a.dtype:
            raise TypeError(f"{name}: the result dtype {out.dtype} (of other with dtype {b.dtype}) differs from the "
                            f"array's dtype {a.dtype}; use the out-of-place operator")
        if out.shape != a.shape:
            raise ValueError(f"{name}: the result shape {out.shape} (other has shape {b.shape}) differs from the "
                             f"array's shape {a.shape}; use the out-of-place operator")
        return out
    return in_place


for _stem, (_name, _forms) in OPERATORS.items():
    if _forms == "binary":
        _op = BY_NAME[_name]
        if _name == "matmul":  # a kernel over m: its host form checks inside the twin
            _op.in_place = (kernel(functools.partial(_matmul_in_place, name=f"__i{_stem}__"),
                                   sharding=_sharding.own), None)
        else:
            _op.in_place = (kernel(_sharding.keeping(_in_place_checked(_op._checked, f"__i{_stem}__")),
                                   sharding=_sharding.own),
                            _in_place_checked(_op._host, f"__i{_stem}__"))


def _same_dtype(dtypes):
    """The operand of ``x op= y`` for an operator whose host computation is a NumPy ufunc: y's host value where it
    has x's dtype (a Python scalar's does), one of ``dtypes``, and broadcasts to x's shape; else None."""
    def operand(root, value, other, name):
        v2 = _validate.operand_values(root, other, name)[1]  # raises as the operator's own path would
        if (type(v2) is not HostArray or v2.dtype != value.dtype or value.dtype not in dtypes
                or len(v2.shape) > value.ndim
                or any(n != 1 and n != t for n, t in zip(reversed(v2.shape), reversed(value.shape)))):
            return None
        return v2
    return operand


def _int_exponent(root, value, other, name):
    """The operand of ``x **= n`` for a Python int n, which ``_pow_raw`` computes as ``np.power(x, n)``."""
    if type(other) is int and (value.dtype in _dtypes.FLOATING or value.dtype in _dtypes.INTEGER and other >= 0):
        _validate.scalar_dtype(other, value.dtype, "pow", "x2")  # the standard's scalar rules (bounds)
        return other
    return None


# ``x op= y`` on a host value that the array alone holds computes into its own buffer (``_indexing.compute_into``),
# as NumPy's in-place operators do, where the operator's host computation is NumPy's ufunc itself: the operators
# whose declaration names a ufunc and that no special case or engine changes, and ``**`` with a Python int
# exponent. name -> (ufunc, the operand function: the operand, or None where the ufunc is not the computation)
INTO = {name: (impl, _same_dtype(_dtypes.CATEGORIES[BY_NAME[name].category])) for name, forms in OPERATORS.values()
        if forms == "binary" and name in _special_cases.DECLARED and name not in _host.XLA_FASTER
        and isinstance(impl := _special_cases.implementation(name, HOST), np.ufunc)}
INTO["pow"] = (np.power, _int_exponent)


# declarations by a body of their own whose host computation on real values is NumPy's ufunc (their other
# branches are complex; tests/test_temporaries.py checks each against the host path)
_REAL_BRANCH_UFUNCS = {"abs": np.abs, "expm1": np.expm1, "log1p": np.log1p, "sinh": np.sinh, "cosh": np.cosh}


def _real_floating_ufunc(name):
    """NumPy's ufunc that computes the element-wise function ``name`` on a real floating host value, into a buffer
    of its dtype, exactly as the host path does (its declaration names the ufunc, whose special cases only
    change complex values), or None."""
    body = _special_cases.DECLARED[name].body
    ufunc = getattr(np, body, None) if isinstance(body, str) else _REAL_BRANCH_UFUNCS.get(name)
    if not isinstance(ufunc, np.ufunc) or not {_dtypes.float32, _dtypes.float64} <= _dtypes.CATEGORIES[
            BY_NAME[name].category]:
        return None
    return ufunc if all(ufunc(np.ones(1, d)).dtype == d for d in (np.float32, np.float64)) else None


# ``f(temporary)`` computes into the temporary's buffer (``_indexing.unary_into_temporary``), as NumPy's operators
# reuse theirs: the element-wise functions of one array whose host computation on real floating values is NumPy's
# ufunc itself (a large call of an operation the engine may move to XLA goes through the engine, whose NumPy
# computes into the buffer). name -> ufunc
UNARY_INTO = {name: ufunc for name, op in BY_NAME.items() if op.arity == 1
              and name not in DEFERRED and name not in COMBINING
              and (ufunc := _real_floating_ufunc(name)) is not None}
