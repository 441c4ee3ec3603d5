"""Reference values for the ED-versus-police share test (issue 13), from scipy:

  ed_share.json
    share_above: (k, n, p) cases -> scipy.stats.binomtest(k, n, p, alternative="greater")
                 .pvalue, the exact one-sided p-value that an area's ED share k / n is no
                 larger than the study-wide share p

Run by make_reference.sh in the pinned reference venv (requirements.txt).
"""

import json
from pathlib import Path

import scipy
from scipy.stats import binomtest

OUT = Path(__file__).resolve().parents[2] / "tests" / "reference"


def share_above_cases() -> list[dict]:
    cases = [
        (7, 10, 0.3), (0, 10, 0.3), (10, 10, 0.3), (3, 10, 0.3), (1, 1, 0.5), (0, 1, 0.5),
        (25, 40, 0.35), (60, 80, 0.41), (12, 80, 0.41), (180, 240, 0.37), (5, 200, 0.02),
        (1, 3, 0.999), (2, 3, 0.001), (400, 1000, 0.38), (1234, 2500, 0.45), (33, 35, 0.6),
    ]
    return [{"k": k, "n": n, "p": p, "p_value": float(binomtest(k, n, p, alternative="greater").pvalue)}
            for k, n, p in cases]


def main() -> None:
    data = {
        "provenance": f"scipy {scipy.__version__}, scripts/reference/make_ed_reference.py",
        "share_above": share_above_cases(),
    }
    path = OUT / "ed_share.json"
    path.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
