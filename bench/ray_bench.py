"""The local batch against the Ray engine, same articles, same endpoint, same total concurrency.

    python bench/ray_bench.py                  # 1,000 articles, concurrency 16, 1 s per call
    python bench/ray_bench.py -n 200 --concurrency 8

Both runs are the real CLI (``python -m summarizer batch``) in a fresh process, timed from
process start to exit, so Ray's start-up (a local cluster: GCS, raylet, workers) is included.
The articles are 1,000 ids over the documents of the SummaC files (distinct texts). The
endpoint is bench/fake_openai.py in this process, answering every call after 1 s; the judge
is off (it would multiply the calls by ~30 and measure the fake server). Ray runs 2 actors
with ``concurrency / 2`` articles in flight each.

The fake server's requests in flight are sampled every 0.25 s: the run prints their mean and
maximum per 10 s, so the figure shows real concurrency, not arithmetic.

Target: Ray's articles/s >= 0.8 x the local batch's (exit 1 otherwise).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from bench.batch_bench import write_corpus  # noqa: E402
from bench.fake_openai import FakeServer  # noqa: E402

TARGET = 0.8


def sample(srv: FakeServer, stop: threading.Event, out: list[tuple[float, int]]) -> None:
    t0 = time.monotonic()
    while not stop.is_set():
        out.append((time.monotonic() - t0, srv.in_flight))
        time.sleep(0.25)


def run(engine: str, src: Path, outdir: Path, url: str, concurrency: int, srv: FakeServer) -> tuple[float, int]:
    cmd = [sys.executable, "-m", "summarizer", "batch", str(src), "-o", str(outdir), "--base-url", url]
    cmd += ["--model", "fake", "--judge", "off", "--concurrency", str(concurrency)]
    if engine == "ray":
        cmd += ["--engine", "ray", "--ray-actors", "2", "--format", "jsonl"]
    samples: list[tuple[float, int]] = []
    stop = threading.Event()
    sampler = threading.Thread(target=sample, args=(srv, stop, samples), daemon=True)
    before = srv.counts.get("requests", 0)
    started = time.perf_counter()
    sampler.start()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"{engine} batch failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    report = json.loads((outdir / "report.json").read_text())
    done = int(report["last_run"]["done"])
    print(
        f"\n== {engine}: {done} articles in {wall:.1f} s = {done / wall:.2f} articles/s "
        f"({srv.counts.get('requests', 0) - before} requests)"
    )
    print("   in flight at the server, per 10 s (mean / max):")
    line = "   "
    for start in range(0, int(samples[-1][0]) + 1, 10):
        window = [n for t, n in samples if start <= t < start + 10]
        if window:
            line += f" {start:>3}s {statistics.mean(window):4.1f}/{max(window):<3}"
            if len(line) > 90:
                print(line)
                line = "   "
    if line.strip():
        print(line)
    return wall, done


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--delay", type=float, default=1.0)
    args = ap.parse_args()
    srv = FakeServer(0, delay=args.delay, faults=0.0, hang=0.0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{srv.server_address[1]}/v1"
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp, "articles.jsonl")
        write_corpus(src, args.n)
        ideal = args.concurrency / args.delay
        print(
            f"{args.n} articles, concurrency {args.concurrency}, {args.delay:.1f} s per call "
            f"(ideal {ideal:.1f} articles/s)"
        )
        local_wall, local_done = run("local", src, Path(tmp, "local"), url, args.concurrency, srv)
        ray_wall, ray_done = run("ray", src, Path(tmp, "ray"), url, args.concurrency, srv)
    srv.shutdown()
    if local_done != args.n or ray_done != args.n:
        print(f"missed: local did {local_done}, Ray {ray_done} of {args.n}")
        return 1
    ratio = (ray_done / ray_wall) / (local_done / local_wall)
    print(f"\nRay / local: {ratio:.2f} (target >= {TARGET})")
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
