"""Speed of verifying one summary, from 1,000 to 50,000 words of article.

    python bench/verify_speed.py            # the word-overlap stage, 1,000 to 50,000 words
    python bench/verify_speed.py --judge    # judged verification of each seed article's summary

The article is real news text (documents of the SummaC files joined until the word count is
reached). The summary has 20 evidence quotes: 10 exact, 5 differing in case, punctuation or
whitespace, 3 paraphrased, 2 absent (from other articles), spread over the headline, summary,
six key points and two figures. Each timed run verifies from scratch (new aligner, new indexes:
nothing carried between runs).

Targets: median <= 5 ms at 1,000 words and <= 0.5 s at 50,000 words (exit 1 otherwise).

With --judge: the embedded model (llama-server, its default slots) first summarises each seed
article (not timed, judge off), then the judged verification of that summary is timed, every
field, with an empty judge cache; the word-overlap verification of the same summary is timed
beside it. Target: <= 40 s per seed article's summary on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

from summarizer.core.kinds import Status
from summarizer.core.news import ArticleSummary
from summarizer.core.verify.text import sentences
from summarizer.core.verify.walker import verify_summary

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("SUMMARIZER_SHARED", ROOT.parent / "shared")) / "data/faithfulness/summac"
SIZES = [1_000, 5_000, 10_000, 25_000, 50_000]
TARGETS = {1_000: 0.005, 50_000: 0.5}


def corpus() -> list[str]:
    docs: list[str] = []
    for name in ("factcc", "summeval", "polytope", "xsumfaith"):
        for item in json.loads((DATA / f"{name}.json").read_text()).values():
            if item["document"] not in docs:
                docs.append(item["document"])
    return docs


def article_of(docs: list[str], words: int) -> tuple[str, list[str]]:
    parts, count, i = [], 0, 0
    while count < words:
        parts.append(docs[i])
        count += len(docs[i].split())
        i += 1
    text = " ".join(" ".join(parts).split()[:words])
    return text, docs[i + 1 : i + 3]


def summary_for(text: str, others: list[str], rng: random.Random) -> ArticleSummary:
    sents = [s.text for s in sentences(text) if 8 <= len(s.text.split()) <= 40]
    picked = rng.sample(sents, 18)
    exact = picked[:10]
    varied = [
        picked[10].upper(),
        picked[11].replace(" ", "  "),
        picked[12].replace(",", ""),
        picked[13].lower(),
        picked[14].replace(" ", "\n", 3),
    ]
    paraphrased = []
    for s in picked[15:18]:
        w = s.split()
        w[len(w) // 2], w[-2] = w[-2], w[len(w) // 2]
        paraphrased.append(" ".join(["Reportedly,", *w[1:]]))
    absent = [next(s.text for s in sentences(o) if len(s.text.split()) > 8) for o in others]
    quotes = exact + varied + paraphrased + absent
    assert len(quotes) == 20
    rng.shuffle(quotes)
    pairs = [quotes[2 * i : 2 * i + 2] for i in range(10)]
    claims = [{"text": p[0], "evidence": p} for p in pairs]
    figures = [{"value": "1", "unit": None, "counts": "items", "evidence": p} for p in pairs[8:]]
    return ArticleSummary.model_validate(
        {
            "headline": claims[0],
            "summary": claims[1],
            "key_points": claims[2:8],
            "figures": figures,
            "entities": [],
            "places": [],
            "dates": [],
            "quotes": [],
        }
    )


JUDGE_TARGET = 40.0


def judged() -> int:
    from summarizer.files.articles import load_article
    from summarizer.llm.client import LLMClient
    from summarizer.llm.judge_client import JudgeClient
    from summarizer.run.api import LocalOptions, open_summarizer

    seeds = sorted((DATA.parent.parent / "articles").glob("*.txt"))
    ok = True
    with open_summarizer(judge=False, local=LocalOptions()) as run:
        ep = run.client.endpoint
        print(f"judge {ep.model} on {run.server.engine.value if run.server else ep.display_url}, {ep.slots} slot(s)")
        for path in seeds:
            article = load_article(str(path))
            record = run(article)
            summary = run.schema.model_validate(record.summary)
            t = time.perf_counter()
            verify_summary(summary, article.text)
            lexical = time.perf_counter() - t
            client = LLMClient(ep, max_output_tokens=1)
            judge = JudgeClient(client, cache=None, concurrency=ep.slots or 1).for_article()
            t = time.perf_counter()
            v = verify_summary(summary, article.text, judge=judge)
            seconds = time.perf_counter() - t
            client.close()
            print(
                f"{path.name}: {len(v.verdicts)} fields, {v.judged} judged in {seconds:.1f} s "
                f"({judge.tally.calls} calls, {judge.tally.usage.prompt_tokens:,} prompt tokens); "
                f"word overlap alone {lexical * 1000:.1f} ms"
            )
            if seconds > JUDGE_TARGET:
                ok = False
                print(f"   MISSED: {seconds:.1f} s > target {JUDGE_TARGET:.0f} s")
    print("PASS" if ok else "MISSED")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--judge", action="store_true", help="time judged verification of the seed summaries")
    if parser.parse_args().judge:
        return judged()
    docs = corpus()
    rng = random.Random(7)
    ok = True
    print(f"{'words':>7}{'chars':>9}{'median ms':>11}{'p90 ms':>9}  verdicts")
    base = None
    warm_text, warm_others = article_of(docs[::-1], 1_000)  # another article: warms the interpreter,
    verify_summary(summary_for(warm_text, warm_others, random.Random(1)), warm_text)  # keeps nothing
    for words in SIZES:
        text, others = article_of(docs, words)
        summary = summary_for(text, others, rng)
        runs = 21 if words <= 10_000 else 7
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            v = verify_summary(summary, text)
            times.append(time.perf_counter() - t)
        med = statistics.median(times)
        base = base or med
        p90 = sorted(times)[int(0.9 * (len(times) - 1))]
        statuses = {s.value: n for s in Status if (n := sum(x.status is s for x in v.verdicts))}
        print(f"{words:>7}{len(text):>9}{med * 1000:>11.2f}{p90 * 1000:>9.2f}  {statuses}  x{med / base:.1f}")
        if words in TARGETS and med > TARGETS[words]:
            ok = False
            print(f"   MISSED: median {med * 1000:.1f} ms > target {TARGETS[words] * 1000:.0f} ms")
    print("PASS" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
