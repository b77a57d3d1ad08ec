"""Indicator engine: pure functions on pandas DataFrames (no Dash, no SQL, no I/O).

Modules
-------
catalogue     enums (Unit, Direction, Category, Comparison, Rag, Level) and frame contracts
calendar      periods (month, tertial, year, R12, YTD), baselines, completeness
aggregate     area → kommun, LPO, polisområde, region, nation; rates per 1,000
stats         percent change, Poisson z, E-test, Poisson tail, baseline z, t-tests
crosssection  cross-sectional z (all, category, peers), peer groups, funnel limits
cusum         monthly residuals and one-sided CUSUM
fdr           Benjamini–Hochberg
table         the vectorised areas × indicators table of one period (numbers only)
rag           RagRules, the statistical and target rules, reasons in Swedish and English
targets       målstyrning table, year-end projection
summary       area_summary (JSON) and compare_table (DataFrame)
synthetic     seeded synthetic frames for tests and benchmarks
"""

from indicators.calendar import Period, latest_complete, parse_period
from indicators.rag import RagRules
from indicators.summary import area_summary, compare_table

__all__ = ["Period", "RagRules", "area_summary", "compare_table", "latest_complete", "parse_period"]
