"""The Array operators: one table (``_operations.OPERATORS``) declared in the class body, one in-place rule.

Catalogue tests: every row of the table gives its dunders, each named after itself and documented with its
function and the standard's page; every in-place operator refuses a result of another dtype with the same
exception type and message shape (TypeError), and a result of another shape likewise (ValueError), on the host
path and on XLA, leaving the array unchanged.
"""

import operator
import re

import numpy as np
import pytest

import array_api_jax as xp
from array_api_jax import _operations

BINARY = [stem for stem, (_, forms) in _operations.OPERATORS.items() if forms == "binary"]
INTEGER_ONLY = {"and", "or", "xor", "lshift", "rshift"}


def _dunders(stem, forms):
    return {"binary": [f"__{stem}__", f"__r{stem}__", f"__i{stem}__"]}.get(forms, [f"__{stem}__"])


@pytest.mark.parametrize("stem", list(_operations.OPERATORS))
def test_every_row_is_declared_in_the_class_body_and_documented(stem):
    name, forms = _operations.OPERATORS[stem]
    page = f"https://data-apis.org/array-api/2025.12/API_specification/generated/array_api.array.__{stem}__.html"
    for dunder in _dunders(stem, forms):
        f = vars(xp.Array)[dunder]  # the class's own attribute, not installed on a base or patched elsewhere
        assert f.__name__ == dunder and f.__qualname__ == f"Array.{dunder}"
        assert f.__module__ == "array_api_jax._array"
        assert f.__doc__.startswith(f"Array.{dunder}(") and f"xp.{name}(" in f.__doc__ and page in f.__doc__
        assert hasattr(xp, name)


def test_the_table_covers_every_operator_of_the_standard():
    arithmetic = {"add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul"}
    bitwise = {"and", "or", "xor", "lshift", "rshift"}
    comparisons = {"eq", "ne", "lt", "le", "gt", "ge"}
    unary = {"abs", "neg", "pos", "invert"}
    assert set(_operations.OPERATORS) == arithmetic | bitwise | comparisons | unary
    assert xp.Array.__hash__ is None


def _operands(stem, host):
    """(x, other of a wider dtype, other that broadcasts x to a larger shape) for ``x op= other``."""
    xp.set_host_path(host)
    if stem in INTEGER_ONLY:
        x = xp.asarray([[1, 2], [3, 4]], dtype=xp.int32)
        return x, xp.ones((2, 2), dtype=xp.int64), xp.ones((3, 2, 2), dtype=xp.int32)
    x = xp.asarray([[1.0, 2.0], [3.0, 4.0]], dtype=xp.float32)
    wide = xp.ones((3, 2, 2), dtype=xp.float32) if stem != "matmul" else xp.ones((2, 3), dtype=xp.float32)
    return x, xp.ones((2, 2), dtype=xp.float64), wide


@pytest.mark.parametrize("host", [True, False], ids=["host", "xla"])
@pytest.mark.parametrize("stem", BINARY)
def test_every_in_place_operator_refuses_a_dtype_change_and_a_shape_change_alike(stem, host):
    iop = getattr(operator, f"i{stem}")
    x, other64, wide = _operands(stem, host)
    before = np.asarray(x)
    with pytest.raises(TypeError) as e:
        iop(x, other64)
    wide_dtype, narrow = ("int64", "int32") if stem in INTEGER_ONLY else ("float64", "float32")
    assert re.fullmatch(rf"__i{stem}__: the result dtype {wide_dtype} \(of other with dtype {wide_dtype}\) differs "
                        rf"from the array's dtype {narrow}; use the out-of-place operator", str(e.value))
    with pytest.raises(ValueError) as e:
        iop(x, wide)
    shape = re.escape(str(wide.shape))
    assert re.fullmatch(rf"__i{stem}__: the result shape \(\d(, \d)*\) \(other has shape {shape}\) "
                        rf"differs from the array's shape \(2, 2\); use the out-of-place operator", str(e.value))
    np.testing.assert_array_equal(np.asarray(x), before)  # a failed in-place operator changes nothing
    assert x.dtype == (xp.int32 if stem in INTEGER_ONLY else xp.float32)


@pytest.mark.parametrize("host", [True, False], ids=["host", "xla"])
@pytest.mark.parametrize("stem", BINARY)
def test_every_in_place_operator_writes_a_result_that_fits(stem, host):
    x, _, _ = _operands(stem, host)
    other = xp.ones((2, 2), dtype=x.dtype) if stem != "pow" else xp.asarray(2, dtype=x.dtype)
    expected = getattr(operator, {"and": "and_", "or": "or_"}.get(stem, stem))(x, other)
    same = x
    x = getattr(operator, f"i{stem}")(x, other)
    assert x is same
    np.testing.assert_array_equal(np.asarray(x), np.asarray(expected))


def test_matmul_in_place_takes_no_scalar_like_the_forward_operator():
    x = xp.ones((2, 2))
    for op in (operator.matmul, operator.imatmul):
        with pytest.raises(TypeError, match="@ takes no Python scalars"):
            op(x, 2.0)
