#!/usr/bin/env python3
"""The numpy script a user would write for `reluq fit`: the same algorithm and stopping rule.

Planted model x_i ~ N(0, I_d), w* uniform on the sphere of radius --norm, y_i = ReLU(<w*, x_i>);
moment init w0 = (2/n) sum_i y_i x_i; mini-batch SGD with replacement, step 1.5 m / (m + d),
ReLU'(0) = 1/2; stop once ||w - w*|| / ||w*|| <= --target-error or after --iters iterations.
float32 throughout, as reluq. Prints its phases as `reluq fit` does, for bench/e2e.
"""
import argparse
import time

T0 = time.perf_counter()
import numpy as np  # noqa: E402  (timed as part of the start-up)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--d", type=int, default=1024)
    p.add_argument("--n", type=int, default=None)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--iters", type=int, default=100_000)
    p.add_argument("--target-error", type=float, default=1e-6)
    p.add_argument("--norm", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    d, m = a.d, a.batch
    n = a.n if a.n is not None else 10 * d
    started = time.perf_counter()

    rng = np.random.default_rng(a.seed)
    w_star = rng.standard_normal(d, dtype=np.float32)
    w_star *= np.float32(a.norm / np.linalg.norm(w_star))
    x = rng.standard_normal((n, d), dtype=np.float32)
    # labels in float64 (rounded once to float32), a block of rows at a time: float32 labels would put
    # a noise floor near 1e-6 under the fit, as reluq's double-precision labels do not
    w64 = w_star.astype(np.float64)
    y = np.empty(n, dtype=np.float32)
    for i in range(0, n, 4096):
        y[i:i + 4096] = np.maximum(x[i:i + 4096].astype(np.float64) @ w64, 0)
    data = time.perf_counter()

    w = (2.0 / n) * (x.T @ y)
    w = w.astype(np.float32)
    init = time.perf_counter()

    mu = np.float32(1.5 * m / (m + d))
    norm_star = np.linalg.norm(w_star)
    error = np.linalg.norm(w - w_star) / norm_star
    t = 0
    while error > a.target_error and t < a.iters:
        rows = rng.integers(0, n, m)
        xb = x[rows]
        z = xb @ w
        r = np.maximum(z, 0) - y[rows]
        c = np.where(z > 0, r, np.where(z == 0, 0.5 * r, 0)).astype(np.float32)
        w -= (mu / m) * (xb.T @ c)
        error = np.linalg.norm(w - w_star) / norm_star
        t += 1
        if not np.isfinite(error):
            break
    end = time.perf_counter()
    print(f"result     after {t} iterations: relative error {error:.4g}")
    print(f"phases     start {started - T0:.3f} s (import numpy), data {data - started:.3f} s, "
          f"init {init - data:.3f} s, loop {end - init:.3f} s ({t / max(end - init, 1e-9):.0f} iterations/s)")


if __name__ == "__main__":
    main()
