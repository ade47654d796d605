"""Stress: threads and long eager loops.

- 8 threads doing eager operations and mutations (views included) on their own arrays give the same results as
  the same workloads run one after the other.
- A long loop of small eager operations keeps memory flat: the compiled-kernel caches stop growing after the
  warm-up (integer positions are dynamic arguments, so ``x[i]`` for every i is one kernel), and the resident set
  grows by less than a small bound. The default runs 20,000 operations; ``STRESS_FULL=1`` runs 1,000,000 and
  prints the numbers (``STRESS_OPS=n`` sets another count).
"""

import gc
import os
import sys
import threading

import numpy as np
import pytest

import array_api_jax as xp
from array_api_jax import _dispatch, _indexing

FULL = os.environ.get("STRESS_FULL") == "1"
N_OPS = int(os.environ.get("STRESS_OPS", 1_000_000 if FULL else 20_000))
N_THREADS = 8


# --- threads -------------------------------------------------------------------------------------------------


def workload(seed, steps=60):
    """A deterministic mix of eager operations and mutations on arrays owned by one caller."""
    rng = np.random.default_rng(seed)
    x = xp.asarray(rng.integers(-5, 5, size=(4, 6)).astype(np.float64))
    counts = xp.zeros((6,), dtype=xp.int64)
    row = x[1, ...]  # a view: writes through it and into x must stay consistent
    results = []
    for step in range(steps):
        i, j = int(rng.integers(0, 4)), int(rng.integers(0, 6))
        k = step % 8
        if k == 0:
            x[i, j] = float(rng.integers(-9, 9))
        elif k == 1:
            row += 1.0
        elif k == 2:
            x *= xp.asarray(rng.choice([-1.0, 1.0], size=(6,)))
        elif k == 3:
            counts[j] = counts[j] + xp.asarray(1, dtype=xp.int64)
        elif k == 4:
            x[x > 3.0] = 0.0
        elif k == 5:
            row[:j] = xp.sin(row[:j])
        elif k == 6:
            counts += xp.astype(xp.argmax(x, axis=0), xp.int64)
        else:
            x[:, j] = xp.cumulative_sum(x[:, j])
        results.append(float(xp.sum(x)) + float(xp.sum(counts)))
    results.append(np.asarray(xp.sort(xp.reshape(x, (-1,)))).tolist())
    results.append(np.asarray(row).tolist())
    results.append(np.asarray(xp.unique_values(counts)).tolist())
    return results


def test_threads_give_the_same_results_as_a_serial_run():
    seeds = list(range(N_THREADS))
    serial = [workload(s) for s in seeds]
    out = [None] * N_THREADS
    errors = []
    start = threading.Barrier(N_THREADS)

    def run(k):
        try:
            start.wait()
            out[k] = workload(seeds[k])
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    for _ in range(2):
        threads = [threading.Thread(target=run, args=(k,)) for k in range(N_THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        assert out == serial


def test_threads_mutating_separate_views_of_one_array():
    """Each thread owns one row of a shared root (views): the writes land where they should."""
    root = xp.zeros((N_THREADS, 50))
    start = threading.Barrier(N_THREADS)
    lock = threading.Lock()  # writes to one root are serialised by the caller, as with NumPy

    def run(k):
        row = root[k, ...]
        start.wait()
        for i in range(50):
            with lock:
                row[i] = float(k * 100 + i)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(N_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = np.arange(N_THREADS)[:, None] * 100.0 + np.arange(50.0)
    np.testing.assert_array_equal(np.asarray(root), expected)


# --- memory --------------------------------------------------------------------------------------------------


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


KERNELS = [_indexing.getitem_basic, _indexing.setitem_basic, _indexing.getitem_advanced, _indexing.setitem_advanced,
           _dispatch._astype, _dispatch.index_bounds]


def cache_sizes():
    return [k._cache_size() for k in KERNELS]


def small_ops(x, n):
    """n small eager operations (counting each namespace call, operator and index as one) on x, of shape (8,)."""
    idx = xp.asarray([1, 3, 5])
    done = 0
    i = 0
    while done < n:
        k = i % 8
        y = x + 1.0
        z = xp.sin(y)
        x[k] = z[(k + 3) % 8]
        v = x[2:6]
        v *= 0.5
        w = x[idx]
        s = xp.sum(w * w)
        x[7] = s
        x[0] = float(xp.max(xp.abs(x))) * 0.0 + 1.0
        done += 12
        i += 1
    return x


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
@pytest.mark.parametrize("host_path", [True, False], ids=["host", "xla"])
def test_many_small_eager_operations_keep_memory_and_caches_flat(host_path):
    xp.set_host_path(host_path)
    x = xp.asarray(np.linspace(-1.0, 1.0, 8))
    small_ops(x, 5_000)  # warm-up: compile every kernel, fill allocator pools
    gc.collect()
    caches = cache_sizes()
    rss0 = rss_bytes()
    small_ops(x, N_OPS)
    x.block_until_ready()
    gc.collect()
    growth = rss_bytes() - rss0
    assert cache_sizes() == caches, "a compiled-kernel cache grew after the warm-up"
    assert np.all(np.isfinite(np.asarray(x)))
    bound = 64 * 2**20 if FULL else 16 * 2**20
    print(f"\nstress: {N_OPS} eager ops, RSS {rss0 / 2**20:.1f} MiB -> {(rss0 + growth) / 2**20:.1f} MiB "
          f"(growth {growth / 2**20:+.2f} MiB, {growth / N_OPS:+.1f} bytes/op), kernel caches {caches}")
    assert growth < bound
