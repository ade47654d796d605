"""tools/peer_report.py: counts, and array_api_jax failures that array_api_strict passes must be explained."""

import importlib.util
import json
import pathlib

import pytest

TOOLS = pathlib.Path(__file__).resolve().parents[1] / "tools"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def report(tmp_path, monkeypatch):
    module = _load("peer_report")
    expectations = tmp_path / "expectations.txt"
    expectations.write_text("# comment\n")
    monkeypatch.setattr(module, "EXPECTATIONS", expectations)

    def write(suite, ns, outcomes, duration=1.0):
        tests = [{"nodeid": nodeid.format(ns=ns), "outcome": o} for nodeid, o in outcomes.items()]
        (tmp_path / f"{suite}-{ns}.json").write_text(json.dumps({"tests": tests, "duration": duration}))

    return module, tmp_path, expectations, write


def test_a_failure_only_on_array_api_jax_must_be_explained(report, capsys):
    module, reports, expectations, write = report
    write("xpx", "array_api_jax", {"t.py::a[{ns}]": "passed", "t.py::b[{ns}]": "failed", "t.py::c[{ns}]": "failed"})
    write("xpx", "array_api_strict", {"t.py::a[{ns}]": "passed", "t.py::b[{ns}]": "passed", "t.py::c[{ns}]": "failed"})
    assert module.main(reports) == 1
    out = capsys.readouterr().out
    assert "UNEXPLAINED" in out and "t.py::b[{ns}]" in out and "t.py::c" not in out
    assert "xpx        array_api_jax            1       2        0        0" in out
    expectations.write_text("t.py::b[{ns}]  # the test special-cases array_api_strict by name\n")
    assert module.main(reports) == 0


def test_an_expectation_that_passes_now_must_be_removed(report, capsys):
    module, reports, expectations, write = report
    write("sklearn", "array_api_jax", {"t.py::a[{ns}]": "passed"})
    write("sklearn", "array_api_strict", {"t.py::a[{ns}]": "passed"})
    expectations.write_text("t.py::a[{ns}]  # was a JAX limitation\n")
    assert module.main(reports) == 1
    assert "FIXED" in capsys.readouterr().out


def test_an_expectation_ending_with_a_star_explains_a_prefix(report, capsys):
    module, reports, expectations, write = report
    outcomes = {"t.py::C::a[{ns}-1]": "failed", "t.py::C::a[{ns}-2]": "failed", "t.py::D::a[{ns}]": "failed"}
    write("scipy", "array_api_jax", outcomes)
    write("scipy", "array_api_strict", dict.fromkeys(outcomes, "passed"))
    expectations.write_text("t.py::C::*  # the class relies on NumPy's views\n")
    assert module.main(reports) == 1
    out = capsys.readouterr().out
    assert "UNEXPLAINED" in out and "t.py::D::a[{ns}]" in out and "t.py::C" not in out
    write("scipy", "array_api_jax", {**dict.fromkeys(outcomes, "passed"), "t.py::D::a[{ns}]": "failed"})
    expectations.write_text("t.py::C::*  # the class relies on NumPy's views\nt.py::D::a[{ns}]  # a reason\n")
    assert module.main(reports) == 1   # the prefix explains nothing now: remove it
    assert "FIXED: passes now, remove from expectations.txt: t.py::C::*" in capsys.readouterr().out


def test_wall_times_per_suite_and_per_part(report, capsys, tmp_path):
    """A suite run in parts (SciPy's modules: <suite>.<part>-<namespace>.json) is counted over its parts, and each
    part's wall time is compared as well as the whole suite's; the JSON keeps both."""
    module, reports, expectations, write = report
    write("sklearn", "array_api_jax", {"t.py::a[{ns}]": "passed"}, duration=12.0)
    write("sklearn", "array_api_strict", {"t.py::a[{ns}]": "passed"}, duration=10.0)
    write("scipy.stats", "array_api_jax", {"s.py::a[{ns}]": "passed"}, duration=3.0)
    write("scipy.stats", "array_api_strict", {"s.py::a[{ns}]": "failed"}, duration=2.0)
    write("scipy.signal", "array_api_jax", {"g.py::a[{ns}]": "passed", "g.py::b[{ns}]": "passed"}, duration=4.0)
    write("scipy.signal", "array_api_strict", {"g.py::a[{ns}]": "passed", "g.py::b[{ns}]": "passed"}, duration=8.0)
    assert module.main(reports, tmp_path / "peer.json") == 0
    out = capsys.readouterr().out
    assert "sklearn              wall time: array_api_jax 12.0 s, array_api_strict 10.0 s (1.20x)" in out
    assert "scipy.stats          wall time: array_api_jax 3.0 s, array_api_strict 2.0 s (1.50x)" in out
    assert "scipy.signal         wall time: array_api_jax 4.0 s, array_api_strict 8.0 s (0.50x)" in out
    assert "scipy                wall time: array_api_jax 7.0 s, array_api_strict 10.0 s (0.70x)" in out
    assert "scipy      shared tests             3   failing: array_api_jax 0, array_api_strict 1" in out
    suites = {entry["name"]: entry for entry in json.loads((tmp_path / "peer.json").read_text())["suites"]}
    assert suites["scikit-learn"]["wall_seconds"] == {"all": {"array_api_jax": 12.0, "array_api_strict": 10.0,
                                                              "ratio": 1.2}}
    assert suites["SciPy"]["wall_seconds"]["stats"]["ratio"] == 1.5
    assert suites["SciPy"]["wall_seconds"]["all"]["ratio"] == 0.7


def test_scikit_learn_placements_are_compared_by_dtype(report, capsys):
    """array_api_strict runs float64 on its default device and float32 on its second, array_api_jax both on its
    default device (in the tests' ids, the estimator checks' and the mixed-input checks'): compare by dtype."""
    module, reports, expectations, write = report
    path = "lib/site-packages/sklearn/t.py::"
    check = "b[E()-check_array_api_input(array_namespace={ns},device_name=%s,dtype_name=float32)]"
    mixed = "c[E()-check_array_api_mixed_inputs(other_ns_and_device=NamespaceAndDevice(xp='{ns}', device=%s))]"
    write("sklearn", "array_api_jax", {path + "a[{ns}-None-float64]": "passed", path + "a[{ns}-None-float32]": "failed",
                                       path + check % "None": "passed", path + mixed % "None": "passed"})
    write("sklearn", "array_api_strict", {path + "a[{ns}-CPU_DEVICE-float64]": "passed",
                                          path + "a[{ns}-device1-float32]": "passed",
                                          path + check % "device1": "passed", path + mixed % "'device1'": "passed"})
    assert module.main(reports) == 1
    out = capsys.readouterr().out
    assert "UNEXPLAINED: fails on array_api_jax, passes on array_api_strict: sklearn/t.py::a[{ns}-float32]" in out
    assert "shared tests             4   failing: array_api_jax 1, array_api_strict 0" in out


def test_the_plugin_chooses_only_the_namespace(monkeypatch):
    monkeypatch.setenv("PEER_NAMESPACE", "numpy")
    with pytest.raises(ValueError, match="PEER_NAMESPACE"):
        _load("peer_plugin")
    monkeypatch.setenv("PEER_NAMESPACE", "array_api_jax")
    plugin = _load("peer_plugin")
    known = {"numpy", "array_api_strict"}
    conftest = type("conftest", (), {"xp_known_backends": known})
    plugin.pytest_plugin_registered(conftest, None)
    assert "array_api_jax" in known


@pytest.mark.parametrize("ns", ["array_api_jax", "array_api_strict"])
def test_the_plugin_puts_the_namespace_in_scikit_learns_parametrization(monkeypatch, ns):
    """Every dtype array_api_strict gets, the estimator checks' same-namespace and mixed-input checks included."""
    pytest.importorskip("sklearn")
    from sklearn.linear_model import Ridge
    from sklearn.utils import _array_api, estimator_checks

    originals = {"combinations": _array_api.yield_namespace_device_dtype_combinations,
                 "mixed": _array_api.yield_mixed_namespace_input_permutations}
    monkeypatch.setattr(_array_api, "_peer_originals", originals, raising=False)
    monkeypatch.setattr(estimator_checks, "_peer_original_checks", estimator_checks._yield_array_api_checks,
                        raising=False)
    for module in (_array_api, estimator_checks):
        for name in ("yield_namespaces", "yield_namespace_device_dtype_combinations",
                     "yield_mixed_namespace_input_permutations", "_yield_array_api_checks"):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, getattr(module, name))
    strict_dtypes = [d for n, _, d in originals["combinations"]() if n == "array_api_strict"]
    monkeypatch.setenv("PEER_NAMESPACE", ns)
    _load("peer_plugin")._patch_sklearn()

    assert list(estimator_checks.yield_namespaces()) == [ns]
    combinations = list(estimator_checks.yield_namespace_device_dtype_combinations())
    assert {n for n, _, _ in combinations} == {ns} and [d for _, _, d in combinations] == strict_dtypes
    assert sum(ns in str(pair) for *pair, _ in _array_api.yield_mixed_namespace_input_permutations()) == 1
    checks = [c for c in estimator_checks._yield_array_api_checks(Ridge()) if hasattr(c, "keywords")]
    same = [c for c in checks if c.func is estimator_checks.check_array_api_same_namespace]
    assert [c.keywords["array_namespace"] for c in same] == [ns]


def test_the_plugin_makes_array_api_jax_a_backend_of_array_api_extra(monkeypatch):
    backends = pytest.importorskip("array_api_extra._lib._backends")
    Backend = backends.Backend
    monkeypatch.setattr(Backend, "ARRAY_API_JAX", None, raising=False)  # undone last, after the tables below
    for table in ("_member_map_", "_member_names_", "_value2member_map_"):
        monkeypatch.setattr(Backend, table, type(getattr(Backend, table))(getattr(Backend, table)))
    monkeypatch.setenv("PEER_NAMESPACE", "array_api_jax")
    plugin = _load("peer_plugin")
    plugin._extend_xpx_backends()
    plugin._extend_xpx_backends()  # once only
    assert [b for b in Backend if b.modname == "array_api_jax"] == [Backend.ARRAY_API_JAX]
    assert Backend("array_api_jax") is Backend.ARRAY_API_JAX
    assert Backend.ARRAY_API_JAX.pytest_param().id == "array_api_jax"
    assert not Backend.ARRAY_API_JAX.like(Backend.ARRAY_API_STRICT, Backend.JAX)


def test_the_counts_are_written_with_date_and_machine_for_the_readme(report, tmp_path):
    module, reports, expectations, write = report
    write("xpx", "array_api_jax", {"t.py::a[{ns}]": "passed", "t.py::b[{ns}]": "failed", "t.py::c[{ns}]": "failed"})
    write("xpx", "array_api_strict", {"t.py::a[{ns}]": "passed", "t.py::b[{ns}]": "passed", "t.py::c[{ns}]": "failed"})
    module.main(reports, tmp_path / "peer.json")
    written = json.loads((tmp_path / "peer.json").read_text())
    assert set(written) == {"date", "machine", "jax", "suites"}
    [suite] = written["suites"]
    assert suite["name"] == "array-api-extra" and suite["shared"] == 3 and suite["only_ours"] == 1
    assert suite["failing"] == {"array_api_jax": 2, "array_api_strict": 1}
