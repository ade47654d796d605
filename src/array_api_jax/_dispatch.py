"""Kernels and their NumPy twins, and the raw-value helpers the core's modules share (devices, placement,
conversions between host values and jax.Arrays, the advanced and boolean indexing kernels).

Every operation reaches XLA through a kernel: ``jax.jit(impl, static_argnames=..., inline=True)``. JAX's C++
dispatch caches the compiled executable per (static arguments, input dtypes/shapes/shardings), so an eager call
costs one cache hit; ``inline=True`` makes the kernel disappear under an outer ``jax.jit`` (the traced jaxpr is
the same as with jax.numpy). Indexing and updates use kernels keyed on a hashable index *spec* with integer
positions passed as dynamic arguments, so looping over ``x[i]`` compiles once. A kernel whose body takes the array
module first (``impl(m, *values, **static)``, see ``over_m``) is a ``Twin``: on host values it runs the body with
NumPy (``m`` = ``HOST``; or, for a hot large call, whichever engine ``_host.engine`` picks), on anything else the
compiled kernel (``m`` = ``JAX``). Where the two modules differ, the body calls the adapters' method for it.
"""

import functools
import inspect

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from . import _host, _jax_private, _sharding
from ._host import HostArray
from ._special_cases import HOST, JAX

jax.config.update("jax_enable_x64", True)

Tracer = _jax_private.Tracer
JaxArray = jax.Array


def over_m(impl):
    """Whether ``impl`` is a body over an array module: its first parameter is named ``m``."""
    return next(iter(inspect.signature(impl).parameters), None) == "m"


def kernel(impl=None, *, static=(), hot=None, sharding=None, host_complete=False):
    """Wrap ``impl`` as a cached, inlinable compiled kernel.

    The kernel form is ``impl(m, *values, **static)`` (``over_m``): the kernel traces ``impl(JAX, ...)`` and its
    NumPy twin is ``impl(HOST, ...)``, one body for both sides; where NumPy and jax.numpy really differ, the body
    calls the adapters' method for that difference (``_special_cases.Ops``). An ``impl`` without ``m`` takes raw
    jax arrays and has no twin: JAX takes host values given to it. The twin is called instead of the kernel when
    the arrays among the arguments are host values (see ``_host``) and none is a jax.Array. ``host_complete``: the
    twin itself turns NumPy's
    floating-point warnings off and returns host values (a reduction's twin, which its caller runs through
    ``Twin.side`` without a wrapper of this module around it); otherwise the Twin wraps it once to do both.
    ``hot``: the operation's name where ``_host.XLA_FASTER`` may run the compiled kernel on large host values
    once they are hot (``_host.engine``). ``sharding``: the rule for the result's sharding where JAX asks for
    one, on meshes with Explicit axes (see ``_sharding``; default ``same_position``).
    """
    if impl is None:
        return functools.partial(kernel, static=static, hot=hot, sharding=sharding, host_complete=host_complete)
    if not over_m(impl):
        return jax.jit(_sharding.fallback(impl, sharding), static_argnames=static, inline=True)
    return twin(functools.partial(impl, JAX), functools.partial(impl, HOST), static, hot, sharding, host_complete)


def twin(impl, host, static, hot, sharding, host_complete):
    """The ``Twin`` of the kernel of ``impl`` (over raw jax arrays) and the NumPy function ``host``."""
    jitted = jax.jit(_sharding.fallback(impl, sharding), static_argnames=static, inline=True)
    return Twin(jitted, host if host_complete else completed(host), hot if hot in _host.XLA_FASTER else None)


def all_host(args):
    """Whether the arrays among ``args`` (and in tuples among them) are host values, at least one of them."""
    found = False
    for a in args:
        t = type(a)
        if t is HostArray:
            found = True
        elif t is tuple or t is list:
            for b in a:
                tb = type(b)
                if tb is HostArray:
                    found = True
                elif isinstance(b, JaxArray):
                    return False
        elif isinstance(a, JaxArray):
            return False
    return found


def as_host(out):
    """A host twin's result as host values: NumPy returns scalars for 0-D results."""
    t = type(out)
    if t is HostArray:
        return out
    if isinstance(out, (tuple, list)):  # NumPy's linalg results are named tuples
        return tuple(as_host(o) for o in out)
    return np.asarray(out)


# NumPy's error state, set and reset inline (``_host.quiet``), and the engine's size threshold, bound here so that a
# twin's call enters no other module of the package but the twin's own
quiet_set, quiet_reset, quiet = _host.QUIET
HOT_MIN_SIZE = _host.HOT_MIN_SIZE


def completed(host):
    """A NumPy twin as a ``Twin`` calls it: with NumPy's floating-point warnings off, results as host values."""
    def run(*args, **kwargs):
        token = quiet_set(quiet)
        try:
            out = host(*args, **kwargs)
        finally:
            quiet_reset(token)
        return out if type(out) is HostArray else as_host(out)
    return run


class Twin:
    """A kernel and its NumPy twin (``host``, complete: warnings off, host values out). ``side`` is the placement
    of a call: the twin when the arrays are host values; for an operation of ``_host.XLA_FASTER`` (``hot``) on
    large host values, whichever engine ``_host.engine`` picks; on anything else the kernel."""

    __slots__ = ("jitted", "host", "hot", "engine")

    def __init__(self, jitted, host, hot=None):
        self.jitted = jitted
        self.host = host
        self.hot = hot
        # the engine's call without keyword arguments, made once (the common call: a reduction's ``_run``)
        self.engine = hot and functools.partial(_host.engine, hot, jitted, host, static=(self, ()))

    def side(self, *args, static=()):
        """The function that computes a call with ``args`` (the one placement decision of a kernel's call);
        ``static``: the call's keyword arguments, part of the engine's key."""
        if (len(args) == 1 and type(args[0]) is HostArray) or all_host(args):
            if self.hot is not None:
                for a in args:
                    if type(a) is HostArray and a.size >= HOT_MIN_SIZE:
                        if not static:
                            return self.engine
                        return functools.partial(_host.engine, self.hot, self.jitted, self.host, static=(self, static))
            return self.host
        return self.jitted

    def __call__(self, *args, **kwargs):
        return self.side(*args, static=tuple(kwargs.items()))(*args, **kwargs)

    def __getattr__(self, name):  # eval_shape, lower, trace, ...
        return getattr(self.jitted, name)


def without_jax_note(error):
    """Drop the note JAX adds about its filtered frames from an error raised by a check inside a kernel.

    Kernels check dtypes and shapes when JAX traces them; those errors are the namespace's own, and the note
    (about JAX's internal frames) would only distract from the message.
    """
    notes = getattr(error, "__notes__", None)
    if notes:
        error.__notes__ = [n for n in notes if "JAX_TRACEBACK_FILTERING" not in n]


def kernel_cache(factory=None, *, hot=None, sharding=None, host_complete=False):
    """``factory(*args)`` returns the function a kernel traces; the kernels are kept in a bounded LRU cache.

    The kernel convention of the core is ``kernel(impl, static=(...))`` (static arguments as keywords).
    ``kernel_cache`` is the one exception, each use saying which reason applies: (a) an eager hot
    path with several static arguments (one LRU lookup costs about 2 µs less than jax.jit hashing static keyword
    arguments on every call), or (b) a traced function that closes over an object which must be part of the key
    (a deferred predicate: its ``_checked`` is traced into the kernel).

    The arguments are the operation's already-checked hashable parameters (axis, flags, dtypes), so a call
    selects its kernel with one cache lookup instead of passing static arguments to ``jax.jit``.
    A factory that takes the array module first (its first parameter is ``m``, as ``kernel``'s form) makes both
    sides: the kernel traces ``factory(JAX, *args)``, its NumPy twin is ``factory(HOST, *args)``; ``hot``,
    ``host_complete``: as for ``kernel``. ``sharding``: called with
    the factory's arguments, the kernel's sharding rule (see ``kernel``).
    """
    if factory is None:
        return functools.partial(kernel_cache, hot=hot, sharding=sharding, host_complete=host_complete)

    def rule(args):
        return sharding and sharding(*args)

    if over_m(factory):
        return functools.lru_cache(maxsize=256)(
            lambda *args: twin(factory(JAX, *args), factory(HOST, *args), (), hot, rule(args), host_complete))
    return functools.lru_cache(maxsize=256)(lambda *args: kernel(factory(*args), sharding=rule(args)))


def call(k, *values):
    """Call a kernel whose traced function checks its inputs, without JAX's note on the errors it raises."""
    try:
        return k(*values)
    except Exception as e:
        without_jax_note(e)
        raise


def is_bool(value):
    """A Python bool (no integer or NumPy bool posing as one, which would share its cache key)."""
    return value is True or value is False


def is_traced(value):
    return isinstance(value, Tracer)


def device_of(value):
    """The device of a raw value: a Device for single-device arrays, the Sharding for multi-device ones."""
    if isinstance(value, Tracer):
        return None
    if type(value) is HostArray:
        return _host.default_device()
    sharding = value.sharding
    devices = sharding.device_set
    if len(devices) == 1:
        return next(iter(devices))
    return sharding


def device_put(value):
    """Put a host value on JAX's default device (uncommitted, so kernels move it where their inputs live)."""
    return jax.device_put(value)


def put(value, device):
    """Place ``value`` on a Device or Sharding (a host value stays one where ``_host.keeps`` says so)."""
    if type(value) is HostArray:
        if _host.place(device):
            return value
        value = _host.unborrowed(value)
    return jax.device_put(value, device)


# --- indexing --------------------------------------------------------------------------------------------
# The kernels of the boolean and whole-array plans of ``_index_plan`` (those of basic and advanced plans live in
# ``_indexing`` beside the plans' parser and the views' reads and writes).


@kernel
def fill(m, value, update):
    return m.broadcast_to(update, (1,) + value.shape).reshape(value.shape)


@kernel
def index_bounds(m, index):
    """(min, max) of an integer index array, read back to check bounds eagerly."""
    if index.size == 0:
        return m.zeros(2, index.dtype)
    return m.stack([m.min(index), m.max(index)])


@kernel(sharding=_sharding.own)
def where_update(m, value, mask, update):
    return m.where(mask.reshape(mask.shape + (1,) * (value.ndim - mask.ndim)), update, value)


def boolean_getitem(value, mask):
    """Eager boolean-mask indexing (data-dependent shape); a mask with a 0 dimension selects nothing."""
    if mask.size == 0:
        shape = (0,) + value.shape[mask.ndim:]
        return np.zeros(shape, value.dtype) if type(value) is HostArray else jnp.zeros(shape, value.dtype)
    return _sharding.call(lambda v: v[np.asarray(mask)], value, rule=_sharding.mask_index(mask.ndim))


def boolean_setitem(value, mask, update):
    if type(value) is HostArray and not isinstance(update, Tracer):
        return _host.written(value, np.asarray(mask), update)
    return _sharding.call(lambda v, u: v.at[np.asarray(mask)].set(u), value, update, rule=_sharding.own)


# --- conversion --------------------------------------------------------------------------------------------


def astype(value, *, dtype):
    if type(value) is HostArray:
        return _host.astype(value, dtype)
    return _astype(value, dtype=dtype)


@kernel(static=("dtype",))
def _astype(value, *, dtype):
    if dtype == np.bool_ and jnp.iscomplexobj(value):
        return value != 0  # XLA's conversion looks at the real part only; the standard: 0 + 0j is False, else True
    return lax.convert_element_type(value, dtype)


def from_host(data, dtype, device):
    """A raw value for host data (a NumPy array the caller does not keep): a host value where the host path
    takes it (see ``_host``), else a jax.Array on ``device`` (``None``: JAX's default placement)."""
    if _host.place(device):
        return _host.aligned(data if data.dtype == dtype else data.astype(dtype))
    if device is None:
        return jnp.asarray(data, dtype=dtype) if data.dtype != dtype else jax.device_put(data)
    return jax.device_put(np.asarray(data, dtype=dtype), device)


def kept(value):
    """``value`` for a new array that must not change with it: itself (raw values are never written while shared),
    or a copy of a host value whose memory is borrowed (``_host.borrow``)."""
    return _host.detached(value) if type(value) is HostArray else value


def copy(value):
    """A new buffer with the same contents (never aliases ``value``, nor memory it was imported from)."""
    if type(value) is HostArray:
        return value.copy()
    return jnp.array(value, copy=True)


def to_host(value):
    return np.asarray(value)


def from_host_like(data, like):
    """Put a tuple of host (NumPy) results where the raw value ``like`` lives.

    ``jnp.asarray`` is the fastest public path to the default device (about half of ``jax.device_put``).
    """
    if type(like) is HostArray:
        return data
    devices = like.sharding.device_set
    if getattr(like, "committed", False) and len(devices) == 1:
        return jax.device_put(data, next(iter(devices)))
    return tuple(jnp.asarray(d) for d in data)


def platform_of(value):
    """The platform ('cpu', 'gpu', 'tpu', ...) a concrete raw value lives on; None for a traced value."""
    if isinstance(value, Tracer):
        return None
    if type(value) is HostArray:
        return "cpu"
    return next(iter(value.sharding.device_set)).platform


def cpu_device():
    return jax.devices("cpu")[0]


# --- values spread over several processes -----------------------------------------------------------------

def readable(v):
    """Whether this process holds the whole value (always, except for arrays spread over several processes)."""
    if type(v) is HostArray or v.is_fully_addressable:
        return True
    every = {repr(i) for i in v.sharding.devices_indices_map(v.shape).values()}
    here = {repr(i) for i in v.sharding.addressable_devices_indices_map(v.shape).values()}
    return every == here  # e.g. replicated over every process: each one holds a full copy


def not_here(v):
    n = len({d.process_index for d in v.sharding.device_set})
    return (f"spread over {len(v.sharding.device_set)} devices of {n} processes; this process does not hold all "
            "of it")


def to_numpy(v, func, dtype=None, copy=None):
    """``np.array(v)`` (no copy unless asked); for a value spread over processes, an error naming the fix."""
    try:
        return np.array(v, dtype=dtype, copy=copy)
    except RuntimeError:  # JAX's error when this process does not hold the whole value (checked only then: ~4 us)
        check_readable(v, func)
        raise


def check_readable(v, func, error=ValueError):
    """``error`` (ValueError, the standard's error for a value that cannot be produced) naming the two fixes."""
    if not readable(v):
        raise error(f"{func}: the array is {not_here(v)}. Replicate it first, on every process: "
                    "x.to_device(NamedSharding(mesh, PartitionSpec())) (or out_shardings=NamedSharding(mesh, "
                    "PartitionSpec()) in jax.jit); or gather it into NumPy with "
                    "jax.experimental.multihost_utils.process_allgather(jax.numpy.asarray(x))") from None
