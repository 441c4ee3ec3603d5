"""Reference values for the change and trend statistics (issue 13), from PyPI packages:

  trend_change.json
    mann_kendall: series with and without ties -> pymannkendall.original_test's s, var_s,
                  z, p (Mann-Kendall with the tie-corrected variance)
    poisson_change: (earlier, earlier_exposure, later, later_exposure) cases -> the p-value
                  of scipy.stats.binomtest(later, earlier + later,
                  later_exposure / (earlier_exposure + later_exposure)) (two-sided)

Run by make_reference.sh in the pinned reference venv (requirements.txt).
"""

import json
from pathlib import Path

import numpy as np
import pymannkendall
import scipy
from scipy.stats import binomtest

OUT = Path(__file__).resolve().parents[2] / "tests" / "reference"


def mann_kendall_cases() -> list[dict]:
    rng = np.random.default_rng(13)
    series = [
        [1.0, 2.0, 3.0, 4.0, 5.0],
        [5.0, 4.0, 3.0, 2.0, 1.0],
        [1.0, 1.0, 2.0, 2.0, 2.0, 3.0],
        [0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 2.0],
        [2.5, -1.0, 0.3, 0.3, 4.0, -2.0, 1.1, 1.1, 1.1],
        list(np.round(rng.normal(size=36), 2)),  # rounding makes ties likely
        list(rng.normal(size=36) + np.linspace(0, 2, 36)),  # a trend, no ties
        list(rng.poisson(3, size=24).astype(float)),  # counts: many ties
        list(rng.normal(size=120)),
    ]
    out = []
    for x in series:
        r = pymannkendall.original_test(np.asarray(x, dtype=float))
        out.append({"series": [float(v) for v in x], "s": float(r.s), "var_s": float(r.var_s),
                    "z": float(r.z), "p": float(r.p)})
    return out


def poisson_change_cases() -> list[dict]:
    cases = [
        (10, 1.0, 30, 1.0), (30, 1.0, 10, 1.0), (5, 1.0, 5, 1.0), (0, 1.0, 7, 1.0),
        (7, 1.0, 0, 1.0), (1, 1.0, 0, 1.0), (12, 2.0, 9, 1.0), (100, 12.0, 130, 12.0),
        (22477, 12.0, 20812, 12.0), (3, 0.25, 11, 0.75), (40, 3.0, 40, 1.0), (0, 2.0, 1, 1.0),
        (250, 1.0, 260, 1.0), (1, 1.0, 2, 2.0), (17, 1.5, 4, 0.5),
    ]
    out = []
    for c1, e1, c2, e2 in cases:
        n = c1 + c2
        p = binomtest(c2, n, e2 / (e1 + e2)).pvalue
        out.append({"earlier": c1, "earlier_exposure": e1, "later": c2, "later_exposure": e2,
                    "p": float(p)})
    return out


def main() -> None:
    data = {
        "provenance": f"scipy {scipy.__version__}, pymannkendall {pymannkendall.__version__}, "
                      "scripts/reference/make_trend_reference.py",
        "mann_kendall": mann_kendall_cases(),
        "poisson_change": poisson_change_cases(),
    }
    path = OUT / "trend_change.json"
    path.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
