"""From one device to an 8-device mesh: the same array_api_jax code, sharded with NamedSharding.

On a machine without 8 accelerators, JAX can simulate 8 CPU devices; the flag must be set before JAX is
imported, so this script sets it when it is not set already. The docs' devices page includes this file.

Run: python examples/sharding.py
"""

import os

os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=8")  # before jax is imported

import jax  # noqa: E402
import numpy as np  # noqa: E402
from jax.sharding import NamedSharding  # noqa: E402
from jax.sharding import PartitionSpec as P  # noqa: E402

import array_api_jax as xp  # noqa: E402
import array_api_jax.extras as bm  # noqa: E402


def pipeline(x, w):
    """Standardize the columns, project, rectify and reduce: only the standard's API."""
    z = (x - xp.mean(x, axis=0)) / xp.std(x, axis=0)
    p = xp.matmul(z, w)
    p = xp.where(p > 0, p, 0.0)
    p[:, 0] = xp.sum(p, axis=1)        # in-place write into a sharded array
    return p, xp.max(p, axis=0)


def main():
    data = np.random.default_rng(0).normal(size=(1024, 16))
    weights = np.random.default_rng(1).normal(size=(16, 8))

    # 1. one device: arrays go to the default device (the first GPU, or the CPU)
    x = xp.asarray(data)
    w = xp.asarray(weights)
    print(f"devices: {len(jax.devices())} x {jax.devices()[0].platform}; x lives on {x.device}")
    single, single_max = pipeline(x, w)

    # 2. a mesh of 8 devices: rows of x split over the mesh, w replicated on every device
    n = min(8, len(jax.devices()))
    mesh = jax.make_mesh((n,), ("rows",))
    rows = NamedSharding(mesh, P("rows", None))
    replicated = NamedSharding(mesh, P())
    xs = xp.asarray(data, device=rows)           # device= takes a jax Device or a Sharding
    ws = xp.asarray(weights, device=replicated)
    print(f"xs.device: {xs.device}")
    print(f"each of the {n} devices holds a block of shape {rows.shard_shape(xs.shape)}")

    sharded, sharded_max = pipeline(xs, ws)       # eager: every op runs on all 8 devices
    compiled = jax.jit(pipeline)                  # Arrays are pytrees: jit them directly
    jitted, jitted_max = compiled(xs, ws)
    print(f"result sharding (jit): {jitted.device}")
    for a, b in ((single, sharded), (single, jitted), (single_max, sharded_max), (single_max, jitted_max)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-12, atol=1e-12)
    print("single-device, sharded eager and sharded jit results agree")

    # 3. a 2-D mesh: rows over "data", the columns of w (and of the result) over "model"
    if n == 8:
        mesh2 = jax.make_mesh((4, 2), ("data", "model"))
        x2 = xp.asarray(data, device=NamedSharding(mesh2, P("data", None)))
        w2 = xp.asarray(weights, device=NamedSharding(mesh2, P(None, "model")))
        y2 = jax.jit(xp.matmul)(x2, w2)
        print(f"2-D mesh: x @ w has sharding {y2.device.spec} over mesh {dict(mesh2.shape)}")
        np.testing.assert_allclose(np.asarray(y2), data @ weights, rtol=1e-12)

    # 4. keyless random numbers straight into a sharded array, also inside jax.jit
    noise = bm.random.normal(size=(1024, 16), device=rows)
    print(f"keyless random draw with device=rows: sharding {noise.device.spec}")

    @jax.jit
    def noisy(x):
        return x + bm.random.normal(size=x.shape, device=rows)

    a, b = noisy(xs), noisy(xs)
    assert not np.array_equal(np.asarray(a), np.asarray(b))   # new numbers on every call
    print("jitted keyless draws over the mesh give new numbers on every call")

    # 5. moving arrays: to_device copies; mixing arrays committed to different devices raises ValueError
    if n >= 2:
        d0, d1 = jax.devices()[:2]
        y = xp.asarray(data, device=d0).to_device(d1)
        print(f"to_device: {y.device}")
        try:
            xp.asarray(data, device=d0) + y
        except ValueError as e:
            print(f"mixing devices: ValueError: {e}")


if __name__ == "__main__":
    main()
