"""The host path: eager arrays on a CPU are NumPy arrays until JAX needs them, at every size.

Compiling an XLA kernel for a new (operation, dtype, shape) costs 30-60 ms on a CPU, and backend-agnostic
library code makes new shapes all the time (a new data set, the rows of one class, a mask's count). So when JAX's
default device is a CPU, an eager array created without an explicit device (or on JAX's only device) keeps its
value as a NumPy array (a *host value*), whatever its size, and the namespace computes on host values with NumPy
under exactly the same checks (the same dtype rules, errors, special cases, mutation and views). A host value
becomes a jax.Array when something needs one: a pytree leaf crossing a JAX transformation, ``__jax_array__``,
DLPack export, another device, or an operand that is already a jax.Array.

The one placement rule is ``place``; the one engine rule for large host values is ``engine`` (NumPy first; XLA
for a hot call of an operation in a measured table, kept only where its timed calls beat NumPy's).

A host value is written in place when its root array is its only holder (``sole_owner``): ``x[i] = v`` costs
O(1) of the array's size. Anything else that holds the buffer (a view in NumPy's sense, a deferred result, a
jax.Array made from it, an alias made by ``asarray``) makes the write copy first, so it never sees the write.

``asarray`` shares the memory of a NumPy array (as NumPy and array_api_strict do) instead of copying it: a
*borrowed* value (``borrow``), whose memory its owner may write at any time. Such memory is never written here
(a write copies first), and it never reaches JAX, whose arrays must not change, nor an explicit copy: those take
a copy (``unborrowed``, ``detached``); a root array crossing to JAX, or computed on by an XLA kernel of the engine,
keeps that copy as its value (``_array._jax_value``, ``own``).

Setting the environment variable ``ARRAY_API_JAX_XLA_ONLY=1`` (before import) turns the host path off: every
array is a jax.Array and every operation an XLA kernel. ``set_host_path(False)`` does the same at run time for
arrays created afterwards.
"""

import atexit
import os
import sys
import threading
import time
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from . import _jax_private

HostArray = np.ndarray

# [enabled]: a list, read on every creation (cheaper than a function call or a module attribute lookup chain)
ENABLED = [os.environ.get("ARRAY_API_JAX_XLA_ONLY", "").lower() not in ("1", "true", "yes", "on")]

# [None]: not settled; then True when JAX's default device is a CPU and no default-device override is set.
# Settled on first use, so that importing the package does not initialise JAX's backend.
_CPU_DEFAULT: list[bool | None] = [None]  # set on first use (_settle)
_DEVICE: list[Any] = [None]  # the default jax Device
_ONLY_DEVICE = [False]  # the default device is JAX's only device


def set_host_path(enabled: bool, /) -> None:
    """Turn the host path on or off for arrays created from now on (the XLA-only switch at run time)."""
    if not isinstance(enabled, bool):
        raise TypeError(f"set_host_path: enabled must be a bool, got {type(enabled).__name__}")
    ENABLED[0] = enabled


def get_host_path() -> bool:
    """Whether new small eager arrays on a CPU default device are host (NumPy) values."""
    return ENABLED[0]


def _settle():
    import jax

    devices = jax.devices()
    _DEVICE[0] = devices[0]
    _ONLY_DEVICE[0] = len(devices) == 1
    _CPU_DEFAULT[0] = _DEVICE[0].platform == "cpu"
    return _CPU_DEFAULT[0]


def place(device=None):
    """THE placement rule: whether a new eager array asked for on ``device`` (None: no device asked for) is a host
    value. Yes when the host path is on, JAX's default device is a CPU, no JAX transformation is tracing (arrays
    made inside a trace are JAX values, as they would be without the host path), and either no device was asked
    for and no default-device override names another device, or the device asked for is JAX's only device (so
    being uncommitted cannot change which arrays it may be combined with). Size plays no part."""
    if not ENABLED[0]:
        return False
    cpu = _CPU_DEFAULT[0]
    if cpu is None:
        cpu = _settle()
    if not cpu or not _is_top_level():
        return False
    if device is not None:
        return _ONLY_DEVICE[0] and device == _DEVICE[0]
    override = _DEFAULT_DEVICE.value
    return override is None or override is _DEVICE[0] or _names_the_default_device(override)


_is_top_level = _jax_private.is_top_level
_DEFAULT_DEVICE = _jax_private.DEFAULT_DEVICE  # the default-device override (``.value``), read on every creation


def _names_the_default_device(override):
    """Whether a default-device override names the device JAX would pick anyway (``jax.devices()[0]``, or its
    platform's name): SciPy's test configuration sets ``jax_default_device`` to the first CPU device, which changes
    no placement, so it keeps the host path."""
    return override == _DEVICE[0] or override == _DEVICE[0].platform


def under_override(value):
    """A host result made while a default-device override is set: itself when the override names the default
    device, else a jax.Array on the override's device, where JAX puts the result of an uncommitted operand."""
    override = _DEFAULT_DEVICE.value
    if override is None or override is _DEVICE[0] or _names_the_default_device(override):
        return value
    return to_jax(value)


def default_device():
    """JAX's default device, where a host value is reported to live (``x.device``)."""
    d = _DEVICE[0]
    if d is None:
        _settle()
        d = _DEVICE[0]
    return d


def to_jax(value):
    """A host value as a jax.Array on the default device (uncommitted, like any new jax.Array). On a CPU the
    jax.Array aliases a large value's buffer (and holds it, so a write copies first, see ``sole_owner``);
    ``jax.device_put`` does that in tens of microseconds at any size, where ``jnp.asarray`` takes milliseconds on
    large values and is about twice as fast on small ones."""
    import jax

    if value.size < _DEVICE_PUT_MIN_SIZE:
        import jax.numpy as jnp

        return jnp.asarray(value)
    return jax.device_put(unborrowed(value))


_DEVICE_PUT_MIN_SIZE = 1 << 12
_CPU_DLPACK_DEVICE: list = []


def cpu_dlpack_device():
    """The DLPack device of a host value: the one a jax.Array on the CPU reports (JAX's enum, ``(kDLCPU, 0)``)."""
    if not _CPU_DLPACK_DEVICE:
        import jax

        _CPU_DLPACK_DEVICE.append(jax.device_put(np.zeros(0), default_device()).__dlpack_device__())
    return _CPU_DLPACK_DEVICE[0]


# NumPy warns about floating-point events (overflow, invalid, division by zero); XLA does not, and neither
# may the namespace. np.errstate costs about 3 µs a call; setting NumPy's error-state context variable
# directly costs about 0.3 µs. The variable is private NumPy API: without it, np.errstate is used.
try:
    from numpy._core._ufunc_config import _extobj_contextvar as _ERRSTATE  # type: ignore[attr-defined]

    with np.errstate(all="ignore"):
        _QUIET = _ERRSTATE.get()
except (ImportError, AttributeError):  # pragma: no cover - other NumPy versions
    _ERRSTATE = None


if _ERRSTATE is not None:
    QUIET = (_ERRSTATE.set, _ERRSTATE.reset, _QUIET)  # set(state) / reset(token), inlined on the hottest paths

    def quiet_on():
        """Turn NumPy's floating-point warnings off; returns the token for ``quiet_off``."""
        return _ERRSTATE.set(_QUIET)

    def quiet_off(token):
        _ERRSTATE.reset(token)

    def quiet(func, *args):
        """``func(*args)`` with NumPy's floating-point warnings off."""
        token = _ERRSTATE.set(_QUIET)
        try:
            return func(*args)
        finally:
            _ERRSTATE.reset(token)
else:  # pragma: no cover
    def quiet_on():
        state = np.errstate(all="ignore")
        state.__enter__()
        return state

    def quiet_off(state):
        state.__exit__(None, None, None)

    QUIET = (lambda _: quiet_on(), quiet_off, None)

    def quiet(func, *args):
        with np.errstate(all="ignore"):
            return func(*args)


def astype(value, dtype):
    """``value`` converted to ``dtype`` as XLA converts: complex to bool is ``!= 0``, complex to real keeps the
    real part, and floats saturate to an integer dtype's range (NaN gives 0)."""
    kind, to = value.dtype.kind, dtype.kind
    if kind == "c" and to != "c":
        if to == "b":
            return value != 0
        value = value.real
        kind = value.dtype.kind
    out = quiet(value.astype, dtype)
    if kind == "f" and to in "iu":
        info = np.iinfo(dtype)
        high = float(info.max) + 1.0  # a power of two, exact in every float dtype
        out = np.where(value >= high, info.max, np.where(value < info.min, info.min, out)).astype(dtype)
        out[np.isnan(value)] = 0
    return out


class Borrowed:
    """The owner of a borrowed value's memory, as NumPy sees it (the value's ``base``, or its ``base``'s ``base``
    for a NumPy view of it, since NumPy does not collapse a base that is not an array): ``foreign`` tells borrowed
    memory from the memory of this package's own values by it. ``root``: a weak reference to the root Array made
    over it (``_array.Array._borrowing``), which ``own`` gives memory of its own."""

    __slots__ = ("owner", "__array_interface__", "root")

    def __init__(self, owner):
        self.owner = owner
        self.__array_interface__ = owner.__array_interface__
        self.root = None


def borrow(value):
    """``value`` (NumPy memory that someone else may still write: the caller's array, a DLPack producer's buffer)
    as a host value marked as borrowed (``foreign``)."""
    return np.asarray(Borrowed(value))


def own(value):
    """``value`` for XLA to read: a borrowed root value becomes a copy of its own, in aligned memory that XLA reads in
    place, stored as its root Array's value (``_array.Array._own_memory``), so that the copy is made once, not on
    every call, and the root and XLA agree from then on; any other value is itself."""
    base = value.base
    if type(base) is Borrowed and base.root is not None:
        root = base.root()
        if root is not None:
            return root._own_memory(value)
    return value


def foreign(value):
    """Whether a host value's memory is borrowed (``borrow``), directly or through NumPy views."""
    base = value.base
    if type(base) is HostArray:
        base = base.base
    return type(base) is Borrowed


def unborrowed(value):
    """``value`` for ``jax.device_put``, which reads aligned host memory in place: itself, or an aligned copy of it
    where its memory is borrowed (a jax.Array must never change with its owner's writes)."""
    return aligned_copy(value) if foreign(value) else value


def detached(value):
    """``value``, or a copy of it where its memory is borrowed: for explicit copies (``copy=True``, ``astype``,
    ``copy.copy``), which NumPy's own copy makes, as a write's copy is (aligned copies are for XLA: ``unborrowed``,
    ``own``)."""
    return value.copy() if foreign(value) else value


def sole_owner(value, holders):
    """Whether ``value`` (a root array's host value) may be written in place: it owns its memory (or is an aligned
    value, the only view of its buffer but for NumPy views of it, see ``aligned``), is writeable, and nothing
    holds it but the root array's slot and the ``holders`` references the caller counts (its own locals and the
    NumPy views it counts). A NumPy view of it holds it too (its ``base``: for an aligned value, the buffer), and
    so do a deferred result, a jax.Array made from it and an alias made by ``asarray``: each of those makes the
    write copy first, so none of them sees the write."""
    # references: the root's slot, the caller's ``holders``, this function's parameter, getrefcount's argument
    base = value.base
    if base is None:
        return value.flags.writeable and sys.getrefcount(value) <= holders + 3
    if type(base) is not HostArray or base.base is not None or base.dtype != np.uint8:
        return False
    # the buffer's references beyond its value's ``base``, this local and getrefcount's argument: NumPy views
    return value.flags.writeable and sys.getrefcount(value) + sys.getrefcount(base) - 3 <= holders + 3


ALIGNMENT = 64  # XLA's CPU client uses host memory aligned to 64 bytes in place; it copies anything else


def aligned(value):
    """``value`` (a fresh NumPy array the caller does not keep) in memory that XLA uses without a copy: itself
    when small or already aligned, else an aligned copy (a C-ordered view of a uint8 buffer that nothing else
    holds). NumPy allocates 16-byte aligned memory, which costs a copy (about 0.6 ms per 8 MB) on every crossing
    to XLA: each hot call the engine computes with XLA, each ``jax.jit`` call on the array."""
    if value.size < _DEVICE_PUT_MIN_SIZE or value.ctypes.data % ALIGNMENT == 0:
        return value
    return aligned_copy(value)


def aligned_copy(value):
    """A copy of ``value``, in 64-byte aligned memory where it is large (see ``aligned``)."""
    if value.size < _DEVICE_PUT_MIN_SIZE:
        return value.copy()
    buffer = np.empty(value.nbytes + ALIGNMENT, np.uint8)
    start = -buffer.ctypes.data % ALIGNMENT
    out = buffer[start:start + value.nbytes].view(value.dtype).reshape(value.shape)
    np.copyto(out, value)
    return out


def written(value, index, update, in_place=False):
    """``value`` with ``update`` (of its dtype) written at ``index``: ``value`` itself when ``in_place`` (the
    caller checked ``sole_owner``), else a copy."""
    out = value if in_place else value.copy()
    out[index] = update if type(update) is HostArray else np.asarray(update)
    return out


# --- the engine for large host values: NumPy first, XLA for hot operations where XLA is faster ---------------
# Operation -> the dtypes on which its XLA CPU kernel beat NumPy's on one of two 2-core x86-64 machines, 2**20
# elements or 1000x1000 matrices, warm (benchmarks/sizes.py, large tier; docs/sizes.md; the other dtypes and
# operations by the same alternating windows of each engine's calls). The winner changes with the machine, not only
# with the operation and the dtype: NumPy's float64 exp took 0.6x XLA's time on one machine and 1.6x on the other
# (an AMD EPYC with AVX-512), where XLA's exp, logaddexp and copysign, and its float32 tanh and sqrt, won too
# (logaddexp by 4-12x). So the table lists candidates, and ``engine`` decides each call by timing both engines on
# it, on the machine it runs on; a candidate that loses costs one background compile and a few trials per hot call.
# XLA won its element-wise functions and reductions below on float64 and some of them on float32 too (NumPy's
# float32 cos, reciprocal, sum, max and mean beat XLA's, cos by 4-7x, on both machines; XLA's float32 prod is twice
# as fast, but NumPy multiplies in order and XLA in a tree, so their float32 products of 2**16 values differed by
# 4e-4, too much for an engine switch to change), and the factorizations and solves on float32 and complex64,
# where NumPy's LAPACK calls take as long as on float64 and complex128 and XLA's about half of that (on float64 and
# complex128 the two tie, or XLA loses: det). XLA loses, often by far (sort: more than 4x), for the rest on both
# machines, matmul included (1.1-1.9x NumPy's time at 300x300 to 100,000x20, either real dtype). `svd` and `eigh`
# stay on NumPy: XLA's float32 vectors differ from NumPy's in sign, and a call's results must not change by more
# than rounding when its engine does.
_F64 = frozenset({np.dtype(np.float64)})
_REAL = _F64 | {np.dtype(np.float32)}
_SINGLE = frozenset({np.dtype(np.float32), np.dtype(np.complex64)})
XLA_FASTER = {
    **dict.fromkeys(["sin", "cos", "reciprocal", "sum", "prod", "max", "min", "mean"], _F64),
    **dict.fromkeys(["exp", "tanh", "sqrt", "hypot", "remainder", "floor_divide", "logaddexp", "copysign", "std",
                     "var"], _REAL),
    **dict.fromkeys(["cholesky", "solve", "inv", "qr", "svdvals"], _SINGLE),
    "det": frozenset({np.dtype(np.float32)}),
}
HOT_MIN_SIZE = 1 << 16  # below this NumPy's call is cheaper than moving the value to XLA and back
# NumPy seconds spent on one (operation, static arguments, dtypes, shapes) after which compiling its XLA kernel
# (30-60 ms, once) has paid for itself: the rule of renting until the rent reaches the price of buying. The rent is
# NumPy's best call times the calls made: the sum of the calls' times would grow with the machine's load (and with
# a cold first call) and buy a compile, which takes a core from the program, exactly when the machine is busiest.
COMPILE_BUDGET = 0.1
# Calls that decide between XLA and NumPy for good: they take turns in runs of TRIAL_RUN calls, NumPy's run first,
# two runs each, and the engine whose timed calls were faster (``_typical``) wins. Taking turns puts both engines
# under the same load (the load of a 2-core machine changes from one tenth of a second to the next), and equal
# numbers of calls make the comparison fair: a best of hundreds of calls against a best of a few measured the
# machine's quiet moments, and one process of six decided `mean` of 2**20 values otherwise than the five others
# (by medians in turns, NumPy's 0.30-0.37 ms against XLA's 0.39-0.47, in all six). The first call of each run is
# not timed: it runs while the other engine's threads still spin (OpenBLAS's and XLA's spin for up to 0.1 s after
# a call) or sleep, which a program calling the operation in a loop never meets; a 1000x1000 float32 `cholesky`
# took 98-119 ms there on either engine against 6-11 in the rest of the run, and with those calls timed the trials
# kept NumPy's 10 ms `cholesky` where XLA's took 6.5. Two runs each: a load burst over one run can decide for the
# slower engine, and ``_typical`` over two runs' times outvotes one disturbed run. The trials follow one untimed
# XLA call: an executable's first executions on a CPU are several times slower than its later ones (XLA's buffers
# and threads warming up).
TRIALS = 12  # the trial calls, the first of each run included
TRIAL_RUN = 3
TIMED_TRIALS = TRIALS * (TRIAL_RUN - 1) // TRIAL_RUN  # both engines together
# A cheap call takes more trials: at least this many seconds of them, both engines together (and no more trials
# than NumPy's calls before them); the times of calls of a fraction of a millisecond vary by a third.
TRIAL_SECONDS = 0.04
# NumPy calls before a compile, however long they take. A call that has come k times is expected to come about k
# times more, and a compile is paid back only by the calls after the 1 + TRIALS it takes to decide: a call seen
# fewer times than that (a library function's one pass over a data set, repeated once) would pay for a compile and
# the slow first XLA executions and never use the kernel. Also, a first call is often cold (LAPACK's first call,
# fresh pages: one 1000x1000 cholesky measured 680 ms on NumPy against 26 warm), and NumPy's best is of them all.
NUMPY_CALLS = 2 * (1 + TRIALS)
# A verdict is taken again, by new trials, once the decided call has come RECHECK times as often as it had when
# it was decided, and then each time RECHECK times as often again: trials under a passing load (another process,
# a compile, the threads of the engine that just lost) can decide wrongly, and a wrong verdict would stand for the
# rest of the program. The trials of the engine that loses cost a few percent of the calls at the first check, and
# less at each later one.
RECHECK = 4
_SPENT: dict = {}  # key -> _Record
_MAX_KEYS = 4096
_LOCK = threading.Lock()  # guards the decisions (a compile, a verdict), the trials and _SPENT's growth
_COMPILING = "compiling"  # a record's kernel while its compile runs in the background
_PENDING: set = set()  # the futures of the compiles not finished yet (``wait_for_compiles``)
_COMPILER: list = []  # [the one background compile thread's executor], made on the first compile


def _forked():
    """In a forked child, which has no copy of the compile thread: compiles in flight start again when asked."""
    _COMPILER.clear()
    _PENDING.clear()
    for record in list(_SPENT.values()):
        if record.kernel is _COMPILING:
            record.kernel = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forked)


class _Record:
    """What one call (an engine key) has cost: NumPy's calls and best call; its compiled XLA kernel (None: not
    asked for; ``_COMPILING``; or the executable); the calls since it compiled (``turns``: the first untimed, then
    the trials), each engine's trial times and the trials' total; then the verdict, and the calls since it."""

    __slots__ = ("numpy_calls", "numpy_best", "kernel", "turns", "numpy_trials", "xla_trials", "trial_spent",
                 "verdict", "decided_calls", "recheck_at")

    def __init__(self):
        self.numpy_calls, self.numpy_best, self.kernel = 0, float("inf"), None
        self.turns, self.numpy_trials, self.xla_trials, self.trial_spent, self.verdict = 0, [], [], 0.0, None
        self.decided_calls, self.recheck_at = 0, float("inf")  # calls since the verdict; when to take it again


def engine(name, jitted, host, *values, static=(), **kwargs):
    """``host(*values, **kwargs)`` on NumPy, or ``jitted``'s compiled kernel (the one engine decision for large
    host values). NumPy until its best call times its calls reaches ``COMPILE_BUDGET``, in ``NUMPY_CALLS`` calls or
    more; then the kernel compiles in a background thread while NumPy keeps computing the calls; once it is
    compiled, XLA computes one call untimed, then ``TRIALS`` timed calls take turns, NumPy and XLA, in runs of
    ``TRIAL_RUN`` (more for a cheap call: ``TRIAL_SECONDS`` of them, at most NumPy's calls); then whichever had the
    lower typical time (``_typical``), until new trials take the verdict again (``RECHECK``). ``static``: the
    call's other hashable parameters; ``kwargs``: ``jitted``'s static arguments. The callers send only calls of an
    operation of ``XLA_FASTER`` with a host value of ``HOT_MIN_SIZE`` elements or more; a call whose host values
    are not all of the operation's dtypes there runs on NumPy, unrecorded. A decided call costs one flat key, two
    dict lookups and a count."""
    dtypes = XLA_FASTER[name]
    if len(values) == 1:  # the common call, without a list and a generator
        v = values[0]
        if v.dtype not in dtypes:
            return host(*values, **kwargs)
        key = (name, static, (v.dtype, v.shape))
    else:
        key = (name, static, *[(v.dtype, v.shape) for v in values if type(v) is HostArray])
        if not all(k[0] in dtypes for k in key[2:]):
            return host(*values, **kwargs)
    record = _SPENT.get(key)
    if record is None:
        with _LOCK:
            if len(_SPENT) >= _MAX_KEYS:
                _SPENT.clear()
            record = _SPENT.setdefault(key, _Record())
    verdict, kernel = record.verdict, record.kernel
    if verdict is not None:
        record.decided_calls += 1  # without the lock: a race can only delay the next check by a call or two
        if record.decided_calls >= record.recheck_at:
            _check_again(record)
        return on_xla(kernel, *values) if verdict == "xla" else host(*values, **kwargs)
    if kernel is None or kernel is _COMPILING:
        start = time.perf_counter()
        out = host(*values, **kwargs)
        spent = time.perf_counter() - start
        # NumPy's running figures go without the lock (threads racing here can only lose a few calls, which delays
        # a compile a little); the lock makes the one decision to compile
        record.numpy_calls += 1
        if spent < record.numpy_best:
            record.numpy_best = spent
        if (kernel is None and record.numpy_calls >= NUMPY_CALLS
                and record.numpy_best * record.numpy_calls >= COMPILE_BUDGET):
            with _LOCK:
                ask = record.kernel is None
                if ask:
                    record.kernel = _COMPILING  # at most one compile per key
            if ask:
                _compile_later(record, jitted, values, kwargs)
        return out
    with _LOCK:
        turn = record.turns
        record.turns += 1
    if turn == 0:  # the first execution is not a trial
        return on_xla(kernel, *values)
    numpy_turn = (turn - 1) // TRIAL_RUN % 2 == 0
    start = time.perf_counter()
    out = host(*values, **kwargs) if numpy_turn else on_xla(kernel, *values)
    spent = time.perf_counter() - start
    with _LOCK:
        if record.verdict is None:
            record.trial_spent += spent
            if (turn - 1) % TRIAL_RUN == 0:
                return out  # a run's first call, not timed: it pays for the other engine's threads (see TRIAL_RUN)
            (record.numpy_trials if numpy_turn else record.xla_trials).append(spent)
            done = 2 * min(len(record.numpy_trials), len(record.xla_trials))
            if done >= TIMED_TRIALS and (record.trial_spent >= TRIAL_SECONDS or turn >= record.numpy_calls):
                faster = _typical(record.xla_trials) < _typical(record.numpy_trials)
                record.verdict = "xla" if faster else "numpy"
                record.decided_calls = 0
                record.recheck_at = RECHECK * (record.numpy_calls + record.turns)
    return out


def _typical(times):
    """An engine's time in its trials: the time a third of the way up its sorted trial times (the second fastest of
    four). A load burst or a garbage collection only adds time, to a call or two of a run: in the large tier XLA's
    float32 `det` trials took 12.8, 15.1, 31.8 and 63.9 ms against NumPy's 19.5-23.9, and their median kept NumPy.
    Not the fastest: one call in a quiet moment of a busy machine must not decide either."""
    return sorted(times)[(len(times) - 1) // 3]


def _check_again(record):
    """Start new trials of a decided call (``RECHECK``): its verdict is taken again by the next calls' trials, and
    the check after that comes ``RECHECK`` times later."""
    with _LOCK:
        if record.verdict is None or record.decided_calls < record.recheck_at:
            return  # another thread started them
        record.numpy_calls += record.decided_calls  # what the next check's interval grows from
        record.turns = 1  # the kernel has run: no untimed first execution
        record.numpy_trials, record.xla_trials, record.trial_spent, record.verdict = [], [], 0.0, None


def _compile_later(record, jitted, values, kwargs):
    """Compile ``jitted`` for ``values``' shapes and dtypes (with its static ``kwargs``) in the background thread;
    the executable lands in ``record.kernel``. A compile that fails leaves the call on NumPy for good."""
    import jax

    specs = [jax.ShapeDtypeStruct(v.shape, v.dtype) if type(v) is HostArray else v for v in values]

    def compile_():
        try:
            kernel = jitted.lower(*specs, **kwargs).compile()
        except Exception:  # noqa: BLE001 - NumPy computed this call and goes on computing it
            with _LOCK:
                record.kernel, record.verdict = None, "numpy"
        else:
            with _LOCK:
                record.kernel = kernel

    try:
        with _LOCK:
            if not _COMPILER:
                _COMPILER.append(ThreadPoolExecutor(1, thread_name_prefix="array_api_jax-compile"))
                # CPython's hook that runs before concurrent.futures joins its threads (see _drop_compiles);
                # without it (another Python), atexit's runs after that join: exit then waits for the queued
                # compiles, and nothing breaks
                getattr(threading, "_register_atexit", atexit.register)(_drop_compiles)
            future = _COMPILER[0].submit(compile_)
            _PENDING.add(future)
        future.add_done_callback(_PENDING.discard)
    except RuntimeError:  # the interpreter is exiting: no new compiles
        with _LOCK:
            record.kernel, record.verdict = None, "numpy"


def _drop_compiles():
    """At interpreter exit, before ``concurrent.futures`` joins its threads (its hook was registered before this
    one, and the hooks run last-registered first): the compiles not started yet are dropped; the one running
    finishes, while JAX is still intact."""
    _COMPILER[0].shutdown(wait=False, cancel_futures=True)


def wait_for_compiles():
    """Wait until the engine's background compiles asked for so far are done (for tests and benchmarks)."""
    futures.wait(list(_PENDING))


def verdict(key):
    """The engine's verdict on a call: None (still deciding), "xla" or "numpy"."""
    record = _SPENT.get(key)
    return None if record is None else record.verdict


def on_xla(kernel, *args):
    """A compiled kernel on host values, given to the executable as they are: XLA reads an aligned value in place
    (``aligned``; about 0.15 ms faster per call than ``jax.device_put`` first) and copies any other (a borrowed
    root value is made its root's own aligned copy first, once: ``own``). The results
    come back as read-only host values (without a copy), so the next write to them copies first."""
    out = kernel(*[own(a) if type(a) is HostArray else a for a in args])
    # waited for first: np.asarray of a result still being computed waits 20-40 µs longer (a reduction of 2**20
    # values: 0.25 ms of XLA)
    if isinstance(out, (tuple, list)):
        return tuple(np.asarray(o.block_until_ready()) for o in out)
    return np.asarray(out.block_until_ready())
