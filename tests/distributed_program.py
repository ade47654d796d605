"""xp code on arrays that span several processes: one process of a jax.distributed cluster.

``tests/test_distributed.py`` starts N of these on loopback and runs ``program`` in its own process too, on
as many devices as the cluster has in all; the results must agree. (Keyless random numbers depend on the
mesh's devices, in ``jax.devices()`` order, and not on how many processes share them.)

    python tests/distributed_program.py PROCESS_ID NUM_PROCESSES DEVICES_PER_PROCESS PORT OUT_DIR AXIS_TYPE

writes ``OUT_DIR/<PROCESS_ID>.npz`` (every result, gathered) and ``OUT_DIR/<PROCESS_ID>.json`` (the results'
partition specs and the checks of errors on arrays this process cannot read whole). AXIS_TYPE (``Explicit`` or
``Auto``) is the type of the mesh's axis.
"""

import json
import os
import pickle
import sys

import numpy as np

SHAPE = (64, 6)


def data():
    return np.random.default_rng(0).normal(size=SHAPE), np.random.default_rng(1).normal(size=(SHAPE[1], 3))


def program(x, w, rows, xp, rnd):
    """Standard-API code, plus keyless draws from ``rnd`` (array_api_jax.extras.random, or a RandomState of
    it), on a row-sharded x and a replicated w."""
    import jax

    out = {"chain": xp.exp(-xp.abs(x)) * 2.0 + xp.sin(x) / 3.0 - x ** 2,
           "sum": xp.sum(x, axis=0), "mean": xp.mean(x, axis=0), "max": xp.max(x, axis=0),
           "total": xp.sum(x), "matmul": xp.matmul(x, w), "where": xp.where(x > 0.5, x, -x),
           "sort": xp.sort(x, axis=1)}

    z = xp.asarray(x, copy=True)
    z[:, 0] = xp.sum(z, axis=1)          # a column: one element in every row block
    z[3, :] = 1.0                        # one row: inside one device's block
    z[8:24, :] = -2.0                    # rows across two blocks
    z += 1.0
    z *= xp.mean(x, axis=0)              # broadcast against a replicated row
    out["setitem_inplace"] = z

    r = xp.asarray(x, copy=True)
    v = r[:, 1:3]                        # views of a sharded array
    block = r[16:40, :]
    v[...] = -1.0                        # writes through the view reach r
    block += 100.0                       # and so do in-place operators on a view
    r[50, :] = 7.0
    out["views_root"] = r
    out["view_reread"] = v               # v re-reads r after the writes that did not go through it

    rnd.seed(7)
    out["normal"] = rnd.normal(size=SHAPE, device=rows)

    @jax.jit
    def noisy(a):
        return a + rnd.normal(size=a.shape, device=rows)

    out["jit_draw_1"], out["jit_draw_2"] = noisy(x), noisy(x)

    @jax.jit
    def pipeline(a, b):
        c = (a - xp.mean(a, axis=0)) / xp.std(a, axis=0)
        p = xp.matmul(c, b)
        p[:, 0] = xp.max(p, axis=1)
        p *= 2.0
        return xp.where(p > 0, p, 0.0)

    out["jit_pipeline"] = pipeline(x, w)

    import array_api_jax.extras as bm  # state: a Variable holding a row-sharded value, updated under jax.jit

    potential = bm.Variable(bm.zeros(SHAPE, dtype=bm.float64).to_device(rows))

    @jax.jit
    def leak(drive):
        potential.value = potential * 0.5 + drive

    for _ in range(3):
        leak(x)
    out["variable"] = xp.asarray(jax.numpy.asarray(potential.value))
    return out


def specs(results):
    return {k: str(v.device.spec) for k, v in results.items()}


def check_errors(x, xp, rep, devices):
    """What cannot work on an array this process does not hold whole raises, naming the fixes; the fixes work."""
    import jax
    import jax.numpy as jnp
    from jax.experimental import multihost_utils
    from jax.sharding import Mesh, NamedSharding, PartitionSpec

    me, n = jax.process_index(), jax.process_count()
    checks = {}

    def expect(name, error, call, *words):
        try:
            call()
        except error as e:
            missing = [w for w in words if w not in str(e)]
            checks[name] = f"message lacks {missing}: {e}" if missing else "ok"
        except Exception as e:  # noqa: BLE001 - reported as a failed check
            checks[name] = f"{type(e).__name__} instead of {error.__name__}: {e}"
        else:
            checks[name] = f"no {error.__name__}"

    fixes = ("process_allgather", "PartitionSpec()")
    expect("np.asarray", ValueError, lambda: np.asarray(x), "__array__", *fixes)
    expect("__dlpack__", BufferError, lambda: x.__dlpack__(), "__dlpack__", *fixes)
    expect("pickle", ValueError, lambda: pickle.dumps(x), "pickle", *fixes)

    # a 0-d array living only on the devices of the next process: nothing of it is here
    other = [d for d in jax.devices() if d.process_index == (me + 1) % n]
    elsewhere = NamedSharding(Mesh(np.array(other), ("d",)), PartitionSpec())
    lonely = xp.asarray(jax.make_array_from_callback((), elsewhere, lambda index: np.float64(2.5),
                                                      dtype=np.float64))
    lonely_int = xp.asarray(jax.make_array_from_callback((), elsewhere, lambda index: np.int64(3),
                                                          dtype=np.int64))
    for func, call in (("__bool__", bool), ("__float__", float), ("__complex__", complex)):
        expect(func, ValueError, lambda call=call: call(lonely), func, *fixes)
    for func, call in (("__int__", int), ("__index__", lambda a: [0, 1, 2, 3][a])):
        expect(func, ValueError, lambda call=call: call(lonely_int), func, *fixes)

    text = repr(x)  # repr never raises: it says where the values are
    typed = "64@rows" if x.device.mesh.axis_types[0] == jax.sharding.AxisType.Explicit else "64"  # JAX's type
    wanted = (f"array_api_jax.Array(<float64[{typed},6] spread over {devices} devices of {n} processes; this "
              "process does not hold all of it>)")
    checks["repr"] = "ok" if text == wanted else f"repr gave {text!r}"

    # the fixes: a replicated copy, or process_allgather; a replicated result reads as usual
    whole = np.asarray(x.to_device(rep))
    gathered = multihost_utils.process_allgather(jnp.asarray(x), tiled=True)
    checks["fixes"] = "ok" if np.array_equal(whole, data()[0]) and np.array_equal(gathered, whole) else "differ"
    total = float(xp.sum(x))
    checks["replicated scalar"] = "ok" if np.isclose(total, data()[0].sum(), rtol=1e-12) else f"{total} differs"
    return checks


def main(process_id, num_processes, per_process, port, out_dir, axis_type):
    os.environ["XLA_FLAGS"] = f"--xla_force_host_platform_device_count={per_process}"
    os.environ["JAX_PLATFORMS"] = "cpu"
    import jax

    jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(coordinator_address=f"127.0.0.1:{port}", num_processes=num_processes,
                               process_id=process_id, initialization_timeout=60)
    from jax.sharding import Mesh, NamedSharding, PartitionSpec

    import array_api_jax as xp
    import array_api_jax.extras as bm

    devices = num_processes * per_process
    assert jax.device_count() == devices and jax.process_count() == num_processes
    mesh = Mesh(np.array(jax.devices()), ("rows",),  # every device of every process
                axis_types=(getattr(jax.sharding.AxisType, axis_type),))
    rows = NamedSharding(mesh, PartitionSpec("rows", None))
    rep = NamedSharding(mesh, PartitionSpec())
    x_data, w_data = data()
    # the two ways to build a global array: from a callback that gives any block, or from this process's rows
    x = xp.asarray(jax.make_array_from_callback(SHAPE, rows, lambda index: x_data[index]))
    per_process = SHAPE[0] // num_processes
    local = x_data[process_id * per_process:(process_id + 1) * per_process]
    x_local = xp.asarray(jax.make_array_from_process_local_data(rows, local, SHAPE))
    w = xp.asarray(jax.make_array_from_process_local_data(rep, w_data))   # each process passes all of w
    assert x.device == rows and not x._data().is_fully_addressable

    results = program(x, w, rows, xp, bm.random)
    results["from_process_local_data"] = x_local
    checks = check_errors(x, xp, rep, devices)
    spec = specs(results)
    gathered = jax.jit(lambda t: t, out_shardings=rep)({k: jax.numpy.asarray(v) for k, v in results.items()})
    np.savez(os.path.join(out_dir, f"{process_id}.npz"), **{k: np.asarray(v) for k, v in gathered.items()})
    with open(os.path.join(out_dir, f"{process_id}.json"), "w") as f:
        json.dump({"specs": spec, "checks": checks, "devices": jax.device_count(),
                   "local_devices": jax.local_device_count()}, f)
    jax.distributed.shutdown()


if __name__ == "__main__":
    main(*map(int, sys.argv[1:5]), *sys.argv[5:7])
