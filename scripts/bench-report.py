#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench-report.py OUT [--results DIR] [--readme FILE] [--no-plots]

Turn the lines of a `make bench` VM run (OUT, the results channel:
"BENCH R fig=... key=value", "BENCH S key=value", "BENCH P key=value",
"BENCH I key=value") into a markdown table on stdout, DIR/latest.json,
DIR/latest.md and gnuplot PNGs under DIR.  With --readme, the table
replaces what README holds between "<!-- bench:begin -->" and
"<!-- bench:end -->".  Every figure is the median over the repetitions,
with the spread as min..max; ratios are pcwq / CMWQ (per-CPU queue) and
one / batch, taken per repetition (the runs of one repetition follow each
other), then the median.  Exits 1 when a figure is missing.
"""
import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

IMPLS = ["pcwq", "cmwq", "cmwq_unbound"]


def parse(path):
    rows, steal, panic, info = [], {}, [], {}
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.strip()
        m = re.match(r"^(?:# )?BENCH ([RSPI]) (.*)$", line)
        if not m:
            continue
        kv = dict(re.findall(r"(\w+)=(\S*)", m.group(2)))
        for k, v in kv.items():
            if re.fullmatch(r"-?\d+", v):
                kv[k] = int(v)
            elif re.fullmatch(r"-?\d+\.\d+", v):
                kv[k] = float(v)
        kind = m.group(1)
        if kind == "R":
            rows.append(kv)
        elif kind == "S":
            steal.update(kv)
        elif kind == "P":
            panic.append(kv)
        else:
            if m.group(2).startswith("rescuer_source="):
                info["kernel_version"] = m.group(2).split("=", 1)[1]
            else:
                info.update(kv)
    return rows, steal, panic, info


def summ(vals):
    vals = [v for v in vals if v is not None]
    if not vals:
        return None
    return {"median": statistics.median(vals), "min": min(vals),
            "max": max(vals), "n": len(vals)}


def sel(rows, **kw):
    return [r for r in rows if all(r.get(k) == v for k, v in kw.items())]


def paired(a, b, key):
    """Median and spread of a[rep][key] / b[rep][key] over common reps."""
    by = {r["rep"]: r[key] for r in b}
    return summ([r[key] / by[r["rep"]] for r in a
                 if r["rep"] in by and by[r["rep"]]])


def fmt(x, unit=1.0, prec=0):
    if x is None:
        return "-"
    return f"{x / unit:,.{prec}f}"


def cell(s, unit=1.0, prec=0):
    if not s:
        return "-"
    return (f"{fmt(s['median'], unit, prec)} "
            f"({fmt(s['min'], unit, prec)}..{fmt(s['max'], unit, prec)})")


def build(rows, steal, panic, info):
    out = {"kernel": info.get("kernel"), "vcpus": info.get("cpus"),
           "args": info.get("args"), "module_seconds":
           info.get("module_seconds"), "total_seconds":
           info.get("total_seconds"), "missing": []}
    tput = {}
    cpus_seen = sorted({r["cpus"] for r in sel(rows, fig="tput")})
    for c in cpus_seen:
        t = {}
        for i in IMPLS:
            rs = sel(rows, fig="tput", impl=i, cpus=c)
            t[i] = {k: summ([r[k] for r in rs]) for k in
                    ("items_per_sec", "submit_p50_ns", "submit_p90_ns",
                     "submit_p95_ns")}
        t["ratio_pcwq_vs_cmwq"] = paired(
            sel(rows, fig="tput", impl="pcwq", cpus=c),
            sel(rows, fig="tput", impl="cmwq", cpus=c), "items_per_sec")
        t["ratio_pcwq_vs_cmwq_unbound"] = paired(
            sel(rows, fig="tput", impl="pcwq", cpus=c),
            sel(rows, fig="tput", impl="cmwq_unbound", cpus=c),
            "items_per_sec")
        tput[str(c)] = t
    out["throughput"] = tput
    maxc = str(max(cpus_seen)) if cpus_seen else None
    if maxc and tput[maxc]["ratio_pcwq_vs_cmwq"]:
        out["throughput_ratio_vs_cmwq"] = \
            tput[maxc]["ratio_pcwq_vs_cmwq"]["median"]
    else:
        out["missing"].append("throughput")

    lat = {}
    p99r = []
    for where in ("same", "cross"):
        for load in ("idle", "load"):
            case = f"{where}_{load}"
            c = {}
            for i in IMPLS:
                rs = sel(rows, fig="lat", impl=i, where=where, load=load)
                c[i] = {k: summ([r[k] for r in rs]) for k in
                        ("p50_ns", "p90_ns", "p99_ns", "max_ns")}
            c["p99_ratio_pcwq_vs_cmwq"] = paired(
                sel(rows, fig="lat", impl="pcwq", where=where, load=load),
                sel(rows, fig="lat", impl="cmwq", where=where, load=load),
                "p99_ns")
            if c["p99_ratio_pcwq_vs_cmwq"]:
                p99r.append(c["p99_ratio_pcwq_vs_cmwq"]["median"])
            lat[case] = c
    out["latency"] = lat
    if len(p99r) == 4:
        out["p99_start_latency_ratio_vs_cmwq"] = math.exp(
            sum(math.log(x) for x in p99r) / len(p99r))
        out["p99_start_latency_ratio_vs_cmwq_worst"] = max(p99r)
        out["p99_start_latency_ratio_vs_cmwq_by_case"] = {
            k: v["p99_ratio_pcwq_vs_cmwq"]["median"] for k, v in lat.items()}
    else:
        out["missing"].append("latency")

    hol = {}
    for impl, mode in (("pcwq", "one"), ("pcwq", "batch"),
                       ("cmwq", "kernel")):
        rs = sel(rows, fig="hol", impl=impl, mode=mode)
        hol[f"{impl}_{mode}"] = {
            "hol_ns": summ([r["hol_ns"] for r in rs]),
            "b_on_rescuer": [r["b_on_rescuer"] for r in rs],
            "shorts_on_rescuer": [r["shorts_on_rescuer"] for r in rs],
            "blockers": [r["blockers"] for r in rs],
            "block_ms": rs[0]["block_ms"] if rs else None,
            "shorts": rs[0]["shorts"] if rs else None}
    hol["ratio_one_vs_batch"] = paired(
        sel(rows, fig="hol", impl="pcwq", mode="one"),
        sel(rows, fig="hol", impl="pcwq", mode="batch"), "hol_ns")
    hol["ratio_one_vs_cmwq"] = paired(
        sel(rows, fig="hol", impl="pcwq", mode="one"),
        sel(rows, fig="hol", impl="cmwq", mode="kernel"), "hol_ns")
    out["rescuer_hol"] = hol
    if hol["ratio_one_vs_batch"]:
        out["rescuer_hol_ratio_one_vs_batch"] = \
            hol["ratio_one_vs_batch"]["median"]
    else:
        out["missing"].append("rescuer_hol")

    mem = {}
    for r in sel(rows, fig="mem"):
        mem[f"{r['impl']}{'_reclaim' if r['reclaim'] else ''}"] = {
            "bytes_per_queue": r["bytes_per_queue"],
            "threads_per_queue": r["threads_per_queue_x100"] / 100,
            "queues": r["queues"]}
    for r in sel(rows, fig="size"):
        mem[f"sizes_{r['impl']}"] = {k: v for k, v in r.items()
                                     if k not in ("fig", "impl")}
    out["memory"] = mem
    if not mem:
        out["missing"].append("memory")
    # Older steal.sh printed no speed-ups: the same formulas, from its times.
    if "steal_ms" in steal and "steal_speedup" not in steal:
        a, b, o = steal["nosteal_ms"], steal["steal_ms"], steal["overhead_ms"]
        steal["steal_speedup"] = round(a / b, 2) if b > 0 else 0
        steal["steal_speedup_net"] = round((a - o) / (b - o), 2) \
            if b > o else 0
    out["steal"] = steal
    out["stall_panic"] = panic
    out["raw"] = rows
    return out


def table(d):
    L = []
    t = d["throughput"]
    L.append(f"Kernel {d.get('kernel')}, {d.get('vcpus')} vCPUs (QEMU TCG), "
             f"pcwq_bench {d.get('args') or 'defaults'}; median "
             f"(min..max) over the repetitions.")
    L.append("")
    L.append("| throughput, items/s | CPUs | pcwq | CMWQ per-CPU | "
             "CMWQ unbound | pcwq / CMWQ | pcwq / unbound |")
    L.append("|---|---|---|---|---|---|---|")
    for c in sorted(t, key=int, reverse=True):
        x = t[c]
        L.append(f"| | {c} | {cell(x['pcwq']['items_per_sec'])} | "
                 f"{cell(x['cmwq']['items_per_sec'])} | "
                 f"{cell(x['cmwq_unbound']['items_per_sec'])} | "
                 f"{cell(x['ratio_pcwq_vs_cmwq'], 1, 2)} | "
                 f"{cell(x['ratio_pcwq_vs_cmwq_unbound'], 1, 2)} |")
    if t:
        c = max(t, key=int)
        L.append("")
        L.append(f"| submit call, ns ({c} CPUs) | p50 | p90 | p95 |")
        L.append("|---|---|---|---|")
        for i in IMPLS:
            x = t[c][i]
            L.append(f"| {i} | {cell(x['submit_p50_ns'])} | "
                     f"{cell(x['submit_p90_ns'])} | "
                     f"{cell(x['submit_p95_ns'])} |")
    L.append("")
    L.append("| queue-to-start, µs | case | p50 | p90 | p99 | max | "
             "p99 pcwq / CMWQ |")
    L.append("|---|---|---|---|---|---|---|")
    for case, c in d["latency"].items():
        for i in IMPLS:
            x = c[i]
            r = cell(c["p99_ratio_pcwq_vs_cmwq"], 1, 2) if i == "pcwq" \
                else ""
            L.append(f"| {i} | {case.replace('_', ', ')} | "
                     f"{cell(x['p50_ns'], 1000, 0)} | "
                     f"{cell(x['p90_ns'], 1000, 0)} | "
                     f"{cell(x['p99_ns'], 1000, 0)} | "
                     f"{cell(x['max_ns'], 1000, 0)} | {r} |")
    h = d["rescuer_hol"]
    L.append("")
    L.append("| head of line after the pressure ends, ms | rescuer ran the "
             "blocker | short items on the rescuer | latency |")
    L.append("|---|---|---|---|")
    for k, label in (("pcwq_one", "pcwq one by one"),
                     ("pcwq_batch", "pcwq batch"),
                     ("cmwq_kernel", "CMWQ (6.12's rescuer)")):
        x = h[k]
        runs = len(x["b_on_rescuer"])
        on = statistics.median(x["shorts_on_rescuer"]) if runs else "-"
        L.append(f"| {label} | {sum(x['b_on_rescuer'])} of {runs} runs | "
                 f"{on:g} of {x['shorts']} (median) | "
                 f"{cell(x['hol_ns'], 1e6, 1)} |")
    L.append(f"| one / batch | | | {cell(h['ratio_one_vs_batch'], 1, 3)} |")
    m = d["memory"]
    L.append("")
    L.append("| memory | bytes per queue | threads per queue |")
    L.append("|---|---|---|")
    for k in ("pcwq", "pcwq_reclaim", "cmwq", "cmwq_reclaim",
              "cmwq_unbound"):
        if k in m:
            L.append(f"| {k.replace('_reclaim', ' + rescuer')} | "
                     f"{m[k]['bytes_per_queue']:,} | "
                     f"{m[k]['threads_per_queue']:g} |")
    sp, sc = m.get("sizes_pcwq"), m.get("sizes_cmwq")
    if sp and sc:
        L.append("")
        L.append("| sizeof, bytes | work item | delayable item | queue | "
                 "per CPU of a queue | pool | worker |")
        L.append("|---|---|---|---|---|---|---|")
        L.append(f"| pcwq | {sp['work']} | {sp['delayable']} | "
                 f"{sp['queue']} | {sp['per_cpu_queue']} | {sp['pool']} | "
                 f"{sp['worker']} |")
        L.append(f"| CMWQ | {sc['work']} | {sc['delayable']} | private | "
                 f"private | private | private |")
    if d["stall_panic"]:
        L.append("")
        L.append("| stall-to-panic (panic_on_stall_time=3 s) | "
                 "watchdog_thresh | panic after the stall began |")
        L.append("|---|---|---|")
        for p in d["stall_panic"]:
            L.append(f"| {p.get('test')} | {p.get('thresh')} s | "
                     f"{p.get('from_s')}..{p.get('to_s')} s |")
    s = d["steal"]
    if s:
        L.append("")
        L.append(f"Work stealing (tests/bench/steal.sh, "
                 f"{s.get('steal_burst')}): no steal {s.get('nosteal_ms')} "
                 f"ms, steal {s.get('steal_ms')} ms, speed-up "
                 f"{s.get('steal_speedup')} (net of wqctl start-up "
                 f"{s.get('steal_speedup_net')}).")
    L.append("")
    L.append("Headline: throughput_ratio_vs_cmwq "
             f"{d.get('throughput_ratio_vs_cmwq', float('nan')):.2f}, "
             "p99_start_latency_ratio_vs_cmwq "
             f"{d.get('p99_start_latency_ratio_vs_cmwq', float('nan')):.2f} "
             "(geometric mean of the four cases; worst "
             f"{d.get('p99_start_latency_ratio_vs_cmwq_worst', float('nan')):.2f}), "
             "rescuer_hol_ratio_one_vs_batch "
             f"{d.get('rescuer_hol_ratio_one_vs_batch', float('nan')):.3f}.")
    return "\n".join(L) + "\n"


def plots(d, res):
    def run(script):
        subprocess.run(["gnuplot"], input=script, text=True, check=True)

    tmp = tempfile.mkdtemp(prefix="pcwq-bench-")
    t = d["throughput"]
    dat = os.path.join(tmp, "throughput.dat")
    with open(dat, "w", encoding="utf-8") as f:
        f.write("# cpus " + " ".join(f"{i} {i}_min {i}_max" for i in IMPLS)
                + "\n")
        for c in sorted(t, key=int):
            vals = []
            for i in IMPLS:
                s = t[c][i]["items_per_sec"] or {"median": 0, "min": 0,
                                                 "max": 0}
                vals += [s["median"] / 1e3, s["min"] / 1e3, s["max"] / 1e3]
            f.write(f"{c} " + " ".join(f"{v:.1f}" for v in vals) + "\n")
    run(f"""set terminal pngcairo size 800,500
set output '{res}/throughput.png'
set title 'Throughput: a producer per CPU, items/s (median, min..max)'
set xlabel 'online vCPUs'; set ylabel 'thousand items/s'
set style data histograms; set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1; set yrange [0:*]; set key top left
plot '{dat}' using 2:3:4:xtic(1) title 'pcwq', \
     '' using 5:6:7 title 'CMWQ per-CPU', '' using 8:9:10 title 'CMWQ unbound'
""")
    lat = d["latency"]
    dat = os.path.join(tmp, "latency.dat")
    with open(dat, "w", encoding="utf-8") as f:
        for case, c in lat.items():
            vals = []
            for i in IMPLS:
                s = c[i]["p99_ns"] or {"median": 0, "min": 0, "max": 0}
                vals += [s["median"] / 1e3, s["min"] / 1e3, s["max"] / 1e3]
            f.write(f"{case.replace('_', '/')} " +
                    " ".join(f"{v:.1f}" for v in vals) + "\n")
    run(f"""set terminal pngcairo size 800,500
set output '{res}/latency_p99.png'
set title 'Queue-to-start latency p99 (median, min..max)'
set ylabel 'µs'; set logscale y
set style data histograms; set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1; set key top left
plot '{dat}' using 2:3:4:xtic(1) title 'pcwq', \
     '' using 5:6:7 title 'CMWQ per-CPU', '' using 8:9:10 title 'CMWQ unbound'
""")
    h = d["rescuer_hol"]
    dat = os.path.join(tmp, "hol.dat")
    with open(dat, "w", encoding="utf-8") as f:
        for k, label in (("pcwq_one", "pcwq-one"),
                         ("pcwq_batch", "pcwq-batch"),
                         ("cmwq_kernel", "CMWQ-6.12")):
            s = h[k]["hol_ns"] or {"median": 0, "min": 0, "max": 0}
            f.write(f"{label} {s['median'] / 1e6:.2f} {s['min'] / 1e6:.2f} "
                    f"{s['max'] / 1e6:.2f}\n")
    run(f"""set terminal pngcairo size 700,450
set output '{res}/rescuer_hol.png'
set title 'Head of line behind a blocking rescued item, after the pressure ends'
set ylabel 'ms (median, min..max)'; set yrange [0:*]
set style data histograms; set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1; unset key
plot '{dat}' using 2:3:4:xtic(1)
""")
    shutil.rmtree(tmp)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--results", default="bench/results")
    ap.add_argument("--readme")
    ap.add_argument("--no-plots", action="store_true")
    a = ap.parse_args()
    rows, steal, panic, info = parse(a.out)
    d = build(rows, steal, panic, info)
    md = table(d)
    sys.stdout.write(md)
    os.makedirs(a.results, exist_ok=True)
    with open(os.path.join(a.results, "latest.json"), "w",
              encoding="utf-8") as f:
        json.dump(d, f, indent=1, sort_keys=True)
        f.write("\n")
    with open(os.path.join(a.results, "latest.md"), "w",
              encoding="utf-8") as f:
        f.write(md)
    if not a.no_plots:
        plots(d, a.results)
    if a.readme:
        text = open(a.readme, encoding="utf-8").read()
        new = re.sub(r"(<!-- bench:begin -->\n).*?(<!-- bench:end -->)",
                     lambda m: m.group(1) + md + m.group(2), text,
                     flags=re.S)
        with open(a.readme, "w", encoding="utf-8") as f:
            f.write(new)
    if d["missing"]:
        print(f"bench-report: missing figures: {' '.join(d['missing'])}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
