"""Every use of JAX's private API in the package, each with its public fallback.

JAX's private modules change without notice. Each name here uses the private API where it is there (for speed, or
because no public API says the same) and otherwise a public way, slower or more conservative; the package reaches
JAX's internals only through this module, and tests/test_jax_private.py checks that both ways agree.

One use changes JAX for the whole process: importing ``array_api_jax.extras`` calls ``wrap_ref_writing_calls``,
which replaces ``ExecuteReplicated.__call__`` (JAX's executor of compiled calls) with a wrapper. Calls that write
no ``jax.Ref`` go straight to JAX's method; a call that writes Refs of extras' state (Variables, keyless random
state) runs under those states' locks, with a private copy donated where a reader holds a Ref's buffer (see
``extras._ref_calls``). Other code's Refs are left as JAX handles them. No public hook runs around that execution.
"""

import functools
import sys
from typing import Any

import jax
import numpy as np
from jax.extend.core import find_top_trace

# --- the tracer class: every traced value is an instance ---------------------------------------------------

try:
    Tracer: type[Any] = jax.core.Tracer
except AttributeError:  # pragma: no cover - jax.core is being emptied; the class itself stays
    from jax._src import core as _core

    Tracer = _core.Tracer


# --- the default device override (jax.default_device / jax_default_device), read on every creation ------------


class _PublicDefaultDevice:
    """The override read through the public config, with the ``.value`` of JAX's config state."""

    @property
    def value(self):
        return jax.config.jax_default_device  # type: ignore[attr-defined]  # JAX sets its options at run time


try:  # JAX's config state: 0.03 µs a read of ``.value`` against 1.5 µs through jax.config
    from jax._src.config import default_device as DEFAULT_DEVICE
except (ImportError, AttributeError):  # pragma: no cover - other JAX versions
    DEFAULT_DEVICE = _PublicDefaultDevice()  # type: ignore[assignment]  # the same reading interface


# --- whether JAX is tracing (jax.jit, grad, vmap, ...) -------------------------------------------------------


def _is_top_level_public():
    return type(find_top_trace(())).__name__ == "EvalTrace"


try:
    from jax._src.core import trace_ctx as _TRACE_CTX

    is_top_level = _TRACE_CTX.is_top_level  # JAX's bound method itself: callers pay no call of ours
except (ImportError, AttributeError):  # pragma: no cover - other JAX versions
    is_top_level = _is_top_level_public


# --- the mesh of jax.set_mesh, also inside jax.jit (where jax.sharding.get_mesh refuses) ---------------------


def _concrete_mesh_public():
    """Only eager draws see the mesh: inside jax.jit an empty mesh."""
    try:
        return jax.sharding.get_mesh()
    except Exception:
        return jax.sharding.Mesh((), ())


try:
    from jax._src.mesh import get_concrete_mesh as concrete_mesh
except ImportError:  # pragma: no cover - other JAX versions
    concrete_mesh = _concrete_mesh_public


# --- whether JAX's backends have started (a device count can no longer be set) --------------------------------


def _backends_are_initialized_public():
    """Unknown without the private API: assume not, so the flag is set and takes effect if it still can."""
    return False


try:
    from jax._src.xla_bridge import backends_are_initialized
except ImportError:  # pragma: no cover - other JAX versions
    backends_are_initialized = _backends_are_initialized_public


# --- who called: JAX's functions that take an Array where they need a JAX value ------------------------------
# No public API tells these callers apart; without the match (another JAX layout) the messages are JAX's own.

_TYPEOF_FILE = "/".join(("jax", "_src", "core.py"))


def called_by_typeof(code):
    """Whether ``code`` (a frame's code object) is ``jax._src.core.typeof``: JAX asks for the type of an Array
    where it needs a JAX value (the output of a function under jax.grad, an operand of a lax primitive)."""
    return code.co_name == "typeof" and code.co_filename.replace("\\", "/").endswith(_TYPEOF_FILE)


def called_by_jax_operator(code):
    """Whether ``code`` is one of jax.Array's operators (``jax._src.numpy.array_methods._operator_*``)."""
    return code.co_name.startswith("_operator_") and code.co_filename.endswith("array_methods.py")


# --- a jax.Ref's buffer, read and replaced without a dispatch (eager Variables, keyless random, extras.jit) ---------
# The public way, ref[...] and ref[...] = value, is a dispatched operation each time (a few µs).


def ref_buffer(ref):
    """The jax.Array a Ref holds (eagerly)."""
    try:
        return ref._refs._buf
    except AttributeError:  # pragma: no cover - another Ref layout
        return ref[...]


def set_ref_buffer(ref, value):
    """Make a Ref hold ``value`` (eagerly; a new buffer that nothing else holds)."""
    refs = getattr(ref, "_refs", None)
    if refs is not None and hasattr(refs, "_buf"):
        refs._buf = value
    else:  # pragma: no cover - another Ref layout
        ref[...] = value


def buffer_replaceable():
    """Whether a Ref's buffer can be replaced in place (``replace_buffer``); probed on a new Ref."""
    try:
        return callable(jax.new_ref(np.zeros(2, np.uint32))._refs._buf._replace_with)
    except Exception:
        return False


def replace_buffer(buffer, new):
    """Replace the contents of a Ref's buffer (only where ``buffer_replaceable()``)."""
    buffer._replace_with(new)


def ref_buffer_shared(ref):
    """Whether a Ref's buffer is referenced outside the Ref (by an array a reader holds); True where unknown."""
    holder = getattr(ref, "_refs", None)
    if holder is None or not hasattr(holder, "_buf"):  # pragma: no cover - another Ref layout: assume shared
        return True
    return sys.getrefcount(holder._buf) > _own_references()


@functools.cache
def _own_references():
    # the holder's attribute and getrefcount's argument; measured once, on a Ref that nothing else references
    ref = jax.new_ref(np.zeros(1))
    return sys.getrefcount(ref._refs._buf)


# --- compiled calls that write closed-over Refs (plain jax.jit over Variables and keyless random state) ----------
# JAX executes them in ExecuteReplicated.__call__ (jax._src.interpreters.pxla): the Refs' buffers go in donated,
# and each Ref's buffer object is then given the result's contents. No public hook runs around that execution.


def wrap_ref_writing_calls(around):
    """Run every execution that writes closed-over Refs as ``around(refs, call)``; False where it cannot be done.

    ``refs`` are the Refs the execution writes and ``call()`` runs it. Executions that write no Ref are not
    touched. Where JAX's executor has another shape, nothing is wrapped and JAX's behaviour stays.
    """
    try:
        from jax._src.interpreters import pxla

        executor = pxla.ExecuteReplicated
        original = executor.__call__
        if "mut" not in executor.__slots__:
            return False
    except (ImportError, AttributeError):  # pragma: no cover - another JAX
        return False
    if getattr(original, "_wraps_ref_writes", False):
        return True

    def __call__(self, *args):
        mut = self.mut
        if mut is None:
            return original(self, *args)
        return around(mut.in_mut, lambda: original(self, *args))

    __call__._wraps_ref_writes = True  # type: ignore[attr-defined]  # a function takes any attribute
    __call__.__wrapped__ = original  # type: ignore[attr-defined]
    executor.__call__ = __call__
    return True


# --- threefry's unrolled lowering on a CPU (the host path's keyless draws) -----------------------------------------
# JAX lowers the threefry2x32 hash on a CPU as a loop over its five groups of rounds, on other platforms unrolled;
# the unrolled code is the same integer arithmetic (the same bits) and runs about 2x faster on a CPU from a few
# thousand values. LoweringParameters.override_lowering_rules applies it to one lowering, not to the process.


def compile_unrolled_threefry(traced):
    """``traced.lower().compile()`` (``traced`` from ``jax.jit(f).trace(...)``), threefry's hash unrolled."""
    try:
        from jax._src.interpreters import mlir
        from jax._src.random import threefry2x32

        rule = threefry2x32._threefry2x32_lowering_rule
        params = mlir.LoweringParameters(override_lowering_rules=((threefry2x32.threefry2x32_p, rule),))
        lowered = traced.lower(_private_parameters=params)
    except (ImportError, AttributeError, TypeError):  # pragma: no cover - another JAX: JAX's own lowering
        lowered = traced.lower()
    return lowered.compile()
