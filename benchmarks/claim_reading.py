"""Cost of reading claims (sentence split, parse of candidate sentences, figures, positions, events).

Two measures: milliseconds per page on the shared evaluation sets (real-dev: real pages; dev2: long
articles), and seconds for hostile texts that once grew with the square of their length (a 5 MB
"sentence" without a full stop, a 1 MB token, 50,000 numbers in a row).

    .venv/bin/python benchmarks/claim_reading.py --runs 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import date

from common import ROOT

from monitor.extract import ClaimExtractor
from monitor.extract.grammar import load_pipeline
from monitor.profile import load_profile

SETS = {name: ROOT.parent / "shared" / "eval" / name / "articles.jsonl" for name in ("real-dev", "dev2")}
HOSTILE = {
    "5 MB sentence without a full stop": "Colombia coca hectares 253,000 in 2023 and Petro said " * 95_000,
    "1 MB token": "Coca grew in Colombia. " + "x" * 1_000_000,
    "50,000 numbers in a row": "Coca in Colombia: " + " ".join(str(i) for i in range(50_000)),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    extractor = ClaimExtractor(load_profile(ROOT / "seeds" / "topic.toml"))
    load_pipeline()  # loaded once per process (0.3-0.7 s), not counted per page
    print("| input | pages | words | ms per page (median of runs) |")
    print("|---|---|---|---|")
    for name, path in SETS.items():
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        words = sum(len(r["text"].split()) for r in rows)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            for r in rows:
                extractor.extract(r["text"], date.fromisoformat(r["published"][:10]))
            times.append((time.perf_counter() - start) / len(rows))
        print(f"| {name} | {len(rows)} | {words} | {1000 * statistics.median(times):.1f} |")
    print("\n| hostile text | characters | seconds (median of runs) |")
    print("|---|---|---|")
    for name, text in HOSTILE.items():
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            extractor.extract(text, date(2025, 1, 1))
            times.append(time.perf_counter() - start)
        print(f"| {name} | {len(text):,} | {statistics.median(times):.2f} |")


if __name__ == "__main__":
    main()
