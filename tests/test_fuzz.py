"""Differential testing against array-api-strict: the same random programs run in both namespaces.

hypothesis draws small arrays (all 13 dtypes, 0-D to 4-D, empty arrays, NaN, +-inf, +-0) and short programs of
standard operations: elementwise functions and operators with broadcasting and Python scalars, in-place
operators, reductions, sorting, searching, set functions, manipulation, creation, data type functions, basic,
integer-array and boolean indexing (views included) and index assignment, linalg invariants and fft round trips.
Each step runs in array_api_jax and in array_api_strict; both must raise, or both must give the same dtype,
shape and values (exact for integers and booleans, tolerances for floating point, NaN-aware). After every step
*every* array of the program is compared again, so a write through a view, or a failed mutation that changed
something, shows up as a difference.

A difference is *explained* when it matches a row of ``EXPLAINED`` (a documented strict choice of
array_api_jax, or behaviour the standard leaves unspecified); every row is also described in docs/errors.md.
The test fails on any unexplained difference and prints a reproducer for each.

``FUZZ_PROGRAMS`` sets the number of programs (default 300, a fixed-seed slice fast enough for ``make test``,
which uses the derandomized hypothesis profile); ``make fuzz`` runs 2,000 new random programs on every run (the
``fuzz`` profile of tests/conftest.py). ``FUZZ_REPORT=path.json`` writes the counts (for the issue's report).
"""

import json
import math
import os
import pathlib
import re
import warnings
from dataclasses import dataclass

import array_api_strict as sx
import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import array_api_jax as xp
from fuzz_programs import (DTYPES, FFT, FLOATS, INTS, MAX_STEPS, STEPS, UNARY, Data, Diff, Env, Step, dname,
                           host_arrays, is_array, step_binary, step_fft, step_linalg, step_setitem, step_unary,
                           to_host)

N_PROGRAMS = int(os.environ.get("FUZZ_PROGRAMS", "300"))
DOCS = pathlib.Path(__file__).resolve().parents[1] / "docs" / "errors.md"


# --- comparison --------------------------------------------------------------------------------------------

BASE_TOL = {"float32": 2e-5, "complex64": 2e-5, "float64": 1e-11, "complex128": 1e-11}


def _close(a, b, dtype, step):
    """NaN-aware comparison of two real host arrays of a floating dtype; returns a message or None."""
    if not np.array_equal(np.isnan(a), np.isnan(b)):
        return "NaN positions differ"
    inf_a, inf_b = np.isinf(a), np.isinf(b)
    if not np.array_equal(inf_a, inf_b) or not np.array_equal(a[inf_a], b[inf_b]):
        return "infinities differ"
    fa, fb = a[np.isfinite(a)], b[np.isfinite(b)]
    if step.tol == "exact":
        ok = np.array_equal(fa, fb)
    else:
        base = BASE_TOL[dtype] * {"elementwise": 1, "reduction": 10, "linalg": 200}[step.tol]
        atol = base * (1.0 if step.tol == "elementwise" else step.scale)
        ok = np.allclose(fa, fb, rtol=base, atol=atol)
    if not ok:
        worst = np.max(np.abs(fa - fb)) if fa.size else 0.0
        return f"values differ (max abs difference {worst:.3g})"
    return None


def compare(ours, strict, step, where="result"):
    """A message describing how the two results differ, or None."""
    if is_array(ours) or is_array(strict):
        if not (is_array(ours) and is_array(strict)):
            return "type", f"{where}: {type(ours).__name__} vs {type(strict).__name__}"
        d1, d2 = dname(ours.dtype), dname(strict.dtype)
        if d1 != d2:
            return "dtype", f"{where}: dtype {d1} vs {d2}"
        if tuple(ours.shape) != tuple(strict.shape):
            return "shape", f"{where}: shape {ours.shape} vs {strict.shape}"
        a, b = to_host(ours), to_host(strict)
        if d1 in FLOATS:
            real = "float32" if d1 in ("float32", "complex64") else "float64"
            msg = _close(a.real, b.real, real, step) or (_close(a.imag, b.imag, real, step)
                                                         if d1.startswith("complex") else None)
        else:
            msg = None if np.array_equal(a, b) else "values differ"
        if msg:
            return "value", f"{where}: {msg}\n      ours:   {a!r}\n      strict: {b!r}", (a, b)
        return None
    if isinstance(ours, (tuple, list)) and isinstance(strict, (tuple, list)):
        if len(ours) != len(strict):
            return "type", f"{where}: tuples of {len(ours)} and {len(strict)}"
        for k, (o, s) in enumerate(zip(ours, strict)):
            r = compare(o, s, step, f"{where}[{k}]")
            if r:
                return r
        return None
    if ours is None and strict is None:
        return None
    if isinstance(ours, (bool, int, float)) and isinstance(strict, (bool, int, float)):
        return None if ours == strict else ("value", f"{where}: {ours!r} vs {strict!r}")
    if dname(ours) in DTYPES or dname(strict) in DTYPES:
        return None if dname(ours) == dname(strict) else ("value", f"{where}: {ours} vs {strict}")
    return "type", f"{where}: {type(ours).__name__} vs {type(strict).__name__}"


# --- explained differences ---------------------------------------------------------------------------------


def _int_dtypes(diff):
    return any(d in INTS for d in diff.step.dtypes)


def _only_strict(pattern):
    return lambda d: d.kind == "only strict raised" and re.search(pattern, str(d.strict_exc))


def _only_ours(pattern):
    return lambda d: d.kind == "only ours raised" and re.search(pattern, str(d.ours_exc))


def _same(a, b, rtol):
    return (a == b) | (np.isnan(a) & np.isnan(b)) | np.isclose(a, b, rtol=rtol, atol=0)


def _complex_special_inputs(d):
    """A value difference of a unary function of a complex array only where the input has an infinite or NaN
    component (the standard's complex special cases)."""
    x = d.step.info.get("x")
    if d.kind != "value" or d.values is None or x is None or not np.iscomplexobj(x):
        return False
    a, b = d.values
    if a.shape != np.shape(x) or not np.iscomplexobj(a):
        return False
    differ = ~(_same(a.real, b.real, 1e-4) & _same(a.imag, b.imag, 1e-4))
    return bool(differ.any()) and not np.isfinite(x[differ]).any()


def _complex_non_finite(d):
    """A value difference of complex results only where one of them has an infinite or NaN component."""
    if d.kind != "value" or d.values is None or not any(t.startswith("complex") for t in d.step.dtypes):
        return False
    a, b = d.values
    if not (np.iscomplexobj(a) and a.shape == b.shape):
        return False
    differ = ~(_same(a.real, b.real, 1e-4) & _same(a.imag, b.imag, 1e-4))
    return bool(differ.any()) and bool((~np.isfinite(a[differ]) | ~np.isfinite(b[differ])).all())


def _only_where(diff, condition):
    """An integer value difference whose differing elements all have operands satisfying ``condition(x1, x2)``
    (division by zero, a negative power, a shift out of range: results the standard leaves unspecified)."""
    if diff.kind != "value" or diff.values is None or "operands" not in diff.step.info or not _int_dtypes(diff):
        return False
    a, b = diff.values
    try:
        x1, x2 = (np.broadcast_to(x, a.shape) for x in diff.step.info["operands"])
    except ValueError:
        return False
    differ = a != b
    with np.errstate(all="ignore"):
        return bool(differ.any()) and bool(condition(x1, x2, a.dtype)[differ].all())


def _overflows(x1, x2, dtype):
    """Whether the integer power x1 ** x2 (x2 >= 0) is outside ``dtype``'s range."""
    info = np.iinfo(dtype)
    out = np.zeros(x1.shape, dtype=bool)
    for k in np.ndindex(x1.shape):
        b, e = int(x1[k]), int(x2[k])
        out[k] = e >= 0 and abs(b) >= 2 and (e >= 64 or not info.min <= b**e <= info.max)
    return out


def _bad_cast(diff):
    """A float-to-integer cast that differs only where the input is NaN, infinite or out of the target's range."""
    x = diff.step.info.get("x")
    if diff.kind != "value" or diff.values is None or x is None or x.dtype.kind != "f":
        return False
    a, b = diff.values
    info = np.iinfo(a.dtype)
    outside = ~np.isfinite(x) | (x < info.min) | (x > info.max)
    return a.shape == x.shape and bool((a != b).any()) and bool(outside[a != b].all())


@dataclass(frozen=True)
class Explained:
    key: str  # also a row of the differences table in docs/errors.md
    ops: tuple  # the ops it applies to (empty: any)
    match: object  # predicate on the Diff
    reason: str


EXPLAINED = [
    Explained("int-pow-overflow", ("pow",), lambda d: _only_where(d, _overflows),
              "An integer power whose result overflows the dtype: the standard does not specify overflow; NumPy "
              "wraps around modulo 2**bits, XLA's exponentiation by squaring gives other values once the exponent "
              "reaches 64."),
    Explained("empty-fft-input", tuple(f"fft.{n}" for n in FFT),
              lambda d: d.kind == "value" and d.step.info.get("size") == 0,
              "A transform of an empty array with an explicit n zero-pads it, so the result is zeros; NumPy's "
              "pocketfft returns uninitialised memory for some of them (hfft, irfft)."),
    Explained("complex-special-cases", tuple(UNARY), _complex_special_inputs,
              "Complex functions at infinite or NaN components follow the standard's special cases (C99 Annex G, "
              "checked by array-api-tests), where NumPy deviates in several: expm1(+inf + 0j) is +inf + 0j, not "
              "+inf + NaN j; sqrt(NaN + inf j) is +inf + inf j; log2/log10 and the circular functions take the "
              "special cases of log and of the hyperbolic functions they are defined by."),
    Explained("setitem-value-rank", ("__setitem__",),
              _only_ours("a value of shape .* cannot be broadcast to the (indexed )?shape"),
              "The value of x[key] = value must broadcast to the indexed shape (broadcast_to's rule); NumPy also "
              "accepts extra leading axes of size 1."),
    Explained("cumulative-0d", ("cumulative_sum", "cumulative_prod"), _only_ours("at least one dimension"),
              "cumulative_sum/prod of a 0-D array raise ValueError (the standard leaves 0-D input unspecified); "
              "array-api-strict returns a 1-element array."),
    Explained("complex-to-real", ("sum", "prod", "cumulative_sum", "cumulative_prod", "astype"),
              _only_ours("complex array cannot be accumulated|has complex dtype"),
              "A complex array accumulated (or cast) into a real dtype raises TypeError in array_api_jax (the "
              "imaginary part would be dropped silently); the standard does not define complex-to-real casts, "
              "NumPy discards the imaginary part."),
    Explained("advanced-setitem", ("__setitem__",), _only_strict("Fancy indexing __setitem__ is not supported"),
              "Assignment through integer index arrays is supported (as in NumPy); array-api-strict raises."),
    Explained("empty-matrix-rank", ("linalg.matrix_rank",), _only_strict("zero-size array to reduction"),
              "matrix_rank of an empty matrix is 0 in array_api_jax; NumPy's implementation raises."),
    Explained("complex-multiplication-special-values", ("divide", "multiply", "pow", "prod", "cumulative_prod", "mean"),
              _complex_non_finite,
              "Complex multiplication, division, powers and means where a component is infinite, NaN or overflows: "
              "the standard says these special cases are implementation dependent (and divides by a real number "
              "component-wise, which array_api_jax follows, where NumPy promotes the real operand to complex). "
              "XLA's products multiply by the identity and its powers square repeatedly, so an infinite component "
              "can give NaN in the other one."),
    Explained("searchsorted-promotion", ("searchsorted",), _only_ours("defines no promotion"),
              "searchsorted applies the standard's promotion table to x1 and x2 (an integer array with a floating "
              "one raises TypeError); array-api-strict compares mixed kinds."),
    Explained("meshgrid-category", ("meshgrid",), _only_ours("accepts only numeric dtypes"),
              "meshgrid takes numeric arrays (the standard's 'should have a numeric data type'); array-api-strict "
              "also accepts booleans."),
    Explained("scalar-kind", ("full", "full_like"),
              _only_ours("a Python (float|complex|int|bool) fill_value cannot be combined|cannot be stored in dtype"),
              "A fill_value of another kind than dtype (a float for an integer dtype, ...) raises TypeError in "
              "array_api_jax, as Python scalars do in binary operations; the standard leaves it unspecified and "
              "array-api-strict casts."),
    Explained("arange-float-int", ("arange",),
              _only_ours("float arguments cannot produce an integer dtype"),
              "arange with a float start, stop or step and an integer dtype raises TypeError in array_api_jax; "
              "the standard does not define it, array-api-strict truncates."),
    Explained("zero-d-axis", (),
              lambda d: d.kind == "only ours raised" and re.search(r"axis=-?[01] is out of range for an array of "
                                                                   r"0 dimensions", str(d.ours_exc)),
              "axis=0 or -1 for a 0-D array raises IndexError in array_api_jax (the standard's range [-N, N) is "
              "empty for N = 0); NumPy, and so array-api-strict, accepts it for some functions."),
    Explained("slice-bounds", ("__getitem__", "__setitem__"),
              _only_strict("out-of-bounds (starts|stops) are not specified"),
              "Slice starts and stops outside the standard's ranges are clipped as in Python and NumPy; the "
              "standard leaves them unspecified, array-api-strict raises."),
    Explained("setitem-newaxis", ("__setitem__",),
              _only_strict("Single-axes index None"),
              "None in a __setitem__ key (the standard's key type has no None) is accepted as in NumPy."),
    Explained("negative-shift", ("bitwise_left_shift", "bitwise_right_shift"),
              _only_strict(r"is only defined for x2 >= 0"),
              "Shifting by a negative amount is unspecified by the standard (x2 must be >= 0); array-api-strict "
              "raises, array_api_jax computes a result."),
    Explained("advanced-index-superset", ("__getitem__", "__setitem__"),
              _only_strict("Integer index arrays are only allowed with integer indices|"
                           "multi-axes index only specifies|Integer index arrays are only allowed"),
              "Integer index arrays combined with slices (or non-default index dtypes) follow NumPy in "
              "array_api_jax; the standard specifies only integers and integer arrays, array-api-strict raises."),
    Explained("int-negative-power", ("pow",),
              lambda d: (d.kind == "only strict raised" and "negative integer powers" in str(d.strict_exc))
              or _only_where(d, lambda x1, x2, dt: x2 < 0),
              "An integer raised to a negative integer power: unspecified by the standard; NumPy raises "
              "ValueError, array_api_jax gives the truncated exact value (1 for 1, +-1 for -1, else 0)."),
    Explained("shift-out-of-range", ("bitwise_left_shift", "bitwise_right_shift"),
              lambda d: _only_where(d, lambda x1, x2, dt: (x2 < 0) | (x2 >= 8 * dt.itemsize)),
              "Shifting by a negative amount (or, in NumPy, by the bit width or more) is unspecified by the "
              "standard."),
    Explained("float-to-int-cast", ("astype",),
              _bad_cast,
              "Casting NaN, an infinity or an out-of-range float to an integer dtype is unspecified by the "
              "standard (XLA saturates, NumPy wraps or gives INT_MIN)."),
]


def explain(diff):
    for e in EXPLAINED:
        if (not e.ops or diff.step.op in e.ops) and e.match(diff):
            return e.key
    return None


# --- running programs --------------------------------------------------------------------------------------


def _call(step, ns, arrays):
    try:
        return step.run(ns, arrays), None
    except Exception as e:  # noqa: BLE001 - any exception is a result to compare
        return None, e


NORMALISED = {
    "numpy-views": "NumPy, and so array-api-strict, returns views from reshape, permute_dims, unstack, "
                   "broadcast_to, expand_dims, squeeze, flip, real/imag and others, and array_api_jax returns "
                   "views from the same functions (tests/test_view_results.py compares them); the fuzzer copies "
                   "both namespaces' results of everything but indexing, so that a layout only NumPy has (an "
                   "F-ordered linalg result, which reshapes with a copy) cannot make the programs differ.",
    "zero-d-index-copy": "x[i, j] (integers only, a 0-D result) is a view in array_api_jax but a NumPy scalar, i.e. "
                         "a copy, in array-api-strict. The fuzzer copies array_api_jax's result in that case.",
}


def normalise_views(step, ours, strict):
    """Align copy-versus-view (which the standard leaves open) before the results join the program."""
    if step.op != "__getitem__":
        return xp.asarray(ours, copy=True), sx.asarray(strict, copy=True)
    if ours.ndim == 0 and "Ellipsis" not in step.text:
        return xp.asarray(ours, copy=True), strict
    return ours, strict


def run_step(env, step, stats):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, e1 = _call(step, xp, env.ours)
        strict, e2 = _call(step, sx, env.strict)
    stats["steps"] += 1
    per_op = stats.setdefault("per op", {}).setdefault(step.op, [0, 0, 0])  # compared, both raised, differences
    diffs = []
    if e1 is not None or e2 is not None:
        if e1 is None or e2 is None:
            kind = "only ours raised" if e2 is None else "only strict raised"
            exc = e1 or e2
            diffs.append(Diff(kind, step, f"{type(exc).__name__}: {exc}", e1, e2, list(env.log)))
            return diffs, False
        stats["both raised"] += 1
        per_op[1] += 1
        if type(e1) is not type(e2):
            stats["both raised, different types"] += 1
    else:
        r = compare(ours, strict, step)
        if r:
            diffs.append(Diff(r[0], step, r[1], program=list(env.log), values=r[2] if len(r) > 2 else None))
            return diffs, False
        stats["compared"] += 1
        per_op[0] += 1
        if step.keep:
            pairs = list(zip(ours, strict)) if isinstance(ours, tuple) else [(ours, strict)]
            for k, (o, s) in enumerate(pairs):
                if is_array(o) and is_array(s):
                    o, s = normalise_views(step, o, s)
                    env.add(o, s, step.text + (f"[{k}]" if isinstance(ours, tuple) else ""))
    # every array of the program, again: views see writes, failed mutations changed nothing
    for k, (o, s) in enumerate(zip(env.ours, env.strict)):
        r = compare(o, s, Step("program", "", None, tol="exact"), f"{env.names[k]} after the step")
        if r:
            values = r[2] if len(r) > 2 and k == step.info.get("target") else None  # the in-place target
            diffs.append(Diff(r[0], step, r[1], program=list(env.log), values=values))
            return diffs, False
    if not (step.keep and env.log and env.log[-1].endswith(step.text)):
        env.log.append(step.text)
    return diffs, True


def run_program(data, stats):
    data = Data(data)
    env = Env()
    for _ in range(data.draw(st.integers(1, 3))):
        host = data.draw(host_arrays(dtype=data.choice(DTYPES)))
        env.add(xp.asarray(host.copy()), sx.asarray(host.copy()), f"asarray({host!r})")
    found = []
    for _ in range(data.draw(st.integers(3, MAX_STEPS))):
        step = data.choice(STEPS)(data, env)
        if step is None:
            continue
        diffs, ok = run_step(env, step, stats)
        found.extend(diffs)
        if not ok:
            break
    stats["programs"] += 1
    return found


def run_fuzz(n_programs):
    stats = {"programs": 0, "steps": 0, "compared": 0, "both raised": 0, "both raised, different types": 0}
    found = []

    # derandomize comes from the hypothesis profile: fixed programs in `make test`, new ones in `make fuzz`
    @settings(max_examples=n_programs, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def programs(data):
        found.extend(run_program(data, stats))

    programs()
    return stats, found


def test_fuzz_against_array_api_strict():
    stats, found = run_fuzz(N_PROGRAMS)
    explained = {}
    unexplained = []
    for diff in found:
        key = explain(diff)
        if key:
            explained[key] = explained.get(key, 0) + 1
        else:
            unexplained.append(diff)
    per_op = stats.pop("per op", {})
    report = dict(stats, differences=len(found), explained=explained, unexplained=len(unexplained))
    print("\nfuzz:", json.dumps(report))
    if os.environ.get("FUZZ_REPORT"):
        pathlib.Path(os.environ["FUZZ_REPORT"]).write_text(json.dumps(
            dict(report, per_op=per_op, details=[d.describe() for d in unexplained]), indent=1))
    assert stats["programs"] >= min(N_PROGRAMS, 100) * 0.9
    assert not unexplained, (f"{len(unexplained)} unexplained differences in {stats['programs']} programs:\n\n"
                             + "\n\n".join(d.describe() for d in unexplained[:25]))


def test_every_explained_difference_is_in_the_docs():
    text = DOCS.read_text()
    for key in [e.key for e in EXPLAINED] + list(NORMALISED):
        assert f"| `{key}` |" in text, key


@pytest.mark.parametrize("step", [step_unary, step_binary, step_setitem, step_linalg, step_fft])
def test_a_single_step_kind_runs(step):
    """Each generator gives steps that run in both namespaces (a quick smoke test of the harness)."""

    @settings(max_examples=5, derandomize=True, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def one(data):
        data = Data(data)
        env = Env()
        host = data.draw(host_arrays(dtype=data.choice(DTYPES)))
        env.add(xp.asarray(host.copy()), sx.asarray(host.copy()), f"asarray({host!r})")
        s = step(data, env)
        if s is not None:
            run_step(env, s, {"steps": 0, "compared": 0, "both raised": 0, "both raised, different types": 0})

    one()


# --- bugs the fuzzer found, pinned (each was a difference from array-api-strict and from the standard) ----------

INF, NAN = math.inf, math.nan


def _c(re, im):
    return complex(re, im)


REGRESSIONS = [
    # can_cast and x[...] = array compared the promotion table's None with `==`, and np.dtype(None) is float64
    ("can_cast int64 -> float64", lambda: xp.can_cast(xp.int64, xp.float64), False),
    ("can_cast bool -> float64", lambda: xp.can_cast(xp.bool, xp.float64), False),
    # complex abs: an infinite component gives +inf even with a NaN component
    ("abs(-inf + nan j)", lambda: xp.abs(xp.asarray(_c(-INF, NAN))), INF),
    # all/any of complex numbers looked at the real part only
    ("all([-6j])", lambda: xp.all(xp.asarray([-6j])), True),
    ("any([-6j])", lambda: xp.any(xp.asarray([-6j])), True),
    # complex -> bool casts are allowed (0 + 0j is False); XLA's cast looked at the real part only
    ("astype([-6j, 0j], bool)", lambda: xp.astype(xp.asarray([-6j, 0j]), xp.bool), [True, False]),
    # branch cuts: the sign of a zero component (f(conj z) == conj(f(z)), f(-z) == -f(z) for odd f)
    ("acos(-2.5 - 0j)", lambda: xp.acos(xp.asarray(_c(-2.5, -0.0))), np.arccos(_c(-2.5, -0.0))),
    ("acosh(-0.5 - 0j)", lambda: xp.acosh(xp.asarray(_c(-0.5, -0.0))), np.arccosh(_c(-0.5, -0.0))),
    ("asin(2.5 - 0j)", lambda: xp.asin(xp.asarray(_c(2.5, -0.0))), np.arcsin(_c(2.5, -0.0))),
    ("asinh(-0 - 6j)", lambda: xp.asinh(xp.asarray(_c(-0.0, -6.0))), np.arcsinh(_c(-0.0, -6.0))),
    ("atanh(-2 - 0j)", lambda: xp.atanh(xp.asarray(_c(-2.0, -0.0))), np.arctanh(_c(-2.0, -0.0))),
    ("sqrt(-4 - 0j)", lambda: xp.sqrt(xp.asarray(_c(-4.0, -0.0))), _c(0.0, -2.0)),
    # special cases the standard defines through other functions (cos(x) as cosh(x*1j), log2 as log(x)/log(2))
    ("sqrt(nan + inf j)", lambda: xp.sqrt(xp.asarray(_c(NAN, INF))), _c(INF, INF)),
    ("cos(inf + 0j)", lambda: xp.cos(xp.asarray(_c(INF, 0.0))), _c(NAN, 0.0)),
    ("log2(inf + nan j)", lambda: xp.log2(xp.asarray(_c(INF, NAN))), _c(INF, NAN)),
    ("log10(nan + inf j)", lambda: xp.log10(xp.asarray(_c(NAN, INF))), _c(INF, NAN)),
]


@pytest.mark.parametrize("name, call, expected", REGRESSIONS, ids=[r[0] for r in REGRESSIONS])
def test_regressions_found_by_the_fuzzer(name, call, expected):
    got = call()
    got = to_host(got) if is_array(got) else got
    expected = np.asarray(expected)
    if expected.dtype.kind == "c":
        assert np.iscomplexobj(got)
        for part in (np.real, np.imag):
            np.testing.assert_allclose(part(got), part(expected), rtol=1e-12)  # NaN == NaN here
            assert np.all(np.isnan(part(expected)) | (np.signbit(part(got)) == np.signbit(part(expected))))
    else:
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("key", [xp.asarray([], dtype=xp.int64), xp.zeros((3,), dtype=xp.bool)])
def test_assignment_that_selects_nothing_still_checks_the_value_shape(key):
    """JAX skips its shape check when an index selects no element; we do not."""
    x = xp.asarray([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="__setitem__"):
        x[key] = xp.ones(2)
    x[key] = xp.ones(1)  # broadcastable to the (empty) selection: fine
    assert to_host(x).tolist() == [1.0, 2.0, 3.0]


def test_assigning_an_array_of_another_kind_into_a_float64_array_raises():
    x = xp.asarray([1.0, 2.0])
    with pytest.raises(TypeError, match="__setitem__"):
        x[...] = xp.asarray([1, 2])
    with pytest.raises(TypeError, match="__setitem__"):
        x[0] = xp.asarray(True)
    assert to_host(x).tolist() == [1.0, 2.0]


def test_can_cast_agrees_with_array_api_strict_on_every_pair():
    for a in DTYPES:
        for b in DTYPES:
            assert xp.can_cast(getattr(xp, a), getattr(xp, b)) == sx.can_cast(getattr(sx, a), getattr(sx, b)), (a, b)
