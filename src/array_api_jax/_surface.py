"""The declared public surface of the strict namespace: the standard's names plus this library's additions.

The standard's names per version come from the spec snapshot (``_spec_names.json``); ``ADDITIONS`` lists every
name a public module has beyond them, each with its reason. ``declare`` gives a module its ``__all__`` and a
module-level ``__dir__``, and gives each public function and class defined inside the package the public module
it is reached from as ``__module__`` (so ``help``, reprs and the docs say ``array_api_jax.linalg.qr``, not a
private module). The tests compare every public module with these tables in both directions.
"""

import inspect
import json
from functools import cache
from pathlib import Path

CURRENT = "2025.12"
DTYPE_NAMES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
               "float32", "float64", "complex64", "complex128")
EXTENSIONS = ("linalg", "fft")  # the standard's extensions: submodules of the namespace

# module -> {name: why this library adds it}
ADDITIONS = {
    "array_api_jax": {
        "Array": "the array type, for isinstance checks and annotations (the standard leaves it unnamed)",
        "set_default_dtypes": "switches the default dtypes (float32 for GPU work); the inspection namespace follows",
        "flags": "context manager setting the jit-readiness flags for a block",
        "get_flags": "reads the jit-readiness flags",
        "set_flags": "sets the jit-readiness flags (data-dependent shapes raise eagerly, as under jax.jit)",
        "reset_flags": "restores the default jit-readiness flags",
        "get_host_path": "whether small eager CPU arrays are computed with NumPy (the host path)",
        "set_host_path": "switches the host path on or off (off: every array lives on XLA)",
    },
    "array_api_jax.linalg": {
        name: f"the named tuple that linalg.{func} returns (the standard names only its fields)"
        for name, func in (("EigResult", "eig"), ("EighResult", "eigh"), ("QRResult", "qr"),
                           ("SlogdetResult", "slogdet"), ("SVDResult", "svd"))},
    "array_api_jax.fft": {},
}


# NumPy's array methods that the strict Array does not have -> what to use instead (``Array.__getattr__``'s hint)
NUMPY_ONLY = {
    "reshape": "xp.reshape(x, shape)", "sum": "xp.sum(x)", "mean": "xp.mean(x)", "max": "xp.max(x)",
    "min": "xp.min(x)", "prod": "xp.prod(x)", "std": "xp.std(x)", "var": "xp.var(x)",
    "astype": "xp.astype(x, dtype)", "transpose": "xp.permute_dims(x, axes) or x.T",
    "flatten": "xp.reshape(x, (-1,))", "ravel": "xp.reshape(x, (-1,))", "copy": "xp.asarray(x, copy=True)",
    "tolist": "numpy.asarray(x).tolist()", "item": "int(x) / float(x)",
    "argmax": "xp.argmax(x)", "argmin": "xp.argmin(x)", "sort": "xp.sort(x)", "argsort": "xp.argsort(x)",
    "any": "xp.any(x)", "all": "xp.all(x)", "cumsum": "xp.cumulative_sum(x)", "squeeze": "xp.squeeze(x, axis)",
    "clip": "xp.clip(x, min, max)", "round": "xp.round(x)", "dot": "xp.matmul(x, y) or xp.vecdot",
    "nonzero": "xp.nonzero(x)", "take": "xp.take(x, indices)", "conj": "xp.conj(x)", "real": "xp.real(x)",
    "imag": "xp.imag(x)", "swapaxes": "xp.moveaxis / xp.permute_dims", "fill": "x[...] = value",
    "cumprod": "xp.cumulative_prod(x)", "repeat": "xp.repeat(x, n)", "diagonal": "xp.linalg.diagonal(x)",
    "trace": "xp.linalg.trace(x)",
}

def _grouped(groups):
    return {name: reason for reason, names in groups.items() for name in names}


# extras' names beyond the public callables of jax.numpy (extras._namespace wraps those, less its EXCLUDED)
ADDITIONS["array_api_jax.extras"] = _grouped({
    "the array type of extras (a subclass of Array)": ("ndarray",),
    "the strict namespace's constants and dtype objects": ("e", "inf", "nan", "newaxis", "pi", *DTYPE_NAMES),
    "NumPy-style submodules": ("fft", "linalg", "random"),
    "the inspection namespace, following extras' default dtypes": ("__array_namespace_info__",),
    "jax.numpy's index tricks and constants, with ndarray results": ("c_", "mgrid", "ogrid", "r_", "s_",
                                                                     "index_exp", "euler_gamma"),
    "BrainPy's state: values in a jax.Ref, updated under plain jax.jit": (
        "Variable", "TrainVar", "Parameter", "VariableView", "VarList", "VarDict", "var_list", "var_dict",
        "MathError"),
    "BrainPy's transformations, aware of Variables and keyless random": (
        "jit", "for_loop", "scan", "while_loop", "cond", "ifelse", "grad", "value_and_grad", "vector_grad",
        "functional_vector_grad", "jacobian", "jacrev", "jacfwd", "hessian"),
    "BrainPy's conversions and default-dtype getters": (
        "as_jax", "as_device_array", "as_numpy", "as_ndarray", "from_numpy", "as_variable", "dftype", "ditype"),
    "BrainPy's settings (default dtypes, platform, devices)": (
        "enable_x64", "disable_x64", "set_float", "get_float", "set_int", "get_int", "set_complex",
        "get_complex", "set_platform", "get_platform", "set_host_device_count"),
})
# extras.random's names beyond numpy.random's
ADDITIONS["array_api_jax.extras.random"] = _grouped({
    "what is left out of numpy.random, with the reasons": ("NOT_PROVIDED",),
    "raised when keyless random meets a transformation it cannot follow": ("RandomStateError",),
    "keyless random under jax.vmap and jax.checkpoint": ("vmap", "checkpoint"),
    "distributions of jax.random (or BrainPy) that numpy.random lacks": (
        "bernoulli", "categorical", "loggamma", "maxwell", "orthogonal", "t", "truncated_normal", "weibull_min"),
    "Generator.multivariate_hypergeometric as a module function, as BrainPy has it": (
        "multivariate_hypergeometric",),
    "BrainPy's key and *_like functions": ("get_key", "set_key", "split_key", "split_keys", "seed_context",
                                           "rand_like", "randn_like", "randint_like"),
})


@cache
def spec_names():
    """The standard's names per version (generated from its stubs by tools/spec_snapshot.py)."""
    return json.loads(Path(__file__).with_name("_spec_names.json").read_text())


def standard_names(module, version=CURRENT):
    """The names the standard puts in ``module`` (``array_api_jax``, ``array_api_jax.linalg``, ...) at ``version``."""
    entry = spec_names()[version]
    if module == "array_api_jax":
        return set(entry["main"]) | set(DTYPE_NAMES) | {e for e in EXTENSIONS if e in entry}
    return set(entry.get(module.rsplit(".", 1)[1], ()))


def public_names(module):
    """Everything ``module`` declares: the standard's names and this library's additions."""
    return sorted(standard_names(module) | set(ADDITIONS.get(module, ())))


def declare(module, names, public_module=None):
    """Set ``module.__all__`` and ``__dir__`` to ``names``; functions and classes defined in this package get
    ``public_module`` (default: the module's name) as ``__module__`` unless another public module owns them."""
    public_module = public_module or module.__name__
    names = sorted(names)
    module.__all__ = names
    # dir() lists the declared names and the module's dunders (__version__, __array_api_version__, ...)
    module.__dir__ = lambda: sorted({*names, *(n for n in vars(module) if n.startswith("__"))})
    for name in names:
        obj = getattr(module, name)
        if not (inspect.isfunction(obj) or isinstance(obj, type)):
            continue  # dtypes, constants, bound methods (their module is their function's), submodules
        # a private module hands its names to the public module; a name re-exported from another public module
        # (linalg.matmul is array_api_jax.matmul: declare the main namespace first) keeps its owner
        owner = obj.__module__.split(".")
        if owner[0] == "array_api_jax" and any(part.startswith("_") for part in owner[1:]):
            obj.__module__ = public_module
