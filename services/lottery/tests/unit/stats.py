"""Small statistics helpers for the fairness tests (no scipy in the project)."""

from __future__ import annotations

import math


def _lower_gamma_series(a: float, x: float) -> float:
    term = total = 1.0 / a
    n = a
    for _ in range(10_000):
        n += 1
        term *= x / n
        total += term
        if abs(term) < abs(total) * 1e-15:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _upper_gamma_fraction(a: float, x: float) -> float:
    # Lentz's continued fraction for Q(a, x), x > a + 1
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return h * math.exp(-x + a * math.log(x) - math.lgamma(a))


def chi2_sf(statistic: float, dof: int) -> float:
    """P(X >= statistic) for X ~ chi-square with `dof` degrees of freedom."""
    if statistic <= 0:
        return 1.0
    a, x = dof / 2, statistic / 2
    if x < a + 1:
        return 1.0 - _lower_gamma_series(a, x)
    return _upper_gamma_fraction(a, x)


def chi_square_uniform(counts: list[int]) -> float:
    """p-value of the hypothesis that the counts come from equally likely categories."""
    total = sum(counts)
    expected = total / len(counts)
    statistic = sum((c - expected) ** 2 / expected for c in counts)
    return chi2_sf(statistic, len(counts) - 1)


def chi_square_homogeneity(wins: list[int], trials: list[int]) -> float:
    """p-value that groups with `trials[i]` attempts share one winning probability (2 x k)."""
    total_wins, total = sum(wins), sum(trials)
    p = total_wins / total
    statistic = 0.0
    for w, n in zip(wins, trials, strict=True):
        for observed, expected in ((w, n * p), (n - w, n * (1 - p))):
            statistic += (observed - expected) ** 2 / expected
    return chi2_sf(statistic, len(wins) - 1)
