"""Beyond one machine: the same array_api_jax code on a cluster of processes (jax.distributed).

``python examples/distributed.py --processes 2`` starts two local processes that form one JAX cluster over
loopback (``jax.distributed.initialize`` with JAX's gloo CPU collectives), each with 8 // 2 simulated CPU
devices, and runs a pipeline written against the standard on arrays sharded over all eight devices of both.
Process 0 prints the results: ``--processes 1`` and ``--processes 4`` print the same numbers. On real hosts the
launcher is your cluster's (Slurm, Kubernetes, one process per host); see docs/devices.md.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time

import numpy as np

TIMEOUT_S = 300  # every process of the cluster is killed after this (a peer that died leaves the others waiting)


def pipeline(xp, x, w):
    """Standardize the columns, project, rectify, write a column in place, reduce: only the standard's API."""
    z = (x - xp.mean(x, axis=0)) / xp.std(x, axis=0)
    p = xp.matmul(z, w)
    p = xp.where(p > 0, p, 0.0)
    p[:, 0] = xp.sum(p, axis=1)        # in-place write into an array sharded over every process
    return p, xp.max(p, axis=0)


def run(process_id, num_processes, port, report):
    """One process of the cluster: every process runs the same code on its part of the global arrays.

    Process 0 writes its results to ``report``, a file of its own: its stdout also receives the gloo library's
    connection messages, written from C++ and interleaved with Python's lines at arbitrary points."""
    import jax

    jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(coordinator_address=f"127.0.0.1:{port}", num_processes=num_processes,
                               process_id=process_id)
    from jax.sharding import Mesh, NamedSharding
    from jax.sharding import PartitionSpec as P

    import array_api_jax as xp
    import array_api_jax.extras as bm

    def show(*args):
        if jax.process_index() == 0:
            with open(report, "a") as f:
                print(*args, file=f)

    n = jax.process_count()
    show(f"cluster: {n} process{'es' if n > 1 else ''} x {jax.local_device_count()} CPU devices = "
         f"{jax.device_count()} devices")
    mesh = Mesh(np.array(jax.devices()), ("rows",))   # every device of every process, in jax.devices() order
    rows = NamedSharding(mesh, P("rows", None))
    replicated = NamedSharding(mesh, P())

    # each process provides only its own rows of the global (1024, 16) array, as if it had read them from disk
    data = np.random.default_rng(0).normal(size=(1024, 16))
    n_local = 1024 // jax.process_count()
    mine = data[jax.process_index() * n_local:(jax.process_index() + 1) * n_local]
    x = xp.asarray(jax.make_array_from_process_local_data(rows, mine, data.shape))   # wraps, no copy
    w = xp.asarray(np.random.default_rng(1).normal(size=(16, 8)), device=replicated)
    show(f"x: shape {x.shape}, sharding {x.device.spec}, {n_local} rows in each process")

    p, top = pipeline(xp, x, w)                        # eager: every op runs on all devices of all processes
    jp, jtop = jax.jit(lambda a, b: pipeline(xp, a, b))(x, w)
    show(f"p: sharding {p.device.spec} (eager), {jp.device.spec} (jit)")
    # a reduction to a scalar is replicated: every process can read it
    # within rounding: eager and jit code sum in different orders (the last bits of p, and so of its maxima)
    show(f"eager and jit agree: {bool(xp.all(xp.abs(p - jp) < 1e-12) & xp.all(xp.abs(top - jtop) < 1e-12))}")
    show(f"sum(p) = {float(xp.sum(p)):.6f}")
    # a sharded result is read after replicating it (each process then holds all of it)
    show(f"max(p, axis=0) = {np.round(np.asarray(top.to_device(replicated)), 6).tolist()}")
    show(f"p[:2, :4] = {np.round(np.asarray(p[:2, :4].to_device(replicated)), 6).tolist()}")

    # keyless random numbers straight into the sharded layout: the same numbers for a seed on 1, 2 or 4 processes
    bm.random.seed(0)
    noise = bm.random.normal(size=(1024, 16), device=rows)
    show(f"normal(size=(1024, 16), device=rows): sharding {noise.device.spec}, "
         f"first row {np.round(np.asarray(noise[0, :4].to_device(replicated), np.float64), 6).tolist()}, "
         f"mean {float(xp.mean(noise)):.6f}")

    # a process holds only part of a sharded array: reading it whole raises and names the fixes
    try:
        np.asarray(p)
        show(f"np.asarray(p) on process 0 of {n}: works (one process holds every shard)")
    except ValueError as e:
        show(f"np.asarray(p) on process 0 of {n}: ValueError: {e}")
    jax.distributed.shutdown()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(num_processes):
    """Start the processes on this machine (what a cluster's launcher does on several), wait, clean up."""
    env = dict(os.environ, JAX_PLATFORMS="cpu",
               XLA_FLAGS=f"--xla_force_host_platform_device_count={8 // num_processes}")
    port = free_port()
    procs = []
    with tempfile.TemporaryDirectory() as logs:
        try:
            for i in range(num_processes):
                with open(os.path.join(logs, f"{i}.out"), "w") as out, open(os.path.join(logs, f"{i}.err"), "w") as err:
                    procs.append(subprocess.Popen([sys.executable, __file__, "--process-id", str(i), "--port",
                                                   str(port), "--processes", str(num_processes),
                                                   "--report", os.path.join(logs, "report.txt")],
                                                  stdout=out, stderr=err, env=env))
            deadline = time.monotonic() + TIMEOUT_S
            while time.monotonic() < deadline:
                codes = [p.poll() for p in procs]
                if None not in codes or any(codes):  # all done, or one failed (its peers would wait in vain)
                    break
                time.sleep(0.05)
        finally:
            for p in procs:  # a process still running here has failed peers or ran out of time
                if p.poll() is None:
                    p.kill()
            for p in procs:
                p.wait()
        if os.path.exists(os.path.join(logs, "report.txt")):
            with open(os.path.join(logs, "report.txt")) as f:
                print(f.read(), end="")
        failed = [i for i, p in enumerate(procs) if p.returncode != 0]
        for i in failed:
            with open(os.path.join(logs, f"{i}.err")) as f:
                print(f"process {i} failed (exit code {procs[i].returncode}):\n{f.read()[-3000:]}", file=sys.stderr)
    return 1 if failed else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2, choices=(1, 2, 4),
                        help="how many processes (8 // processes CPU devices each)")
    parser.add_argument("--process-id", type=int, help=argparse.SUPPRESS)   # set by the launcher
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--report", help=argparse.SUPPRESS)   # where process 0 writes its results
    args = parser.parse_args(argv)
    if args.process_id is None:
        return launch(args.processes)
    run(args.process_id, args.processes, args.port, args.report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
