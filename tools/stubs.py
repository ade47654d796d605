"""Regenerate the checked-in files derived from the tables: the extras converter table and the type stubs.

Usage: python tools/stubs.py          (writes the files)
       python tools/stubs.py --check  (exit status 1 and the names of the files that would change)

* ``src/array_api_jax/extras/_converters.json``: which argument converter each extras wrapper uses for each
  parameter, as decided from the installed jax.numpy's annotations (``extras._namespace._converter``). The
  wrappers use this pinned table; the tests fail when the installed jax would decide differently.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "array_api_jax"
sys.path.insert(0, str(ROOT / "src"))


def _json_lines(table):
    """module -> name -> decisions, one wrapper per line (readable diffs when jax changes a decision)."""
    lines = ["{"]
    for i, (module, funcs) in enumerate(sorted(table.items())):
        lines.append(f" {json.dumps(module)}: {{")
        items = sorted(funcs.items())
        for j, (name, decided) in enumerate(items):
            comma = "," if j < len(items) - 1 else ""
            lines.append(f"  {json.dumps(name)}: {json.dumps(decided, sort_keys=True)}{comma}")
        lines.append(" }" + ("," if i < len(table) - 1 else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def converter_table():
    import array_api_jax.extras  # noqa: F401 - building the namespace records every decision
    from array_api_jax.extras import _namespace

    return _json_lines(_namespace.DECISIONS)


def generated():
    """path -> the text the tables generate for it."""
    return {PKG / "extras" / "_converters.json": converter_table()}


def main(argv):
    stale = [path for path, text in generated().items() if not path.exists() or path.read_text() != text]
    if "--check" in argv:
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)} (run python tools/stubs.py)")
        return 1 if stale else 0
    for path, text in generated().items():
        path.write_text(text)
    print(f"wrote {len(stale)} changed file(s): {', '.join(str(p.relative_to(ROOT)) for p in stale) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
