"""Docstrings of the public functions, generated from the standard's text and this library's tables.

Each function of the namespace, ``linalg`` and ``fft`` gets: the standard's summary, this library's own note (the
docstring written beside the code), the standard's parameters and return values (condensed to a sentence each,
from ``_spec_docs.json``, which tools/spec_snapshot.py extracts from the standard's stubs), where this library
deviates from or settles what the standard leaves open (``DEVIATIONS``), the link to the standard's page, and
for the non-trivial functions examples that the unit tests run as doctests (``EXAMPLES``).
"""

import json
from functools import cache
from pathlib import Path

PAGE = "https://data-apis.org/array-api/2025.12/API_specification/generated/array_api.{}.html"

_DATA_DEPENDENT = ("Under jax.jit (or eagerly after ``set_flags(data_dependent_shapes=False)``) raises TypeError: the "
                   "shape of the result depends on the values.")
_SINGULAR = ("Eagerly, an exactly singular matrix raises ValueError (the standard leaves it open); under a JAX "
             "transformation the result holds inf/NaN, as in jax.numpy.")

# what this library does where the standard leaves the behaviour open, or differs from it
DEVIATIONS = {
    **{name: _DATA_DEPENDENT for name in ("nonzero", "unique_all", "unique_counts", "unique_inverse",
                                          "unique_values")},
    "linalg.cholesky": ("Eagerly, a matrix that is not positive definite raises ValueError (the standard leaves it "
                        "open); under a JAX transformation the result holds NaN, as in jax.numpy."),
    "linalg.inv": _SINGULAR,
    "linalg.solve": _SINGULAR,
    "linalg.matrix_power": "For n < 0: " + _SINGULAR,
    "take": "Out-of-bounds indices raise IndexError eagerly (JAX would clamp them silently).",
    "asarray": ("An Array passed with no change asked for is returned itself (``copy=None`` or ``False``), so "
                "aliasing is observable, as the standard allows."),
}

EXAMPLES = {
    "asarray": """
>>> import array_api_jax as xp
>>> x = xp.asarray([1, 2, 3])
>>> x
array_api_jax.Array([1, 2, 3], dtype=int64)
>>> xp.asarray(x) is x
True
>>> xp.asarray([1.5, 2.5], dtype=xp.float32)
array_api_jax.Array([1.5, 2.5], dtype=float32)
""",
    "where": """
>>> import array_api_jax as xp
>>> x = xp.asarray([1, 2, 3])
>>> xp.where(x > 1, x, 0)
array_api_jax.Array([0, 2, 3], dtype=int64)
""",
    "sum": """
Integer sums are accumulated in the default integer dtype (the standard's rule), so int8 does not overflow:

>>> import array_api_jax as xp
>>> xp.sum(xp.asarray([100, 100], dtype=xp.int8))
array_api_jax.Array(200, dtype=int64)
>>> xp.sum(xp.asarray([100, 100], dtype=xp.int8), dtype=xp.int8)
array_api_jax.Array(-56, dtype=int8)
""",
    "linalg.solve": """
>>> import array_api_jax as xp
>>> xp.linalg.solve(xp.asarray([[2.0, 0.0], [0.0, 4.0]]), xp.asarray([2.0, 2.0]))
array_api_jax.Array([1. , 0.5], dtype=float64)
>>> xp.linalg.solve(xp.zeros((2, 2)), xp.ones(2))
Traceback (most recent call last):
ValueError: ...singular...
""",
    "linalg.qr": """
>>> import array_api_jax as xp
>>> q, r = xp.linalg.qr(xp.eye(2))
>>> bool(xp.all(q @ r == xp.eye(2)))
True
""",
    "Array.__getitem__": """
Basic indexing (integers, slices, ``...``, ``None``) gives a view: writing through it writes into the array.

>>> import array_api_jax as xp
>>> x = xp.asarray([[1.0, 2.0], [3.0, 4.0]])
>>> col = x[:, 1]
>>> col[0] = 20.0
>>> x
array_api_jax.Array([[ 1., 20.], [ 3.,  4.]], dtype=float64)
>>> x[xp.asarray([True, False])]
array_api_jax.Array([[ 1., 20.]], dtype=float64)
""",
}


@cache
def spec_docs():
    """The standard's condensed docstrings (see tools/spec_snapshot.py)."""
    return json.loads(Path(__file__).with_name("_spec_docs.json").read_text())


def _entries(title, entries):
    if not entries:
        return []
    lines = [title, "-" * len(title)]
    for name, kind, text in entries:
        lines += [f"{name} : {kind}" if kind else name, f"    {text}"]
    return lines + [""]


def docstring(key, own):
    """The docstring of ``key`` (``add``, ``linalg.qr``, ``Array.__getitem__``) around its own docstring ``own``."""
    section, _, name = key.rpartition(".")
    entry = spec_docs()[{"": "main", "Array": "array"}.get(section, section)].get(name)
    own = (own or "").strip()
    lines = []
    if entry is not None:
        lines += [entry["summary"], ""]
    if own:
        lines += [own.splitlines()[0], *[line for line in own.splitlines()[1:]], ""]
    if entry is not None:
        lines += _entries("Parameters", [e for e in entry["parameters"] if e[0] != "self"])
        lines += _entries("Returns", entry["returns"])
    if key in DEVIATIONS:
        lines += ["Notes", "-----", "This library: " + DEVIATIONS[key], ""]
    if entry is not None and section != "Array":
        lines += [f"The standard: {PAGE.format(key)}", ""]
    if key in EXAMPLES:
        lines += ["Examples", "--------", EXAMPLES[key].strip(), ""]
    return "\n".join(lines).strip() + "\n"


def install(namespace, linalg, fft, array):
    """Write the generated docstring onto every function of the three modules, and ``Array.__getitem__``'s."""
    for prefix, module in (("", namespace), ("linalg.", linalg), ("fft.", fft)):
        for name in module.__all__:
            func = getattr(module, name)
            if prefix and getattr(namespace, name, None) is func:
                continue  # linalg.matmul is the namespace's matmul: documented once
            if callable(func) and not isinstance(func, type) and name in spec_docs()[prefix[:-1] or "main"]:
                func.__doc__ = docstring(prefix + name, func.__doc__)
    array.__getitem__.__doc__ = docstring("Array.__getitem__", array.__getitem__.__doc__)
