"""Compiled calls that write extras' state: serialised per state, and never changing an array a reader holds.

JAX runs a jitted function that closes over ``jax.Ref``s by passing each Ref's buffer in, donating it, and then
giving the Ref's buffer *object* the result's contents (JAX 0.10). For the Refs behind Variables and keyless
random state, called through plain ``jax.jit``, that has two consequences this module removes:

* two threads calling such a function at once: the second passes a buffer the first has already donated, and
  fails with "Array has been deleted";
* an array read eagerly (``x = v.value`` is the Ref's buffer, no copy) changes when a later call writes the Ref.

``install(copy)`` asks ``_jax_private`` to run every execution that writes Refs through ``_locked``: when it
writes Refs registered here (``register(ref, lock)``), it holds their locks (the locks that eager reads, eager
writes, eager draws and ``extras.jit`` take; acquired in one global order) and first gives a Ref whose buffer is
referenced elsewhere a private copy to donate. Executions writing only other code's Refs are left alone. Where
JAX's executor has another shape nothing is wrapped (``INSTALLED`` stays False): plain ``jax.jit`` keeps JAX's
behaviour, and ``extras.jit`` (which does not depend on this) stays the thread-safe way.
"""

import threading
import weakref
from typing import Any

from .. import _jax_private

_LOCKS = {}  # id(ref) -> (weak reference to the Ref, the lock of the state it belongs to)
_COPY: list[Any] = [None]
INSTALLED = [False]


def new_lock():
    """The lock of one piece of state: reentrant, as a call holding it may read the same state."""
    return threading.RLock()


def register(ref, lock):
    """Record that ``ref`` belongs to state guarded by ``lock``; return ``ref``."""
    key = id(ref)
    # mypy cannot type a lambda with a default argument
    _LOCKS[key] = (weakref.ref(ref, lambda _, key=key: _LOCKS.pop(key, None)), lock)  # type: ignore[misc]
    return ref


def lock_of(ref):
    entry = _LOCKS.get(id(ref))
    return entry[1] if entry is not None and entry[0]() is ref else None


def _locked(refs, call):
    if len(refs) == 1:  # the common case (one generator or one Variable), without the general bookkeeping
        ref = refs[0]
        lock = lock_of(ref)
        if lock is None:
            return call()
        with lock:
            _unshare(ref)
            return call()
    ours = [(ref, lock) for ref in refs if (lock := lock_of(ref)) is not None]
    if not ours:
        return call()
    locks = sorted({id(lock): lock for _, lock in ours}.items())
    for _, lock in locks:
        lock.acquire()
    try:
        for ref, _ in ours:
            _unshare(ref)
        return call()
    finally:
        for _, lock in reversed(locks):
            lock.release()


def _unshare(ref):
    if _jax_private.ref_buffer_shared(ref):  # a reader holds the buffer: donate a private copy instead
        _jax_private.set_ref_buffer(ref, _COPY[0](_jax_private.ref_buffer(ref)))


def install(copy):
    """Wrap JAX's executions that write Refs, once (``copy(buffer)``: a private buffer with the same sharding)."""
    _COPY[0] = copy
    INSTALLED[0] = INSTALLED[0] or _jax_private.wrap_ref_writing_calls(_locked)
