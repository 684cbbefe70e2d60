#!/usr/bin/env python3
"""Reference intervals for the Statistics target's bootstrap (Tests/StatisticsTests/Fixtures).

scipy.stats.bootstrap(method="percentile") with many resamples is the reference; our
generator differs from numpy's, so tests compare within Monte-Carlo tolerance, which this
script also writes (4 × the spread of the endpoint over repeated scipy runs, at least 0.004).
Run: python3 tools/gen_bootstrap_fixtures.py > Tests/StatisticsTests/Fixtures/bootstrap_reference.json
"""
import json

import numpy as np
import scipy
from scipy import stats


def cases():
    rng = np.random.default_rng(7)
    yield "binary_30_half", rng.integers(0, 2, 30).astype(float)
    yield "binary_9_mostly_one", np.array([1, 1, 1, 1, 0, 1, 1, 1, 1], float)
    yield "binary_200_low", (rng.random(200) < 0.12).astype(float)
    yield "recall_elevenths_40", rng.integers(0, 12, 40) / 11.0
    yield "uniform_50", rng.random(50)
    yield "skewed_60", np.minimum(1.0, rng.exponential(0.15, 60))
    yield "differences_25", rng.integers(-1, 2, 25).astype(float)
    yield "two_values", np.array([0.0, 1.0])


def interval(values, seed):
    result = stats.bootstrap((values,), np.mean, confidence_level=0.95, n_resamples=20000,
                             method="percentile", random_state=np.random.default_rng(seed))
    return result.confidence_interval.low, result.confidence_interval.high


def main():
    out = []
    for name, values in cases():
        runs = np.array([interval(values, seed) for seed in range(8)])
        spread = runs.std(axis=0, ddof=1)
        out.append({
            "name": name,
            "values": [float(v) for v in values],
            "mean": float(values.mean()),
            "ci_low": float(runs[:, 0].mean()),
            "ci_high": float(runs[:, 1].mean()),
            "tolerance": float(max(0.004, 4 * spread.max() * np.sqrt(20000 / 10000))),
        })
    print(json.dumps({"generator": "tools/gen_bootstrap_fixtures.py", "scipy": scipy.__version__,
                      "method": "percentile", "confidence": 0.95, "cases": out}, indent=1))


if __name__ == "__main__":
    main()
