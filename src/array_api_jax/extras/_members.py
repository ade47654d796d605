"""brainpy.math.Array's members that have a NumPy or JAX meaning, installed on ``extras.ndarray``.

Conversions (``value``, ``update``, ``to_numpy``, ``to_jax``, ``numpy()``, ``.float()``...), shape helpers
(``unsqueeze``, ``expand_as``, ``tile``, ``split``, ``view``...), JAX's ``.at[...]`` returning ndarrays, in-place
math with a trailing ``_`` (PyTorch's convention, as BrainPy: ``x.add_(1)`` writes ``x`` and returns it), and
NumPy's ``str()``, ``format()`` and ``round()``. ``LEFT_OUT`` lists BrainPy's members that are not provided, each
with its reason.
"""

import builtins

import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtypes
from ._ndarray import Tracer, _concrete, dtype_arg, ndarray, to_raw, unwrap, wrap

LEFT_OUT = {
    "half": "float16 is not one of the 13 array API dtypes",
    "bfloat16": "bfloat16 is not one of the 13 array API dtypes",
    "cpu": "PyTorch's device move: use x.to_device(jax.devices('cpu')[0])",
    "cuda": "PyTorch's device move: use x.to_device(device)",
    "device_buffer": "deprecated and removed in JAX: use x.value (a jax array)",
    "block_host_until_ready": "use x.block_until_ready()",
    "tree_flatten": "ndarray is registered with jax.tree_util: use jax.tree.flatten(x)",
    "tree_unflatten": "ndarray is registered with jax.tree_util: use jax.tree.unflatten(treedef, leaves)",
    "in_dim": "BrainPy's batching metadata; Variables have batch_axis",
    "sharding_spec": "use x.device (a jax Sharding for a multi-device array)",
    "resize": "changes the array's shape in place, and an extras array's shape is fixed (as a BrainPy Variable's, "
              "where resize raises MathError): use x.reshape(new_shape), or bm.resize(x, new_shape) for NumPy's "
              "repeat-to-fill",
    "byteswap": "jax arrays have no byte order (BrainPy's byteswap calls jax.Array.byteswap, which does not exist): "
                "use numpy.asarray(x).byteswap()",
}


def _check_same(self, new, func):
    """``new`` (raw) with the array's shape and dtype, or an error naming ``func``; nothing written yet."""
    old = self._data()
    if new.shape != old.shape:
        raise ValueError(f"{func}: the result shape {new.shape} differs from the array's shape {old.shape}")
    if new.dtype != old.dtype:
        if not np.can_cast(new.dtype, old.dtype, "same_kind"):
            raise TypeError(f"{func}: cannot cast the result from {new.dtype} to the array's dtype {old.dtype} "
                            "with casting rule 'same_kind' (as NumPy)")
        new = lax.convert_element_type(new, old.dtype)
    return new


# --- value, conversions ----------------------------------------------------------------------------------------


def _get_value(self):
    """The array's jax value (no copy; for a host value, the jax.Array JAX gets of it, kept until the next write)."""
    return self._jax()


def _set_value(self, new):
    self.update(new)


def update(self, value):
    """Replace the whole value, keeping the shape and dtype (``x.value = value``); ValueError/TypeError otherwise."""
    raw = to_raw(value, "update")
    old = self._data()
    if isinstance(raw, (int, float, complex, builtins.bool, np.ndarray, np.generic)):
        raw = np.array(raw) if type(old) is np.ndarray else jnp.asarray(raw)  # a host value stays one
    if raw.shape != old.shape or raw.dtype != old.dtype:
        raise ValueError(f"update: the array has shape {old.shape} and dtype {old.dtype}, got a value of shape "
                         f"{raw.shape} and dtype {raw.dtype} (cast with .astype or reshape first)")
    self._assign(raw)


def to_numpy(self, dtype=None):
    """A NumPy copy of the values."""
    return np.array(_concrete(self._data(), "to_numpy"), dtype=dtype)


def to_jax(self, dtype=None):
    """The jax value (cast to ``dtype`` when given)."""
    v = self._jax()
    return v if dtype is None else lax.convert_element_type(v, dtype_arg(dtype, "to_jax"))


def as_variable(self):
    """A new Variable holding this value."""
    from ._state import Variable

    return Variable(self)


class _At:
    """``x.at[index]``: JAX's functional updates, returning ndarrays (``x`` itself is not changed)."""

    __slots__ = ("_value",)

    def __init__(self, value):
        self._value = value

    def __getitem__(self, index):
        return _AtIndex(self._value.at[unwrap(index)])


class _AtIndex:
    __slots__ = ("_ref",)

    def __init__(self, ref):
        self._ref = ref

    def __getattr__(self, name):  # set, add, multiply, min, max, get, apply, ...
        method = getattr(self._ref, name)

        def call(*args, **kwargs):
            return wrap(method(*[to_raw(a) for a in args], **{k: to_raw(v) for k, v in kwargs.items()}), name)

        return call


# --- shape helpers -----------------------------------------------------------------------------------------------


def unsqueeze(self, dim):
    """The array with a new axis of length 1 at ``dim`` (PyTorch's name for expand_dims)."""
    return ndarray._new(jnp.expand_dims(self._data(), dim))


def expand_dims(self, axis):
    """The array with new axes of length 1 at ``axis`` (an int or a tuple)."""
    return ndarray._new(jnp.expand_dims(self._data(), axis))


def expand_as(self, other):
    """The array broadcast to ``other``'s shape."""
    return ndarray._new(jnp.broadcast_to(self._data(), np.shape(to_raw(other))))


def tile(self, reps):
    """The array repeated ``reps`` times (numpy.tile)."""
    return ndarray._new(jnp.tile(self._data(), unwrap(reps)))


def split(self, indices_or_sections, axis=0):
    """A list of sub-arrays (numpy.split)."""
    return wrap(jnp.split(self._data(), unwrap(indices_or_sections), axis=axis), "split")


def ptp(self, axis=None, keepdims=False):
    """Peak to peak (max - min) along ``axis``."""
    return ndarray._new(jnp.ptp(self._data(), axis=axis, keepdims=keepdims))


def view(self, *shape, dtype=None):
    """``x.view(2, 3)``: the values in a new shape (PyTorch); ``x.view(dtype=...)``/``x.view(np.int32)``: the
    same bits seen as another dtype of the same size (NumPy). Returns a new array (JAX arrays do not alias)."""
    if dtype is None and len(shape) == 1 and not isinstance(shape[0], (int, np.integer, tuple, list)):
        dtype, shape = shape[0], ()
    if dtype is not None:
        if shape:
            raise ValueError("view: pass either a shape or a dtype")
        return ndarray._new(self._data().view(dtype_arg(dtype, "view")))
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return ndarray._new(jnp.reshape(self._data(), shape))


def clamp(self, min=None, max=None):  # noqa: A002 - PyTorch's names
    """Values limited to [min, max] (PyTorch's name for clip)."""
    return ndarray._new(jnp.clip(self._data(), to_raw(min), to_raw(max)))


def clone(self):
    """A new array with the same values (PyTorch's name for copy)."""
    return ndarray._new(self._data())


def expand(self, *sizes):
    """The array broadcast to ``sizes`` (PyTorch): ``x.expand(3, -1)``; -1 keeps that dimension's length."""
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        sizes = tuple(sizes[0])
    shape, lead = self.shape, len(sizes) - self.ndim
    if lead < 0:
        raise ValueError(f"expand: {len(sizes)} sizes given for an array of {self.ndim} dimensions (give at least "
                         "one size per dimension)")
    if builtins.any(n < 0 for n in sizes[:lead]):
        raise ValueError(f"expand: -1 is only allowed for existing dimensions, got sizes {sizes} for shape {shape}")
    target = tuple(sizes[:lead]) + tuple(d if n == -1 else n for n, d in zip(sizes[lead:], shape))
    return ndarray._new(jnp.broadcast_to(self._data(), target))


def compress(self, condition, axis=None):
    """The slices along ``axis`` (the flattened array when None) where ``condition`` is true (numpy.compress)."""
    return ndarray._new(jnp.compress(to_raw(condition, "compress"), self._data(), axis=axis))


def outer(self, other):
    """The outer product of the flattened array and ``other`` (numpy.outer)."""
    return wrap(jnp.outer(self._data(), to_raw(other, "outer")), "outer")


def addr(self, vec1, vec2, *, beta=1.0, alpha=1.0, out=None):
    """``beta * x + alpha * outer(vec1, vec2)`` (PyTorch's addr); with ``out`` the result is written there."""
    r = self * beta + outer(ndarray._new(jnp.asarray(to_raw(vec1, "addr"))), vec2) * alpha
    return _to_out(r, out, "addr")


def addr_(self, vec1, vec2, *, beta=1.0, alpha=1.0):
    """``addr`` in place: writes the result into the array (same dtype) and returns it."""
    self._assign(_check_same(self, addr(self, vec1, vec2, beta=beta, alpha=alpha)._data(), "addr_"))
    return self


def mul(self, value):
    """``x * value`` (PyTorch's name)."""
    return self * value


def pow(self, exponent):  # noqa: A001 - PyTorch's name
    """``x ** exponent`` (PyTorch's name)."""
    return self ** exponent


def _to_out(r, out, func):
    """BrainPy's ``out=``: None gives the result; an array receives it (same shape and dtype) and None is returned."""
    if out is None:
        return r
    if not isinstance(out, ndarray):
        raise TypeError(f"{func}: out must be an extras ndarray (or Variable), got {type(out).__name__}")
    out.value = r  # type: ignore[attr-defined]  # a property set on ndarray from MEMBERS below
    return None


def _math(name, jfunc):
    def method(self, *, out=None):
        return _to_out(ndarray._new(jfunc(self._data())), out, name)

    method.__doc__ = f"``{jfunc.__name__}`` of each element (BrainPy's method; ``out=``: an array to write into)."
    return method


_MATH = {"abs": jnp.abs, "absolute": jnp.abs, "sin": jnp.sin, "cos": jnp.cos, "tan": jnp.tan, "sinh": jnp.sinh,
         "cosh": jnp.cosh, "tanh": jnp.tanh, "arcsin": jnp.arcsin, "arccos": jnp.arccos, "arctan": jnp.arctan}


# --- casts: x.float(), x.int(), ... ------------------------------------------------------------------------------

_CASTS = {"float": _dtypes.float32, "double": _dtypes.float64, "int": _dtypes.int32, "long": _dtypes.int64,
          "short": _dtypes.int16, "char": _dtypes.int8, "byte": _dtypes.uint8, "bool": _dtypes.bool,
          "cfloat": _dtypes.complex64, "cdouble": _dtypes.complex128}


def _cast(name, dtype):
    def cast(self):
        return self.astype(dtype)

    cast.__doc__ = f"The array cast to {dtype} (PyTorch's ``.{name}()``)."
    return cast


# --- in-place math: x.add_(y) ------------------------------------------------------------------------------------

_IN_PLACE = {"add_": jnp.add, "sub_": jnp.subtract, "mul_": jnp.multiply, "div_": jnp.true_divide,
             "pow_": jnp.power, "abs_": jnp.abs, "absolute_": jnp.abs, "neg_": jnp.negative, "negative_": jnp.negative,
             "sign_": jnp.sign, "floor_": jnp.floor, "ceil_": jnp.ceil, "round_": jnp.round, "trunc_": jnp.trunc,
             "exp_": jnp.exp, "log_": jnp.log, "sqrt_": jnp.sqrt, "square_": jnp.square, "sin_": jnp.sin,
             "cos_": jnp.cos, "tan_": jnp.tan, "tanh_": jnp.tanh, "sinh_": jnp.sinh, "cosh_": jnp.cosh,
             "arcsin_": jnp.arcsin, "arccos_": jnp.arccos, "arctan_": jnp.arctan, "multiply_": jnp.multiply,
             "clamp_": jnp.clip, "clip_": jnp.clip,
             "fill_": None, "zero_": None}


def _in_place(name, jfunc):
    def method(self, *args, **kwargs):
        new = jfunc(self._data(), *[to_raw(a, name) for a in args], **{k: to_raw(v) for k, v in kwargs.items()})
        self._assign(_check_same(self, new, name))
        return self

    method.__doc__ = f"``{name[:-1]}`` in place: writes the result into the array (same dtype) and returns it."
    return method


def fill_(self, value):
    """Set every element to ``value`` in place; return the array."""
    self.fill(value)
    return self


def zero_(self):
    """Set every element to 0 in place; return the array."""
    self.fill(0)
    return self


# --- printing and Python conversions --------------------------------------------------------------------------------


def __str__(self):  # noqa: N807
    """The values as NumPy prints them (``print(a)``), without the class name."""
    v = self._data()
    return repr(self) if isinstance(v, Tracer) else str(np.asarray(v))


def __format__(self, spec):  # noqa: N807
    """``format(a, spec)``: a 0-D array formats its value (``f"{a:.3f}"``); other arrays need an empty spec."""
    v = self._data()
    if isinstance(v, Tracer):
        return format(repr(self), spec)
    if not spec:
        return str(self)
    if v.ndim == 0:
        return format(np.asarray(v)[()], spec)
    raise TypeError(f"__format__: format spec {spec!r} needs a 0-dimensional array, got shape {v.shape} "
                    "(format the elements, or use numpy.array2string)")


def __round__(self, ndigits=None):  # noqa: N807
    """``round(a)``: a Python int for a 0-D array; otherwise (or with ``ndigits``) an ndarray rounded to
    ``ndigits`` decimals."""
    if ndigits is None and self.ndim == 0:
        return round(_concrete(self._data(), "__round__").item())
    return ndarray._new(jnp.round(self._data(), 0 if ndigits is None else ndigits))


MEMBERS = {"value": property(_get_value, _set_value, doc="The array's jax value; assigning writes it in place "
                                                        "(same shape and dtype)."),
           "data": property(_get_value, doc="BrainPy's alias of value (read-only)."),
           "update": update, "to_numpy": to_numpy, "numpy": to_numpy, "to_jax": to_jax, "as_variable": as_variable,
           "at": property(lambda self: _At(self._jax()), doc="JAX's ``.at[index].set/add/...``, returning ndarrays."),
           "unsqueeze": unsqueeze, "expand_dims": expand_dims, "expand_as": expand_as, "tile": tile,
           "split": split, "ptp": ptp, "view": view, "clamp": clamp, "fill_": fill_, "zero_": zero_,
           "__str__": __str__, "__format__": __format__, "__round__": __round__, "clone": clone, "expand": expand,
           "compress": compress, "outer": outer, "addr": addr, "addr_": addr_, "mul": mul, "multiply": mul,
           "pow": pow}
MEMBERS.update({name: _math(name, f) for name, f in _MATH.items()})
MEMBERS.update({name: _cast(name, dt) for name, dt in _CASTS.items()})
MEMBERS.update({name: _in_place(name, f) for name, f in _IN_PLACE.items() if f is not None})

for _name, _member in MEMBERS.items():
    if callable(_member):
        _member.__name__, _member.__qualname__ = _name, f"ndarray.{_name}"  # type: ignore[attr-defined]
    setattr(ndarray, _name, _member)
