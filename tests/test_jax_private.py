"""JAX's private API, reached only through ``_jax_private``: each use agrees with its public fallback."""

import ast
from pathlib import Path

import jax
import jax.numpy as jnp
import pytest

import array_api_jax as xp
from array_api_jax import _jax_private as p

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "array_api_jax"


def test_no_other_module_reaches_jax_internals():
    """``jax._src``, ``jax.core`` and jax.Ref's private attributes appear in no other module."""
    for path in PACKAGE.rglob("*.py"):
        if path.name == "_jax_private.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in (
                    "jax", "_jax"):
                names = [f"jax.{node.attr}"]
            if isinstance(node, ast.Attribute) and node.attr in ("_refs", "_buf", "_replace_with"):
                names = [f"jax.Ref's private {node.attr}"]
            bad = [n for n in names if n.startswith(("jax._src", "jax.core", "jax.Ref"))]
            assert not bad, f"{path.relative_to(PACKAGE)}:{node.lineno} uses {bad[0]}"


def test_tracer_is_the_class_of_traced_values():
    seen = []
    jax.jit(lambda x: seen.append(isinstance(x, p.Tracer)) or x)(1.0)
    assert seen == [True] and not isinstance(jnp.ones(()), p.Tracer)


def test_default_device_override_agrees_with_the_public_config():
    public = p._PublicDefaultDevice()
    assert p.DEFAULT_DEVICE.value is public.value is jax.config.jax_default_device is None
    with jax.default_device(jax.devices()[-1]):
        assert p.DEFAULT_DEVICE.value is public.value is jax.devices()[-1]


@pytest.mark.parametrize("transform", [None, jax.jit, jax.grad, jax.vmap])
def test_is_top_level_agrees_with_the_public_way(transform):
    seen = []

    def f(x):
        seen.append((p.is_top_level(), p._is_top_level_public()))
        return x * 1.0
    if transform is None:
        f(1.0)
    else:
        transform(f)(jnp.ones(2) if transform is jax.vmap else 1.0)
    assert seen == [(transform is None, transform is None)]


def test_concrete_mesh_agrees_eagerly_with_the_public_way():
    assert p.concrete_mesh().shape == p._concrete_mesh_public().shape
    mesh = jax.make_mesh((1,), ("i",))
    with jax.set_mesh(mesh):
        assert p.concrete_mesh() == p._concrete_mesh_public() == mesh


def test_backends_are_initialized_once_jax_computed():
    jnp.ones(()).block_until_ready()
    assert p.backends_are_initialized() is True
    assert p._backends_are_initialized_public() is False  # the conservative answer


def test_the_callers_recognised_by_their_frames():
    with pytest.raises(ValueError, match="jnp.asarray"):  # called_by_typeof: JAX's typeof asked for an Array
        jax.grad(lambda x: xp.asarray(x) * 2.0)(1.0)
    with pytest.raises(TypeError, match="a jax.Array cannot be combined"):  # called_by_jax_operator
        jnp.ones(3) + xp.ones(3)


def test_a_refs_buffer_agrees_with_the_public_reads_and_writes():
    ref = jax.new_ref(jnp.arange(3.0))
    assert (p.ref_buffer(ref) == ref[...]).all()
    p.set_ref_buffer(ref, jnp.ones(3))
    assert (ref[...] == 1.0).all()
    if p.buffer_replaceable():
        p.replace_buffer(p.ref_buffer(ref), jnp.zeros(3))
        assert (ref[...] == 0.0).all() and (p.ref_buffer(ref) == 0.0).all()


def test_a_refs_buffer_is_shared_while_a_reader_holds_it():
    ref = jax.new_ref(jnp.arange(3.0) + 1)
    assert not p.ref_buffer_shared(ref)
    held = p.ref_buffer(ref)
    assert p.ref_buffer_shared(ref)
    del held
    assert not p.ref_buffer_shared(ref)


def test_executions_that_write_refs_run_through_the_wrapper():
    import array_api_jax.extras  # noqa: F401  (installs the wrapper)

    seen = []
    ref = jax.new_ref(jnp.zeros(2))
    from jax._src.interpreters import pxla

    wrapped = pxla.ExecuteReplicated.__call__
    assert getattr(wrapped, "_wraps_ref_writes", False)  # JAX's executor still has the shape relied on
    original = wrapped.__wrapped__
    try:
        pxla.ExecuteReplicated.__call__ = original
        assert p.wrap_ref_writing_calls(lambda refs, call: (seen.append(list(refs)), call())[1])
        f = jax.jit(lambda: ref.__setitem__(..., ref[...] + 1))
        f()
        jax.jit(lambda x: x + 1)(1.0)  # writes no Ref: not wrapped
        assert len(seen) == 1 and seen[0][0] is ref and ref[...].tolist() == [1, 1]
    finally:
        pxla.ExecuteReplicated.__call__ = wrapped


def test_threefry_unrolled_gives_the_same_bits_without_the_loop():
    """The host path's draws compile threefry's hash unrolled (JAX's CPU lowering loops over its rounds): the same
    bits, with no while loop left in the executable."""
    traced = jax.jit(lambda k: jax.random.bits(jax.random.wrap_key_data(k), (1000,))).trace(
        jax.random.key_data(jax.random.key(3)))
    plain, unrolled = traced.lower().compile(), p.compile_unrolled_threefry(traced)
    data = jax.random.key_data(jax.random.key(11))
    assert (plain(data) == unrolled(data)).all()
    assert "while" in plain.as_text() and "while" not in unrolled.as_text()
