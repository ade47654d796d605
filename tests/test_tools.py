"""The docs' generators: tools/plots.py draws from whatever tiers a results file has, and reads the compliance
page's table."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytest.importorskip("matplotlib")


def _load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


plots = _load("plots")


def _row(tier, op, ours, jnp, strict=None):
    row = {"tier": tier, "op": op, "array_api_jax": ours, "jax.numpy": jnp}
    if strict is not None:
        row["array_api_strict"] = strict
    return row


def test_performance_plot_draws_the_tiers_it_finds(tmp_path):
    results = {"rows": [_row("micro", "add", 1e-5, 2e-5, 1e-5), _row("workloads", "pca", 3e-3, 3e-3),
                        _row("large", "sum", None, 1e-3)]}  # a row without a time of ours is left out
    assert plots.performance(results, tmp_path / "p.svg") == ["micro", "workloads"]
    assert (tmp_path / "p.svg").read_text().lstrip().startswith("<?xml")
    assert plots.performance({"rows": []}, tmp_path / "empty.svg") == []
    assert "no benchmark rows" in (tmp_path / "empty.svg").read_text()


def test_the_committed_results_and_compliance_page_can_be_drawn(tmp_path):
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text())
    assert plots.performance(results, tmp_path / "p.svg")[:2] == ["micro", "large"]
    counts = plots.compliance_counts((ROOT / "docs" / "compliance.md").read_text())
    assert counts and all(name.startswith("test_") and name.endswith(".py") for name in counts)
    assert all(set(c) >= {"passed", "failed", "skipped"} for c in counts.values())
    plots.compliance(counts, tmp_path / "c.svg")
    assert (tmp_path / "c.svg").stat().st_size > 1000
