"""``python -m array_api_jax``: a short report of the installation.

Prints the package and standard versions, JAX's version, backend and devices, the 64-bit mode, the default
dtypes, the capabilities (jit-readiness flags), what malloc does with freed memory, and which optional interop
libraries are installed. The optional libraries are looked up, never imported (importing torch or scikit-learn
takes seconds).
"""

import argparse
import importlib.metadata
import importlib.util
import platform
import sys

# distribution name -> module name, for the libraries the docs and examples use with array_api_jax
OPTIONAL = {
    "scikit-learn": "sklearn",
    "scipy": "scipy",
    "array-api-compat": "array_api_compat",
    "array-api-extra": "array_api_extra",
    "array-api-strict": "array_api_strict",
    "torch": "torch",
    "matplotlib": "matplotlib",
}


def installed_version(dist, module):
    """The installed version of ``dist`` (None when its module cannot be found); nothing is imported."""
    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        return None
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "installed (version unknown)"


def report():
    """The report as a list of lines."""
    import jax

    import array_api_jax as xp
    from array_api_jax._malloc import KEPT
    from array_api_jax._versions import VERSIONS

    info = xp.__array_namespace_info__()
    devices = info.devices()
    kinds = sorted({d.device_kind for d in devices})
    dtypes = info.default_dtypes()
    caps = info.capabilities()
    flags = xp.get_flags()
    width = max(len(k) for k in OPTIONAL)
    lines = [
        f"array_api_jax {xp.__version__}",
        f"Array API standard: {xp.__array_api_version__} (api_version= accepts {', '.join(VERSIONS)})",
        f"Python: {platform.python_version()} ({sys.executable})",
        f"JAX: {jax.__version__} (jaxlib {importlib.metadata.version('jaxlib')})",
        f"backend: {jax.default_backend()}",
        f"devices: {len(devices)} x {', '.join(kinds)}: {', '.join(str(d) for d in devices[:8])}"
        + (" ..." if len(devices) > 8 else ""),
        f"default device: {info.default_device()}",
        f"x64 (jax_enable_x64): {'enabled' if jax.config.jax_enable_x64 else 'DISABLED'}",  # type: ignore[attr-defined]  # JAX makes its options attributes at run time
        "default dtypes: " + ", ".join(f"{k}={v}" for k, v in dtypes.items()),
        "capabilities: " + ", ".join(f"{k}={v}" for k, v in caps.items()),
        "flags: " + ", ".join(f"{k}={v}" for k, v in flags.items()),
        f"freed memory: {KEPT[1]}",
        "optional libraries:",
    ]
    for dist, module in OPTIONAL.items():
        version = installed_version(dist, module)
        lines.append(f"  {dist:{width}}  {version if version else 'not installed'}")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m array_api_jax",
        description="Print a short report of this installation: the package and standard versions, JAX's version, "
                    "backend and devices, 64-bit mode, default dtypes, capabilities and flags, and which optional "
                    "libraries are installed (looked up, not imported).")
    parser.parse_args(argv)
    print("\n".join(report()))


if __name__ == "__main__":
    main()
