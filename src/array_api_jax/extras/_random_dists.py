"""The distributions of ``extras.random``: one sampler per distribution and one table line each.

A sampler is ``sampler(key, shape, dtype, static, *params) -> raw jax array`` of exactly ``shape`` and ``dtype``;
parameters arrive as Python scalars or arrays broadcastable to ``shape``. Every sampler is exact: it is a
``jax.random`` sampler, or a composition of them that is an exact method (a mixture, a transformation, or a
rejection loop that keeps each element's first accepted proposal). Integer-valued distributions compute in
float64 and round to the requested integer dtype.

``TABLE`` lists the element-wise distributions: name, parameters with defaults, the kind of result, the sampler,
the parameter checks (a predicate that is True where the parameters are valid, evaluated on concrete values
before any state changes) and a one-line description. Distributions with an event shape (dirichlet,
multinomial, ...) keep their samplers here and get hand-written front ends in ``random``.
"""

from typing import Callable, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

REQUIRED = object()
F64 = jnp.float64
POISSON_LAM_MAX = float(np.iinfo(np.int64).max - np.sqrt(np.iinfo(np.int64).max) * 10)


class Dist(NamedTuple):
    name: str
    params: tuple  # ((name, default or REQUIRED), ...)
    kind: str  # "real" | "normal" (real or complex) | "int" | "bool"
    sample: Callable
    checks: tuple  # ((predicate(*params) -> True where valid, message), ...)
    doc: str
    defaults: tuple  # one per parameter: the default, or REQUIRED


def _c(x, dt):
    return jnp.asarray(x, dt)


def _split(key, n):
    return jax.random.split(key, n)


# --- exact rejection sampling ----------------------------------------------------------------------------------


def rejection(key, propose):
    """Each element gets its first accepted proposal from an independent sequence of proposals.

    ``propose(key) -> (values, accepted)``; ``accepted`` must also be True where parameters are invalid (the
    loop then ends with an unspecified value there instead of never ending).
    """
    value, done = propose(jax.random.fold_in(key, 0))

    def body(carry):
        i, value, done = carry
        new, ok = propose(jax.random.fold_in(key, i))
        return i + 1, jnp.where(done, value, new), done | ok

    return lax.while_loop(lambda c: ~jnp.all(c[2]), body, (1, value, done))[1]


# --- samplers --------------------------------------------------------------------------------------------------


def _uniform(key, shape, dt, st, low, high):
    low = _c(low, dt)
    return low + (_c(high, dt) - low) * jax.random.uniform(key, shape, dt)


def _normal(key, shape, dt, st, loc, scale):
    return _c(loc, dt) + _c(scale, dt) * jax.random.normal(key, shape, dt)


def _standard_normal(key, shape, dt, st):
    return jax.random.normal(key, shape, dt)


def _standard_exponential(key, shape, dt, st):
    return jax.random.exponential(key, shape, dt)


def _exponential(key, shape, dt, st, scale):
    return _c(scale, dt) * jax.random.exponential(key, shape, dt)


def _gamma(key, shape, dt, st, a, scale=1.0):
    return jax.random.gamma(key, jnp.broadcast_to(_c(a, dt), shape), shape, dt) * _c(scale, dt)


def _beta(key, shape, dt, st, a, b):
    return jax.random.beta(key, _c(a, dt), _c(b, dt), shape, dt)


def _chisquare(key, shape, dt, st, df):
    return jax.random.chisquare(key, _c(df, dt), shape, dt)


def _noncentral_chisquare(key, shape, dt, st, df, nonc):
    # Poisson mixture of chi-squares: K ~ Poisson(nonc / 2), X = chi2(df + 2K) = 2 Gamma(df / 2 + K).
    k1, k2 = _split(key, 2)
    counts = jax.random.poisson(k1, jnp.broadcast_to(_c(nonc, F64) / 2, shape), shape).astype(F64)
    a = jnp.broadcast_to(_c(df, F64) / 2 + counts, shape)
    return (2 * jax.random.gamma(k2, a, shape, F64)).astype(dt)


def _f(key, shape, dt, st, dfnum, dfden):
    return jax.random.f(key, _c(dfnum, dt), _c(dfden, dt), shape, dt)


def _noncentral_f(key, shape, dt, st, dfnum, dfden, nonc):
    k1, k2 = _split(key, 2)
    num = _noncentral_chisquare(k1, shape, F64, st, dfnum, nonc) * _c(dfden, F64)
    den = jax.random.chisquare(k2, jnp.broadcast_to(_c(dfden, F64), shape), shape, F64) * _c(dfnum, F64)
    return (num / den).astype(dt)


def _location_scale(jax_sampler):
    def sampler(key, shape, dt, st, loc, scale):
        return _c(loc, dt) + _c(scale, dt) * jax_sampler(key, shape, dt)

    return sampler


def _lognormal(key, shape, dt, st, mean, sigma):
    return jnp.exp(_c(mean, dt) + _c(sigma, dt) * jax.random.normal(key, shape, dt))


def _pareto(key, shape, dt, st, a):
    # NumPy's pareto is Pareto II (Lomax): classical Pareto(a, x_m=1) minus 1 = expm1(E / a), E ~ Exp(1).
    return jnp.expm1(jax.random.exponential(key, shape, dt) / _c(a, dt))


def _power(key, shape, dt, st, a):
    # P(X <= x) = x**a on [0, 1]: X = U**(1/a) = exp(-E / a).
    return jnp.exp(-jax.random.exponential(key, shape, dt) / _c(a, dt))


def _rayleigh(key, shape, dt, st, scale):
    return jax.random.rayleigh(key, _c(scale, dt), shape, dt)


def _standard_cauchy(key, shape, dt, st):
    return jax.random.cauchy(key, shape, dt)


def _standard_t(key, shape, dt, st, df):
    return jax.random.t(key, _c(df, dt), shape, dt)


def _triangular(key, shape, dt, st, left, mode, right):
    return jax.random.triangular(key, _c(left, dt), _c(mode, dt), _c(right, dt), shape, dt)


def _truncated_normal(key, shape, dt, st, lower, upper):
    return jax.random.truncated_normal(key, _c(lower, dt), _c(upper, dt), shape, dt)


def _wald(key, shape, dt, st, mean, scale):
    # IG(mean, scale) = scale * IG(mean / scale, 1) (inverse Gaussian scaling); jax's wald has lambda = 1.
    scale = _c(scale, dt)
    return scale * jax.random.wald(key, jnp.broadcast_to(_c(mean, dt) / scale, shape), shape, dt)


def _weibull(key, shape, dt, st, a):
    a = _c(a, dt)
    e = jax.random.exponential(key, shape, dt)
    return jnp.where(a == 0, jnp.zeros((), dt), e ** (1 / jnp.where(a == 0, 1, a)))


def _vonmises(key, shape, dt, st, mu, kappa):
    # Best & Fisher (1979) rejection, exact, written in terms of s - 1 and 1 - w so that it stays accurate for
    # very small and very large kappa; kappa == 0 is the uniform distribution on the circle.
    k = jnp.broadcast_to(_c(kappa, F64), shape)
    zero = k == 0
    k = jnp.where(zero, 1.0, k)
    s4 = jnp.sqrt(1 + 4 * k * k)
    r = 1 + s4
    rho = 2 * k * jnp.sqrt(r) / ((s4 + 1) * (jnp.sqrt(r) + np.sqrt(2.0)))
    one_m_rho = jnp.where(rho < 0.5, 1 - rho, (jnp.sqrt(2 * r) - 1 - 1 / (2 * k + s4)) / (2 * k))
    s_m1 = one_m_rho ** 2 / (2 * rho)  # s - 1, with s = (1 + rho**2) / (2 rho)
    bad = ~jnp.isfinite(k) | ~(k > 0)

    def propose(key):
        k1, k2 = _split(key, 2)
        half = (np.pi / 2) * jax.random.uniform(k1, shape, F64)
        u2 = jax.random.uniform(k2, shape, F64, minval=np.finfo(np.float64).tiny)
        one_m_z = 2 * jnp.sin(half) ** 2  # 1 - z, z = cos(pi U1)
        s_p_z = s_m1 + 2 * jnp.cos(half) ** 2  # s + z
        one_m_w = s_m1 * one_m_z / s_p_z  # 1 - w, w = (1 + s z) / (s + z)
        y = k * (s_m1 + one_m_w)  # kappa (s - w)
        ok = (y * (2 - y) - u2 > 0) | (jnp.log(y / u2) + 1 - y >= 0)
        theta = 2 * jnp.arcsin(jnp.sqrt(jnp.clip(one_m_w / 2, 0, 1)))  # arccos(w)
        return theta, ok | bad

    k1, k2, k3 = _split(key, 3)
    theta = rejection(k1, propose)
    theta = jnp.where(jax.random.bernoulli(k2, 0.5, shape), theta, -theta)
    theta = jnp.where(zero, np.pi * (2 * jax.random.uniform(k3, shape, F64) - 1), theta)
    x = jnp.mod(_c(mu, F64) + theta + np.pi, 2 * np.pi) - np.pi
    return x.astype(dt)


def _bernoulli(key, shape, dt, st, p):
    return jax.random.bernoulli(key, _c(p, F64), shape).astype(dt)


def _binomial(key, shape, dt, st, n, p):
    return jax.random.binomial(key, jnp.floor(_c(n, F64)), _c(p, F64), shape, F64).astype(dt)


def _poisson(key, shape, dt, st, lam):
    return jax.random.poisson(key, jnp.broadcast_to(_c(lam, F64), shape), shape, jnp.int64).astype(dt)


def _geometric(key, shape, dt, st, p):
    # P(G > k) = P(E >= k * -log(1 - p)) = (1 - p)**k: number of trials up to the first success.
    e = jax.random.exponential(key, shape, F64)
    return (jnp.floor(e / -jnp.log1p(-_c(p, F64))) + 1).astype(dt)


def _negative_binomial(key, shape, dt, st, n, p):
    # Gamma-Poisson mixture: failures before the n-th success.
    k1, k2 = _split(key, 2)
    p = _c(p, F64)
    lam = jax.random.gamma(k1, jnp.broadcast_to(_c(n, F64), shape), shape, F64) * ((1 - p) / p)
    return jax.random.poisson(k2, lam, shape, jnp.int64).astype(dt)


def _logseries(key, shape, dt, st, p):
    # Kemp (1981), algorithm LK: given q = 1 - (1 - p)**U, X is geometric with P(X >= k) = q**(k - 1), read off
    # the same V; V >= p implies V > q, hence X = 1 without needing U.
    k1, k2 = _split(key, 2)
    p = _c(p, F64)
    v = 1 - jax.random.uniform(k1, shape, F64)  # (0, 1]
    q = -jnp.expm1(jnp.log1p(-p) * jax.random.uniform(k2, shape, F64))
    tail = jnp.floor(1 + jnp.log(v) / jnp.log(jnp.where(q > 0, q, 0.5)))
    x = jnp.where(v >= p, 1.0, jnp.where(v <= q * q, tail, jnp.where(v > q, 1.0, 2.0)))
    return x.astype(dt)


def _zipf(key, shape, dt, st, a):
    # Devroye (1986), X.6.1: exact rejection from a dominating Pareto; values beyond the result dtype are
    # rejected (as NumPy does beyond int64).
    am1 = jnp.broadcast_to(_c(a, F64) - 1, shape)
    bad = ~(am1 > 0)
    am1 = jnp.where(bad, 1.0, am1)
    b = 2.0 ** am1
    limit = float(np.iinfo(dt).max) if np.issubdtype(dt, np.integer) else np.inf

    def propose(key):
        k1, k2 = _split(key, 2)
        u = 1 - jax.random.uniform(k1, shape, F64)
        v = jax.random.uniform(k2, shape, F64)
        x = jnp.floor(u ** (-1 / am1))
        t = (1 + 1 / x) ** am1
        ok = (x >= 1) & (x <= limit) & (v * x * (t - 1) / (b - 1) <= t / b)
        return jnp.where((x >= 1) & (x <= limit), x, 1.0), ok | bad

    return rejection(key, propose).astype(dt)


def _hypergeometric(key, shape, dt, st, ngood, nbad, nsample):
    # Draw from the urn one item at a time (exact); draw the smaller of the sample and its complement, so the
    # loop runs min(nsample, ngood + nbad - nsample) times.
    g = jnp.broadcast_to(jnp.floor(_c(ngood, F64)), shape)
    total = g + jnp.floor(_c(nbad, F64))
    n = jnp.floor(_c(nsample, F64))
    flip = 2 * n > total
    m = jnp.broadcast_to(jnp.where(flip, total - n, n), shape)

    def body(carry):
        i, good_left, total_left, count = carry
        active = i < m
        u = jax.random.uniform(jax.random.fold_in(key, i), shape, F64)
        hit = active & (u * total_left < good_left)
        return i + 1, good_left - hit, total_left - active, count + hit

    init = (jnp.zeros((), jnp.int64), g, total, jnp.zeros(shape, F64))
    count = lax.while_loop(lambda c: jnp.any(c[0] < m), body, init)[3]
    return jnp.where(flip, g - count, count).astype(dt)


def _randint(key, shape, dt, st, low, high):
    return jax.random.randint(key, shape, low, high, dt)


# --- samplers with an event shape (front ends in ``random``) ----------------------------------------------------


def dirichlet(key, shape, dt, st, alpha):
    return jax.random.dirichlet(key, _c(alpha, dt), shape[:-1], dt)


def multinomial(key, shape, dt, st, n, pvals):
    p = _c(pvals, F64)
    rest = jnp.clip(1 - jnp.sum(p[..., :-1], axis=-1, keepdims=True), 0, 1)
    p = jnp.concatenate([p[..., :-1], rest], axis=-1)
    n = jnp.broadcast_to(jnp.floor(_c(n, F64)), shape[:-1])
    return jax.random.multinomial(key, n, p, shape=shape, dtype=F64).astype(dt)


def multivariate_normal(key, shape, dt, st, mean, cov):
    return jax.random.multivariate_normal(key, _c(mean, dt), _c(cov, dt), shape[:-1], dt, st[0])


def multivariate_hypergeometric(key, shape, dt, st, colors, nsample):
    colors = _c(colors, F64)
    k = colors.shape[-1]
    left = jnp.broadcast_to(jnp.floor(_c(nsample, F64)), shape[:-1])
    total = jnp.sum(colors)
    out = []
    for i, sub in enumerate(_split(key, k - 1) if k > 1 else ()):
        total = total - colors[i]
        x = _hypergeometric(sub, shape[:-1], F64, (), colors[i], total, left)
        out.append(x)
        left = left - x
    out.append(left)
    return jnp.stack(out, axis=-1).astype(dt)


def orthogonal(key, shape, dt, st):
    return jax.random.orthogonal(key, shape[-1], shape[:-2], dt)


def categorical(key, shape, dt, st, logits):
    return jax.random.categorical(key, _c(logits, F64), st[0], shape).astype(dt)


def choice(key, shape, dt, st, a, p):
    replace, axis, population = st
    return jax.random.choice(key, population if a is None else a, shape, replace,
                             None if p is None else _c(p, F64), axis)


def permutation(key, shape, dt, st, x):
    axis, independent = st
    if x is None:
        return jax.random.permutation(key, shape[0]).astype(dt)
    return jax.random.permutation(key, x, axis, independent)


def random_bytes(key, shape, dt, st):
    return jax.random.bits(key, shape, jnp.uint8)


# --- the table -------------------------------------------------------------------------------------------------
# A check is ("param", TEST) for one parameter, or (predicate over all parameters, message).

R = REQUIRED
GE0 = (lambda x: x >= 0, "must be >= 0")
GT0 = (lambda x: x > 0, "must be > 0")
PROB = (lambda x: (x >= 0) & (x <= 1), "must be in [0, 1]")
def _loggamma(key, shape, dt, st, a):
    return jax.random.loggamma(key, jnp.broadcast_to(_c(a, dt), shape), shape, dt)


def _maxwell(key, shape, dt, st, scale):
    return _c(scale, dt) * jax.random.maxwell(key, shape, dt)


def _weibull_min(key, shape, dt, st, c, scale):
    return jax.random.weibull_min(key, _c(scale, dt), _c(c, dt), shape, dt)


PROB_OPEN_LEFT = (lambda x: (x > 0) & (x <= 1), "must be in (0, 1]")


def _dist(name, params, kind, sample, checks, doc):
    names = [p[0] for p in params]
    built = []
    for a, b in checks:
        if isinstance(a, str):
            i, (test, msg) = names.index(a), b
            built.append(((lambda *v, _i=i, _t=test: _t(v[_i])), f"{a} {msg}"))
        else:
            built.append((a, b))
    return Dist(name, tuple(params), kind, sample, tuple(built), doc, tuple(d for _, d in params))


TABLE = [
    _dist("uniform", [("low", 0.0), ("high", 1.0)], "real", _uniform, [], "Uniform on [low, high)."),
    _dist("normal", [("loc", 0.0), ("scale", 1.0)], "normal", _normal, [("scale", GE0)],
          "Normal (Gaussian) with mean loc and standard deviation scale."),
    _dist("standard_normal", [], "normal", _standard_normal, [],
          "Standard normal (for a complex dtype: the standard complex normal)."),
    _dist("exponential", [("scale", 1.0)], "real", _exponential, [("scale", GE0)], "Exponential, scale 1/lambda."),
    _dist("standard_exponential", [], "real", _standard_exponential, [], "Exponential with scale 1."),
    _dist("gamma", [("shape", R), ("scale", 1.0)], "real", _gamma, [("shape", GE0), ("scale", GE0)],
          "Gamma(shape, scale)."),
    _dist("standard_gamma", [("shape", R)], "real", _gamma, [("shape", GE0)], "Gamma(shape, 1)."),
    _dist("beta", [("a", R), ("b", R)], "real", _beta, [("a", GT0), ("b", GT0)], "Beta(a, b)."),
    _dist("chisquare", [("df", R)], "real", _chisquare, [("df", GT0)], "Chi-square with df degrees of freedom."),
    _dist("noncentral_chisquare", [("df", R), ("nonc", R)], "real", _noncentral_chisquare,
          [("df", GT0), ("nonc", GE0)], "Noncentral chi-square (a Poisson mixture of chi-squares)."),
    _dist("f", [("dfnum", R), ("dfden", R)], "real", _f, [("dfnum", GT0), ("dfden", GT0)],
          "F (Fisher-Snedecor)."),
    _dist("noncentral_f", [("dfnum", R), ("dfden", R), ("nonc", R)], "real", _noncentral_f,
          [("dfnum", GT0), ("dfden", GT0), ("nonc", GE0)], "Noncentral F."),
    _dist("gumbel", [("loc", 0.0), ("scale", 1.0)], "real", _location_scale(jax.random.gumbel),
          [("scale", GE0)], "Gumbel (extreme value type I)."),
    _dist("laplace", [("loc", 0.0), ("scale", 1.0)], "real", _location_scale(jax.random.laplace),
          [("scale", GE0)], "Laplace (double exponential)."),
    _dist("logistic", [("loc", 0.0), ("scale", 1.0)], "real", _location_scale(jax.random.logistic),
          [("scale", GE0)], "Logistic."),
    _dist("lognormal", [("mean", 0.0), ("sigma", 1.0)], "real", _lognormal, [("sigma", GE0)],
          "Log-normal: exp of Normal(mean, sigma)."),
    _dist("pareto", [("a", R)], "real", _pareto, [("a", GT0)],
          "Pareto II (Lomax), as NumPy's pareto: the classical Pareto with x_m = 1, minus 1."),
    _dist("power", [("a", R)], "real", _power, [("a", GT0)], "Power: P(X <= x) = x**a on [0, 1]."),
    _dist("rayleigh", [("scale", 1.0)], "real", _rayleigh, [("scale", GE0)], "Rayleigh."),
    _dist("standard_cauchy", [], "real", _standard_cauchy, [], "Standard Cauchy (Lorentz)."),
    _dist("standard_t", [("df", R)], "real", _standard_t, [("df", GT0)], "Student's t."),
    _dist("t", [("df", R)], "real", _standard_t, [("df", GT0)], "Student's t (jax.random's name for standard_t)."),
    _dist("triangular", [("left", R), ("mode", R), ("right", R)], "real", _triangular,
          [(lambda left, mode, right: (left <= mode) & (mode <= right), "left <= mode <= right is required"),
           (lambda left, mode, right: left < right, "left < right is required")],
          "Triangular on [left, right] with its peak at mode."),
    _dist("truncated_normal", [("lower", R), ("upper", R)], "real", _truncated_normal,
          [(lambda lower, upper: lower < upper, "lower < upper is required")],
          "Standard normal truncated to [lower, upper] (jax.random.truncated_normal; scale and shift the result "
          "for another mean and deviation)."),
    _dist("vonmises", [("mu", R), ("kappa", R)], "real", _vonmises, [("kappa", GE0)],
          "Von Mises on [-pi, pi) with mode mu and concentration kappa (Best-Fisher rejection, exact)."),
    _dist("wald", [("mean", R), ("scale", R)], "real", _wald, [("mean", GT0), ("scale", GT0)],
          "Wald (inverse Gaussian) with mean and scale (the shape parameter lambda)."),
    _dist("weibull", [("a", R)], "real", _weibull, [("a", GE0)], "Weibull with shape a and scale 1."),
    _dist("weibull_min", [("c", R), ("scale", 1.0)], "real", _weibull_min, [("c", GT0), ("scale", GT0)],
          "Weibull (scipy.stats.weibull_min) with shape c and scale (BrainPy's weibull_min)."),
    _dist("loggamma", [("a", R)], "real", _loggamma, [("a", GT0)],
          "The log of a Gamma(a, 1) sample, accurate for small a (BrainPy's loggamma)."),
    _dist("maxwell", [("scale", 1.0)], "real", _maxwell, [("scale", GT0)],
          "Maxwell-Boltzmann speeds (scipy.stats.maxwell) with ``scale``."),
    _dist("bernoulli", [("p", 0.5)], "bool", _bernoulli, [("p", PROB)],
          "Bernoulli: True with probability p (bool unless dtype= asks for numbers)."),
    _dist("binomial", [("n", R), ("p", R)], "int", _binomial, [("n", GE0), ("p", PROB)],
          "Binomial: successes in n trials (n is truncated to an integer, as NumPy does)."),
    _dist("poisson", [("lam", 1.0)], "int", _poisson,
          [("lam", GE0), ("lam", (lambda x: x <= POISSON_LAM_MAX, "value too large"))], "Poisson."),
    _dist("geometric", [("p", R)], "int", _geometric, [("p", PROB_OPEN_LEFT)],
          "Geometric: the number of trials up to and including the first success (support 1, 2, ...)."),
    _dist("negative_binomial", [("n", R), ("p", R)], "int", _negative_binomial, [("n", GT0), ("p", PROB_OPEN_LEFT)],
          "Negative binomial: failures before the n-th success (Gamma-Poisson mixture)."),
    _dist("logseries", [("p", R)], "int", _logseries, [("p", (lambda x: (x >= 0) & (x < 1), "must be in [0, 1)"))],
          "Logarithmic series (Kemp's exact algorithm)."),
    _dist("zipf", [("a", R)], "int", _zipf, [("a", (lambda x: x > 1, "must be > 1"))],
          "Zipf (zeta), by exact rejection."),
    _dist("hypergeometric", [("ngood", R), ("nbad", R), ("nsample", R)], "int", _hypergeometric,
          [("ngood", GE0), ("nbad", GE0), ("nsample", GE0),
           (lambda ngood, nbad, nsample: nsample <= ngood + nbad, "ngood + nbad < nsample")],
          "Hypergeometric: good items among nsample drawn without replacement (exact urn simulation; its cost "
          "grows with min(nsample, ngood + nbad - nsample))."),
]
