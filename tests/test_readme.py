"""The README's first screen: what it is, links, install, a runnable example, who it is for, known issues."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
FIRST_SCREEN = "\n".join(README.splitlines()[:42])


def _example():
    return re.search(r"^```python\n(.*?)^```", README, re.M | re.S).group(1)


def test_the_first_screen_says_what_it_is_links_install_example_audience_and_known_issues():
    lines = FIRST_SCREEN.splitlines()
    assert lines[0] == "# array_api_jax" and lines[1] == ""
    assert "Array API standard" in lines[2] and "JAX" in lines[2] and "BrainPy" in lines[2]  # one line, both
    for page in ("docs/index.md", "docs/changelog.md", "docs/compliance.md", "docs/performance.md",
                 "CONTRIBUTING.md"):
        assert f"]({page})" in lines[4], page
    assert "not on PyPI" in FIRST_SCREEN and "pip install ./array_api_jax" in FIRST_SCREEN
    assert "```python" in FIRST_SCREEN and len(_example().splitlines()) <= 14
    for heading in ("**For:**", "**Not for:**", "**Known issues:**", "<!-- large-arrays:"):
        assert heading in FIRST_SCREEN, heading
    assert "make " not in FIRST_SCREEN  # the contributor's targets are in CONTRIBUTING.md


def test_the_large_array_note_is_in_one_marked_place():
    assert README.count("<!-- large-arrays:") == 1 and README.count("<!-- /large-arrays -->") == 1


def test_the_example_runs_and_prints_what_its_comments_say(tmp_path):
    script = tmp_path / "example.py"
    script.write_text(_example())
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = " ".join(proc.stdout.split())
    assert out == ("array_api_jax.Array([[ 1., 12.], [ 3., 14.]], dtype=float64) "
                   "array_api_jax.Array(350., dtype=float64) float32"), out
