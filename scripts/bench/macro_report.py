"""The table of scripts/bench.sh (the macro benchmark): every figure against its goal, one markdown table.

Reads what bench.sh left in WORK:
- slice.bytes: input bytes of the slice archive (README.md and truth.json left out);
- analyze-jJ-R.time, analyze-jJ-R-summary.json: `/usr/bin/time -v` and summary.json (with
  `timings_seconds`) of `recur analyze --jobs J --timings`, run R;
- baseline.json: analyzer-baseline (the analyzers alone, 2 threads);
- recur.json, datasketch.json, dedup-scores.json: dedup-compare, datasketch_dedup.py, report.py --json;
- yake.json: yake_themes.py's summary;
- memory-SIZE.time, memory-SIZE.bytes, memory-SIZE-summary.json: one `recur analyze --jobs 2` per size.

Units: MB = 10^6 bytes, GB = 10^9 bytes (peak RSS: /usr/bin/time's kbytes x 1024).

Usage: macro_report.py WORK --slice 50MB --runs 3 --memory-sizes "1GB 4GB" --command "..." [--out FILE]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys


def read_json(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def read_time(path: str) -> dict:
    """Wall seconds, peak RSS (bytes) and exit status from a `/usr/bin/time -v` file."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    cpu = re.search(r"Percent of CPU this job got: (\d+)%", text)
    if not m or not rss:
        raise SystemExit(f"error: {path} is not /usr/bin/time -v output")
    hours, minutes, seconds = int(m.group(1) or 0), int(m.group(2)), float(m.group(3))
    return {"seconds": hours * 3600 + minutes * 60 + seconds, "rss": int(rss.group(1)) * 1024,
            "cpu": int(cpu.group(1)) if cpu else None}


def at_least(value: float, goal: float, unit: str, digits: int = 2) -> str:
    return "met" if value >= goal else f"missed by {goal - value:.{digits}f}{unit}"


def at_most(value: float, goal: float, unit: str, digits: int = 2) -> str:
    return "met" if value <= goal else f"missed by {value - goal:.{digits}f}{unit}"


def gb(b: float) -> str:
    return f"{b / 1e9:.2f} GB"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as f:
            ram = int(next(l for l in f if l.startswith("MemTotal")).split()[1]) * 1024
    except (OSError, StopIteration):
        ram = 0
    return f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {cpu}, {ram / 1e9:.1f} GB RAM, {platform.system()} {platform.release()}"


def commit(root: str) -> str:
    try:
        rev = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
        return rev + (" with uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown commit"


def explain_misses(rows, j1, j2, baseline, recur_dedup, datasketch, yake_seconds, args, w) -> list[str]:
    """One line per missed target saying what bounds it, computed from the run's figures."""
    missed = {measure.split(".")[0] for measure, _, _, result in rows if result.startswith("missed")}
    lines = []
    rest2 = j2["dedup"] + j2["outputs"]
    # Summaries written without `--timings` (an older bench.sh) have no stage seconds.
    stages = j1["read"] > 0 and j2["read"] > 0
    if not stages and missed & {"2b", "3"}:
        lines.append("2b, 3: no stage seconds in the runs' summary.json (recur analyze was run without `--timings`).")
    if "2b" in missed and stages:
        lines.append(
            f"2b: reading and analysis alone take {j2['read']:.2f} s at `--jobs 2`, {j2['read'] / baseline - 1:+.0%} over "
            f"the analyzers ({baseline:.2f} s: walking the archive, file reading, charset detection, MIME/HTML/CSV "
            f"parsing, paragraph splitting and the paragraph store are on top); deduplication ({j2['dedup']:.2f} s; its near lookups on both threads) and the "
            f"output phase ({j2['outputs']:.2f} s: themes, duplicates.csv, paragraphs.jsonl, the report) add "
            f"{rest2 / baseline:+.0%} on their own, which the baseline does not do: with reading free of any cost "
            f"beyond the analyzers the run would still be {(baseline + rest2) / baseline - 1:+.0%}.")
    if "3" in missed and stages:
        scale_read = j1["read"] / j2["read"]
        rest1 = j1["dedup"] + j1["outputs"]
        bound = (j1["read"] + rest1) / (j1["read"] / 2 + rest2)
        cpu1 = statistics.median(c for c in j1["cpu"] if c is not None) if any(c is not None for c in j1["cpu"]) else None
        line = (f"3: reading and analysis scale {scale_read:.2f}× ({j1['read']:.2f} s → {j2['read']:.2f} s); deduplication "
                f"({j1['dedup']:.2f} s → {j2['dedup']:.2f} s: only its near lookups use the second thread) and the output phase ({j1['outputs']:.2f} s → "
                f"{j2['outputs']:.2f} s; at `--jobs 1` its three renderings already share the second core) scale little, "
                f"so even reading scaled 2× would give {bound:.2f}×")
        if cpu1:
            line += (f"; `--jobs 1` already used {cpu1}% CPU (the dedup reader and the concurrent outputs), so 2 cores "
                     f"bound the ratio at {200 / cpu1:.2f}× whatever the pipeline does")
        lines.append(line + ".")
    if "4b" in missed:
        sizes = args.memory_sizes.split()
        try:
            s1 = read_json(w(f"memory-{sizes[0]}-summary.json"))
            text = []
            for size in sizes[1:]:
                s2 = read_json(w(f"memory-{size}-summary.json"))
                text.append(f"{size}: {s2['paragraphs']['total']:,} paragraphs, {s2['duplicates']['kept']:,} kept")
            lines.append(
                f"4b: what stays in memory grows with the archive ({sizes[0]}: {s1['paragraphs']['total']:,} paragraphs, "
                f"{s1['duplicates']['kept']:,} kept; {'; '.join(text)}). At 1 GB the peak is where reading and the dedup feed end, "
                f"at about the same height; at 4 GB it is in the theme pass (1-second timelines at d0fd4b1, `scripts/rss-timeline.sh -i 1`), about 90 MB above the memory it starts from "
                f"(the themes' state, about 92 B a counted paragraph: the candidates' mentions, 8 B each, and the per-paragraph and "
                f"per-sentence columns; then one language's build), which holds the dedup result (1 B a paragraph, 8 B a run, "
                f"16 B a cluster) and 16 B a document (the store's record index and the date order). The end of the dedup feed "
                f"is about 12 MB below it (the LSH band tables stop at 2^18 slots a band, 26 MB, their older entries on disk "
                f"with about 26 B an indexed paragraph left in memory; the candidate caches, 32 MB up to 8 million "
                f"paragraphs, 48 MB above; the exact table). The runs wait in a file while the deduplicator is fed; the store's "
                f"locations, the dedup decisions, the dedup result's clusters and members and the themes' word ids are in "
                f"files past their first values.")
        except (OSError, KeyError, IndexError):
            pass
    if "5a" in missed:
        counts = recur_dedup.get("counts", {})
        verified, accepted = counts.get("candidates_verified"), counts.get("candidates_accepted")
        if verified:
            line = f"5a: recur verified {verified:,} LSH candidates by their real Jaccard similarity and accepted {accepted:,}"
            bins = recur_dedup.get("candidate_similarity")
            total = sum(b["candidates"] for b in bins) if bins else 0
            if total:
                near = sum(b["candidates"] for b in bins if b["from"] >= 0.55 - 1e-9 and b["to"] <= 0.8 + 1e-9)
                line += (f"; {near / total:.0%} of them were 0.55–0.8 similar (`dedup-compare --similarity-histogram`), "
                         f"close below the 0.8 threshold, so they cannot be ruled out without counting shingles")
            lines.append(line + f"; verification, MinHash and band lookups take most of the {recur_dedup['dedup_median']:.3f} s.")
    if "5b" in missed:
        lines.append(
            f"5b: the analyzers alone (MeCab, Voikko, Snowball and ICU, with their caches; YAKE does no lemmatization and no "
            f"Japanese segmentation) take {baseline:.2f} s, so even a pipeline costing nothing beyond them would be "
            f"{yake_seconds / baseline:.1f}× YAKE.")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("work")
    ap.add_argument("--slice", required=True)
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--memory-sizes", default="")
    ap.add_argument("--command", required=True)
    ap.add_argument("--root", default=".")
    ap.add_argument("--load", default="", help="load average when the run started")
    ap.add_argument("--out", help="also write the report here")
    args = ap.parse_args()
    w = lambda name: os.path.join(args.work, name)  # noqa: E731

    slice_bytes = int(open(w("slice.bytes")).read())
    slice_mb = slice_bytes / 1e6
    analyze = {}
    for jobs in (1, 2):
        runs = [read_time(w(f"analyze-j{jobs}-{r}.time")) for r in range(1, args.runs + 1)]
        summaries = [read_json(w(f"analyze-j{jobs}-{r}-summary.json")) for r in range(1, args.runs + 1)]
        summary = summaries[-1]
        # Stage seconds (medians): reading and analysis, deduplication; the rest of the wall time is
        # the output phase (themes and every file, written concurrently), start and exit.
        stage = lambda name: statistics.median(x.get("timings_seconds", {}).get(name, 0) for x in summaries)  # noqa: E731
        walls = [r["seconds"] for r in runs]
        analyze[jobs] = {
            "read": stage("read_and_analyze"),
            "dedup": stage("deduplicate"),
            "outputs": statistics.median(t - x.get("timings_seconds", {}).get("read_and_analyze", 0)
                                         - x.get("timings_seconds", {}).get("deduplicate", 0)
                                         for t, x in zip(walls, summaries)),
            "seconds": [r["seconds"] for r in runs],
            "cpu": [r["cpu"] for r in runs],
            "median": statistics.median(r["seconds"] for r in runs),
            "rss": max(r["rss"] for r in runs),
            "paragraphs": summary["paragraphs"]["total"],
            "bytes_read": summary["bytes"],
        }
    baseline = read_json(w("baseline.json"))
    recur_dedup = read_json(w("recur.json"))
    datasketch = read_json(w("datasketch.json"))
    scores = read_json(w("dedup-scores.json")) if os.path.exists(w("dedup-scores.json")) else None
    yake = read_json(w("yake.json"))

    j1, j2 = analyze[1], analyze[2]
    rows = []  # (measure, value, goal, result)

    key_mb = recur_dedup["key_bytes"] / 1e6
    dedup_mbs = key_mb / recur_dedup["dedup_median"]
    rows.append((
        f"1. dedup stage, one thread (dedup-compare: {key_mb:.1f} MB of paragraph keys)",
        f"{dedup_mbs:.1f} MB/s ({recur_dedup['dedup_median']:.3f} s)", "≥ 40 MB/s per core",
        at_least(dedup_mbs, 40, " MB/s", 1)))

    j2_mbs = slice_mb / j2["median"]
    j1_mbs = slice_mb / j1["median"]
    rows.append((
        "2a. `recur analyze --jobs 2`, end to end",
        f"{j2_mbs:.2f} MB/s, {j2['paragraphs'] / j2['median']:,.0f} paragraphs/s ({j2['median']:.2f} s, peak RSS {gb(j2['rss'])})",
        "≥ 10 MB/s", at_least(j2_mbs, 10, " MB/s")))
    rows.append((
        "`recur analyze --jobs 1`, end to end",
        f"{j1_mbs:.2f} MB/s, {j1['paragraphs'] / j1['median']:,.0f} paragraphs/s ({j1['median']:.2f} s, peak RSS {gb(j1['rss'])})",
        "", "(for 3.)"))
    b_median = baseline["median_seconds"]
    rows.append((
        f"analyzers alone, 2 threads (analyzer-baseline: `TextAnalyzer.analyze` per paragraph)",
        f"{baseline['file_bytes'] / 1e6 / b_median:.2f} MB/s, {baseline['paragraphs'] / b_median:,.0f} paragraphs/s ({b_median:.2f} s)",
        "", "(for 2b.)"))
    slower = j2["median"] / b_median - 1
    rows.append((
        "2b. `recur analyze --jobs 2` vs the analyzers alone",
        f"{slower * 100:+.0f}% time ({j2['median']:.2f} s vs {b_median:.2f} s)", "≤ +30%",
        at_most(slower * 100, 30, " points", 0)))
    scaling = j1["median"] / j2["median"]
    rows.append(("3. scaling: `--jobs 2` vs `--jobs 1`", f"{scaling:.2f}×", "≥ 1.8×", at_least(scaling, 1.8, "×")))

    sizes = args.memory_sizes.split()
    if sizes:
        mem = []
        for size in sizes:
            t = read_time(w(f"memory-{size}.time"))
            b = int(open(w(f"memory-{size}.bytes")).read())
            mem.append((size, t, b))
        first_size, first, first_bytes = mem[0]
        rows.append((
            f"4a. peak RSS, {first_size} archive (`--jobs 2`, one run: {first_bytes / 1e6:,.0f} MB in {first['seconds']:.0f} s, "
            f"{first_bytes / 1e6 / first['seconds']:.2f} MB/s)",
            gb(first["rss"]), "≤ 1 GB", at_most(first["rss"] / 1e9, 1.0, " GB")))
        for size, t, b in mem[1:]:
            ratio = t["rss"] / first["rss"]
            rows.append((
                f"4b. peak RSS, {size} archive vs {first_size} (one run: {b / 1e6:,.0f} MB in {t['seconds']:.0f} s, "
                f"{b / 1e6 / t['seconds']:.2f} MB/s)",
                f"{ratio:.2f}× ({gb(t['rss'])})", "≤ 1.3×", at_most(ratio, 1.3, "×")))
    else:
        rows.append(("4a. peak RSS, 1GB archive", "not run", "≤ 1 GB", "not run (BENCH_MEMORY_SIZES empty)"))
        rows.append(("4b. peak RSS, 4GB archive vs 1GB", "not run", "≤ 1.3×", "not run (BENCH_MEMORY_SIZES empty)"))

    ds_ratio = datasketch["dedup_median"] / recur_dedup["dedup_median"]
    quality = ""
    if scores:
        r, d = scores["recur"], scores["datasketch"]
        quality = f"; precision/recall recur {r['precision']:.3f}/{r['recall']:.3f}, datasketch {d['precision']:.3f}/{d['recall']:.3f}"
    rows.append((
        "5a. peer: datasketch MinHashLSH, same dedup stage, one thread each",
        f"{ds_ratio:.1f}× ({datasketch['dedup_median']:.2f} s vs {recur_dedup['dedup_median']:.3f} s{quality})",
        "≥ 40×", at_least(ds_ratio, 40, "×", 1)))
    yake_seconds = yake["scaled_median_seconds"]
    yake_ratio = yake_seconds / j2["median"]
    if yake["every"] > 1:
        yake_how = f"measured on every {yake['every']}th paragraph ({yake['measured_fraction'] * 100:.0f}% of the text), scaled"
    else:
        yake_how = "measured on the whole slice"
    rows.append((
        f"5b. peer: YAKE + scikit-learn per-month counts, {yake['processes']} processes, vs `recur analyze --jobs 2`",
        f"{yake_ratio:.1f}× ({yake_seconds:.1f} s vs {j2['median']:.2f} s; YAKE {yake_how})",
        "≥ 30×", at_least(yake_ratio, 30, "×", 1)))

    why = explain_misses(rows, j1, j2, b_median, recur_dedup, datasketch, yake_seconds, args, w)

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = []
    out.append(f"recur macro benchmark, {now}; machine: {machine()}"
               + (f"; load average at start {args.load}" if args.load else "")
               + f"; commit {commit(args.root)}; command: `{args.command}`")
    out.append("")
    out.append(f"Slice: `recur-corpus --seed 7 --size {args.slice}` ({slice_mb:.1f} MB of input files, README.md and truth.json "
               f"left out; {j2['paragraphs']:,} paragraphs). Speeds: "
               + (f"medians of {args.runs} runs" if args.runs > 1 else "one run each") + "; every ratio from this run.")
    out.append("")
    out.append("| measure | value | goal | result |")
    out.append("|---|---|---|---|")
    for measure, value, goal, result in rows:
        out.append(f"| {measure} | {value} | {goal} | {result} |")
    out.append("")
    if why:
        out.append("Why each miss, from this run's own figures (`--timings` stage seconds, medians):")
        out.append("")
        out.extend(f"- {line}" for line in why)
        out.append("")
    fmt = lambda xs: ", ".join(f"{x:.2f}" for x in xs)  # noqa: E731
    cpu = lambda r: "/".join(f"{c}%" for c in r["cpu"] if c is not None)  # noqa: E731
    out.append(f"- runs (s): `--jobs 2` {fmt(j2['seconds'])} (CPU {cpu(j2)}); `--jobs 1` {fmt(j1['seconds'])} (CPU {cpu(j1)}); "
               f"analyzers alone {fmt(baseline['seconds'])}; "
               f"dedup stage {', '.join(f'{x:.3f}' for x in recur_dedup['dedup_seconds'])}; datasketch {fmt(datasketch['dedup_seconds'])}; "
               f"YAKE {fmt(yake['seconds'])}{' (measured part)' if yake['every'] > 1 else ''}.")
    out.append("- MB = 10^6 bytes of input files (MB/s of the dedup stage and its peer: of paragraph keys); GB = 10^9 bytes; "
               "peak RSS: `/usr/bin/time -v`'s maximum resident set size.")
    out.append("- Analyzers alone: the archive's paragraphs read and split untimed, then, timed, `TextAnalyzer.analyze` on every "
               "paragraph (language id, ICU key, ICU sentence/word break and case folding, MeCab/Voikko/Snowball per word, "
               "the analyzer's caches: per word, Voikko's word check, recent paragraphs' analyses) on 2 threads with a fresh "
               "analyzer each; 2b compares wall times.")
    out.append(f"- YAKE {yake['yake']} (n=3, top=5 per paragraph; lan=ru/fi/ja, en for other paragraphs; no Japanese segmentation, "
               f"so its Japanese keyphrases are unsegmented runs), scikit-learn {yake['scikit_learn']} CountVectorizer + a month "
               f"indicator matrix; it reads the paragraphs from `recur normalize` output (reading untimed), recur reads the archive. "
               f"{yake['keyphrases']:,} keyphrases over {yake['months']} months.")
    out.append("- datasketch: recur's dedup decisions rebuilt on MinHash + MinHashLSH (scripts/bench/datasketch_dedup.py), "
               "on the keys of the same paragraphs; scored against an exact reference (scripts/bench/report.py).")
    if j2["bytes_read"] != slice_bytes:
        out.append(f"- Note: recur read {j2['bytes_read']:,} bytes (summary.json), the slice's input files hold {slice_bytes:,}; "
                   "MB/s uses the latter.")
    if args.load and float(args.load.split()[0]) >= 0.5:
        out.append(f"- The machine was not idle when the benchmark started (load average {args.load}): other processes "
                   "took CPU time, so speeds are low and the scaling understated; the CPU % of each recur run shows what it got.")
    text = "\n".join(out) + "\n"
    sys.stdout.write(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
