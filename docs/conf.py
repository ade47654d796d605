"""Sphinx configuration: MyST markdown pages, an API reference from the docstrings, warnings are errors."""

import importlib
import inspect
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the package, also when it is not installed
# The reference describes the API, not a device: JAX looks for no accelerator (its probe of libtpu logs an
# "INTERNAL" line that reads like an error)
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import array_api_jax  # noqa: E402

project = "array_api_jax"
author = "array_api_jax developers"
copyright = "array_api_jax developers"  # noqa: A001 - Sphinx's name
release = version = array_api_jax.__version__

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.autosummary", "sphinx.ext.intersphinx",
              "sphinx.ext.napoleon", "sphinx_copybutton"]
napoleon_google_docstring = False  # the docstrings' Parameters/Returns/Examples sections are NumPy style
napoleon_use_param = napoleon_use_rtype = False  # the standard's type names (array, dtype) as text, not links
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "README.md"]
root_doc = "index"
myst_heading_anchors = 3
autodoc_member_order = "bysource"
autodoc_typehints = "none"
autodoc_class_signature = "separated"  # Array() is not constructible: no constructor signature on the class line
autosummary_generate = False
html_theme = "furo"  # a content column that grows with the window, tables that scroll instead of overflowing
html_title = f"array_api_jax {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
copybutton_prompt_text = r">>> |\.\.\. |\$ "  # copy the code of a doctest or shell block, not its prompts or output
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True

# Links into the docs of JAX, NumPy and the standard. The build must also pass without network access (CI
# sandboxes, offline machines), where fetching an inventory would be a warning and -W makes it an error: a mapping
# is used only when its inventory answers within a few seconds, and ARRAY_API_JAX_DOCS_OFFLINE=1 skips them all.
# Without a mapping the references still render, as plain code.
INTERSPHINX = {
    "jax": "https://docs.jax.dev/en/latest/",
    "numpy": "https://numpy.org/doc/stable/",
    "array-api": "https://data-apis.org/array-api/2025.12/",
}


def _reachable(url):
    if os.environ.get("ARRAY_API_JAX_DOCS_OFFLINE"):
        return False
    try:
        with urllib.request.urlopen(url + "objects.inv", timeout=5) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


intersphinx_mapping = {name: (url, None) for name, url in INTERSPHINX.items() if _reachable(url)}
intersphinx_timeout = 10


# --- the API reference: every public name of a module, with its real signature and docstring -----------------


def public_names(module):
    """The module's public names: ``__all__`` when it has one, else its non-underscore attributes."""
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in dir(module) if not n.startswith("_")]
    return sorted(set(names), key=lambda n: (n.lower(), n))


def value_repr(obj):
    """repr, without memory addresses (they would change on every build)."""
    text = repr(obj)
    if " at 0x" in text:
        return f"{type(obj).__module__}.{type(obj).__qualname__} instance"
    return text


def kind_of(obj):
    """How the reference shows a public name: module (skipped: it has its own page), class, function or data."""
    if inspect.ismodule(obj):
        return "module"
    if inspect.isclass(obj):
        return "class"
    if callable(obj) and (inspect.isroutine(obj) or hasattr(obj, "__signature__")):
        return "function"
    return "data"


class ApiMembers(SphinxDirective):
    """``.. api-members:: module`` (inside ``{eval-rst}``): a summary table, then autodoc entries for every
    public function and class of the module, so no list of names is kept by hand.

    Data (dtypes, constants) is listed in a table with its value; submodules are skipped (each has its own page).
    Options: ``:include: name, ...`` extra names (e.g. ``__array_namespace_info__``); ``:exclude: name, ...``.
    """

    required_arguments = 1
    option_spec = {"include": lambda s: [n.strip() for n in s.split(",") if n.strip()],
                   "exclude": lambda s: [n.strip() for n in s.split(",") if n.strip()]}

    def run(self):
        modname = self.arguments[0]
        module = importlib.import_module(modname)
        names = [n for n in public_names(module) if n not in self.options.get("exclude", [])]
        names += [n for n in self.options.get("include", []) if n not in names]
        groups = {"function": [], "class": [], "data": [], "module": []}
        for name in names:
            groups[kind_of(getattr(module, name))].append(name)
        lines = [f".. currentmodule:: {modname}", ""]
        if groups["function"] or groups["class"]:
            lines += [".. autosummary::", "   :nosignatures:", ""]
            lines += [f"   {n}" for n in groups["class"] + groups["function"]] + [""]
        if groups["data"]:
            lines += [".. list-table:: Constants and data types", "   :header-rows: 1", "",
                      "   * - name", "     - value"]
            for n in groups["data"]:
                lines += [f"   * - ``{n}``", f"     - ``{value_repr(getattr(module, n))}``"]
            lines.append("")
        for n in groups["class"]:
            cls = getattr(module, n)
            if cls.__name__ != n and cls.__name__ in names:  # a second name (var_dict = VarDict): say so, with its doc
                doc = inspect.getdoc(cls) or ""
                lines += [f".. py:class:: {n}", "", f"   Another name for :class:`{cls.__name__}`, the same class. "
                          + doc.split("\n\n")[0].replace("\n", " "), ""]
                continue
            lines += [f".. autoclass:: {n}", "   :members:", "   :inherited-members:", "   :exclude-members: __init__",
                      ""]
        for n in groups["function"]:
            lines += [f".. autofunction:: {n}", ""]
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source=f"<api-members {modname}>"), self.content_offset, container)
        return container.children


def draw_plots(app):
    """The performance and compliance plots, from the committed results (tools/plots.py), into _generated/."""
    subprocess.run([sys.executable, str(ROOT / "tools" / "plots.py"), "--out", str(Path(app.srcdir) / "_generated")],
                   check=True, stdout=subprocess.DEVNULL)


def setup(app):
    app.connect("builder-inited", draw_plots)
    app.add_directive("api-members", ApiMembers)
    return {"parallel_read_safe": True}
