"""Beyond one process: the same xp code on a jax.distributed cluster of local processes as on one process.

Each test starts N processes of ``distributed_program.py`` on loopback (gloo collectives, 8 // N CPU devices
each, so the global mesh has eight devices), and runs the same ``program`` here on eight simulated devices:
values, keyless random numbers for a fixed seed and output shardings must agree, and what cannot work on an
array a process does not hold whole must raise an error naming the fix. Each runs on a mesh with an Explicit axis
(jax.make_mesh's default) and on one with an Auto axis. The 2-process test is part of the unit
run; the 4-process one runs with ``make test-distributed`` (ARRAY_API_JAX_TEST_4_PROCESSES=1).

The program also updates an extras Variable holding a row-sharded value under plain jax.jit.
"""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import jax
import numpy as np
import pytest
from distributed_program import SHAPE, data, program, specs
from jax.sharding import AxisType, Mesh, NamedSharding, PartitionSpec

import array_api_jax as xp
import array_api_jax.extras as bm

pytestmark = pytest.mark.skipif(jax.device_count() < 8, reason="needs 8 (simulated) devices")

PROGRAM = Path(__file__).with_name("distributed_program.py")
TIMEOUT_S = 300  # for the whole cluster; a process that hangs (e.g. waiting for a peer that died) is killed


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_processes(commands, out, env=None, timeout=TIMEOUT_S):
    """Start the commands, wait for all (stopping at the first failure or the timeout), kill any left by id."""
    procs, logs = [], []
    deadline = time.monotonic() + timeout
    try:
        for i, command in enumerate(commands):
            logs.append(open(out / f"{i}.log", "w"))
            procs.append(subprocess.Popen(command, stdout=logs[-1], stderr=subprocess.STDOUT, env=env))
        while time.monotonic() < deadline:
            codes = [p.poll() for p in procs]  # every one polled (any() would stop at the first still running)
            if None not in codes or any(codes):  # all done, or one failed: its peers would wait for it in vain
                break
            time.sleep(0.05)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
        for p in procs:
            p.wait()
        for log in logs:
            log.close()
    failed = [i for i, p in enumerate(procs) if p.returncode != 0]
    if failed:  # (a plain assert would indent the logs)
        raise AssertionError("\n".join(f"process {i} of {len(procs)} exited with {procs[i].returncode}:\n"
                                       f"{(out / f'{i}.log').read_text()[-4000:]}" for i in failed))


def run_cluster(n, out, axis_type):
    """n processes of distributed_program.py with 8 // n CPU devices each; their results and reports."""
    env = dict(os.environ, XLA_FLAGS=f"--xla_force_host_platform_device_count={8 // n}", JAX_PLATFORMS="cpu")
    port = free_port()
    run_processes([[sys.executable, str(PROGRAM), str(i), str(n), str(8 // n), str(port), str(out), axis_type]
                   for i in range(n)], out, env)
    return [(dict(np.load(out / f"{i}.npz")), json.loads((out / f"{i}.json").read_text())) for i in range(n)]


@pytest.fixture(scope="module", params=["Explicit", "Auto"])
def reference(request):
    """``program`` on one process with eight devices (drawing from a generator of its own: the processes of
    the cluster use the module's functions, which share the global state with the other tests)."""
    mesh = Mesh(np.array(jax.devices()[:8]), ("rows",), axis_types=(getattr(AxisType, request.param),))
    rows = NamedSharding(mesh, PartitionSpec("rows", None))
    x, w = data()
    results = program(xp.asarray(x, device=rows), xp.asarray(w, device=NamedSharding(mesh, PartitionSpec())),
                      rows, xp, bm.random.RandomState())
    results["from_process_local_data"] = xp.asarray(x, device=rows)
    return {k: np.asarray(v) for k, v in results.items()}, specs(results), request.param


def check_cluster(n, tmp_path, reference):
    values, spec, axis_type = reference
    for process, (got, info) in enumerate(run_cluster(n, tmp_path, axis_type)):
        assert (info["devices"], info["local_devices"]) == (8, 8 // n)
        assert set(got) == set(values)
        for name, want in values.items():
            np.testing.assert_allclose(got[name], want, rtol=1e-12, atol=1e-12,
                                       err_msg=f"{name} on process {process} of {n}")
        assert info["specs"] == spec, f"process {process} of {n}"
        assert {k: v for k, v in info["checks"].items() if v != "ok"} == {}, f"process {process} of {n}"
    assert not np.array_equal(values["jit_draw_1"], values["jit_draw_2"])  # a jitted draw advances the state


def test_a_failed_process_ends_the_others_at_once(tmp_path):
    start = time.monotonic()
    with pytest.raises(AssertionError) as info:
        run_processes([[sys.executable, "-c", "import time; time.sleep(60)"],
                       [sys.executable, "-c", "import sys; print('boom'); sys.exit(3)"]], tmp_path)
    assert time.monotonic() - start < 30
    assert "process 1 of 2 exited with 3:\nboom" in str(info.value)
    assert "process 0 of 2 exited with -9" in str(info.value)  # killed


def test_a_process_past_the_timeout_is_killed(tmp_path):
    with pytest.raises(AssertionError, match="process 0 of 1 exited with -9"):
        run_processes([[sys.executable, "-c", "import time; time.sleep(60)"]], tmp_path, timeout=1)


def test_reference_keeps_the_row_sharding(reference):
    values, spec, _ = reference
    assert values["chain"].shape == SHAPE
    for name in ("chain", "matmul", "where", "sort", "setitem_inplace", "views_root", "view_reread", "normal",
                 "jit_draw_1", "jit_pipeline"):
        assert spec[name] == "P('rows', None)", name


def test_two_processes_agree_with_one(tmp_path, reference):
    check_cluster(2, tmp_path, reference)


@pytest.mark.skipif(not os.environ.get("ARRAY_API_JAX_TEST_4_PROCESSES"),
                    reason="4 processes: run with make test-distributed (ARRAY_API_JAX_TEST_4_PROCESSES=1)")
def test_four_processes_agree_with_one(tmp_path, reference):
    check_cluster(4, tmp_path, reference)
