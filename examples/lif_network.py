"""A jitted leaky integrate-and-fire network with keyless random input, and its spike raster.

400 excitatory and 100 inhibitory neurons, randomly connected (10%), driven by a noisy external current.
The whole simulation is one ``jax.jit``-compiled ``lax.scan``; every time step draws fresh Gaussian noise with
``bm.random.normal(...)`` -- no key is passed around: the generator's key lives in a ``jax.Ref`` that the
compiled function reads and advances, so each call of the compiled simulation gives new noise (and
``bm.random.seed`` makes it reproducible). The raster is saved as a PNG with matplotlib.

Run: python examples/lif_network.py [OUTPUT_DIR]      (default: examples/output/; needs matplotlib)
"""

import sys
import time
from pathlib import Path

import jax

import array_api_jax.extras as bm

N_E, N_I = 400, 100           # excitatory, inhibitory neurons
N = N_E + N_I
DT = 0.1                      # ms
STEPS = 3000                  # 300 ms
TAU = 20.0                    # membrane time constant (ms)
T_REF = 2.0                   # refractory period (ms)
V_TH, V_RESET = 1.0, 0.0      # threshold and reset (dimensionless voltage)
MU, SIGMA = 1.05, 0.3         # external drive: mean (slightly above threshold) and noise amplitude
J_E, G = 0.025, 5.0           # excitatory jump; inhibition is G times stronger
P_CONNECT = 0.1


def make_weights(key=0):
    """Random connectivity (a pure function of ``key``): W[i, j] is the jump in neuron i when j spikes."""
    connected = bm.random.uniform(size=(N, N), key=key) < P_CONNECT
    w = bm.where(connected, J_E, 0.0)
    w[:, N_E:] *= -G             # inhibitory columns: an in-place update through a view
    bm.fill_diagonal(w, 0.0)     # no self-connections (NumPy-style, in place)
    return w


@jax.jit
def simulate(w, v0):
    """Run the network for STEPS steps; returns the final voltages and the (STEPS, N) boolean raster."""

    def step(carry, _):
        v, refractory, spikes = carry
        noise = bm.random.normal(size=N)                            # keyless: fresh numbers every step
        dv = DT / TAU * (MU - v) + SIGMA * (DT / TAU) ** 0.5 * noise
        v = v + bm.where(refractory > 0, 0.0, dv) + w @ spikes      # integrate, add recurrent input
        fired = v >= V_TH
        v[fired] = V_RESET                                          # in-place masked write, fine under jit
        refractory = bm.where(fired, T_REF, refractory - DT)
        return (v, refractory, fired.astype(v.dtype)), fired

    carry = (v0, bm.zeros(N), bm.zeros(N))
    (v, _, _), raster = jax.lax.scan(step, carry, None, length=STEPS)
    return v, raster


def summarize(raster):
    counts = raster.sum(axis=0)
    seconds = STEPS * DT / 1000
    return {"spikes": int(counts.sum()), "excitatory rate (Hz)": float(counts[:N_E].mean() / seconds),
            "inhibitory rate (Hz)": float(counts[N_E:].mean() / seconds),
            "silent neurons": int((counts == 0).sum())}


def plot(raster, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    r = np.asarray(raster)
    t, i = np.nonzero(r)
    times = t * DT
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6), sharex=True, height_ratios=(3, 1))
    exc = i < N_E
    for mask, color, label in ((exc, "tab:blue", "excitatory"), (~exc, "tab:red", "inhibitory")):
        top.plot(times[mask], i[mask], "|", color=color, markersize=2.5, markeredgewidth=0.9, label=label)
    top.set_ylabel("neuron")
    top.set_ylim(-1, N)
    top.legend(loc="upper right", markerscale=6, fontsize="small")
    top.set_title(f"LIF network, {N_E} E + {N_I} I neurons, keyless noise drawn inside jax.jit")
    bin_ms = 2.0
    per_bin = int(bin_ms / DT)
    rate = r[: STEPS // per_bin * per_bin].reshape(-1, per_bin, N).sum(axis=(1, 2)) / N / (bin_ms / 1000)
    bottom.plot(np.arange(rate.size) * bin_ms, rate, c="k", lw=0.8)
    bottom.set_xlabel("time (ms)")
    bottom.set_ylabel("rate (Hz)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(output_dir=None):
    output_dir = Path(output_dir) if output_dir else Path(__file__).resolve().parent / "output"
    w = make_weights(key=0)
    v0 = bm.random.uniform(size=N, key=1)

    bm.random.seed(2024)
    start = time.perf_counter()
    v, raster = simulate(w, v0)
    raster.block_until_ready()
    first = time.perf_counter() - start
    start = time.perf_counter()
    _, raster2 = simulate(w, v0)                  # same inputs, no key: new noise, new spikes
    raster2.block_until_ready()
    second = time.perf_counter() - start
    bm.random.seed(2024)
    _, raster3 = simulate(w, v0)                  # same seed: the first run again

    stats = summarize(raster)
    print(f"simulated {STEPS * DT:.0f} ms of {N} neurons in {STEPS} steps: compile + run {first:.2f} s, "
          f"second call {second * 1000:.0f} ms")
    for name, value in stats.items():
        print(f"  {name:22} {value:.1f}" if isinstance(value, float) else f"  {name:22} {value}")
    same_seed = bool(bm.array_equal(raster, raster3))
    different = not bool(bm.array_equal(raster, raster2))
    print(f"second call (no reseed) gives different spikes: {different}; after seed(2024) again, "
          f"identical: {same_seed}")
    assert different and same_seed and stats["spikes"] > 0

    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("matplotlib is not installed: no raster plot (pip install matplotlib)")
        return stats, None
    path = output_dir / "lif_raster.png"
    plot(raster, path)
    print(f"raster plot: {path}")
    return stats, path


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
