"""BrainPy's random helpers in extras.random: *_like draws, loggamma/maxwell/weibull_min, key management."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import array_api_jax.extras as bm
from array_api_jax.extras import random as rnd


def test_like_draws_take_shape_and_dtype():
    x = rnd.rand_like(bm.zeros((2, 3), dtype=bm.float64))
    assert x.shape == (2, 3) and x.dtype == bm.float64 and bool(bm.all((x >= 0) & (x < 1)))
    assert rnd.randn_like(bm.zeros(4, dtype=bm.int32)).dtype == bm.float32  # integer input: default float
    assert rnd.randn_like(np.zeros(2), dtype=bm.float32).dtype == bm.float32
    i = rnd.randint_like(bm.zeros(100, dtype=bm.int16), 3, 7)
    assert i.dtype == bm.int16 and i.min() >= 3 and i.max() < 7
    assert rnd.rand_like(bm.zeros(2), key=1).tolist() == rnd.rand_like(bm.zeros(2), key=1).tolist()


@pytest.mark.parametrize(("name", "args", "mean"), [
    ("loggamma", (3.0,), float(jax.scipy.special.digamma(3.0))),
    ("maxwell", (), 2 * np.sqrt(2 / np.pi)),
    ("weibull_min", (2.0, 3.0), 3 * 0.886226925),
])
def test_new_distributions_have_their_means(name, args, mean):
    bm.enable_x64()
    x = getattr(rnd, name)(*args, size=200_000, key=0)
    assert x.dtype == bm.float64 and abs(float(x.mean()) - mean) < 0.02
    assert getattr(rnd.default_rng(0), name)(*args, size=3).shape == (3,)


def test_distribution_parameters_are_checked():
    with pytest.raises(ValueError, match="c must be > 0"):
        rnd.weibull_min(0.0)
    with pytest.raises(ValueError, match="a must be > 0"):
        rnd.loggamma(-1.0)


def test_key_management():
    rnd.seed(0)
    k = rnd.get_key()
    assert jax.dtypes.issubdtype(k.dtype, jax.dtypes.prng_key) and bool(rnd.get_key() == k)  # reading: no advance
    a = rnd.split_key()
    assert not bool(rnd.get_key() == k) and rnd.split_keys(3).shape == (3,) and a.shape == ()
    rnd.set_key(jax.random.key(5))
    x = rnd.uniform(size=2)
    rnd.set_key(jax.random.PRNGKey(5))  # raw key data works too
    assert rnd.uniform(size=2).tolist() == x.tolist()
    with rnd.seed_context(1):
        a = rnd.normal(size=2)
    after = rnd.normal(size=2)
    with rnd.seed_context(1):
        assert rnd.normal(size=2).tolist() == a.tolist()
    rnd.set_key(jax.random.key(5))
    rnd.uniform(size=2)
    assert rnd.normal(size=2).tolist() == after.tolist()  # the state was restored after each context


def test_no_module_internals_are_public():
    public = {n for n in dir(rnd) if not n.startswith("_")}
    assert public <= set(rnd.__all__), public - set(rnd.__all__)
    assert not {"np", "jax", "lax", "jnp"} & public
    assert isinstance(jnp.zeros(1), jax.Array)
