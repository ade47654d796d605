"""A user's script that must type-check (mypy, in `make lint`): the stubs give the generated names their types."""

import array_api_jax as xp
import array_api_jax.extras as bm

x = xp.asarray([1.0, 2.0, 3.0])
y = xp.ones(3, dtype=xp.float64)
z: xp.Array = xp.multiply(x, y)
w: xp.Array = x + y * 2.0
x += 1.0
m = xp.linalg.matrix_norm(xp.reshape(xp.arange(4.0), (2, 2)))
q, r = xp.linalg.qr(xp.eye(3))
f = xp.fft.fft(xp.astype(x, xp.complex128))
s: xp.Array = xp.sum(x, axis=0, dtype=xp.float64)
shape: tuple[int | None, ...] = x.shape
n: int = x.shape[0] + 1  # JAX's shapes are always known
host: bool = xp.get_host_path()
first = x[0]
x[1:] = 0.0
ns = x.__array_namespace__()

a = bm.array([1.0, 2.0])
b: bm.ndarray = bm.zeros((2, 2))
c = bm.random.uniform()
d = bm.random.normal(0.0, 1.0, size=(3,))
v = bm.Variable(bm.zeros(3))
e = a + b
