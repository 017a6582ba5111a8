#!/usr/bin/env python3
"""The PyTorch script a user would write for `reluq fit`: the same algorithm and stopping rule as
fit_numpy.py (planted model, moment init, mini-batch SGD with replacement, step 1.5 m / (m + d),
ReLU'(0) = 1/2, stop at the target relative error or the budget), float32 on the CPU with torch's
default threads. Prints its phases as `reluq fit` does, for `reluq bench e2e`.
"""
import argparse
import time

T0 = time.perf_counter()
import torch  # noqa: E402  (timed as part of the start-up)


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

    g = torch.Generator().manual_seed(a.seed)
    w_star = torch.randn(d, generator=g, dtype=torch.float32)
    w_star *= a.norm / torch.linalg.norm(w_star)
    x = torch.randn(n, d, generator=g, dtype=torch.float32)
    # labels in float64 (rounded once to float32), a block of rows at a time, as in fit_numpy.py
    w64 = w_star.double()
    y = torch.empty(n, dtype=torch.float32)
    for i in range(0, n, 4096):
        y[i:i + 4096] = torch.clamp(x[i:i + 4096].double() @ w64, min=0).float()
    data = time.perf_counter()

    w = ((2.0 / n) * (x.T @ y)).float()
    init = time.perf_counter()

    mu = 1.5 * m / (m + d)
    norm_star = torch.linalg.norm(w_star)
    error = (torch.linalg.norm(w - w_star) / norm_star).item()
    t = 0
    while error > a.target_error and t < a.iters:
        rows = torch.randint(0, n, (m,), generator=g)
        xb = x[rows]
        z = xb @ w
        r = torch.clamp(z, min=0) - y[rows]
        c = torch.where(z > 0, r, torch.where(z == 0, 0.5 * r, torch.zeros_like(r)))
        w -= (mu / m) * (xb.T @ c)
        error = (torch.linalg.norm(w - w_star) / norm_star).item()
        t += 1
        if error != error or error == float("inf"):
            break
    end = time.perf_counter()
    print(f"result     after {t} iterations: relative error {error:.4g}")
    print(f"phases     start {started - T0:.3f} s (import torch), data {data - started:.3f} s, "
          f"init {init - data:.3f} s, loop {end - init:.3f} s ({t / max(end - init, 1e-9):.0f} iterations/s)")


if __name__ == "__main__":
    main()
