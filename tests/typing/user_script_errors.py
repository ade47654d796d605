"""A user's script with one mistake the type checker must report: the misspelled function below (see
tests/test_typing.py, which asserts that mypy reports exactly that error)."""

import array_api_jax as xp

x = xp.asarray([1.0, 2.0])
y = xp.multiplyy(x, x)
