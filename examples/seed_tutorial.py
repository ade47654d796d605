"""The seed tutorial: NumPy-style arrays that mutate in place, and keyless random numbers.

``array_api_jax.extras`` is a NumPy-style namespace (``bm.array``, methods such as ``.reshape``, NumPy's
promotion) whose arrays are JAX arrays underneath; ``bm.random`` draws without passing keys around.

Run: python examples/seed_tutorial.py
"""

import textwrap

import array_api_jax.extras as bm


def show(label, value):
    print(f"{label}\n{textwrap.indent(repr(value), '    ')}")


def main():
    a1 = bm.array([[0, 1, 2], [3, 4, 5]])
    a1 += 1                          # in place: a1 is the same object, now [[1, 2, 3], [4, 5, 6]]
    show("a1 += 1", a1)

    a2 = bm.ones(3)
    a2[0:2] = 10.0                   # slice assignment
    a2[2] = 0.0                      # item assignment
    show("a2 after a2[0:2] = 10. and a2[2] = 0.", a2)

    a3 = a1 + a2                     # NumPy promotion in extras: int32 + float32 -> float32 (BrainPy's defaults)
    show("a3 = a1 + a2", a3)
    show("bm.sort(a3, axis=-1)", bm.sort(a3, axis=-1))
    show("a1.reshape(6, -1).shape", a1.reshape(6, -1).shape)

    r3 = bm.random.uniform()         # keyless: the state lives in a jax.Ref and advances by itself
    show("bm.random.uniform()", r3)
    r4 = bm.random.uniform(key=1)    # key=: a pure function of the key, the state is not touched
    r5 = bm.random.uniform(key=1)
    show("uniform(key=1) == uniform(key=1)", r4 == r5)
    show("bm.random.random((5, 3))", bm.random.random((5, 3)))

    assert a1.dtype == bm.int32 and a2.dtype == bm.float32 and a3.dtype == bm.float32
    assert a1.tolist() == [[1, 2, 3], [4, 5, 6]]
    assert a3.tolist() == [[11.0, 12.0, 3.0], [14.0, 15.0, 6.0]]
    assert bm.sort(a3, axis=-1).tolist() == [[3.0, 11.0, 12.0], [6.0, 14.0, 15.0]]
    assert a1.reshape(6, -1).shape == (6, 1)
    assert 0.0 <= float(r3) < 1.0 and bool(r4 == r5)
    r = bm.random.random((5, 3))
    assert r.shape == (5, 3) and bool(bm.all((r >= 0) & (r < 1)))


if __name__ == "__main__":
    main()
