"""The statistics helper itself is right (known chi-square quantiles)."""

import pytest

from services.lottery.tests.unit.stats import chi2_sf, chi_square_uniform


@pytest.mark.parametrize(("statistic", "dof", "p"), [
    (3.841, 1, 0.05), (6.635, 1, 0.01), (11.070, 5, 0.05), (16.919, 9, 0.05),
    (21.666, 9, 0.01), (0.0158, 1, 0.90), (30.144, 19, 0.05),
])
def test_chi2_sf_matches_tables(statistic, dof, p):
    assert chi2_sf(statistic, dof) == pytest.approx(p, rel=2e-3)


def test_uniform_counts_give_high_p_and_skewed_counts_low_p():
    assert chi_square_uniform([100, 101, 99, 100]) > 0.9
    assert chi_square_uniform([150, 100, 80, 70]) < 1e-4
