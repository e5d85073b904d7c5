"""Recurring themes the Python way: YAKE keyphrases per paragraph, counted per month with scikit-learn.

The peer of `recur analyze` in scripts/bench.sh. Input: the archive's paragraphs as `recur
normalize` writes them (one JSON object per line with text, lang and date), so that both tools see
the same paragraphs. Pipeline:

1. every paragraph's text through `yake.KeywordExtractor(lan=ru|fi|ja, n=3, top=5)` (paragraphs
   of other languages with lan="en"), on `--processes` worker processes (default 2, as recur's
   `--jobs 2`), each with one extractor per language, paragraphs handed out in chunks, results in order;
2. scikit-learn: a `CountVectorizer` over each paragraph's keyphrases (lower-cased, one token per
   keyphrase) gives a paragraph x keyphrase matrix; a sparse month x paragraph indicator matrix
   times it gives the counts per month;
3. the recurring keyphrases: the ones found in the most months (then the most paragraphs), and
   every month's top keyphrases; written as JSON to OUT.

YAKE has no Japanese segmentation: a run of Japanese text without spaces or punctuation is one
"word" to it, so its Japanese keyphrases are long fragments. It is run anyway, as a user would.

Timed (every run): steps 1 to 3, worker start included; not timed: reading the JSONL (recur's time
includes reading and parsing the archive, so this favours YAKE).

The full slice can take YAKE far longer than recur. Unless `--every K` is given, the extraction
speed is first measured on a small deterministic sample (every s-th paragraph, about
`--calibration-paragraphs`, one process), and when the whole input would take more than
`--budget-seconds` for all `--runs` together at that speed (the processes' gain is not counted,
so the estimate errs long), only every K-th paragraph is measured (paragraphs 0,
K, 2K, ...) and the time is scaled linearly by text bytes: scaled = measured x all bytes / measured
bytes. The summary says so (`every`, `measured_fraction`).

Usage: yake_themes.py PARAGRAPHS.jsonl OUT.json [--runs N] [--processes P] [--every K | --budget-seconds S]
Prints one JSON object (seconds of every run, median, scaled median, counts) on stdout.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import statistics
import sys
import time

import numpy as np
import yake
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

YAKE_LANGUAGES = {"ru": "ru", "fi": "fi", "ja": "ja"}  # anything else: "en"
NGRAM = 3
TOP = 5
CHUNK = 200  # paragraphs per task handed to a worker

_extractors: dict[str, yake.KeywordExtractor] = {}


def _extractor(lang: str) -> yake.KeywordExtractor:
    lan = YAKE_LANGUAGES.get(lang, "en")
    e = _extractors.get(lan)
    if e is None:
        e = _extractors[lan] = yake.KeywordExtractor(lan=lan, n=NGRAM, top=TOP)
    return e


def extract_chunk(chunk: list[tuple[str, str]]) -> tuple[list[list[str]], int]:
    """Keyphrases (lower-cased) of every (text, lang) in `chunk`; the number YAKE failed on."""
    out, failed = [], 0
    for text, lang in chunk:
        try:
            out.append([kw.lower() for kw, _score in _extractor(lang).extract_keywords(text)])
        except Exception:  # noqa: BLE001 -- a paragraph YAKE cannot handle counts as having no keyphrase
            out.append([])
            failed += 1
    return out, failed


def _identity(x):
    return x


def pipeline(paragraphs: list[tuple[str, str, str]], processes: int, top: int) -> dict:
    """Steps 1 to 3 over (text, lang, month) triples."""
    items = [(t, l) for t, l, _ in paragraphs]
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    phrases: list[list[str]] = []
    failed = 0
    if processes > 1:
        with mp.get_context("fork").Pool(processes) as pool:
            for out, f in pool.imap(extract_chunk, chunks, chunksize=1):
                phrases.extend(out)
                failed += f
    else:
        for c in chunks:
            out, f = extract_chunk(c)
            phrases.extend(out)
            failed += f

    # Paragraph x keyphrase counts, then month x keyphrase.
    vectorizer = CountVectorizer(analyzer=_identity)
    x = vectorizer.fit_transform(phrases)
    months, month_of = np.unique(np.array([m for _, _, m in paragraphs], dtype=object), return_inverse=True)
    indicator = sparse.csr_matrix(
        (np.ones(len(paragraphs), dtype=np.int64), (month_of, np.arange(len(paragraphs)))),
        shape=(len(months), len(paragraphs)))
    per_month = (indicator @ x).tocsr()
    vocabulary = vectorizer.get_feature_names_out()
    active_months = np.asarray((per_month > 0).sum(axis=0)).ravel()
    paragraphs_with = np.asarray((x > 0).sum(axis=0)).ravel()
    order = np.lexsort((vocabulary, -paragraphs_with, -active_months))[:top]
    recurring = [
        {"keyphrase": str(vocabulary[j]), "months": int(active_months[j]), "paragraphs": int(paragraphs_with[j])}
        for j in order
    ]
    by_month = {}
    for i, month in enumerate(months):
        row = per_month.getrow(i)
        best = sorted(zip(row.indices, row.data), key=lambda p: (-p[1], vocabulary[p[0]]))[:TOP]
        by_month[str(month)] = [{"keyphrase": str(vocabulary[j]), "paragraphs": int(c)} for j, c in best]
    return {
        "keyphrases": len(vocabulary),
        "months": len(months),
        "failed_paragraphs": failed,
        "recurring": recurring,
        "by_month": by_month,
    }


def load(path: str) -> list[tuple[str, str, str]]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            date = r.get("date")
            out.append((r["text"], r["lang"], date[:7] if date else "undated"))
    return out


def text_bytes(paragraphs) -> int:
    return sum(len(t.encode("utf-8")) for t, _, _ in paragraphs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paragraphs", help="recur normalize output (JSONL)")
    ap.add_argument("out", help="where to write the themes (JSON)")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--every", type=int, default=0, help="measure every K-th paragraph (0: decide by --budget-seconds)")
    ap.add_argument("--budget-seconds", type=float, default=900, help="wall time all runs together may take")
    ap.add_argument("--calibration-paragraphs", type=int, default=1500)
    ap.add_argument("--top", type=int, default=50, help="recurring keyphrases to list")
    args = ap.parse_args()
    if args.runs < 1 or args.processes < 1 or args.every < 0:
        ap.error("--runs and --processes must be at least 1, --every at least 0")

    paragraphs = load(args.paragraphs)
    if not paragraphs:
        print(f"error: no paragraphs in {args.paragraphs}", file=sys.stderr)
        return 1
    all_bytes = text_bytes(paragraphs)

    calibration = None
    every = args.every
    if every == 0:
        stride = max(1, len(paragraphs) // args.calibration_paragraphs)
        sample = paragraphs[::stride]
        start = time.perf_counter()
        extract_chunk([(t, l) for t, l, _ in sample])
        seconds = time.perf_counter() - start
        rate = text_bytes(sample) / seconds  # bytes per second, one process
        # No gain from the processes is assumed (the other core may be busy): the estimate errs long.
        estimate = all_bytes / rate * args.runs
        every = max(1, math.ceil(estimate / args.budget_seconds))
        calibration = {
            "paragraphs": len(sample), "text_bytes": text_bytes(sample), "seconds": seconds,
            "bytes_per_second_one_process": rate, "estimated_seconds_all_runs": estimate,
        }
        print(f"yake: calibration on {len(sample)} paragraphs: {rate / 1e3:.1f} kB/s per process; "
              f"all {len(paragraphs)} paragraphs x {args.runs} runs would take about {estimate:.0f} s"
              + (f": measuring every {every}th paragraph" if every > 1 else ""), file=sys.stderr)

    measured = paragraphs[::every]
    measured_bytes = text_bytes(measured)
    seconds = []
    result = {}
    for r in range(args.runs):
        start = time.perf_counter()
        result = pipeline(measured, args.processes, args.top)
        seconds.append(time.perf_counter() - start)
        print(f"yake: run {r + 1}/{args.runs}: {seconds[-1]:.1f} s on {len(measured)} paragraphs", file=sys.stderr)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
        f.write("\n")

    median = statistics.median(seconds)
    fraction = measured_bytes / all_bytes
    summary = {
        "tool": f"YAKE (n={NGRAM}, top={TOP}) per paragraph + scikit-learn CountVectorizer per month",
        "yake": _version("yake"),
        "scikit_learn": _version("scikit-learn"),
        "processes": args.processes,
        "paragraphs": len(paragraphs),
        "text_bytes": all_bytes,
        "every": every,
        "measured_paragraphs": len(measured),
        "measured_text_bytes": measured_bytes,
        "measured_fraction": fraction,
        "seconds": seconds,
        "median_seconds": median,
        "scaled_median_seconds": median / fraction,
        "calibration": calibration,
        "keyphrases": result["keyphrases"],
        "months": result["months"],
        "failed_paragraphs": result["failed_paragraphs"],
    }
    json.dump(summary, sys.stdout, sort_keys=True)
    print()
    return 0


def _version(name: str) -> str:
    from importlib import metadata
    return metadata.version(name)


if __name__ == "__main__":
    sys.exit(main())
