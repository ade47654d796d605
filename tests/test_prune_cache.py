"""tools/prune_cache.py keeps JAX's compilation cache under its limit, least recently used entries first."""

import importlib.util
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("prune_cache", ROOT / "tools" / "prune_cache.py")
prune_cache = importlib.util.module_from_spec(spec)
spec.loader.exec_module(prune_cache)


def _entry(directory, name, size, when):
    path = directory / f"{name}-cache"
    path.write_bytes(b"x" * size)
    os.utime(path, (when, when))
    return path


def test_the_least_recently_used_entries_go_first(tmp_path):
    old, middle, new = (_entry(tmp_path, n, 100, t) for n, t in (("old", 1000), ("middle", 2000), ("new", 3000)))
    (tmp_path / "old-atime").write_bytes(b"12345678")  # JAX's own timestamps are removed (unused)
    assert prune_cache.prune(tmp_path, 250) == (2, 1)
    assert not old.exists() and middle.exists() and new.exists()
    assert not (tmp_path / "old-atime").exists()
    assert prune_cache.prune(tmp_path, 250) == (2, 0)
    assert prune_cache.prune(tmp_path, 0) == (0, 2)


def test_a_missing_cache_directory_is_fine(tmp_path):
    assert prune_cache.prune(tmp_path / "none", 10) == (0, 0)


def test_the_makefile_leaves_jax_eviction_off_and_prunes_before_compiling():
    makefile = (ROOT / "Makefile").read_text()
    assert "export JAX_COMPILATION_CACHE_MAX_SIZE ?= -1" in makefile
    for target in ("unit:", "array-api-tests:", "bench:", "demo:"):
        line = next(line for line in makefile.splitlines() if line.startswith(target))
        assert "prune-cache" in line, line
