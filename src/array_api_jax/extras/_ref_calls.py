"""Compiled calls that write extras' state: serialised per state, and never changing an array a reader holds.

JAX runs a jitted function that closes over ``jax.Ref``s by passing each Ref's buffer in, donating it, and then
replacing the contents of the Ref's buffer *object* with the result (``ExecuteReplicated.__call__`` in
``jax._src.interpreters.pxla``, JAX 0.10). For the Refs behind Variables and keyless random state, called through
plain ``jax.jit``, that has two consequences this module removes:

* two threads calling such a function at once: the second passes a buffer the first has already donated, and
  fails with "Array has been deleted";
* an array read eagerly (``x = v.value`` returns the Ref's buffer object, no copy) changes when a later call
  writes the Ref.

``install()`` wraps that method once: a call that writes Refs registered here (``register(ref, lock)``) holds
their locks (the locks eager reads, eager writes, eager draws and ``extras.jit`` take, acquired in one global
order), and first gives a Ref whose buffer object is referenced elsewhere a private copy to donate. Calls that
write no Ref, or only Refs of other code, are not touched. If JAX's executor does not have this shape, nothing
is wrapped (``INSTALLED`` stays False) and plain ``jax.jit`` keeps JAX's own behaviour; ``extras.jit`` does not
depend on it.
"""

import sys
import threading
import weakref

import jax

_LOCKS = {}  # id(ref) -> (weak reference to the Ref, the lock of the state it belongs to)
INSTALLED = [False]


def register(ref, lock):
    """Record that ``ref`` belongs to state guarded by ``lock`` (an RLock)."""
    key = id(ref)
    _LOCKS[key] = (weakref.ref(ref, lambda _, key=key: _LOCKS.pop(key, None)), lock)
    return ref


def _lock_of(ref):
    entry = _LOCKS.get(id(ref))
    return entry[1] if entry is not None and entry[0]() is ref else None


def _held_elsewhere(holder):
    # references to the buffer object: the holder's attribute and getrefcount's argument. Calibrated below.
    return sys.getrefcount(holder._buf) > _OWN_REFERENCES


def _calibrate():
    ref = jax.new_ref(jax.numpy.zeros(2))
    return sys.getrefcount(ref._refs._buf)


def _unshare(ref, copy):
    holder = ref._refs
    if _held_elsewhere(holder):
        holder._buf = copy(holder._buf)


def _wrap(original, copy):
    def __call__(self, *args):
        mut = self.mut
        if mut is None:
            return original(self, *args)
        locks = {}
        for ref in mut.in_mut:
            lock = _lock_of(ref)
            if lock is not None:
                locks[id(lock)] = lock
        if not locks:
            return original(self, *args)
        ordered = [locks[k] for k in sorted(locks)]
        for lock in ordered:
            lock.acquire()
        try:
            for ref in mut.in_mut:
                if _lock_of(ref) is not None:
                    _unshare(ref, copy)
            return original(self, *args)
        finally:
            for lock in reversed(ordered):
                lock.release()

    __call__.__wrapped__ = original
    return __call__


def install(copy):
    """Wrap JAX's executor once (``copy(buffer)`` makes a private buffer with the same sharding)."""
    global _OWN_REFERENCES
    if INSTALLED[0]:
        return
    try:
        from jax._src.interpreters import pxla

        executor = pxla.ExecuteReplicated
        original = executor.__call__
        if "mut" not in executor.__slots__ or not hasattr(jax.new_ref(jax.numpy.zeros(1))._refs, "_buf"):
            return
        _OWN_REFERENCES = _calibrate()
    except Exception:  # pragma: no cover - a JAX whose executor has another shape: keep its behaviour
        return
    executor.__call__ = _wrap(original, copy)
    INSTALLED[0] = True


def new_lock():
    """The lock of one piece of state: reentrant, as a call holding it may read the same state."""
    return threading.RLock()
