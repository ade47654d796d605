"""The documentation: every code example in docs/*.md runs, and the Sphinx build has no warnings.

Code blocks are read straight from the Markdown (no Sphinx needed for that part):

- a fenced block of language ``pycon`` is a doctest: every ``>>>`` line runs and its output is compared
  (``...`` matches anything, whitespace is normalised);
- a fenced block of language ``python`` is executed;
- the blocks of one page run in order in one namespace, like a notebook, in a fresh interpreter per page
  (``python tests/test_docs.py docs/PAGE.md`` runs one page by hand);
- a block right after the comment ``<!-- docs-test: skip -->`` is not run (only for code that cannot run
  here, such as the multi-host snippet, which needs several machines).

Other languages (``bash``, ``text``) and directives (``{literalinclude}`` of examples/, which
tests/test_examples.py runs) are not executed.
"""

import doctest
import importlib.util
import io
import os
import re
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
SKIP_MARK = "<!-- docs-test: skip -->"
FENCE = re.compile(r"^(`{3,}|~{3,})\s*([^`\s]*)")
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def code_blocks(path):
    """(language, first line number, code, skipped) for every fenced block of a Markdown page."""
    lines = path.read_text().splitlines()
    blocks, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, lang = m.group(1), m.group(2)
        previous = next((line.strip() for line in reversed(lines[:i]) if line.strip()), "")
        j = i + 1
        while j < len(lines) and not (lines[j].startswith(fence[0] * len(fence)) and
                                      lines[j].strip() == lines[j].strip()[0] * len(lines[j].strip())):
            j += 1
        blocks.append((lang, i + 2, "\n".join(lines[i + 1:j]) + "\n", previous == SKIP_MARK))
        i = j + 1
    return blocks


PAGES = [p for p in sorted(DOCS.glob("*.md"))
         if any(lang in ("python", "pycon") and not skipped for lang, _, _, skipped in code_blocks(p))]


def test_the_extractor_finds_blocks_and_the_skip_mark(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("# t\n\n```python\nx = 1\n```\n\n<!-- docs-test: skip -->\n\n```python\nboom()\n```\n\n"
                    "````{toctree}\na\n````\n\n```pycon\n>>> x + 1\n2\n```\n")
    assert code_blocks(page) == [("python", 4, "x = 1\n", False), ("python", 10, "boom()\n", True),
                                 ("{toctree}", 14, "a\n", False), ("pycon", 18, ">>> x + 1\n2\n", False)]


def run_page(page):
    """Run a page's code blocks in order in one namespace; return the failure reports (empty: all passed)."""
    import jax

    jax.config.update("jax_traceback_filtering", "off")  # JAX's note on exceptions would reach doctest's compare
    namespace = {"__name__": f"docs.{page.stem}"}
    for lang, line, code, skipped in code_blocks(page):
        if skipped or lang not in ("python", "pycon"):
            continue
        where = f"{page.name}:{line}"
        if lang == "python":
            try:
                exec(compile(code, where, "exec"), namespace)  # noqa: S102 - the docs' own examples
            except Exception:
                return [f"the python block at {where} raised:\n{traceback.format_exc()}"]
            continue
        test = doctest.DocTestParser().get_doctest(code, namespace, where, str(page), line - 1)
        test.globs = namespace  # DocTest copies its globals; share the page's namespace instead
        out = io.StringIO()
        result = doctest.DocTestRunner(optionflags=FLAGS).run(test, out=out.write, clear_globs=False)
        if result.failed:
            return [f"doctest failures in the block at {where}:\n{out.getvalue()}"]
    return []


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_code_in_docs_runs(page):
    """Each page runs in a fresh interpreter, as a reader would run it (environment variables such as
    SCIPY_ARRAY_API must be set by the page itself, before SciPy is first imported)."""
    env = {k: v for k, v in os.environ.items() if k != "SCIPY_ARRAY_API"}
    env["XLA_FLAGS"] = "--xla_force_host_platform_device_count=8"
    proc = subprocess.run([sys.executable, __file__, str(page)], capture_output=True, text=True, timeout=600,
                          env=env)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-8000:]


def _public_objects():
    """(qualified name, object) for every public module, its public functions and classes, and Array's members."""
    import array_api_jax as xp
    import array_api_jax.extras as bm
    import array_api_jax.extras.random as rnd

    for module in (xp, xp.linalg, xp.fft, bm, bm.linalg, bm.fft, rnd):
        yield module.__name__, module
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj) and not isinstance(obj, type(xp)):
                yield f"{module.__name__}.{name}", obj
    for name, obj in vars(xp.Array).items():
        if callable(obj):
            yield f"array_api_jax.Array.{name}", obj


def test_docstring_examples_run():
    """The examples in the docstrings (module docstrings included) run as doctests, in one fixed order."""
    import jax

    jax.config.update("jax_traceback_filtering", "off")
    finder, runner, seen, attempted = doctest.DocTestFinder(recurse=False), doctest.DocTestRunner(optionflags=FLAGS), \
        set(), 0
    out = io.StringIO()
    for name, obj in _public_objects():
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        for test in finder.find(obj, name, module=False, globs={}):
            attempted += runner.run(test, out=out.write).attempted
    assert runner.failures == 0, out.getvalue()[-8000:]
    assert attempted >= 25  # asarray, where, sum, linalg.solve and qr, Array.__getitem__, extras.random


def test_every_core_function_links_to_the_standard_and_extras_say_what_they_return():
    import array_api_jax as xp
    import array_api_jax.extras as bm
    from array_api_jax._docs import PAGE

    for module, prefix in ((xp, ""), (xp.linalg, "linalg."), (xp.fft, "fft.")):
        for name in module.__all__:
            func = getattr(module, name)
            if callable(func) and not isinstance(func, type) and name in xp._surface.standard_names(module.__name__):
                page = PAGE.format("" + (prefix if getattr(xp, name, None) is not func else "") + name)
                assert page in func.__doc__ and "Parameters" in func.__doc__, f"{prefix}{name}"
    wrappers = [getattr(m, n) for m in (bm, bm.linalg, bm.fft) for n in m.__all__
                if getattr(getattr(m, n), "__module__", "").startswith("array_api_jax.extras")
                and callable(getattr(m, n)) and not isinstance(getattr(m, n), type)]
    assert len(wrappers) > 400
    for func in wrappers:
        assert "JAX array" not in func.__doc__, func.__name__
    assert "extras.ndarray" in bm.array.__doc__ and "extras.ndarray" in bm.linalg.inv.__doc__


def test_the_pages_with_code_are_all_tested():
    assert {p.name for p in PAGES} >= {"index.md", "quickstart.md", "strict.md", "mutation-and-views.md",
                                       "random.md", "devices.md", "versions-and-flags.md"}


@pytest.mark.skipif(importlib.util.find_spec("sphinx") is None or importlib.util.find_spec("myst_parser") is None,
                    reason="sphinx and myst-parser are not installed (pip install -e '.[docs]')")
def test_docs_build_without_warnings(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(DOCS),
                           str(tmp_path / "html"), "-d", str(tmp_path / "doctrees")],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-6000:]
    extras = (tmp_path / "html" / "api" / "extras.html").read_text()
    for alias, cls, doc in (("var_dict", "VarDict", "A dict of Variables"), ("var_list", "VarList", "A list of")):
        entry = extras[extras.index(f'id="array_api_jax.extras.{alias}"'):][:2000]
        assert "Another name for" in entry and cls in entry and doc in entry, entry


if __name__ == "__main__":  # python tests/test_docs.py docs/PAGE.md: run one page (what the test above does)
    failures = run_page(Path(sys.argv[1]).resolve())
    print("\n".join(failures) or f"{sys.argv[1]}: every code block ran")
    sys.exit(1 if failures else 0)
