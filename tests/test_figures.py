"""tools/figures.py: the figures in the README and the docs are those of the committed results files."""

import importlib.util
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


figures = _load("figures")


def test_the_readme_and_docs_agree_with_the_results_files():
    assert figures.problems() == []


def _copy(tmp_path):
    for name in ("README.md", "benchmarks/results.json", "benchmarks/results-peer.json",
                 "benchmarks/results-make.json", "benchmarks/results-walk.json", "benchmarks/sizes.json",
                 "docs/compliance.md", "docs/performance.md", "docs/sizes.md", *figures.HAND_WRITTEN):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_a_changed_result_or_a_figure_typed_by_hand_is_reported(tmp_path):
    root = _copy(tmp_path)
    results = json.loads((root / "benchmarks" / "results.json").read_text())
    results["summary"]["micro"]["median_ratio"] *= 2
    (root / "benchmarks" / "results.json").write_text(json.dumps(results))
    found = figures.problems(root)
    assert any("README.md: the figures block differs" in p for p in found)
    assert any("docs/performance.md differs" in p for p in found)
    sizes = json.loads((root / "benchmarks" / "sizes.json").read_text())
    sizes["rows"][0]["seconds"] *= 3
    (root / "benchmarks" / "sizes.json").write_text(json.dumps(sizes))
    assert any("docs/sizes.md differs" in p for p in figures.problems(root))
    walk = json.loads((root / "benchmarks" / "results-walk.json").read_text())
    walk["rows"][0]["host"]["stays"] += 1
    (root / "benchmarks" / "results-walk.json").write_text(json.dumps(walk))
    assert any("docs/design.md: the figures block differs" in p for p in figures.problems(root))
    figures.write(root)
    assert figures.problems(root) == []
    (root / "docs" / "index.md").write_text("# x\n\n`make test` takes 17.6 minutes; 1.72x, 0.47 and 99.6% here\n\n"
                                            "```bash\nsleep 5s  # in a code block: not a figure\n```\n"
                                            "Python 3.11, jax 0.10.2 and 2**17 elements are not measurements.\n")
    found = figures.problems(root)
    assert [p.split("(")[1] for p in found] == ["'17.6 minutes'); quote it from a results file",
                                                "'1.72x'); quote it from a results file",
                                                "'0.47'); quote it from a results file",
                                                "'99.6%'); quote it from a results file"]


def test_durations_read_in_minutes_and_seconds():
    assert [figures.duration(s) for s in (12.4, 59.6, 245)] == ["12 s", "1 min 0 s", "4 min 5 s"]


def test_ratios_have_at_most_two_significant_digits():
    assert [figures.ratio(r) for r in (0.2931, 1.04, 16.37, 0.0243, 9.96, 157.0, None)] == \
        ["0.29", "1.0", "16", "0.024", "10", "160", "—"]
