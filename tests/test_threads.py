"""Writes from several threads: each write is atomic with respect to the other writes to the same root array.

A write (setitem, an in-place operator, a write through a view) holds the root's lock from reading the old value to
storing the new one, so disjoint writes are never lost, deferred results are computed once, and readers (which take
no lock) see the value before or after a write, never a mix.
"""

import threading

import numpy as np

import array_api_jax as xp

N_THREADS = 8
N_WRITES = 1000


def _run(target, n=N_THREADS):
    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_disjoint_setitem_slices_lose_nothing():
    x = xp.zeros((N_THREADS, 4))

    def work(i):
        for k in range(N_WRITES):
            x[i, :] = float(k + 1)

    _run(work)
    assert np.all(np.asarray(x) == N_WRITES)


def test_in_place_through_disjoint_row_views_loses_nothing():
    x = xp.zeros((N_THREADS, 3))
    rows = [x[i, :] for i in range(N_THREADS)]

    def work(i):
        for _ in range(N_WRITES):
            rows[i] += 1.0

    _run(work)
    assert np.all(np.asarray(x) == N_WRITES)
    assert all(np.all(np.asarray(r) == N_WRITES) for r in rows)


def test_disjoint_column_views_of_a_transpose_lose_nothing():
    """scikit-learn's pairwise_distances(n_jobs=2): threads fill disjoint slices of one xp.empty(...).T."""
    out = xp.empty((4, 2 * N_THREADS)).T

    def work(i):
        view = out[2 * i:2 * i + 2, :]
        for k in range(N_WRITES // 10):
            view[...] = float(k + i)

    _run(work)
    got = np.asarray(out)
    for i in range(N_THREADS):
        assert np.all(got[2 * i:2 * i + 2] == N_WRITES // 10 - 1 + i)


def test_shared_in_place_add_loses_nothing():
    x = xp.zeros(3)
    view = x[1:]

    def work(i):
        nonlocal x
        for _ in range(N_WRITES):
            x += 1

    _run(work)
    assert np.all(np.asarray(x) == N_THREADS * N_WRITES)
    assert np.all(np.asarray(view) == N_THREADS * N_WRITES)


def test_writes_through_deep_disjoint_views_lose_nothing():
    x = xp.zeros((N_THREADS, 2, 2))
    leaves = [x[i, ...][0, ...][1:] for i in range(N_THREADS)]  # x[i, 0, 1:]

    def work(i):
        for _ in range(N_WRITES // 4):
            leaves[i][0] = leaves[i][0] + 1.0

    _run(work)
    assert np.all(np.asarray(x)[:, 0, 1] == N_WRITES // 4)
    assert np.count_nonzero(np.asarray(x)) == N_THREADS


def test_first_read_of_a_deferred_result_never_undoes_a_write():
    """One thread writes into a fresh deferred comparison while another reads it for the first time."""
    trials = 10_000
    base = xp.asarray([1.0, 2.0, 3.0])
    start, done = threading.Barrier(3), threading.Barrier(3)
    state = {}
    lost = 0

    def writer():
        for _ in range(trials):
            start.wait()
            state["m"][0] = False
            done.wait()

    def reader():
        for _ in range(trials):
            start.wait()
            np.asarray(state["m"])
            done.wait()

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for _ in range(trials):
        state["m"] = base > 0.0  # deferred: computed on first use
        start.wait()
        done.wait()
        lost += bool(state["m"][0])
    for t in threads:
        t.join()
    assert lost == 0


def test_readers_never_see_torn_values():
    x = xp.zeros(64)
    stop = threading.Event()
    seen = []

    def writer(i):
        for k in range(1, N_WRITES + 1):
            x[...] = float(k)
        stop.set()

    def reader(i):
        while not stop.is_set():
            v = np.asarray(x[8:40])
            seen.append(np.all(v == v[0]))

    threads = [threading.Thread(target=writer, args=(0,))] + [threading.Thread(target=reader, args=(i,))
                                                              for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(seen)
