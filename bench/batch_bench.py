"""Benchmarks of ``summarizer batch`` (the real CLI, verification on) against bench/fake_openai.py.

    python bench/batch_bench.py throughput   # 500 articles, concurrency 16, 1 s per call
    python bench/batch_bench.py memory       # peak RSS, 1,000 vs 10,000 distinct articles
    python bench/batch_bench.py faults       # 30 % faults, kill -9 mid-run, resume
    python bench/batch_bench.py all

Targets: throughput (articles over the batch's own wall time, from first read to last write;
the interpreter's start-up is printed beside it) >= 90 % of the ideal 16 articles/s; peak RSS at 10,000 within 20 % of
1,000; with faults, every article ends in summaries.jsonl or errors.jsonl, none lost and none
duplicated, also after kill -9 and a resume. Exit 1 when a target is missed.
The corpus is the documents of the SummaC files, made distinct where more are needed.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("SUMMARIZER_SHARED", ROOT.parent / "shared")) / "data/faithfulness/summac"


def documents() -> list[str]:
    seen: dict[str, None] = {}
    for name in ("factcc", "summeval", "polytope", "xsumfaith"):
        for item in json.loads((DATA / f"{name}.json").read_text()).values():
            seen.setdefault(item["document"], None)
    return list(seen)


def write_corpus(path: Path, n: int) -> list[str]:
    docs = documents()
    ids = []
    with path.open("w") as f:
        for i in range(n):
            text = docs[i % len(docs)]
            if i >= len(docs):  # a distinct content hash for every article
                text = f"{text}\n\n(Edition {i // len(docs)}.)"
            ids.append(f"a{i:05d}")
            f.write(json.dumps({"id": ids[-1], "text": text}) + "\n")
    return ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Fake:
    def __init__(self, faults: float = 0.0, hang: float = 30.0) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "bench/fake_openai.py"),
                "--port",
                str(self.port),
                "--faults",
                str(faults),
                "--hang",
                str(hang),
            ],
            stdout=subprocess.PIPE,
        )
        assert self.proc.stdout is not None
        self.proc.stdout.readline()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> Fake:
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait()


def batch_cmd(src: Path, out: Path, url: str, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "summarizer",
        "batch",
        str(src),
        "-o",
        str(out),
        "--base-url",
        url,
        "--model",
        "fake",
        "--mode",
        "json",
        *extra,
    ]


def throughput() -> bool:
    with tempfile.TemporaryDirectory() as tmp, Fake() as fake:
        src, out = Path(tmp, "in.jsonl"), Path(tmp, "out")
        write_corpus(src, 500)
        t = time.perf_counter()
        subprocess.run(batch_cmd(src, out, fake.url, "--concurrency", "16"), check=True, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - t
        report = json.loads((out / "report.json").read_text())
    rate = report["done"] / report["wall_seconds"]
    ok = report["done"] == 500 and rate >= 0.9 * 16
    print(
        f"throughput: {report['done']} articles in {report['wall_seconds']:.1f} s from first read to last "
        f"write = {rate:.2f} articles/s, {rate / 16:.0%} of the ideal 16/s (process wall with "
        f"interpreter start-up {wall:.1f} s = {report['done'] / wall:.2f}/s); grounding "
        f"{report['grounding_rate']}  {'PASS' if ok else 'MISSED'}"
    )
    return ok


def peak_rss_kb(n: int) -> int:
    with tempfile.TemporaryDirectory() as tmp, Fake() as fake:
        src, out = Path(tmp, "in.jsonl"), Path(tmp, "out")
        write_corpus(src, n)
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *batch_cmd(src, out, fake.url, "--concurrency", "64")],
            capture_output=True,
            text=True,
            check=True,
        )
        done = json.loads((out / "report.json").read_text())["done"]
        assert done == n, f"only {done} of {n} done"
        return int(proc.stderr.strip().splitlines()[-1])


def memory() -> bool:
    small, large = peak_rss_kb(1_000), peak_rss_kb(10_000)
    growth = large / small - 1
    ok = growth <= 0.20
    print(
        f"memory: peak RSS {small / 1024:.1f} MB at 1,000 articles, {large / 1024:.1f} MB at 10,000 "
        f"({growth:+.1%}; target within 20 %)  {'PASS' if ok else 'MISSED'}"
    )
    return ok


def check_outcome(ids: list[str], out: Path) -> tuple[bool, str]:
    done = [json.loads(x)["article"]["id"] for x in (out / "summaries.jsonl").read_text().splitlines()]
    failed = {json.loads(x)["id"] for x in (out / "errors.jsonl").read_text().splitlines()}
    dup = [k for k, v in Counter(done).items() if v > 1]
    lost = set(ids) - set(done) - failed
    ok = not dup and not lost
    return (
        ok,
        f"{len(set(done))} summarised, {len(failed - set(done))} only in errors, "
        f"{len(lost)} lost, {len(dup)} duplicated",
    )


def faults() -> bool:
    n = 300
    with tempfile.TemporaryDirectory() as tmp, Fake(faults=0.3, hang=30) as fake:
        src, out = Path(tmp, "in.jsonl"), Path(tmp, "out")
        ids = write_corpus(src, n)
        extra = ("--concurrency", "16", "--timeout", "3", "--retries", "3")
        proc = subprocess.Popen(batch_cmd(src, out, fake.url, *extra), stderr=subprocess.DEVNULL)
        time.sleep(12)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        partial = sum(1 for _ in (out / "summaries.jsonl").open())
        for line in (out / "summaries.jsonl").read_text().splitlines():
            json.loads(line)  # no torn line after kill -9
        subprocess.run(batch_cmd(src, out, fake.url, *extra), stderr=subprocess.DEVNULL)
        ok, detail = check_outcome(ids, out)
        report = json.loads((out / "report.json").read_text())
    print(
        f"faults: 30 % of calls 429/500/hang; killed with SIGKILL after 12 s with {partial} done; "
        f"resume run: {report['done']} done, {report['skipped']} skipped, {report['failed']} failed; "
        f"overall {detail}  {'PASS' if ok else 'MISSED'}"
    )
    return ok


def main() -> int:
    runs = {"throughput": throughput, "memory": memory, "faults": faults}
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", nargs="?", default="all", choices=[*runs, "all"], help="which benchmark (default all)")
    which = parser.parse_args().which
    chosen = list(runs) if which == "all" else [which]
    results = [runs[name]() for name in chosen]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
