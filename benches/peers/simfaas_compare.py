#!/usr/bin/env python3
"""Compare deploysim's Lambda model with SimFaaS (simfaas 0.2.2 on PyPI), side by side.

SimFaaS (Mahmoudi and Khazaei, "SimFaaS: A Performance Simulator for Serverless Computing
Platforms") models a function as: Poisson arrivals; exponential warm and cold response times;
an instance expires a fixed time after its last request; a request takes the newest idle
instance, else starts a cold one, else (when `maximum_concurrency` instances are running) is
rejected; the simulation starts empty and averages from time 0.

deploysim is configured the same way through a scenario file (steady state, platform lambda,
`request_time` and `cold_response` exponential, fixed `idle_timeout`, `reuse = "newest"`, an
unlimited scaling rate) and run with the `simulate` binary. For every grid point both run R
replications; the four metrics must agree within max(2 %, the combined run-to-run spread:
3 standard errors of the difference of the means, so that forty comparisons do not fail by
chance alone). Speed is compared on the same case as
simulated requests per wall-clock second.

Usage (kept out of CI: it installs SimFaaS from PyPI into a virtualenv and takes minutes):
    python3 -m venv target/peers-venv && target/peers-venv/bin/pip install simfaas==0.2.2
    cargo build --release -p deploysim-cli
    target/peers-venv/bin/python benches/peers/simfaas_compare.py [--quick] [--out benches/peers/results.md]
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from simfaas.ServerlessSimulator import ServerlessSimulator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIMULATE = os.path.join(ROOT, "target", "release", "simulate")

# (arrival rate /s, warm mean s, cold mean s, expiration s, concurrency limit, simulated s)
GRID = [
    (0.1, 2.0, 2.2, 600, 1000, 200_000),
    (0.1, 2.0, 2.2, 60, 1000, 200_000),
    (0.9, 2.016, 2.163, 600, 1000, 100_000),
    (1.0, 0.5, 1.5, 120, 1000, 50_000),
    (5.0, 1.0, 1.2, 300, 1000, 20_000),
    (10.0, 0.2, 1.0, 60, 1000, 20_000),
    (10.0, 1.0, 1.5, 600, 8, 20_000),
    (30.0, 0.3, 0.5, 180, 12, 10_000),
    (100.0, 0.1, 0.4, 600, 1000, 4_000),
    (100.0, 0.25, 0.6, 60, 30, 4_000),
]
QUICK = [GRID[2], GRID[5], GRID[6]]
METRICS = ["prob_cold", "inst_count_avg", "inst_running_count_avg", "prob_reject"]


def run_simfaas(rate, warm, cold, expiration, limit, max_time, seed):
    np.random.seed(seed)
    sim = ServerlessSimulator(
        arrival_rate=rate,
        warm_service_rate=1 / warm,
        cold_service_rate=1 / cold,
        expiration_threshold=expiration,
        max_time=max_time,
        maximum_concurrency=limit,
    )
    start = time.perf_counter()
    sim.generate_trace()
    wall = time.perf_counter() - start
    r = sim.get_result_dict()
    return {m: r[m] for m in METRICS}, r["reqs_total"], wall


def scenario(rate, warm, cold, expiration, limit, max_time, seed):
    return f"""
name = "SimFaaS comparison"
seed = {seed}
horizon = "{max_time}s"
tick = "10s"
[traffic]
rate = {rate}
arrivals = "poisson"
[service]
platform = "lambda"
request_time = {{ dist = "exponential", mean = "{warm}s" }}
cold_response = {{ dist = "exponential", mean = "{cold}s" }}
idle_timeout = "{expiration}s"
reuse = "newest"
concurrency_limit = {limit}
scale_rate = {{ environments = 1000000, per = "1s" }}
"""


def run_deploysim(rate, warm, cold, expiration, limit, max_time, seed):
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
        f.write(scenario(rate, warm, cold, expiration, limit, max_time, seed))
        path = f.name
    try:
        start = time.perf_counter()
        out = subprocess.run([SIMULATE, path, "--format", "json"], check=True, capture_output=True, text=True)
        wall = time.perf_counter() - start
    finally:
        os.unlink(path)
    b = json.loads(out.stdout)["baseline"]
    requests = b["requests"]
    return (
        {
            "prob_cold": b["cold_start_rate"],
            "inst_count_avg": b["avg_environments"],
            "inst_running_count_avg": b["avg_busy"],
            "prob_reject": b["throttled"] / requests if requests else 0.0,
        },
        requests,
        wall,
    )


def mean_sd(xs):
    m = sum(xs) / len(xs)
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else 0.0
    return m, sd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="three grid points only")
    ap.add_argument("--reps", type=int, default=6)
    ap.add_argument("--out", default=None, help="write a markdown report here")
    args = ap.parse_args()
    if not os.path.exists(SIMULATE):
        sys.exit(f"{SIMULATE} not found: run `cargo build --release -p deploysim-cli` first")

    lines = [
        "| rate /s | warm s | cold s | expiry s | limit | metric | SimFaaS mean ± sd | deploysim mean ± sd | diff | allowed | ok |",
        "|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|:---:|",
    ]
    speed = []
    failures = 0
    for case in QUICK if args.quick else GRID:
        sims, ours = [], []
        for rep in range(args.reps):
            m, n_s, w_s = run_simfaas(*case, seed=1000 + rep)
            sims.append(m)
            o, n_o, w_o = run_deploysim(*case, seed=2000 + rep)
            ours.append(o)
            speed.append((case, n_s / w_s, n_o / w_o))
        for metric in METRICS:
            ms, ss = mean_sd([s[metric] for s in sims])
            mo, so = mean_sd([o[metric] for o in ours])
            diff = abs(mo - ms)
            spread = 3 * math.sqrt((ss**2 + so**2) / args.reps)
            allowed = max(spread, 0.02 * abs(ms))
            ok = diff <= allowed
            failures += not ok
            rate, warm, cold, exp, limit, _ = case
            lines.append(
                f"| {rate} | {warm} | {cold} | {exp} | {limit} | {metric} | {ms:.5g} ± {ss:.2g} | {mo:.5g} ± {so:.2g} "
                f"| {diff:.3g} | {allowed:.3g} | {'yes' if ok else '**no**'} |"
            )
        print(lines[-4:], flush=True)
    lines.append("")
    lines.append("Speed, simulated requests per wall-clock second (deploysim includes process start and the report):")
    lines.append("")
    lines.append("| rate /s | simulated s | SimFaaS req/s | deploysim req/s | ratio |")
    lines.append("|---:|---:|---:|---:|---:|")
    by_case = {}
    for case, s, o in speed:
        by_case.setdefault(case, []).append((s, o))
    for case, vals in by_case.items():
        s = sum(v[0] for v in vals) / len(vals)
        o = sum(v[1] for v in vals) / len(vals)
        lines.append(f"| {case[0]} | {case[5]} | {s:,.0f} | {o:,.0f} | {o / s:,.0f}× |")
    report = "\n".join(lines)
    print(report)
    print(f"\n{failures} metric(s) outside the allowed difference")
    if args.out:
        with open(args.out, "w") as f:
            f.write("# deploysim vs SimFaaS 0.2.2\n\n")
            f.write(f"Produced by `benches/peers/simfaas_compare.py --reps {args.reps}`")
            f.write(" (see its docstring for the model and the tolerance).\n\n")
            f.write(report + "\n\n")
            f.write(f"{failures} metric(s) outside the allowed difference.\n")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
