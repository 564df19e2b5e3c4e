"""The embedded engines side by side, in one run, as a user runs them: README command 1's
``summarize`` with its default flags (judge on), once per engine, on the same articles.

    python bench/engine_speed.py                                   # xllamacpp and llama-server, the seeds
    python bench/engine_speed.py --engines xllamacpp --articles examples
    python bench/engine_speed.py --engines xllamacpp,llama-server=/path/to/llama-server
    python bench/engine_speed.py --build-avx512 /tmp/avx512   # build llama-server with AVX-512 on, AMX off

Engines: ``xllamacpp`` (the prebuilt wheel), ``llama-server`` (the cached source build; built
first if missing, which takes minutes), or ``llama-server=PATH`` for any other llama-server
binary (an AVX-512 build, say). Every run gets its own cache folder with the joined weights
linked in and an empty judge cache, the same schema, prompt, output limit and judged fields
(the defaults), temperature 0.

Per engine: seconds per article and articles per hour, split into the summarising call and
the judging (from each record's provenance); valid answers (records against errors); peak
RSS of the whole process tree (CLI plus engine, sampled every 0.2 s); then, on a freshly
started server, prompt and generation tokens/s from the server's own ``timings`` for one
seed article's prompt (serial, 200 output tokens).

Targets (exit 1 on a miss), against ``llama-server`` when it ran: xllamacpp's articles per
hour and seconds per article no worse than 0.9x (the machine's noise is about 10 % within a
run); peak RSS of every engine's process tree at most 2.5 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SUMMARIZER_SHARED", ROOT.parent / "shared"))
SETS = ("seeds", "examples", "summac")
RSS_LIMIT_MB = 2500


def article_files(which: str, work: Path) -> list[Path]:
    """The articles of set ``which`` as text files (SummaC documents written under ``work``)."""
    from local_speed import NAMED, SUMMAC  # the 8 SummaC documents named there (bench/ is on sys.path)

    if which == "seeds":
        return sorted((SHARED / "data/articles").glob("*.txt"))
    if which == "examples":
        return sorted((ROOT / "examples").glob("*.txt"))
    data = {f: json.loads((SUMMAC / f"{f}.json").read_text()) for f in {f for f, _ in NAMED}}
    files = []
    for f, key in NAMED:
        path = work / f"{key}.txt"
        path.write_text(data[f][key]["document"])
        files.append(path)
    return files


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MB."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(status.split("VmRSS:")[1].split()[0])
            for task in Path(f"/proc/{p}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total / 1024


def run_cli(
    engine: str,
    binary: str | None,
    files: list[Path],
    work: Path,
    env_extra: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> dict[str, object]:
    """README command 1's summarize on ``files`` with ``engine`` (``env_extra`` added to its
    environment, run in ``cwd``: ``python -m`` imports the package found there first);
    figures from its records."""
    real_cache = Path(os.environ.get("SUMMARIZER_CACHE_DIR") or Path.home() / ".cache/summarizer")
    cache = work / "cache"
    cache.mkdir(parents=True)
    for sub in ("models", "engines", "gguf-hashes.json"):
        if (real_cache / sub).exists():
            (cache / sub).symlink_to(real_cache / sub)
    env = {**os.environ, "SUMMARIZER_CACHE_DIR": str(cache), **(env_extra or {})}
    if binary:
        env["SUMMARIZER_LLAMA_SERVER"] = binary
    out = work / "out.jsonl"
    cmd = [sys.executable, "-m", "summarizer", "summarize", *map(str, files), "-o", str(out)]
    cmd += ["--local-engine", engine]
    peak, started = 0.0, time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.2):
            peak = max(peak, tree_rss_mb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    records = [json.loads(x) for x in out.read_text().splitlines()] if out.exists() else []
    summ = [r["provenance"]["seconds"] for r in records]
    judges = [r["provenance"].get("judge") or {} for r in records]
    judge = [j.get("seconds", 0.0) for j in judges]
    return {
        "exit": proc.returncode,
        "valid": f"{len(records)}/{len(files)}",
        "wall_s": round(wall, 1),
        "per_article_s": round(wall / len(files), 1),
        "articles_per_hour": round(3600 * len(records) / wall, 1),
        "summarising_s": [round(s, 1) for s in summ],
        "judging_s": [round(s, 1) for s in judge],
        "judge_calls": [j.get("calls", 0) for j in judges],
        "judge_prompt_tokens": [(j.get("usage") or {}).get("prompt_tokens", 0) for j in judges],
        "judge_cached_tokens": [(j.get("usage") or {}).get("cached_tokens", 0) for j in judges],
        "completion_tokens": [r["provenance"]["usage"]["completion_tokens"] for r in records],
        "prompt_tokens": [r["provenance"]["usage"]["prompt_tokens"] for r in records],
        "answers": {r["article"]["id"]: r["summary"] for r in records},
        "peak_rss_mb": round(peak),
        "stderr_tail": stderr.decode(errors="replace").strip().splitlines()[-2:],
    }


def raw_rates(engine: str, binary: str | None, article: Path) -> dict[str, float]:
    """Prompt and generation tokens/s from the server's ``timings`` for one article's prompt."""
    from summarizer.run.api import embedded_server
    from summarizer.run.settings import LocalOptions, Settings

    if binary:
        os.environ["SUMMARIZER_LLAMA_SERVER"] = binary
    try:
        with embedded_server(Settings(local=LocalOptions(slots=1, engine=engine))) as srv:
            body = {
                "model": srv.alias,
                "temperature": 0,
                "max_tokens": 200,
                "messages": [{"role": "user", "content": "Summarise this article.\n\n" + article.read_text()}],
            }
            request = urllib.request.Request(
                srv.base_url + "/chat/completions",
                data=json.dumps(body).encode(),
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {srv.api_key}"},
            )
            with urllib.request.urlopen(request, timeout=600) as r:
                t = json.loads(r.read())["timings"]
            return {"prompt_tok_s": round(t["prompt_per_second"], 1), "gen_tok_s": round(t["predicted_per_second"], 1)}
    finally:
        os.environ.pop("SUMMARIZER_LLAMA_SERVER", None)


def build_avx512(directory: Path) -> Path:
    """llama-server from the pinned source with the project's flags but AVX-512 (and VNNI) on."""
    from summarizer.engine import build

    flags = [f for f in build.BUILD_FLAGS if not f.startswith("-DGGML_AVX512")]
    flags += ["-DGGML_AVX512=ON", "-DGGML_AVX512_VNNI=ON"]
    directory.mkdir(parents=True, exist_ok=True)
    log = directory / "build.log"
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="avx512-", dir=directory) as tmp:
        work = Path(tmp)
        source = build._fetch_source(work, log)
        cmake = build._cmake()
        build._run([cmake, "-S", str(source), "-B", str(work / "b"), *flags], work, log, "configuring")
        n = str(os.cpu_count() or 1)
        build._run([cmake, "--build", str(work / "b"), "--target", build.TARGET, "-j", n], work, log, "compiling")
        (work / "b" / "bin" / build.TARGET).replace(directory / build.TARGET)
    print(f"built {directory / build.TARGET} in {time.perf_counter() - started:.0f} s with {' '.join(flags)}")
    return directory / build.TARGET


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engines", default="xllamacpp,llama-server", help="comma-separated; NAME or llama-server=PATH")
    ap.add_argument("--articles", default="seeds", choices=SETS, help="which articles")
    ap.add_argument("--build-avx512", type=Path, metavar="DIR", help="only build the AVX-512 variant into DIR")
    args = ap.parse_args()
    if args.build_avx512:
        build_avx512(args.build_avx512)
        return 0
    results: dict[str, dict[str, object]] = {}
    answers: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="engine-speed-articles-") as articles_dir:
        files = article_files(args.articles, Path(articles_dir))
        for spec in args.engines.split(","):
            engine, _, binary = spec.partition("=")
            with tempfile.TemporaryDirectory(prefix="engine-speed-") as tmp:
                result = run_cli(engine, binary or None, files, Path(tmp))
            answers[spec] = result.pop("answers")  # type: ignore[assignment]
            result.update(raw_rates(engine, binary or None, article_files("seeds", Path(articles_dir))[0]))
            results[spec] = result
            print(f"{spec}: {json.dumps(result)}", flush=True)
    first = next(iter(answers), None)
    for spec in list(answers)[1:]:
        same = [k for k, v in answers[spec].items() if answers[first].get(k) == v]
        differ = sorted(set(answers[spec]) - set(same))
        print(f"answers identical to {first}: {spec} {len(same)}/{len(answers[spec])}; differ: {differ}")
    ok = True
    for spec, r in results.items():
        if int(str(r["peak_rss_mb"])) > RSS_LIMIT_MB:
            ok = False
            print(f"MISSED: {spec} peak RSS {r['peak_rss_mb']} MB > {RSS_LIMIT_MB} MB")
    if "xllamacpp" in results and "llama-server" in results:
        new, old = results["xllamacpp"], results["llama-server"]
        ratio = float(str(new["articles_per_hour"])) / max(float(str(old["articles_per_hour"])), 1e-9)
        print(f"xllamacpp / llama-server articles per hour: {ratio:.2f}")
        if ratio < 0.9:
            ok = False
            print("MISSED: xllamacpp is slower than llama-server beyond the noise")
    print("PASS" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
