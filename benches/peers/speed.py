#!/usr/bin/env python3
"""Speed side by side with SimFaaS 0.2.2, at three pool sizes, on one core, in one run.

Each case is the same model in both (Poisson arrivals, exponential warm and cold response
times, a fixed expiry after the last request, unlimited concurrency), simulated long enough
that deploysim's process start and report are a small share of its time. The measure is
simulated requests per wall-clock second; deploysim's includes its process start. Each is
the best of `--repeat` runs (3 unless told; the same seed, so the same work each time): on a
shared machine the fastest run is the one least disturbed. Memory is the peak resident set of
the `simulate` process (`/usr/bin/time -f %M`).

    python3 -m venv target/peers-venv && target/peers-venv/bin/pip install simfaas==0.2.2
    cargo build --release -p deploysim-cli
    taskset -c 0 target/peers-venv/bin/python benches/peers/speed.py [--repeat N]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from simfaas.ServerlessSimulator import ServerlessSimulator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIMULATE = os.environ.get("SIMULATE", os.path.join(ROOT, "target", "release", "simulate"))

# (name, rate /s, warm s, cold s, expiry s, SimFaaS simulated s, deploysim simulated s)
CASES = [
    ("~4 environments", 0.9, 0.5, 1.5, 600, 200_000, 9_000_000),
    ("~80 environments", 60.0, 1.0, 1.5, 600, 5_000, 100_000),
    ("~250 environments", 200.0, 1.0, 1.5, 600, 1_500, 30_000),
]


def simfaas(rate, warm, cold, expiry, seconds):
    np.random.seed(1)
    sim = ServerlessSimulator(
        arrival_rate=rate,
        warm_service_rate=1 / warm,
        cold_service_rate=1 / cold,
        expiration_threshold=expiry,
        max_time=seconds,
    )
    start = time.perf_counter()
    sim.generate_trace()
    wall = time.perf_counter() - start
    r = sim.get_result_dict()
    return r["reqs_total"] / wall, r["inst_count_avg"]


def deploysim(rate, warm, cold, expiry, seconds, tick):
    text = f"""
name = "speed"
seed = 1
horizon = "{seconds}s"
tick = "{tick}"
[traffic]
rate = {rate}
[service]
platform = "lambda"
request_time = {{ dist = "exponential", mean = "{warm}s" }}
cold_response = {{ dist = "exponential", mean = "{cold}s" }}
idle_timeout = "{expiry}s"
reuse = "newest"
scale_rate = {{ environments = 1000000, per = "1s" }}
"""
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        start = time.perf_counter()
        out = subprocess.run(
            ["/usr/bin/time", "-f", "%M", SIMULATE, path, "--format", "json"],
            check=True,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
    finally:
        os.unlink(path)
    import json

    b = json.loads(out.stdout)["baseline"]
    kb = int(out.stderr.strip().splitlines()[-1])
    return b["requests"] / wall, b["avg_environments"], kb, b["requests"]


def best(runs, f, *args):
    """The run with the most requests per second of `runs` runs of `f`."""
    return max((f(*args) for _ in range(runs)), key=lambda r: r[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs of each, the best one counts (default 3)")
    repeat = max(1, ap.parse_args().repeat)
    if not os.path.exists(SIMULATE):
        sys.exit(f"{SIMULATE} not found: run `cargo build --release -p deploysim-cli` first")
    print("| case | tick | SimFaaS req/s | deploysim req/s | ratio | environments (SimFaaS / deploysim) | requests | peak RSS |")
    print("|---|---|---:|---:|---:|---|---:|---:|")
    for name, rate, warm, cold, expiry, s_secs, d_secs in CASES:
        s, s_env = best(repeat, simfaas, rate, warm, cold, expiry, s_secs)
        for tick in ["1s", "10s"]:
            d, d_env, kb, n = best(repeat, deploysim, rate, warm, cold, expiry, d_secs, tick)
            print(
                f"| {name} ({rate}/s, {warm} s warm, {cold} s cold, {expiry} s expiry) | {tick} | {s:,.0f} | {d:,.0f} "
                f"| {d / s:,.0f}× | {s_env:.1f} / {d_env:.1f} | {n:,} | {kb / 1024:.0f} MB |",
                flush=True,
            )


if __name__ == "__main__":
    main()
