"""The judge on the summarising call's prompt cache, side by side with another checkout.

    python bench/judge_reuse.py --old /path/to/old/checkout            # 8 named SummaC documents
    python bench/judge_reuse.py --old DIR --articles seeds --skip-old \
        --variant spec=speculative.types=COMMON_SPECULATIVE_TYPE_NGRAM_SIMPLE

Runs README command 1's ``summarize`` (judge on, the defaults: 2 slots, empty judge cache,
temperature 0) once with the code of ``--old`` (put first on ``PYTHONPATH``: its package and
prompts; the CLI runs in that folder, since ``python -m`` imports from the working folder
first) and once with this checkout, then once per ``--variant LABEL=SETTINGS`` with this
checkout and xllamacpp server settings changed (``field=value;other.field=value`` on
xllamacpp's ``CommonParams``, set by a bench-only ``sitecustomize`` in the engine's process:
for example ``kv_unified=1``, ``cache_ram_mib=2048``, or ``speculative.types=...``), and
``judge_concurrency=N`` for the judge's calls in flight per article (set in the CLI's process).

Per run: articles per hour and seconds per article (wall), the summarising call's seconds,
the judge's calls, seconds (summed over calls, as each record's provenance gives them) and
prompt tokens read and evaluated (read less ``cached_tokens``) per article, peak RSS of the
process tree, and whether the answers equal the first run's.

Targets (exit 1 on a miss; from the issue "Each article's text processed once"), this
checkout against ``--old``: judge seconds per article (mean over articles) at most 0.5x;
articles per hour at least 1.25x; peak RSS at most 2.5 GB for every run. A variant is worth
adopting only at 1.15x this checkout's articles per hour with answers unchanged.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engine_speed import RSS_LIMIT_MB, SETS, article_files, run_cli

HOOK = """
import os, sys
spec = os.environ.get("BENCH_XLC_SET")
if spec:
    import xllamacpp as x
    original = x.Server

    def server(params, *a, **k):
        for item in filter(None, spec.split(";")):
            key, _, value = item.partition("=")
            obj, *path = [params, *key.split(".")]
            for name in path[:-1]:
                obj = getattr(obj, name)
            if path[-1] == "types":
                new = [getattr(x.common_speculative_type, v) for v in value.split(",")]
            else:
                new = type(getattr(obj, path[-1]))(int(value) if value.lstrip("-").isdigit() else value)
            setattr(obj, path[-1], new)
            print(f"bench: {key} = {getattr(obj, path[-1])}", file=sys.stderr, flush=True)
        return original(params, *a, **k)

    x.Server = server
calls = os.environ.get("BENCH_JUDGE_CONCURRENCY")
if calls and sys.argv[:1] == ["-m"]:  # the CLI's process, not the engine's
    from summarizer.llm import judge_client

    init = judge_client.JudgeClient.__init__

    def patched(self, *a, **k):
        init(self, *a, **k)
        self.concurrency = int(calls)

    judge_client.JudgeClient.__init__ = patched
"""


def summary(result: dict[str, object]) -> dict[str, object]:
    """The per-article means of one run's lists."""
    out = {k: v for k, v in result.items() if not isinstance(v, list)}
    for key in ("summarising_s", "judging_s", "judge_calls", "judge_prompt_tokens", "judge_cached_tokens"):
        values = result[key]
        assert isinstance(values, list)
        out[f"mean_{key}"] = round(statistics.mean(values), 1) if values else 0.0
    read, cached = result["judge_prompt_tokens"], result["judge_cached_tokens"]
    assert isinstance(read, list) and isinstance(cached, list)
    evaluated = [r - c for r, c in zip(read, cached, strict=True)]
    out["mean_judge_evaluated_tokens"] = round(statistics.mean(evaluated)) if evaluated else 0
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", type=Path, required=True, help="a checkout of the code to compare against")
    ap.add_argument("--articles", default="summac", choices=SETS)
    ap.add_argument("--variant", action="append", default=[], metavar="LABEL=SETTINGS")
    ap.add_argument("--skip-old", action="store_true", help="run this checkout and the variants only")
    ap.add_argument("--skip-new", action="store_true", help="run --old only (to add to an earlier run)")
    args = ap.parse_args()
    runs: list[tuple[str, dict[str, str]]] = [] if args.skip_old else [("old", {"PYTHONPATH": str(args.old)})]
    if not args.skip_new:
        runs.append(("new", {}))
    with tempfile.TemporaryDirectory(prefix="judge-reuse-") as tmp:
        hook = Path(tmp, "hook")
        hook.mkdir()
        (hook / "sitecustomize.py").write_text(HOOK)
        for spec in args.variant:
            label, _, settings = spec.partition("=")
            parts = [x for x in settings.split(";") if not x.startswith("judge_concurrency=")]
            env = {"PYTHONPATH": str(hook), "BENCH_XLC_SET": ";".join(parts)}
            calls = [x.split("=", 1)[1] for x in settings.split(";") if x.startswith("judge_concurrency=")]
            if calls:
                env["BENCH_JUDGE_CONCURRENCY"] = calls[0]
            runs.append((label, env))
        files = article_files(args.articles, Path(tmp))
        results, answers = {}, {}
        for label, env in runs:
            work = Path(tmp, label)
            work.mkdir()
            result = run_cli("xllamacpp", None, files, work, env, args.old if label == "old" else None)
            answers[label] = result.pop("answers")
            results[label] = result
            print(f"{label}: {json.dumps(result)}", flush=True)
            print(f"{label} means: {json.dumps(summary(result))}", flush=True)
    first = runs[0][0]
    for label, _ in runs[1:]:
        same = sum(answers[label].get(k) == v for k, v in answers[first].items())  # type: ignore[union-attr]
        print(f"answers equal to {first}'s: {label} {same}/{len(answers[first])}")  # type: ignore[arg-type]
    ok = all(float(str(r["peak_rss_mb"])) <= RSS_LIMIT_MB for r in results.values())
    if not ok:
        print(f"MISSED: peak RSS over {RSS_LIMIT_MB} MB")
    if "old" in results and "new" in results:
        old, new = summary(results["old"]), summary(results["new"])
        judge = float(str(new["mean_judging_s"])) / max(float(str(old["mean_judging_s"])), 1e-9)
        rate = float(str(new["articles_per_hour"])) / max(float(str(old["articles_per_hour"])), 1e-9)
        print(f"judge seconds per article new/old: {judge:.2f} (target <= 0.5)")
        print(f"articles per hour new/old: {rate:.2f} (target >= 1.25)")
        ok = ok and judge <= 0.5 and rate >= 1.25
    for label, _ in runs:
        if label not in ("old", "new") and "new" in results:
            rate = float(str(results[label]["articles_per_hour"])) / float(str(results["new"]["articles_per_hour"]))
            print(f"{label} articles per hour / new: {rate:.2f} (adopt at >= 1.15 with answers unchanged)")
    print("PASS" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
