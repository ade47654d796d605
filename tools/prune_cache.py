"""Keep JAX's persistent compilation cache under a size limit: delete the least recently used entries.

The Makefile runs this before its test, benchmark and demo targets, and leaves eviction inside JAX off
(``JAX_COMPILATION_CACHE_MAX_SIZE=-1``). JAX's own eviction (jax 0.10) lists and reads every entry's timestamp on
every write, which costs 0.4 to 0.8 s per compiled kernel once the cache holds 6,000 kernels (a cold
``make test`` writes more than that), and an entry whose timestamp file is missing (a process killed between the
two writes) makes every later write fail with a warning. Here an entry's recency is its file's access or
modification time, whichever is later; the limit holds between runs (one run may add to it).

Usage: python tools/prune_cache.py CACHE_DIR [MAX_BYTES]
"""

import os
import sys
from pathlib import Path

ENTRY_SUFFIX = "-cache"
TIMESTAMP_SUFFIX = "-atime"  # written by JAX's own eviction; unused when it is off


def prune(cache_dir, max_bytes):
    """Delete the least recently used entries until the cache holds at most ``max_bytes``; return (kept, deleted)."""
    cache_dir = Path(cache_dir)
    if not cache_dir.is_dir():
        return 0, 0
    entries = []
    for entry in os.scandir(cache_dir):
        if entry.name.endswith(TIMESTAMP_SUFFIX):
            Path(entry.path).unlink(missing_ok=True)
        elif entry.name.endswith(ENTRY_SUFFIX) and entry.is_file():
            stat = entry.stat()
            entries.append((max(stat.st_atime, stat.st_mtime), stat.st_size, entry.path))
    entries.sort(reverse=True)  # most recent first
    total, deleted = 0, 0
    for _, size, path in entries:
        total += size
        if total > max_bytes:
            Path(path).unlink(missing_ok=True)
            deleted += 1
    return len(entries) - deleted, deleted


def main(argv):
    cache_dir = argv[1]
    max_bytes = int(argv[2]) if len(argv) > 2 else 10**9
    kept, deleted = prune(cache_dir, max_bytes)
    if deleted:
        print(f"== compilation cache {cache_dir}: kept {kept} entries, deleted the {deleted} least recently used "
              f"(limit {max_bytes / 1e9:.1f} GB)")


if __name__ == "__main__":
    main(sys.argv)
