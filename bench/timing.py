"""The one timing helper of the benchmarks (bench/ is on sys.path when a bench runs)."""

import time

import numpy as np


def median_time(fn, repeats=5, warmup=1):
    """Median wall time of ``fn()`` in seconds, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))
