"""The 13 standard dtypes, their categories and the standard's promotion table, as data.

Internally dtypes are NumPy dtype objects (what JAX arrays report). The public dtype objects
(``xp.float64``, ``x.dtype``) are ``DType`` singletons wrapping them: they compare equal to each other and to
the matching NumPy dtype, but never to None, strings or Python types (``numpy.dtype(None)`` is float64, so a
bare NumPy dtype would compare equal to None). Nothing here calls JAX.
"""

import numpy as np

# the standard's 13 dtypes, with one static type (NumPy's stubs give each its own, and mypy widens mixed tables of
# them to object)
DTYPES: tuple[np.dtype, ...] = tuple(np.dtype(name) for name in (
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64",
    "complex64", "complex128"))
bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64, complex64, complex128 = DTYPES  # noqa: A001
DTYPES_SET = frozenset(DTYPES)
DTYPE_NAMES = {d.name: d for d in DTYPES}



class DType:
    """A data type of the array API standard (one object per dtype; ``.name`` is its standard name)."""

    __slots__ = ("name", "dtype")

    def __init__(self, np_dtype):
        self.dtype = np_dtype  # NumPy and jax.numpy accept objects with a ``dtype`` attribute as dtypes
        self.name = np_dtype.name

    def __eq__(self, other):
        return other is self if isinstance(other, DType) else NotImplemented

    def __hash__(self):
        return hash(self.dtype)

    def __repr__(self):
        return f"array_api_jax.{self.name}"

    def __str__(self):
        return self.name

    def __reduce__(self):
        return (public_by_name, (self.name,))


PUBLIC = {d: DType(d) for d in DTYPES}  # NumPy dtype -> the public DType


SIGNED_ORDER = (int8, int16, int32, int64)
SIGNED = frozenset(SIGNED_ORDER)
UNSIGNED = frozenset((uint8, uint16, uint32, uint64))
INTEGER = SIGNED | UNSIGNED
REAL_FLOATING = frozenset((float32, float64))
COMPLEX_FLOATING = frozenset((complex64, complex128))
FLOATING = REAL_FLOATING | COMPLEX_FLOATING
NUMERIC = INTEGER | FLOATING
REAL = INTEGER | REAL_FLOATING
BOOLEAN = frozenset((bool,))

# Category names as used by functions' documentation and error messages; "isdtype" kinds map onto these.
CATEGORIES = {
    "bool": BOOLEAN,
    "signed integer": SIGNED,
    "unsigned integer": UNSIGNED,
    "integer": INTEGER,
    "integer or boolean": INTEGER | BOOLEAN,
    "real floating": REAL_FLOATING,
    "complex floating": COMPLEX_FLOATING,
    "floating-point": FLOATING,
    "real-valued floating-point": REAL_FLOATING,
    "real-valued": REAL,
    "numeric": NUMERIC,
    "all": frozenset(DTYPES),
}
ISDTYPE_KINDS = {
    "bool": BOOLEAN,
    "signed integer": SIGNED,
    "unsigned integer": UNSIGNED,
    "integral": INTEGER,
    "real floating": REAL_FLOATING,
    "complex floating": COMPLEX_FLOATING,
    "numeric": NUMERIC,
}

# Defaults can be switched (see ``array_api_jax.set_default_dtypes``); kept in one mutable dict.
DEFAULTS = {"real floating": float64, "complex floating": complex128, "integral": int64, "indexing": int64}

_COMPLEX_OF = {float32: complex64, float64: complex128, complex64: complex64, complex128: complex128}
REAL_OF = {complex64: float32, complex128: float64, float32: float32, float64: float64}


def _build_promotion_table():
    table = {}
    ladders = [
        (int8, int16, int32, int64),
        (uint8, uint16, uint32, uint64),
        (float32, float64),
        (complex64, complex128),
    ]
    for ladder in ladders:
        for i, a in enumerate(ladder):
            for b in ladder[i:]:
                table[a, b] = table[b, a] = b
    # unsigned with signed: the smallest signed type holding both; nothing for uint64
    signed_by_size = {1: int8, 2: int16, 4: int32, 8: int64}
    for u in (uint8, uint16, uint32):
        for si in SIGNED_ORDER:
            table[u, si] = table[si, u] = signed_by_size[max(2 * u.itemsize, si.itemsize)]
    # real with complex floating-point
    for f in (float32, float64):
        for c in (complex64, complex128):
            res = complex128 if (f == float64 or c == complex128) else complex64
            table[f, c] = table[c, f] = res
    table[bool, bool] = bool
    return table


PROMOTION = _build_promotion_table()


def promote(a, b, func):
    """The standard's result dtype of ``a`` and ``b``; TypeError where the standard defines none."""
    try:
        return PROMOTION[a, b]
    except KeyError:
        raise TypeError(f"{func}: the array API standard defines no promotion between {a} and {b}; "
                        "cast one operand explicitly with astype") from None


def complex_of(dtype):
    return _COMPLEX_OF[dtype]


def name_of_category(dtypes):
    """The category name for a frozenset of dtypes, used in error messages."""
    for name, members in CATEGORIES.items():
        if members == dtypes:
            return name
    return ", ".join(sorted(d.name for d in dtypes))


def public_by_name(name):
    """The public DType of a standard dtype name (used to unpickle DType singletons)."""
    return PUBLIC[DTYPE_NAMES[name]]
