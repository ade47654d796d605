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

    def write(suite, ns, outcomes):
        tests = [{"nodeid": nodeid.format(ns=ns), "outcome": o} for nodeid, o in outcomes.items()]
        (tmp_path / f"{suite}-{ns}.json").write_text(json.dumps({"tests": tests}))

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


def test_scikit_learn_default_placements_are_compared(report, capsys):
    """array_api_strict runs on two devices and dtypes there, other namespaces on None-None: compare defaults."""
    module, reports, expectations, write = report
    path = "lib/site-packages/sklearn/t.py::a"
    write("sklearn", "array_api_jax", {path + "[{ns}-None-None]": "failed"})
    write("sklearn", "array_api_strict", {path + "[{ns}-CPU_DEVICE-float64]": "passed",
                                          path + "[{ns}-device1-float32]": "passed"})
    assert module.main(reports) == 1
    out = capsys.readouterr().out
    assert "UNEXPLAINED: fails on array_api_jax, passes on array_api_strict: sklearn/t.py::a[{ns}-default]" in out
    assert "shared tests             1   failing: array_api_jax 1, array_api_strict 0" in out


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
    assert plugin._namespace().__name__.startswith("array_api_jax")


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
