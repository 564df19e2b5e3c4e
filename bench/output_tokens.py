"""Fewer output tokens: prompt and schema variants on the same named articles, side by side.

    python bench/output_tokens.py                      # every variant, embedded 1.5B, 2 slots
    python bench/output_tokens.py --variants quotes,sentences

Variants (prompts in bench/variants/):
- ``quotes``: evidence copied as quotes (as released), places including venues;
- ``sentences``: the article's sentences numbered, evidence cited by number (the tool turns
  the numbers back into the sentences' exact text before verifying);
- ``sentences-fewer``: ``sentences`` with fewer optional list items (entities 6, places 4,
  dates 4, figures 4, key points 5, quotes 3).

The articles are the seeds and the 8 SummaC documents of bench/local_speed.py; json mode,
1,500-token limit, no judge (the answer's cost is what is compared). Per variant and article
it prints seconds, completion tokens and whether the answer validated, and it writes every
record to bench/out/variants/<variant>.jsonl. Whether each field is actually right is checked
by hand against the article (bench/labels/RULES.md), into bench/labels/variants.json; this
script prints those counts beside the costs when the labels exist. The verifier's supported
rate is not the measure: whole cited sentences pass it more easily than short quotes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pydantic import Field

sys.path.insert(0, str(Path(__file__).resolve().parent))
from local_speed import articles

from summarizer.core import news
from summarizer.core.errors import SummarizerError
from summarizer.llm.client import LLMClient
from summarizer.llm.endpoint import Endpoint, EndpointKind, Mode
from summarizer.llm.prompts import load_prompt
from summarizer.run.api import embedded_server
from summarizer.run.pipeline import Summarizer
from summarizer.run.settings import LocalOptions, Settings

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "variants"
LABELS = HERE / "labels" / "variants.json"


class ArticleSummary(news.ArticleSummary):
    """Structured summary of one news article."""

    key_points: list[news.Claim] = Field(max_length=5, description="3-5 most important facts.")
    entities: list[news.Entity] = Field(max_length=6)
    places: list[news.Place] = Field(max_length=4)
    dates: list[news.DateMention] = Field(max_length=4)
    figures: list[news.Figure] = Field(max_length=4)
    quotes: list[news.Quote] = Field(max_length=3, description="Direct quotes that appear in quote marks.")


VARIANTS = {
    "quotes": ("quotes", news.ArticleSummary),
    "sentences": ("sentences", news.ArticleSummary),
    "sentences-fewer": ("sentences", ArticleSummary),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--slots", type=int, default=2)
    args = ap.parse_args()
    items = articles("seeds") + articles("summac")
    labels = json.loads(LABELS.read_text()) if LABELS.exists() else {}
    OUT.mkdir(parents=True, exist_ok=True)
    with embedded_server(Settings(local=LocalOptions(slots=args.slots))) as srv:
        ep = Endpoint(EndpointKind.EMBEDDED, srv.base_url, srv.api_key, srv.alias, Mode.JSON, srv.context)
        for name in args.variants.split(","):
            prompt_name, schema = VARIANTS[name]
            prompt = load_prompt(prompt_name, HERE / "variants")
            client = LLMClient(ep, max_output_tokens=1500)
            run = Summarizer(client, prompt=prompt, schema=schema)

            def one(article, run=run):  # type: ignore[no-untyped-def]
                t = time.perf_counter()
                try:
                    return article, run(article), time.perf_counter() - t
                except SummarizerError as e:
                    return article, e, time.perf_counter() - t

            t0 = time.perf_counter()
            with ThreadPoolExecutor(args.slots) as pool:
                results = list(pool.map(one, items))
            wall = time.perf_counter() - t0
            client.close()
            print(f"\n== {name} (prompt {prompt.version}, {schema.__module__}.{schema.__name__})")
            tokens = []
            with (OUT / f"{name}.jsonl").open("w") as f:
                for article, rec, secs in results:
                    if isinstance(rec, SummarizerError):
                        print(f"   {article.id:<26}{secs:7.1f} s  INVALID  {str(rec)[:90]}")
                        continue
                    f.write(rec.model_dump_json() + "\n")
                    n = rec.provenance.usage.completion_tokens
                    tokens.append(n)
                    print(f"   {article.id:<26}{secs:7.1f} s {n:6} tokens  {len(rec.verification.verdicts):3} fields")
            valid = len(tokens)
            mark = labels.get(name, {})
            right = sum(v == "right" for art in mark.values() for v in art.values())
            total = sum(len(art) for art in mark.values())
            print(
                f"   {valid}/{len(items)} valid; "
                f"completion tokens mean {statistics.mean(tokens) if tokens else 0:.0f}, "
                f"total {sum(tokens)}; wall {wall:.0f} s for {len(items)} articles"
            )
            print(f"   fields right by hand: {right}/{total}" if total else "   fields not labelled yet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
